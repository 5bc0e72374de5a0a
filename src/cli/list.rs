//! `racelab list`: every scenario, one line each.

use std::fmt::Write;

use clap::Args as ClapArgs;

use super::{style, Status};
use crate::catalogue::{self, Expect};

#[derive(Debug, ClapArgs, Default)]
pub(crate) struct Args {
    /// Print a JSON array instead of a table.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Status> {
    if args.json {
        let entries: Vec<_> = catalogue::ENTRIES
            .iter()
            .map(|e| {
                serde_json::json!({
                    "name": e.name,
                    "topic": e.topic(),
                    "summary": e.summary,
                    "expect": expect_word(e.expect),
                })
            })
            .chain(catalogue::DEMOS.iter().map(|d| {
                serde_json::json!({
                    "name": d.name,
                    "topic": d.topic(),
                    "summary": d.summary,
                    "expect": "demo",
                })
            }))
            .collect();
        super::emit(&format!("{}\n", serde_json::to_string_pretty(&entries)?));
        return Ok(Status::Ok);
    }
    let color = style::color_stdout();
    let mut out = String::new();
    let width = catalogue::ENTRIES
        .iter()
        .map(|e| e.name)
        .chain(catalogue::DEMOS.iter().map(|d| d.name))
        .map(str::len)
        .max()
        .unwrap_or(0);
    for topic in catalogue::topics() {
        for e in catalogue::ENTRIES.iter().filter(|e| e.topic() == topic) {
            let verdict = match e.expect {
                Expect::Holds => style::green("holds", color),
                Expect::Racy(_) | Expect::LoomOnly(_) => style::red("racy ", color),
            };
            let _ = writeln!(out, "{:<width$}  {verdict}  {}", e.name, e.summary);
        }
        for d in catalogue::DEMOS.iter().filter(|d| d.topic() == topic) {
            let _ = writeln!(out, "{:<width$}  {}  {}", d.name, style::dim("demo ", color), d.summary);
        }
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "{}",
        style::dim("explore one: racelab explore counter::racy --backend all", color)
    );
    let _ = writeln!(
        out,
        "{}",
        style::dim(
            "holds/racy: model-checked scenarios; demo: real threads and processes, run by `racelab tour TOPIC`",
            color
        )
    );
    super::emit(&out);
    Ok(Status::Ok)
}

/// The expectation as one word (or the failure kind).
pub(crate) fn expect_word(expect: Expect) -> String {
    match expect {
        Expect::Holds => "holds".to_owned(),
        Expect::Racy(kind) => format!("racy ({kind})"),
        Expect::LoomOnly(kind) => format!("racy under loom only ({kind})"),
    }
}
