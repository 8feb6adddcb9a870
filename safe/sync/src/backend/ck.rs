//! Concurrency Kit backend (feature `ck`): `ck_ring` queues and ck's spinlocks and
//! reader-writer lock, through `arsenal-ck-sys`.
pub mod lock;
pub mod ring;
