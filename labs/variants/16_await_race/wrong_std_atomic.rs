// WRONG: still a load, an await and a store, only on std's AtomicU64, which the model checkers cannot see (the source scan rejects it; the switches at the await still show the lost like).

use std::sync::atomic::{AtomicU64, Ordering::SeqCst};

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
            likes: AtomicU64::new(0),
        }
    }

    /// One reader likes the post (and the author is notified).
    pub async fn like(&self) {
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
