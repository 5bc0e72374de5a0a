//! placeholder
#![allow(dead_code)]
mod support;

mod boss_fight;
mod confused_counter;
mod half_locked_deposit;
mod id_allocator_cas;
mod id_allocator_readback;
