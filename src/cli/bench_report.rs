//! `racelab bench-report`: turns criterion's saved results into
//! `BENCHMARKS.md` and one SVG plot per group that scales with threads.

use std::path::{Path, PathBuf};

use clap::Args as ClapArgs;

use super::{emit, Status};
use crate::bench_report::{self, Machine, ReportError};

#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// Criterion's output folder [default: $CARGO_TARGET_DIR/criterion, else target/criterion].
    #[arg(long, value_name = "DIR")]
    criterion: Option<PathBuf>,
    /// The report to write.
    #[arg(long, value_name = "FILE", default_value = "BENCHMARKS.md")]
    out: PathBuf,
    /// Where the plots go, relative to the report's folder.
    #[arg(long, value_name = "DIR", default_value = "benches/plots")]
    plots: PathBuf,
    /// Print the measurements and ratios as JSON instead of writing files.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Status> {
    let dir = args.criterion.clone().unwrap_or_else(|| {
        std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| PathBuf::from("target"), PathBuf::from)
            .join("criterion")
    });
    let measurements = match bench_report::load(&dir) {
        Ok(m) => m,
        Err(e @ ReportError::NoResults(_)) => return Ok(super::usage_error(e)),
        Err(e) => return Err(e.into()),
    };
    let groups = bench_report::analyse(&measurements);
    let machine = Machine::current();
    if args.json {
        let doc = serde_json::json!({ "machine": machine, "groups": groups });
        emit(&format!("{}\n", serde_json::to_string_pretty(&doc)?));
        return Ok(Status::Ok);
    }
    let base = args.out.parent().map(Path::to_path_buf).unwrap_or_default();
    let plot_dir = base.join(&args.plots);
    let mut plots = Vec::new();
    for g in &groups {
        if let Some(svg) = bench_report::plot(g) {
            std::fs::create_dir_all(&plot_dir)?;
            let file = format!("{}.svg", g.name);
            write_file(&plot_dir.join(&file), &svg)?;
            plots.push((g.name.clone(), format!("{}/{file}", args.plots.display())));
        }
    }
    let plot_for = |group: &str| plots.iter().find(|(g, _)| g == group).map(|(_, p)| p.clone());
    let text = bench_report::render(&groups, &machine, &plot_for);
    write_file(&args.out, &text)?;
    emit(&format!(
        "wrote {} ({} groups, {} measurements from {}) and {} plots in {}\n",
        args.out.display(),
        groups.len(),
        measurements.len(),
        dir.display(),
        plots.len(),
        plot_dir.display()
    ));
    Ok(Status::Ok)
}

/// Writes through a temporary file and a rename, so an interrupted run
/// never leaves half a report.
fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    Ok(())
}
