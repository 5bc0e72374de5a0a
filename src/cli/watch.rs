//! `racelab watch`: checks the current lab, then re-checks a lab each time
//! its file under `labs/exercises/` is saved. `q` then Enter quits, even in
//! the middle of a check (the check is stopped, with every process it
//! started); so does Ctrl-C.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use clap::Args as ClapArgs;

use super::check::{check_lab, describe};
use super::{emit, style, Status};
use crate::labs::{Cancel, Lab, Labs, State, Verdict};

#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// Seconds each check may take (after it is built).
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
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

/// The lab whose exercise changed between `before` and `now` (the latest
/// saved, if several were).
fn saved<'a>(
    labs: &'a Labs,
    before: &BTreeMap<PathBuf, SystemTime>,
    now: &BTreeMap<PathBuf, SystemTime>,
) -> Option<&'a Lab> {
    labs.labs
        .iter()
        .filter_map(|lab| {
            let path = labs.exercise(lab);
            let t = *now.get(&path)?;
            (before.get(&path) != Some(&t)).then_some((t, lab))
        })
        .max_by_key(|(t, _)| *t)
        .map(|(_, lab)| lab)
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Status> {
    let labs = Labs::find()?;
    let limit = Duration::from_secs(args.time_limit);
    crate::labs::kill_groups_on_interrupt();
    let cancel = Cancel::new();
    let (quit_tx, quit) = mpsc::channel();
    {
        let cancel = cancel.clone();
        std::thread::spawn(move || {
            for line in std::io::stdin().lock().lines() {
                match line {
                    Ok(l) if l.trim() == "q" => break,
                    Ok(_) => continue,
                    Err(_) => break,
                }
            }
            // `q`, or stdin closed: stop a check under way, and the watch.
            cancel.cancel();
            let _ = quit_tx.send(());
        });
    }
    let Some(mut lab) = labs.next().cloned() else {
        emit("every lab is done.\n");
        return Ok(Status::Ok);
    };
    let mut seen = stamps(&labs);
    let mut status = Status::Ok;
    loop {
        emit(&format!(
            "\nchecking lab {}: {} (`q` then Enter quits, even during a check)\n",
            lab.id, lab.title
        ));
        let checked = check_lab(&labs, &lab, None, limit, &cancel)?;
        if checked.verdict == Verdict::Cancelled {
            emit("stopped.\n");
            return Ok(status);
        }
        let holds = checked.verdict == Verdict::Holds;
        labs.set_state(&lab, if holds { State::Done } else { State::Failing })?;
        status = if holds { Status::Ok } else { Status::Failed };
        emit(&describe(&labs, &lab, &checked, style::color_stdout()));
        emit("\nwatching labs/exercises/: save a lab's file to check it.\n");
        lab = loop {
            match quit.recv_timeout(Duration::from_millis(300)) {
                Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(status),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
            let now = stamps(&labs);
            let changed = saved(&labs, &seen, &now).cloned();
            seen = now;
            if let Some(changed) = changed {
                break changed;
            }
        };
    }
}
