//! A memoising session cache behind an `RwLock`: look the key up under a
//! read lock, and on a miss create a session and insert it under the write
//! lock ("std's RwLock has no upgrade, so I drop the read guard and take the
//! write guard", a question asked on the Rust users forum again and again).
//!
//! The bug: between dropping the read guard and taking the write guard,
//! another thread can miss too and insert its own session. The second insert
//! does not look again: it replaces the first session, so the first caller
//! holds a session the cache no longer knows (two different tokens for one
//! user). Check-then-act across two lock acquisitions.
//!
//! Teacher marks (written before looking at racelab's marks):
//! 1. the second thread to take `write sessions`: its write-locked insert
//!    (the `write`/unlock line that leaves the map with its token): **stale
//!    check**, it acts on its `read sessions -> {}` miss, which the other
//!    thread's insert changed in between. A **lost update** mark on the same
//!    step is also right if it says the other thread's insert (its session)
//!    is lost: it is overwritten.
//!    Lenient: a mark on the first thread's insert as the change that made
//!    the check stale.
//!
//! Spurious: deadlock, data race, lost wake-up, stale read; any mark on the
//! first read-lock lookups by themselves, or on main's final read.

use std::collections::BTreeMap;

use racelab::explore::{Explorer, Grade, Scenario};
use racelab::sync::{thread, Arc, RwLock};

use crate::common::{expect_bug, expect_holds};

struct SessionCache {
    sessions: RwLock<BTreeMap<&'static str, u32>>,
}

impl SessionCache {
    fn session(&self, user: &'static str, new_token: u32) -> u32 {
        let cached = self.sessions.read().unwrap().get(user).copied();
        if let Some(token) = cached {
            return token;
        }
        // Miss: "upgrade" to the write lock and insert.
        self.sessions.write().unwrap().insert(user, new_token);
        new_token
    }

    /// The fix: look again under the write lock.
    fn session_fixed(&self, user: &'static str, new_token: u32) -> u32 {
        let cached = self.sessions.read().unwrap().get(user).copied();
        if let Some(token) = cached {
            return token;
        }
        *self.sessions.write().unwrap().entry(user).or_insert(new_token)
    }
}

fn scenario(name: &str, fixed: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let cache = Arc::new(SessionCache {
            sessions: RwLock::new(BTreeMap::new()).named("sessions"),
        });
        let get = move |c: &SessionCache, token| {
            if fixed {
                c.session_fixed("ann", token)
            } else {
                c.session("ann", token)
            }
        };
        let c = Arc::clone(&cache);
        let tab1 = thread::Builder::new().name("tab1").spawn(move || get(&c, 100)).unwrap();
        let c = Arc::clone(&cache);
        let tab2 = thread::Builder::new().name("tab2").spawn(move || get(&c, 200)).unwrap();
        let t1 = tab1.join().unwrap();
        let t2 = tab2.join().unwrap();
        let cached = cache.sessions.read().unwrap().get("ann").copied().unwrap_or(0);
        format!("tab1={t1} tab2={t2} cached={cached}")
    })
    .expect("both tabs get the one cached session", |o: &String| {
        let v: Vec<&str> = o.split(' ').map(|kv| kv.split('=').nth(1).unwrap()).collect();
        if v[0] == v[1] && v[1] == v[2] {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

#[test]
fn loom_finds_two_sessions() {
    expect_bug(&scenario("b02::rwlock_cache", false), &Explorer::loom());
}

#[test]
fn shuttle_finds_two_sessions() {
    expect_bug(&scenario("b02::rwlock_cache", false), &Explorer::shuttle());
}

#[test]
fn loom_fix_holds() {
    expect_holds(&scenario("b02::rwlock_cache_fixed", true), &Explorer::loom());
}

#[test]
fn shuttle_fix_holds() {
    expect_holds(&scenario("b02::rwlock_cache_fixed", true), &Explorer::shuttle());
}
