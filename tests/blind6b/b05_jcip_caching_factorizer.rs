//! # UnsafeCachingFactorizer: two atomic references are not one atomic pair
//!
//! **Source.** Brian Goetz et al., *Java Concurrency in Practice* (2006),
//! §2.3 "Locking", Listing 2.5 `UnsafeCachingFactorizer` ("Servlet that
//! attempts to cache its last result without adequate atomicity"); the fixes
//! are Listing 2.8 `CachedFactorizer` (§2.5) and Listings 3.12/3.13
//! `OneValueCache` / `VolatileCachedFactorizer` (§3.4.2). Listings at
//! <https://jcip.net/listings.html>.
//!
//! **The program.**
//!
//! ```java
//! private final AtomicReference<BigInteger> lastNumber = ...;
//! private final AtomicReference<BigInteger[]> lastFactors = ...;
//! public void service(ServletRequest req, ServletResponse resp) {
//!     BigInteger i = extractFromRequest(req);
//!     if (i.equals(lastNumber.get()))
//!         encodeIntoResponse(resp, lastFactors.get());
//!     else {
//!         BigInteger[] factors = factor(i);
//!         lastNumber.set(i);
//!         lastFactors.set(factors);
//!         encodeIntoResponse(resp, factors);
//!     }
//! }
//! ```
//!
//! Transcription: the two references are two `AtomicU64`s with `SeqCst`
//! (Java's `AtomicReference.get/set` are volatile); a factor list is packed
//! one factor per byte. The cache already holds 4 = [2, 2] from an earlier
//! request; `alice` and `bob` both ask for 6 at once.
//!
//! **The bug (the book's words).** "the invariant is that the product of the
//! factors cached in `lastFactors` equal the value cached in `lastNumber`
//! [...] Using atomic references, we cannot update both `lastNumber` and
//! `lastFactors` simultaneously, even though each call to `set` is atomic;
//! there is still a window of vulnerability when one has been modified and
//! the other has not." The bad execution: alice misses (4 ≠ 6), factors 6,
//! stores `lastNumber <- 6`; bob finds `lastNumber == 6` and answers with
//! `lastFactors`, still [2, 2]; only then does alice store [2, 3].
//!
//! **Teacher marks:**
//! - **T1** `atomicity_violation` (a teacher accepts `stale_check` "the flag
//!   set too early" or `order_violation` "reads ... before alice writes it"
//!   as the same sentence), on bob's `load last_factors` (the one that reads
//!   [2, 2]): "bob read `last_number` = 6 from alice's step N, but
//!   `last_factors` before alice's step M wrote [2, 3]: a torn snapshot of a
//!   pair that must change together; he answers 6 with the factors of 4." A
//!   mark on bob's `load last_number` or on alice's `store last_factors`
//!   naming the other end is lenient.
//!
//! No mark belongs on: alice's `load last_number -> 4` (a plain miss), her
//! `store last_number` on its own (a blind write: it loses nothing), a run
//! where bob misses too (both compute; harmless).
//!
//! **Controls.** (1) JCIP's `VolatileCachedFactorizer`: the number and its
//! factors in one immutable holder published by one reference (here, one
//! `AtomicU64`: number in the high half, factors in the low half). (2)
//! JCIP's `CachedFactorizer`: both under one lock (`Mutex`).

use crate::common;
use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Mutex};

/// `factor(i)`: the prime factors, smallest first.
fn factor(mut n: u64) -> Vec<u64> {
    let mut out = Vec::new();
    let mut p = 2;
    while n > 1 {
        while n.is_multiple_of(p) {
            out.push(p);
            n /= p;
        }
        p += 1;
    }
    out
}

/// A factor list packed one factor per byte, smallest in the low byte.
fn pack(factors: &[u64]) -> u64 {
    factors.iter().rev().fold(0, |acc, f| (acc << 8) | f)
}

fn unpack(mut packed: u64) -> Vec<u64> {
    let mut out = Vec::new();
    while packed != 0 {
        out.push(packed & 0xff);
        packed >>= 8;
    }
    out
}

