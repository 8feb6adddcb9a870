//! Queues and locks over Concurrency Kit (rings, spinlocks, rwlocks) plus native Rust MPSC queue and futex mutex, with lock_api integration. (skeleton: being written).
