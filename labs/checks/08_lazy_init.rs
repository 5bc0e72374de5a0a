//! Check for lab 08: users call `get` on one `Lazy` at once. Whatever the
//! schedule, `init` runs exactly once and every user gets the value that
//! run returned. Checked under loom and shuttle twice: with two users and
//! an `init` that returns 0 (so 0 cannot stand for "not computed yet"), and
//! with three users and an `init` whose every run returns a new number (so
//! a user who got a value before it was stored, or from a second run, shows).

use super::exercise;

use std::fmt;

use racelab::explore::{Grade, Scenario};
use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::sync::{thread, Arc};

/// How many times `init` ran, what its first run returned, and what each
/// user got.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Inits {
    runs: u64,
    first: u64,
    got: Vec<(&'static str, u64)>,
}

impl Inits {
    /// A user who did not get the value of `init`'s (first) run.
    fn wrong_value(&self) -> Option<(&'static str, u64)> {
        self.got.iter().copied().find(|&(_, v)| v != self.first)
    }
}

impl fmt::Display for Inits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.runs {
            1 => write!(f, "init ran once (returned {})", self.first)?,
            n => write!(f, "init ran {n} times")?,
        }
        for (user, value) in &self.got {
            write!(f, ", {user} got {value}")?;
        }
        if self.runs == 1 {
            if let Some((user, _)) = self.wrong_value() {
                write!(f, " ({user} did not get init's value)")?;
            }
        }
        Ok(())
    }
}

/// `users` call `get` on one `Lazy` at once; the `n`-th run of `init`
/// (from 0) returns `value(n)`. `what` names the scenario.
fn lazy(what: &str, users: &'static [&'static str], value: fn(u64) -> u64) -> Scenario<Inits> {
    Scenario::new(format!("lab 08: {what}"), move || {
        let lazy = Arc::new(exercise::Lazy::new());
        let inits = Arc::new(AtomicU64::new(0).named("inits"));
        let handles: Vec<_> = users
            .iter()
            .map(|&user| {
                let (lazy, inits) = (Arc::clone(&lazy), Arc::clone(&inits));
                thread::Builder::new()
                    .name(user.to_owned())
                    .spawn(move || lazy.get(|| value(inits.fetch_add(1, SeqCst))))
                    .expect("spawn a user")
            })
            .collect();
        // Join every user before reading `inits`.
        let got = users
            .iter()
            .zip(handles)
            .map(|(&user, h)| (user, h.join().expect("a user panicked")))
            .collect();
        Inits {
            runs: inits.load(SeqCst),
            first: value(0),
            got,
        }
    })
    .expect(
        "init ran once, and every user got the value it returned",
        |i: &Inits| {
            if i.runs == 1 && i.wrong_value().is_none() {
                Grade::Acceptable
            } else {
                Grade::Forbidden
            }
        },
    )
}

/// alice and bob, with an `init` that returns 0: `init` runs once and both
/// get 0. (A `Lazy` that takes 0 to mean "not computed yet" runs it again.)
#[test]
fn init_that_returns_zero_runs_once() {
    racelab_labs::check(
        lazy("alice and bob, init returns 0", &["alice", "bob"], |_| 0),
        racelab_labs::MODELS,
    );
}

/// alice and bob, with an `init` whose runs return 7, 8...: `init` runs
/// once and both get 7, never a value from a second run, nor the empty
/// value read before 7 was stored.
#[test]
fn two_users_get_the_one_value() {
    racelab_labs::check(
        lazy(
            "alice and bob, each init returns a new number",
            &["alice", "bob"],
            |n| 7 + n,
        ),
        racelab_labs::MODELS,
    );
}

/// alice, bob and carol, with an `init` whose runs return 7, 8, 9...: all
/// three get 7, so two threads that wait for the value must both be woken.
/// Under shuttle only: loom takes two threads that spin-wait for a third
/// (a correct once-cell's waiters) for a livelock.
#[test]
fn three_users_get_the_one_value() {
    racelab_labs::check(
        lazy(
            "alice, bob and carol, each init returns a new number",
            &["alice", "bob", "carol"],
            |n| 7 + n,
        ),
        &[racelab::sync::Backend::Shuttle],
    );
}
