//! The sketch suite: the distinct counters once per backend, the other sketches'
//! documented bounds, and corrupted serialisations.
#![cfg(feature = "sketch")]

use arsenal_conformance::sketch;

arsenal_conformance::sketch_conformance!(hll, arsenal_sketch::Backend::Hll);
arsenal_conformance::sketch_conformance!(hll_plus, arsenal_sketch::Backend::HllPlus);

#[test]
fn count_min_bounds() {
    sketch::count_min_bounds();
}

#[test]
fn space_saving_guarantee() {
    sketch::space_saving_guarantee();
}

#[test]
fn tdigest_rank_error() {
    sketch::tdigest_rank_error();
}

#[test]
fn minhash_accuracy() {
    sketch::minhash_accuracy();
}

#[test]
fn serde_corruption() {
    sketch::serde_corruption();
}
