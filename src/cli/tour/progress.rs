//! The tour's progress section: a real file copied by a worker thread while
//! the UI thread draws a bar, then a copy the UI cancels halfway.
//!
//! The catalogue scenarios (`progress::cancel_flag` and its fix
//! `progress::cancel_ack`) follow it in the tour; this shows what they
//! reduce away: real threads, a real channel, a real file, and a cancel that
//! leaves nothing behind.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;

use super::Ctx;
use crate::cli::{emit, style};
use crate::progress::{CopyJob, CopyOptions, Summary, Ui};

/// The file copied: big enough for a few dozen chunks, quick to copy.
const SIZE: usize = 32 << 20;

/// Writes `SIZE` bytes (a pattern that changes every MiB) to `path`.
fn write_source(path: &Path) -> anyhow::Result<()> {
    let mut file = std::io::BufWriter::new(fs::File::create(path).context("create the source file")?);
    let mut block: Vec<u8> = (0..1usize << 20).map(|i| (i % 251) as u8).collect();
    for n in 0..SIZE >> 20 {
        block[0] = n as u8;
        file.write_all(&block).context("write the source file")?;
    }
    file.flush().context("write the source file")?;
    Ok(())
}

/// `bytes` in MiB or KiB, whichever is whole.
fn size(bytes: usize) -> String {
    if bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{} KiB", bytes.div_ceil(1 << 10))
    }
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).context("list the temporary folder")? {
        names.push(
            entry
                .context("list the temporary folder")?
                .file_name()
                .to_string_lossy()
                .into_owned(),
        );
    }
    names.sort();
    Ok(names)
}

/// Copies a file with a bar, then cancels a second copy halfway; returns
/// whether the first copy is byte-identical and the second left nothing.
pub(crate) fn demo(ctx: &Ctx) -> anyhow::Result<bool> {
    let dir = tempfile::tempdir().context("create a temporary folder")?;
    let src = dir.path().join("source.bin");
    let copy = dir.path().join("copy.bin");
    let cancelled = dir.path().join("cancelled.bin");
    write_source(&src)?;
    let options = CopyOptions::default();
    let mut ok = true;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  A worker thread copies a {} MiB file in {} chunks; after each chunk it sends a message on a\n  \
         channel of capacity 0, so it is never ahead of the UI thread, which draws the bar (on a terminal)\n  \
         and waits in select! with a tick, so a cancel request is taken even while the worker is silent.\n  \
         The copy goes to a temporary file renamed into place only when complete (src/progress/).\n",
        SIZE >> 20,
        size(options.chunk)
    );
    emit(&out);

    // 1. A whole copy.
    let ui = Ui::on_stderr();
    let drawn = ui.is_drawn();
    let mut out = String::new();
    match ui.drive(CopyJob::start(&src, &copy, options)?) {
        Ok(summary) => {
            let identical = matches!(summary, Summary::Copied { .. })
                && fs::read(&src).context("read the source")? == fs::read(&copy).context("read the copy")?;
            ok &= identical;
            let bar = if drawn { "" } else { " (no terminal: no bar)" };
            let verdict = if identical {
                style::green("byte-identical to the source", ctx.color)
            } else {
                style::red("NOT identical to the source", ctx.color)
            };
            let _ = writeln!(out, "  copy 1: {summary}{bar}\n          {verdict}");
        }
        Err(e) => {
            ok = false;
            let _ = writeln!(out, "  copy 1: {}", style::red(&format!("failed: {e}"), ctx.color));
        }
    }
    emit(&out);

    // 2. The UI thread cancels halfway.
    let half = (SIZE / 2) as u64;
    let result = Ui::on_stderr()
        .cancel_at(half)
        .drive(CopyJob::start(&src, &cancelled, options)?);
    let mut out = String::new();
    match result {
        Ok(summary) => {
            ok &= matches!(summary, Summary::Cancelled { .. });
            let _ = writeln!(
                out,
                "  copy 2: the UI thread asked to cancel at {} MiB; the worker answered: {summary}",
                half >> 20
            );
        }
        Err(e) => {
            ok = false;
            let _ = writeln!(out, "  copy 2: {}", style::red(&format!("failed: {e}"), ctx.color));
        }
    }
    let left = names_in(dir.path())?;
    let clean = left.iter().all(|n| n == "source.bin" || n == "copy.bin");
    ok &= clean;
    let verdict = if clean {
        style::green("no partial file and no temporary file left", ctx.color)
    } else {
        style::red("something was left behind", ctx.color)
    };
    let _ = writeln!(out, "          the folder holds {}: {verdict}", left.join(", "));
    let _ = writeln!(
        out,
        "\n  The UI reported the worker's final answer, not its own request. Below, the version that does not\n  \
         wait for it, caught telling the user \"cancelled\" while the file is being published:\n"
    );
    emit(&out);
    Ok(ok)
}
