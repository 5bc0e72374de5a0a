//! Lab 16 — reference solution: await first, then count the like in one
//! `fetch_add`. Nothing awaits inside the read-modify-write, and the
//! read-modify-write itself is one indivisible step. (Holding an async
//! mutex, `racelab::sync::task::Mutex`, across the await also works, and
//! is what a change that depends on the awaited result needs.)

use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::sync::task;

/// A post that async tasks like at once.
#[derive(Debug)]
pub struct Post {
    likes: AtomicU64,
}

impl Post {
    /// A post with no likes.
    pub fn new() -> Self {
        Post {
            likes: AtomicU64::new(0).named("likes"),
        }
    }

    /// One reader likes the post (and the author is notified).
    pub async fn like(&self) {
        task::suspend("notify the author").await;
        self.likes.fetch_add(1, SeqCst);
    }

    /// The likes so far.
    pub fn likes(&self) -> u64 {
        self.likes.load(SeqCst)
    }
}

impl Default for Post {
    fn default() -> Self {
        Post::new()
    }
}
