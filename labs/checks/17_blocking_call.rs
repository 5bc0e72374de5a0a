//! Check for lab 17: `wait_for_backup(delay)` waits at least `delay`, and
//! during the wait the runtime's only thread stays free for the heartbeat
//! task: it never sleeps in a blocking call, and it never stays busy
//! without letting the heartbeat beat.
//!
//! A timing check that a loaded machine cannot fool: the heartbeat is ready
//! to run before the wait starts and wakes itself after every beat, so a
//! correct wait never leaves the runtime's thread idle. Linux says, in
//! `/proc/thread-self/schedstat`, how long a thread has been on a CPU and
//! how long it waited for one; what is left of the wall-clock time (less
//! the time the hypervisor stole, from `/proc/stat`) the thread slept. A
//! blocking call sleeps it for about `delay`; a correct wait, not at all.
//! And the heartbeat notes the thread's CPU time at every beat: a busy loop
//! shows as a long stretch of CPU time without a beat. A thread that is
//! merely preempted (runnable, waiting for a CPU) counts as neither. Run on
//! real threads (the models do not run tokio), with two delays.

use super::exercise;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use racelab::explore::{Explorer, Scenario};

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

/// This thread's time on a CPU and time spent waiting for one, from
/// `/proc/thread-self/schedstat` (`None` where there is no such file).
#[derive(Clone, Copy, Debug)]
struct Clocks {
    on_cpu: Duration,
    queued: Duration,
}

fn clocks() -> Option<Clocks> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut fields = text.split_whitespace().map(|f| f.parse::<u64>().ok());
    let on_cpu = Duration::from_nanos(fields.next()??);
    let queued = Duration::from_nanos(fields.next()??);
    Some(Clocks { on_cpu, queued })
}

/// Time the hypervisor has stolen from all CPUs so far (`/proc/stat`, in
/// ticks of 10 ms); zero where unknown.
fn stolen() -> Duration {
    std::fs::read_to_string("/proc/stat")
        .ok()
        .and_then(|text| text.lines().next()?.split_whitespace().nth(8)?.parse::<u64>().ok())
        .map_or(Duration::ZERO, |ticks| Duration::from_millis(ticks * 10))
}

/// This thread's CPU time, to the nanosecond: `clock_gettime` with
/// `CLOCK_THREAD_CPUTIME_ID`, which std does not offer. (The CPU time in
/// `/proc` advances in scheduler ticks, up to 10 ms at a time.)
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn thread_cpu_time() -> Option<Duration> {
    /// `struct timespec` on 64-bit Linux.
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut time = Timespec { sec: 0, nsec: 0 };
    // SAFETY: `clock_gettime` is the C library's (std links it on Linux); it
    // only writes one `struct timespec`, two 64-bit integers on 64-bit
    // Linux, through the pointer, which points to a live local of exactly
    // that layout.
    let status = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut time) };
    if status != 0 {
        return None;
    }
    Some(Duration::new(
        u64::try_from(time.sec).ok()?,
        u32::try_from(time.nsec).ok()?,
    ))
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn thread_cpu_time() -> Option<Duration> {
    None
}

/// This thread's CPU time, as precisely as this system tells it.
fn cpu_time() -> Option<Duration> {
    thread_cpu_time().or_else(|| clocks().map(|c| c.on_cpu))
}

/// What the heartbeat saw of the wait.
#[derive(Debug, Default)]
struct Beats {
    /// The clock of the last beat (or of the wait's start): CPU time if
    /// this system tells it, wall-clock time otherwise.
    last: Option<Duration>,
    /// The longest stretch between two beats (or the wait's start or end).
    longest_gap: Duration,
    counting: bool,
    start: Option<Instant>,
}

impl Beats {
    fn clock(&mut self) -> Duration {
        match cpu_time() {
            Some(cpu) => cpu,
            None => self.start.get_or_insert_with(Instant::now).elapsed(),
        }
    }

