//! coro rows of the matrix (being written).

use crate::harness::Registry;

/// Registers the coro rows.
pub fn register(_reg: &mut Registry) {}
