//! A loom execution of `SeqCst`-only code, shown in an order sequential
//! consistency allows.
//!
//! loom orders two unsynchronised writes to an atomic only as far as
//! happens-before forces it, and lets a load read any write coherence
//! allows; it also runs `SeqCst` as `AcqRel` (tokio-rs/loom#180). So the
//! order loom *ran* the steps in need not be an order a `SeqCst` machine
//! could show with the same values: a thread reads `0` "after" another
//! stored `20`, though on real hardware its load simply came first. Read in
//! loom's order, that timeline says "stale read" where there is none, and
//! hides the lost update that really happened.
//!
//! When every atomic access is `SeqCst`, this looks for a total order of the
//! same events in which every atomic read returns the latest write before
//! it: each thread's steps stay in program order, a thread starts after its
//! spawn and ends before its join, and every other event (locks, condition
//! variables, channels, cells, notes) keeps the order loom ran it in. Only
//! the atomic accesses move. The search takes the earliest step it can at
//! each point, so a trace that is already such an order comes back as it
//! was. If no such order exists, the execution is not sequentially
//! consistent (a loom#180 artefact, or real weak behaviour), and the trace
//! stays as loom ran it.

use std::collections::{HashMap, HashSet};

use crate::trace::{Event, Op, Trace};

/// How many search states to try before giving up (the trace then stays as
/// loom ran it).
const BUDGET: usize = 50_000;

/// Reorders `trace` into a sequentially consistent order of the same steps,
/// if it is not one already and every atomic access is `SeqCst`; returns
/// whether it did.
pub fn sc_order(trace: &mut Trace) -> bool {
    let all_seq_cst = trace
        .iter()
        .all(|e| e.ordering.as_deref().is_none_or(|o| o == "SeqCst"));
    if !all_seq_cst || consistent(trace, &(0..trace.len()).collect::<Vec<_>>()) {
        return false;
    }
    let Some(order) = Search::new(trace).run() else {
        return false;
    };
    let mut events: Vec<Option<Event>> = std::mem::take(trace).into_iter().map(Some).collect();
    for (step, i) in order.into_iter().enumerate() {
        let mut e = events[i].take().expect("each step once");
        e.step = step + 1;
        trace.push(e);
    }
    true
}

/// An atomic access with a value (its ordering was recorded).
fn atomic(e: &Event) -> bool {
    e.ordering.is_some() && e.op != Op::Fence
}

/// Whether, in `order`, every atomic read returns the latest write before it.
fn consistent(trace: &[Event], order: &[usize]) -> bool {
    let mut value: HashMap<&str, &str> = HashMap::new();
    for &i in order {
        let e = &trace[i];
        if !atomic(e) {
            continue;
        }
        if let (Some(read), Some(current)) = (e.read.as_deref(), value.get(e.target.as_str())) {
            if read != *current {
                return false;
            }
        }
        if let Some(w) = e.wrote.as_deref() {
            value.insert(&e.target, w);
        }
    }
    true
}

struct Search<'a> {
    trace: &'a [Event],
    /// Each thread's steps, in program order.
    threads: Vec<Vec<usize>>,
    /// The non-atomic steps, in the order loom ran them.
    chain: Vec<usize>,
    /// For each thread, the step that spawned it.
    spawn: Vec<Option<usize>>,
    /// For each atomic object, the value its first read saw before any write.
    initial: HashMap<&'a str, &'a str>,
    failed: HashSet<Key<'a>>,
    tried: usize,
}

