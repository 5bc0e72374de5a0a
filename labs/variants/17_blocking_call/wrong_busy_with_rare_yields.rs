// WRONG: busy-wait in 25 ms chunks with a tokio yield between chunks: the heartbeat gets a turn only every 25 ms, stalled in between.
use std::time::Duration;


pub async fn wait_for_backup(delay: Duration) {
    let start = std::time::Instant::now();
    while start.elapsed() < delay {
        let chunk = std::time::Instant::now();
        while chunk.elapsed() < Duration::from_millis(25) && start.elapsed() < delay {
            std::hint::spin_loop();
        }
        tokio::task::yield_now().await;
    }
}
