//! Check for lab 16. The property: **every like is counted**. Once every
//! task's `like().await` calls have returned, `likes` is the number of
//! likes made, however the tasks are scheduled: taking turns on one thread
//! and switching only at an `.await` (shuttle's async executor, like
//! asyncio or tokio's current-thread runtime), or running at the same time
//! on several threads (loom, one model thread per task, like tokio's
//! multi-threaded runtime). So no read-modify-write of the count may span
//! an `.await`, nor be a separate read and a separate write even with no
//! `.await` between them.
//!
//! Two sizes, smallest first (the first that fails is the one reported):
//! `alice` and `bob` like the post once each, then twice each (a like can
//! then see the count change twice while it is in progress: a retry that
//! gives up after one more attempt loses it). The second size is also
//! explored by shuttle with a deeper PCT (more priority changes per
//! schedule), for an async lock taken with `try_lock` that gives up after
//! a few tries.

use super::exercise;

use std::fmt;

use racelab::explore::{Explorer, Scenario};
use racelab::sync::{task, Arc};

/// The likes the post showed once every task had finished, and how many
/// likes the tasks made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Likes {
    shown: u64,
    made: u64,
}

impl fmt::Display for Likes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "likes = {} after {} likes", self.shown, self.made)?;
        if self.shown < self.made {
            write!(f, " ({} lost)", self.made - self.shown)?;
        } else if self.shown > self.made {
            write!(f, " ({} too many)", self.shown - self.made)?;
        }
        Ok(())
    }
}

/// One task per name likes the post `times` times; once every task has
/// been awaited, the post must show every like.
fn liking(names: &'static [&'static str], times: u64) -> Scenario<Likes> {
    let made = names.len() as u64 * times;
    let each = if times == 1 {
        "once".to_owned()
    } else {
        format!("{times} times")
    };
    let title = format!("lab 16: {} tasks like the post {each} each", names.len());
    Scenario::new(title, move || {
        let post = Arc::new(exercise::Post::new());
        task::block_on(async {
            let readers: Vec<_> = names
                .iter()
                .map(|&name| {
                    let post = Arc::clone(&post);
                    task::spawn_named(name, async move {
                        for _ in 0..times {
                            post.like().await;
                        }
                    })
                })
                .collect();
            for reader in readers {
                reader.await.expect("a reader's task failed");
            }
        });
        Likes {
            shown: post.likes(),
            made,
        }
    })
    .expect_only(Likes { shown: made, made })
}

/// Every like is counted: alice and bob like the post once each (2 likes),
/// then twice each (4 likes).
#[test]
fn every_like_is_counted_under_every_schedule() {
    racelab_labs::check(liking(&["alice", "bob"], 1), racelab_labs::MODELS);
    racelab_labs::check_with(
        liking(&["alice", "bob"], 2),
        // shuttle at depth 5 as well: a retry that gives up after a few
        // tries is caught only with more priority changes per schedule.
        &[Explorer::loom(), Explorer::shuttle(), Explorer::shuttle().with_depth(5)],
    );
}
