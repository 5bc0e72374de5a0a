// WRONG: recv() on a std channel blocks the runtime's only thread until the other thread sends, so the heartbeat stops.
use std::sync::mpsc;
use std::time::Duration;

/// Waits `delay` for the backup service (here, the wait is all it does).
pub async fn wait_for_backup(delay: Duration) {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        std::thread::sleep(delay);
        let _ = tx.send(());
    });
    let _ = rx.recv();
}
