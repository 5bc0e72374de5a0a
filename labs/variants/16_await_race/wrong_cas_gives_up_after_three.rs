// WRONG: after the await, the like retries its compare_exchange at most 3 times, then is dropped: a task that loses its race three times in a row (another task likes between each of its tries) loses its like.
//! Lab 16 — A like lost across `.await`.

use racelab::sync::atomic::{AtomicU64, Ordering::*};
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
        let mut seen = self.likes.load(SeqCst);
        for _ in 0..3 {
            match self.likes.compare_exchange(seen, seen + 1, SeqCst, SeqCst) {
                Ok(_) => return,
                Err(actual) => seen = actual,
            }
        }
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
