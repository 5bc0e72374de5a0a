//! The worker: copies a file in chunks on its own thread and reports.
//!
//! Lecture section *threading*: the long job leaves the UI thread. The
//! worker sends [`Event::Progress`] after every chunk on a bounded
//! `crossbeam-channel` channel, then exactly one final event:
//! [`Event::Finished`], [`Event::Cancelled`] or [`Event::Failed`]. Between
//! chunks, and once more before publishing, it looks at a [`CancelToken`].
//!
//! Nothing half-done is ever visible at the destination: the bytes go to a
//! temporary file next to it (`.NAME.XXXXXX.part`), which is renamed over
//! the destination only when complete (a rename within one folder is
//! atomic). On cancel, on error, even if the UI goes away, the temporary
//! file is removed (it is a [`tempfile::NamedTempFile`], deleted on drop).
//!
//! The channel's capacity is the worker's lead over the UI: with capacity 0
//! (a rendezvous, the default) every `send` waits until the UI has taken
//! the message, so the worker is never more than one chunk ahead of what
//! the UI has seen. That makes cancel prompt — and testable. What it costs:
//! the worker waits for the UI once per chunk (with 1 MiB chunks, a few
//! dozen hand-offs for a whole file).
//!
//! I/O runs on the worker only, even opening the source, so a slow disk
//! never freezes the UI; errors arrive as [`Event::Failed`].

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use crossbeam_channel::{bounded, Receiver, Sender};
use thiserror::Error;

/// 1 MiB.
pub const DEFAULT_CHUNK: usize = 1 << 20;

/// Why a copy failed. Every variant leaves nothing at the destination.
#[derive(Debug, Error)]
pub enum CopyError {
    #[error("cannot open the source {path}: {source}")]
    OpenSource {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("the source {0} is not a regular file")]
    NotAFile(PathBuf),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("the destination {0} does not name a file")]
    NoFileName(PathBuf),
    #[error("cannot create a temporary file in {dir}: {source}")]
    CreateTemp {
        dir: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot write the copy in {dir}: {source}")]
    Write {
        dir: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot move the copy into place at {path}: {source}")]
    Publish {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("the chunk size must be at least one byte")]
    ZeroChunk,
    #[error("cannot start the copy worker: {0}")]
    Spawn(#[source] io::Error),
    #[error("the copy worker stopped without a final answer")]
    WorkerLost,
}

/// How far the copy is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Bytes written to the temporary file so far.
    pub done: u64,
    /// The source's size when the copy started.
    pub total: u64,
}

/// What the worker tells the UI: progress, then exactly one final event.
#[derive(Debug)]
pub enum Event {
    /// The first one has `done == 0` and comes once the source is open.
    Progress(Progress),
    /// The copy is at the destination.
    Finished { bytes: u64 },
    /// The copy was abandoned; nothing is at the destination and no
    /// temporary file is left.
    Cancelled { after_bytes: u64 },
    /// The copy failed; nothing is at the destination and no temporary
    /// file is left.
    Failed(CopyError),
}

impl Event {
    /// Whether this is the last event of a copy.
    pub fn is_final(&self) -> bool {
        !matches!(self, Event::Progress(_))
    }
}

/// A request to stop, shared between the UI and the worker. Asking is not
/// the same as having stopped: the worker may already be past its last
/// look, so wait for its final [`Event`] (see [`super::cancel_ack`]).
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A token nobody has cancelled yet.
    pub fn new() -> Self {
        CancelToken::default()
    }

    /// Asks the worker to stop at its next look.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Release);
    }

    /// Whether someone asked to stop.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// How the worker copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CopyOptions {
    /// Bytes per chunk: one progress message, one look at the token.
    pub chunk: usize,
    /// Progress messages the worker may send ahead of the UI (0: none, it
    /// waits for the UI at every message).
    pub capacity: usize,
    /// Flushes the copy to disk before the rename, so a crash right after
    /// cannot leave an empty file at the destination. Costs a disk flush.
    pub durable: bool,
}

impl Default for CopyOptions {
    fn default() -> Self {
        CopyOptions {
            chunk: DEFAULT_CHUNK,
            capacity: 0,
            durable: false,
        }
    }
}

/// A copy under way on its worker thread. Dropping it cancels the copy and
/// waits for the worker, so no thread and no temporary file outlive it.
#[derive(Debug)]
pub struct CopyJob {
    events: Receiver<Event>,
    cancel: CancelToken,
    worker: Option<JoinHandle<()>>,
}

