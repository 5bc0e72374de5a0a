//! `racelab reset N`: puts a lab's starter back, keeping the student's
//! file as a backup.

use clap::Args as ClapArgs;

use super::{emit, Status};
use crate::labs::State;

#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// The lab's number (see `racelab labs`).
    lab: String,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Status> {
    let (labs, lab) = match super::find_lab(&args.lab)? {
        Ok(found) => found,
        Err(status) => return Ok(status),
    };
    let lab = &lab;
    let backup = labs.reset(lab)?;
    labs.set_state(lab, State::NotStarted)?;
    emit(&match backup {
        Some(backup) => format!(
            "lab {} is back to its starter.\nyour version is kept in {}\n",
            lab.id,
            backup.strip_prefix(&labs.root).unwrap_or(&backup).display()
        ),
        None => format!(
            "lab {} is back to its starter (it was unchanged: no backup needed).\n",
            lab.id
        ),
    });
    Ok(Status::Ok)
}
