// WRONG: read and write are each locked, but the lock is free between them, so another process can read the old count there.
use std::fs::OpenOptions;
use std::io;
use std::path::Path;

use racelab_labs::file_counter::{read_count, write_count};

/// Adds one to the decimal count in the file at `path`.
pub fn add_one(path: &Path) -> io::Result<()> {
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    file.lock()?;
    let count = read_count(&mut file)?;
    file.unlock()?;
    file.lock()?;
    write_count(&mut file, count + 1)?;
    file.unlock()
}
