//! Lab 15 — Two processes, one counter file.
//!
//! The lecture's section *multiprocessing*: processes share no memory, so
//! no `Mutex` and no atomic can protect what they share; they talk through
//! the operating system, files for example. Here every process that runs
//! `add_one` counts one more in a text file: it reads the number, adds one
//! and writes it back. Two processes doing it at once can both read the same
//! number, and one increment is lost, exactly like two threads' `load` and
//! `store`. The file itself has to be locked, and the operating system keeps
//! that lock, not your program.
//!
//! Read and write the number with `read_count` and `write_count`, on
//! `add_one`'s own thread (the check needs to see both). Edit only this
//! file. Check it with `racelab check 15`.

use std::fs::OpenOptions;
use std::io;
use std::path::Path;

use racelab_labs::file_counter::{read_count, write_count};

/// Adds one to the decimal count in the file at `path`. Many processes may
/// call it on the same file at once; every call must count.
pub fn add_one(path: &Path) -> io::Result<()> {
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    // TODO: between this read and the write below, another process can read
    // the same count and write its own +1, which the write below erases.
    // Keep every other process out of the file from the read to the write.
    let count = read_count(&mut file)?;
    write_count(&mut file, count + 1)?;
    Ok(())
}
