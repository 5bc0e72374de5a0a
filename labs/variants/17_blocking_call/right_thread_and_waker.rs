// RIGHT: another thread does the blocking sleep and then wakes this task, which stays suspended, not blocked, meanwhile.
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

/// Whether the backup has answered, and who to wake when it does.
#[derive(Default)]
struct Answer {
    done: bool,
    waker: Option<Waker>,
}

struct Backup(Arc<Mutex<Answer>>);

impl Future for Backup {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut answer = self.0.lock().expect("the backup thread panicked");
        if answer.done {
            Poll::Ready(())
        } else {
            answer.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

/// Waits `delay` for the backup service (here, the wait is all it does).
pub async fn wait_for_backup(delay: Duration) {
    let answer = Arc::new(Mutex::new(Answer::default()));
    let theirs = Arc::clone(&answer);
    std::thread::spawn(move || {
        std::thread::sleep(delay);
        let mut answer = theirs.lock().expect("the waiting task panicked");
        answer.done = true;
        if let Some(waker) = answer.waker.take() {
            waker.wake();
        }
    });
    Backup(answer).await;
}
