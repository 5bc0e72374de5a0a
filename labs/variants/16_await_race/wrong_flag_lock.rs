// WRONG: a home-made lock flag is checked with a load and taken with a separate store, so on a multi-threaded runtime two tasks can both take it.

use racelab::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use racelab::sync::task;

/// A post that async tasks like at once.
#[derive(Debug)]
pub struct Post {
    likes: AtomicU64,
    busy: AtomicBool,
}

impl Post {
    /// A post with no likes.
    pub fn new() -> Self {
        Post {
            likes: AtomicU64::new(0).named("likes"),
            busy: AtomicBool::new(false).named("busy"),
        }
    }

    /// One reader likes the post (and the author is notified).
    pub async fn like(&self) {
        // No await between the check and the store: "no other task can run".
        while self.busy.load(SeqCst) {
            task::yield_now().await;
        }
        self.busy.store(true, SeqCst);
        let seen = self.likes.load(SeqCst);
        task::suspend("notify the author").await;
        self.likes.store(seen + 1, SeqCst);
        self.busy.store(false, SeqCst);
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
