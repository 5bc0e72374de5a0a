//! The tour's process section: the lecture's `info()` with pids, memory
//! that is not shared, a pipe, and a race on a shared file fixed by a file
//! lock, all on real child processes (`racelab worker ...`).

use std::fmt::Write;

use super::Ctx;
use crate::cli::{emit, style};
use crate::process::{self, file_race, info, isolation, pipe};

/// Processes in the file race.
const PROCESSES: usize = 2;
/// Updates each process makes to the file.
const TIMES: u64 = 2_000;

/// Shows the demo; returns whether every check it made held.
pub(crate) fn demo(ctx: &Ctx) -> anyhow::Result<bool> {
    let color = ctx.color;
    let exe = process::racelab_exe()?;
    let mut ok = true;
    let mut out = String::new();

    // 1. pid and ppid.
    let info = info::info(&exe)?;
    let ppid = |p: info::Pids| p.ppid.map_or_else(|| "?".to_owned(), |p| p.to_string());
    let _ = writeln!(
        out,
        "  {}: each process has its own id; the child's parent id is the parent's id\n",
        style::bold("info()", color)
    );
    let _ = writeln!(out, "    {:<30} {:>8} {:>8}", "", "pid", "ppid");
    let _ = writeln!(
        out,
        "    {:<30} {:>8} {:>8}",
        "parent (racelab tour)",
        info.parent.pid,
        ppid(info.parent)
    );
    let _ = writeln!(
        out,
        "    {:<30} {:>8} {:>8}",
        "child (racelab worker info)",
        info.child.pid,
        ppid(info.child)
    );
    let held = info.child_of_parent();
    ok &= held;
    let _ = writeln!(
        out,
        "    the child's ppid is the parent's pid: {}\n",
        verdict(held, "yes", "NO", color)
    );

    // 2. No shared memory.
    let iso = isolation::isolation(&exe, 0)?;
    ok &= iso.isolated();
    let _ = writeln!(
        out,
        "  {}: the parent's counter is {}; the child (racelab worker increment {}) adds one to its copy\n  \
         and reports {}; the parent's counter is still {}: {}\n",
        style::bold("No shared memory", color),
        iso.parent_before,
        iso.parent_before,
        iso.child,
        iso.parent_after,
        verdict(iso.isolated(), "two address spaces", "NOT ISOLATED", color)
    );

    // 3. A pipe.
    let lines = ["hello", "from the parent", "through a pipe"];
    let answers = pipe::round_trip(&exe, &lines)?;
    let _ = writeln!(
        out,
        "  {}: the parent writes lines to the child's stdin, a thread of its own doing the writing\n  \
         while it reads the answers from the child's stdout (so neither pipe fills up unread):",
        style::bold("A pipe", color)
    );
    for (line, got) in lines.iter().zip(&answers) {
        let right = *got == pipe::answer(line);
        ok &= right;
        let _ = writeln!(out, "    {line:<18} -> {got}{}", if right { "" } else { "  (WRONG)" });
    }
    out.push('\n');

    // 4. The file race, then the lock.
    let _ = writeln!(
        out,
        "  {}: {PROCESSES} processes each add one to a number in a file {TIMES} times\n  \
         (read it, parse, seek to the start, write it back), first without a lock, then each update\n  \
         under an exclusive file lock (File::lock, flock on Linux):",
        style::bold("A race on a shared file", color)
    );
    emit(&out);
    out.clear();
    let dir = tempfile::tempdir()?;
    let racy = file_race::race(&exe, dir.path(), PROCESSES, TIMES, false)?;
    let lost = if racy.lost() == 0 {
        "no update lost this time (the race is still there)".to_owned()
    } else {
        style::red(&format!("lost {} updates", racy.lost()), color)
    };
    let _ = writeln!(
        out,
        "    {:<12} expected {:>6}, got {:>6}: {lost}",
        "no lock", racy.expected, racy.got
    );
    let locked = file_race::race(&exe, dir.path(), PROCESSES, TIMES, true)?;
    ok &= locked.exact();
    let _ = writeln!(
        out,
        "    {:<12} expected {:>6}, got {:>6}: {}",
        "file lock",
        locked.expected,
        locked.got,
        verdict(locked.exact(), "exact", "UPDATES LOST UNDER THE LOCK", color)
    );
    emit(&out);
    Ok(ok)
}

fn verdict(held: bool, yes: &str, no: &str, color: bool) -> String {
    if held {
        style::green(yes, color)
    } else {
        style::red(no, color)
    }
}
