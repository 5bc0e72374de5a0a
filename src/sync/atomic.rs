//! Atomics with the std API, on whichever backend is current.
//!
//! Each type wraps the backend's own atomic; under a model backend every
//! operation is also recorded for the timeline, with the value it read or
//! wrote and the memory ordering that applied (for a compare-exchange, the
//! success or the failure ordering, whichever its outcome used). Construct with `new` (the
//! timeline names it by source location) and, to give it a readable name,
//! `.named("counter")`.
//!
//! Under loom, a `SeqCst` load or store of an atomic whose every write so
//! far was `SeqCst` runs as a read-modify-write (`fetch_or` of nothing, and
//! `swap`): loom models `SeqCst` loads and stores as acquire/release
//! (tokio-rs/loom#180), which lets a load read a store the single total
//! order has replaced. Read-modify-writes always read the latest store, so
//! such code behaves sequentially consistently, as C11 promises. Once a
//! weaker write touched the atomic, C11 lets `SeqCst` loads read older
//! values, and loom's own load and store are used. (`AtomicPtr` keeps
//! loom's.) Cost: a model-checking run explores these as writes.

mod ptr;

pub use ptr::AtomicPtr;
pub use std::sync::atomic::Ordering;

use super::backend::{construct, dispatch, Backend};
use crate::trace::{self, Op, Target};

/// A memory fence, recorded under the model backends.
pub fn fence(order: Ordering) {
    match super::backend::current() {
        Backend::Hardware => std::sync::atomic::fence(order),
        #[cfg(feature = "shuttle")]
        Backend::Shuttle => shuttle::sync::atomic::fence(order),
        #[cfg(feature = "loom")]
        Backend::Loom => loom::sync::atomic::fence(order),
        #[allow(unreachable_patterns)]
        other => unreachable!("backend {other} is not in this build"),
    }
    if super::backend::current().is_model() {
        trace::record_atomic(Op::Fence, Target::None, Some(format!("{order:?}")), None, None, order);
    }
}

