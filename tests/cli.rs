//! The `racelab` binary, run as a user runs it: exit codes, `--json`
//! shapes, one-line usage errors, replay, `list`, `--help`, the tour, and
//! colour only where it belongs.
//!
//! Every test passes with and without `--features loom`; where the two
//! builds differ, `cfg!(feature = "loom")` picks what to expect.

use std::collections::BTreeSet;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// Every scenario in the catalogue.
fn scenarios() -> Vec<&'static str> {
    racelab::catalogue::ENTRIES.iter().map(|e| e.name).collect()
}

/// Every demo (real threads and processes, not model-checked).
fn demos() -> Vec<&'static str> {
    racelab::catalogue::DEMOS.iter().map(|d| d.name).collect()
}

/// The counter scenarios that must hold.
const FIXES: [&str; 5] = [
    "counter::mutex",
    "counter::atomic",
    "counter::cas",
    "counter::sharded",
    "counter::thread_local",
];

const LOOM: bool = cfg!(feature = "loom");

/// The binary with `args`, with backtraces asked for (so that a panic
/// would show one) and `NO_COLOR` unset.
fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_racelab"));
    c.args(args)
        .env("RUST_BACKTRACE", "1")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null());
    c
}

/// Runs the binary to the end, capturing both streams.
fn racelab(args: &[&str]) -> Output {
    command(args)
        .output()
        .unwrap_or_else(|e| panic!("could not run racelab {args:?}: {e}"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// The exit code; a death by signal fails the test.
fn code(o: &Output) -> i32 {
    o.status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal: {:?}\n{}", o.status, stderr(o)))
}

/// Both streams, for failure messages.
fn show(args: &[&str], o: &Output) -> String {
    format!(
        "racelab {}\nexit: {:?}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        o.status.code(),
        stdout(o),
        stderr(o)
    )
}

/// Runs and checks the exit code.
fn run_expecting(args: &[&str], want: i32) -> Output {
    let o = racelab(args);
    assert_eq!(code(&o), want, "{}", show(args, &o));
    assert_no_panic(args, &o);
    o
}

fn assert_no_panic(args: &[&str], o: &Output) {
    let err = stderr(o);
    assert!(
        !err.contains("panicked") && !err.to_lowercase().contains("backtrace"),
        "a panic or backtrace on stderr:\n{}",
        show(args, o)
    );
}

/// Exit 2, nothing on stdout, and exactly one line `error: ...` on stderr,
/// which is returned.
fn usage_error(args: &[&str]) -> String {
    let o = run_expecting(args, 2);
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "not one line:\n{}", show(args, &o));
    assert!(lines[0].starts_with("error: "), "{}", show(args, &o));
    assert!(stdout(&o).is_empty(), "{}", show(args, &o));
    lines[0].to_owned()
}

/// Runs with `--json` (which `args` must include) and parses stdout.
fn run_json(args: &[&str], want: i32) -> Value {
    assert!(args.contains(&"--json"));
    let o = run_expecting(args, want);
    serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", show(args, &o)))
}

fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("`{key}` is not a string in {v:#}"))
}

fn u64_field(v: &Value, key: &str) -> u64 {
    v.get(key)
        .and_then(Value::as_u64)
        .unwrap_or_else(|| panic!("`{key}` is not an unsigned number in {v:#}"))
}

fn array_field<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v.get(key)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("`{key}` is not an array in {v:#}"))
}

/// The one backend report of a single-backend `explore --json`, checked
/// for shape: every key there, with its type, and outcome counts summing
/// to the executions.
fn only_backend(doc: &Value, backend: &str) -> Value {
    for key in ["scenario", "expected", "backends", "not_in_build"] {
        assert!(doc.get(key).is_some(), "no `{key}` in {doc:#}");
    }
    str_field(doc, "expected");
    let backends = array_field(doc, "backends");
    assert_eq!(backends.len(), 1, "{doc:#}");
    let b = &backends[0];
    check_backend_shape(b);
    assert_eq!(str_field(b, "backend"), backend, "{b:#}");
    b.clone()
}

