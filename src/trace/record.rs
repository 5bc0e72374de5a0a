//! Recording one model execution: each facade operation becomes an event,
//! and the recorder also notes whether threads shared anything the model
//! could see, who is blocked on what, and what a model may not check.

use std::cell::RefCell;
use std::panic::Location;
use std::sync::{atomic::AtomicU64, Arc};

use super::{Event, Op, Target, Trace};

/// At most this many events are kept per execution; a runaway spin loop
/// stops being recorded, not the machine.
const MAX_EVENTS: usize = 10_000;

/// What one model execution has recorded so far.
#[derive(Default)]
struct Recorder {
    /// Whether to keep events (timelines); sharing is tracked either way.
    keep: bool,
    events: Trace,
    /// Each modelled object touched so far, and the first thread that did.
    touched: Vec<(Target, String)>,
    /// Whether two threads touched one modelled object, or a thread handed
    /// a value to another through `join`.
    shared: bool,
    /// Threads blocked right now, and on what: (thread, operation, target).
    waiting: Vec<(String, Op, String)>,
    /// Threads spawned without a name so far.
    unnamed: usize,
    /// Set by the first panic: the execution is over, whatever its
    /// destructors still do while the model tears it down.
    frozen: bool,
    /// Each cell touched so far, and the first thread that did.
    cells: Vec<(Target, String)>,
    /// What a backend that runs every atomic as `SeqCst` and checks no
    /// cell (shuttle) could not see in this execution.
    blind: BlindSpots,
    /// Model threads inside a primitive that records itself as one step
    /// (a semaphore's `acquire`): the locks and waits it is made of are not
    /// recorded. Per model thread, not per OS thread: every model thread
    /// runs on the one OS thread, and may be switched out inside.
    folded: Vec<String>,
    /// Each thread's yields (`yield_now`, `spin_loop`) since its last
    /// recorded step.
    spins: Vec<(String, usize)>,
    /// Each thread's yields so far in this execution (see [`yield_turn`]).
    #[cfg(feature = "loom")]
    turns: Vec<(String, usize)>,
    /// Each thread's last recorded step (an index into `events`).
    last: Vec<(String, usize)>,
}

/// What the execution did that a model may not check: two threads on one
/// `UnsafeCell` (only loom detects data races), and atomics weaker than
/// `SeqCst` (shuttle runs them all as `SeqCst`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BlindSpots {
    pub cells_shared: bool,
    pub weak_orderings: bool,
}

std::thread_local! {
    static RECORDER: RefCell<Option<Recorder>> = const { RefCell::new(None) };
    static HEARTBEAT: RefCell<Option<Arc<AtomicU64>>> = const { RefCell::new(None) };
}

/// Counts, into `beats`, every operation the model sees on this OS thread
/// (a model runs all its threads on the one that explores), so a watchdog
/// on another thread can tell an exploration that goes on from one stuck in
/// code the model cannot see. `None` stops counting.
pub(crate) fn set_heartbeat(beats: Option<Arc<AtomicU64>>) {
    HEARTBEAT.with(|h| *h.borrow_mut() = beats);
}

/// One operation seen: the count goes up by two (its lowest bit says
/// whether the explorer is busy with its own work, see [`busy`]).
fn beat() {
    HEARTBEAT.with(|h| {
        if let Some(beats) = h.borrow().as_ref() {
            beats.fetch_add(2, std::sync::atomic::Ordering::Relaxed);
        }
    });
}

/// While the returned guard lives, the explorer is busy with its own work
/// (explaining a long failing trace), not stuck in the user's code: the
/// heartbeat's lowest bit is set, and a watchdog counts that as progress.
pub(crate) fn busy() -> Busy {
    HEARTBEAT.with(|h| {
        if let Some(beats) = h.borrow().as_ref() {
            beats.fetch_or(1, std::sync::atomic::Ordering::Relaxed);
        }
    });
    Busy(())
}

/// See [`busy`].
pub(crate) struct Busy(());

impl Drop for Busy {
    fn drop(&mut self) {
        HEARTBEAT.with(|h| {
            if let Ok(h) = h.try_borrow() {
                if let Some(beats) = h.as_ref() {
                    beats.fetch_and(!1, std::sync::atomic::Ordering::Relaxed);
                }
            }
        });
    }
}

