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
    let each = if times == 1 {
        "once".to_owned()
    } else {
        format!("{times} times")
    };
    let title = format!("lab 16: {} tasks like the post {each} each", names.len());
    liking_unevenly(title, names.iter().map(|&name| (name, times)).collect())
}

/// Each task of `plan` likes the post as many times as it says; once every
/// task has been awaited, the post must show every like.
fn liking_unevenly(title: String, plan: Vec<(&'static str, u64)>) -> Scenario<Likes> {
    let made = plan.iter().map(|(_, times)| times).sum();
    Scenario::new(title, move || {
        let post = Arc::new(exercise::Post::new());
        task::block_on(async {
            let readers: Vec<_> = plan
                .iter()
                .map(|&(name, times)| {
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

/// One like against many: alice likes once while bob likes four times,
/// under loom with a preemption bound of 8, so that alice's like can lose
/// its race to bob four times in a row (each loss takes two preemptions): a
/// like that gives up after up to four failed attempts is lost; one that
/// retries until it succeeds never is.
#[test]
fn a_like_that_keeps_losing_its_race_still_counts() {
    racelab_labs::check_with(
        liking_unevenly(
            "lab 16: alice likes once, bob four times".to_owned(),
            vec![("alice", 1), ("bob", 4)],
        ),
        &[Explorer::loom().with_preemption_bound(Some(8))],
    );
}