fn check_backend_shape(b: &Value) {
    str_field(b, "backend");
    str_field(b, "bounds");
    assert!(u64_field(b, "threads") >= 1, "{b:#}");
    assert!(u64_field(b, "ops") >= 1, "{b:#}");
    let executions = u64_field(b, "executions");
    assert!(executions >= 1, "{b:#}");
    assert!(b.get("complete").is_some_and(Value::is_boolean), "{b:#}");
    let outcomes = array_field(b, "outcomes");
    assert!(!outcomes.is_empty(), "{b:#}");
    let mut total = 0;
    for o in outcomes {
        str_field(o, "outcome");
        let grade = str_field(o, "grade");
        assert!(["acceptable", "forbidden"].contains(&grade), "grade `{grade}` in {o:#}");
        total += u64_field(o, "count");
    }
    assert_eq!(total, executions, "outcome counts do not sum up: {b:#}");
    let failure = b.get("failure").expect("a `failure` key");
    if !failure.is_null() {
        check_failure_shape(failure);
    }
}

fn check_failure_shape(f: &Value) {
    str_field(f, "kind");
    str_field(f, "message");
    u64_field(f, "execution");
    assert!(f.get("outcome").is_some_and(|o| o.is_null() || o.is_string()), "{f:#}");
    assert!(f.get("replay").is_some_and(|r| r.is_null() || r.is_string()), "{f:#}");
    for event in array_field(f, "trace") {
        u64_field(event, "step");
        for key in ["thread", "op", "target", "value"] {
            str_field(event, key);
        }
        assert!(
            event.get("mark").is_some_and(|m| m.is_null() || m.is_string()),
            "{event:#}"
        );
    }
}

/// What a single-backend failure must show for `counter::racy`: a
/// forbidden outcome, a trace with `alice` and `bob` and a lost update.
fn check_racy_failure(b: &Value) -> Value {
    let f = b.get("failure").expect("a `failure` key");
    assert!(!f.is_null(), "counter::racy found no failure: {b:#}");
    assert_eq!(str_field(f, "kind"), "forbidden outcome", "{f:#}");
    let outcome = str_field(f, "outcome");
    let forbidden: Vec<&str> = array_field(b, "outcomes")
        .iter()
        .filter(|o| str_field(o, "grade") == "forbidden")
        .map(|o| str_field(o, "outcome"))
        .collect();
    assert!(
        forbidden.contains(&outcome),
        "failure outcome `{outcome}` is not among the forbidden ones {forbidden:?}"
    );
    let trace = array_field(f, "trace");
    assert!(!trace.is_empty(), "{f:#}");
    let threads: BTreeSet<&str> = trace.iter().map(|e| str_field(e, "thread")).collect();
    assert!(
        threads.contains("alice") && threads.contains("bob"),
        "worker threads {threads:?}"
    );
    let steps: Vec<u64> = trace.iter().map(|e| u64_field(e, "step")).collect();
    assert!(steps.windows(2).all(|w| w[0] < w[1]), "steps not increasing: {steps:?}");
    assert!(
        trace
            .iter()
            .filter_map(|e| e.get("mark").and_then(Value::as_str))
            .any(|m| m.contains("overwrites")),
        "no mark says `overwrites`: {f:#}"
    );
    f.clone()
}

/// The executions a text report gives on its `BACKEND: N executions` line.
fn executions_in_text(text: &str, backend: &str) -> u64 {
    let prefix = format!("{backend}: ");
    let line = text
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no line starting `{prefix}` in:\n{text}"));
    let mut words = line[prefix.len()..].split_whitespace();
    let n = words
        .next()
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("no number of executions in `{line}`"));
    assert!(words.next().is_some_and(|w| w.starts_with("execution")), "`{line}`");
    n
}

