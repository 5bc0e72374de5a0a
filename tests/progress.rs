//! A worker thread copying a file while the UI thread follows it
//! (`racelab::progress`): on real threads, deterministically; and the cancel
//! protocol, model-checked.
//!
//! Why the hardware tests are deterministic: the progress channel has
//! capacity 0, so every `send` of the worker returns only once the UI has
//! taken the message. Cancelling "after the first progress message" then
//! cannot lose to the worker (see
//! `cancel_after_the_first_progress_message_leaves_nothing_behind`). No
//! test sleeps, and none measures time.

use std::fs;
use std::path::{Path, PathBuf};

use racelab::progress::{CopyError, CopyJob, CopyOptions, Event, Progress, Summary, Ui};

/// Small chunks, so a small file has many of them.
const CHUNK: usize = 4 * 1024;

fn options() -> CopyOptions {
    CopyOptions {
        chunk: CHUNK,
        capacity: 0,
        durable: false,
    }
}

/// `len` bytes that differ from chunk to chunk (so a chunk written twice
/// or skipped shows).
fn write_source(dir: &Path, len: usize) -> PathBuf {
    let path = dir.join("source.bin");
    let bytes: Vec<u8> = (0..len).map(|i| (i * 31 + i / 997) as u8).collect();
    fs::write(&path, bytes).expect("write the source");
    path
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list the folder")
        .map(|e| e.expect("a folder entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every event of a copy, read on this thread until the final one, with an
/// action on each progress message.
fn follow(job: &CopyJob, mut on_progress: impl FnMut(Progress)) -> (Vec<Progress>, Event) {
    let mut seen = Vec::new();
    loop {
        match job.events().recv().expect("the worker sends a final event") {
            Event::Progress(p) => {
                seen.push(p);
                on_progress(p);
            }
            last => return (seen, last),
        }
    }
}

#[test]
fn a_copy_is_byte_identical_and_its_progress_rises_to_the_total() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let len = 37 * CHUNK + 123;
    let src = write_source(dir.path(), len);
    let dst = dir.path().join("copy.bin");
    let job = CopyJob::start(&src, &dst, options()).expect("start");
    let (seen, last) = follow(&job, |_| {});
    drop(job);

    assert!(
        matches!(last, Event::Finished { bytes } if bytes == len as u64),
        "{last:?}"
    );
    assert_eq!(fs::read(&dst).expect("the copy"), fs::read(&src).expect("the source"));
    assert_eq!(
        seen.first(),
        Some(&Progress {
            done: 0,
            total: len as u64
        })
    );
    assert!(seen.windows(2).all(|w| w[0].done < w[1].done), "progress is monotone");
    assert!(seen.iter().all(|p| p.total == len as u64 && p.done <= p.total));
    assert_eq!(
        seen.last().map(|p| p.done),
        Some(len as u64),
        "progress reaches the total"
    );
    // One message to start, one per chunk (the last one short).
    assert_eq!(seen.len(), 1 + len.div_ceil(CHUNK));
    assert_eq!(
        names_in(dir.path()),
        ["copy.bin", "source.bin"],
        "no temporary file left"
    );
}

#[test]
fn the_ui_reports_a_finished_copy_with_its_size() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let len = 10 * CHUNK;
    let src = write_source(dir.path(), len);
    let dst = dir.path().join("copy.bin");
    let summary = Ui::hidden()
        .drive(CopyJob::start(&src, &dst, options()).expect("start"))
        .expect("the copy succeeds");
    assert!(
        matches!(summary, Summary::Copied { bytes, .. } if bytes == len as u64),
        "{summary:?}"
    );
    assert_eq!(fs::read(&dst).expect("the copy"), fs::read(&src).expect("the source"));
}

#[test]
fn an_empty_file_is_copied() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let src = write_source(dir.path(), 0);
    let dst = dir.path().join("copy.bin");
    let summary = Ui::hidden()
        .drive(CopyJob::start(&src, &dst, options()).expect("start"))
        .expect("the copy succeeds");
    assert!(matches!(summary, Summary::Copied { bytes: 0, .. }), "{summary:?}");
    assert_eq!(fs::read(&dst).expect("the copy").len(), 0);
}

