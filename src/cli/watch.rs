//! `racelab watch`: re-checks the current lab whenever a file under
//! `labs/exercises/` is saved. Quit with `q` (then Enter) or Ctrl-C.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use clap::Args as ClapArgs;

use super::{check::check_one, emit, Status};
use crate::labs::Labs;

#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// Seconds each check may take.
    #[arg(long, default_value_t = 60)]
    time_limit: u64,
}

/// Modification times of every exercise.
fn stamps(labs: &Labs) -> BTreeMap<PathBuf, SystemTime> {
    labs.labs
        .iter()
        .map(|l| labs.exercise(l))
        .filter_map(|p| std::fs::metadata(&p).and_then(|m| m.modified()).ok().map(|t| (p, t)))
        .collect()
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Status> {
    let labs = Labs::find()?;
    let limit = Duration::from_secs(args.time_limit);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            match line {
                Ok(l) if l.trim() == "q" => break,
                Ok(_) => continue,
                Err(_) => break,
            }
        }
        let _ = tx.send(());
    });
    let mut seen = stamps(&labs);
    loop {
        let Some(lab) = labs.next().cloned() else {
            emit("every lab is done.\n");
            return Ok(Status::Ok);
        };
        emit(&format!(
            "\nwatching labs/exercises/ — lab {}: {}. Save to check; `q` then Enter quits.\n",
            lab.id, lab.title
        ));
        let status = check_one(&labs, &lab, limit)?;
        loop {
            match rx.recv_timeout(Duration::from_millis(500)) {
                Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(status),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
            let now = stamps(&labs);
            if now != seen {
                seen = now;
                break;
            }
        }
    }
}
