//! Cost of each fix for a shared document read and edited by `T` threads.
//!
//! This is the lecture's shared-document example (section *GIL*): two users
//! edit one document online, and the second one's save overwrites the first
//! one's work. Here the document is a [`Document`] (text and version), and each
//! variant is one correct fix:
//!
//! - `locked`: a [`Mutex`] around the document; the second user waits until
//!   the first has finished with it.
//! - `rwlock`, `rwlock_parking_lot`: a readers-writer lock; reads share the
//!   document, an edit has it alone.
//! - `versioned`: optimistic concurrency; an edit opens the document (notes its
//!   version), then saves only if the version is still the one it opened,
//!   otherwise it opens again and retries. The row's `retries:` line says how
//!   many saves were rejected.
//!
//! Every variant makes `T` threads (1, 2, 4) each perform [`OPS`] operations,
//! released together by a [`Barrier`]; the time runs from the barrier's release
//! until the last thread is done. A read takes the length of the text; an edit
//! appends the thread's tag (e.g. `[t3]`) and bumps the version. Each run starts
//! from a fresh document, and afterwards its version must equal the number of
//! edits and its text must hold exactly that many tags.
//!
//! Two mixes, exact and deterministic: in `document_90r` a thread's operation
//! `i` is an edit when `i % 10 < 1` (90% reads), in `document_50r` when
//! `i % 10 < 5` (50% reads). The contrast is the point: a readers-writer lock
//! can only pay off when reads dominate, and only when a critical section is
//! long enough that letting readers overlap saves more than its costlier lock;
//! a read lock still writes the lock's shared reader count, so with critical
//! sections as short as these a plain mutex often wins. Compare the `rwlock`
//! rows with `locked` in each mix rather than expecting either outcome.
//!
//! This bench uses the real primitives (std, `parking_lot`, `crossbeam_utils`),
//! not the racelab facade: the facade's own cost is measured elsewhere.
//!
//! The reference machine has 2 cores, so the 4-thread rows show
//! oversubscription (threads preempted while holding a lock or between opening
//! and saving), not more parallelism. Read the results as ratios within one
//! run (e.g. `rwlock` vs `locked` at 2 threads in each mix, or `versioned` at 2
//! threads vs 1), not as absolute numbers. The contended rows can move by a
//! factor of two from one run to the next on a busy machine: re-run before
//! drawing a conclusion from one of them.

use std::hint::black_box;
use std::sync::{Barrier, Mutex, RwLock};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// Operations (reads and edits) performed by each thread.
const OPS: u64 = 20_000;
const THREADS: [usize; 3] = [1, 2, 4];

/// What thread `i` appends on each edit; all are [`TAG_LEN`] bytes long.
const TAGS: [&str; 4] = ["[t0]", "[t1]", "[t2]", "[t3]"];
const TAG_LEN: u64 = 4;

/// The shared document: its text, and how many edits have been saved.
#[derive(Default)]
struct Document {
    text: String,
    version: u64,
}

impl Document {
    /// A fresh document with room for `edits` tags, so that no edit
    /// reallocates (and copies the text) inside a critical section.
    fn with_room_for(edits: u64) -> Self {
        Self {
            text: String::with_capacity((edits * TAG_LEN) as usize),
            version: 0,
        }
    }

    /// A read: cheap, and does not allocate.
    fn read(&self) -> usize {
        self.text.len()
    }

    fn edit(&mut self, tag: &str) {
        self.text.push_str(tag);
        self.version += 1;
    }
}

/// A read/write mix: operation `i` of a thread is an edit when
/// `i % 10 < edits_per_10`.
#[derive(Clone, Copy)]
struct Mix {
    name: &'static str,
    edits_per_10: u64,
}

impl Mix {
    fn is_edit(self, i: u64) -> bool {
        i % 10 < self.edits_per_10
    }

    fn edits_per_thread(self) -> u64 {
        (0..OPS).filter(|&i| self.is_edit(i)).count() as u64
    }
}

const MIXES: [Mix; 2] = [
    Mix {
        name: "90r",
        edits_per_10: 1,
    },
    Mix {
        name: "50r",
        edits_per_10: 5,
    },
];

/// State shared by the threads of one run. Each variant touches only its own
/// document, so the result is all of them put together.
struct Shared {
    locked: Mutex<Document>,
    rwlock: RwLock<Document>,
    rwlock_parking_lot: parking_lot::RwLock<Document>,
    versioned: Mutex<Document>,
}

impl Shared {
    fn new(edits: u64) -> Self {
        Self {
            locked: Mutex::new(Document::with_room_for(edits)),
            rwlock: RwLock::new(Document::with_room_for(edits)),
            rwlock_parking_lot: parking_lot::RwLock::new(Document::with_room_for(edits)),
            versioned: Mutex::new(Document::with_room_for(edits)),
        }
    }

