//! LeetCode 1226 "The Dining Philosophers", the "optimal solution" posted
//! on Tejav's interview-prep page
//! (<https://tejav.com/interview-prep/dsa/the-dining-philosophers>): "if
//! all philosophers pick up the right fork first, it ensures that at least
//! one philosopher can always eat"; the Python code is `left =
//! philosopher; right = (philosopher + 1) % 5;
//! self.forks[right].acquire(); self.forks[left].acquire(); ... eat ...;
//! release both`.
//!
//! The bug: every philosopher takes the forks in the same rotational order,
//! so if each takes its right fork, each then waits for its left fork,
//! which its neighbour holds as *its* right fork: the classic circular
//! wait. The page's claim is false.
//!
//! Transcription: three philosophers and three forks (the test suite's
//! limit of four threads; the cycle is the same with five); forks are
//! `Mutex<()>`; `eat()` counts a meal in a `Mutex<usize>`. Each philosopher
//! eats once; three meals are expected.
//!
//! # Teacher marks (written before the first run)
//! - the blocked `lock fork{left}` of each philosopher, who holds
//!   `fork{right}`: `deadlock`: "waits for fork L, held by philosopher P,
//!   who waits for ... (a cycle): every philosopher took the right fork
//!   first". One mark per backend for the cycle (any of the three blocked
//!   locks carrying the cycle text counts strict).
//!
//! No mark on the `lock fork{right}` steps themselves (they succeed), on
//! main's joins as a cause.
//! Expected verdict: `deadlock` on both backends.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{thread, Arc, Mutex, Semaphore};

use super::common;

const P: usize = 3;

#[derive(Clone, Copy)]
enum Discipline {
    /// Tejav's: right fork, then left, for everyone.
    AllRightFirst,
    /// The last philosopher takes the left fork first (a total order).
    OneLeftHanded,
    /// At most `P - 1` philosophers at the table (a counting semaphore).
    Seats,
}

fn program(name: &str, d: Discipline) -> Scenario<usize> {
    Scenario::new(name, move || {
        let forks: Arc<Vec<Mutex<()>>> = Arc::new((0..P).map(|i| Mutex::new(()).named(format!("fork{i}"))).collect());
        let meals = Arc::new(Mutex::new(0usize).named("meals"));
        let seats = Arc::new(Semaphore::new(P - 1).named("seats"));
        let handles: Vec<_> = (0..P)
            .map(|p| {
                let (forks, meals, seats) = (Arc::clone(&forks), Arc::clone(&meals), Arc::clone(&seats));
                thread::Builder::new()
                    .name(format!("phil{p}"))
                    .spawn(move || {
                        let left = p;
                        let right = (p + 1) % P;
                        let (a, b) = match d {
                            Discipline::OneLeftHanded if p == P - 1 => (left, right),
                            _ => (right, left),
                        };
                        if let Discipline::Seats = d {
                            seats.acquire();
                        }
                        let ga = forks[a].lock().unwrap();
                        let gb = forks[b].lock().unwrap();
                        *meals.lock().unwrap() += 1; // eat()
                        drop(gb);
                        drop(ga);
                        if let Discipline::Seats = d {
                            seats.release();
                        }
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let n = *meals.lock().unwrap();
        n
    })
    .expect_only(P)
}

#[test]
fn racy_loom() {
    let r = common::explore(
        &program("blind12b::lc1226_right_first", Discipline::AllRightFirst),
        &common::loom(),
    );
    r.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(
        &program("blind12b::lc1226_right_first", Discipline::AllRightFirst),
        &common::shuttle(),
    );
    r.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn fixes_hold() {
    for s in [
        program("blind12b::lc1226_one_left_handed", Discipline::OneLeftHanded),
        program("blind12b::lc1226_seats", Discipline::Seats),
    ] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
