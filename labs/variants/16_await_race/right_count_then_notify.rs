// RIGHT: the like is counted first, in one fetch_update, and only then is the author notified: nothing awaits inside the read-modify-write.

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
        let _ = self.likes.fetch_update(SeqCst, SeqCst, |n| Some(n + 1));
        task::suspend("notify the author").await;
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