impl<'a> Search<'a> {
    fn new(trace: &'a [Event]) -> Self {
        let mut names: Vec<&str> = Vec::new();
        let mut threads: Vec<Vec<usize>> = Vec::new();
        let mut initial = HashMap::new();
        let mut written = HashSet::new();
        for (i, e) in trace.iter().enumerate() {
            let t = names.iter().position(|n| *n == e.thread).unwrap_or_else(|| {
                names.push(&e.thread);
                threads.push(Vec::new());
                names.len() - 1
            });
            threads[t].push(i);
            if atomic(e) {
                if let Some(read) = e.read.as_deref() {
                    if !written.contains(e.target.as_str()) {
                        initial.entry(e.target.as_str()).or_insert(read);
                    }
                }
                if e.wrote.is_some() {
                    written.insert(e.target.as_str());
                }
            }
        }
        let spawn = names
            .iter()
            .map(|n| {
                trace
                    .iter()
                    .position(|e| e.op == Op::Spawn && e.value.as_deref() == Some(n))
            })
            .collect();
        let chain = (0..trace.len()).filter(|&i| !atomic(&trace[i])).collect();
        Search {
            trace,
            threads,
            chain,
            spawn,
            initial,
            failed: HashSet::new(),
            tried: 0,
        }
    }

    /// A depth-first search, iterative (it runs inside a model's thread,
    /// whose stack is small), trying at each point the thread whose next
    /// step loom ran first.
    fn run(mut self) -> Option<Vec<usize>> {
        let n = self.trace.len();
        let mut state = State {
            at: vec![0; self.threads.len()],
            chain_at: 0,
            placed: vec![false; n],
            value: HashMap::new(),
            order: Vec::with_capacity(n),
        };
        let mut frames = vec![self.frame(&state)?];
        loop {
            if state.order.len() == n {
                return Some(state.order);
            }
            let frame = frames.last_mut()?;
            if let Some(undo) = frame.applied.take() {
                undo.revert(&mut state);
            }
            let Some(&t) = frame.candidates.get(frame.next) else {
                let done = frames.pop()?;
                self.failed.insert(done.key);
                continue;
            };
            frame.next += 1;
            frame.applied = Some(Undo::apply(self.trace, &self.threads, t, &mut state));
            if state.order.len() == n {
                return Some(state.order);
            }
            self.tried += 1;
            if self.tried > BUDGET {
                return None;
            }
            if let Some(next) = self.frame(&state) {
                frames.push(next);
            }
        }
    }

    /// The search point for `state`, unless it failed before.
    fn frame(&self, state: &State<'a>) -> Option<Frame<'a>> {
        let mut snapshot: Vec<(&str, &str)> = state.value.iter().map(|(k, v)| (*k, *v)).collect();
        snapshot.sort_unstable();
        let key = (state.at.clone(), state.chain_at, snapshot);
        if self.failed.contains(&key) {
            return None;
        }
        let mut candidates: Vec<usize> = (0..self.threads.len())
            .filter(|&t| state.at[t] < self.threads[t].len() && self.enabled(t, state))
            .collect();
        candidates.sort_by_key(|&t| self.threads[t][state.at[t]]);
        Some(Frame {
            key,
            candidates,
            next: 0,
            applied: None,
        })
    }

    fn enabled(&self, t: usize, state: &State<'a>) -> bool {
        let (at, chain_at, placed, value) = (&state.at, state.chain_at, &state.placed, &state.value);
        let i = self.threads[t][at[t]];
        let e = &self.trace[i];
        if self.spawn[t].is_some_and(|s| !placed[s]) {
            return false;
        }
        if !atomic(e) {
            if self.chain.get(chain_at) != Some(&i) {
                return false;
            }
            if e.op == Op::Join {
                let child = self
                    .spawn
                    .iter()
                    .position(|s| s.is_some_and(|s| self.trace[s].value == e.value));
                // The joined thread has finished: every step of it is placed
                // (a `blocked` line never is before a join).
                if let Some(c) = child {
                    return at[c] == self.threads[c].len();
                }
            }
            return true;
        }
        match e.read.as_deref() {
            None => true,
            Some(read) => match value.get(e.target.as_str()) {
                Some(current) => *current == read,
                None => self.initial.get(e.target.as_str()).is_none_or(|v| *v == read),
            },
        }
    }
}

type Key<'a> = (Vec<usize>, usize, Vec<(&'a str, &'a str)>);

/// Where the search stands: each thread's next step, the next non-atomic
/// step, what is placed, each atomic's value, and the order so far.
struct State<'a> {
    at: Vec<usize>,
    chain_at: usize,
    placed: Vec<bool>,
    value: HashMap<&'a str, &'a str>,
    order: Vec<usize>,
}

