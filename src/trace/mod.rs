//! The per-execution event log, and the timeline drawn from it.
//!
//! Under a model backend every facade operation calls [`record`]: the step,
//! the thread, the operation, its target and the value read or written. loom
//! and shuttle run one model thread at a time on one OS thread, so the order in
//! which events arrive here *is* the interleaving. On hardware nothing is
//! recorded: real threads run at once and a log would change what it measures.

mod explain;
mod record;
mod render;

pub use explain::{beyond_seq_cst, clarity, explain, preemptions, sc_order, still_progressing, Why};
#[cfg(feature = "loom")]
pub(crate) use record::yield_turn;
pub(crate) use record::yielded;
pub(crate) use record::{
    blocked_op, busy, finish, fold, freeze, handed_over_by_join, next_thread_name, record, record_access,
    record_atomic, set_heartbeat, start, waiting, Folded,
};
pub use record::{is_recording, note, BlindSpots};
pub use render::{render_timeline, RenderOptions};

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
    /// A name, kept for the rest of the process: each distinct name is
    /// stored once, so names built at run time (`format!("fork{i}")`) cost
    /// one allocation each however many executions make them.
    pub fn name(name: impl AsRef<str>) -> Self {
        use std::collections::HashSet;
        use std::sync::{Mutex, OnceLock};
        static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
        let name = name.as_ref();
        let mut names = NAMES
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let kept = match names.get(name) {
            Some(n) => *n,
            None => {
                let n: &'static str = Box::leak(name.to_owned().into_boxed_str());
                names.insert(n);
                n
            }
        };
        Target::Name(kept)
    }

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
    FetchMax,
    FetchMin,
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
    /// A thread arriving at a barrier (`(k of n)`), or let through it
    /// (`(released)`).
    Arrive,
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
            Op::FetchMax => "fetch_max",
            Op::FetchMin => "fetch_min",
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
            Op::Arrive => "arrive",
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
                    | Op::FetchMax
                    | Op::FetchMin
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
    /// A wait whose wake-up came before it (a notify before the wait), or
    /// went to another waiter.
    LostWakeup,
    /// Steps that ran in an order nothing enforced, where the outcome
    /// depends on it: a read before the write it needed, a semaphore
    /// released by a thread that never acquired it, another thread's whole
    /// update landing between two of this thread's steps.
    OrderViolation,
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
            MarkKind::OrderViolation => "order violation",
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
    /// The thread yielded (`yield_now`, a spin loop's hint) after this step,
    /// before its next: a switch to another thread here was its own doing,
    /// not a preemption.
    #[serde(skip)]
    pub yielded: bool,
    /// Where in the scenario's source the operation was called
    /// (`file:line:column`), where the facade knows it (atomics and
    /// cells): two reads at one place are a loop polling, at two places a
    /// check and its use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
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

    /// Whether `self` and `other` ran the same call in the source (a loop
    /// polling), `None` where a location is unknown.
    pub fn same_call(&self, other: &Event) -> Option<bool> {
        Some(self.at.as_ref()? == other.at.as_ref()?)
    }

    /// A semaphore `acquire` that took a permit (a `try_acquire` that found
    /// none says `failed`).
    pub fn took_permit(&self) -> bool {
        self.op == Op::Acquire && !self.value.as_deref().is_some_and(|v| v.starts_with("failed"))
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
