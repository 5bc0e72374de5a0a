// RIGHT: a timeout around a future that never completes is an async wait of exactly `delay`.
use std::time::Duration;

/// Waits `delay` for the backup service (here, the wait is all it does).
pub async fn wait_for_backup(delay: Duration) {
    let _elapsed = tokio::time::timeout(delay, std::future::pending::<()>()).await;
}
