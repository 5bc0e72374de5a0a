// WRONG: the blocking sleep is moved to the blocking pool, but its handle is never awaited, so nothing waits for the backup.
use std::time::Duration;

/// Waits `delay` for the backup service (here, the wait is all it does).
pub async fn wait_for_backup(delay: Duration) {
    let _backup = tokio::task::spawn_blocking(move || std::thread::sleep(delay));
}
