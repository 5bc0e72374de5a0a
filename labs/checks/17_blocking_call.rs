//! Check for lab 17: while `wait_for_backup` waits, a heartbeat task on the
//! same current-thread runtime must run. The check is an order of events,
//! not a timing: the heartbeat is ready to run before the wait starts and
//! wakes itself after every beat, so if the wait gives the thread back even
//! once, the heartbeat beats at least once; if it holds the thread, it
//! cannot beat at all. Run on real threads (the models do not run tokio),
//! 50 times.

use super::exercise;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use racelab::explore::{Grade, Scenario};
use racelab::sync::Backend;

/// Gives the thread to the next task and asks to run again at once (tokio's
/// own `yield_now` defers its wake-up to the next timer check instead).
struct Yield(bool);

impl Future for Yield {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

fn beats_during_the_wait() -> u64 {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime");
    runtime.block_on(async {
        let beats = Arc::new(AtomicU64::new(0));
        let done = Arc::new(AtomicBool::new(false));
        let heartbeat = tokio::spawn({
            let (beats, done) = (Arc::clone(&beats), Arc::clone(&done));
            async move {
                while !done.load(SeqCst) {
                    beats.fetch_add(1, SeqCst);
                    Yield(false).await;
                }
            }
        });
        let before = beats.load(SeqCst);
        exercise::wait_for_backup(Duration::from_millis(20)).await;
        let during = beats.load(SeqCst) - before;
        done.store(true, SeqCst);
        heartbeat.await.expect("the heartbeat finishes");
        during
    })
}

#[test]
fn the_heartbeat_keeps_beating_while_the_task_waits() {
    let scenario = Scenario::new("lab 17: a blocking call in async code", || {
        if beats_during_the_wait() == 0 {
            "heartbeat starved for the whole wait".to_owned()
        } else {
            "heartbeat kept beating".to_owned()
        }
    })
    .expect("the heartbeat kept beating", |o| {
        if o == "heartbeat kept beating" {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    });
    racelab_labs::check(scenario, &[Backend::Hardware]);
}