    fn total(self) -> Document {
        let docs = [
            self.locked.into_inner().unwrap(),
            self.rwlock.into_inner().unwrap(),
            self.rwlock_parking_lot.into_inner(),
            self.versioned.into_inner().unwrap(),
        ];
        let mut total = Document::default();
        for doc in docs {
            total.text.push_str(&doc.text);
            total.version += doc.version;
        }
        total
    }
}

/// The work of one thread: `OPS` reads and edits in the given mix, given its
/// thread index. Returns the number of rejected saves for an optimistic
/// design, `None` for one that cannot retry.
type Work = fn(&Shared, usize, Mix) -> Option<u64>;

fn locked(s: &Shared, t: usize, mix: Mix) -> Option<u64> {
    for i in 0..OPS {
        if mix.is_edit(i) {
            s.locked.lock().unwrap().edit(TAGS[t]);
        } else {
            black_box(s.locked.lock().unwrap().read());
        }
    }
    None
}

fn rwlock(s: &Shared, t: usize, mix: Mix) -> Option<u64> {
    for i in 0..OPS {
        if mix.is_edit(i) {
            s.rwlock.write().unwrap().edit(TAGS[t]);
        } else {
            black_box(s.rwlock.read().unwrap().read());
        }
    }
    None
}

fn rwlock_parking_lot(s: &Shared, t: usize, mix: Mix) -> Option<u64> {
    for i in 0..OPS {
        if mix.is_edit(i) {
            s.rwlock_parking_lot.write().edit(TAGS[t]);
        } else {
            black_box(s.rwlock_parking_lot.read().read());
        }
    }
    None
}

fn versioned(s: &Shared, t: usize, mix: Mix) -> Option<u64> {
    let mut retries = 0;
    for i in 0..OPS {
        if !mix.is_edit(i) {
            black_box(s.versioned.lock().unwrap().read());
            continue;
        }
        loop {
            // Open: note the version the edit is based on. An editor would
            // copy the text too; appending a tag needs only the version.
            let opened = s.versioned.lock().unwrap().version;
            // Save: only if nobody has saved since the open.
            let mut doc = s.versioned.lock().unwrap();
            if doc.version == opened {
                doc.edit(TAGS[t]);
                break;
            }
            retries += 1;
        }
    }
    Some(retries)
}

const VARIANTS: [(&str, Work); 4] = [
    ("locked", locked),
    ("rwlock", rwlock),
    ("rwlock_parking_lot", rwlock_parking_lot),
    ("versioned", versioned),
];

/// One run: `threads` threads race from a barrier on a fresh document; returns
/// the time from its release (the first thread out) until the last thread is
/// done, and the rejected saves, after checking that no edit was lost. Each
/// thread stamps its own start and end, so the time does not depend on when
/// the spawning thread gets scheduled again.
fn run(name: &str, work: Work, mix: Mix, threads: usize) -> (Duration, Option<u64>) {
    let edits = threads as u64 * mix.edits_per_thread();
    let shared = Shared::new(edits);
    let barrier = Barrier::new(threads);
    let spans: Vec<(Instant, Instant, Option<u64>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (shared, barrier) = (&shared, &barrier);
                scope.spawn(move || {
                    barrier.wait();
                    let start = Instant::now();
                    let retries = work(shared, t, mix);
                    (start, Instant::now(), retries)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let start = spans.iter().map(|s| s.0).min().unwrap();
    let end = spans.iter().map(|s| s.1).max().unwrap();
    let retries = spans.iter().map(|s| s.2).sum();
    let doc = shared.total();
    let what = format!("{name}/{} with {threads} threads", mix.name);
    assert_eq!(
        doc.version, edits,
        "{what} lost edits: version {} after {edits} edits",
        doc.version
    );
    assert_eq!(
        doc.text.len() as u64,
        edits * TAG_LEN,
        "{what} lost edits: {} bytes of text after {edits} edits of {TAG_LEN} bytes",
        doc.text.len()
    );
    (end - start, retries)
}

fn bench(c: &mut Criterion) {
    for mix in MIXES {
        let mut group = c.benchmark_group(format!("document_{}", mix.name));
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(1));
        for (name, work) in VARIANTS {
            for threads in THREADS {
                let (mut runs, mut retries) = (0u64, None::<u64>);
                group.throughput(Throughput::Elements(threads as u64 * OPS));
                group.bench_function(BenchmarkId::new(name, threads), |b| {
                    b.iter_custom(|iters| {
                        let mut time = Duration::ZERO;
                        for _ in 0..iters {
                            let (t, r) = run(name, work, mix, threads);
                            time += t;
                            runs += 1;
                            retries = r.map(|r| r + retries.unwrap_or(0));
                        }
                        time
                    });
                });
                if let (Some(retries), 1..) = (retries, runs) {
                    let edits = runs * threads as u64 * mix.edits_per_thread();
                    let share = 100.0 * retries as f64 / edits as f64;
                    println!("{:24}retries: {retries} in {edits} edits ({share:.3}%)", "");
                }
            }
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
