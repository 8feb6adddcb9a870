//! Native Rust pieces, each only where ck has no equivalent (the reason is in each
//! module's docs): an unbounded MPSC queue and (Linux) a futex-based sleeping mutex.
#[cfg(target_os = "linux")]
pub mod futex;
pub mod mpsc;
