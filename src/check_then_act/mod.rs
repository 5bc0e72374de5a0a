//! Check-then-act: a thread checks a condition, then acts on it, and
//! another thread changes the condition in between.
//!
//! Lecture section *GIL* (race conditions): the same race as the lost
//! update, with a decision instead of an arithmetic step. Two scenarios:
//! - [`lazy_init`]: "if not initialised, initialise" runs the (expensive,
//!   maybe non-repeatable) initialisation twice;
//! - [`withdraw`]: "if the balance covers it, take the money" overdraws.
//!
//! The fixes make check and act one step: a lock around both, a
//! compare-exchange that acts only if the checked value is still there, or
//! a [`OnceCell`](once_cell::OnceCell) that runs its initialiser exactly once.

pub mod lazy_init;
pub mod once_cell;
pub mod withdraw;
