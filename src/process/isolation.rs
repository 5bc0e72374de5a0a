//! isolation

/// `racelab worker increment VALUE`.
pub fn worker(value: u64) -> std::io::Result<()> {
    let _ = value;
    Ok(())
}
