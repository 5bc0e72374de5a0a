// WRONG: try_lock holds the async lock across the whole like, but a like that finds the lock busy is simply skipped.

use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::sync::task;

/// A post that async tasks like at once.
#[derive(Debug)]
pub struct Post {
    likes: AtomicU64,
    lock: task::Mutex<()>,
}

impl Post {
    /// A post with no likes.
    pub fn new() -> Self {
        Post {
            likes: AtomicU64::new(0).named("likes"),
            lock: task::Mutex::new((), "lock"),
        }
    }

    /// One reader likes the post (and the author is notified).
    pub async fn like(&self) {
        // "Never wait": if another like is in progress, skip.
        if let Some(_guard) = self.lock.try_lock() {
            let seen = self.likes.load(SeqCst);
            task::suspend("notify the author").await;
            self.likes.store(seen + 1, SeqCst);
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