/// One point of the search: the threads that can go next, and which was tried.
struct Frame<'a> {
    key: Key<'a>,
    candidates: Vec<usize>,
    next: usize,
    applied: Option<Undo<'a>>,
}

/// A placed step, and how to take it back.
struct Undo<'a> {
    thread: usize,
    step: usize,
    /// The atomic it wrote, and that atomic's value before.
    wrote: Option<(&'a str, Option<&'a str>)>,
    chained: bool,
}

impl<'a> Undo<'a> {
    fn apply(trace: &'a [Event], threads: &[Vec<usize>], t: usize, state: &mut State<'a>) -> Self {
        let i = threads[t][state.at[t]];
        let e = &trace[i];
        let wrote = match (atomic(e), e.wrote.as_deref()) {
            (true, Some(w)) => Some((e.target.as_str(), state.value.insert(e.target.as_str(), w))),
            _ => None,
        };
        let chained = !atomic(e);
        if chained {
            state.chain_at += 1;
        }
        state.at[t] += 1;
        state.placed[i] = true;
        state.order.push(i);
        Undo {
            thread: t,
            step: i,
            wrote,
            chained,
        }
    }

    fn revert(self, state: &mut State<'a>) {
        state.order.pop();
        state.placed[self.step] = false;
        state.at[self.thread] -= 1;
        if self.chained {
            state.chain_at -= 1;
        }
        if let Some((target, before)) = self.wrote {
            match before {
                Some(v) => state.value.insert(target, v),
                None => state.value.remove(target),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{load, numbered, store};
    use super::*;

    fn seq_cst(mut e: Event) -> Event {
        e.ordering = Some("SeqCst".into());
        e
    }

    #[test]
    fn a_load_loom_ran_after_an_unsynchronised_store_moves_before_it() {
        // t1 read 0 "after" t0 stored 20: on a SeqCst machine its load came first.
        let mut trace = numbered(vec![
            seq_cst(load("t0", "x", "0")),
            seq_cst(store("t0", "x", "20")),
            seq_cst(load("t1", "x", "0")),
            seq_cst(store("t1", "x", "30")),
        ]);
        assert!(sc_order(&mut trace));
        let order: Vec<(&str, Op)> = trace.iter().map(|e| (e.thread.as_str(), e.op)).collect();
        assert_eq!(
            order,
            vec![("t0", Op::Load), ("t1", Op::Load), ("t0", Op::Store), ("t1", Op::Store)]
        );
        assert_eq!(trace.iter().map(|e| e.step).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
    }

    #[test]
    fn a_consistent_trace_and_a_weak_one_stay_as_they_ran() {
        let mut trace = numbered(vec![
            seq_cst(load("t0", "x", "0")),
            seq_cst(store("t0", "x", "1")),
            seq_cst(load("t1", "x", "1")),
        ]);
        assert!(!sc_order(&mut trace));
        // Store buffering: both loads read 0, which no SeqCst order allows.
        let mut trace = numbered(vec![
            seq_cst(store("t0", "x", "1")),
            seq_cst(load("t0", "y", "0")),
            seq_cst(store("t1", "y", "1")),
            seq_cst(load("t1", "x", "0")),
            seq_cst(load("main", "x", "1")),
        ]);
        let before = trace.clone();
        assert!(!sc_order(&mut trace));
        assert_eq!(trace, before);
        // Relaxed accesses keep loom's order: their stale reads are real.
        let mut relaxed = store("t0", "x", "1");
        relaxed.ordering = Some("Relaxed".into());
        let mut trace = numbered(vec![relaxed, load("t1", "x", "0")]);
        assert!(!sc_order(&mut trace));
    }
}
