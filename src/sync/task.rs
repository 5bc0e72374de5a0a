//! Async tasks on whichever backend is current: [`spawn`], [`block_on`],
//! [`yield_now`], [`suspend`], a [`JoinHandle`] to `.await`, and an async
//! [`Mutex`] whose guard may be held across an `.await`.
//!
//! Scenario code that is model-checked writes its async code against this
//! module, as its threaded code uses [`thread`](super::thread):
//! - **shuttle** runs tasks on its own async executor (`shuttle::future`):
//!   a task is scheduled like a thread, every `.await` that returns
//!   `Pending` is a scheduling point, and every facade operation inside a
//!   task is recorded in the timeline under the task's name;
//! - **loom** has no executor (only `loom::future::block_on`), so each task
//!   runs on its own model thread under `block_on`. loom then explores the
//!   task's operations like a thread's: a superset of the interleavings an
//!   executor allows, so a fix that holds here holds on any executor;
//! - **hardware** runs each task on its own OS thread under a small
//!   park-based `block_on`: real concurrency, no runtime to install.
//!
//! On loom and hardware, awaiting a [`JoinHandle`] blocks the awaiting
//! thread until the task ends. That is harmless when, as in every scenario
//! here, a task only awaits tasks that run on their own threads; do not
//! `join!` a handle with a future the same task must drive. For real async
//! programs (timers, sockets) use tokio, as `crate::asynchrony` does.

use std::future::Future;
use std::pin::{pin, Pin};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use thiserror::Error;

use super::backend::{self, Backend};
use crate::trace::{self, Op, Target};

pub use super::async_mutex::{Mutex, MutexGuard};

/// Why awaiting a task gave no value.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum JoinError {
    /// The task panicked (hardware and loom; shuttle fails the execution).
    #[error("task {task} panicked: {message}")]
    Panicked { task: String, message: String },
    /// The executor dropped the task before it finished (shuttle).
    #[error("task {task} was cancelled")]
    Cancelled { task: String },
}

/// A spawned task; `.await` it for its value.
pub struct JoinHandle<T> {
    inner: Inner<T>,
    name: String,
}

enum Inner<T> {
    /// Hardware and loom: the task's own thread (taken once joined).
    Thread(Option<super::thread::JoinHandle<T>>),
    #[cfg(feature = "shuttle")]
    Shuttle(shuttle::future::JoinHandle<T>),
}

impl<T> JoinHandle<T> {
    /// The task's name as timelines show it.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl<T> std::fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JoinHandle")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        match &mut this.inner {
            Inner::Thread(handle) => {
                let Some(handle) = handle.take() else {
                    return Poll::Ready(Err(JoinError::Cancelled {
                        task: this.name.clone(),
                    }));
                };
                // The facade's join records the wait and the join.
                Poll::Ready(handle.join().map_err(|payload| JoinError::Panicked {
                    task: this.name.clone(),
                    message: panic_text(&*payload),
                }))
            }
            #[cfg(feature = "shuttle")]
            Inner::Shuttle(handle) => match Pin::new(handle).poll(cx) {
                Poll::Pending => {
                    trace::waiting(Op::Join, &this.name);
                    Poll::Pending
                }
                Poll::Ready(r) => {
                    trace::record(Op::Join, Target::None, Some(this.name.clone()));
                    if r.is_ok() && std::mem::size_of::<T>() != 0 {
                        trace::handed_over_by_join();
                    }
                    Poll::Ready(r.map_err(|_| JoinError::Cancelled {
                        task: this.name.clone(),
                    }))
                }
            },
        }
    }
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic with a non-text payload".to_owned())
}

/// Spawns a task (model backends name it `t1`, `t2`, ... in spawn order).
///
/// # Panics
/// On hardware, if the OS cannot start the task's thread.
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let name = if backend::current().is_model() {
        trace::next_thread_name()
    } else {
        String::new()
    };
    spawn_named(name, future)
}

/// Spawns a task that timelines show as `name`.
///
/// # Panics
/// On hardware, if the OS cannot start the task's thread.
pub fn spawn_named<F>(name: impl Into<String>, future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let name = name.into();
    match backend::current() {
        Backend::Hardware => {
            let mut b = super::thread::Builder::new();
            if !name.is_empty() {
                b = b.name(name.clone());
            }
            let handle = b.spawn(move || park_block_on(future)).expect("failed to spawn a task");
            JoinHandle {
                inner: Inner::Thread(Some(handle)),
                name,
            }
        }
        #[cfg(feature = "shuttle")]
        Backend::Shuttle => {
            trace::record(Op::Spawn, Target::None, Some(name.clone()));
            let shown = name.clone();
            // A shuttle task has no thread name: label it on its first
            // poll, before it records anything.
            let handle = shuttle::future::spawn(async move {
                if let Some(me) = shuttle::current::try_get_current_task() {
                    shuttle::current::set_name_for_task(me, shown);
                }
                future.await
            });
            JoinHandle {
                inner: Inner::Shuttle(handle),
                name,
            }
        }
        #[cfg(feature = "loom")]
        Backend::Loom => {
            let handle = super::thread::Builder::new()
                .name(name.clone())
                .spawn(move || loom::future::block_on(future))
                .expect("loom spawns model threads");
            JoinHandle {
                inner: Inner::Thread(Some(handle)),
                name,
            }
        }
        #[allow(unreachable_patterns)]
        other => unreachable!("backend {other} is not in this build"),
    }
}

/// Runs a future to completion on the calling thread (the scenario's
/// `main`), on the current backend's executor.
pub fn block_on<F: Future>(future: F) -> F::Output {
    match backend::current() {
        Backend::Hardware => park_block_on(future),
        #[cfg(feature = "shuttle")]
        Backend::Shuttle => shuttle::future::block_on(future),
        #[cfg(feature = "loom")]
        Backend::Loom => loom::future::block_on(future),
        #[allow(unreachable_patterns)]
        other => unreachable!("backend {other} is not in this build"),
    }
}

/// Wakes a thread parked in [`park_block_on`].
struct Unpark(std::thread::Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// The smallest executor: poll, and park the thread until woken.
fn park_block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(v) = future.as_mut().poll(&mut cx) {
            return v;
        }
        // A spurious unpark only costs one more poll.
        std::thread::park();
    }
}

/// An `.await` that gives way to other tasks: a scheduling point on every
/// backend. Recorded as `await yield_now()`.
pub async fn yield_now() {
    suspend("yield_now()").await;
}

/// An `.await` on something slow (`what`, as the timeline shows it: a
/// save, a request), modelled as one scheduling point: the task suspends
/// and any other task may run before it resumes.
pub async fn suspend(what: &'static str) {
    if backend::current().is_model() {
        trace::record(Op::Await, Target::Name(what), None);
    }
    match backend::current() {
        // Each task has its own thread here: give the processor away.
        Backend::Hardware => std::thread::yield_now(),
        #[cfg(feature = "shuttle")]
        Backend::Shuttle => shuttle::future::yield_now().await,
        #[cfg(feature = "loom")]
        // The task is a model thread: a thread yield is the switch.
        Backend::Loom => loom::thread::yield_now(),
        #[allow(unreachable_patterns)]
        other => unreachable!("backend {other} is not in this build"),
    }
}

/// The name shuttle's current async task was spawned with, if any (thread
/// names come from `shuttle::thread::current()` instead).
#[cfg(feature = "shuttle")]
pub(crate) fn shuttle_task_name() -> Option<String> {
    let me = shuttle::current::try_get_current_task()?;
    shuttle::current::get_name_for_task(me).map(String::from)
}
