//! Cache policies (issue 16, in progress).

use crate::domain::Domain;
use crate::harness::Registry;
use std::path::Path;

/// The cache domain of the matrix.
pub const DOMAIN: Domain = Domain {
    name: "cache",
    title: "Cache policies",
    register,
    ..Domain::EMPTY
};

fn register(_registry: &mut Registry, _data: Option<&Path>) {}