/// Starts recording a fresh execution on this OS thread: its events when
/// `keep_events` (for timelines), and in any case whether its threads shared
/// anything the model could see.
pub(crate) fn start(keep_events: bool) {
    beat();
    RECORDER.with(|r| {
        *r.borrow_mut() = Some(Recorder {
            keep: keep_events,
            ..Recorder::default()
        })
    });
}

/// What one finished execution recorded.
pub(crate) struct Finished {
    /// Its events (empty unless they were kept).
    pub(crate) trace: Trace,
    /// Whether two of its threads touched one modelled object (a facade
    /// atomic, lock, cell, channel...), or a thread handed a value to
    /// another through `join`. An execution that shared nothing the model
    /// could see proves nothing about sharing: the code used types the
    /// model does not see (`std::sync`, `parking_lot`...), or none at all.
    pub(crate) shared: bool,
    /// What a model that checks no cell and no weak ordering missed.
    pub(crate) blind: BlindSpots,
}

/// Stops recording and returns what was recorded. When `stuck` (the
/// execution deadlocked or was cut off), every thread still waiting gets a
/// final `blocked on` line, so the timeline shows who waits for what.
pub(crate) fn finish(stuck: bool) -> Finished {
    let Some(mut rec) = RECORDER.with(|r| r.borrow_mut().take()) else {
        return Finished {
            trace: Trace::new(),
            shared: false,
            blind: BlindSpots::default(),
        };
    };
    if stuck {
        // A thread still spinning when the execution was stopped shows it:
        // its yields are not steps, but a reader (and the livelock rules)
        // must see that it kept going.
        for (thread, n) in std::mem::take(&mut rec.spins) {
            if n == 0 || rec.waiting.iter().any(|(t, _, _)| *t == thread) || rec.events.len() >= MAX_EVENTS {
                continue;
            }
            let step = rec.events.len() + 1;
            rec.events.push(Event {
                step,
                thread,
                op: Op::Yield,
                target: String::new(),
                value: Some(format!("(spinning: {n} yields since its last step)")),
                mark: None,
                mark_kind: None,
                ordering: None,
                read: None,
                wrote: None,
                yielded: false,
                at: None,
            });
        }
        for (thread, op, target) in std::mem::take(&mut rec.waiting) {
            let step = rec.events.len() + 1;
            rec.events.push(Event {
                step,
                thread,
                op: Op::Blocked,
                target,
                value: Some(waits_for(op).to_owned()),
                mark: None,
                mark_kind: None,
                ordering: None,
                read: None,
                wrote: None,
                yielded: false,
                at: None,
            });
        }
    }
    if !rec.keep {
        rec.events.clear();
    }
    Finished {
        trace: rec.events,
        shared: rec.shared,
        blind: rec.blind,
    }
}

/// Notes that a value crossed from one thread to another through `join`
/// (a joined thread's result), which counts as sharing.
pub(crate) fn handed_over_by_join() {
    RECORDER.with(|r| {
        if let Some(rec) = r.borrow_mut().as_mut() {
            rec.shared = true;
        }
    });
}

/// Whether `op` touches the object it names (so two threads doing it to one
/// object share it); spawns, joins, awaits, yields and notes do not.
fn touches_object(op: Op) -> bool {
    !matches!(
        op,
        Op::Spawn | Op::Join | Op::Await | Op::Yield | Op::Note | Op::Fence | Op::Blocked
    )
}

/// A name for a thread spawned without one: `t1`, `t2`, ... in spawn order,
/// so the same schedule always draws the same columns.
pub(crate) fn next_thread_name() -> String {
    RECORDER.with(|r| match r.borrow_mut().as_mut() {
        Some(rec) => {
            rec.unnamed += 1;
            format!("t{}", rec.unnamed)
        }
        None => "thread".to_owned(),
    })
}

/// The operation a `blocked on` line's thread is blocked in (read back from
/// the words [`waits_for`] gave it).
pub(crate) fn blocked_op(e: &Event) -> Option<Op> {
    if e.op != Op::Blocked {
        return None;
    }
    let words = e.value.as_deref()?;
    [
        Op::Lock,
        Op::ReadLock,
        Op::Join,
        Op::Wait,
        Op::Recv,
        Op::Send,
        Op::Acquire,
        Op::Arrive,
    ]
    .into_iter()
    .find(|op| waits_for(*op) == words)
}

