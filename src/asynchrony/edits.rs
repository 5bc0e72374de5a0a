//! The shared document of the async race: tasks that each record an edit,
//! with an `.await` in the middle, and the scenario that counts what was kept.
//!
//! Lecture section *asyncio*: tasks run one at a time on one thread, so it
//! is tempting to think they cannot race. They cannot be interrupted
//! *between* two awaits, but every `.await` hands the thread to another
//! task: whatever a task read before an await may be stale after it. Every
//! variant implements [`Editor`]; [`scenario`] runs `tasks` tasks (on
//! [`crate::sync::task`], so shuttle's async executor schedules them), each
//! making `edits` edits, and accepts only a document holding all of them.

use std::fmt;
use std::future::Future;

use crate::catalogue::Params;
use crate::counter::thread_name;
use crate::explore::{Explorable, Scenario};
use crate::sync::{task, Arc};

/// A document that async tasks edit.
pub trait Editor: Send + Sync + 'static {
    /// A document with no edits, on the current backend.
    fn new() -> Self
    where
        Self: Sized;

    /// Records one edit. Somewhere inside it awaits something slow (a save).
    fn edit(&self) -> impl Future<Output = ()> + Send + '_;

    /// How many edits the document holds.
    fn edits(&self) -> u64;
}

/// What the document kept, out of what the tasks made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Kept {
    pub kept: u64,
    pub made: u64,
}

impl fmt::Display for Kept {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of {} edits kept", self.kept, self.made)
    }
}

/// `tasks` async tasks each make `edits` edits to a fresh `E`; only a
/// document that kept all `tasks × edits` is acceptable.
pub fn scenario<E: Editor>(name: &str, tasks: usize, edits: u64) -> Scenario<Kept> {
    let made = tasks as u64 * edits;
    Scenario::new(name, move || {
        let doc = Arc::new(E::new());
        task::block_on(async {
            let handles: Vec<_> = (0..tasks)
                .map(|i| {
                    let doc = Arc::clone(&doc);
                    task::spawn_named(thread_name(i), async move {
                        for _ in 0..edits {
                            doc.edit().await;
                        }
                    })
                })
                .collect();
            for h in handles {
                h.await.expect("an editing task failed");
            }
        });
        Kept {
            kept: doc.edits(),
            made,
        }
    })
    .expect_only(Kept { kept: made, made })
}

/// The catalogue's builder for variant `E`: `threads` tasks, `ops` edits each.
pub(crate) fn build<E: Editor>(name: &'static str, params: Params) -> Box<dyn Explorable> {
    Box::new(scenario::<E>(name, params.threads, params.ops))
}
