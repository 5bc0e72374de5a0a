// WRONG: a spawned task runs on the same single runtime thread, so its blocking sleep stops the heartbeat just the same.
use std::time::Duration;

/// Waits `delay` for the backup service (here, the wait is all it does).
pub async fn wait_for_backup(delay: Duration) {
    tokio::spawn(async move { std::thread::sleep(delay) })
        .await
        .expect("the waiting task panicked");
}
