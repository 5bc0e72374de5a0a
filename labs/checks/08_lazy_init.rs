//! Check for lab 08: when alice and bob both get the lazy value, `init`
//! runs exactly once and both get its value, under every schedule loom and
//! shuttle explore.

use super::exercise;

use std::fmt;

use racelab::explore::Scenario;
use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::sync::{thread, Arc};

/// What `init` returns.
const VALUE: u64 = 42;

/// How many times `init` ran, and whether every thread got its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Inits {
    inits: u64,
    all_got_it: bool,
}

impl fmt::Display for Inits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.inits {
            1 => f.write_str("initialised once")?,
            n => write!(f, "initialised {n} times")?,
        }
        if !self.all_got_it {
            f.write_str(", someone got no value")?;
        }
        Ok(())
    }
}

#[test]
fn the_value_is_initialised_exactly_once_under_every_schedule() {
    let scenario = Scenario::new("lab 08: initialised twice", || {
        let lazy = Arc::new(exercise::Lazy::new());
        let inits = Arc::new(AtomicU64::new(0).named("inits"));
        let users: Vec<_> = ["alice", "bob"]
            .into_iter()
            .map(|name| {
                let (lazy, inits) = (Arc::clone(&lazy), Arc::clone(&inits));
                thread::Builder::new()
                    .name(name.to_owned())
                    .spawn(move || {
                        lazy.get(|| {
                            inits.fetch_add(1, SeqCst);
                            VALUE
                        })
                    })
                    .expect("spawn a user")
            })
            .collect();
        // Join every user before reading `inits` (`all` alone would stop at the first miss).
        let got: Vec<u64> = users.into_iter().map(|u| u.join().expect("a user panicked")).collect();
        let all_got_it = got.iter().all(|&v| v == VALUE);
        Inits {
            inits: inits.load(SeqCst),
            all_got_it,
        }
    })
    .expect_only(Inits {
        inits: 1,
        all_got_it: true,
    });
    racelab_labs::check(scenario, racelab_labs::MODELS);
}