/// The UI cancels as soon as it has the first progress message (`done ==
/// 0`, sent once the source is open and the temporary file made).
///
/// Why the worker cannot finish first: the channel has capacity 0, so the
/// worker's `send` of its second progress message (after its first chunk)
/// returns only once the UI has received it, and the UI set the token
/// *before* it went back to receive. The worker looks at the token right
/// after that send (and again before publishing), so it must see it. The
/// source has many chunks, but even one would do; only an empty source
/// (no chunk, no second message) could slip through.
#[test]
fn cancel_after_the_first_progress_message_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let src = write_source(dir.path(), 50 * CHUNK);
    let dst = dir.path().join("copy.bin");
    let job = CopyJob::start(&src, &dst, options()).expect("start");
    let token = job.cancel_token().clone();
    let (seen, last) = follow(&job, |_| token.cancel());
    drop(job);

    match last {
        Event::Cancelled { after_bytes } => assert!(after_bytes <= CHUNK as u64, "{after_bytes}"),
        other => panic!("expected a cancelled copy, got {other:?}"),
    }
    assert!(seen.len() <= 2, "at most the first chunk got through: {seen:?}");
    assert!(!dst.exists(), "nothing at the destination");
    assert_eq!(names_in(dir.path()), ["source.bin"], "no temporary file left");
}

#[test]
fn the_ui_that_cancels_reports_cancelled_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let len = 64 * CHUNK;
    let src = write_source(dir.path(), len);
    let dst = dir.path().join("copy.bin");
    // Halfway: the same argument as above, from the message at half.
    let half = (len / 2) as u64;
    let summary = Ui::hidden()
        .cancel_at(half)
        .drive(CopyJob::start(&src, &dst, options()).expect("start"))
        .expect("no error");
    match summary {
        Summary::Cancelled { after_bytes } => {
            assert!((half..=half + CHUNK as u64).contains(&after_bytes), "{after_bytes}")
        }
        other => panic!("expected a cancelled copy, got {other:?}"),
    }
    assert_eq!(names_in(dir.path()), ["source.bin"], "no file, no temporary file");
}

#[test]
fn a_cancel_request_from_elsewhere_in_the_ui_is_honoured() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let src = write_source(dir.path(), 50 * CHUNK);
    let dst = dir.path().join("copy.bin");
    let (button, requests) = crossbeam_channel::unbounded();
    // Pressed before the copy starts. The UI takes waiting requests before
    // any message, so it sets the token before it receives the first one;
    // the worker's first send returns only after that receive, and the
    // worker looks at the token right after it: the copy cannot finish.
    button.send(()).expect("the UI listens");
    let summary = Ui::hidden()
        .cancel_on(requests)
        .drive(CopyJob::start(&src, &dst, options()).expect("start"))
        .expect("no error");
    assert!(matches!(summary, Summary::Cancelled { .. }), "{summary:?}");
    assert_eq!(names_in(dir.path()), ["source.bin"]);
}

#[test]
fn a_cancelled_copy_leaves_an_existing_destination_untouched() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let src = write_source(dir.path(), 20 * CHUNK);
    let dst = dir.path().join("copy.bin");
    fs::write(&dst, b"the old contents").expect("an old destination");
    let summary = Ui::hidden()
        .cancel_at(0)
        .drive(CopyJob::start(&src, &dst, options()).expect("start"))
        .expect("no error");
    assert!(matches!(summary, Summary::Cancelled { .. }), "{summary:?}");
    assert_eq!(fs::read(&dst).expect("the old file"), b"the old contents");
    assert_eq!(names_in(dir.path()), ["copy.bin", "source.bin"]);
}

#[test]
fn a_missing_source_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let dst = dir.path().join("copy.bin");
    let result = Ui::hidden().drive(CopyJob::start(dir.path().join("nope"), &dst, options()).expect("start"));
    assert!(matches!(result, Err(CopyError::OpenSource { .. })), "{result:?}");
    assert!(names_in(dir.path()).is_empty(), "nothing created");
}

#[test]
fn a_folder_as_source_is_an_error() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let dst = dir.path().join("copy.bin");
    let result = Ui::hidden().drive(CopyJob::start(dir.path(), &dst, options()).expect("start"));
    assert!(matches!(result, Err(CopyError::NotAFile(_))), "{result:?}");
    assert!(!dst.exists());
}

#[test]
fn a_destination_in_a_missing_folder_is_an_error() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let src = write_source(dir.path(), 3 * CHUNK);
    let dst = dir.path().join("no such folder").join("copy.bin");
    let result = Ui::hidden().drive(CopyJob::start(&src, &dst, options()).expect("start"));
    assert!(matches!(result, Err(CopyError::CreateTemp { .. })), "{result:?}");
    assert_eq!(names_in(dir.path()), ["source.bin"]);
}

