//! Threads: spawning, naming, joining, detaching (lecture section *threading*).
//!
//! | file | shows |
//! |---|---|
//! | [`spawning`] | a closure vs a function with arguments (`target=`, `args=`), `Builder::name` |
//! | [`join_in_loop`] | the lecture's `run_threads`: `join` in the starting loop serialises the threads (a deadlock at a rendezvous), and the fix |
//! | [`timing`] | what the serialised loop costs on real threads: `count ×` one job instead of one |
//! | [`detached`] | `daemon=True`: a thread nobody joins is stopped when `main` returns |

pub mod detached;
pub mod join_in_loop;
pub mod spawning;
pub mod timing;
