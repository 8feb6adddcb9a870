//! Sketches (issue 16, in progress).

use crate::domain::Domain;
use crate::harness::Registry;
use std::path::Path;

/// The sketch domain of the matrix.
pub const DOMAIN: Domain = Domain {
    name: "sketch",
    title: "Sketches",
    register,
    ..Domain::EMPTY
};

fn register(_registry: &mut Registry, _data: Option<&Path>) {}
