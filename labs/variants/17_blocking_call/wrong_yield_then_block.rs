// WRONG: yielding once lets the heartbeat beat once, but the blocking sleep after it still holds the only thread for the whole delay.
use std::time::Duration;

/// Waits `delay` for the backup service (here, the wait is all it does).
pub async fn wait_for_backup(delay: Duration) {
    tokio::task::yield_now().await;
    std::thread::sleep(delay);
}
