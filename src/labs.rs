//! The student labs, as data: the catalogue in `labs/labs.toml`, where the
//! files are, each lab's progress, and running a lab's check (the plain
//! `cargo test -p racelab-labs --test NN_name`) in a child process, so that
//! code the project did not write can loop, abort or overflow its stack
//! and still end as a report.
//!
//! The CLI's `labs`, `check`, `hint`, `reset`, `watch` and `verify` are
//! thin wrappers around this module.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::explore::{FailureKind, Report};

/// The line prefix a check prints before each JSON report.
pub const REPORT_PREFIX: &str = "RACELAB-REPORT ";

/// One lab, as `labs.toml` describes it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Lab {
    pub id: u32,
    /// `NN_name`: the file stem of the exercise, check, solution and guide.
    pub name: String,
    pub title: String,
    pub topic: String,
    /// How the starter must fail its check.
    pub failure: String,
    pub hint: String,
}

#[derive(Deserialize)]
struct LabsToml {
    lab: Vec<Lab>,
}

/// Errors reading or running the labs.
#[derive(Debug, Error)]
pub enum LabError {
    #[error("no labs/ folder here or above (run racelab from inside the racelab repository)")]
    NoLabsDir,
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("labs/labs.toml is not valid: {0}")]
    BadToml(String),
    #[error("no lab {0} (see `racelab labs`)")]
    NoSuchLab(String),
    #[error("cannot run cargo: {0}")]
    Cargo(std::io::Error),
    #[error("cannot restore the starter of lab {lab}: {why}")]
    NoStarter { lab: u32, why: String },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

/// The labs folder and its catalogue.
#[derive(Debug)]
pub struct Labs {
    /// The repository root (the folder holding `labs/`).
    pub root: PathBuf,
    pub labs: Vec<Lab>,
}

/// Where a lab stands for the student.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    NotStarted,
    Failing,
    Done,
}

impl State {
    /// The word `racelab labs` prints.
    pub fn word(self) -> &'static str {
        match self {
            State::NotStarted => "not started",
            State::Failing => "failing",
            State::Done => "done",
        }
    }
}

/// The progress file, `labs/.progress.json` (ignored by git).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Progress {
    labs: BTreeMap<String, State>,
}

impl Labs {
    /// Finds `labs/labs.toml` in the current folder or above it (or in the
    /// source tree the binary was built from), and reads it.
    pub fn find() -> Result<Labs, LabError> {
        let cwd = std::env::current_dir().ok();
        let built_from = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
        let root = cwd
            .iter()
            .flat_map(|d| d.ancestors())
            .map(Path::to_path_buf)
            .chain(std::iter::once(built_from))
            .find(|d| d.join("labs/labs.toml").is_file())
            .ok_or(LabError::NoLabsDir)?;
        Labs::at(&root)
    }

    /// Reads the labs under `root/labs`.
    pub fn at(root: &Path) -> Result<Labs, LabError> {
        let path = root.join("labs/labs.toml");
        let text = fs::read_to_string(&path).map_err(|source| LabError::Read { path, source })?;
        let parsed: LabsToml = toml::from_str(&text).map_err(|e| LabError::BadToml(e.to_string()))?;
        Ok(Labs {
            root: root.to_path_buf(),
            labs: parsed.lab,
        })
    }

    /// The lab numbered or named `which` (`1`, `01`, `01_join_in_loop`).
    pub fn get(&self, which: &str) -> Result<&Lab, LabError> {
        let by_number = which.parse::<u32>().ok();
        self.labs
            .iter()
            .find(|l| Some(l.id) == by_number || l.name == which)
            .ok_or_else(|| LabError::NoSuchLab(which.to_owned()))
    }

    /// The file the student edits.
    pub fn exercise(&self, lab: &Lab) -> PathBuf {
        self.root.join("labs/exercises").join(format!("{}.rs", lab.name))
    }

