//! pipe

/// `racelab worker echo`.
pub fn worker() -> std::io::Result<()> {
    Ok(())
}
