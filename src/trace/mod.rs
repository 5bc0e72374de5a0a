//! The per-execution event log, and the timeline drawn from it.
//!
//! Under a model backend every facade operation calls [`record`]: the step,
//! the thread, the operation, its target and the value read or written. loom
//! and shuttle run one model thread at a time on one OS thread, so the order in
//! which events arrive here *is* the interleaving. On hardware nothing is
//! recorded: real threads run at once and a log would change what it measures.

mod explain;
mod render;

pub use explain::{clarity, explain, preemptions, Why};
pub use render::{render_timeline, RenderOptions};

use std::cell::RefCell;
use std::fmt;
use std::panic::Location;

use serde::{Deserialize, Serialize};

/// What an operation acted on: a name given at construction, or the source
/// location that constructed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A name given with `.named("counter")`.
    Name(&'static str),
    /// Where the object was created (`#[track_caller]`).
    Location(&'static Location<'static>),
    /// Not tied to one object (a fence, a yield).
    None,
}

impl Target {
    /// The caller's location, for constructors.
    #[track_caller]
    pub fn caller() -> Self {
        Target::Location(Location::caller())
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Name(name) => f.write_str(name),
            Target::Location(loc) => {
                let file = loc.file().rsplit(['/', '\\']).next().unwrap_or(loc.file());
                write!(f, "{file}:{}", loc.line())
            }
            Target::None => Ok(()),
        }
    }
}

/// The kinds of operation the facade records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Load,
    Store,
    Swap,
    FetchAdd,
    FetchSub,
    FetchAnd,
    FetchOr,
    FetchXor,
    FetchUpdate,
    CompareExchange,
    CompareExchangeFailed,
    Fence,
    Lock,
    Unlock,
    TryLockFailed,
    ReadLock,
    ReadUnlock,
    Wait,
    Notify,
    Spawn,
    Join,
    Send,
    Recv,
    /// A semaphore permit taken.
    Acquire,
    /// A semaphore permit given back.
    Release,
    CellRead,
    CellWrite,
    Yield,
    /// An async task suspends at an `.await` (a scheduling point).
    Await,
    /// A thread that waits forever: appended when an execution deadlocks.
    Blocked,
    /// A line the scenario adds to explain itself.
    Note,
}

impl Op {
    /// The word shown in a timeline.
    pub fn word(self) -> &'static str {
        match self {
            Op::Load => "load",
            Op::Store => "store",
            Op::Swap => "swap",
            Op::FetchAdd => "fetch_add",
            Op::FetchSub => "fetch_sub",
            Op::FetchAnd => "fetch_and",
            Op::FetchOr => "fetch_or",
            Op::FetchXor => "fetch_xor",
            Op::FetchUpdate => "fetch_update",
            Op::CompareExchange => "cas",
            Op::CompareExchangeFailed => "cas failed",
            Op::Fence => "fence",
            Op::Lock => "lock",
            Op::Unlock => "unlock",
            Op::TryLockFailed => "try_lock failed",
            Op::ReadLock => "read lock",
            Op::ReadUnlock => "read unlock",
            Op::Wait => "wait",
            Op::Notify => "notify",
            Op::Spawn => "spawn",
            Op::Join => "join",
            Op::Send => "send",
            Op::Recv => "recv",
            Op::Acquire => "acquire",
            Op::Release => "release",
            Op::CellRead => "read",
            Op::CellWrite => "write",
            Op::Yield => "yield",
            Op::Await => "await",
            Op::Blocked => "blocked on",
            Op::Note => "note",
        }
    }

    /// Reads the target's value without writing it in the same step.
    pub fn is_plain_read(self) -> bool {
        matches!(self, Op::Load | Op::CellRead | Op::CompareExchangeFailed)
    }

    /// Writes a value computed from an earlier, separate read (if any).
    pub fn is_plain_write(self) -> bool {
        matches!(self, Op::Store | Op::CellWrite)
    }

    /// Writes the target (plainly, or as one atomic read-modify-write).
    pub fn writes(self) -> bool {
        self.is_plain_write()
            || matches!(
                self,
                Op::Swap
                    | Op::FetchAdd
                    | Op::FetchSub
                    | Op::FetchAnd
                    | Op::FetchOr
                    | Op::FetchXor
                    | Op::FetchUpdate
                    | Op::CompareExchange
            )
    }
}

/// What kind of explanation a mark on a timeline gives. Every mark is
/// derived from the trace by a general rule (see `trace::explain`), never from a
/// scenario's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkKind {
    /// A write computed from this thread's earlier read of the same object,
    /// with another thread's write in between: that write is lost.
    LostUpdate,
    /// An act (a write, here or elsewhere) on a check that another thread
    /// changed, or acted on too, after the check.
    StaleCheck,
    /// A compare-exchange that succeeds because the value changed and then
    /// changed back since this thread read it.
    Aba,
    /// A read of a value other than the latest write, which the memory
    /// model allows because nothing orders that write before the read.
    StaleRead,
    /// An atomic access whose memory ordering does not synchronise with the
    /// access it pairs with (a `Relaxed` load of a `Release` store...).
    NoSync,
    /// Two conflicting accesses (one a write) that nothing orders.
    DataRace,
    /// Two accesses a thread meant as one (a write and its read-back, two
    /// halves of a snapshot), split by another thread's write.
    AtomicityViolation,
    /// A thread blocked for ever: part of a wait-for cycle, or waiting for
    /// something no thread that can still run will do.
    Deadlock,
    /// A wait whose wake-up came before it (a notify before the wait).
    LostWakeup,
}

