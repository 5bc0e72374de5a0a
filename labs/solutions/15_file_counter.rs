//! Lab 15 — reference solution: hold the file's exclusive lock from the
//! read to the write.

use std::fs::OpenOptions;
use std::io;
use std::path::Path;

use racelab_labs::file_counter::{read_count, write_count};

/// Adds one to the decimal count in the file at `path`. Many processes may
/// call it on the same file at once; every call must count.
pub fn add_one(path: &Path) -> io::Result<()> {
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    // An exclusive advisory lock (flock(2) on Linux), kept by the kernel:
    // another process's `lock()` waits here until we unlock. Advisory means
    // it only keeps out processes that ask for the lock too, so every
    // process that touches the counter must go through `add_one`.
    file.lock()?;
    let count = read_count(&mut file)?;
    write_count(&mut file, count + 1)?;
    // Closing the file would release the lock as well; saying it is clearer.
    file.unlock()?;
    Ok(())
}
