//! The sorting suite, once per backend, and the selection and search checks.
#![cfg(feature = "sort")]

#[cfg(feature = "vqsort")]
arsenal_conformance::sort_conformance!(vqsort, arsenal_sort::Backend::Vqsort);
arsenal_conformance::sort_conformance!(samplesort, arsenal_sort::Backend::Samplesort);
arsenal_conformance::sort_conformance!(
    parallel_samplesort,
    arsenal_sort::Backend::ParallelSamplesort
);
arsenal_conformance::sort_conformance!(radix, arsenal_sort::Backend::Radix);

#[test]
fn selection_matches_a_sort() {
    arsenal_conformance::sort::selection();
}

#[test]
fn searches_match_partition_point() {
    arsenal_conformance::sort::searching();
}

#[test]
fn parallel_sort_with_many_threads() {
    use arsenal_sort::{ParallelSamplesort, SortExt};
    // More threads than cores and than 2¹⁶-key stripes need; usize::MAX is clamped.
    for threads in [3, 64, usize::MAX] {
        let mut v = arsenal_conformance::sort::raw("random", 200_003, 5);
        let mut want = v.clone();
        want.sort_unstable();
        ParallelSamplesort::with_threads(threads)
            .sort(&mut v)
            .unwrap();
        assert!(v == want, "threads={threads}");
    }
}

#[test]
fn default_sort_and_unavailable_backends() {
    use arsenal_sort::Backend;
    let mut v = arsenal_conformance::sort::raw("random", 1000, 6);
    let mut want = v.clone();
    want.sort_unstable();
    arsenal_sort::sort(&mut v).unwrap();
    assert_eq!(v, want);
    for b in Backend::ALL {
        match b.sorter() {
            Ok(s) => assert!(Backend::available().contains(b) && s.backend() == *b),
            Err(e) => {
                assert!(!Backend::available().contains(b));
                assert_eq!(e.kind(), arsenal_sort::ErrorKind::Unsupported);
            }
        }
    }
}

#[test]
fn strings_match_std() {
    arsenal_conformance::sort::strings();
}
