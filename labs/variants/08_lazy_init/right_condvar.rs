// RIGHT: a state under a mutex; the initialiser runs init without the lock and wakes every waiter with notify_all.

use racelab::sync::{Condvar, Mutex};

/// Where the value is: not computed, being computed, computed.
#[derive(Clone, Copy, Debug)]
enum State {
    Empty,
    Running,
    Ready(u64),
}

/// A value computed on first use.
pub struct Lazy {
    state: Mutex<State>,
    done: Condvar,
}

impl Lazy {
    pub fn new() -> Self {
        Lazy {
            state: Mutex::new(State::Empty).named("state").traced(),
            done: Condvar::new().named("done"),
        }
    }

    /// The value, computed by `init` if nobody has computed it yet.
    pub fn get(&self, init: impl FnOnce() -> u64) -> u64 {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            match *state {
                State::Ready(v) => return v,
                State::Running => state = self.done.wait(state).unwrap_or_else(|p| p.into_inner()),
                State::Empty => {
                    *state = State::Running;
                    drop(state);
                    // init runs without the lock, so a slow init blocks only those who need its value.
                    let v = init();
                    *self.state.lock().unwrap_or_else(|p| p.into_inner()) = State::Ready(v);
                    self.done.notify_all();
                    return v;
                }
            }
        }
    }
}
