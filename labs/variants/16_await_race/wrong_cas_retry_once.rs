// WRONG: after the await, a failed compare_exchange is retried once but not again, so a like that loses the race twice is dropped.

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
        let seen = self.likes.load(SeqCst);
        task::suspend("notify the author").await;
        if let Err(now) = self.likes.compare_exchange(seen, seen + 1, SeqCst, SeqCst) {
            // Someone liked in between: count from their value instead.
            let _ = self.likes.compare_exchange(now, now + 1, SeqCst, SeqCst);
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
