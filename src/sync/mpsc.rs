//! Unbounded multi-producer, single-consumer channels, on whichever backend
//! is current. (loom has no bounded `sync_channel`, so neither does the
//! facade.)

pub use std::sync::mpsc::{RecvError, SendError, TryRecvError};

use super::backend::{self, dispatch, Backend};
use crate::trace::{self, Op, Target};

/// Creates a channel on the current backend.
#[track_caller]
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let target = Target::caller();
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
            let (tx, rx) = loom::sync::mpsc::channel();
            (TxInner::Loom(tx), RxInner::Loom(rx))
        }
        #[allow(unreachable_patterns)]
        other => unreachable!("backend {other} is not in this build"),
    };
    (Sender { inner: tx, target }, Receiver { inner: rx, target })
}

/// The sending half; clone it for more producers.
pub struct Sender<T> {
    inner: TxInner<T>,
    target: Target,
}

enum TxInner<T> {
    Std(std::sync::mpsc::Sender<T>),
    #[cfg(feature = "shuttle")]
    Shuttle(shuttle::sync::mpsc::Sender<T>),
    #[cfg(feature = "loom")]
    Loom(loom::sync::mpsc::Sender<T>),
}

/// The receiving half.
pub struct Receiver<T> {
    inner: RxInner<T>,
    target: Target,
}

enum RxInner<T> {
    Std(std::sync::mpsc::Receiver<T>),
    #[cfg(feature = "shuttle")]
    Shuttle(shuttle::sync::mpsc::Receiver<T>),
    #[cfg(feature = "loom")]
    Loom(loom::sync::mpsc::Receiver<T>),
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

impl<T> Receiver<T> {
    /// Blocks until a value arrives, or every sender is gone.
    pub fn recv(&self) -> Result<T, RecvError> {
        let model = !matches!(self.inner, RxInner::Std(_));
        if model {
            trace::waiting(Op::Recv, self.target);
        }
        let r = dispatch!(&self.inner, RxInner, rx => rx.recv());
        if model {
            trace::record(Op::Recv, self.target, None);
        }
        r
    }

    /// Takes a value if one is waiting.
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        let r = dispatch!(&self.inner, RxInner, rx => rx.try_recv());
        if r.is_ok() && !matches!(self.inner, RxInner::Std(_)) {
            trace::record(Op::Recv, self.target, None);
        }
        r
    }
}

impl<T> std::fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sender { .. }")
    }
}

impl<T> std::fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Receiver { .. }")
    }
}