#[test]
fn a_destination_that_is_a_folder_fails_to_publish_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let src = write_source(dir.path(), 3 * CHUNK);
    let dst = dir.path().join("taken");
    fs::create_dir(&dst).expect("a folder in the way");
    fs::write(dst.join("keep"), b"x").expect("a file in it");
    let result = Ui::hidden().drive(CopyJob::start(&src, &dst, options()).expect("start"));
    assert!(matches!(result, Err(CopyError::Publish { .. })), "{result:?}");
    assert_eq!(names_in(dir.path()), ["source.bin", "taken"], "no temporary file left");
    assert_eq!(names_in(&dst), ["keep"], "the folder untouched");
}

#[test]
fn a_zero_chunk_size_is_refused() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let src = write_source(dir.path(), 10);
    let result = CopyJob::start(&src, dir.path().join("copy.bin"), CopyOptions { chunk: 0, ..options() });
    assert!(matches!(result, Err(CopyError::ZeroChunk)), "{result:?}");
}

#[test]
fn dropping_a_job_midway_stops_the_worker_and_removes_its_temporary_file() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let src = write_source(dir.path(), 50 * CHUNK);
    let dst = dir.path().join("copy.bin");
    let job = CopyJob::start(&src, &dst, options()).expect("start");
    // The first message comes after the temporary file exists.
    let first = job.events().recv().expect("a first message");
    assert!(matches!(first, Event::Progress(Progress { done: 0, .. })), "{first:?}");
    assert_eq!(names_in(dir.path()).len(), 2, "source and temporary file");
    // The worker is blocked handing over its next message: drop cancels,
    // disconnects and joins it.
    drop(job);
    assert_eq!(names_in(dir.path()), ["source.bin"]);
}

#[test]
fn the_summary_line_is_plain_words() {
    let copied = Summary::Copied {
        bytes: 64 << 20,
        elapsed: std::time::Duration::from_millis(500),
    };
    assert_eq!(copied.to_string(), "copied 64.0 MiB in 0.500 s (128 MiB/s)");
    assert_eq!(copied.mib_per_sec(), Some(128.0));
    let cancelled = Summary::Cancelled { after_bytes: 1 << 20 };
    assert_eq!(cancelled.to_string(), "cancelled after 1.0 MiB, nothing written");
    assert_eq!(cancelled.mib_per_sec(), None);
}

/// The cancel protocol under shuttle (PCT, fixed seed).
#[cfg(feature = "shuttle")]
mod shuttle {
    use racelab::explore::{Explorer, FailureKind};
    use racelab::progress::{cancel_ack, cancel_flag};

    #[test]
    fn cancel_flag_lets_the_ui_say_cancelled_while_the_file_is_published() {
        let report = cancel_flag::scenario("progress::cancel_flag")
            .explore(&Explorer::shuttle())
            .expect("shuttle is in this build");
        report.assert_racy(Some(FailureKind::ForbiddenOutcome));
        let failure = report.failure.as_ref().expect("racy");
        assert_eq!(failure.outcome.as_deref(), Some("UI said \"cancelled\", file exists"));
    }

    #[test]
    fn cancel_ack_reports_what_the_worker_did() {
        let report = cancel_ack::scenario("progress::cancel_ack")
            .explore(&Explorer::shuttle())
            .expect("shuttle is in this build");
        report.assert_holds();
        // Both endings happen: the cancel in time, and the cancel too late.
        let reached: Vec<&str> = report
            .outcomes
            .iter()
            .filter(|o| o.count > 0)
            .map(|o| o.outcome.as_str())
            .collect();
        assert!(reached.contains(&"UI said \"cancelled\", no file"), "{reached:?}");
        assert!(reached.contains(&"UI said \"done\", file exists"), "{reached:?}");
    }
}

/// The cancel protocol under loom: every interleaving.
#[cfg(feature = "loom")]
mod loom {
    use racelab::explore::{Explorer, FailureKind};
    use racelab::progress::{cancel_ack, cancel_flag};

    #[test]
    fn cancel_flag_is_racy_under_loom() {
        let report = cancel_flag::scenario("progress::cancel_flag")
            .explore(&Explorer::loom())
            .expect("loom is in this build");
        report.assert_racy(Some(FailureKind::ForbiddenOutcome));
        println!("{}", report.render(false));
    }

    #[test]
    fn cancel_ack_holds_in_every_interleaving() {
        let report = cancel_ack::scenario("progress::cancel_ack")
            .explore(&Explorer::loom().with_preemption_bound(None))
            .expect("loom is in this build");
        report.assert_holds();
        assert!(report.complete, "loom explored everything");
    }
}
