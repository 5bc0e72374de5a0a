// WRONG: the sleep runs on another thread, but join() blocks the runtime's thread until it ends.
use std::time::Duration;

/// Waits `delay` for the backup service (here, the wait is all it does).
pub async fn wait_for_backup(delay: Duration) {
    std::thread::spawn(move || std::thread::sleep(delay))
        .join()
        .expect("the waiting thread panicked");
}
