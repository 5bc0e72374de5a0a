//! # b08: the unisex bathroom, with a lightswitch that waits outside its mutex
//!
//! **Source.** Allen B. Downey, *The Little Book of Semaphores* (version
//! 2.2.1, <https://greenteapress.com/wp/semaphores/>), section 6.2 "The
//! unisex bathroom problem": "there cannot be men and women in the bathroom
//! at the same time" and "there should never be more than three employees
//! squandering company time in the bathroom". The book's solution:
//! `empty = Semaphore(1)`, `maleSwitch = Lightswitch()`, `femaleSwitch =
//! Lightswitch()`, `maleMultiplex = Semaphore(3)`, `femaleMultiplex =
//! Semaphore(3)`; a woman runs `femaleSwitch.lock(empty);
//! femaleMultiplex.wait(); # bathroom code here; femaleMultiplex.signal();
//! femaleSwitch.unlock(empty)` (men symmetric). The `Lightswitch` is the
//! book's section 4.2.2 pattern: `lock(semaphore)` is `mutex.wait();
//! counter += 1; if counter == 1: semaphore.wait(); mutex.signal()`, and
//! `unlock` decrements and signals `semaphore` when the counter drops to 0.
//!
//! **The program.** The transcription "improves" the lightswitch so that it
//! never blocks while holding its own mutex: `mutex.wait(); counter += 1;
//! first = counter == 1; mutex.signal(); if first: semaphore.wait()`. (The
//! switch's mutex and counter are one facade `Mutex<u32>`; the book's
//! `Semaphore(1)` used as a lock is the same thing.) bob (a man), alice
//! and carol (women) each visit once. The bathroom is a facade
//! `Mutex<Bathroom>` counting who is inside, which records whether a man and
//! a woman were ever inside together.
//!
//! **The bug.** The first woman's check ("I am first, so I take `empty`")
//! and her `empty.wait()` are no longer one step: bob is inside, alice
//! counts herself first and goes to wait for `empty`, carol counts herself
//! second and walks in, past no semaphore at all, while bob is still inside
//! (or: carol walks in before alice has taken `empty`, and bob takes the
//! still-free `empty` and walks in too). A man and a woman together, on both
//! backends.
//!
//! **Teacher marks (written before the first run).** Per backend, one mark,
//! on the entry that breaks the rule: the `lock bathroom` of whoever comes
//! in second to a bathroom holding the other sex (carol, in the first
//! story; bob, in the second), kind `order_violation` (`atomicity_violation`
//! or `stale_check` accepted): "carol goes in on alice's being first
//! (femaleSwitch counted 1 at step N) before alice has taken empty (step M,
//! later, or never before bob left)". The text must name the split: the
//! first woman's switch check and her `acquire empty`. Lenient: a mark on
//! alice's late `acquire empty` (or on bob's `acquire empty`, in the second
//! story) naming carol's entry.
//! - No mark belongs on: the multiplexes (they never block here), the
//!   switch locks that found and left correct counts, the leaves, main's
//!   joins.
//!
//! **Controls.** (1) The book's lightswitch (waits for `empty` holding the
//! switch's mutex). (2) A different primitive: a monitor, one facade
//! `Mutex` over (who is inside, how many) with a `Condvar`, a visitor
//! waiting while the other sex is inside or three are.

use std::fmt;

use racelab::explore::Scenario;
use racelab::sync::{thread, Arc, Condvar, Mutex, Semaphore};

use crate::common;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sex {
    Man,
    Woman,
}

/// Who is in the bathroom, and whether the rule was ever broken.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Bathroom {
    men: u32,
    women: u32,
    mixed: bool,
}

impl fmt::Debug for Bathroom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} men, {} women{}",
            self.men,
            self.women,
            if self.mixed { ", MIXED" } else { "" }
        )
    }
}

fn enter(room: &Mutex<Bathroom>, who: Sex) {
    let mut r = room.lock().unwrap();
    match who {
        Sex::Man => r.men += 1,
        Sex::Woman => r.women += 1,
    }
    if r.men > 0 && r.women > 0 {
        r.mixed = true;
    }
}

fn leave(room: &Mutex<Bathroom>, who: Sex) {
    let mut r = room.lock().unwrap();
    match who {
        Sex::Man => r.men -= 1,
        Sex::Woman => r.women -= 1,
    }
}

/// The book's `Lightswitch`; `split` waits for the room outside the mutex.
struct Lightswitch {
    counter: Mutex<u32>,
    split: bool,
}

impl Lightswitch {
    fn new(name: &str, split: bool) -> Self {
        Lightswitch {
            counter: Mutex::new(0u32).named(name),
            split,
        }
    }

