//! A lab's variants: files that stand in for the student's exercise, to
//! grade the grader.
//!
//! `labs/variants/NN_name/wrong_*.rs` are mistakes students make; the
//! lab's check must reject each. `right_*.rs` are correct fixes, each with a
//! different primitive from the reference solution; the check must accept
//! each. The first line of every variant says why it is wrong or right.
//! With the lab's starter (which must fail the way `labs.toml` says) and its
//! reference solution (which must hold), they are the entries `racelab
//! verify` checks, all built into one binary by `labs/tests/variants.rs`.

use std::fs;
use std::path::PathBuf;

use super::{Checked, Lab, Labs, Verdict};
use crate::explore::FailureKind;

/// What the check must make of an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// The starter: fails, with this kind of failure.
    FailsAs(Option<FailureKind>),
    /// A mistake: rejected (a failure, a type the models cannot see, or no
    /// end within the time limit).
    Rejected,
    /// The reference solution or a correct variant: holds.
    Holds,
}

/// One file a lab's check is run on by `racelab verify`.
#[derive(Clone, Debug)]
pub struct Entry {
    /// `starter`, `solution`, or the variant's file stem (`wrong_no_retry`).
    pub name: String,
    pub file: PathBuf,
    pub expect: Expect,
    /// The variant's first-line comment, without the `//` (empty for the
    /// starter and the solution).
    pub why: String,
}

impl Entry {
    /// The test-name filter that runs this entry in the variants binary.
    pub fn filter(&self, lab: &Lab) -> String {
        format!("lab{:02}::{}::", lab.id, self.name)
    }

    /// Whether `checked` is what this entry must get.
    pub fn met_by(&self, checked: &Checked) -> bool {
        match self.expect {
            Expect::Holds => checked.verdict == Verdict::Holds,
            Expect::Rejected => checked.rejects(),
            Expect::FailsAs(kind) => checked.verdict == Verdict::Fails && checked.failure_kind() == kind,
        }
    }
}

impl Labs {
    /// The reference solution of `lab`.
    pub fn solution(&self, lab: &Lab) -> PathBuf {
        self.root.join("labs/solutions").join(format!("{}.rs", lab.name))
    }

    /// `lab`'s starter, reference solution and variants, in that order
    /// (variants sorted by name), as `labs/build.rs` builds them.
    pub fn entries(&self, lab: &Lab) -> Vec<Entry> {
        let mut entries = vec![
            Entry {
                name: "starter".to_owned(),
                file: self.exercise(lab),
                expect: Expect::FailsAs(lab.failure.parse().ok()),
                why: String::new(),
            },
            Entry {
                name: "solution".to_owned(),
                file: self.solution(lab),
                expect: Expect::Holds,
                why: String::new(),
            },
        ];
        let dir = self.root.join("labs/variants").join(&lab.name);
        let mut variants: Vec<Entry> = fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "rs"))
            .filter_map(|file| {
                let name = file.file_stem()?.to_str()?.to_owned();
                let ident = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                let expect = if name.starts_with("wrong_") {
                    Expect::Rejected
                } else if name.starts_with("right_") {
                    Expect::Holds
                } else {
                    return None;
                };
                let why = fs::read_to_string(&file)
                    .ok()
                    .and_then(|t| t.lines().next().map(|l| l.trim_start_matches('/').trim().to_owned()))
                    .unwrap_or_default();
                ident.then_some(Entry {
                    name,
                    file,
                    expect,
                    why,
                })
            })
            .collect();
        variants.sort_by(|a, b| a.name.cmp(&b.name));
        entries.extend(variants);
        entries
    }
}
