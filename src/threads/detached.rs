//! Detached threads (the lecture's `daemon=True`).

/// `racelab worker detached`: the child-process side of the demo.
pub fn worker() -> std::io::Result<()> {
    Ok(())
}
