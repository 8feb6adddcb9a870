//! sync rows of the matrix (being written).

use crate::harness::Registry;

/// Registers the sync rows.
pub fn register(_reg: &mut Registry) {}
