//! Raw FFI to Concurrency Kit rings, spinlocks and rwlocks through a shim exporting its inline functions; no logic. (skeleton: being written).