macro_rules! atomic {
    ($(#[$doc:meta])* $name:ident, $inner:ident, $prim:ty) => {
        $(#[$doc])*
        pub struct $name {
            inner: $inner,
            target: Target,
            /// Some write to it was weaker than `SeqCst` (see `load`).
            weak_write: std::sync::atomic::AtomicBool,
        }

        enum $inner {
            Std(std::sync::atomic::$name),
            #[cfg(feature = "shuttle")]
            Shuttle(shuttle::sync::atomic::$name),
            #[cfg(feature = "loom")]
            Loom(loom::sync::atomic::$name),
        }

        impl $name {
            /// A new atomic on the current backend, named by where it is created.
            #[track_caller]
            pub fn new(value: $prim) -> Self {
                $name {
                    inner: construct!(
                        $inner,
                        std::sync::atomic::$name::new(value),
                        shuttle::sync::atomic::$name::new(value),
                        loom::sync::atomic::$name::new(value)
                    ),
                    target: Target::caller(),
                    weak_write: std::sync::atomic::AtomicBool::new(false),
                }
            }

            /// Gives the atomic the name timelines show.
            pub fn named(mut self, name: impl AsRef<str>) -> Self {
                self.target = Target::name(name);
                self
            }

            /// Whether a `SeqCst` load or store runs as a read-modify-write
            /// under loom: every write so far was `SeqCst` (see `load`).
            #[cfg(feature = "loom")]
            #[inline]
            fn seq_cst_on_loom(&self, order: Ordering) -> bool {
                order == Ordering::SeqCst && !self.weak_write.load(std::sync::atomic::Ordering::Relaxed)
            }

            #[inline]
            fn is_model(&self) -> bool {
                !matches!(self.inner, $inner::Std(_))
            }

            /// Records an operation that read `read` and wrote `wrote` with
            /// memory ordering `order`.
            #[inline]
            #[track_caller]
            fn record(
                &self,
                op: Op,
                order: Ordering,
                read: Option<$prim>,
                wrote: Option<$prim>,
                value: impl FnOnce() -> String,
            ) {
                if wrote.is_some() && order != Ordering::SeqCst {
                    self.weak_write.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                if self.is_model() {
                    trace::record_atomic(
                        op,
                        self.target,
                        Some(value()),
                        read.map(|v| v.to_string()),
                        wrote.map(|v| v.to_string()),
                        order,
                    );
                }
            }

            /// Loads the value.
            #[inline]
            #[track_caller]
            pub fn load(&self, order: Ordering) -> $prim {
                let v = match &self.inner {
                    // loom runs a SeqCst load as an Acquire one, which may
                    // read a store the single total order has already
                    // replaced (tokio-rs/loom#180): Peterson's lock fails, a
                    // spin loop reads its own stale store for ever. A
                    // read-modify-write that changes nothing reads the
                    // latest store, as a SeqCst load of SeqCst stores must
                    // (stores are swaps for the same reason: with both, the
                    // order of writes is the order they ran in).
                    // Once a weaker write has touched the atomic, C11 lets
                    // the load read older values, and loom's load does.
                    #[cfg(feature = "loom")]
                    $inner::Loom(a) if self.seq_cst_on_loom(order) => a.fetch_or(<$prim>::default(), order),
                    _ => dispatch!(&self.inner, $inner, a => a.load(order)),
                };
                self.record(Op::Load, order, Some(v), None, || format!("-> {v}"));
                v
            }

            /// Stores a value.
            #[inline]
            #[track_caller]
            pub fn store(&self, value: $prim, order: Ordering) {
                match &self.inner {
                    // As in `load`: loom may put a plain store before others
                    // in the atomic's order of writes; a swap goes last.
                    #[cfg(feature = "loom")]
                    $inner::Loom(a) if self.seq_cst_on_loom(order) => {
                        a.swap(value, order);
                    }
                    _ => dispatch!(&self.inner, $inner, a => a.store(value, order)),
                }
                self.record(Op::Store, order, None, Some(value), || format!("<- {value}"));
            }

            /// Stores a value and returns the previous one.
            #[inline]
            #[track_caller]
            pub fn swap(&self, value: $prim, order: Ordering) -> $prim {
                let old = dispatch!(&self.inner, $inner, a => a.swap(value, order));
                self.record(Op::Swap, order, Some(old), Some(value), || format!("<- {value} (was {old})"));
                old
            }

            /// Stores `new` if the value is `current`; returns the value seen.
            #[inline]
            #[track_caller]
            pub fn compare_exchange(
                &self,
                current: $prim,
                new: $prim,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$prim, $prim> {
                let r = dispatch!(&self.inner, $inner, a => a.compare_exchange(current, new, success, failure));
                self.record_cas(current, new, r, success, failure);
                r
            }

            /// Like `compare_exchange`, but may fail spuriously on real hardware.
            #[inline]
            #[track_caller]
            pub fn compare_exchange_weak(
                &self,
                current: $prim,
                new: $prim,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$prim, $prim> {
                let r = dispatch!(&self.inner, $inner, a => a.compare_exchange_weak(current, new, success, failure));
                self.record_cas(current, new, r, success, failure);
                r
            }

            #[inline]
            #[track_caller]
            fn record_cas(&self, current: $prim, new: $prim, r: Result<$prim, $prim>, success: Ordering, failure: Ordering) {
                match r {
                    Ok(_) => self.record(Op::CompareExchange, success, Some(current), Some(new), || format!("{current} -> {new}")),
                    Err(seen) => self.record(Op::CompareExchangeFailed, failure, Some(seen), None, || {
                        format!("expected {current}, found {seen}")
                    }),
                }
            }

            /// Applies `f` until it sticks (a compare-exchange loop); see std.
            #[track_caller]
            pub fn fetch_update<F>(
                &self,
                set_order: Ordering,
                fetch_order: Ordering,
                mut f: F,
            ) -> Result<$prim, $prim>
            where
                F: FnMut($prim) -> Option<$prim>,
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

            /// Bitwise and; returns the previous value.
            #[inline]
            #[track_caller]
            pub fn fetch_and(&self, value: $prim, order: Ordering) -> $prim {
                let old = dispatch!(&self.inner, $inner, a => a.fetch_and(value, order));
                self.record(Op::FetchAnd, order, Some(old), Some(old & value), || format!("&= {value} (was {old})"));
                old
            }

            /// Bitwise or; returns the previous value.
            #[inline]
            #[track_caller]
            pub fn fetch_or(&self, value: $prim, order: Ordering) -> $prim {
                let old = dispatch!(&self.inner, $inner, a => a.fetch_or(value, order));
                self.record(Op::FetchOr, order, Some(old), Some(old | value), || format!("|= {value} (was {old})"));
                old
            }

            /// Bitwise xor; returns the previous value.
            #[inline]
            #[track_caller]
            pub fn fetch_xor(&self, value: $prim, order: Ordering) -> $prim {
                let old = dispatch!(&self.inner, $inner, a => a.fetch_xor(value, order));
                self.record(Op::FetchXor, order, Some(old), Some(old ^ value), || format!("^= {value} (was {old})"));
                old
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name)).field("target", &self.target.to_string()).finish_non_exhaustive()
            }
        }
    };
}

macro_rules! atomic_int {
    ($name:ident, $inner:ident, $prim:ty) => {
        impl $name {
            /// Adds (wrapping); returns the previous value.
            #[inline]
            #[track_caller]
            pub fn fetch_add(&self, value: $prim, order: Ordering) -> $prim {
                let old = dispatch!(&self.inner, $inner, a => a.fetch_add(value, order));
                self.record(Op::FetchAdd, order, Some(old), Some(old.wrapping_add(value)), || format!("+= {value} (was {old})"));
                old
            }

            /// Subtracts (wrapping); returns the previous value.
            #[inline]
            #[track_caller]
            pub fn fetch_sub(&self, value: $prim, order: Ordering) -> $prim {
                let old = dispatch!(&self.inner, $inner, a => a.fetch_sub(value, order));
                self.record(Op::FetchSub, order, Some(old), Some(old.wrapping_sub(value)), || format!("-= {value} (was {old})"));
                old
            }

            /// Stores the larger of the value and `value`; returns the
            /// previous value.
            #[inline]
            #[track_caller]
            pub fn fetch_max(&self, value: $prim, order: Ordering) -> $prim {
                let old = dispatch!(&self.inner, $inner, a => a.fetch_max(value, order));
                self.record(Op::FetchMax, order, Some(old), Some(old.max(value)), || format!("max {value} (was {old})"));
                old
            }

            /// Stores the smaller of the value and `value`; returns the
            /// previous value.
            #[inline]
            #[track_caller]
            pub fn fetch_min(&self, value: $prim, order: Ordering) -> $prim {
                let old = dispatch!(&self.inner, $inner, a => a.fetch_min(value, order));
                self.record(Op::FetchMin, order, Some(old), Some(old.min(value)), || format!("min {value} (was {old})"));
                old
            }
        }

        impl Default for $name {
            #[track_caller]
            fn default() -> Self {
                Self::new(0)
            }
        }
    };
}

atomic!(
    /// `std::sync::atomic::AtomicBool` on the current backend.
    AtomicBool, BoolInner, bool
);

impl Default for AtomicBool {
    #[track_caller]
    fn default() -> Self {
        Self::new(false)
    }
}

/// Every atomic integer std has, with `fetch_add` and `fetch_sub`.
macro_rules! atomic_ints {
    ($($name:ident, $inner:ident, $prim:ty;)*) => {
        $(
            atomic!(
                #[doc = concat!("`std::sync::atomic::", stringify!($name), "` on the current backend.")]
                $name, $inner, $prim
            );
            atomic_int!($name, $inner, $prim);
        )*
    };
}

atomic_ints! {
    AtomicU8, U8Inner, u8;
    AtomicU16, U16Inner, u16;
    AtomicU32, U32Inner, u32;
    AtomicU64, U64Inner, u64;
    AtomicUsize, UsizeInner, usize;
    AtomicI8, I8Inner, i8;
    AtomicI16, I16Inner, i16;
    AtomicI32, I32Inner, i32;
    AtomicI64, I64Inner, i64;
    AtomicIsize, IsizeInner, isize;
}
