// WRONG: try_lock's answer is ignored, so when another process holds the lock this one reads and writes anyway.
use std::fs::OpenOptions;
use std::io;
use std::path::Path;

use racelab_labs::file_counter::{read_count, write_count};

/// Adds one to the decimal count in the file at `path`.
pub fn add_one(path: &Path) -> io::Result<()> {
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    let _ = file.try_lock();
    let count = read_count(&mut file)?;
    write_count(&mut file, count + 1)
}