    fn lock(&self, room: &Semaphore) {
        let mut c = self.counter.lock().unwrap();
        *c += 1;
        let first = *c == 1;
        if self.split {
            drop(c);
            if first {
                room.acquire();
            }
        } else {
            if first {
                room.acquire();
            }
            drop(c);
        }
    }

    fn unlock(&self, room: &Semaphore) {
        let mut c = self.counter.lock().unwrap();
        *c -= 1;
        if *c == 0 {
            room.release();
        }
    }
}

struct Building {
    empty: Semaphore,
    male_switch: Lightswitch,
    female_switch: Lightswitch,
    male_multiplex: Semaphore,
    female_multiplex: Semaphore,
    bathroom: Mutex<Bathroom>,
}

fn visit(b: &Building, who: Sex) {
    let (switch, multiplex) = match who {
        Sex::Man => (&b.male_switch, &b.male_multiplex),
        Sex::Woman => (&b.female_switch, &b.female_multiplex),
    };
    switch.lock(&b.empty);
    multiplex.acquire();
    enter(&b.bathroom, who);
    leave(&b.bathroom, who);
    multiplex.release();
    switch.unlock(&b.empty);
}

fn outcome(room: &Bathroom) -> String {
    if room.mixed {
        "a man and a woman were inside together".to_string()
    } else {
        "never mixed".to_string()
    }
}

fn scenario(name: &str, split: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let building = Arc::new(Building {
            empty: Semaphore::new(1).named("empty"),
            male_switch: Lightswitch::new("maleSwitch", split),
            female_switch: Lightswitch::new("femaleSwitch", split),
            male_multiplex: Semaphore::new(3).named("maleMultiplex"),
            female_multiplex: Semaphore::new(3).named("femaleMultiplex"),
            bathroom: Mutex::new(Bathroom::default()).named("bathroom"),
        });
        let visitors: Vec<_> = [("bob", Sex::Man), ("alice", Sex::Woman), ("carol", Sex::Woman)]
            .into_iter()
            .map(|(name, who)| {
                let b = Arc::clone(&building);
                thread::Builder::new().name(name).spawn(move || visit(&b, who)).unwrap()
            })
            .collect();
        for v in visitors {
            v.join().unwrap();
        }
        let room = *building.bathroom.lock().unwrap();
        outcome(&room)
    })
    .expect_only("never mixed".to_string())
}

/// Control 2: a monitor.
fn monitor_control() -> Scenario<String> {
    Scenario::new("b08::monitor", || {
        // (who is inside, how many), and the record of the rule.
        let state = Arc::new((
            Mutex::new((None::<Sex>, 0u32)).named("inside"),
            Condvar::new().named("changed"),
            Mutex::new(Bathroom::default()).named("bathroom"),
        ));
        let visitors: Vec<_> = [("bob", Sex::Man), ("alice", Sex::Woman), ("carol", Sex::Woman)]
            .into_iter()
            .map(|(name, who)| {
                let s = Arc::clone(&state);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        let (inside, changed, room) = &*s;
                        let mut g = changed
                            .wait_while(inside.lock().unwrap(), |(sex, n)| {
                                (*n > 0 && *sex != Some(who)) || *n >= 3
                            })
                            .unwrap();
                        *g = (Some(who), g.1 + 1);
                        drop(g);
                        enter(room, who);
                        leave(room, who);
                        let mut g = inside.lock().unwrap();
                        g.1 -= 1;
                        if g.1 == 0 {
                            g.0 = None;
                        }
                        changed.notify_all();
                    })
                    .unwrap()
            })
            .collect();
        for v in visitors {
            v.join().unwrap();
        }
        let room = *state.2.lock().unwrap();
        outcome(&room)
    })
    .expect_only("never mixed".to_string())
}

#[test]
fn loom_racy() {
    let report = common::explore(&scenario("b08::split_lightswitch", true), &common::loom());
    report.assert_racy(Some(racelab::explore::FailureKind::ForbiddenOutcome));
}

#[test]
fn shuttle_racy() {
    let report = common::explore(&scenario("b08::split_lightswitch", true), &common::shuttle());
    report.assert_racy(Some(racelab::explore::FailureKind::ForbiddenOutcome));
}

#[test]
fn loom_control_book() {
    common::explore(&scenario("b08::book", false), &common::loom()).assert_holds();
}

#[test]
fn shuttle_control_book() {
    common::explore(&scenario("b08::book", false), &common::shuttle()).assert_holds();
}

#[test]
fn loom_control_monitor() {
    common::explore(&monitor_control(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_control_monitor() {
    common::explore(&monitor_control(), &common::shuttle()).assert_holds();
}