impl CopyJob {
    /// Starts copying `src` to `dst` on a new thread named `copy-worker`.
    /// Fails only when the options are unusable or no thread can start;
    /// everything else is reported by the worker as [`Event::Failed`].
    pub fn start(src: impl Into<PathBuf>, dst: impl Into<PathBuf>, options: CopyOptions) -> Result<Self, CopyError> {
        if options.chunk == 0 {
            return Err(CopyError::ZeroChunk);
        }
        let (src, dst) = (src.into(), dst.into());
        let (tx, rx) = bounded(options.capacity);
        let cancel = CancelToken::new();
        let token = cancel.clone();
        let worker = thread::Builder::new()
            .name("copy-worker".to_owned())
            .spawn(move || work(&src, &dst, options, &token, &tx))
            .map_err(CopyError::Spawn)?;
        Ok(CopyJob {
            events: rx,
            cancel,
            worker: Some(worker),
        })
    }

    /// The worker's messages.
    pub fn events(&self) -> &Receiver<Event> {
        &self.events
    }

    /// The token the worker looks at between chunks.
    pub fn cancel_token(&self) -> &CancelToken {
        &self.cancel
    }
}

impl Drop for CopyJob {
    fn drop(&mut self) {
        self.cancel.cancel();
        // A worker blocked in `send` wakes up with an error and stops.
        drop(std::mem::replace(&mut self.events, crossbeam_channel::never()));
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

/// How a copy that did not fail ended.
enum End {
    Finished(u64),
    Cancelled(u64),
}

/// The worker thread's body: copy, then send the one final event.
fn work(src: &Path, dst: &Path, options: CopyOptions, cancel: &CancelToken, tx: &Sender<Event>) {
    let last = match copy(src, dst, options, cancel, tx) {
        Ok(End::Finished(bytes)) => Event::Finished { bytes },
        Ok(End::Cancelled(after_bytes)) => Event::Cancelled { after_bytes },
        Err(e) => Event::Failed(e),
    };
    // The UI may be gone; then nobody is left to tell.
    let _ = tx.send(last);
}

fn copy(
    src: &Path,
    dst: &Path,
    options: CopyOptions,
    cancel: &CancelToken,
    tx: &Sender<Event>,
) -> Result<End, CopyError> {
    let mut input = File::open(src).map_err(|source| CopyError::OpenSource {
        path: src.to_owned(),
        source,
    })?;
    let meta = input.metadata().map_err(|source| CopyError::Read {
        path: src.to_owned(),
        source,
    })?;
    if !meta.is_file() {
        return Err(CopyError::NotAFile(src.to_owned()));
    }
    let total = meta.len();
    let name = dst.file_name().ok_or_else(|| CopyError::NoFileName(dst.to_owned()))?;
    let dir = match dst.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // Deleted when dropped: every early return below removes it.
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{}.", name.to_string_lossy()))
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(|source| CopyError::CreateTemp {
            dir: dir.to_owned(),
            source,
        })?;
    let mut done = 0u64;
    // A failed send means the UI is gone: nobody wants the copy any more.
    if tx.send(Event::Progress(Progress { done, total })).is_err() {
        return Ok(End::Cancelled(done));
    }
    let mut buf = vec![0u8; options.chunk];
    loop {
        if cancel.is_cancelled() {
            return Ok(End::Cancelled(done));
        }
        let n = read_chunk(&mut input, &mut buf).map_err(|source| CopyError::Read {
            path: src.to_owned(),
            source,
        })?;
        if n == 0 {
            break;
        }
        temp.write_all(&buf[..n]).map_err(|source| CopyError::Write {
            dir: dir.to_owned(),
            source,
        })?;
        done += n as u64;
        if tx.send(Event::Progress(Progress { done, total })).is_err() {
            return Ok(End::Cancelled(done));
        }
    }
    if options.durable {
        temp.as_file().sync_all().map_err(|source| CopyError::Write {
            dir: dir.to_owned(),
            source,
        })?;
    }
    // The last look. Past it the copy is published whatever the UI asks
    // now, and the final event says so: the UI must wait for it to know.
    if cancel.is_cancelled() {
        return Ok(End::Cancelled(done));
    }
    // On failure the error hands the temporary file back, and dropping it
    // removes it.
    temp.persist(dst).map_err(|e| CopyError::Publish {
        path: dst.to_owned(),
        source: e.error,
    })?;
    Ok(End::Finished(done))
}

/// Fills `buf` unless the file ends first; returns how much it read.
fn read_chunk(input: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
