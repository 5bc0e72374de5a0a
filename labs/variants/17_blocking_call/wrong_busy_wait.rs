// WRONG: spinning until the deadline never sleeps, but it never gives the thread back either, so the heartbeat cannot beat.
use std::time::{Duration, Instant};

/// Waits `delay` for the backup service (here, the wait is all it does).
pub async fn wait_for_backup(delay: Duration) {
    let deadline = Instant::now() + delay;
    while Instant::now() < deadline {
        std::hint::spin_loop();
    }
}
