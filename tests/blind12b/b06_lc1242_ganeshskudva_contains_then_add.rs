//! LeetCode 1242 "Web Crawler Multithreaded", a Java solution on GitHub:
//! `ganeshskudva/Algorithms`, `Leetcode/Medium/L1242.java`. Each `Crawler`
//! thread runs `if (startUrl.startsWith(hostname) &&
//! !this.result.contains(this.startUrl)) { this.result.add(this.startUrl);
//! for (String s : htmlParser.getUrls(startUrl)) { start a new Crawler(s)
//! thread } join them all }`, with `result` a `ConcurrentHashMap` key set.
//!
//! The bug: `contains` then `add` are two calls, each thread-safe on its
//! own but not together. Two crawlers that reach the same page from two
//! links both see it absent, both add it and both fetch it (and crawl all
//! its links twice): the problem says no URL may be crawled twice.
//!
//! Transcription: the key set is an `RwLock<BTreeSet<&str>>` (`contains`
//! under the read lock, `add` under the write lock); `getUrls` counts each
//! fetch in an `AtomicUsize` and returns a fixed link graph: `A -> [B, D]`,
//! `B -> [D]`, `D -> []`, one host. To stay within four threads, `main`
//! runs the first crawler itself (the post starts a thread for it and joins
//! at once). Three pages, so three fetches are expected.
//!
//! # Teacher marks (written before the first run)
//! For the bad execution (the two crawlers of D both read the set without
//! D, then both add it):
//! - the second D-crawler's `write result` (its `add D`, made after the
//!   other D-crawler had added D): `stale_check`: "acts on the check at step
//!   N (`read result -> {A, B}`, no D), which the other crawler changed by
//!   adding D in between: D is fetched twice; use the return value of
//!   `add`". A mark on that check itself naming the other add is lenient.
//!   1 mark per backend.
//!
//! No mark on the first D-crawler's add (it is the legitimate one), on
//! `fetch_add` of the fetch counter (it only counts), spawns or joins.
//! Expected verdict: `forbidden outcome` (4 fetches) on both backends.

use std::collections::BTreeSet;

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering};
use racelab::sync::{thread, Arc, Mutex, RwLock};

use super::common;

struct Ctx {
    result: RwLock<BTreeSet<&'static str>>,
    locked: Mutex<BTreeSet<&'static str>>,
    fetches: AtomicUsize,
}

#[derive(Clone, Copy)]
enum Visit {
    /// The post: `contains`, then `add`.
    ContainsThenAdd,
    /// `if (result.add(url))`: the check is the add.
    AddReturns,
    /// The check and the add under one mutex guard.
    OneGuard,
}

fn get_urls(ctx: &Ctx, url: &'static str) -> &'static [&'static str] {
    ctx.fetches.fetch_add(1, Ordering::SeqCst);
    match url {
        "A" => &["B", "D"],
        "B" => &["D"],
        _ => &[],
    }
}

fn crawl(ctx: Arc<Ctx>, url: &'static str, v: Visit) {
    let fresh = match v {
        Visit::ContainsThenAdd => {
            if !ctx.result.read().unwrap().contains(url) {
                ctx.result.write().unwrap().insert(url);
                true
            } else {
                false
            }
        }
        Visit::AddReturns => ctx.result.write().unwrap().insert(url),
        Visit::OneGuard => {
            let mut g = ctx.locked.lock().unwrap();
            if g.contains(url) {
                false
            } else {
                g.insert(url);
                true
            }
        }
    };
    if fresh {
        let children: Vec<_> = get_urls(&ctx, url)
            .iter()
            .map(|&s| {
                let c = Arc::clone(&ctx);
                thread::Builder::new()
                    .name(format!("crawl {s} (from {url})"))
                    .spawn(move || crawl(c, s, v))
                    .unwrap()
            })
            .collect();
        for t in children {
            t.join().unwrap();
        }
    }
}

fn program(name: &str, v: Visit) -> Scenario<usize> {
    Scenario::new(name, move || {
        let ctx = Arc::new(Ctx {
            result: RwLock::new(BTreeSet::new()).named("result"),
            locked: Mutex::new(BTreeSet::new()).named("result"),
            fetches: AtomicUsize::new(0).named("fetches"),
        });
        crawl(Arc::clone(&ctx), "A", v);
        ctx.fetches.load(Ordering::SeqCst)
    })
    .expect_only(3)
}

#[test]
fn racy_loom() {
    let r = common::explore(
        &program("blind12b::lc1242_contains_then_add", Visit::ContainsThenAdd),
        &common::loom(),
    );
    r.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(
        &program("blind12b::lc1242_contains_then_add", Visit::ContainsThenAdd),
        &common::shuttle(),
    );
    r.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn fixes_hold() {
    for s in [
        program("blind12b::lc1242_add_returns", Visit::AddReturns),
        program("blind12b::lc1242_one_guard", Visit::OneGuard),
    ] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
