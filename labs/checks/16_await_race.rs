//! Check for lab 16: two async tasks that like the post once each always
//! leave it at 2 likes, under every schedule loom and shuttle explore
//! (shuttle runs the tasks on its async executor; loom, which has none,
//! runs each task on its own model thread).

use super::exercise;

use racelab::explore::Scenario;
use racelab::sync::{task, Arc};

#[test]
fn every_like_is_counted_under_every_schedule() {
    let scenario = Scenario::new("lab 16: likes across .await", || {
        let post = Arc::new(exercise::Post::new());
        task::block_on(async {
            let readers: Vec<_> = ["alice", "bob"]
                .into_iter()
                .map(|name| {
                    let post = Arc::clone(&post);
                    task::spawn_named(name, async move { post.like().await })
                })
                .collect();
            for reader in readers {
                reader.await.expect("a reader's task failed");
            }
        });
        format!("likes = {}", post.likes())
    })
    .expect_only("likes = 2".to_owned());
    racelab_labs::check(scenario, racelab_labs::MODELS);
}
