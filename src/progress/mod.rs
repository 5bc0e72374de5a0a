//! A long job on a worker thread while the UI thread stays responsive:
//! progress over a channel, cancellation, and an answer the UI can trust.
//!
//! Lecture section *threading*: a program with a window must not do a long
//! job on the thread that draws the window, or the window freezes. The job
//! goes to a worker thread; the worker reports progress in messages; the UI
//! thread draws them and can still react to the user, who may press
//! "cancel". Here the job is copying a real file:
//!
//! | part | file | what it shows | costs |
//! |---|---|---|---|
//! | the worker | [`copy`] | copies in chunks on its own thread, sends `Progress` messages on a bounded channel, checks a cancel token between chunks, writes to a temporary file and renames it into place only when complete | a chunk of memory; one rename |
//! | the UI | [`ui`] | draws an `indicatif` bar from the messages, wakes on a tick so it can take a cancel request even while no message comes, and reports what the worker's *final* message says | nothing on the worker's side; the bar draws on a terminal only |
//! | the protocol, racy | [`cancel_flag`] | the UI sets the cancel flag and at once tells the user "cancelled, nothing written"; the worker had checked the flag a moment before and publishes the file | - |
//! | the protocol, fixed | [`cancel_ack`] | the UI asks to cancel, waits for the worker's final answer and repeats it: "cancelled" or "too late, it is done" | the UI waits at most one chunk for the answer |
//!
//! The worker and the UI run on real threads (`std::thread`,
//! `crossbeam-channel`) and are tested on hardware, deterministically. The
//! cancel protocol itself is reduced to its two steps per thread and
//! model-checked ([`protocol`]): that is where the race is.
//!
//! Why the atomic publish matters: a copy that is cancelled or fails
//! halfway must leave nothing at the destination, not a file that looks
//! complete and is not. The worker writes to a temporary file in the
//! destination's folder (so the rename stays on one file system, where it
//! is atomic) and renames it over the destination only after the last
//! chunk and one last look at the cancel token; any other ending removes
//! the temporary file.

pub mod cancel_ack;
pub mod cancel_flag;
pub mod copy;
pub mod protocol;
pub mod ui;

pub use copy::{CancelToken, CopyError, CopyJob, CopyOptions, Event, Progress};
pub use ui::{Summary, Ui};

use crate::catalogue::Params;
use crate::explore::Explorable;

/// The catalogue's `progress::cancel_flag` (fixed shape: `params` unused).
// Used by catalogue.rs once it lists the entries.
pub(crate) fn build_cancel_flag(name: &'static str, _: Params) -> Box<dyn Explorable> {
    Box::new(cancel_flag::scenario(name))
}

/// The catalogue's `progress::cancel_ack` (fixed shape: `params` unused).
pub(crate) fn build_cancel_ack(name: &'static str, _: Params) -> Box<dyn Explorable> {
    Box::new(cancel_ack::scenario(name))
}
