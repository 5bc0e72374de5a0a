//! The cancel protocol, reduced to what can race: the shared pieces of
//! [`super::cancel_flag`] and [`super::cancel_ack`].
//!
//! Lecture section *threading* (a worker thread and the UI thread). The
//! copy itself is not modelled; its last moment is. The worker has written
//! its last chunk to the temporary file. It looks at the cancel flag once
//! more, then either renames the file into place or removes it. Meanwhile
//! the user presses "cancel" and the UI thread tells them something. The
//! outcome pairs what the UI said with whether the file is at the
//! destination; the UI must not lie: "cancelled" with a file, or "done"
//! without one, is forbidden.
//!
//! Two threads (`worker`, `ui`), one step each: the shape is fixed.

use std::fmt;

use crate::explore::{Grade, Scenario};
use crate::sync::atomic::{AtomicBool, Ordering};

/// What the UI told the user (or, in [`super::cancel_ack`], what the
/// worker's final answer said).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Said {
    /// "Cancelled; nothing was written."
    Cancelled,
    /// "Done; the copy is there" (the cancel came too late).
    Done,
}

/// What the UI said, and whether the file is at the destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Told {
    pub said: Said,
    pub file_exists: bool,
}

impl fmt::Display for Told {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let said = match self.said {
            Said::Cancelled => "UI said \"cancelled\"",
            Said::Done => "UI said \"done\"",
        };
        let file = if self.file_exists { "file exists" } else { "no file" };
        write!(f, "{said}, {file}")
    }
}

/// The UI told the truth.
pub fn grade(told: &Told) -> Grade {
    match (told.said, told.file_exists) {
        (Said::Cancelled, false) | (Said::Done, true) => Grade::Acceptable,
        (Said::Cancelled, true) | (Said::Done, false) => Grade::Forbidden,
    }
}

/// The destination folder, as far as the protocol cares: whether the copy
/// was renamed into place. (The temporary file is removed on every other
/// path, so it is not modelled.)
#[derive(Debug)]
pub struct Destination {
    published: AtomicBool,
}

impl Destination {
    /// Nothing at the destination yet, on the current backend.
    pub fn new() -> Self {
        Destination {
            published: AtomicBool::new(false).named("dst"),
        }
    }

    /// Renames the finished temporary file over the destination.
    pub fn publish(&self) {
        crate::trace::note("rename the temporary file to dst");
        self.published.store(true, Ordering::Release);
    }

    /// Whether the copy is at the destination.
    pub fn exists(&self) -> bool {
        self.published.load(Ordering::Acquire)
    }
}

impl Default for Destination {
    fn default() -> Self {
        Destination::new()
    }
}

/// The worker's last moment: the last chunk is written; it looks at the
/// flag and publishes unless asked to stop. Returns its answer.
pub fn finish(cancel: &AtomicBool, dst: &Destination) -> Said {
    if cancel.load(Ordering::Acquire) {
        crate::trace::note("remove the temporary file");
        Said::Cancelled
    } else {
        dst.publish();
        Said::Done
    }
}

/// The scenario around `body` (which runs both threads and reports what
/// the UI said and what is on disk), graded by [`grade`].
pub fn scenario(name: &str, body: impl Fn() -> Told + Send + Sync + 'static) -> Scenario<Told> {
    Scenario::new(name, body).expect(
        "the UI tells the truth: \"cancelled\" and no file, or \"done\" and the file",
        grade,
    )
}
