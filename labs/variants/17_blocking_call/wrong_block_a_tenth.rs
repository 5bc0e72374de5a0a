// WRONG: a tenth of the wait is still std::thread::sleep: the heartbeat stalls for 10 ms of every 100 ms wait (a blocking call is still a blocking call).
use std::time::Duration;


pub async fn wait_for_backup(delay: Duration) {
    std::thread::sleep(delay / 10);
    tokio::time::sleep(delay - delay / 10).await;
}
