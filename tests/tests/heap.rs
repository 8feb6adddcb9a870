//! The priority-queue suite, once per backend, and the generic d-ary heap against std's
//! `BinaryHeap`.
#![cfg(feature = "heap")]

arsenal_conformance::heap_conformance!(dary4, arsenal_heap::DaryQueue<u64>, monotone = false);
arsenal_conformance::heap_conformance!(dary2, arsenal_heap::DaryQueue<u64, 2>, monotone = false);
arsenal_conformance::heap_conformance!(dary8, arsenal_heap::DaryQueue<u64, 8>, monotone = false);
arsenal_conformance::heap_conformance!(radix, arsenal_heap::RadixHeap<u64>, monotone = true);
// The d-ary queue also runs the monotone workload (a subset of its contract).
arsenal_conformance::heap_conformance!(
    dary4_monotone,
    arsenal_heap::DaryQueue<u64>,
    monotone = true
);

#[test]
fn dary_matches_binary_heap() {
    arsenal_conformance::heap::dary_matches_binary_heap();
}

#[test]
fn dary_panic_safety() {
    arsenal_conformance::heap::dary_panic_safety();
}

#[test]
fn backends_agree_on_dijkstra() {
    use arsenal_heap::{Backend, MinQueue};
    // A random graph: 2 000 nodes, 8 edges each.
    let mut x = 99u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let n = 2_000;
    let edges: Vec<Vec<(usize, u64)>> = (0..n)
        .map(|_| {
            (0..8)
                .map(|_| ((next() % n as u64) as usize, next() % 1_000 + 1))
                .collect()
        })
        .collect();
    let mut results = Vec::new();
    for backend in Backend::available() {
        let mut q = backend.queue::<usize>();
        let mut dist = vec![u64::MAX; n];
        dist[0] = 0;
        q.push(0, 0).unwrap();
        while let Some((d, node)) = q.pop() {
            if d > dist[node] {
                continue;
            }
            for &(to, w) in &edges[node] {
                if d + w < dist[to] {
                    dist[to] = d + w;
                    q.push(d + w, to).unwrap();
                }
            }
        }
        results.push(dist);
    }
    assert!(results.len() >= 2);
    assert!(results.windows(2).all(|w| w[0] == w[1]));
    assert!(results[0].iter().filter(|d| **d < u64::MAX).count() > n / 2);
}