    fn mark(&mut self) {
        let now = self.clock();
        if let Some(last) = self.last {
            self.longest_gap = self.longest_gap.max(now.saturating_sub(last));
        }
        self.last = Some(now);
    }
}

/// One wait, measured.
#[derive(Debug)]
struct Measured {
    /// How long `wait_for_backup` took.
    lasted: Duration,
    /// How long the runtime's thread slept during it (`None` without
    /// `/proc`).
    asleep: Option<Duration>,
    /// The runtime's thread's CPU time during it (`None` if unknown).
    on_cpu: Option<Duration>,
    /// The longest stretch without a beat: of CPU time of the runtime's
    /// thread, or of wall-clock time if that is unknown.
    longest_gap: Duration,
}

fn measure(delay: Duration) -> Measured {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime");
    runtime.block_on(async {
        let beats = Arc::new(Mutex::new(Beats::default()));
        let done = Arc::new(AtomicBool::new(false));
        let heartbeat = tokio::spawn({
            let (beats, done) = (Arc::clone(&beats), Arc::clone(&done));
            async move {
                while !done.load(SeqCst) {
                    {
                        let mut b = beats.lock().expect("the heartbeat's notes");
                        if b.counting {
                            b.mark();
                        }
                    }
                    Yield(false).await;
                }
            }
        });
        // The heartbeat is running and ready again before the wait starts.
        Yield(false).await;
        // Clocks first, wall time second at the start, the other way round
        // at the end: a preemption in between can then only make the sleep
        // look shorter.
        let (stolen_before, before, cpu_before) = (stolen(), clocks(), cpu_time());
        let start = Instant::now();
        {
            let mut b = beats.lock().expect("the heartbeat's notes");
            b.counting = true;
            b.mark();
        }
        exercise::wait_for_backup(delay).await;
        let lasted = start.elapsed();
        let longest_gap = {
            let mut b = beats.lock().expect("the heartbeat's notes");
            b.mark();
            b.counting = false;
            b.longest_gap
        };
        let (cpu_after, after, stolen_after) = (cpu_time(), clocks(), stolen());
        done.store(true, SeqCst);
        heartbeat.await.expect("the heartbeat finishes");
        let on_cpu = cpu_before.zip(cpu_after).map(|(b, a)| a.saturating_sub(b));
        let asleep = before.zip(after).zip(on_cpu).map(|((b, a), on_cpu)| {
            lasted
                .saturating_sub(on_cpu)
                .saturating_sub(a.queued.saturating_sub(b.queued))
                .saturating_sub(stolen_after.saturating_sub(stolen_before))
        });
        Measured {
            lasted,
            asleep,
            on_cpu,
            longest_gap,
        }
    })
}

/// What a wait shows, in a student's words.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Wait {
    /// The property holds.
    KeptBeating,
    /// Returned before `delay` was up.
    Early {
        delay_ms: u128,
    },
    /// The runtime's thread slept in a blocking call during the wait.
    Blocked {
        delay_ms: u128,
    },
    /// The runtime's thread was busy during the wait, with no beat.
    Busy {
        delay_ms: u128,
    },
    /// Without `/proc`: no beat for much of the wait.
    Stopped {
        delay_ms: u128,
    },
    Panicked(String),
}

impl fmt::Display for Wait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Wait::KeptBeating => f.write_str("the heartbeat kept beating through the whole wait"),
            Wait::Early { delay_ms } => write!(
                f,
                "wait_for_backup returned before the backup's {delay_ms} ms were up: nothing waited for it"
            ),
            Wait::Blocked { delay_ms } => write!(
                f,
                "the heartbeat stopped: the runtime's only thread was blocked (asleep in a blocking call) during \
                 the {delay_ms} ms wait"
            ),
            Wait::Busy { delay_ms } => write!(
                f,
                "the heartbeat stopped: the runtime's only thread was kept busy during the {delay_ms} ms wait without \
                 letting the heartbeat run"
            ),
            Wait::Stopped { delay_ms } => {
                write!(f, "the heartbeat stopped for much of the {delay_ms} ms wait")
            }
            Wait::Panicked(why) => write!(f, "wait_for_backup panicked: {why}"),
        }
    }
}

