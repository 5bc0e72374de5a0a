//! Multi-producer, single-consumer channels, unbounded ([`channel`]) and
//! bounded ([`sync_channel`]), on whichever backend is current.
//!
//! Shows: `send`, `recv` and, for a bounded channel, a sender blocked on a
//! full channel, each recorded under the model backends against the
//! channel's name ([`channel_named`], [`sync_channel_named`]) or, unnamed,
//! the line that created it.
//!
//! Cost: one branch per operation on hardware. loom has no bounded channel,
//! and its unbounded one never tells a receiver that every sender is gone
//! (a `recv` loop that ends on disconnection would look deadlocked), so
//! under loom both kinds are built from the facade's own mutex and condvars
//! (`mpsc/bounded.rs`; unbounded is a bound no queue reaches); a timeline
//! shows each `send` and `recv` as one step all the same.

#[cfg(feature = "loom")]
mod bounded;

pub use std::sync::mpsc::{RecvError, SendError, TryRecvError, TrySendError};

use super::backend::{self, dispatch, Backend};
use crate::trace::{self, Op, Target};

/// Creates a channel on the current backend, named in timelines by the line
/// that calls this.
#[track_caller]
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    make_channel(Target::caller())
}

/// Creates a channel on the current backend whose sends and receives
/// timelines show against `name`.
pub fn channel_named<T>(name: impl AsRef<str>) -> (Sender<T>, Receiver<T>) {
    make_channel(Target::name(name))
}

fn make_channel<T>(target: Target) -> (Sender<T>, Receiver<T>) {
    let (tx, rx) = match backend::current() {
        Backend::Hardware => {
            let (tx, rx) = std::sync::mpsc::channel();
            (TxInner::Std(tx), RxInner::Std(rx))
        }
        #[cfg(feature = "shuttle")]
        Backend::Shuttle => {
            let (tx, rx) = shuttle::sync::mpsc::channel();
            (TxInner::Shuttle(tx), RxInner::Shuttle(rx))
        }
        #[cfg(feature = "loom")]
        Backend::Loom => {
            let (tx, rx) = bounded::channel(usize::MAX, target);
            (TxInner::Loom(tx), RxInner::Bounded(rx))
        }
        #[allow(unreachable_patterns)]
        other => unreachable!("backend {other} is not in this build"),
    };
    (Sender { inner: tx, target }, Receiver { inner: rx, target })
}

/// Creates a bounded channel on the current backend: `send` blocks while
/// `bound` messages wait (with `bound == 0`, until the receiver takes the
/// message). Named in timelines by the line that calls this.
#[track_caller]
pub fn sync_channel<T>(bound: usize) -> (SyncSender<T>, Receiver<T>) {
    make_sync_channel(bound, Target::caller())
}

/// [`sync_channel`], shown in timelines as `name`.
#[track_caller]
pub fn sync_channel_named<T>(name: impl AsRef<str>, bound: usize) -> (SyncSender<T>, Receiver<T>) {
    make_sync_channel(bound, Target::name(name))
}

#[track_caller]
fn make_sync_channel<T>(bound: usize, target: Target) -> (SyncSender<T>, Receiver<T>) {
    let (tx, rx) = match backend::current() {
        Backend::Hardware => {
            let (tx, rx) = std::sync::mpsc::sync_channel(bound);
            (SyncTxInner::Std(tx), RxInner::Std(rx))
        }
        #[cfg(feature = "shuttle")]
        Backend::Shuttle => {
            let (tx, rx) = shuttle::sync::mpsc::sync_channel(bound);
            (SyncTxInner::Shuttle(tx), RxInner::Shuttle(rx))
        }
        #[cfg(feature = "loom")]
        Backend::Loom => {
            let (tx, rx) = bounded::channel(bound, target);
            (SyncTxInner::Loom(tx), RxInner::Bounded(rx))
        }
        #[allow(unreachable_patterns)]
        other => unreachable!("backend {other} is not in this build"),
    };
    (SyncSender { inner: tx, target }, Receiver { inner: rx, target })
}

/// The sending half of an unbounded channel; clone it for more producers.
pub struct Sender<T> {
    inner: TxInner<T>,
    target: Target,
}

enum TxInner<T> {
    Std(std::sync::mpsc::Sender<T>),
    #[cfg(feature = "shuttle")]
    Shuttle(shuttle::sync::mpsc::Sender<T>),
    #[cfg(feature = "loom")]
    Loom(bounded::Sender<T>),
}

/// The sending half of a bounded channel; clone it for more producers.
pub struct SyncSender<T> {
    inner: SyncTxInner<T>,
    target: Target,
}

enum SyncTxInner<T> {
    Std(std::sync::mpsc::SyncSender<T>),
    #[cfg(feature = "shuttle")]
    Shuttle(shuttle::sync::mpsc::SyncSender<T>),
    #[cfg(feature = "loom")]
    Loom(bounded::Sender<T>),
}

/// The receiving half (of either kind of channel).
pub struct Receiver<T> {
    inner: RxInner<T>,
    target: Target,
}

