//! `racelab reset N`: puts a lab's starter back, keeping the student's
//! file as a backup.

use clap::Args as ClapArgs;

use super::{emit, Status};
use crate::labs::{Labs, State};

#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// The lab's number (see `racelab labs`).
    lab: String,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Status> {
    let labs = Labs::find()?;
    let lab = match labs.get(&args.lab) {
        Ok(l) => l,
        Err(e) => return Ok(super::usage_error(e)),
    };
    let backup = labs.reset(lab)?;
    labs.set_state(lab, State::NotStarted)?;
    emit(&format!(
        "lab {} is back to its starter.\nyour version is kept in {}\n",
        lab.id,
        backup.strip_prefix(&labs.root).unwrap_or(&backup).display()
    ));
    Ok(Status::Ok)
}
