//! The UI thread: draws the worker's progress and stays responsive.
//!
//! Lecture section *threading*: the thread that talks to the user never
//! does the long job; it waits for *whichever comes first* — a message from
//! the worker, a cancel request from the user, or a tick (so it can redraw
//! and look at the user's input even while the worker is silent, stuck on a
//! slow disk). That is `crossbeam_channel::select!` with a timeout.
//!
//! After asking to cancel, the UI keeps listening until the worker's final
//! message and reports *that*: the worker may have been past its last look
//! at the token, and then the file is there, and "cancelled" would be a lie.
//! [`super::cancel_flag`] model-checks the lie; [`super::cancel_ack`] the
//! fix used here.
//!
//! The bar is an [`indicatif::ProgressBar`] on standard error: drawn only on
//! a terminal (indicatif hides it otherwise, so CI logs stay clean), without
//! colour (so `NO_COLOR` has nothing to turn off), and erased when the copy
//! ends, so plain lines printed afterwards are not garbled.

use std::fmt;
use std::time::{Duration, Instant};

use crossbeam_channel::{never, select, Receiver, TryRecvError};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::copy::{CopyError, CopyJob, Event};

/// How a copy ended, as the UI reports it (from the worker's final word).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Summary {
    /// The copy is at the destination.
    Copied { bytes: u64, elapsed: Duration },
    /// Nothing is at the destination.
    Cancelled { after_bytes: u64 },
}

impl Summary {
    /// Throughput of a finished copy, in MiB/s (`None` for a cancelled one
    /// or one too quick to time).
    pub fn mib_per_sec(&self) -> Option<f64> {
        match *self {
            Summary::Copied { bytes, elapsed } if !elapsed.is_zero() => Some(mib(bytes) / elapsed.as_secs_f64()),
            _ => None,
        }
    }
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Summary::Copied { bytes, elapsed } => {
                write!(f, "copied {:.1} MiB in {:.3} s", mib(bytes), elapsed.as_secs_f64())?;
                match self.mib_per_sec() {
                    Some(rate) => write!(f, " ({rate:.0} MiB/s)"),
                    None => Ok(()),
                }
            }
            Summary::Cancelled { after_bytes } => {
                write!(f, "cancelled after {:.1} MiB, nothing written", mib(after_bytes))
            }
        }
    }
}

/// The UI side of a copy: a bar, where cancel requests come from, and when
/// the UI itself decides to cancel.
#[derive(Debug)]
pub struct Ui {
    bar: ProgressBar,
    requests: Receiver<()>,
    cancel_at: Option<u64>,
    tick: Duration,
}

impl Ui {
    /// Draws nothing (tests, `--json`, a pipe).
    pub fn hidden() -> Self {
        Ui::with_bar(ProgressBar::hidden())
    }

    /// A bar on standard error, drawn only if that is a terminal.
    pub fn on_stderr() -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "  {spinner} copying [{wide_bar}] {bytes}/{total_bytes} {binary_bytes_per_sec} {msg}",
        )
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Ui::with_bar(bar)
    }

    /// Draws on `bar`.
    pub fn with_bar(bar: ProgressBar) -> Self {
        Ui {
            bar,
            requests: never(),
            cancel_at: None,
            tick: Duration::from_millis(100),
        }
    }

    /// Cancels when a request arrives on `requests` (a button, Ctrl-C).
    pub fn cancel_on(mut self, requests: Receiver<()>) -> Self {
        self.requests = requests;
        self
    }

    /// Cancels on the first progress message with at least `bytes` done
    /// (0: on the very first message).
    pub fn cancel_at(mut self, bytes: u64) -> Self {
        self.cancel_at = Some(bytes);
        self
    }

    /// Wakes at least this often while the worker is silent.
    pub fn tick(mut self, every: Duration) -> Self {
        self.tick = every;
        self
    }

    /// Whether the bar is actually drawn (a terminal).
    pub fn is_drawn(&self) -> bool {
        !self.bar.is_hidden()
    }

    /// Follows `job` to its end: draws progress, passes on cancel requests,
    /// and returns what the worker's final message says.
    pub fn drive(self, job: CopyJob) -> Result<Summary, CopyError> {
        let started = Instant::now();
        let mut requests = self.requests.clone();
        let mut asked = false;
        let ask = |asked: &mut bool| {
            if !*asked {
                job.cancel_token().cancel();
                self.bar.set_message("cancelling…");
                *asked = true;
            }
        };
        let result = loop {
            // The user first: a request already waiting is taken before
            // whatever the worker sent, so a cancel is never put off.
            match requests.try_recv() {
                Ok(()) => ask(&mut asked),
                Err(TryRecvError::Disconnected) => requests = never(),
                Err(TryRecvError::Empty) => {}
            }
            select! {
                recv(job.events()) -> event => match event {
                    Ok(Event::Progress(p)) => {
                        self.bar.set_length(p.total.max(p.done));
                        self.bar.set_position(p.done);
                        if self.cancel_at.is_some_and(|at| p.done >= at) {
                            ask(&mut asked);
                        }
                    }
                    Ok(Event::Finished { bytes }) => {
                        break Ok(Summary::Copied { bytes, elapsed: started.elapsed() });
                    }
                    Ok(Event::Cancelled { after_bytes }) => break Ok(Summary::Cancelled { after_bytes }),
                    Ok(Event::Failed(e)) => break Err(e),
                    Err(_) => break Err(CopyError::WorkerLost),
                },
                recv(requests) -> request => match request {
                    Ok(()) => ask(&mut asked),
                    // Nobody can ask any more: stop listening.
                    Err(_) => requests = never(),
                },
                default(self.tick) => self.bar.tick(),
            }
        };
        self.bar.finish_and_clear();
        result
    }
}
