//! info

/// `racelab worker info`.
pub fn worker() -> std::io::Result<()> {
    Ok(())
}
