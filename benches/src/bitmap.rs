//! Bitmaps and succinct structures (issue 16, in progress).

use crate::domain::Domain;
use crate::harness::Registry;
use std::path::Path;

/// The bitmap domain of the matrix.
pub const DOMAIN: Domain = Domain {
    name: "bitmap",
    title: "Bitmaps and succinct structures",
    register,
    ..Domain::EMPTY
};

fn register(_registry: &mut Registry, _data: Option<&Path>) {}
