// RIGHT: a try_lock spin that yields the CPU between attempts, holding the lock from the read to the write.
use std::fs::{OpenOptions, TryLockError};
use std::io;
use std::path::Path;

use racelab_labs::file_counter::{read_count, write_count};

/// Adds one to the decimal count in the file at `path`.
pub fn add_one(path: &Path) -> io::Result<()> {
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    while let Err(e) = file.try_lock() {
        match e {
            TryLockError::WouldBlock => std::thread::yield_now(),
            TryLockError::Error(e) => return Err(e),
        }
    }
    let count = read_count(&mut file)?;
    write_count(&mut file, count + 1)?;
    file.unlock()
}
