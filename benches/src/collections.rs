//! Hash tables, trees and heaps (issue 16, in progress).

use crate::domain::Domain;
use crate::harness::Registry;
use std::path::Path;

/// The collections domain of the matrix.
pub const DOMAIN: Domain = Domain {
    name: "collections",
    title: "Hash tables, trees and heaps",
    register,
    ..Domain::EMPTY
};

fn register(_registry: &mut Registry, _data: Option<&Path>) {}
