// WRONG: the async lock is taken only for the write, after the await, so the value written was read before another like landed.

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
        let seen = self.likes.load(SeqCst);
        task::suspend("notify the author").await;
        let _guard = self.lock.lock().await;
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