// ---------------------------------------------------------------- exit codes

#[test]
fn racy_counter_under_shuttle_exits_1() {
    run_expecting(&["explore", "counter::racy", "--backend", "shuttle"], 1);
}

#[test]
fn every_fix_under_shuttle_exits_0_and_counts_executions() {
    for fix in FIXES {
        let o = run_expecting(&["explore", fix, "--backend", "shuttle"], 0);
        let text = stdout(&o);
        assert!(executions_in_text(&text, "shuttle") >= 1, "{text}");
        // A sample is no proof, and the verdict line says so.
        assert!(text.contains("no failure found, not a proof"), "{text}");
    }
}

#[test]
fn every_fix_on_hardware_exits_0() {
    for fix in FIXES {
        let args = ["explore", fix, "--backend", "hardware", "--runs", "3", "--ops", "1000"];
        let o = run_expecting(&args, 0);
        assert!(stdout(&o).contains("hardware: 3 runs"), "{}", show(&args, &o));
    }
}

#[test]
fn every_fix_under_loom_exits_0_when_built_with_loom() {
    for fix in FIXES {
        let args = ["explore", fix, "--backend", "loom"];
        if LOOM {
            let o = run_expecting(&args, 0);
            let text = stdout(&o);
            let n = executions_in_text(&text, "loom");
            assert!(n >= 1, "{text}");
            assert!(text.contains(&format!("every one of {n} executions")), "{text}");
        } else {
            let line = usage_error(&args);
            assert!(line.contains("--features loom"), "{line}");
        }
    }
}

#[test]
fn racy_counter_under_loom_shows_alice_and_bob_overwriting() {
    let args = ["explore", "counter::racy", "--backend", "loom", "--json"];
    if !LOOM {
        let line = usage_error(&args);
        assert!(line.contains("--features loom"), "{line}");
        return;
    }
    let doc = run_json(&args, 1);
    let b = only_backend(&doc, "loom");
    assert_eq!(b["complete"], Value::Bool(true), "{b:#}");
    let f = check_racy_failure(&b);
    assert!(str_field(&f, "replay").starts_with("loom:"), "{f:#}");
    // Iterative context bounding: the lost update needs one preemption, and
    // the first failing execution of the full exploration is reported too.
    assert_eq!(u64_field(&f, "preemptions"), 1, "{f:#}");
    assert_eq!(str_field(&f, "replay").split(':').nth(1), Some("1"), "{f:#}");
    let first = u64_field(&f, "first_execution");
    assert!(first >= 1 && first <= u64_field(&b, "executions"), "{f:#}");
}

#[test]
fn the_second_initialisation_is_marked_as_acting_on_a_stale_check() {
    for backend in ["loom", "shuttle"] {
        if backend == "loom" && !LOOM {
            continue;
        }
        let args = ["explore", "check_then_act::init_racy", "--backend", backend, "--json"];
        let doc = run_json(&args, 1);
        let b = only_backend(&doc, backend);
        let f = &b["failure"];
        assert_eq!(str_field(f, "kind"), "forbidden outcome", "{b:#}");
        let trace = array_field(f, "trace");
        // The initialisation counts itself with `fetch_add inits`: the
        // second one, by whichever thread, is marked.
        let inits: Vec<&Value> = trace
            .iter()
            .filter(|e| e["target"] == "inits" && e["op"] == "fetch_add")
            .collect();
        assert_eq!(inits.len(), 2, "{f:#}");
        assert_eq!(inits[0]["mark"], Value::Null, "{f:#}");
        assert_eq!(inits[1]["mark_kind"], "stale_check", "{f:#}");
        assert!(
            str_field(inits[1], "mark").starts_with("acts on the check at step"),
            "{f:#}"
        );
    }
}

// ---------------------------------------------------------------- --json

