//! Fixed: the UI asks to cancel, waits for the worker's final answer and
//! repeats it.
//!
//! Lecture section *threading*. Only the worker knows whether it published
//! the file, so only its answer can be reported. The UI sets the flag, then
//! waits on a channel for the worker's final message: "cancelled" (it saw
//! the flag and removed the temporary file) or "done" (it had already
//! looked, and published). Either is true. This is what
//! [`super::ui::Ui::drive`] does with the real copy.
//!
//! What it costs: the UI waits, at most until the worker's next look at the
//! flag (one chunk); it must keep drawing and listening while it waits,
//! which is why the real UI waits in a `select!` with a tick.

use super::protocol::{self, Destination, Told};
use crate::explore::Scenario;
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{mpsc, thread, Arc};

/// The worker finishes unless the flag is set and sends its answer; the UI
/// sets the flag and reports the answer.
pub fn scenario(name: &str) -> Scenario<Told> {
    protocol::scenario(name, || {
        let cancel = Arc::new(AtomicBool::new(false).named("cancel"));
        let dst = Arc::new(Destination::new());
        let (answer_tx, answer_rx) = mpsc::channel();
        let worker = {
            let (cancel, dst) = (Arc::clone(&cancel), Arc::clone(&dst));
            thread::Builder::new()
                .name("worker")
                .spawn(move || {
                    let answer = protocol::finish(&cancel, &dst);
                    // The UI outlives this send: it waits for it.
                    let _ = answer_tx.send(answer);
                })
                .expect("spawn the worker")
        };
        let ui = thread::Builder::new()
            .name("ui")
            .spawn(move || {
                cancel.store(true, Ordering::Release);
                let said = answer_rx.recv().expect("the worker always answers");
                crate::trace::note("tell the user what the worker answered");
                said
            })
            .expect("spawn the UI thread");
        worker.join().expect("the worker panicked");
        let said = ui.join().expect("the UI thread panicked");
        Told {
            said,
            file_exists: dst.exists(),
        }
    })
}