/// What a thread blocked in `op` waits for, in words.
pub(crate) fn waits_for(op: Op) -> &'static str {
    match op {
        Op::Lock => "(waits for the lock)",
        Op::ReadLock => "(waits to read)",
        Op::Join => "(waits for it to finish)",
        Op::Wait => "(waits to be notified)",
        Op::Recv => "(waits for a message)",
        Op::Send => "(waits for room)",
        Op::Acquire => "(waits for a permit)",
        Op::Arrive => "(waits for the others to arrive)",
        _ => "(waits)",
    }
}

/// Notes that the current model thread is about to block on `target`; the
/// wait ends with the next event the thread records.
pub(crate) fn waiting(op: Op, target: impl std::fmt::Display) {
    if !can_record() {
        return;
    }
    let thread = crate::sync::thread::current_name();
    RECORDER.with(|r| {
        if let Some(rec) = r.borrow_mut().as_mut() {
            rec.waiting.retain(|(t, _, _)| *t != thread);
            rec.waiting.push((thread, op, target.to_string()));
        }
    });
}

/// Whether this OS thread is recording a timeline (it is, inside a model
/// execution, unless recording was turned off).
pub fn is_recording() -> bool {
    RECORDER.with(|r| r.borrow().as_ref().is_some_and(|rec| rec.keep))
}

/// Whether an event can be recorded now: something is recording, and a
/// model thread is running. Not while a failed execution unwinds (guards
/// dropped then would ask a torn-down model for the thread's name).
fn can_record() -> bool {
    let live = RECORDER.with(|r| r.borrow().as_ref().is_some_and(|rec| !rec.frozen));
    live && !std::thread::panicking() && crate::sync::thread::in_model_thread()
}

/// Whether the current model thread's yield should really give the
/// processor up under loom: every other one does. loom does not run a
/// thread that yielded again until another thread has reached its next
/// branch point, so a spinner that yields on every turn could never retry
/// twice in a row while another thread sits between two of its own steps:
/// a lock taken twice (a compare-exchange whose `expected` was left as the
/// failure found it) would go unseen. Counted per execution, so every
/// replay of a schedule makes the same choices.
#[cfg(feature = "loom")]
pub(crate) fn yield_turn() -> bool {
    let thread = crate::sync::thread::current_name();
    RECORDER.with(|r| match r.borrow_mut().as_mut() {
        Some(rec) => {
            let turns = match rec.turns.iter_mut().find(|(t, _)| *t == thread) {
                Some((_, n)) => n,
                None => {
                    rec.turns.push((thread, 0));
                    &mut rec.turns.last_mut().expect("just pushed").1
                }
            };
            *turns += 1;
            *turns % 2 == 0
        }
        None => true,
    })
}

/// Counts a yield of the current model thread (a spin loop's turn): not a
/// step, but a stopped execution shows who was still spinning.
pub(crate) fn yielded() {
    beat();
    if !can_record() {
        return;
    }
    let thread = crate::sync::thread::current_name();
    RECORDER.with(|r| {
        if let Some(rec) = r.borrow_mut().as_mut() {
            if let Some(&(_, i)) = rec.last.iter().find(|(t, _)| *t == thread) {
                if let Some(e) = rec.events.get_mut(i) {
                    e.yielded = true;
                }
            }
            match rec.spins.iter_mut().find(|(t, _)| *t == thread) {
                Some((_, n)) => *n += 1,
                None => rec.spins.push((thread, 1)),
            }
        }
    });
}

/// Ends the recording of the current execution at its first panic: what
/// runs after it is the model tearing the execution down.
pub(crate) fn freeze() {
    RECORDER.with(|r| {
        if let Some(rec) = r.borrow_mut().as_mut() {
            rec.frozen = true;
        }
    });
}

/// Records one operation of the current model thread. A no-op when nothing
/// is recording.
#[track_caller]
pub(crate) fn record(op: Op, target: Target, value: Option<String>) {
    record_access(op, target, value, None, None);
}

/// Records one operation that read and/or wrote a value.
#[track_caller]
pub(crate) fn record_access(
    op: Op,
    target: Target,
    value: Option<String>,
    read: Option<String>,
    wrote: Option<String>,
) {
    record_event(op, target, value, read, wrote, None, caller());
}

