//! Starting a lab over without losing the student's work: `racelab reset`
//! restores the starter from git's `HEAD`, after copying the student's
//! file to `labs/backups/` under a name no earlier backup has (none at all
//! for an untouched file).

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use super::{Lab, LabError, Labs};

impl Labs {
    /// Restores the starter of `lab` (as git's `HEAD` has it). The
    /// student's file is first copied to `labs/backups/`, under a name no
    /// earlier backup has; returns that backup, or `None` when there was
    /// nothing to keep (the file was missing, or already the starter).
    pub fn reset(&self, lab: &Lab) -> Result<Option<PathBuf>, LabError> {
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
        let current = fs::read(&exercise).ok();
        let backup = match current {
            Some(ref text) if *text != out.stdout => Some(self.back_up(lab, text)?),
            _ => None,
        };
        fs::write(&exercise, &out.stdout).map_err(|source| LabError::Write {
            path: exercise.clone(),
            source,
        })?;
        Ok(backup)
    }

    /// Writes `text` to a new file in `labs/backups/`, named after the lab
    /// and the time, with a counter if that name is taken: a backup never
    /// replaces another.
    fn back_up(&self, lab: &Lab, text: &[u8]) -> Result<PathBuf, LabError> {
        let backups = self.root.join("labs/backups");
        fs::create_dir_all(&backups).map_err(|source| LabError::Write {
            path: backups.clone(),
            source,
        })?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        for n in 1u32.. {
            let name = match n {
                1 => format!("{}.{stamp}.rs", lab.name),
                n => format!("{}.{stamp}-{n}.rs", lab.name),
            };
            let path = backups.join(name);
            // `create_new`: fails if the name exists, even if another
            // racelab made it a moment ago.
            match fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    use std::io::Write;
                    file.write_all(text).map_err(|source| LabError::Write {
                        path: path.clone(),
                        source,
                    })?;
                    return Ok(path);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(source) => return Err(LabError::Write { path, source }),
            }
        }
        unreachable!("some backup name is free")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-lab repository in a temporary folder, its starter committed.
    fn one_lab_repo() -> (tempfile::TempDir, Labs) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path();
        fs::create_dir_all(root.join("labs/exercises")).unwrap();
        fs::write(
            root.join("labs/labs.toml"),
            "[[lab]]\nid = 1\nname = \"01_x\"\ntitle = \"x\"\ntopic = \"x\"\nfailure = \"deadlock\"\nhint = \"x\"\n",
        )
        .unwrap();
        fs::write(root.join("labs/exercises/01_x.rs"), "// the starter\n").unwrap();
        let git = |args: &[&str]| {
            let ok = Command::new("git")
                .current_dir(root)
                .args([
                    "-c",
                    "user.name=t",
                    "-c",
                    "user.email=t@t",
                    "-c",
                    "commit.gpgsign=false",
                ])
                .args(args)
                .output()
                .is_ok_and(|o| o.status.success());
            assert!(ok, "git {args:?}");
        };
        git(&["init", "-q"]);
        git(&["add", "."]);
        git(&["commit", "-qm", "starter"]);
        let labs = Labs::at(root).expect("labs.toml parses");
        (dir, labs)
    }

    #[test]
    fn two_resets_in_one_second_keep_both_versions_of_the_students_work() {
        let (_dir, labs) = one_lab_repo();
        let lab = labs.labs[0].clone();
        let exercise = labs.exercise(&lab);
        fs::write(&exercise, "// first attempt\n").unwrap();
        let first = labs.reset(&lab).unwrap().expect("a changed file is backed up");
        fs::write(&exercise, "// second attempt\n").unwrap();
        let second = labs.reset(&lab).unwrap().expect("a changed file is backed up");
        assert_ne!(first, second);
        assert_eq!(fs::read_to_string(first).unwrap(), "// first attempt\n");
        assert_eq!(fs::read_to_string(second).unwrap(), "// second attempt\n");
        assert_eq!(fs::read_to_string(&exercise).unwrap(), "// the starter\n");
    }

    #[test]
    fn resetting_an_untouched_lab_makes_no_backup() {
        let (_dir, labs) = one_lab_repo();
        let lab = labs.labs[0].clone();
        assert_eq!(labs.reset(&lab).unwrap(), None);
        assert!(!labs.root.join("labs/backups").exists());
    }
}