/// Both answers; forbidden if a product is not the number asked for (6).
fn grade(o: &str) -> Grade {
    let ok = o.split(' ').all(|answer| {
        let factors = answer.split_once('=').map(|(_, f)| f).unwrap_or("");
        factors
            .split('*')
            .map(|f| f.parse::<u64>().unwrap_or(0))
            .product::<u64>()
            == 6
    });
    if ok {
        Grade::Acceptable
    } else {
        Grade::Forbidden
    }
}

fn show(factors: &[u64]) -> String {
    factors.iter().map(u64::to_string).collect::<Vec<_>>().join("*")
}

/// A cache of the last request: `service(i)` answers the factors of `i`.
trait Cache: Send + Sync + 'static {
    fn service(&self, i: u64) -> Vec<u64>;
}

/// Listing 2.5, line by line.
struct Unsafe {
    last_number: AtomicU64,
    last_factors: AtomicU64,
}

impl Cache for Unsafe {
    fn service(&self, i: u64) -> Vec<u64> {
        if i == self.last_number.load(SeqCst) {
            unpack(self.last_factors.load(SeqCst))
        } else {
            let factors = factor(i);
            self.last_number.store(i, SeqCst);
            self.last_factors.store(pack(&factors), SeqCst);
            factors
        }
    }
}

/// Listings 3.12/3.13: one immutable `OneValueCache` behind one volatile
/// reference; here one word, number high, factors low.
struct OneValue {
    cache: AtomicU64,
}

impl Cache for OneValue {
    fn service(&self, i: u64) -> Vec<u64> {
        let cache = self.cache.load(SeqCst);
        if cache >> 32 == i {
            unpack(cache & 0xffff_ffff)
        } else {
            let factors = factor(i);
            self.cache.store((i << 32) | pack(&factors), SeqCst);
            factors
        }
    }
}

/// Listing 2.8: both fields under one lock (`synchronized (this)`).
struct Locked {
    last: Mutex<(u64, u64)>,
}

impl Cache for Locked {
    fn service(&self, i: u64) -> Vec<u64> {
        {
            let last = self.last.lock().unwrap();
            if last.0 == i {
                return unpack(last.1);
            }
        }
        let factors = factor(i);
        *self.last.lock().unwrap() = (i, pack(&factors));
        factors
    }
}

fn requests<C: Cache>(name: &str, make: fn() -> C) -> Scenario<String> {
    Scenario::new(name, move || {
        let servlet = Arc::new(make());
        let s = Arc::clone(&servlet);
        let bob = thread::Builder::new().name("bob").spawn(move || s.service(6)).unwrap();
        let s = Arc::clone(&servlet);
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || s.service(6))
            .unwrap();
        let a = alice.join().unwrap();
        let b = bob.join().unwrap();
        format!("alice={} bob={}", show(&a), show(&b))
    })
    .expect("both answers are the factors of 6", |o: &String| grade(o))
}

fn racy() -> Scenario<String> {
    requests("blind6b::caching_factorizer_racy", || Unsafe {
        last_number: AtomicU64::new(4).named("last_number"),
        last_factors: AtomicU64::new(pack(&[2, 2])).named("last_factors"),
    })
}

fn one_value() -> Scenario<String> {
    requests("blind6b::caching_factorizer_one_value", || OneValue {
        cache: AtomicU64::new((4 << 32) | pack(&[2, 2])).named("cache"),
    })
}

fn locked() -> Scenario<String> {
    requests("blind6b::caching_factorizer_locked", || Locked {
        last: Mutex::new((4, pack(&[2, 2]))).named("last"),
    })
}

#[test]
fn caching_factorizer_racy_loom() {
    common::explore(&racy(), &common::loom()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn caching_factorizer_racy_shuttle() {
    common::explore(&racy(), &common::shuttle()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn caching_factorizer_one_value_holds_loom() {
    common::explore(&one_value(), &common::loom()).assert_holds();
}

#[test]
fn caching_factorizer_one_value_holds_shuttle() {
    common::explore(&one_value(), &common::shuttle()).assert_holds();
}

#[test]
fn caching_factorizer_locked_holds_loom() {
    common::explore(&locked(), &common::loom()).assert_holds();
}

#[test]
fn caching_factorizer_locked_holds_shuttle() {
    common::explore(&locked(), &common::shuttle()).assert_holds();
}
