// RIGHT: read, await, then a compare_exchange loop that retries from the current count if another like landed in between.

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
        let mut seen = self.likes.load(SeqCst);
        task::suspend("notify the author").await;
        while let Err(now) = self.likes.compare_exchange(seen, seen + 1, SeqCst, SeqCst) {
            seen = now;
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
