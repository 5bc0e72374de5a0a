//! Racy: the UI sets the cancel flag and at once tells the user
//! "cancelled, nothing written".
//!
//! Lecture section *threading*. Setting a flag the worker reads is a
//! *request*; the UI treats it as done. The interleaving that breaks it:
//! the worker looks at the flag (not set), the UI sets it and says
//! "cancelled", the worker renames its finished file into place. The user
//! was told nothing was written, and the file is there. The fix is
//! [`super::cancel_ack`].

use super::protocol::{self, Destination, Said, Told};
use crate::explore::Scenario;
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{thread, Arc};

/// The worker finishes unless the flag is set; the UI sets it and reports
/// "cancelled" without waiting.
pub fn scenario(name: &str) -> Scenario<Told> {
    protocol::scenario(name, || {
        let cancel = Arc::new(AtomicBool::new(false).named("cancel"));
        let dst = Arc::new(Destination::new());
        let worker = {
            let (cancel, dst) = (Arc::clone(&cancel), Arc::clone(&dst));
            thread::Builder::new()
                .name("worker")
                .spawn(move || {
                    // Its answer goes nowhere: the UI does not wait for it.
                    let _ = protocol::finish(&cancel, &dst);
                })
                .expect("spawn the worker")
        };
        let ui = thread::Builder::new()
            .name("ui")
            .spawn(move || {
                cancel.store(true, Ordering::Release);
                crate::trace::note("tell the user: cancelled, nothing written");
                Said::Cancelled
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
