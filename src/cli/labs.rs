//! `racelab labs`: every lab with its state, the next one marked.

use std::fmt::Write;

use clap::Args as ClapArgs;

use super::{emit, style, Status};
use crate::labs::{Labs, RunsOn, State};

#[derive(Debug, ClapArgs)]
pub(crate) struct Args {}

pub(crate) fn run(_args: &Args) -> anyhow::Result<Status> {
    let labs = Labs::find()?;
    let color = style::color_stdout();
    let next = labs.next().map(|l| l.id);
    let done = labs.labs.iter().filter(|l| labs.state(l) == State::Done).count();
    let mut out = String::new();
    let _ = writeln!(out, "{}", style::bold("racelab labs", color));
    for lab in &labs.labs {
        let state = labs.state(lab);
        let word = format!("{:<11}", state.word());
        let word = match state {
            State::Done => style::green(&word, color),
            State::Failing => style::red(&word, color),
            State::NotStarted => style::dim(&word, color),
        };
        let arrow = if Some(lab.id) == next { "→" } else { " " };
        let title = if Some(lab.id) == next {
            style::bold(&lab.title, color)
        } else {
            lab.title.clone()
        };
        let topic = match lab.runs_on {
            RunsOn::Models => format!("({})", lab.topic),
            other => format!("({}; checked on {})", lab.topic, other.words()),
        };
        let _ = writeln!(
            out,
            " {arrow} {:>2}  {word}  {title}  {}",
            lab.id,
            style::dim(&topic, color)
        );
    }
    let _ = writeln!(out, "\n{done}/{} done", labs.labs.len());
    match labs.next() {
        Some(lab) => {
            let _ = writeln!(
                out,
                "next: edit {} and run `racelab check {}` (guide: {})",
                labs.exercise(lab)
                    .strip_prefix(&labs.root)
                    .unwrap_or(&labs.exercise(lab))
                    .display(),
                lab.id,
                labs.guide(lab, false)
                    .strip_prefix(&labs.root)
                    .unwrap_or(&labs.guide(lab, false))
                    .display()
            );
        }
        None => {
            let _ = writeln!(out, "every lab is done.");
        }
    }
    emit(&out);
    Ok(Status::Ok)
}