#[test]
fn json_of_racy_counter_has_every_key_and_a_forbidden_outcome() {
    let doc = run_json(&["explore", "counter::racy", "--backend", "shuttle", "--json"], 1);
    assert_eq!(str_field(&doc, "scenario"), "counter::racy");
    assert_eq!(str_field(&doc, "expected"), "count = 4", "2 threads × 2 ops");
    assert_eq!(array_field(&doc, "not_in_build").len(), 0, "{doc:#}");
    let b = only_backend(&doc, "shuttle");
    assert_eq!(u64_field(&b, "threads"), 2);
    assert_eq!(u64_field(&b, "ops"), 2);
    let f = check_racy_failure(&b);
    assert!(str_field(&f, "replay").starts_with("shuttle:"), "{f:#}");
}

#[test]
fn json_of_a_fix_has_a_null_failure_and_only_acceptable_outcomes() {
    for fix in FIXES {
        let doc = run_json(&["explore", fix, "--backend", "shuttle", "--json"], 0);
        assert_eq!(str_field(&doc, "scenario"), fix);
        let b = only_backend(&doc, "shuttle");
        assert!(b["failure"].is_null(), "{b:#}");
        for o in array_field(&b, "outcomes") {
            assert_eq!(str_field(o, "grade"), "acceptable", "{b:#}");
            assert_eq!(str_field(o, "outcome"), str_field(&doc, "expected"));
        }
    }
}

#[test]
fn json_of_all_backends_names_those_not_in_the_build() {
    let doc = run_json(&["explore", "counter::atomic", "--runs", "3", "--json"], 0);
    let backends = array_field(&doc, "backends");
    for b in backends {
        check_backend_shape(b);
        assert!(b["failure"].is_null(), "{b:#}");
    }
    let ran: BTreeSet<&str> = backends.iter().map(|b| str_field(b, "backend")).collect();
    let missing: Vec<&str> = array_field(&doc, "not_in_build")
        .iter()
        .map(|v| v.as_str().expect("backend names are strings"))
        .collect();
    if LOOM {
        assert_eq!(ran, BTreeSet::from(["hardware", "loom", "shuttle"]));
        assert!(missing.is_empty(), "{missing:?}");
    } else {
        assert_eq!(ran, BTreeSet::from(["hardware", "shuttle"]));
        assert_eq!(missing, ["loom"]);
    }
    let hardware = backends
        .iter()
        .find(|b| b["backend"] == "hardware")
        .expect("a hardware report");
    assert_eq!(u64_field(hardware, "executions"), 3, "{hardware:#}");
}

// ---------------------------------------------------------------- usage errors

#[test]
fn unknown_scenario_is_a_one_line_error_suggesting_the_closest() {
    let line = usage_error(&["explore", "counter::rasy"]);
    assert!(line.contains("counter::rasy"), "{line}");
    assert!(line.contains("`counter::racy`"), "{line}");
}

#[test]
fn zero_threads_is_a_one_line_error() {
    let line = usage_error(&["explore", "counter::racy", "--threads", "0"]);
    assert!(line.contains("--threads"), "{line}");
    usage_error(&["explore", "counter::racy", "--backend", "shuttle", "--threads", "0"]);
}

#[test]
fn too_many_threads_for_loom_is_a_one_line_error() {
    let line = usage_error(&["explore", "counter::racy", "--threads", "99", "--backend", "loom"]);
    if LOOM {
        assert!(line.contains("at most 4"), "loom's own limit is named: {line}");
    } else {
        assert!(line.contains("--features loom"), "{line}");
    }
    // Five passes any general limit; only loom's own (4) refuses it.
    let line = usage_error(&["explore", "counter::racy", "--threads", "5", "--backend", "loom"]);
    assert!(line.contains("loom"), "{line}");
}

#[test]
fn loom_backend_without_the_feature_names_the_feature() {
    if LOOM {
        return;
    }
    let line = usage_error(&["explore", "counter::mutex", "--backend", "loom"]);
    assert!(line.contains("--features loom"), "{line}");
}

