// RIGHT: try_lock is retried after a short sleep until it succeeds, and the lock is held from the read to the write.
use std::fs::{OpenOptions, TryLockError};
use std::io;
use std::path::Path;
use std::time::Duration;

use racelab_labs::file_counter::{read_count, write_count};

/// Adds one to the decimal count in the file at `path`.
pub fn add_one(path: &Path) -> io::Result<()> {
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) => std::thread::sleep(Duration::from_millis(1)),
            Err(TryLockError::Error(e)) => return Err(e),
        }
    }
    let count = read_count(&mut file)?;
    write_count(&mut file, count + 1)?;
    file.unlock()
}