    /// The guide, in English or (`ru`) Russian.
    pub fn guide(&self, lab: &Lab, russian: bool) -> PathBuf {
        let ext = if russian { "ru.md" } else { "md" };
        self.root.join("labs/guides").join(format!("{}.{ext}", lab.name))
    }

    fn progress_path(&self) -> PathBuf {
        self.root.join("labs/.progress.json")
    }

    fn progress(&self) -> Progress {
        fs::read_to_string(self.progress_path())
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Where `lab` stands.
    pub fn state(&self, lab: &Lab) -> State {
        self.progress()
            .labs
            .get(&lab.name)
            .copied()
            .unwrap_or(State::NotStarted)
    }

    /// Records where `lab` stands.
    pub fn set_state(&self, lab: &Lab, state: State) -> Result<(), LabError> {
        let mut progress = self.progress();
        progress.labs.insert(lab.name.clone(), state);
        let path = self.progress_path();
        let text = serde_json::to_string_pretty(&progress).unwrap_or_default();
        fs::write(&path, text).map_err(|source| LabError::Write { path, source })
    }

    /// The first lab not done.
    pub fn next(&self) -> Option<&Lab> {
        self.labs.iter().find(|l| self.state(l) != State::Done)
    }

    /// Restores the starter of `lab` (as git's `HEAD` has it), first
    /// copying the student's file to `labs/backups/`; returns the backup.
    pub fn reset(&self, lab: &Lab) -> Result<PathBuf, LabError> {
        let exercise = self.exercise(lab);
        let rel = format!("labs/exercises/{}.rs", lab.name);
        let out = Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .args(["show", &format!("HEAD:{rel}")])
            .output()
            .map_err(|e| LabError::NoStarter {
                lab: lab.id,
                why: format!("git is not available ({e})"),
            })?;
        if !out.status.success() {
            return Err(LabError::NoStarter {
                lab: lab.id,
                why: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
            });
        }
        let backups = self.root.join("labs/backups");
        fs::create_dir_all(&backups).map_err(|source| LabError::Write {
            path: backups.clone(),
            source,
        })?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let backup = backups.join(format!("{}.{stamp}.rs", lab.name));
        if exercise.exists() {
            fs::copy(&exercise, &backup).map_err(|source| LabError::Write {
                path: backup.clone(),
                source,
            })?;
        }
        fs::write(&exercise, &out.stdout).map_err(|source| LabError::Write {
            path: exercise.clone(),
            source,
        })?;
        Ok(backup)
    }

    /// Builds the check of `lab` (against the reference solution with
    /// `solution`), then runs it within `limit`: building may take minutes
    /// the first time, a check that runs past its limit is a student's
    /// endless loop.
    pub fn check(&self, lab: &Lab, solution: bool, limit: Duration) -> Result<Checked, LabError> {
        let build = self.cargo_test(lab, solution, true, BUILD_LIMIT)?;
        match build.status {
            Some(s) if s.success() => {}
            _ => {
                let verdict = if build.status.is_none() {
                    Verdict::TimeLimit(BUILD_LIMIT)
                } else if compile_error(&build.stderr) {
                    Verdict::CompileError
                } else {
                    Verdict::Crashed
                };
                return Ok(Checked {
                    verdict,
                    reports: Vec::new(),
                    stdout: build.stdout,
                    stderr: build.stderr,
                });
            }
        }
        let run = self.cargo_test(lab, solution, false, limit)?;
        let reports: Vec<Report> = run
            .stdout
            .lines()
            .filter_map(|l| l.strip_prefix(REPORT_PREFIX))
            .filter_map(|json| serde_json::from_str(json).ok())
            .collect();
        let verdict = match run.status {
            None => Verdict::TimeLimit(limit),
            Some(s) if s.success() && !reports.is_empty() => Verdict::Holds,
            Some(_) if reports.iter().any(|r| r.failure.is_some()) => Verdict::Fails,
            Some(_) => Verdict::Crashed,
        };
        Ok(Checked {
            verdict,
            reports,
            stdout: run.stdout,
            stderr: run.stderr,
        })
    }

    /// `cargo test -p racelab-labs --test NAME` (only building, with
    /// `build_only`), stopped after `limit`.
    fn cargo_test(&self, lab: &Lab, solution: bool, build_only: bool, limit: Duration) -> Result<Ran, LabError> {
        let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.current_dir(&self.root)
            .args(["test", "--quiet", "-p", "racelab-labs", "--test", &lab.name]);
        if solution {
            cmd.args(["--features", "solutions"]);
        }
        if build_only {
            cmd.arg("--no-run");
        } else {
            cmd.args(["--", "--nocapture", "--test-threads", "1"]);
        }
        cmd.env("RUST_BACKTRACE", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(LabError::Cargo)?;
        let drain = |pipe: Option<Box<dyn Read + Send>>| {
            std::thread::spawn(move || {
                let mut s = String::new();
                if let Some(mut p) = pipe {
                    let _ = p.read_to_string(&mut s);
                }
                s
            })
        };
        let out = drain(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
        let err = drain(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().map_err(LabError::Cargo)? {
                break Some(status);
            }
            if start.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        Ok(Ran {
            status,
            stdout: out.join().unwrap_or_default(),
            stderr: err.join().unwrap_or_default(),
        })
    }
}

/// How long building a lab's check may take (the first build compiles
/// loom and shuttle).
const BUILD_LIMIT: Duration = Duration::from_secs(30 * 60);

/// What one cargo run printed; `status` is `None` if it was stopped.
struct Ran {
    status: Option<std::process::ExitStatus>,
    stdout: String,
    stderr: String,
}

/// Whether cargo's output says the code did not compile.
fn compile_error(stderr: &str) -> bool {
    stderr.contains("could not compile") || stderr.lines().any(|l| l.starts_with("error["))
}

/// How a check ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every explored execution under every backend was acceptable.
    Holds,
    /// A backend found a failure (see the reports).
    Fails,
    /// The code did not compile (see `stderr`).
    CompileError,
    /// The check itself crashed (see `stdout`/`stderr`).
    Crashed,
    /// The check ran past the time limit and was stopped.
    TimeLimit(Duration),
}

/// What a check printed and found.
#[derive(Clone, Debug)]
pub struct Checked {
    pub verdict: Verdict,
    pub reports: Vec<Report>,
    pub stdout: String,
    pub stderr: String,
}

impl Checked {
    /// The kind of the first failure, if a backend found one.
    pub fn failure_kind(&self) -> Option<FailureKind> {
        self.reports.iter().find_map(|r| r.failure.as_ref().map(|f| f.kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_parses_and_numbers_its_labs_in_order() {
        let labs = Labs::at(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("labs/labs.toml parses");
        assert!(!labs.labs.is_empty());
        for (i, lab) in labs.labs.iter().enumerate() {
            assert_eq!(lab.id as usize, i + 1, "{}", lab.name);
            assert!(lab.name.starts_with(&format!("{:02}_", lab.id)), "{}", lab.name);
            assert!(
                lab.failure.parse::<FailureKind>().is_ok(),
                "{}: {}",
                lab.name,
                lab.failure
            );
            for path in [labs.exercise(lab), labs.guide(lab, false), labs.guide(lab, true)] {
                assert!(path.is_file(), "{} is missing", path.display());
            }
            for dir in ["solutions", "tests"] {
                let p = labs.root.join("labs").join(dir).join(format!("{}.rs", lab.name));
                assert!(p.is_file(), "{} is missing", p.display());
            }
        }
    }

    #[test]
    fn a_lab_is_found_by_number_or_name() {
        let labs = Labs::at(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("labs/labs.toml parses");
        assert_eq!(labs.get("1").unwrap().id, 1);
        assert_eq!(labs.get("01").unwrap().id, 1);
        assert_eq!(labs.get(&labs.labs[0].name).unwrap().id, 1);
        assert!(labs.get("999").is_err());
    }
}
