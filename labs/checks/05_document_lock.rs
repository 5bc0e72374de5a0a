//! Check for lab 05: users edit one document at once, each adding the next
//! numbered line to it: `[1 alice]` to a document with no line yet, `[2
//! bob]` to one with a line already. Whatever the schedule, the document
//! ends as the edits leave it when they run one after another: every
//! user's line is there exactly once, numbered 1, 2, 3 in order, so no edit
//! was lost and none worked on a copy that missed an edit saved before it.
//! Checked with two users under loom and shuttle, and with three under
//! shuttle (see [`three_editors_keep_every_edit`] for why not loom).

use super::exercise;

use std::fmt;

use racelab::explore::{Explorer, Grade, Scenario};
use racelab::sync::{thread, Arc};

/// The text the document starts with.
const DRAFT: &str = "draft";

/// The change user `name` makes: append the next numbered line.
fn add_line(name: &str, text: &mut String) {
    let next = text.matches('[').count() + 1;
    text.push_str(&format!("[{next} {name}]"));
}

/// The final document, and the users who edited it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Final {
    text: String,
    users: &'static [&'static str],
}

/// What went wrong with the final document.
enum Fault {
    Lost(&'static str),
    Twice(&'static str),
    Stale(&'static str),
    Garbled,
}

impl Final {
    /// The lines after the draft (`None` if the text is not the draft
    /// followed by whole `[N name]` lines).
    fn lines(&self) -> Option<Vec<(usize, &str)>> {
        let mut rest = self.text.strip_prefix(DRAFT)?;
        let mut lines = Vec::new();
        while !rest.is_empty() {
            let (line, after) = rest.strip_prefix('[')?.split_once(']')?;
            let (n, name) = line.split_once(' ')?;
            lines.push((n.parse().ok()?, name));
            rest = after;
        }
        Some(lines)
    }

    /// The first fault, if any.
    fn fault(&self) -> Option<Fault> {
        let Some(lines) = self.lines() else {
            return Some(Fault::Garbled);
        };
        for &user in self.users {
            match lines.iter().filter(|(_, name)| *name == user).count() {
                0 => return Some(Fault::Lost(user)),
                1 => {}
                _ => return Some(Fault::Twice(user)),
            }
        }
        if lines.len() != self.users.len() {
            return Some(Fault::Garbled);
        }
        // The k-th line must say k: its edit saw the k - 1 lines before it.
        let stale = lines.iter().enumerate().find(|(i, (n, _))| *n != i + 1);
        match stale {
            Some((_, &(_, name))) => self.users.iter().find(|u| **u == name).map(|u| Fault::Stale(u)),
            None => None,
        }
    }
}

impl fmt::Display for Final {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "text = {:?}", self.text)?;
        match self.fault() {
            None => Ok(()),
            Some(Fault::Lost(user)) => write!(f, " ({user}'s edit is lost)"),
            Some(Fault::Twice(user)) => write!(f, " ({user}'s edit is in twice)"),
            Some(Fault::Stale(user)) => write!(f, " ({user} edited a copy that missed an earlier edit)"),
            Some(Fault::Garbled) => f.write_str(" (not a draft followed by one line per user)"),
        }
    }
}

/// `users` each add their line to one document at once.
fn editors(users: &'static [&'static str]) -> Scenario<Final> {
    let name = match users {
        [init @ .., last] => format!("lab 05: {} and {last} edit", init.join(", ")),
        [] => unreachable!("a scenario has users"),
    };
    Scenario::new(name, move || {
        let store = Arc::new(exercise::Store::new(DRAFT));
        let editors: Vec<_> = users
            .iter()
            .map(|&user| {
                let store = Arc::clone(&store);
                thread::Builder::new()
                    .name(user)
                    .spawn(move || store.edit(|text: &mut String| add_line(user, text)))
                    .expect("spawn an editor")
            })
            .collect();
        for editor in editors {
            editor.join().expect("an editor panicked");
        }
        Final {
            text: store.open(),
            users,
        }
    })
    .expect(
        "every user's line exactly once, numbered 1, 2, ... in order",
        |f: &Final| match f.fault() {
            None => Grade::Acceptable,
            Some(_) => Grade::Forbidden,
        },
    )
}

/// alice and bob: `"draft[1 alice][2 bob]"` or `"draft[1 bob][2 alice]"`.
#[test]
fn two_editors_keep_both_edits() {
    racelab_labs::check(editors(&["alice", "bob"]), racelab_labs::MODELS);
}

/// alice, bob and carol: every line once, numbered 1, 2, 3 (a fix that
/// only works while one other user can interfere shows here).
///
/// Under shuttle only, with one more priority change per schedule than its
/// default (depth 4) and five times its schedules (a fix that retries once
/// fails in a few schedules in a thousand): loom takes two threads that
/// spin-wait for a third (a correct spin-lock fix) for a livelock.
#[test]
fn three_editors_keep_every_edit() {
    racelab_labs::check_with(
        editors(&["alice", "bob", "carol"]),
        &[Explorer::shuttle().with_depth(4).with_budget(5000)],
    );
}
