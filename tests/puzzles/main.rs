//! # Puzzles: classic concurrency bugs, and what a teacher marks in them
//!
//! A test corpus for the explanation engine (the code that fills
//! `trace::Event::mark_kind`). Each puzzle is a small program transcribed
//! from a public source, written on `racelab::sync`, with:
//!
//! * its **verdict** under loom and shuttle (default explorers; shuttle's
//!   seed is fixed): holds, or fails with a given `FailureKind`. Weak-memory
//!   bugs are **loom only**: shuttle runs every atomic as `SeqCst` and
//!   checks no cell, so it must find nothing there (asserted, so a change
//!   shows), and their marks are checked under loom only;
//! * the **marks** a teacher would put, written from the bug, not from the
//!   engine: `(MarkKind, op, target, optionally thread)` meaning "some event
//!   with this op on this target (by this thread) carries a mark of this
//!   kind". Every racy puzzle must also mark at least one step, and never
//!   mark a *blind write* (a store, cell write or traced unlock by a thread
//!   that had not read that object since its own last write) as a lost
//!   update. A puzzle that holds has no failure, so no marks.
//!
//! Each puzzle gets four tests: `loom_verdict`, `loom_marks`,
//! `shuttle_verdict`, `shuttle_marks` (a marks test checks the verdict
//! first). `cargo test --features loom,shuttle --test puzzles`; a failing
//! test prints the whole timeline and every marked event.
//!
//! | puzzle | source | verdict | what the teacher marks |
//! |---|---|---|---|
//! | `confused_counter` | Deadlock Empire, 4-confusedCounter | forbidden outcome | LostUpdate on the `store` to `first` |
//! | `boss_fight` | Deadlock Empire, D4-Boss (counters, one round) | forbidden outcome | LostUpdate on the `store` to `darkness` |
//! | `half_locked_deposit` | Rust Atomics and Locks ch. 1, lifetime of the MutexGuard | forbidden outcome | LostUpdate on the `unlock` of `balance` |
//! | `id_allocator_readback` | Rust Atomics and Locks ch. 2, ID allocation | forbidden outcome | AtomicityViolation on the read-back `load` of `next_id` |
//! | `id_allocator_cas` | Rust Atomics and Locks ch. 2, ID allocation without overflow | holds | - |
//! | `boolean_flags` | Deadlock Empire, 2-flags | forbidden outcome | StaleCheck on the `store` to `flag` |
//! | `peterson::release_acquire` | jcstress Mutex_02_PetersonAlgorithm, Release/Acquire | data race (loom only) | StaleRead on the `load` of `flag_a`/`flag_b`; DataRace on the `write` of `room` |
//! | `peterson::seqcst` | jcstress Mutex_02_PetersonAlgorithm (volatile) | correct; shuttle holds, loom reports a data race it over-approximates (SeqCst as Acquire/Release, tokio-rs/loom#180) | StaleRead on the `load` of `flag_a`/`flag_b`, naming loom#180 |
//! | `double_checked_locking::relaxed` | DCL is Broken Declaration; RAL ch. 3 | data race (loom only) | NoSync on the `load` of `initialized`; DataRace on the `read` of `config` |
//! | `double_checked_locking::acquire_release` | the same, fixed | holds | - |
//! | `ticket_lock::relaxed` | Mellor-Crummey & Scott 1991 ticket lock | data race (loom only) | NoSync on the `load` of `now_serving`; DataRace on the `write` of `room` |
//! | `ticket_lock::acquire_release` | the same, Acquire/Release | holds | - |
//! | `oneshot_channel::relaxed_swap` | Rust Atomics and Locks ch. 5, one-shot channel | data race (loom only) | NoSync on the `swap` of `ready`; DataRace on the `read` of `message` |
//! | `oneshot_channel::acquire_swap` | the same, the book's code | holds | - |
//! | `statistical_counter` | perfbook ch. 5.2, statistical counters | forbidden outcome (loom only) | StaleRead on main's `load` of `counter_a`/`counter_b`; NoSync on main's `load` of `finished` |
//! | `lost_wakeup` | OSTEP ch. 30, parent waiting: no state variable | deadlock | LostWakeup on main's `wait` (target `m`, the mutex); Deadlock on main's `blocked on c` |
//! | `dining_philosophers::naive` | Little Book 4.4; jcstress ClassicProblem_01 | deadlock | Deadlock on `blocked on` each of `fork0`, `fork1`, `fork2` |
//! | `dining_philosophers::lefty` | Little Book 4.4.2 | holds | - |
//! | `rendezvous_channels` | Little Book 3.3 rendezvous (deadlocking attempt) | deadlock | Deadlock on alice's and bob's `blocked on` (channel, by location) |
//! | `nested_monitor` | Lister 1977; OSTEP ch. 32 | deadlock | Deadlock on the waiter's `blocked on ready_cv` and the notifier's `blocked on outer` |
//! | `semaphore_missing_release` | Little Book 3.4 mutex | deadlock | Deadlock on bob's `blocked on sem` |
//! | `condvar_queue::if_wait` | Deadlock Empire, CV1-simple | forbidden outcome | StaleCheck on the woken `lock` of `queue` |
//! | `condvar_queue::while_wait` | the same, with `while` | holds | - |
//! | `free_list_aba` | IBM System/370 PoO free-pool; Treiber 1986 | forbidden outcome | Aba on alice's `cas` of `free_head` |
//! | `cas_stale_expected` | Rust Atomics and Locks ch. 2, compare-and-exchange | forbidden outcome | LostUpdate on the `cas` of `count` |
//! | `lazy_key` | Rust Atomics and Locks ch. 2, lazy initialization | forbidden outcome | StaleCheck on the `store` to `key` |
//! | `put_if_absent` | jcstress RaceCondition_02_CheckThenReactSequence | forbidden outcome | StaleCheck on the `unlock` of `map` |
//! | `mysql_proc_info` | OSTEP ch. 32, atomicity violation (MySQL) | forbidden outcome | AtomicityViolation on the logger's second `load` of `proc_info` |
//! | `bank_audit` | Harris et al. 2005 §2, per-account locks | forbidden outcome | AtomicityViolation on the auditor's `lock` of `acct_a`/`acct_b` |
//! | `reusable_barrier` | Little Book 3.7.2, non-solution #1 | forbidden outcome (a deadlock found later is reported beside it) | AtomicityViolation on a `load` of `count` (a known gap: not marked yet, see `support::KNOWN_GAPS`) |
//!
//! None of them is a scenario of `src/catalogue.rs`.
#![allow(dead_code)]

mod support;

mod bank_audit;
mod boolean_flags;
mod boss_fight;
mod cas_stale_expected;
mod condvar_queue;
mod confused_counter;
mod dining_philosophers;
mod double_checked_locking;
mod free_list_aba;
mod half_locked_deposit;
mod id_allocator_cas;
mod id_allocator_readback;
mod lazy_key;
mod lost_wakeup;
mod mysql_proc_info;
mod nested_monitor;
mod oneshot_channel;
mod peterson;
mod put_if_absent;
mod rendezvous_channels;
mod reusable_barrier;
mod semaphore_missing_release;
mod statistical_counter;
mod ticket_lock;
