//! Async: the lecture's asyncio chapter on tokio, and its races found by
//! shuttle's async executor.
//!
//! Lecture section *asyncio*: `async def`, `await asyncio.sleep`,
//! `asyncio.create_task`, the `timer` decorator and `async with
//! Connection(...)`. Tasks take turns on one thread and switch only at an
//! `.await`: so waiting overlaps for free, a blocking call stops everyone,
//! and a read-modify-write with an `.await` inside still loses updates.
//!
//! | file | shows | with |
//! |---|---|---|
//! | [`timer`] | `fun1`; `fun2` take 3 + 3 = 6 s one after the other, 3 s as two tasks | tokio, paused clock in tests |
//! | [`connection`] | `async with`: open, concurrent send and receive, close on success, error and panic | tokio, loopback TCP |
//! | [`blocking`] | `std::thread::sleep` in a task stalls every task; `sleep().await` and `spawn_blocking` do not | tokio current-thread runtime |
//! | [`scale`] | 10,000 sleeping tasks in ~100 ms; 10,000 threads for comparison | tokio, `benches/async_scale.rs` |
//! | [`await_race`] | read, `.await`, write: a lost edit | [`crate::sync::task`], explored by shuttle |
//! | [`async_mutex`] | fix: an async mutex held across the `.await` | serialises the whole edit |
//! | [`atomic_update`] | fix: await first, then one `fetch_add` | free, when the update is "one more" |
//!
//! The race and its fixes are catalogue scenarios ([`edits::scenario`]):
//! they use only [`crate::sync`], so shuttle (async executor), loom (one
//! model thread per task) and the hardware run them. The tokio parts are
//! real programs, shown by the tour and tested on tokio's paused clock.

pub mod async_mutex;
pub mod atomic_update;
pub mod await_race;
pub mod blocking;
pub mod connection;
pub mod edits;
pub mod scale;
pub mod timer;

use crate::catalogue::Params;
use crate::explore::Explorable;

/// Catalogue builder for `asynchrony::await_race`.
pub(crate) fn build_await_race(name: &'static str, params: Params) -> Box<dyn Explorable> {
    edits::build::<await_race::AwaitRace>(name, params)
}

/// Catalogue builder for `asynchrony::async_mutex`.
pub(crate) fn build_async_mutex(name: &'static str, params: Params) -> Box<dyn Explorable> {
    edits::build::<async_mutex::AsyncMutex>(name, params)
}

/// Catalogue builder for `asynchrony::atomic_update`.
pub(crate) fn build_atomic_update(name: &'static str, params: Params) -> Box<dyn Explorable> {
    edits::build::<atomic_update::AtomicUpdate>(name, params)
}
