// RIGHT: await first, then count under a (blocking) mutex whose guard never lives across an await.

use racelab::sync::task;
use racelab::sync::Mutex;

/// A post that async tasks like at once.
#[derive(Debug)]
pub struct Post {
    likes: Mutex<u64>,
}

impl Post {
    /// A post with no likes.
    pub fn new() -> Self {
        Post {
            likes: Mutex::new(0).named("likes").traced(),
        }
    }

    /// One reader likes the post (and the author is notified).
    pub async fn like(&self) {
        task::suspend("notify the author").await;
        *self.likes.lock().unwrap() += 1;
    }

    /// The likes so far.
    pub fn likes(&self) -> u64 {
        *self.likes.lock().unwrap()
    }
}

impl Default for Post {
    fn default() -> Self {
        Post::new()
    }
}
