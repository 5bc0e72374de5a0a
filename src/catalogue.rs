//! Every scenario racelab knows, by name (`topic::variant`): what the CLI
//! lists and explores, the tour walks, and the tests cover. Adding a variant
//! is one line here.

use thiserror::Error;

use crate::counter::{self, Counter};
use crate::explore::{Explorable, FailureKind};
use crate::sync::Backend;

/// What a variant is expected to do under the model backends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Every execution is acceptable: a fix.
    Holds,
    /// Some execution fails this way: a racy baseline.
    Racy(FailureKind),
}

/// How big a run is: how many threads, how many operations each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Params {
    pub threads: usize,
    pub ops: u64,
}

/// loom models at most 5 threads, the scenario's own among them.
pub const LOOM_MAX_SPAWNED: usize = 4;
/// More threads than this is a typo, not an experiment.
pub const MAX_THREADS: usize = 64;

/// Parameters a backend cannot run.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ParamError {
    #[error("--threads must be at least 1")]
    NoThreads,
    #[error("--ops must be at least 1")]
    NoOps,
    #[error("--threads {0} is more than {MAX_THREADS}")]
    TooManyThreads(usize),
    #[error("--threads {0} is too many for loom, which models at most {LOOM_MAX_SPAWNED} spawned threads")]
    TooManyForLoom(usize),
}

impl Params {
    /// Sizes that say something on each backend: two threads, two increments
    /// each under the models (enough for every interleaving that loses an
    /// update), ten thousand on hardware (enough for real threads to overlap).
    pub fn default_for(backend: Backend) -> Params {
        match backend {
            Backend::Hardware => Params {
                threads: 2,
                ops: 10_000,
            },
            Backend::Shuttle | Backend::Loom => Params { threads: 2, ops: 2 },
        }
    }

    /// Checks that `backend` can run these sizes.
    pub fn check(&self, backend: Backend) -> Result<(), ParamError> {
        match self.threads {
            0 => Err(ParamError::NoThreads),
            n if backend == Backend::Loom && n > LOOM_MAX_SPAWNED => Err(ParamError::TooManyForLoom(n)),
            n if n > MAX_THREADS => Err(ParamError::TooManyThreads(n)),
            _ if self.ops == 0 => Err(ParamError::NoOps),
            _ => Ok(()),
        }
    }
}

/// One variant of one topic.
#[derive(Clone, Copy)]
pub struct Entry {
    /// `topic::variant`.
    pub name: &'static str,
    /// One line: what it shows.
    pub summary: &'static str,
    pub expect: Expect,
    build: fn(&'static str, Params) -> Box<dyn Explorable>,
}

impl Entry {
    /// The scenario at these sizes.
    pub fn scenario(&self, params: Params) -> Box<dyn Explorable> {
        (self.build)(self.name, params)
    }

    /// The topic (`counter` of `counter::racy`).
    pub fn topic(&self) -> &'static str {
        self.name.split("::").next().unwrap_or(self.name)
    }
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("name", &self.name)
            .field("expect", &self.expect)
            .finish_non_exhaustive()
    }
}

fn counter_entry<C: Counter>(name: &'static str, params: Params) -> Box<dyn Explorable> {
    Box::new(counter::scenario::<C>(name, params.threads, params.ops))
}

/// Every scenario, topic by topic, racy baseline first.
pub static ENTRIES: &[Entry] = &[
    Entry {
        name: "counter::racy",
        summary: "load, then store: two threads that both read 0 both write 1",
        expect: Expect::Racy(FailureKind::ForbiddenOutcome),
        build: counter_entry::<counter::racy::Racy>,
    },
    Entry {
        name: "counter::mutex",
        summary: "a Mutex around the read-modify-write",
        expect: Expect::Holds,
        build: counter_entry::<counter::mutex::Locked>,
    },
    Entry {
        name: "counter::atomic",
        summary: "fetch_add: one indivisible read-modify-write",
        expect: Expect::Holds,
        build: counter_entry::<counter::atomic::FetchAdd>,
    },
    Entry {
        name: "counter::cas",
        summary: "a compare-exchange loop that retries when another thread got in first",
        expect: Expect::Holds,
        build: counter_entry::<counter::cas::CasLoop>,
    },
    Entry {
        name: "counter::sharded",
        summary: "one cache-padded slot per thread, summed on read",
        expect: Expect::Holds,
        build: counter_entry::<counter::sharded::Sharded>,
    },
    Entry {
        name: "counter::thread_local",
        summary: "thread-local counts merged once per thread when it finishes",
        expect: Expect::Holds,
        build: counter_entry::<counter::thread_local::ThreadLocal>,
    },
];

/// The entry called `name`.
pub fn find(name: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.name == name)
}

/// Entries named `name`, or whose topic is `name` (`counter` gives all
/// counter variants).
pub fn select(name: &str) -> Vec<&'static Entry> {
    match find(name) {
        Some(e) => vec![e],
        None => ENTRIES.iter().filter(|e| e.topic() == name).collect(),
    }
}

/// Known names closest to `name`, best first (for "did you mean").
pub fn closest(name: &str) -> Vec<&'static str> {
    let mut scored: Vec<(usize, &'static str)> = ENTRIES
        .iter()
        .map(|e| e.name)
        .chain(topics())
        .map(|known| {
            let variant = known.rsplit("::").next().unwrap_or(known);
            let d = levenshtein(name, known).min(levenshtein(name, variant));
            (d, known)
        })
        .filter(|(d, known)| *d <= (known.len() / 2).max(3))
        .collect();
    scored.sort();
    scored.dedup_by_key(|(_, n)| *n);
    scored.into_iter().map(|(_, n)| n).take(3).collect()
}

/// Topic names, in catalogue order.
pub fn topics() -> impl Iterator<Item = &'static str> {
    let mut seen: Vec<&'static str> = Vec::new();
    for e in ENTRIES {
        if !seen.contains(&e.topic()) {
            seen.push(e.topic());
        }
    }
    seen.into_iter()
}

/// Edit distance, for suggestions.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_namespaced() {
        for (i, e) in ENTRIES.iter().enumerate() {
            assert!(e.name.contains("::"), "{}", e.name);
            assert!(ENTRIES[i + 1..].iter().all(|o| o.name != e.name), "{} twice", e.name);
        }
    }

    #[test]
    fn a_typo_suggests_the_intended_name() {
        assert_eq!(closest("counter::rasy").first(), Some(&"counter::racy"));
        assert_eq!(closest("mutx").first(), Some(&"counter::mutex"));
        assert!(closest("zzzzzzzzzzzzzzzz").is_empty());
    }

    #[test]
    fn loom_refuses_more_than_four_spawned_threads() {
        let p = Params { threads: 5, ops: 1 };
        assert_eq!(p.check(Backend::Loom), Err(ParamError::TooManyForLoom(5)));
        assert_eq!(p.check(Backend::Shuttle), Ok(()));
        assert_eq!(
            Params { threads: 0, ops: 1 }.check(Backend::Hardware),
            Err(ParamError::NoThreads)
        );
    }

    #[test]
    fn a_topic_selects_all_its_variants() {
        assert_eq!(
            select("counter").len(),
            ENTRIES.iter().filter(|e| e.topic() == "counter").count()
        );
        assert_eq!(select("counter::racy").len(), 1);
    }
}