// ---------------------------------------------------------------- replay

#[test]
fn replay_key_from_shuttle_json_reproduces_the_failure() {
    let doc = run_json(&["explore", "counter::racy", "--backend", "shuttle", "--json"], 1);
    let original = check_racy_failure(&only_backend(&doc, "shuttle"));
    let key = str_field(&original, "replay");

    let doc = run_json(&["explore", "counter::racy", "--replay", key, "--json"], 1);
    let b = only_backend(&doc, "shuttle");
    assert_eq!(u64_field(&b, "executions"), 1, "{b:#}");
    let replayed = check_racy_failure(&b);
    assert_eq!(str_field(&replayed, "outcome"), str_field(&original, "outcome"));
    assert_eq!(
        array_field(&replayed, "trace").len(),
        array_field(&original, "trace").len()
    );
    assert_eq!(replayed["trace"], original["trace"], "a different execution");
}

#[test]
fn replay_key_from_loom_json_reproduces_the_failure() {
    if !LOOM {
        return;
    }
    let doc = run_json(&["explore", "counter::racy", "--backend", "loom", "--json"], 1);
    let original = check_racy_failure(&only_backend(&doc, "loom"));
    let key = str_field(&original, "replay");

    let doc = run_json(&["explore", "counter::racy", "--replay", key, "--json"], 1);
    let replayed = check_racy_failure(&only_backend(&doc, "loom"));
    assert_eq!(str_field(&replayed, "outcome"), str_field(&original, "outcome"));
    assert_eq!(replayed["trace"], original["trace"], "a different execution");
}

#[test]
fn malformed_replay_key_is_a_one_line_error() {
    for key in ["nonsense", "shuttle:zz", "shuttle:", "loom:zz"] {
        let args = ["explore", "counter::racy", "--replay", key];
        let line = usage_error(&args);
        if key == "nonsense" {
            assert!(line.contains("nonsense"), "{line}");
        }
    }
}

#[test]
fn replay_key_for_another_backend_is_a_one_line_error() {
    let doc = run_json(&["explore", "counter::racy", "--backend", "shuttle", "--json"], 1);
    let key = str_field(&only_backend(&doc, "shuttle")["failure"], "replay").to_owned();
    let line = usage_error(&["explore", "counter::racy", "--backend", "hardware", "--replay", &key]);
    assert!(line.contains("shuttle"), "{line}");
}

// ---------------------------------------------------------------- list, help

#[test]
fn list_prints_every_scenario_and_demo_once() {
    let o = run_expecting(&["list"], 0);
    let text = stdout(&o);
    for name in scenarios().into_iter().chain(demos()) {
        let lines = text
            .lines()
            .filter(|l| l.split_whitespace().next() == Some(name))
            .count();
        assert_eq!(lines, 1, "`{name}` in:\n{text}");
    }
}

#[test]
fn list_json_is_an_array_of_every_scenario_and_demo() {
    let doc = run_json(&["list", "--json"], 0);
    let entries = doc.as_array().expect("an array");
    let names: Vec<&str> = entries.iter().map(|e| str_field(e, "name")).collect();
    let known: Vec<&str> = scenarios().into_iter().chain(demos()).collect();
    assert_eq!(
        names.iter().copied().collect::<BTreeSet<_>>(),
        known.iter().copied().collect::<BTreeSet<_>>(),
        "{names:?}"
    );
    assert_eq!(names.len(), known.len(), "duplicates in {names:?}");
    for e in entries {
        let name = str_field(e, "name");
        let topic = str_field(e, "topic");
        assert_eq!(name.split("::").next(), Some(topic), "{e:#}");
        assert!(!str_field(e, "summary").is_empty(), "{e:#}");
        let expect = str_field(e, "expect");
        if expect == "demo" {
            assert!(demos().contains(&name), "{e:#}");
            continue;
        }
        let entry = racelab::catalogue::find(name).expect("listed names are in the catalogue");
        match entry.expect {
            racelab::catalogue::Expect::Racy(kind) => assert_eq!(expect, format!("racy ({kind})"), "{e:#}"),
            racelab::catalogue::Expect::LoomOnly(kind) => {
                assert_eq!(expect, format!("racy under loom only ({kind})"), "{e:#}")
            }
            racelab::catalogue::Expect::Holds => assert_eq!(expect, "holds", "{e:#}"),
        }
    }
}

