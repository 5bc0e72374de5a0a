//! `racelab hint N`: the hint for one lab, and where its guide is.

use clap::Args as ClapArgs;

use super::{emit, style, Status};

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
    let color = style::color_stdout();
    let rel = |p: std::path::PathBuf| {
        p.strip_prefix(&labs.root)
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    };
    emit(&format!(
        "{}\n\n{}\n\nguide: {} (по-русски: {})\n",
        style::bold(&format!("lab {}: {}", lab.id, lab.title), color),
        lab.hint,
        rel(labs.guide(lab, false)),
        rel(labs.guide(lab, true)),
    ));
    Ok(Status::Ok)
}