impl MarkKind {
    /// The kind in a few words, as reports print it.
    pub fn words(self) -> &'static str {
        match self {
            MarkKind::LostUpdate => "lost update",
            MarkKind::StaleCheck => "act on a stale check",
            MarkKind::Aba => "ABA",
            MarkKind::StaleRead => "stale read",
            MarkKind::NoSync => "no synchronisation",
            MarkKind::DataRace => "data race",
            MarkKind::AtomicityViolation => "atomicity violation",
            MarkKind::Deadlock => "deadlock",
            MarkKind::LostWakeup => "lost wake-up",
        }
    }
}

/// One recorded operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// 1-based position in the execution.
    pub step: usize,
    /// The thread's name (`main` for the scenario's own thread).
    pub thread: String,
    pub op: Op,
    /// The object, by name or by source location.
    pub target: String,
    /// The value read, written or sent, where there is one.
    pub value: Option<String>,
    /// Why this line matters (for example, which update it overwrote).
    pub mark: Option<String>,
    /// What kind of explanation `mark` gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark_kind: Option<MarkKind>,
    /// An atomic access's memory ordering (`Relaxed`, `Acquire`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordering: Option<String>,
    /// The value the operation read, if it read one (for analysis).
    #[serde(skip)]
    pub read: Option<String>,
    /// The value the operation wrote, if it wrote one (for analysis).
    #[serde(skip)]
    pub wrote: Option<String>,
}

impl Event {
    /// Read the target's value (a load, a cell read, a traced lock).
    pub fn reads(&self) -> bool {
        self.op.is_plain_read() || self.read.is_some()
    }

    /// Read the target without writing it in the same step (a check).
    pub fn only_reads(&self) -> bool {
        self.reads() && !self.writes()
    }

    /// Wrote the target (plainly, atomically, or under a traced lock).
    pub fn writes(&self) -> bool {
        self.op.writes() || self.wrote.is_some()
    }

    /// Wrote a value computed from an earlier, separate read: a store, a
    /// cell write, or an unlock after a critical section that wrote the
    /// value without reading it. (A section that read and wrote it is one
    /// read-modify-write under the lock.)
    pub fn is_plain_write(&self) -> bool {
        self.op.is_plain_write() || (self.wrote.is_some() && !self.op.writes() && self.read.is_none())
    }

    /// Ends a critical section (an unlock, or a condvar wait releasing the
    /// lock); `read` is set if the section read the value, `wrote` if it
    /// wrote it.
    pub fn ends_section(&self) -> bool {
        matches!(self.op, Op::Unlock | Op::Wait)
    }
}

/// One recorded execution.
pub type Trace = Vec<Event>;

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
}

/// Starts recording a fresh execution on this OS thread: its events when
/// `keep_events` (for timelines), and in any case whether its threads shared
/// anything the model could see.
pub(crate) fn start(keep_events: bool) {
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
pub(crate) fn record(op: Op, target: Target, value: Option<String>) {
    record_access(op, target, value, None, None);
}

/// Records one operation that read and/or wrote a value.
pub(crate) fn record_access(
    op: Op,
    target: Target,
    value: Option<String>,
    read: Option<String>,
    wrote: Option<String>,
) {
    record_event(op, target, value, read, wrote, None);
}

/// Records one atomic access, with the memory ordering that applied to it
/// (for a compare-exchange, the success or the failure ordering, whichever
/// the outcome used).
pub(crate) fn record_atomic(
    op: Op,
    target: Target,
    value: Option<String>,
    read: Option<String>,
    wrote: Option<String>,
    ordering: std::sync::atomic::Ordering,
) {
    record_event(op, target, value, read, wrote, Some(ordering));
}

fn record_event(
    op: Op,
    target: Target,
    value: Option<String>,
    read: Option<String>,
    wrote: Option<String>,
    ordering: Option<std::sync::atomic::Ordering>,
) {
    if !can_record() {
        return;
    }
    let thread = crate::sync::thread::current_name();
    RECORDER.with(|r| {
        if let Some(rec) = r.borrow_mut().as_mut() {
            rec.waiting.retain(|(t, _, _)| *t != thread);
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
            if !rec.keep {
                return;
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
                });
            }
        }
    });
}

/// Adds an explanatory line to the timeline of the running model execution
/// (nothing happens on hardware).
pub fn note(text: impl Into<String>) {
    if is_recording() {
        record(Op::Note, Target::None, Some(text.into()));
    }
}