enum RxInner<T> {
    Std(std::sync::mpsc::Receiver<T>),
    #[cfg(feature = "shuttle")]
    Shuttle(shuttle::sync::mpsc::Receiver<T>),
    /// Either kind of channel under loom.
    #[cfg(feature = "loom")]
    Bounded(bounded::Receiver<T>),
}

impl<T> Sender<T> {
    /// Sends a value; fails only when the receiver is gone.
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        let r = dispatch!(&self.inner, TxInner, tx => tx.send(value));
        if !matches!(self.inner, TxInner::Std(_)) {
            trace::record(Op::Send, self.target, None);
        }
        r
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        let inner = match &self.inner {
            TxInner::Std(tx) => TxInner::Std(tx.clone()),
            #[cfg(feature = "shuttle")]
            TxInner::Shuttle(tx) => TxInner::Shuttle(tx.clone()),
            #[cfg(feature = "loom")]
            TxInner::Loom(tx) => TxInner::Loom(tx.clone()),
        };
        Sender {
            inner,
            target: self.target,
        }
    }
}

impl<T> SyncSender<T> {
    /// Sends a value, blocking while the channel is full; fails only when
    /// the receiver is gone.
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        let model = !matches!(self.inner, SyncTxInner::Std(_));
        if model {
            trace::waiting(Op::Send, self.target);
        }
        let r = dispatch!(&self.inner, SyncTxInner, tx => tx.send(value));
        if model {
            trace::record(Op::Send, self.target, None);
        }
        r
    }

    /// Sends a value if there is room now, without blocking.
    pub fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        let r = dispatch!(&self.inner, SyncTxInner, tx => tx.try_send(value));
        if !matches!(self.inner, SyncTxInner::Std(_)) {
            let note = match &r {
                Ok(()) => None,
                Err(TrySendError::Full(_)) => Some("failed (full)".to_owned()),
                Err(TrySendError::Disconnected(_)) => Some("failed (no receiver)".to_owned()),
            };
            trace::record(Op::Send, self.target, note);
        }
        r
    }
}

impl<T> Clone for SyncSender<T> {
    fn clone(&self) -> Self {
        let inner = match &self.inner {
            SyncTxInner::Std(tx) => SyncTxInner::Std(tx.clone()),
            #[cfg(feature = "shuttle")]
            SyncTxInner::Shuttle(tx) => SyncTxInner::Shuttle(tx.clone()),
            #[cfg(feature = "loom")]
            SyncTxInner::Loom(tx) => SyncTxInner::Loom(tx.clone()),
        };
        SyncSender {
            inner,
            target: self.target,
        }
    }
}

impl<T> Receiver<T> {
    /// Blocks until a value arrives, or every sender is gone.
    pub fn recv(&self) -> Result<T, RecvError> {
        let model = !matches!(self.inner, RxInner::Std(_));
        if model {
            trace::waiting(Op::Recv, self.target);
        }
        let r = match &self.inner {
            RxInner::Std(rx) => rx.recv(),
            #[cfg(feature = "shuttle")]
            RxInner::Shuttle(rx) => rx.recv(),
            #[cfg(feature = "loom")]
            RxInner::Bounded(rx) => rx.recv(),
        };
        if model {
            let note = r.is_err().then(|| "(disconnected)".to_owned());
            trace::record(Op::Recv, self.target, note);
        }
        r
    }

    /// Takes a value if one is waiting.
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        let r = match &self.inner {
            RxInner::Std(rx) => rx.try_recv(),
            #[cfg(feature = "shuttle")]
            RxInner::Shuttle(rx) => rx.try_recv(),
            #[cfg(feature = "loom")]
            RxInner::Bounded(rx) => rx.try_recv(),
        };
        if r.is_ok() && !matches!(self.inner, RxInner::Std(_)) {
            trace::record(Op::Recv, self.target, None);
        }
        r
    }
}

impl<T> Receiver<T> {
    /// The values as they arrive, until every sender is gone (`for v in
    /// rx.iter()`, as with std's).
    pub fn iter(&self) -> Iter<'_, T> {
        Iter { rx: self }
    }
}

/// The values a [`Receiver`] gets, until every sender is gone.
pub struct Iter<'a, T> {
    rx: &'a Receiver<T>,
}

impl<T> Iterator for Iter<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.rx.recv().ok()
    }
}

/// The values a [`Receiver`] gets, until every sender is gone (`for v in
/// rx`).
pub struct IntoIter<T> {
    rx: Receiver<T>,
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.rx.recv().ok()
    }
}

impl<T> IntoIterator for Receiver<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;
    fn into_iter(self) -> IntoIter<T> {
        IntoIter { rx: self }
    }
}

impl<'a, T> IntoIterator for &'a Receiver<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T> std::fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sender {{ target: {:?}, .. }}", self.target.to_string())
    }
}

impl<T> std::fmt::Debug for SyncSender<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SyncSender {{ target: {:?}, .. }}", self.target.to_string())
    }
}

impl<T> std::fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Receiver {{ target: {:?}, .. }}", self.target.to_string())
    }
}
