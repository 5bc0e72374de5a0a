//! Check for lab 05: when alice and bob each append their tag to the same
//! document at once, the document keeps both tags, each exactly once, under
//! every schedule loom and shuttle explore.

use super::exercise;

use racelab::explore::{Grade, Scenario};
use racelab::sync::{thread, Arc};

#[test]
fn both_edits_are_kept_under_every_schedule() {
    let scenario = Scenario::new("lab 05: document lock", || {
        let store = Arc::new(exercise::Store::new("draft"));
        let editors: Vec<_> = ["alice", "bob"]
            .into_iter()
            .map(|name| {
                let store = Arc::clone(&store);
                let tag = format!("[{name}]");
                thread::Builder::new()
                    .name(name)
                    .spawn(move || store.edit(|text: &mut String| text.push_str(&tag)))
                    .expect("spawn an editor")
            })
            .collect();
        for editor in editors {
            editor.join().expect("an editor panicked");
        }
        format!("text = {:?}", store.open())
    })
    .expect("[alice] and [bob] each exactly once", |text| {
        if text.matches("[alice]").count() == 1 && text.matches("[bob]").count() == 1 {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    });
    racelab_labs::check(scenario, racelab_labs::MODELS);
}
