// WRONG: a static Mutex lives in one process's memory, so it keeps out threads but not another process.
use std::fs::OpenOptions;
use std::io;
use std::path::Path;
use std::sync::Mutex;

use racelab_labs::file_counter::{read_count, write_count};

static COUNTER: Mutex<()> = Mutex::new(());

/// Adds one to the decimal count in the file at `path`.
pub fn add_one(path: &Path) -> io::Result<()> {
    let _guard = COUNTER.lock().unwrap_or_else(|e| e.into_inner());
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    let count = read_count(&mut file)?;
    write_count(&mut file, count + 1)
}
