//! A loom execution shown in an order a sequentially consistent machine
//! could run it in.
//!
//! loom orders two unsynchronised writes to an atomic only as far as
//! happens-before forces it, and lets a load read any write coherence
//! allows; it also runs `SeqCst` as `AcqRel` (tokio-rs/loom#180). So the
//! order loom *ran* the steps in need not be an order a `SeqCst` machine
//! could show with the same values: a thread reads `0` "after" another
//! stored `20`, though on real hardware its load simply came first. Read in
//! loom's order, that timeline says "stale read" where there is none, and
//! hides the lost update that really happened (or blames the wrong store:
//! `Relaxed` stores land in an order of their own).
//!
//! This looks for a total order of the same events in which every atomic
//! read returns the latest write before it: each thread's steps stay in
//! program order, a thread starts after its spawn and ends before its join,
//! condition variables, channels, semaphores and notes keep the order loom
//! ran them in among themselves, and each lock's and each cell's steps keep
//! theirs (steps on different locks or cells commute). The atomic accesses
//! move freely.
//! Such an execution is allowed whatever the orderings (every ordering
//! permits what sequential consistency does), reads the same values and so
//! ends the same way: it is the same bug, shown without the memory model.
//! The search takes the earliest step it can at each point, so a trace that
//! is already such an order comes back as it was. If no such order exists,
//! the execution is weak behaviour (or a loom#180 artefact), and the trace
//! stays as loom ran it, where the stale-read marks explain it.
//!
//! A data race can hide behind a value, too: loom reports one because a
//! load read an *older* write of the value it returned (a flag's initial
//! `0`, not the other thread's `store flag <- 0` that would have ordered the
//! two critical sections), yet read in loom's order the load looks as if it
//! read the latest write, and so seems to synchronise. When no pair of cell
//! accesses is unordered, this looks for an order in which such a load, in
//! the racing thread, comes before the write it seemed to read. If one
//! exists, the race is real on a `SeqCst` machine too, and that order shows
//! it (both threads read `flag == 0` before either set it).

use std::collections::{HashMap, HashSet};

use crate::trace::{Event, Op, Trace};

use super::{hb, last_cell_pair, memory, Why};

/// How many search states to try before giving up (the trace then stays as
/// loom ran it).
const BUDGET: usize = 50_000;

/// Reorders `trace` into a sequentially consistent order of the same steps,
/// if it is not one already and one exists (for a data race: one that still
/// shows the race, or, for a race the values hide, one that shows it);
/// returns whether it did.
pub fn sc_order(trace: &mut Trace, why: Why) -> bool {
    let order = if consistent(trace, &(0..trace.len()).collect::<Vec<_>>()) {
        if why != Why::DataRace {
            return false;
        }
        let Some(order) = hidden_race(trace) else {
            return false;
        };
        order
    } else {
        let Some(order) = Search::new(trace, None).run() else {
            return false;
        };
        // A data race must still show in the order found.
        if why == Why::DataRace && !races(trace, &order) {
            return false;
        }
        order
    };
    let mut events: Vec<Option<Event>> = std::mem::take(trace).into_iter().map(Some).collect();
    for (step, i) in order.into_iter().enumerate() {
        let mut e = events[i].take().expect("each step once");
        e.step = step + 1;
        trace.push(e);
    }
    true
}

/// Whether `trace` is an execution of `SeqCst`-only code that no `SeqCst`
/// machine can run: every atomic access is `SeqCst`, and no order of its
/// steps (as [`sc_order`] searches them) has every read return the latest
/// write. loom reaches such executions because it models `SeqCst` loads and
/// stores as acquire/release (tokio-rs/loom#180); what they show is loom's
/// alone. False when the search gave up before deciding.
pub fn beyond_seq_cst(trace: &Trace) -> bool {
    let atomics = || trace.iter().filter(|e| e.ordering.is_some());
    if atomics().next().is_none()
        || !atomics().all(|e| e.ordering.as_deref() == Some("SeqCst"))
        || consistent(trace, &(0..trace.len()).collect::<Vec<_>>())
    {
        return false;
    }
    // A spin loop's repeated reads add nothing to decide it (and a trace
    // that stopped at the step limit is mostly those): fewer reads can only
    // make an order easier to find, so one that fails without them fails.
    let fewer = without_repeated_reads(trace);
    let mut search = Search::new(&fewer, None);
    search.run().is_none() && search.tried <= BUDGET
}

/// `trace` without each atomic load that reads what the same thread's
/// previous load of that object read, with no write of its own between.
fn without_repeated_reads(trace: &[Event]) -> Vec<Event> {
    let mut last: HashMap<(&str, &str), Option<&str>> = HashMap::new();
    let mut kept = Vec::with_capacity(trace.len());
    for e in trace {
        let key = (e.thread.as_str(), e.target.as_str());
        if atomic(e) && e.read.is_some() && !e.writes() {
            if last.get(&key) == Some(&e.read.as_deref()) {
                continue;
            }
            last.insert(key, e.read.as_deref());
        } else if e.writes() {
            last.remove(&key);
        }
        kept.push(e.clone());
    }
    kept
}

