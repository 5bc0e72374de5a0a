// WRONG: try_lock on the async lock, retried a few times, gives up on a like when the lock stays busy.

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
        for _ in 0..3 {
            if let Some(_guard) = self.lock.try_lock() {
                let seen = self.likes.load(SeqCst);
                task::suspend("notify the author").await;
                self.likes.store(seen + 1, SeqCst);
                return;
            }
            task::yield_now().await;
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
