//! `racelab verify`: for every lab, the starter fails its check the way
//! `labs.toml` says, and the reference solution passes. CI runs it.

use std::time::Duration;

use clap::Args as ClapArgs;

use super::progress::with_progress;
use super::{emit, style, Status};
use crate::explore::FailureKind;
use crate::labs::{Labs, Verdict};

#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// Seconds each check may take.
    #[arg(long, default_value_t = 300)]
    time_limit: u64,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Status> {
    let labs = Labs::find()?;
    let color = style::color_stdout();
    let limit = Duration::from_secs(args.time_limit);
    let mut ok = true;
    for lab in &labs.labs {
        let expected: Option<FailureKind> = lab.failure.parse().ok();
        let starter = with_progress(&format!("verifying lab {} (starter)", lab.id), || {
            labs.check(lab, false, limit)
        })?;
        let solution = with_progress(&format!("verifying lab {} (solution)", lab.id), || {
            labs.check(lab, true, limit)
        })?;
        let starter_ok = starter.verdict == Verdict::Fails && starter.failure_kind() == expected;
        let solution_ok = solution.verdict == Verdict::Holds;
        let found = starter
            .failure_kind()
            .map_or_else(|| format!("{:?}", starter.verdict), |k| k.to_string());
        let line = format!(
            "lab {:>2} {:<28} starter: {:<32} solution: {}",
            lab.id,
            lab.name,
            if starter_ok {
                format!("fails ({found})")
            } else {
                format!("WRONG: {found}, expected {}", lab.failure)
            },
            if solution_ok {
                "holds".to_owned()
            } else {
                format!("WRONG: {:?}", solution.verdict)
            }
        );
        let line = if starter_ok && solution_ok {
            style::green(&line, color)
        } else {
            style::red(&line, color)
        };
        emit(&format!("{line}\n"));
        if !solution_ok && solution.verdict != Verdict::Fails {
            emit(&format!("{}\n", solution.stderr.trim_end()));
        }
        ok &= starter_ok && solution_ok;
    }
    emit(if ok {
        "every starter fails as it should, and every solution holds\n"
    } else {
        "verify FAILED\n"
    });
    Ok(if ok { Status::Ok } else { Status::Failed })
}
