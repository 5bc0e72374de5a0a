//! file_race

/// `racelab worker file-counter PATH TIMES [--locked]`.
pub fn worker(path: &std::path::Path, times: u64, locked: bool) -> std::io::Result<()> {
    let _ = (path, times, locked);
    Ok(())
}