/// How many times a wait is measured before a blocked or busy thread is
/// believed.
const MEASUREMENTS: usize = 3;

/// Measures a wait, and again while the thread looks blocked or busy: a
/// blocking call or a busy loop shows in every measurement, while a correct
/// wait looks blocked only if the machine happened to preempt another
/// thread that held a lock this one needed (a `Mutex` shared with the
/// thread that wakes it, say) for longer than the tolerance, which a loaded
/// machine does now and then but hardly ever three times running.
fn wait(delay: Duration) -> Wait {
    let mut seen = measure_once(delay);
    for _ in 1..MEASUREMENTS {
        if !matches!(seen, Wait::Blocked { .. } | Wait::Busy { .. } | Wait::Stopped { .. }) {
            break;
        }
        seen = measure_once(delay);
    }
    seen
}

fn measure_once(delay: Duration) -> Wait {
    let delay_ms = delay.as_millis();
    let m = match std::panic::catch_unwind(|| measure(delay)) {
        Ok(m) => m,
        Err(payload) => {
            let why = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(a panic without a message)".to_owned());
            return Wait::Panicked(why);
        }
    };
    if m.lasted < delay {
        return Wait::Early { delay_ms };
    }
    // A correct wait never puts the runtime's thread to sleep (the heartbeat
    // is always ready to run) and lets it beat every few microseconds of CPU
    // time; both measure about 0 however loaded the machine is. So any
    // blocking call shows, down to a twentieth of the wait (5 ms at least,
    // well above what page faults and the like could add).
    let tolerance = (delay / 20).max(Duration::from_millis(5));
    if m.asleep.is_some_and(|asleep| asleep >= tolerance) {
        return Wait::Blocked { delay_ms };
    }
    let busy = match (m.on_cpu, thread_cpu_time().is_some()) {
        // Exact CPU time: a correct wait lets the heartbeat beat every few
        // microseconds of it, however little CPU a loaded machine gives the
        // thread; a busy loop spends whole milliseconds without a beat.
        (Some(_), true) => m.longest_gap >= tolerance,
        // CPU time in scheduler ticks (up to 10 ms): a quarter of the delay
        // is far above what a correct wait shows between two beats.
        (Some(_), false) => m.longest_gap >= delay / 4,
        // Wall-clock time only.
        (None, _) => m.longest_gap >= delay / 2,
    };
    match (busy, m.asleep.is_some()) {
        (true, true) => Wait::Busy { delay_ms },
        (true, false) => Wait::Stopped { delay_ms },
        (false, _) => Wait::KeptBeating,
    }
}

/// The wait lasts at least `delay`, and the runtime's only thread is never
/// blocked during it: it never sleeps in a blocking call (not even for a
/// twentieth of the wait), and it never spends that long on the CPU without
/// letting the heartbeat beat. Checked with a wait of 100 ms and one of
/// 200 ms; a wait that looks blocked or busy is measured again, up to three
/// times, before the check believes it.
#[test]
fn the_heartbeat_keeps_beating_while_the_task_waits() {
    let note = if cfg!(target_os = "linux") {
        "real threads (the models do not run tokio): Linux's /proc says how long the runtime's thread slept and how \
         much CPU time passed between beats, so a slow or busy machine does not change the outcome"
    } else {
        "real threads (the models do not run tokio); without Linux's /proc this is timed by the clock alone, which a \
         very busy machine could get wrong"
    };
    for delay_ms in [100, 200] {
        let delay = Duration::from_millis(delay_ms);
        let scenario = Scenario::new(format!("lab 17: a {delay_ms} ms wait in async code"), move || {
            wait(delay)
        })
        .expect_only(Wait::KeptBeating)
        .note(note);
        racelab_labs::check_with(
            scenario,
            &[Explorer::hardware()
                .with_budget(3)
                .with_time_limit(Duration::from_secs(30))],
        );
    }
}
