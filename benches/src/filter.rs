//! Filters (issue 16, in progress).

use crate::domain::Domain;
use crate::harness::Registry;
use std::path::Path;

/// The filter domain of the matrix.
pub const DOMAIN: Domain = Domain {
    name: "filter",
    title: "Filters",
    register,
    ..Domain::EMPTY
};

fn register(_registry: &mut Registry, _data: Option<&Path>) {}
