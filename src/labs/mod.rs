//! The student labs, as data: the catalogue in `labs/labs.toml`, where the
//! files are, each lab's progress and variants, and checking a lab: read
//! the student's file for types the models cannot see ([`crate::scan`]),
//! build the check, and run it in a child process that can always be
//! stopped ([`run`]), so that code the project did not write can loop,
//! deadlock, abort or overflow its stack and still end as a report.
//!
//! The CLI's `labs`, `check`, `hint`, `reset`, `watch` and `verify` are
//! thin wrappers around this module.

mod reset;
pub mod run;
mod variants;
mod verdict;

pub use run::{kill_all_groups, kill_groups_on_interrupt, Cancel, Profile};
pub use variants::{Entry, Expect};
pub use verdict::{Checked, Verdict};

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::explore::Report;
use crate::scan::Escape;

/// The line prefix a check prints before each JSON report.
pub const REPORT_PREFIX: &str = "RACELAB-REPORT ";

/// Where a lab's check runs.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RunsOn {
    /// Under loom and shuttle (the student's file must use `racelab::sync`).
    #[default]
    Models,
    /// On real threads (lab 17: tokio).
    RealThreads,
    /// On real processes (lab 15: a counter file).
    RealProcesses,
}

impl RunsOn {
    /// In words, as `racelab labs` and `check --help` say it.
    pub fn words(self) -> &'static str {
        match self {
            RunsOn::Models => "loom and shuttle",
            RunsOn::RealThreads => "real threads",
            RunsOn::RealProcesses => "real processes",
        }
    }
}

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
    /// Where the check runs (the models, unless `labs.toml` says otherwise).
    #[serde(default)]
    pub runs_on: RunsOn,
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

    /// The types in `file` (the student's exercise unless given) that the
    /// models cannot see; always empty for a lab that runs on real threads
    /// or processes, or a file that does not parse (the compiler will say
    /// why).
    pub fn scan(&self, lab: &Lab, file: Option<&Path>) -> Vec<Escape> {
        if lab.runs_on != RunsOn::Models {
            return Vec::new();
        }
        let path = file.map_or_else(|| self.exercise(lab), Path::to_path_buf);
        fs::read_to_string(path)
            .ok()
            .and_then(|text| crate::scan::scan(&text).ok())
            .unwrap_or_default()
    }

    /// The verdict on `file` (the student's exercise unless given) if it
    /// uses types the models cannot see: nothing needs to be built or run.
    pub fn left_the_model(&self, lab: &Lab, file: Option<&Path>) -> Option<Checked> {
        let escapes = self.scan(lab, file);
        (!escapes.is_empty()).then(|| Checked::without_reports(Verdict::LeftTheModel(escapes), String::new()))
    }

    /// Builds the check of `lab`, on `file` instead of the student's
    /// exercise if given (`racelab check N --file F`).
    pub fn build(&self, lab: &Lab, file: Option<&Path>, cancel: &Cancel) -> Result<Build, LabError> {
        let Some(file) = file else {
            return self.build_test(&lab.name, Profile::Release, &[], cancel);
        };
        // The check includes a copy at a path that stays the same from one
        // file to the next, so that checking another file rebuilds only the
        // check, not the labs' build script and library.
        let copy = self.root.join("target/racelab-check").join(format!("{}.rs", lab.name));
        let text = fs::read(file).map_err(|source| LabError::Read {
            path: file.to_path_buf(),
            source,
        })?;
        if fs::read(&copy).ok().as_deref() != Some(&text[..]) {
            let write = |source| LabError::Write {
                path: copy.clone(),
                source,
            };
            fs::create_dir_all(copy.parent().unwrap_or(&self.root)).map_err(write)?;
            fs::write(&copy, &text).map_err(write)?;
        }
        let lab_name = PathBuf::from(&lab.name);
        let env = [
            ("RACELAB_LAB", lab_name.as_path()),
            ("RACELAB_LAB_FILE", copy.as_path()),
        ];
        Ok(match self.build_test(&lab.name, Profile::Release, &env, cancel)? {
            // The compiler names the copy: show the file the user gave.
            Build::Finished(mut checked) => {
                let shown = file.display().to_string();
                checked.stderr = checked.stderr.replace(&copy.display().to_string(), &shown);
                if let Ok(relative) = copy.strip_prefix(&self.root) {
                    checked.stderr = checked.stderr.replace(&relative.display().to_string(), &shown);
                }
                Build::Finished(checked)
            }
            ready => ready,
        })
    }

    /// Builds `labs/tests/variants.rs`: every lab's starter, solution and
    /// variants in one binary (what `racelab verify` runs), in `profile`.
    pub fn build_variants(&self, profile: Profile, cancel: &Cancel) -> Result<Build, LabError> {
        self.build_test("variants", profile, &[], cancel)
    }

    fn build_test(
        &self,
        test: &str,
        profile: Profile,
        env: &[(&str, &Path)],
        cancel: &Cancel,
    ) -> Result<Build, LabError> {
        let checked = |verdict, stderr: String| Build::Finished(Checked::without_reports(verdict, stderr));
        Ok(match run::build_test(&self.root, test, profile, env, cancel)? {
            run::Built::Binary(binary) => Build::Ready(binary),
            run::Built::CompileError(stderr) => checked(Verdict::CompileError, stderr),
            run::Built::Failed(stderr) => checked(Verdict::Crashed, stderr),
            run::Built::Cancelled => checked(Verdict::Cancelled, String::new()),
        })
    }

    /// Runs a built check (only the tests whose names contain `filter`, if
    /// given) within `limit`, and reads its reports.
    pub fn run(
        &self,
        binary: &Path,
        filter: Option<&str>,
        limit: Duration,
        cancel: &Cancel,
    ) -> Result<Checked, LabError> {
        let ran = run::run_tests(binary, filter, limit, cancel)?;
        let reports: Vec<Report> = ran
            .stdout
            .lines()
            .filter_map(|l| l.strip_prefix(REPORT_PREFIX))
            .filter_map(|json| serde_json::from_str(json).ok())
            .collect();
        let verdict = match ran.ended {
            run::Ended::TimeLimit => Verdict::TimeLimit(limit),
            run::Ended::Cancelled => Verdict::Cancelled,
            run::Ended::Exited(s) if s.success() && !reports.is_empty() => Verdict::Holds,
            run::Ended::Exited(_) if reports.iter().any(|r| r.failure.is_some() || !r.holds()) => Verdict::Fails,
            run::Ended::Exited(_) => Verdict::Crashed,
        };
        Ok(Checked {
            verdict,
            reports,
            stdout: ran.stdout,
            stderr: ran.stderr,
        })
    }

    /// Checks `lab` as `racelab check` does: scans the file, builds the
    /// check, runs it within `limit`.
    pub fn check(&self, lab: &Lab, file: Option<&Path>, limit: Duration, cancel: &Cancel) -> Result<Checked, LabError> {
        if let Some(left) = self.left_the_model(lab, file) {
            return Ok(left);
        }
        match self.build(lab, file, cancel)? {
            Build::Ready(binary) => self.run(&binary, None, limit, cancel),
            Build::Finished(checked) => Ok(checked),
        }
    }
}

/// A built check, or why there is none.
#[derive(Debug)]
pub enum Build {
    /// The test binary, ready to run.
    Ready(PathBuf),
    /// No binary: the verdict says why (a compile error...).
    Finished(Checked),
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
                lab.failure.parse::<crate::explore::FailureKind>().is_ok(),
                "{}: {}",
                lab.name,
                lab.failure
            );
            for path in [labs.exercise(lab), labs.guide(lab, false), labs.guide(lab, true)] {
                assert!(path.is_file(), "{} is missing", path.display());
            }
            for dir in ["solutions", "tests", "checks"] {
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
