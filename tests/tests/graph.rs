//! The graph suite, once per BFS and shortest-path backend, plus the builder, parser,
//! DFS and parallel-BFS thread-count checks.
#![cfg(feature = "graph")]

use arsenal_graph::{Backend, SsspBackend};

arsenal_conformance::graph_conformance!(bfs: direction_optimizing, arsenal_graph::Backend::DirectionOptimizing);
arsenal_conformance::graph_conformance!(bfs: parallel_bfs, arsenal_graph::Backend::ParallelBfs);
arsenal_conformance::graph_conformance!(bfs: top_down, arsenal_graph::Backend::TopDown);
#[cfg(feature = "igraph")]
arsenal_conformance::graph_conformance!(bfs: igraph_bfs, arsenal_graph::Backend::Igraph);

arsenal_conformance::graph_conformance!(sssp: radix_dijkstra, arsenal_graph::SsspBackend::RadixDijkstra);
arsenal_conformance::graph_conformance!(sssp: dijkstra, arsenal_graph::SsspBackend::Dijkstra);
arsenal_conformance::graph_conformance!(sssp: delta_stepping, arsenal_graph::SsspBackend::DeltaStepping);
arsenal_conformance::graph_conformance!(sssp: bellman_ford, arsenal_graph::SsspBackend::BellmanFord);
#[cfg(feature = "igraph")]
arsenal_conformance::graph_conformance!(sssp: igraph_sssp, arsenal_graph::SsspBackend::Igraph);

#[test]
fn building_checks_ids_sizes_and_weights() {
    arsenal_conformance::graph::building();
}

#[test]
fn dfs_preorder_and_tree() {
    arsenal_conformance::graph::depth_first();
}

#[test]
fn edge_list_parser_and_mutations() {
    arsenal_conformance::graph::parsing();
}

#[test]
fn parallel_bfs_with_many_threads() {
    use arsenal_graph::{gen, Csr};
    let edges = gen::kronecker(10, 8, 5);
    let g = Csr::from_edges(1024, &edges, false).unwrap();
    let s = gen::bfs_sources(&g, 1, 1)[0];
    let want = arsenal_conformance::graph::reference_bfs(&g, s);
    // More threads than cores; usize::MAX is clamped to 256.
    for threads in [1, 3, 64, usize::MAX] {
        let t = Backend::ParallelBfs
            .traversal(&g)
            .unwrap()
            .with_threads(threads);
        let tree = t.bfs(s).unwrap();
        arsenal_graph::verify::check_bfs(&g, s, &tree).unwrap();
        assert_eq!(tree.dist, want, "{threads} threads");
    }
}

#[test]
fn delta_must_be_positive() {
    use arsenal_graph::{Csr, ErrorKind};
    let g = Csr::from_weighted_edges(2, &[(0, 1, 1e6)], true).unwrap();
    let f = SsspBackend::DeltaStepping.path_finder(&g).unwrap();
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let err = SsspBackend::DeltaStepping
            .path_finder(&g)
            .unwrap()
            .with_delta(bad)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Parameter);
    }
    // A Δ far below the largest weight would need too many buckets: an error, not a hang.
    let tiny = f.with_delta(1e-3).unwrap();
    assert_eq!(
        tiny.shortest_paths(0).unwrap_err().kind(),
        ErrorKind::Parameter
    );
}

#[test]
fn the_kronecker_generator_follows_graph500() {
    use arsenal_graph::gen;
    let a = gen::kronecker(10, 16, 1);
    assert_eq!(a, gen::kronecker(10, 16, 1), "deterministic");
    assert_ne!(a, gen::kronecker(10, 16, 2));
    assert_eq!(a.len(), 16 << 10);
    // Skewed degrees: the busiest vertex has far more than the average 32 arc ends.
    let mut deg = vec![0usize; 1024];
    for &(u, v) in &a {
        deg[u as usize] += 1;
        deg[v as usize] += 1;
    }
    assert!(*deg.iter().max().unwrap() > 200);
    assert!(
        deg.iter().filter(|&&d| d == 0).count() > 50,
        "isolated vertices, as Graph500 has"
    );
}
