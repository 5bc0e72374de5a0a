//! **Python: a dictionary of lists filled by `if key not in d: d[key] = []`
//! then `d[key].append(x)` from two threads.**
//!
//! Source: python-list, "Safely add a key to a dict only if it does not
//! already exist?", S. D'Aprano, 19 January 2013: "The naive code is:
//! `if key not in dict: dict[key] = value` but of course there is a race
//! condition there: it is possible that another thread may have added the
//! same key between the check and the [insertion]"
//! (<https://mail.python.org/pipermail/python-list/2013-January/638942.html>),
//! and C. Angelico's reply in that thread, on keeping "a dictionary of
//! lists": `lst = d.setdefault("foo", []); lst.append(1)`
//! (<https://mail.python.org/pipermail/python-list/2013-January/638950.html>);
//! the same question again in July 2018 ("there's a Time Of Check to Time
//! Of Use bug",
//! <https://mail.python.org/pipermail/python-list/2018-July/735558.html>).
//!
//! The program: each dict operation is atomic under the GIL, so the dict is
//! an `RwLock` (a look takes the read lock, a store the write lock); two
//! threads run `if "foo" not in d: d["foo"] = []` then `d["foo"].append(x)`
//! with x = 1 and 2.
//!
//! The bug: both threads can see "foo" missing. If one has already
//! inserted its list and appended to it when the other's `d["foo"] = []`
//! lands, that store replaces the list, and the first thread's item is
//! gone: `d["foo"] == [1]` (or `[2]`).
//!
//! Expected bad execution: t1 `read d -> {}`; t2 `read d -> {}`; t2
//! `write d -> {}` / unlock `{"foo": []}`; t2 `write` / unlock
//! `{"foo": [2]}`; t1 `write d -> {"foo": [2]}` / unlock `{"foo": []}`; t1
//! `write` / unlock `{"foo": [1]}`.
//!
//! **Teacher marks** (1 per backend):
//! 1. t1's `d["foo"] = []` (its write lock whose unlock leaves
//!    `{"foo": []}` over `{"foo": [2]}`): kind `stale_check`: "acts on the
//!    check at step N (`read d -> {}`), which t2's insert at step M changed"
//!    (accepted too: `lost_update`, "overwrites step K, t2's append is
//!    lost"). Lenient: the same pair named from t2's append or insert.
//!
//! No mark belongs on: the checks (`read` lines; they read the truth),
//! t2's insert (it replaced nothing), either append (each appends to the
//! list that is there), main's final read, the spawns and joins.
//!
//! Controls: (1) Angelico's `setdefault` (insert only if absent, in one
//! write-locked step), then `append`; (2) another primitive: the list for
//! the key is created once by a `OnceLock` (`get_or_init`), appended under
//! its own `Mutex`.

use std::collections::BTreeMap;

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::{thread, Arc, Mutex, OnceLock, RwLock};

use crate::common;

fn grade(o: &String) -> Grade {
    if o == "foo = [1, 2]" {
        Grade::Acceptable
    } else {
        Grade::Forbidden
    }
}

fn dict_of_lists(name: &'static str, setdefault: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let d = Arc::new(RwLock::new(BTreeMap::<&'static str, Vec<u32>>::new()).named("d"));
        let handles: Vec<_> = [1u32, 2]
            .into_iter()
            .map(|x| {
                let d = Arc::clone(&d);
                thread::Builder::new()
                    .name(format!("t{x}"))
                    .spawn(move || {
                        if setdefault {
                            // d.setdefault("foo", [])
                            d.write().unwrap().entry("foo").or_default();
                        } else {
                            // if "foo" not in d: d["foo"] = []
                            let present = d.read().unwrap().contains_key("foo");
                            if !present {
                                d.write().unwrap().insert("foo", Vec::new());
                            }
                        }
                        // d["foo"].append(x)
                        d.write().unwrap().get_mut("foo").unwrap().push(x);
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let mut list = d.read().unwrap().get("foo").cloned().unwrap_or_default();
        list.sort();
        format!("foo = {list:?}")
    })
    .expect("foo = [1, 2]", grade)
}

fn racy() -> Scenario<String> {
    dict_of_lists("blind7a::python_dict_of_lists", false)
}

/// Control 2: the list is created once.
fn once_lock() -> Scenario<String> {
    Scenario::new("blind7a::python_dict_of_lists_oncelock", || {
        let cell = Arc::new(OnceLock::<Mutex<Vec<u32>>>::new().named("foo"));
        let handles: Vec<_> = [1u32, 2]
            .into_iter()
            .map(|x| {
                let cell = Arc::clone(&cell);
                thread::Builder::new()
                    .name(format!("t{x}"))
                    .spawn(move || {
                        cell.get_or_init(|| Mutex::new(Vec::new()).named("list"))
                            .lock()
                            .unwrap()
                            .push(x);
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let mut list = cell.get().map(|m| m.lock().unwrap().clone()).unwrap_or_default();
        list.sort();
        format!("foo = {list:?}")
    })
    .expect("foo = [1, 2]", grade)
}

#[test]
fn racy_loom() {
    common::explore(&racy(), &common::loom()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn racy_shuttle() {
    common::explore(&racy(), &common::shuttle()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn setdefault_holds() {
    let s = dict_of_lists("blind7a::python_dict_of_lists_setdefault", true);
    common::explore(&s, &common::loom()).assert_holds();
    common::explore(&s, &common::shuttle()).assert_holds();
}

#[test]
fn once_lock_holds() {
    common::explore(&once_lock(), &common::loom()).assert_holds();
    common::explore(&once_lock(), &common::shuttle()).assert_holds();
}