/// For a data race that happens-before, reading each load from the latest
/// write of its value, cannot show: an order in which a load of the racing
/// thread comes before the write it seemed to read (a write the first racing
/// access happens before), so it reads an older write of the same value.
fn hidden_race(trace: &[Event]) -> Option<Vec<usize>> {
    let hb = hb::compute(trace);
    if memory::race(trace, &hb).is_some() {
        return None;
    }
    let (a, b) = last_cell_pair(trace)?;
    (0..b)
        .rev()
        .filter(|&r| {
            let e = &trace[r];
            e.thread == trace[b].thread && atomic(e) && e.read.is_some() && !e.op.writes()
        })
        .find_map(|r| {
            let w = hb::read_from(trace, r)?;
            if !hb.ordered(a, w) {
                return None;
            }
            Search::new(trace, Some((r, w))).run()
        })
}

/// Whether `trace`, put in `order`, shows two cell accesses nothing orders.
fn races(trace: &[Event], order: &[usize]) -> bool {
    let reordered: Vec<Event> = order.iter().map(|&i| trace[i].clone()).collect();
    memory::race(&reordered, &hb::compute(&reordered)).is_some()
}

/// A step whose place matters only among the steps on its own object: a
/// lock's (not one a wake-up took back: that follows its notify) or a
/// cell's.
fn local(e: &Event) -> bool {
    matches!(
        e.op,
        Op::Lock | Op::Unlock | Op::TryLockFailed | Op::ReadLock | Op::ReadUnlock | Op::CellRead | Op::CellWrite
    ) && !e.value.as_deref().is_some_and(|v| v.contains("(woken)"))
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
    /// The non-atomic steps in the order loom ran them: chain 0 holds every
    /// step that must keep its place among all others (a wait, a notify, a
    /// send...), each other chain the steps on one lock or cell.
    chains: Vec<Vec<usize>>,
    /// For each step, the chains it is in (none for an atomic access).
    member: Vec<Vec<usize>>,
    /// For each thread, the step that spawned it.
    spawn: Vec<Option<usize>>,
    /// For each atomic object, the value its first read saw before any write.
    initial: HashMap<&'a str, &'a str>,
    /// A read that must come before a write (it read an older write).
    before: Option<(usize, usize)>,
    failed: HashSet<Key<'a>>,
    tried: usize,
}

impl<'a> Search<'a> {
    fn new(trace: &'a [Event], before: Option<(usize, usize)>) -> Self {
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
        let mut chains: Vec<Vec<usize>> = vec![Vec::new()];
        let mut objects: Vec<&str> = Vec::new();
        let mut member = vec![Vec::new(); trace.len()];
        for (i, e) in trace.iter().enumerate() {
            if atomic(e) {
                continue;
            }
            if !local(e) {
                chains[0].push(i);
                member[i].push(0);
            }
            if !e.target.is_empty() {
                let c = match objects.iter().position(|o| *o == e.target) {
                    Some(k) => k + 1,
                    None => {
                        objects.push(&e.target);
                        chains.push(Vec::new());
                        objects.len()
                    }
                };
                chains[c].push(i);
                member[i].push(c);
            }
        }
        Search {
            trace,
            threads,
            chains,
            member,
            spawn,
            initial,
            before,
            failed: HashSet::new(),
            tried: 0,
        }
    }

    /// A depth-first search, iterative (it runs inside a model's thread,
    /// whose stack is small), trying at each point the thread whose next
    /// step loom ran first.
    fn run(&mut self) -> Option<Vec<usize>> {
        let n = self.trace.len();
        let mut state = State {
            at: vec![0; self.threads.len()],
            chain_at: vec![0; self.chains.len()],
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
            frame.applied = Some(Undo::apply(self, t, &mut state));
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
        let key = (state.at.clone(), snapshot);
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
        let (at, chain_at, placed, value) = (&state.at, &state.chain_at, &state.placed, &state.value);
        let i = self.threads[t][at[t]];
        let e = &self.trace[i];
        if self.spawn[t].is_some_and(|s| !placed[s]) || self.before.is_some_and(|(r, w)| w == i && !placed[r]) {
            return false;
        }
        if !atomic(e) {
            if self.member[i]
                .iter()
                .any(|&c| self.chains[c].get(chain_at[c]) != Some(&i))
            {
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
                // Before any write: the initial value, if a read saw it;
                // else a value no write of the trace wrote (one that some
                // write did came from that write).
                None => match self.initial.get(e.target.as_str()) {
                    Some(v) => *v == read,
                    None => !self
                        .trace
                        .iter()
                        .any(|w| w.target == e.target && w.wrote.as_deref() == Some(read)),
                },
            },
        }
    }
}

/// (Each chain's next step follows from the threads' next steps.)
type Key<'a> = (Vec<usize>, Vec<(&'a str, &'a str)>);

/// Where the search stands: each thread's next step, each chain's next
/// step, what is placed, each atomic's value, and the order so far.
struct State<'a> {
    at: Vec<usize>,
    chain_at: Vec<usize>,
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
    chained: Vec<usize>,
}

impl<'a> Undo<'a> {
    fn apply(search: &Search<'a>, t: usize, state: &mut State<'a>) -> Self {
        let i = search.threads[t][state.at[t]];
        let e = &search.trace[i];
        let wrote = match (atomic(e), e.wrote.as_deref()) {
            (true, Some(w)) => Some((e.target.as_str(), state.value.insert(e.target.as_str(), w))),
            _ => None,
        };
        let chained = search.member[i].clone();
        for &c in &chained {
            state.chain_at[c] += 1;
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
        for &c in &self.chained {
            state.chain_at[c] -= 1;
        }
        if let Some((target, before)) = self.wrote {
            match before {
                Some(v) => state.value.insert(target, v),
                None => state.value.remove(target),
            };
        }
    }
}
