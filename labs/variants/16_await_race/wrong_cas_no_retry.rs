// WRONG: the compare_exchange after the await notices that another like landed, but gives up instead of retrying, so this like is dropped.

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
        let _ = self.likes.compare_exchange(seen, seen + 1, SeqCst, SeqCst);
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
