//! The shared document: the lecture's own race, and three ways to fix it.
//!
//! Lecture section *GIL*: "if two users edit the same document online at
//! the same time and the second one saves, they overwrite the work of the
//! first. To avoid the race, make the second user wait until the first has
//! finished with the document." Every variant implements [`Store`]; the
//! [`scenario`] has each user (a named thread) append their name tag to the
//! document `edits` times while the main thread reads it once, and accepts
//! only a document holding every edit exactly once.
//!
//! | variant | file | an edit is | costs |
//! |---|---|---|---|
//! | `racy` | [`racy`] | open a copy, change it, save it over whatever is there | - |
//! | `locked` | [`locked`] | the whole open-edit-save under one lock | editors and readers queue behind any edit |
//! | `versioned` | [`versioned`] | open, change, save only if the version is unchanged; else redo | wasted work on conflict; bounded retries |
//! | `rwlock` | [`rwlock`] | the edit under a write lock; reads share a read lock | readers wait for writers and vice versa |

pub mod locked;
pub mod racy;
pub mod rwlock;
pub mod versioned;

use std::fmt;

use thiserror::Error;

use crate::counter::thread_name;
use crate::explore::{Grade, Scenario};
use crate::sync::{thread, Arc, StartGate};

/// The text a document starts with.
pub const DRAFT: &str = "draft";

/// A document as the store keeps it.
#[derive(Clone, PartialEq, Eq)]
pub struct Document {
    pub text: String,
    /// Bumped by every save.
    pub version: u64,
}

impl Document {
    /// A document at version 0.
    pub fn new(text: &str) -> Self {
        Document {
            text: text.to_owned(),
            version: 0,
        }
    }
}

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} v{}", self.text, self.version)
    }
}

/// Why an edit did not happen.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum EditError {
    /// Every save found that someone else had saved since the open.
    #[error("gave up after {attempts} conflicting saves")]
    TooManyConflicts { attempts: u32 },
}

/// A document store shared by editing threads.
pub trait Store: Send + Sync + 'static {
    /// A store holding one document with `text`, on the current backend.
    fn new(text: &str) -> Self
    where
        Self: Sized;

    /// One user's edit: open the document, apply `change` to it, save.
    fn edit(&self, change: &dyn Fn(&mut String)) -> Result<(), EditError>;

    /// The text a reader sees now.
    fn read(&self) -> String;
}

/// The tag user `name` appends.
pub fn tag(name: &str) -> String {
    format!("[{name}]")
}

/// What became of one user's edits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UserEdits {
    pub name: String,
    /// Edits the store reported as saved.
    pub saved: u64,
    /// Edits present in the final text.
    pub kept: u64,
}

/// What became of the users' edits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edits {
    pub users: Vec<UserEdits>,
    /// Edits each user tried.
    pub each: u64,
    /// The reader saw a text that was not a draft followed by whole tags.
    pub torn: bool,
}

impl Edits {
    /// Every saved edit is in the text exactly once, and the reader saw a
    /// whole document: nothing was lost silently.
    pub fn nothing_lost(&self) -> bool {
        !self.torn && self.users.iter().all(|u| u.kept == u.saved)
    }

    /// Every edit was saved (none refused after too many conflicts).
    pub fn all_saved(&self) -> bool {
        self.users.iter().all(|u| u.saved == self.each)
    }

    /// Forbidden if an edit was lost silently; interesting if some were
    /// refused with an error (a bounded retry's cost, not a race).
    pub fn grade(&self) -> Grade {
        match (self.nothing_lost(), self.all_saved()) {
            (false, _) => Grade::Forbidden,
            (true, false) => Grade::Interesting,
            (true, true) => Grade::Acceptable,
        }
    }
}

impl fmt::Display for Edits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .users
            .iter()
            .map(|u| {
                let refused = self.each - u.saved;
                let note = if refused > 0 {
                    format!(" ({refused} refused)")
                } else {
                    String::new()
                };
                format!("{} {}/{}{note}", u.name, u.kept, self.each)
            })
            .collect();
        write!(f, "kept {}", parts.join(", "))?;
        if self.torn {
            f.write_str("; reader saw a torn document")?;
        }
        Ok(())
    }
}

/// Whether `text` is the draft followed by whole tags only.
fn well_formed(text: &str) -> bool {
    let Some(mut rest) = text.strip_prefix(DRAFT) else {
        return false;
    };
    while !rest.is_empty() {
        match rest
            .strip_prefix('[')
            .and_then(|r| r.find(']').map(|end| &r[end + 1..]))
        {
            Some(after) => rest = after,
            None => return false,
        }
    }
    true
}

/// `users` threads each append their tag `edits` times to a fresh `S`,
/// while the main thread reads the document once; acceptable only if every
/// edit is in the final text exactly once and the read was whole.
pub fn scenario<S: Store>(name: &str, users: usize, edits: u64) -> Scenario<Edits> {
    Scenario::new(name, move || {
        let store = Arc::new(S::new(DRAFT));
        let gate = Arc::new(StartGate::new(users));
        let editors: Vec<_> = (0..users)
            .map(|i| {
                let (store, gate) = (Arc::clone(&store), Arc::clone(&gate));
                let my_tag = tag(&thread_name(i));
                thread::Builder::new()
                    .name(thread_name(i))
                    .spawn(move || {
                        gate.wait();
                        let edit = |text: &mut String| text.push_str(&my_tag);
                        (0..edits).filter(|_| store.edit(&edit).is_ok()).count() as u64
                    })
                    .expect("spawn an editor")
            })
            .collect();
        let torn = !well_formed(&store.read());
        let saved: Vec<u64> = editors
            .into_iter()
            .map(|e| e.join().expect("an editor panicked"))
            .collect();
        let text = store.read();
        let users = saved
            .into_iter()
            .enumerate()
            .map(|(i, saved)| {
                let name = thread_name(i);
                let kept = text.matches(&tag(&name)).count() as u64;
                UserEdits { name, saved, kept }
            })
            .collect();
        Edits {
            users,
            each: edits,
            torn: torn || !well_formed(&text),
        }
    })
    .expect("every edit kept exactly once", Edits::grade)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_tags_are_well_formed_and_half_tags_are_not() {
        assert!(well_formed("draft"));
        assert!(well_formed("draft[alice][bob]"));
        assert!(!well_formed("draft[alice][bo"));
        assert!(!well_formed("[alice]"));
    }

    fn user(name: &str, saved: u64, kept: u64) -> UserEdits {
        UserEdits {
            name: name.into(),
            saved,
            kept,
        }
    }

    #[test]
    fn a_saved_edit_missing_from_the_text_is_forbidden() {
        let e = Edits {
            users: vec![user("alice", 1, 1), user("bob", 1, 0)],
            each: 1,
            torn: false,
        };
        assert_eq!(e.to_string(), "kept alice 1/1, bob 0/1");
        assert_eq!(e.grade(), Grade::Forbidden);
    }

    #[test]
    fn a_refused_edit_is_interesting_not_forbidden() {
        let e = Edits {
            users: vec![user("alice", 2, 2), user("bob", 1, 1)],
            each: 2,
            torn: false,
        };
        assert_eq!(e.to_string(), "kept alice 2/2, bob 1/2 (1 refused)");
        assert_eq!(e.grade(), Grade::Interesting);
    }
}
