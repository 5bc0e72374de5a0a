//! Check for lab 06, under loom and shuttle, whatever the schedule:
//!
//! - `edit`: when users each append their tag to the document at once,
//!   every tag ends up in it exactly once and the version counts the saves.
//!   Nobody may give up either: an edit conflicts only when another user's
//!   save went through, and each user saves once, so with two or three users
//!   an edit that opens again and redoes its change after each conflict is
//!   saved by its third try at the latest.
//! - `save`: a save is refused only if someone saved since its copy was
//!   opened, and a refused save changes nothing. When alice and bob each
//!   open the document, add `[+1]` and save once, two copies of the same
//!   version cannot both be saved, and a copy opened after the other save
//!   must be saved.

use super::exercise;

use std::fmt;

use racelab::explore::{Explorer, Grade, Scenario};
use racelab::sync::{thread, Arc};

/// The text the document starts with.
const DRAFT: &str = "draft";

/// The tag `user` appends.
fn tag(user: &str) -> String {
    format!("[{user}]")
}

/// Where the users' edits ended up.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Edited {
    users: &'static [&'static str],
    gave_up: Vec<&'static str>,
    text: String,
    version: u64,
}

impl Edited {
    /// What is wrong, in words.
    fn fault(&self) -> Option<String> {
        if let Some(user) = self.gave_up.first() {
            return Some(format!("{user} gave up"));
        }
        for user in self.users {
            match self.text.matches(&tag(user)).count() {
                0 => return Some(format!("{user}'s edit is lost")),
                1 => {}
                _ => return Some(format!("{user}'s edit is in twice")),
            }
        }
        let tags: usize = self.users.iter().map(|u| tag(u).len()).sum();
        if !self.text.starts_with(DRAFT) || self.text.len() != DRAFT.len() + tags {
            return Some("not the draft followed by every tag".to_owned());
        }
        let saves = self.users.len() as u64;
        (self.version != saves).then(|| format!("{saves} saves made version {}", self.version))
    }
}

impl fmt::Display for Edited {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "text = {:?} v{}", self.text, self.version)?;
        match self.fault() {
            Some(fault) => write!(f, " ({fault})"),
            None => Ok(()),
        }
    }
}

/// `users` each append their tag with `edit`, at once.
fn editors(users: &'static [&'static str]) -> Scenario<Edited> {
    let name = match users {
        [init @ .., last] => format!("lab 06: {} and {last} edit", init.join(", ")),
        [] => unreachable!("a scenario has users"),
    };
    Scenario::new(name, move || {
        let store = Arc::new(exercise::Store::new(DRAFT));
        let editors: Vec<_> = users
            .iter()
            .map(|&user| {
                let store = Arc::clone(&store);
                thread::Builder::new()
                    .name(user.to_owned())
                    .spawn(move || store.edit(|text| text.push_str(&tag(user))))
                    .expect("spawn an editor")
            })
            .collect();
        let gave_up = users
            .iter()
            .zip(editors)
            .filter_map(|(&user, editor)| editor.join().expect("an editor panicked").is_err().then_some(user))
            .collect();
        let doc = store.open();
        Edited {
            users,
            gave_up,
            text: doc.text,
            version: doc.version,
        }
    })
    .expect(
        "every tag exactly once, one save each, and nobody gave up",
        |e: &Edited| match e.fault() {
            None => Grade::Acceptable,
            Some(_) => Grade::Forbidden,
        },
    )
}

/// alice and bob: `"draft[alice][bob]" v2` or `"draft[bob][alice]" v2`.
#[test]
fn two_editors_keep_both_edits() {
    racelab_labs::check(editors(&["alice", "bob"]), racelab_labs::MODELS);
}

/// alice, bob and carol: every tag once, `v3`, and nobody gave up (one
/// edit can meet two conflicts here).
///
/// Under shuttle, with more priority changes and schedules than its
/// defaults (an edit that gives up after two conflicts needs two lost races
/// in a row). Not loom: with three threads, loom also explores schedules in
/// which a thread that could run never runs again (its yield is not fair),
/// so a correct save behind a spin lock, two users spinning while the third
/// holds it, would look like a livelock.
#[test]
fn three_editors_keep_every_edit() {
    racelab_labs::check_with(
        editors(&["alice", "bob", "carol"]),
        &[Explorer::shuttle().with_depth(5).with_budget(3000)],
    );
}

/// What one user's open and save did.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Save {
    user: &'static str,
    opened: u64,
    saved: bool,
}

/// Two users' saves, and the document they left.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Saves {
    saves: [Save; 2],
    text: String,
    version: u64,
}

impl Saves {
    /// What is wrong, in words.
    fn fault(&self) -> Option<String> {
        let [a, b] = &self.saves;
        let saved = self.saves.iter().filter(|s| s.saved).count();
        if a.opened == b.opened && saved == 2 {
            return Some(format!(
                "both copies of v{} were saved: one overwrote the other",
                a.opened
            ));
        }
        if a.opened != b.opened && saved < 2 {
            let refused = if a.saved { b } else { a };
            return Some(format!(
                "{} was refused, but nobody saved after that open",
                refused.user
            ));
        }
        if saved == 0 {
            return Some("both were refused".to_owned());
        }
        let expected = format!("{DRAFT}{}", "[+1]".repeat(saved));
        if self.text != expected || self.version != saved as u64 {
            return Some(format!("{saved} saves should leave {expected:?} v{saved}"));
        }
        None
    }
}

impl fmt::Display for Saves {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in &self.saves {
            let what = if s.saved { "saved" } else { "was refused" };
            write!(f, "{} opened v{} and {what}, ", s.user, s.opened)?;
        }
        write!(f, "text = {:?} v{}", self.text, self.version)?;
        match self.fault() {
            Some(fault) => write!(f, " ({fault})"),
            None => Ok(()),
        }
    }
}

/// alice and bob each open the document, add `[+1]` and save once, without
/// retrying: copies of the same version, exactly one saved; the second
/// opened after the first was saved, both saved. (The same change twice, so
/// a save that compares texts instead of versions shows.)
#[test]
fn a_save_is_refused_exactly_when_someone_saved_since_the_open() {
    let scenario = Scenario::new("lab 06: alice and bob each save one copy", || {
        let store = Arc::new(exercise::Store::new(DRAFT));
        let users: Vec<_> = ["alice", "bob"]
            .into_iter()
            .map(|user| {
                let store = Arc::clone(&store);
                thread::Builder::new()
                    .name(user.to_owned())
                    .spawn(move || {
                        let mut doc = store.open();
                        let opened = doc.version;
                        doc.text.push_str("[+1]");
                        let saved = store.save(doc).is_ok();
                        Save { user, opened, saved }
                    })
                    .expect("spawn a user")
            })
            .collect();
        let mut saves = users.into_iter().map(|u| u.join().expect("a user panicked"));
        let saves = [saves.next().expect("alice"), saves.next().expect("bob")];
        let doc = store.open();
        Saves {
            saves,
            text: doc.text,
            version: doc.version,
        }
    })
    .expect(
        "a save refused exactly when someone saved since its open, and the document holding every accepted save",
        |s: &Saves| match s.fault() {
            None => Grade::Acceptable,
            Some(_) => Grade::Forbidden,
        },
    );
    racelab_labs::check(scenario, racelab_labs::MODELS);
}
