// WRONG: a pause before reading only shifts the race in time; two processes that pause alike still read the same count.
use std::fs::OpenOptions;
use std::io;
use std::path::Path;
use std::time::Duration;

use racelab_labs::file_counter::{read_count, write_count};

/// Adds one to the decimal count in the file at `path`.
pub fn add_one(path: &Path) -> io::Result<()> {
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    // "Give the other process time to finish first."
    std::thread::sleep(Duration::from_millis(150));
    let count = read_count(&mut file)?;
    write_count(&mut file, count + 1)
}
