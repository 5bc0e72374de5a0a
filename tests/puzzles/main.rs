//! placeholder
#![allow(dead_code)]
mod support;

mod boss_fight;
mod confused_counter;
mod half_locked_deposit;
mod id_allocator_cas;
mod id_allocator_readback;
mod boolean_flags;
mod double_checked_locking;
mod oneshot_channel;
mod peterson;
mod statistical_counter;
mod ticket_lock;
mod condvar_queue;
mod dining_philosophers;
mod lost_wakeup;
mod nested_monitor;
mod rendezvous_channels;
mod semaphore_missing_release;
mod bank_audit;
mod cas_stale_expected;
mod free_list_aba;
mod lazy_key;
mod mysql_proc_info;
mod put_if_absent;
mod reusable_barrier;
