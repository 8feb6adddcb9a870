//! The bitmap suite, once per compressed-bitmap backend, and the succinct structures.
#![cfg(feature = "bitmap")]

#[cfg(feature = "croaring")]
arsenal_conformance::bitmap_conformance!(croaring, arsenal_bitmap::CRoaring);

#[test]
fn bit_vector_rank_select() {
    arsenal_conformance::bitmap::bit_vector();
}

#[test]
fn elias_fano_and_wavelet_matrix() {
    arsenal_conformance::bitmap::sequences();
}
