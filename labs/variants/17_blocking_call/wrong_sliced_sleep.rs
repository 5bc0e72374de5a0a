// WRONG: short blocking sleeps with yields between them still keep the runtime's thread asleep for almost the whole delay.
use std::time::Duration;

/// Waits `delay` for the backup service (here, the wait is all it does).
pub async fn wait_for_backup(delay: Duration) {
    for _ in 0..20 {
        std::thread::sleep(delay / 20);
        tokio::task::yield_now().await;
    }
}
