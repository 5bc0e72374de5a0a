// WRONG: the lock file is never removed, so every later add_one waits for it forever.
use std::fs::OpenOptions;
use std::io;
use std::path::Path;
use std::time::Duration;

use racelab_labs::file_counter::{read_count, write_count};

/// Adds one to the decimal count in the file at `path`.
pub fn add_one(path: &Path) -> io::Result<()> {
    let lock_path = path.with_extension("lock");
    loop {
        match OpenOptions::new().write(true).create_new(true).open(&lock_path) {
            Ok(_) => break,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => std::thread::sleep(Duration::from_millis(1)),
            Err(e) => return Err(e),
        }
    }
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    let count = read_count(&mut file)?;
    write_count(&mut file, count + 1)
}
