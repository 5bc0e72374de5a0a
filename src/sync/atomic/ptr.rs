//! `AtomicPtr` with the std API, on whichever backend is current.
//!
//! Shows: the same recorded loads, stores, swaps and compare-exchanges as
//! the integer atomics, with each pointer shown as its address (`{:p}`) and
//! each access's memory ordering. Cost: as the integer atomics (one branch
//! on hardware; under a model, an event with two formatted addresses).

use std::sync::atomic::Ordering;

use crate::sync::backend::{construct, dispatch};
use crate::trace::{self, Op, Target};

/// `std::sync::atomic::AtomicPtr` on the current backend.
pub struct AtomicPtr<T> {
    inner: Inner<T>,
    target: Target,
}

enum Inner<T> {
    Std(std::sync::atomic::AtomicPtr<T>),
    #[cfg(feature = "shuttle")]
    Shuttle(shuttle::sync::atomic::AtomicPtr<T>),
    #[cfg(feature = "loom")]
    Loom(loom::sync::atomic::AtomicPtr<T>),
}

impl<T> AtomicPtr<T> {
    /// A new atomic pointer on the current backend, named by where it is
    /// created.
    #[track_caller]
    pub fn new(value: *mut T) -> Self {
        AtomicPtr {
            inner: construct!(
                Inner,
                std::sync::atomic::AtomicPtr::new(value),
                shuttle::sync::atomic::AtomicPtr::new(value),
                loom::sync::atomic::AtomicPtr::new(value)
            ),
            target: Target::caller(),
        }
    }

    /// Gives the atomic the name timelines show.
    pub fn named(mut self, name: impl AsRef<str>) -> Self {
        self.target = Target::name(name);
        self
    }

    #[track_caller]
    fn record(&self, op: Op, order: Ordering, read: Option<*mut T>, wrote: Option<*mut T>, value: String) {
        if !matches!(self.inner, Inner::Std(_)) {
            let show = |p: *mut T| format!("{p:p}");
            trace::record_atomic(op, self.target, Some(value), read.map(show), wrote.map(show), order);
        }
    }

    /// Loads the pointer.
    #[track_caller]
    pub fn load(&self, order: Ordering) -> *mut T {
        let v = dispatch!(&self.inner, Inner, a => a.load(order));
        self.record(Op::Load, order, Some(v), None, format!("-> {v:p}"));
        v
    }

    /// Stores a pointer.
    #[track_caller]
    pub fn store(&self, value: *mut T, order: Ordering) {
        dispatch!(&self.inner, Inner, a => a.store(value, order));
        self.record(Op::Store, order, None, Some(value), format!("<- {value:p}"));
    }

    /// Stores a pointer and returns the previous one.
    #[track_caller]
    pub fn swap(&self, value: *mut T, order: Ordering) -> *mut T {
        let old = dispatch!(&self.inner, Inner, a => a.swap(value, order));
        self.record(
            Op::Swap,
            order,
            Some(old),
            Some(value),
            format!("<- {value:p} (was {old:p})"),
        );
        old
    }

    /// Stores `new` if the pointer is `current`; returns the pointer seen.
    #[track_caller]
    pub fn compare_exchange(
        &self,
        current: *mut T,
        new: *mut T,
        success: Ordering,
        failure: Ordering,
    ) -> Result<*mut T, *mut T> {
        let r = dispatch!(&self.inner, Inner, a => a.compare_exchange(current, new, success, failure));
        self.record_cas(current, new, r, success, failure);
        r
    }

    /// Like `compare_exchange`, but may fail spuriously on real hardware.
    #[track_caller]
    pub fn compare_exchange_weak(
        &self,
        current: *mut T,
        new: *mut T,
        success: Ordering,
        failure: Ordering,
    ) -> Result<*mut T, *mut T> {
        let r = dispatch!(&self.inner, Inner, a => a.compare_exchange_weak(current, new, success, failure));
        self.record_cas(current, new, r, success, failure);
        r
    }

    #[track_caller]
    fn record_cas(
        &self,
        current: *mut T,
        new: *mut T,
        r: Result<*mut T, *mut T>,
        success: Ordering,
        failure: Ordering,
    ) {
        match r {
            Ok(_) => self.record(
                Op::CompareExchange,
                success,
                Some(current),
                Some(new),
                format!("{current:p} -> {new:p}"),
            ),
            Err(seen) => self.record(
                Op::CompareExchangeFailed,
                failure,
                Some(seen),
                None,
                format!("expected {current:p}, found {seen:p}"),
            ),
        }
    }

    /// Applies `f` until it sticks (a compare-exchange loop); see std.
    #[track_caller]
    pub fn fetch_update<F>(&self, set_order: Ordering, fetch_order: Ordering, mut f: F) -> Result<*mut T, *mut T>
    where
        F: FnMut(*mut T) -> Option<*mut T>,
    {
        let mut prev = self.load(fetch_order);
        while let Some(next) = f(prev) {
            match self.compare_exchange_weak(prev, next, set_order, fetch_order) {
                Ok(x) => return Ok(x),
                Err(seen) => prev = seen,
            }
        }
        Err(prev)
    }
}

impl<T> Default for AtomicPtr<T> {
    #[track_caller]
    fn default() -> Self {
        Self::new(std::ptr::null_mut())
    }
}

impl<T> std::fmt::Debug for AtomicPtr<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AtomicPtr")
            .field("target", &self.target.to_string())
            .finish_non_exhaustive()
    }
}
