//! One synchronisation API, three backends, picked at run time.
//!
//! Scenario code uses `racelab::sync` the way it would use `std::sync`, and
//! never names loom or shuttle. What it builds lands on the backend the
//! explorer made current ([`backend::current`]): real `std` primitives on
//! hardware, shuttle's under shuttle, loom's under loom. So one binary can run
//! one scenario under all three and put the verdicts side by side.
//!
//! # Costs
//! Every operation matches on its backend (one predictable branch on
//! hardware). Under a model backend it also records an event for the
//! timeline. Benches of real primitives use `std`, `parking_lot` and
//! `crossbeam` directly.
//!
//! # Gaps
//! `Arc` is `std::sync::Arc` on every backend, as in shuttle: loom's own
//! `Arc`, dropped while loom tears down a deadlocked execution, can abort the
//! process. There is no `thread::scope`: loom has none. loom has no
//! `sync_channel` either, so under loom [`mpsc::sync_channel`] is built from
//! the facade's own mutex and condvars (std's and shuttle's are used on
//! their backends). `OnceLock`, `Once` and [`Semaphore`] (which std lacks)
//! are built from the facade's own mutex and condvar (the models have no
//! `OnceLock`). `thread::sleep` is a yield under the models.
//!
//! # What timelines show
//! Atomic accesses record their value and memory ordering. `Mutex` and
//! `RwLock` values are shown by default (their `new` asks for `T: Debug`;
//! `new_untraced` takes any `T`): a lock records the value it found, an
//! unlock after a mutable dereference the value it left, even unchanged.
//!
//! # Why a run-time switch
//! Modelled on tokio's `src/loom/` facade, with the switch moved from
//! `cfg(loom)` to run time. A `cfg` switch gives one backend per build: no
//! table could put loom's verdict, shuttle's sample and the hardware's
//! histogram side by side, a lab would need three builds to be checked, and
//! features that swap one backend for another are not additive. The cost is
//! one enum match per operation (`benches/facade.rs` measures it).

mod async_mutex;
pub mod atomic;
pub(crate) mod backend;
mod barrier;
pub mod cell;
mod condvar;
pub mod hint;
pub mod mpsc;
mod mutex;
mod once;
mod rwlock;
mod semaphore;
mod start_gate;
pub mod task;
pub mod thread;

pub use backend::{current as current_backend, Backend};
pub use barrier::{Barrier, BarrierWaitResult};
pub use condvar::Condvar;
pub use mutex::{Mutex, MutexGuard};
pub use once::{Once, OnceLock};
pub use rwlock::{RwLock, RwLockReadGuard, RwLockWriteGuard};
pub use semaphore::Semaphore;
pub use start_gate::StartGate;
pub use std::sync::{Arc, LockResult, PoisonError, TryLockError, TryLockResult};
