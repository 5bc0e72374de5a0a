//! `UnsafeCell` with loom's closure API (`with`, `with_mut`).
//!
//! Under loom every access is checked against the happens-before relation:
//! two accesses not ordered by synchronisation, at least one a write, are a
//! data race and end the execution with kind `data race`. shuttle and the
//! hardware do not check; shuttle still records the accesses for timelines,
//! and may switch threads before each one (as before each atomic access), so
//! a reader can see a record half written.

use crate::trace::{self, Op, Target};

/// Under shuttle, lets the scheduler switch threads here, as it does
/// before each of its atomic accesses: a plain access is where another
/// thread can come in too. (loom decides at its own accesses.)
fn scheduling_point() {
    #[cfg(feature = "shuttle")]
    if super::backend::current() == super::Backend::Shuttle {
        shuttle_engine::runtime::thread::switch();
    }
}

/// A cell whose contents are reached through raw pointers, as with
/// `std::cell::UnsafeCell`, but only inside `with` / `with_mut`, so that loom
/// can see each access. Like std's, it is not `Sync`: a type that shares one
/// between threads must say why that is sound.
pub struct UnsafeCell<T> {
    inner: Inner<T>,
    target: Target,
    // Recorded for timelines (under a model backend)? Not for a cell inside
    // another facade primitive (a `OnceLock`'s value), which records its own
    // steps: the user's code shares no cell there.
    model: bool,
}

enum Inner<T> {
    Std(std::cell::UnsafeCell<T>),
    #[cfg(feature = "loom")]
    Loom(loom::cell::UnsafeCell<T>),
}

impl<T> UnsafeCell<T> {
    /// A new cell on the current backend, named by where it is created.
    #[track_caller]
    pub fn new(value: T) -> Self {
        let inner = match super::backend::current() {
            #[cfg(feature = "loom")]
            super::Backend::Loom => Inner::Loom(loom::cell::UnsafeCell::new(value)),
            _ => Inner::Std(std::cell::UnsafeCell::new(value)),
        };
        UnsafeCell {
            inner,
            target: Target::caller(),
            model: super::backend::current().is_model(),
        }
    }

    /// Gives the cell the name timelines show.
    pub fn named(mut self, name: impl AsRef<str>) -> Self {
        self.target = Target::name(name);
        self
    }

    /// Reads through a `*const T` (a read access).
    #[track_caller]
    pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        if self.model {
            scheduling_point();
            trace::record(Op::CellRead, self.target, None);
        }
        match &self.inner {
            Inner::Std(c) => f(c.get()),
            #[cfg(feature = "loom")]
            Inner::Loom(c) => c.with(f),
        }
    }

    /// Writes through a `*mut T` (a write access).
    #[track_caller]
    pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        if self.model {
            scheduling_point();
            trace::record(Op::CellWrite, self.target, None);
        }
        match &self.inner {
            Inner::Std(c) => f(c.get()),
            #[cfg(feature = "loom")]
            Inner::Loom(c) => c.with_mut(f),
        }
    }

    /// A cell inside another facade primitive: its accesses are that
    /// primitive's business, not steps of the user's code (loom still
    /// checks them).
    pub(crate) fn internal(mut self) -> Self {
        self.model = false;
        self
    }

    /// Consumes the cell and returns the value.
    pub fn into_inner(self) -> T {
        match self.inner {
            Inner::Std(c) => c.into_inner(),
            #[cfg(feature = "loom")]
            Inner::Loom(c) => c.into_inner(),
        }
    }
}

impl<T> std::fmt::Debug for UnsafeCell<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnsafeCell")
            .field("target", &self.target.to_string())
            .finish_non_exhaustive()
    }
}