/// Records one atomic access, with the memory ordering that applied to it
/// (for a compare-exchange, the success or the failure ordering, whichever
/// the outcome used).
#[track_caller]
pub(crate) fn record_atomic(
    op: Op,
    target: Target,
    value: Option<String>,
    read: Option<String>,
    wrote: Option<String>,
    ordering: std::sync::atomic::Ordering,
) {
    record_event(op, target, value, read, wrote, Some(ordering), caller());
}

/// Where in the scenario's source the operation being recorded was called
/// (`file:line`), if the facade passed its caller's location all the way
/// down (`#[track_caller]`): a location inside the facade itself says
/// nothing about the user's code, and is dropped.
#[track_caller]
fn caller() -> &'static Location<'static> {
    Location::caller()
}

/// `at` as `file:line`, unless it lies in the facade.
fn source_line(at: &Location<'_>) -> Option<String> {
    // This file is `<crate>/src/trace/record.rs`; the facade is `<crate>/src/sync/`.
    let facade = file!().strip_suffix("trace/record.rs").map(|src| format!("{src}sync/"));
    if facade.is_some_and(|f| at.file().starts_with(&f)) {
        return None;
    }
    Some(format!("{}:{}:{}", at.file(), at.line(), at.column()))
}

fn record_event(
    op: Op,
    target: Target,
    value: Option<String>,
    read: Option<String>,
    wrote: Option<String>,
    ordering: Option<std::sync::atomic::Ordering>,
    called: &'static Location<'static>,
) {
    beat();
    if !can_record() {
        return;
    }
    let thread = crate::sync::thread::current_name();
    RECORDER.with(|r| {
        if let Some(rec) = r.borrow_mut().as_mut() {
            rec.waiting.retain(|(t, _, _)| *t != thread);
            rec.spins.retain(|(t, _)| *t != thread);
            let folded = rec.folded.contains(&thread);
            if ordering.is_some_and(|o| o != std::sync::atomic::Ordering::SeqCst) {
                rec.blind.weak_orderings = true;
            }
            if !rec.blind.cells_shared && matches!(op, Op::CellRead | Op::CellWrite) {
                match rec.cells.iter().find(|(t, _)| *t == target) {
                    Some((_, first)) => rec.blind.cells_shared = *first != thread,
                    None => rec.cells.push((target, thread.clone())),
                }
            }
            if !rec.shared && target != Target::None && touches_object(op) {
                match rec.touched.iter().find(|(t, _)| *t == target) {
                    Some((_, first)) => rec.shared = *first != thread,
                    None => rec.touched.push((target, thread.clone())),
                }
            }
            if !rec.keep || folded {
                return;
            }
            let at = rec.events.len();
            match rec.last.iter_mut().find(|(t, _)| *t == thread) {
                Some((_, i)) => *i = at,
                None => rec.last.push((thread.clone(), at)),
            }
            let events = &mut rec.events;
            if events.len() < MAX_EVENTS {
                events.push(Event {
                    step: events.len() + 1,
                    thread,
                    op,
                    target: target.to_string(),
                    value,
                    mark: None,
                    mark_kind: None,
                    ordering: ordering.map(|o| format!("{o:?}")),
                    read,
                    wrote,
                    yielded: false,
                    at: source_line(called),
                });
            }
        }
    });
}

/// While the returned guard lives, the current model thread's operations
/// are not recorded as steps (they still count as sharing, and a thread
/// that blocks still shows as blocked): a primitive built from others
/// (a semaphore from a lock and a condvar) records itself as one step.
pub(crate) fn fold() -> Folded {
    let thread = crate::sync::thread::current_name();
    RECORDER.with(|r| {
        if let Some(rec) = r.borrow_mut().as_mut() {
            rec.folded.push(thread.clone());
        }
    });
    Folded(thread)
}

/// See [`fold`].
pub(crate) struct Folded(String);

impl Drop for Folded {
    fn drop(&mut self) {
        RECORDER.with(|r| {
            if let Ok(mut r) = r.try_borrow_mut() {
                if let Some(rec) = r.as_mut() {
                    if let Some(k) = rec.folded.iter().rposition(|t| *t == self.0) {
                        rec.folded.remove(k);
                    }
                }
            }
        });
    }
}

/// Adds an explanatory line to the timeline of the running model execution
/// (nothing happens on hardware).
pub fn note(text: impl Into<String>) {
    if is_recording() {
        record(Op::Note, Target::None, Some(text.into()));
    }
}
