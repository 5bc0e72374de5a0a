// RIGHT: creating a lock file with create_new succeeds for one process at a time; the others retry until it is removed.
use std::fs::{self, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use racelab_labs::file_counter::{read_count, write_count};

/// Removes the lock file when dropped, even if the increment failed.
struct LockFile(PathBuf);

impl Drop for LockFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// Adds one to the decimal count in the file at `path`.
pub fn add_one(path: &Path) -> io::Result<()> {
    let lock_path = path.with_extension("lock");
    let _lock = loop {
        match OpenOptions::new().write(true).create_new(true).open(&lock_path) {
            Ok(_) => break LockFile(lock_path),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => std::thread::sleep(Duration::from_millis(2)),
            Err(e) => return Err(e),
        }
    };
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    let count = read_count(&mut file)?;
    write_count(&mut file, count + 1)
}
