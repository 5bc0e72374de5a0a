//! Lab 16 — A like lost across `.await`.
//!
//! The lecture's section on asyncio: tasks share one thread and are never
//! interrupted between two awaits, so they look safe from races. But every
//! `.await` lets the other tasks run. Here a post counts its likes: each
//! like reads the count, awaits a notification to the author, and writes
//! the count back plus one. Two readers like the post at once, and it ends
//! with one like.
//!
//! Edit only this file. Check it with `racelab check 16`.

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
        // TODO: the count is read before the await and written after it.
        // Another task can like the post in between; this write erases it.
        let seen = self.likes.load(SeqCst);
        task::suspend("notify the author").await;
        self.likes.store(seen + 1, SeqCst);
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
