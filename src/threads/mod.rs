//! Threads: spawning, naming, joining, detaching (lecture section *threading*).
pub mod detached;
