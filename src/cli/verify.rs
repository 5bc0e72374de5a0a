//! `racelab verify`: grades the graders. For every lab, the starter fails
//! its check the way `labs.toml` says, the reference solution holds, every
//! `wrong_*` variant is rejected and every `right_*` variant accepted (see
//! `labs/variants/`). CI runs it.

use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

use clap::Args as ClapArgs;

use super::progress::with_status;
use super::{emit, style, Status};
use crate::labs::{Build, Cancel, Checked, Entry, Expect, Lab, Labs, Profile, Verdict};

/// Fewest wrong and right variants a lab's check is graded with.
const MIN_WRONG: usize = 3;
const MIN_RIGHT: usize = 2;

#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// Only these labs (numbers or names); every lab if left out.
    labs: Vec<String>,
    /// Seconds each entry's check may take.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    time_limit: u64,
    /// How many checks run at once (the number of cores if left out).
    #[arg(long, short)]
    jobs: Option<usize>,
    /// List every entry, not only the ones that went wrong.
    #[arg(long, short)]
    verbose: bool,
    /// Build in the release profile (as `racelab check` does) instead of
    /// `dev`: the one large binary then takes many minutes to build, and
    /// checks a few times faster.
    #[arg(long)]
    release: bool,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Status> {
    let labs = Labs::find()?;
    let mut chosen: Vec<Lab> = Vec::new();
    for which in &args.labs {
        match labs.get(which) {
            Ok(lab) => chosen.push(lab.clone()),
            Err(e) => return Ok(super::usage_error(e)),
        }
    }
    if chosen.is_empty() {
        chosen = labs.labs.clone();
    }
    crate::labs::kill_groups_on_interrupt();
    let cancel = Cancel::new();
    let binary = match with_status("building every lab's starter, solution and variants", || {
        labs.build_variants(if args.release { Profile::Release } else { Profile::Dev }, &cancel)
    })? {
        Build::Ready(binary) => binary,
        Build::Finished(checked) => {
            emit(&format!(
                "verify FAILED: the starters, solutions and variants do not build:\n{}\n",
                checked.stderr.trim_end()
            ));
            return Ok(Status::Failed);
        }
    };
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, usize::from))
        .max(1);
    let limit = Duration::from_secs(args.time_limit);
    let color = style::color_stdout();
    let (mut ok, mut wrong_rejected, mut right_accepted) = (true, 0, 0);
    for lab in &chosen {
        let entries = labs.entries(lab);
        let results = with_status(&format!("verifying lab {} ({} entries)", lab.id, entries.len()), || {
            check_entries(&labs, lab, &entries, &binary, limit, jobs, &cancel)
        })?;
        let lab_report = LabReport::new(lab, &entries, &results);
        ok &= lab_report.ok();
        wrong_rejected += lab_report.wrong.0;
        right_accepted += lab_report.right.0;
        emit(&lab_report.render(args.verbose, color));
    }
    emit(&if ok {
        format!(
            "every starter fails as labs.toml says and every solution holds; {wrong_rejected} wrong variants \
             rejected, {right_accepted} right variants accepted ({} labs)\n",
            chosen.len()
        )
    } else {
        style::red("verify FAILED\n", color)
    });
    Ok(if ok { Status::Ok } else { Status::Failed })
}

