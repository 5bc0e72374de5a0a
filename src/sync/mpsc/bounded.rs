//! A bounded channel for loom, which has no `sync_channel` (and, with a
//! bound no queue reaches, the unbounded one: loom's own never reports that
//! every sender is gone).
//!
//! Shows: a queue of at most `bound` messages under the facade's own
//! [`Mutex`], with one [`Condvar`] for senders waiting for room and one for
//! the receiver waiting for a message, so loom explores every step. With
//! `bound == 0` it is a rendezvous channel: a sender also waits until the
//! receiver has taken its message.
//!
//! Cost: each send and receive takes the lock and notifies every waiter on
//! the other side (a rendezvous sender waits on the same condvar as the
//! senders waiting for room, so one notification could wake the wrong one).
//! The lock and wait steps are folded out of timelines: the channel records
//! each `send` and `recv` as one step (`mpsc.rs`).

use std::collections::VecDeque;
use std::sync::mpsc::{RecvError, SendError, TryRecvError, TrySendError};
use std::sync::Arc;

use crate::sync::{Condvar, Mutex, MutexGuard};
use crate::trace::{self, Op, Target};

struct State<T> {
    queue: VecDeque<T>,
    /// Messages ever pushed, and ever taken (a rendezvous sender waits
    /// until `taken` passes its message's number).
    pushed: u64,
    taken: u64,
    senders: usize,
    receiver: bool,
}

struct Channel<T> {
    state: Mutex<State<T>>,
    /// Senders wait here for room (and for their message to be taken).
    room: Condvar,
    /// The receiver waits here for a message.
    items: Condvar,
    bound: usize,
}

/// The sending half.
pub(crate) struct Sender<T> {
    channel: Arc<Channel<T>>,
}

/// The receiving half.
pub(crate) struct Receiver<T> {
    channel: Arc<Channel<T>>,
}

/// A bounded channel on the facade's primitives, shown in timelines as
/// `target`.
#[track_caller]
pub(crate) fn channel<T>(bound: usize, target: Target) -> (Sender<T>, Receiver<T>) {
    let (mut state, mut room, mut items) = (
        Mutex::new_untraced(State {
            queue: VecDeque::new(),
            pushed: 0,
            taken: 0,
            senders: 1,
            receiver: true,
        }),
        Condvar::new(),
        Condvar::new(),
    );
    // Its parts carry the channel's name, or the line that made it, so a
    // receiver or sender blocked inside shows against the channel.
    let name = target.to_string();
    (state, room, items) = (state.named(&name), room.named(&name), items.named(&name));
    let channel = Arc::new(Channel {
        state,
        room,
        items,
        bound,
    });
    (
        Sender {
            channel: Arc::clone(&channel),
        },
        Receiver { channel },
    )
}

impl<T> Channel<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Waits on `cv`, shown as blocked in `op`, ignoring poisoning.
fn wait<'a, T>(cv: &Condvar, guard: MutexGuard<'a, State<T>>, op: Op) -> MutexGuard<'a, State<T>> {
    cv.wait_as(guard, op).unwrap_or_else(|p| p.into_inner())
}

impl<T> Sender<T> {
    /// Sends, blocking while the channel is full (and, for a rendezvous
    /// channel, until the receiver has taken the message).
    pub(crate) fn send(&self, value: T) -> Result<(), SendError<T>> {
        let _fold = trace::fold();
        let ch = &*self.channel;
        let mut s = ch.lock();
        while s.receiver && s.queue.len() >= ch.bound.max(1) {
            s = wait(&ch.room, s, Op::Send);
        }
        if !s.receiver {
            return Err(SendError(value));
        }
        s.queue.push_back(value);
        s.pushed += 1;
        let mine = s.pushed;
        ch.items.notify_all();
        if ch.bound == 0 {
            while s.receiver && s.taken < mine {
                s = wait(&ch.room, s, Op::Send);
            }
        }
        Ok(())
    }

    /// Sends if there is room now.
    pub(crate) fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        let _fold = trace::fold();
        let ch = &*self.channel;
        let mut s = ch.lock();
        if !s.receiver {
            return Err(TrySendError::Disconnected(value));
        }
        // A rendezvous channel has room only for a receiver already waiting,
        // which this simple queue does not track: it never has room.
        if ch.bound == 0 || s.queue.len() >= ch.bound {
            return Err(TrySendError::Full(value));
        }
        s.queue.push_back(value);
        s.pushed += 1;
        ch.items.notify_all();
        Ok(())
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        let _fold = trace::fold();
        self.channel.lock().senders += 1;
        Sender {
            channel: Arc::clone(&self.channel),
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        // A model being torn down after a panic must not be asked to lock.
        if std::thread::panicking() {
            return;
        }
        let _fold = trace::fold();
        let mut s = self.channel.lock();
        s.senders -= 1;
        if s.senders == 0 {
            self.channel.items.notify_all();
        }
    }
}

impl<T> Receiver<T> {
    /// Blocks until a message arrives, or every sender is gone.
    pub(crate) fn recv(&self) -> Result<T, RecvError> {
        let _fold = trace::fold();
        let ch = &*self.channel;
        let mut s = ch.lock();
        loop {
            if let Some(value) = s.queue.pop_front() {
                s.taken += 1;
                ch.room.notify_all();
                return Ok(value);
            }
            if s.senders == 0 {
                return Err(RecvError);
            }
            s = wait(&ch.items, s, Op::Recv);
        }
    }

    /// Takes a message if one is waiting.
    pub(crate) fn try_recv(&self) -> Result<T, TryRecvError> {
        let _fold = trace::fold();
        let ch = &*self.channel;
        let mut s = ch.lock();
        match s.queue.pop_front() {
            Some(value) => {
                s.taken += 1;
                ch.room.notify_all();
                Ok(value)
            }
            None if s.senders == 0 => Err(TryRecvError::Disconnected),
            None => Err(TryRecvError::Empty),
        }
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let _fold = trace::fold();
        self.channel.lock().receiver = false;
        self.channel.room.notify_all();
    }
}
