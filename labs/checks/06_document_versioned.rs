//! Check for lab 06: when alice and bob each append their tag to the
//! document, both tags end up in it exactly once, under every schedule loom
//! and shuttle explore.

use super::exercise;

use std::fmt;

use racelab::explore::{Grade, Scenario};
use racelab::sync::{thread, Arc};

const USERS: [&str; 2] = ["alice", "bob"];

/// The final text, and who was told their edit could not be saved.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Final {
    text: String,
    gave_up: Vec<&'static str>,
}

impl fmt::Display for Final {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "text = {:?}", self.text)?;
        for name in &self.gave_up {
            write!(f, " ({name} gave up)")?;
        }
        Ok(())
    }
}

#[test]
fn every_edit_is_kept_exactly_once_under_every_schedule() {
    let scenario = Scenario::new("lab 06: save only what you opened", || {
        let store = Arc::new(exercise::Store::new("draft"));
        let editors: Vec<_> = USERS
            .iter()
            .map(|&name| {
                let store = Arc::clone(&store);
                thread::Builder::new()
                    .name(name.to_owned())
                    .spawn(move || store.edit(|text| text.push_str(&format!("[{name}]"))))
                    .expect("spawn an editor")
            })
            .collect();
        let gave_up = USERS
            .iter()
            .zip(editors)
            .filter_map(|(&name, editor)| editor.join().expect("an editor panicked").is_err().then_some(name))
            .collect();
        Final {
            text: store.open().text,
            gave_up,
        }
    })
    // With two users, an edit that retries after a conflict succeeds the
    // second time: nobody has to give up.
    .expect("[alice] and [bob] each exactly once", |f: &Final| {
        let both = ["draft[alice][bob]", "draft[bob][alice]"].contains(&f.text.as_str());
        if both && f.gave_up.is_empty() {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    });
    racelab_labs::check(scenario, racelab_labs::MODELS);
}