/// Checks every entry of `lab`, `jobs` at a time; results in entry order.
fn check_entries(
    labs: &Labs,
    lab: &Lab,
    entries: &[Entry],
    binary: &std::path::Path,
    limit: Duration,
    jobs: usize,
    cancel: &Cancel,
) -> anyhow::Result<Vec<Checked>> {
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<Option<anyhow::Result<Checked>>>> = Mutex::new((0..entries.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..jobs.min(entries.len()) {
            s.spawn(|| loop {
                let i = {
                    let mut next = next.lock().unwrap_or_else(|p| p.into_inner());
                    let i = *next;
                    *next += 1;
                    i
                };
                let Some(entry) = entries.get(i) else { break };
                let checked = check_entry(labs, lab, entry, binary, limit, cancel);
                results.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(checked);
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .map(|r| r.expect("every entry was checked"))
        .collect()
}

/// One entry: the scan first (a file the models cannot see is rejected
/// without running), then its check in the variants binary.
fn check_entry(
    labs: &Labs,
    lab: &Lab,
    entry: &Entry,
    binary: &std::path::Path,
    limit: Duration,
    cancel: &Cancel,
) -> anyhow::Result<Checked> {
    if let Some(left) = labs.left_the_model(lab, Some(&entry.file)) {
        return Ok(left);
    }
    Ok(labs.run(binary, Some(&entry.filter(lab)), limit, cancel)?)
}

/// What one lab's entries got.
struct LabReport<'a> {
    lab: &'a Lab,
    /// (entry, what it got, whether that is what it must get)
    rows: Vec<(&'a Entry, &'a Checked, bool)>,
    /// (rejected, of) wrong variants; (accepted, of) right ones.
    wrong: (usize, usize),
    right: (usize, usize),
}

impl<'a> LabReport<'a> {
    fn new(lab: &'a Lab, entries: &'a [Entry], results: &'a [Checked]) -> Self {
        let rows: Vec<_> = entries.iter().zip(results).map(|(e, c)| (e, c, e.met_by(c))).collect();
        let count = |prefix: &str| {
            let of: Vec<_> = rows.iter().filter(|(e, _, _)| e.name.starts_with(prefix)).collect();
            (of.iter().filter(|(_, _, met)| *met).count(), of.len())
        };
        let (wrong, right) = (count("wrong_"), count("right_"));
        LabReport {
            lab,
            rows,
            wrong,
            right,
        }
    }

    fn enough_variants(&self) -> bool {
        self.wrong.1 >= MIN_WRONG && self.right.1 >= MIN_RIGHT
    }

    fn ok(&self) -> bool {
        self.enough_variants() && self.rows.iter().all(|(_, _, met)| *met)
    }

    fn render(&self, verbose: bool, color: bool) -> String {
        let mut out = String::new();
        let mark = |met: bool| if met { "✓" } else { "✗" };
        let entry = |name: &str| self.rows.iter().find(|(e, _, _)| e.name == name);
        let summary = |name: &str| match entry(name) {
            Some((_, c, met)) => format!("{name} {} {}", c.verdict.short(c), mark(*met)),
            None => format!("{name} missing ✗"),
        };
        let line = format!(
            "lab {:>2} {:<24} {} · {} · wrong {}/{} rejected · right {}/{} accepted",
            self.lab.id,
            self.lab.name,
            summary("starter"),
            summary("solution"),
            self.wrong.0,
            self.wrong.1,
            self.right.0,
            self.right.1
        );
        let _ = writeln!(
            out,
            "{}",
            if self.ok() {
                style::green(&line, color)
            } else {
                style::red(&line, color)
            }
        );
        if !self.enough_variants() {
            let _ = writeln!(
                out,
                "    ✗ a check is graded by at least {MIN_WRONG} wrong and {MIN_RIGHT} right variants \
                 (labs/variants/{}/)",
                self.lab.name
            );
        }
        for (e, c, met) in &self.rows {
            if *met && !verbose {
                continue;
            }
            let want = match e.expect {
                Expect::Holds => "must hold".to_owned(),
                Expect::Rejected => "must be rejected".to_owned(),
                Expect::FailsAs(kind) => format!("must fail ({})", kind.map_or("?".to_owned(), |k| k.to_string())),
            };
            let _ = writeln!(
                out,
                "    {} {:<28} {want}, got: {}{}",
                mark(*met),
                e.name,
                c.verdict.short(c),
                if e.why.is_empty() {
                    String::new()
                } else {
                    format!("  ({})", e.why)
                }
            );
            if !*met && matches!(c.verdict, Verdict::Crashed | Verdict::CompileError) {
                let text = format!("{}\n{}", c.stdout, c.stderr);
                let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
                for l in &lines[lines.len().saturating_sub(15)..] {
                    let _ = writeln!(out, "        {l}");
                }
            }
        }
        out
    }
}
