// RIGHT: an interval's first tick is immediate and its second comes `delay` later, awaited without blocking.
use std::time::Duration;

/// Waits `delay` for the backup service (here, the wait is all it does).
pub async fn wait_for_backup(delay: Duration) {
    let mut ticks = tokio::time::interval(delay);
    ticks.tick().await;
    ticks.tick().await;
}
