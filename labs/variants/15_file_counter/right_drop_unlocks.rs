// RIGHT: the lock is held until the file is closed at the end of the function, which releases it.
use std::fs::OpenOptions;
use std::io;
use std::path::Path;

use racelab_labs::file_counter::{read_count, write_count};

/// Adds one to the decimal count in the file at `path`.
pub fn add_one(path: &Path) -> io::Result<()> {
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    file.lock()?;
    let count = read_count(&mut file)?;
    write_count(&mut file, count + 1)
    // `file` is dropped here: closing it releases the lock.
}
