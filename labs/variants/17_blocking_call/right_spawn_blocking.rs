// RIGHT: the blocking sleep runs on tokio's blocking pool, and awaiting its handle suspends only this task.
use std::time::Duration;

/// Waits `delay` for the backup service (here, the wait is all it does).
pub async fn wait_for_backup(delay: Duration) {
    tokio::task::spawn_blocking(move || std::thread::sleep(delay))
        .await
        .expect("the backup wait panicked");
}
