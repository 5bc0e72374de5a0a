// WRONG: a future does nothing until it is awaited, so this returns at once without waiting for the backup.
use std::time::Duration;

/// Waits `delay` for the backup service (here, the wait is all it does).
pub async fn wait_for_backup(delay: Duration) {
    let _ = tokio::time::sleep(delay);
}
