//! "Multithreaded Producer-Consumer with synchronized in Java", freaks.city
//! (<https://freaks.city/blogs/multithreaded-producer-consumer-with-synchronized-in-java.html>),
//! the common Chinese-course exercise (two threads alternately add and
//! subtract 1 from a shared `number`). Its `Resource` is
//! `synchronized void up() { if (number != 0) { this.wait(); } number++;
//! ...; this.notifyAll(); }` and `synchronized void down() { if (number ==
//! 0) { this.wait(); } number--; ...; this.notifyAll(); }`. It works with
//! the article's two threads; the well-known failure (the "spurious
//! wake-up" lesson that follows this exercise) comes with two adders and two
//! subtracters: `notifyAll` wakes both subtracters, and the one that runs
//! second decrements without checking again.
//!
//! Transcription: the monitor is a `Mutex<i32>` plus a `Condvar`; four
//! threads (`up1`, `up2`, `down1`, `down2`) each call their method once
//! (the article loops 10 times; once is enough). The outcome is the range
//! of values the threads left plus the final value; only 0 and 1 are
//! allowed, and the final value must be 0.
//!
//! # Teacher marks (written before the first run)
//! For the bad execution (`down1` and `down2` wait on 0, `up1` makes 1 and
//! notifies all, `down1` makes 0, then `down2` wakes and makes -1):
//! - `down2`'s step after it wakes (the re-acquired `wait cv` returning with
//!   0, or its `unlock number` leaving -1): `stale_check`: "woken from the
//!   wait, acts without checking again: down1 took the 1 first; use while".
//!   1 mark per backend.
//!
//! If racelab shows instead the execution that follows (`up2` then waits on
//! -1 for ever), the same mark applies, plus a true deadlock/lost-wake-up
//! mark on `up2`'s wait is a relevant extra.
//!
//! No mark on `up1`'s increment, `down1`'s decrement (both right), the
//! notifies, spawns or joins.
//! Expected verdict: `forbidden outcome` (or `deadlock`, the same bug seen a
//! step later) on both backends.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{thread, Arc, Condvar, Mutex, Semaphore};

use super::common;

#[derive(Clone, Copy, PartialEq)]
enum Wait {
    If,
    While,
}

struct Resource {
    number: Mutex<i32>,
    cv: Condvar,
}

impl Resource {
    fn up(&self, w: Wait) -> i32 {
        let mut g = self.number.lock().unwrap();
        if w == Wait::If {
            if *g != 0 {
                g = self.cv.wait(g).unwrap();
            }
        } else {
            g = self.cv.wait_while(g, |n| *n != 0).unwrap();
        }
        *g += 1;
        let v = *g;
        self.cv.notify_all();
        v
    }
    fn down(&self, w: Wait) -> i32 {
        let mut g = self.number.lock().unwrap();
        if w == Wait::If {
            if *g == 0 {
                g = self.cv.wait(g).unwrap();
            }
        } else {
            g = self.cv.wait_while(g, |n| *n == 0).unwrap();
        }
        *g -= 1;
        let v = *g;
        self.cv.notify_all();
        v
    }
}

fn summary(left: Vec<i32>, last: i32) -> String {
    let min = left.iter().copied().min().unwrap_or(0).min(last);
    let max = left.iter().copied().max().unwrap_or(0).max(last);
    format!("seen {min}..={max}, final {last}")
}

fn program(name: &str, w: Wait) -> Scenario<String> {
    Scenario::new(name, move || {
        let r = Arc::new(Resource {
            number: Mutex::new(0).named("number"),
            cv: Condvar::new().named("cv"),
        });
        let handles: Vec<_> = ["down1", "down2", "up1", "up2"]
            .into_iter()
            .map(|name| {
                let r = Arc::clone(&r);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || if name.starts_with("up") { r.up(w) } else { r.down(w) })
                    .unwrap()
            })
            .collect();
        let left: Vec<i32> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let last = *r.number.lock().unwrap();
        summary(left, last)
    })
    .expect_only("seen 0..=1, final 0".to_string())
}

/// Control 2: two semaphores count the free and the full slot; the mutex
/// only guards the number.
fn semaphores() -> Scenario<String> {
    Scenario::new("blind12b::blog_updown_semaphores", || {
        let number = Arc::new(Mutex::new(0).named("number"));
        let empty = Arc::new(Semaphore::new(1).named("empty"));
        let full = Arc::new(Semaphore::new(0).named("full"));
        let handles: Vec<_> = ["down1", "down2", "up1", "up2"]
            .into_iter()
            .map(|name| {
                let (number, empty, full) = (Arc::clone(&number), Arc::clone(&empty), Arc::clone(&full));
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        let up = name.starts_with("up");
                        let (take, give) = if up { (&empty, &full) } else { (&full, &empty) };
                        take.acquire();
                        let v = {
                            let mut g = number.lock().unwrap();
                            *g += if up { 1 } else { -1 };
                            *g
                        };
                        give.release();
                        v
                    })
                    .unwrap()
            })
            .collect();
        let left: Vec<i32> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let last = *number.lock().unwrap();
        summary(left, last)
    })
    .expect_only("seen 0..=1, final 0".to_string())
}

fn assert_bug(r: &racelab::explore::Report) {
    r.assert_racy(None);
    let kind = r.failure.as_ref().map(|f| f.kind);
    assert!(
        matches!(kind, Some(FailureKind::ForbiddenOutcome) | Some(FailureKind::Deadlock)),
        "expected a forbidden outcome or a deadlock, got {kind:?}"
    );
}

#[test]
fn racy_loom() {
    let r = common::explore(&program("blind12b::blog_updown_if", Wait::If), &common::loom());
    assert_bug(&r);
}

#[test]
fn racy_shuttle() {
    let r = common::explore(&program("blind12b::blog_updown_if", Wait::If), &common::shuttle());
    assert_bug(&r);
}

#[test]
fn fixes_hold() {
    for s in [program("blind12b::blog_updown_while", Wait::While), semaphores()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