#[test]
fn help_names_every_command() {
    let o = run_expecting(&["--help"], 0);
    let text = stdout(&o);
    for command in ["tour", "list", "explore"] {
        assert!(text.contains(command), "no `{command}` in:\n{text}");
    }
}

// ---------------------------------------------------------------- tour

#[test]
fn tour_exits_0_and_shows_the_lost_update() {
    let o = run_expecting(&["tour", "--runs", "3", "--ops", "1000"], 0);
    let text = stdout(&o);
    for needle in ["alice", "bob", "overwrites", "holds"] {
        assert!(text.contains(needle), "no `{needle}` in:\n{text}");
    }
    for fix in FIXES {
        assert!(text.contains(fix), "no `{fix}` in:\n{text}");
    }
}

#[test]
fn tour_runs_only_the_topics_asked_for() {
    let o = run_expecting(&["tour", "deadlock", "--runs", "3"], 0);
    let text = stdout(&o);
    assert!(text.contains("deadlock::ordered"), "{text}");
    for absent in ["counter::mutex", "stack::tagged"] {
        assert!(!text.contains(absent), "`{absent}` in:\n{text}");
    }
}

#[test]
fn tour_of_an_unknown_topic_is_bad_usage_with_a_suggestion() {
    let o = run_expecting(&["tour", "deadlok"], 2);
    let err = stderr(&o);
    assert!(err.contains("did you mean deadlock"), "{err}");
    assert!(stdout(&o).is_empty(), "nothing runs: {}", stdout(&o));
}

#[test]
fn exploring_a_demo_points_to_the_tour() {
    let o = run_expecting(&["explore", "process::file_race"], 2);
    assert!(stderr(&o).contains("racelab tour process"), "{}", stderr(&o));
}

// ---------------------------------------------------------------- output hygiene

#[test]
fn piped_output_has_no_colour_with_or_without_no_color() {
    let args = ["explore", "counter::racy", "--backend", "shuttle"];
    let plain = racelab(&args);
    let no_color = command(&args).env("NO_COLOR", "1").output().expect("run racelab");
    for o in [&plain, &no_color] {
        assert_eq!(code(o), 1, "{}", show(&args, o));
        let text = stdout(o);
        assert!(text.contains("overwrites"), "{text}");
        assert!(!text.contains("\x1b["), "an escape in:\n{text:?}");
    }
    assert_eq!(plain.stdout, no_color.stdout);
}

#[test]
fn a_reader_that_closes_the_pipe_early_causes_no_panic() {
    // The read end is closed right after the spawn, almost surely before
    // the binary has anything to write; if it wrote first, the test still
    // holds (it just checks less).
    for args in [&["list"][..], &["explore", "counter::racy", "--backend", "shuttle"][..]] {
        let mut child = command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn racelab");
        drop(child.stdout.take());
        let o = child.wait_with_output().expect("wait for racelab");
        assert_no_panic(args, &o);
        let want = if args.contains(&"counter::racy") { 1 } else { 0 };
        assert_eq!(code(&o), want, "{}", show(args, &o));
    }
}

#[test]
fn sizes_on_a_fixed_shape_scenario_are_a_one_line_error() {
    let line = usage_error(&["explore", "ordering::sb_relaxed", "--threads", "3"]);
    assert!(line.contains("fixed shape"), "{line}");
}
