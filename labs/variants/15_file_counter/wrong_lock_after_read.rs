// WRONG: the lock is taken after the read, so the count it writes back may already be stale.
use std::fs::OpenOptions;
use std::io;
use std::path::Path;

use racelab_labs::file_counter::{read_count, write_count};

/// Adds one to the decimal count in the file at `path`.
pub fn add_one(path: &Path) -> io::Result<()> {
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    let count = read_count(&mut file)?;
    file.lock()?;
    write_count(&mut file, count + 1)?;
    file.unlock()
}
