//! The graph suite (`arsenal-graph`): every BFS backend ([`bfs_suite`]) and every
//! shortest-path backend ([`sssp_suite`]), instantiated by
//! [`graph_conformance!`](crate::graph_conformance), against independent reference
//! implementations written here (a queue BFS, an O(n²) Dijkstra, a plain Bellman–Ford),
//! and through [`arsenal_graph::verify`] (parents form a valid BFS / shortest-path
//! tree) on Graph500 Kronecker graphs (undirected and directed), road-like grids, long
//! paths and hand-made hostile graphs (self loops, duplicate edges, isolated vertices,
//! the empty graph, sources out of range up to `u32::MAX`). The graph builder and the
//! edge-list parser are checked on their own ([`building`], [`parsing`]), including
//! limits at their maximum (`usize::MAX` vertices, id `u32::MAX`).
use arsenal_graph::verify::{check_bfs, check_paths};
use arsenal_graph::{gen, Backend, Csr, EdgeList, EdgeWeight, ErrorKind, PathTree, SsspBackend};

const NONE: u32 = u32::MAX;

/// A reference BFS (a queue, written independently of the crate): hop distances.
pub fn reference_bfs<W: EdgeWeight>(g: &Csr<W>, source: u32) -> Vec<u32> {
    let mut dist = vec![NONE; g.node_count()];
    let mut queue = std::collections::VecDeque::from([source]);
    dist[source as usize] = 0;
    while let Some(u) = queue.pop_front() {
        for &v in g.neighbors(u) {
            if dist[v as usize] == NONE {
                dist[v as usize] = dist[u as usize] + 1;
                queue.push_back(v);
            }
        }
    }
    dist
}

/// A reference shortest-path computation: plain Bellman–Ford over every arc, n rounds
/// (O(n·m): only for the small graphs of the suite), in `f64`; `None` on a negative cycle.
pub fn reference_paths<W: EdgeWeight>(g: &Csr<W>, source: u32) -> Option<Vec<f64>> {
    let n = g.node_count();
    let mut dist = vec![f64::INFINITY; n];
    dist[source as usize] = 0.0;
    for round in 0..=n {
        let mut changed = false;
        for u in 0..n as u32 {
            if dist[u as usize] == f64::INFINITY {
                continue;
            }
            for (&v, &w) in g.neighbors(u).iter().zip(g.neighbor_weights(u)) {
                let nd = dist[u as usize] + w.to_f64();
                if nd < dist[v as usize] {
                    dist[v as usize] = nd;
                    changed = true;
                }
            }
        }
        if !changed {
            return Some(dist);
        }
        if round == n {
            return None;
        }
    }
    Some(dist)
}

/// A graph of the suite: (name, edges with `u32` weights, n, directed).
pub type TestGraph = (String, Vec<(u32, u32, u32)>, usize, bool);

/// The graphs both suites run on.
pub fn graphs() -> Vec<TestGraph> {
    let mut out = Vec::new();
    let kron = gen::kronecker(9, 8, 11);
    out.push(("kron-9".to_owned(), gen::weights(&kron, 100, 1), 512, false));
    out.push((
        "kron-9-directed".to_owned(),
        gen::weights(&kron, 100, 2),
        512,
        true,
    ));
    out.push((
        "grid-24x20".to_owned(),
        gen::grid(24, 20, 50, 3),
        480,
        false,
    ));
    // A 700-vertex path (699 edges) among 1500 vertices: 800 isolated ones, the last
    // of which is a source of `sources`.
    let path: Vec<(u32, u32)> = (0..699).map(|i| (i, i + 1)).collect();
    out.push((
        "path-700-of-1500".to_owned(),
        gen::weights(&path, 3, 4),
        1500,
        false,
    ));
    out.push((
        "path-700-of-1500-directed".to_owned(),
        gen::weights(&path, 3, 5),
        1500,
        true,
    ));
    // Self loops, duplicate edges, isolated vertices (7, 8, 9), two components.
    let hostile = vec![
        (0, 0, 1),
        (0, 1, 4),
        (0, 1, 2),
        (1, 0, 9),
        (1, 2, 0),
        (2, 2, 5),
        (2, 3, 1),
        (4, 5, 1),
        (5, 6, 2),
        (6, 4, 3),
        (3, 3, 3),
    ];
    out.push(("hostile".to_owned(), hostile.clone(), 10, false));
    out.push(("hostile-directed".to_owned(), hostile, 10, true));
    // A star: one hub of degree 300 (bottom-up's best case), then a tail.
    let mut star: Vec<(u32, u32)> = (1..301).map(|v| (0, v)).collect();
    star.extend((301..340).map(|v| (v - 1, v)));
    out.push(("star".to_owned(), gen::weights(&star, 7, 6), 340, false));
    out
}

fn sources(g: &Csr<u32>) -> Vec<u32> {
    let mut s = gen::bfs_sources(g, 4, 9);
    s.push(0);
    s.push(g.node_count() as u32 - 1);
    s
}

/// BFS: every graph of [`graphs`] from several sources, trees checked and distances
/// equal to [`reference_bfs`]; sources `n`, `n + 1` and `u32::MAX` give
/// `NodeOutOfRange`; the empty and one-vertex graphs.
pub fn bfs_suite(backend: Backend) {
    for (name, edges, n, directed) in graphs() {
        let g = Csr::from_weighted_edges(n, &edges, directed).unwrap();
        let unweighted: Vec<(u32, u32)> = edges.iter().map(|e| (e.0, e.1)).collect();
        let plain = Csr::from_edges(n, &unweighted, directed).unwrap();
        let t = backend.traversal(&g).unwrap();
        let tp = backend.traversal(&plain).unwrap();
        assert_eq!(t.backend(), backend);
        for s in sources(&g) {
            let tree = t
                .bfs(s)
                .unwrap_or_else(|e| panic!("{backend} {name} from {s}: {e}"));
            check_bfs(&g, s, &tree).unwrap_or_else(|e| panic!("{backend} {name} from {s}: {e}"));
            assert_eq!(tree.dist, reference_bfs(&g, s), "{backend} {name} from {s}");
            assert_eq!(
                tp.bfs(s).unwrap().dist,
                tree.dist,
                "{backend} {name} unweighted"
            );
        }
        for bad in [n as u32, n as u32 + 1, u32::MAX] {
            let err = t.bfs(bad).unwrap_err();
            assert_eq!(
                err.kind(),
                ErrorKind::NodeOutOfRange,
                "{backend} {name} source {bad}"
            );
        }
    }
    let empty = Csr::from_edges(0, &[], false).unwrap();
    let t = backend.traversal(&empty).unwrap();
    assert_eq!(t.bfs(0).unwrap_err().kind(), ErrorKind::NodeOutOfRange);
    let one = Csr::from_edges(1, &[], true).unwrap();
    let tree = backend.traversal(&one).unwrap().bfs(0).unwrap();
    assert_eq!((tree.dist, tree.parent), (vec![0], vec![0]));
    // Known answer: 0 → 1 → 2, 0 → 3, 4 unreachable, directed so 2 does not reach 0.
    let g = Csr::from_edges(5, &[(0, 1), (1, 2), (0, 3), (2, 0), (4, 0)], true).unwrap();
    let tree = backend.traversal(&g).unwrap().bfs(0).unwrap();
    assert_eq!(tree.dist, [0, 1, 2, 1, NONE]);
    assert_eq!(tree.parent, [0, 0, 1, 0, NONE]);
    let tree = backend.traversal(&g).unwrap().bfs(2).unwrap();
    assert_eq!(tree.dist, [1, 2, 0, 2, NONE]);
}

fn same_dist<W: EdgeWeight>(got: &PathTree<W::Dist>, want: &[f64], what: &str) {
    for (v, (&d, &r)) in got.dist.iter().zip(want).enumerate() {
        let d = W::dist_to_f64(d);
        let ok = d == r || (d - r).abs() <= 1e-9 * d.abs().max(r.abs());
        assert!(ok, "{what}: vertex {v}: {d} vs reference {r}");
    }
}

fn sssp_on<W: EdgeWeight>(backend: SsspBackend, name: &str, g: &Csr<W>, srcs: &[u32]) {
    let finder = backend.path_finder(g).unwrap();
    assert_eq!(finder.backend(), backend);
    for &s in srcs {
        let what = format!("{backend} {name} from {s}");
        let tree = finder
            .shortest_paths(s)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        check_paths(g, s, &tree).unwrap_or_else(|e| panic!("{what}: {e}"));
        same_dist::<W>(&tree, &reference_paths(g, s).unwrap(), &what);
    }
    for bad in [g.node_count() as u32, u32::MAX] {
        let err = finder.shortest_paths(bad).unwrap_err();
        assert_eq!(
            err.kind(),
            ErrorKind::NodeOutOfRange,
            "{backend} {name} source {bad}"
        );
    }
}

/// Shortest paths: every graph of [`graphs`] with `u32`, `f64` (the same weights
/// scaled by 0.37, plus zero weights) and no weights, against [`reference_paths`]; a
/// negative weight is `NegativeWeight` except for Bellman–Ford, which solves negative
/// weights and reports a negative cycle as `NegativeCycle`; empty and hostile graphs.
pub fn sssp_suite(backend: SsspBackend) {
    for (name, edges, n, directed) in graphs() {
        let g = Csr::from_weighted_edges(n, &edges, directed).unwrap();
        let srcs = sources(&g);
        sssp_on(backend, &name, &g, &srcs);
        let fl: Vec<(u32, u32, f64)> = edges
            .iter()
            .map(|&(u, v, w)| (u, v, f64::from(w % 5) * 0.37))
            .collect();
        sssp_on(
            backend,
            &format!("{name}-f64"),
            &Csr::from_weighted_edges(n, &fl, directed).unwrap(),
            &srcs,
        );
        let plain: Vec<(u32, u32)> = edges.iter().map(|e| (e.0, e.1)).collect();
        sssp_on(
            backend,
            &format!("{name}-unweighted"),
            &Csr::from_edges(n, &plain, directed).unwrap(),
            &srcs,
        );
    }
    // Known answer.
    let g = Csr::from_weighted_edges(
        5,
        &[
            (0, 1, 4.0),
            (0, 2, 1.0),
            (2, 1, 2.0),
            (1, 3, 1.0),
            (3, 3, 0.0),
        ],
        true,
    )
    .unwrap();
    let tree = backend.path_finder(&g).unwrap().shortest_paths(0).unwrap();
    assert_eq!(tree.dist, [0.0, 3.0, 1.0, 4.0, f64::INFINITY]);
    assert_eq!(tree.parent, [0, 2, 0, 1, NONE]);
    // Negative weights.
    let neg = Csr::from_weighted_edges(
        4,
        &[(0, 1, 4.0), (0, 2, 5.0), (2, 1, -3.0), (1, 3, 1.0)],
        true,
    )
    .unwrap();
    let cycle = Csr::from_weighted_edges(
        5,
        &[(0, 1, 1.0), (1, 2, -2.0), (2, 1, 1.0), (3, 4, -1.0)],
        true,
    )
    .unwrap();
    if backend.allows_negative() {
        let tree = backend
            .path_finder(&neg)
            .unwrap()
            .shortest_paths(0)
            .unwrap();
        assert_eq!(tree.dist, [0.0, 2.0, 5.0, 3.0]);
        check_paths(&neg, 0, &tree).unwrap();
        let err = backend
            .path_finder(&cycle)
            .unwrap()
            .shortest_paths(0)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NegativeCycle);
        // A negative cycle not reachable from the source is no error.
        let tree = backend
            .path_finder(&cycle)
            .unwrap()
            .shortest_paths(3)
            .unwrap();
        assert_eq!(
            tree.dist,
            [f64::INFINITY, f64::INFINITY, f64::INFINITY, 0.0, -1.0]
        );
    } else {
        for g in [&neg, &cycle] {
            let err = backend.path_finder(g).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::NegativeWeight, "{backend}");
        }
    }
    let empty: Csr<u32> = Csr::from_weighted_edges(0, &[], true).unwrap();
    let finder = backend.path_finder(&empty).unwrap();
    assert_eq!(
        finder.shortest_paths(0).unwrap_err().kind(),
        ErrorKind::NodeOutOfRange
    );
}

/// Building graphs: ids `>= n` (up to `u32::MAX`), `n` above [`arsenal_graph::MAX_NODES`]
/// (up to `usize::MAX`), NaN and infinite weights are errors; self loops are stored
/// once, duplicates kept, undirected edges twice; `edges()` gives the input back.
pub fn building() {
    let err = Csr::from_edges(3, &[(0, 3)], false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NodeOutOfRange);
    let err = Csr::from_edges(3, &[(u32::MAX, 0)], true).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NodeOutOfRange);
    for n in [arsenal_graph::MAX_NODES + 1, usize::MAX] {
        assert_eq!(
            Csr::from_edges(n, &[], true).unwrap_err().kind(),
            ErrorKind::TooLarge
        );
    }
    for w in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let err = Csr::from_weighted_edges(2, &[(0, 1, 1.0), (1, 0, w)], true).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidWeight);
    }
    let g = Csr::from_edges(4, &[(0, 0), (0, 1), (0, 1), (2, 1)], false).unwrap();
    assert_eq!((g.edge_count(), g.arc_count()), (4, 7));
    assert_eq!(g.neighbors(0), [0, 1, 1]);
    assert_eq!(g.neighbors(1), [0, 0, 2]);
    assert_eq!(g.degree(3), 0);
    let mut back: Vec<(u32, u32)> = g.edges().map(|(u, v, ())| (u, v)).collect();
    back.sort_unstable();
    assert_eq!(back, [(0, 0), (0, 1), (0, 1), (1, 2)]);
    let d = Csr::from_weighted_edges(3, &[(2, 0, 7u32), (0, 2, 1)], true).unwrap();
    assert_eq!(d.neighbors(2), [0]);
    assert_eq!(d.neighbor_weights(0), [1]);
    assert!(!arsenal_graph::dfs(&d, 0).unwrap().order.is_empty());
}

/// DFS: preorder, parents are in-neighbours discovered earlier, the reached set is
/// BFS's, a known order, and a 10⁵-vertex path (no recursion depth limit).
pub fn depth_first() {
    for (name, edges, n, directed) in graphs() {
        let g = Csr::from_weighted_edges(n, &edges, directed).unwrap();
        for s in sources(&g) {
            let dfs = arsenal_graph::dfs(&g, s).unwrap();
            let reach = reference_bfs(&g, s);
            let mut seen = vec![usize::MAX; n];
            for (i, &v) in dfs.order.iter().enumerate() {
                assert_eq!(seen[v as usize], usize::MAX, "{name}: {v} twice");
                seen[v as usize] = i;
            }
            for v in 0..n {
                assert_eq!(
                    reach[v] != NONE,
                    seen[v] != usize::MAX,
                    "{name}: reach of {v}"
                );
                let p = dfs.parent[v];
                if reach[v] != NONE && v as u32 != s {
                    assert!(seen[p as usize] < seen[v], "{name}: parent {p} after {v}");
                    assert!(g.neighbors(p).contains(&(v as u32)), "{name}: {p} -> {v}");
                }
            }
        }
    }
    let g = Csr::from_edges(6, &[(0, 1), (1, 2), (0, 3), (3, 2), (2, 4), (5, 0)], true).unwrap();
    let d = arsenal_graph::dfs(&g, 0).unwrap();
    assert_eq!(d.order, [0, 1, 2, 4, 3]);
    assert_eq!(d.parent, [0, 0, 1, 0, 2, NONE]);
    let path: Vec<(u32, u32)> = (0..99_999).map(|i| (i, i + 1)).collect();
    let g = Csr::from_edges(100_000, &path, true).unwrap();
    assert_eq!(arsenal_graph::dfs(&g, 0).unwrap().order.len(), 100_000);
    assert_eq!(
        arsenal_graph::dfs(&g, 100_000).unwrap_err().kind(),
        ErrorKind::NodeOutOfRange
    );
}

/// The property of the `graph_edges` fuzz target, on any bytes: parsing gives `Ok` or
/// `Err` (with a line number), never a panic; when `Ok` with fewer than 2¹⁶ vertices,
/// every BFS backend agrees and builds a valid tree, and every shortest-path backend
/// gives a valid tree (or, for negative weights, the documented error).
pub fn edge_list_property(bytes: &[u8]) {
    let list = match EdgeList::parse(bytes) {
        Ok(list) => list,
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Parse);
            assert!(e.message().starts_with("line "), "{e}");
            return;
        }
    };
    if list.nodes == 0 || list.nodes > 1 << 16 {
        return;
    }
    for directed in [false, true] {
        let g = list.csr(directed).unwrap();
        let s = list.edges[0].0;
        let want = reference_bfs(&g, s);
        for b in Backend::available() {
            let tree = b.traversal(&g).unwrap().bfs(s).unwrap();
            check_bfs(&g, s, &tree).unwrap();
            assert_eq!(tree.dist, want, "{b}");
        }
        if let Ok(w) = list.weighted_csr(directed) {
            let negative = w.weights().iter().any(|&x| x < 0.0);
            for b in SsspBackend::available() {
                match b.path_finder(&w).and_then(|f| f.shortest_paths(s)) {
                    Ok(tree) => check_paths(&w, s, &tree).unwrap(),
                    Err(e) => assert!(
                        negative
                            && matches!(
                                e.kind(),
                                ErrorKind::NegativeWeight | ErrorKind::NegativeCycle
                            )
                            || e.kind() == ErrorKind::Parameter,
                        "{b}: {e}"
                    ),
                }
            }
        }
    }
}

/// The parser: comments (`#`, `%`), blank lines, tabs, CRLF, weights; errors name the
/// line (bad ids, id `u32::MAX` and larger, one field, four fields, NaN/∞/garbage weights,
/// mixed weighted and unweighted lines, bytes that are not UTF-8); then 3 000
/// deterministic mutations of small edge lists through [`edge_list_property`].
pub fn parsing() {
    let list = EdgeList::parse(b"# SNAP\n% mm\n\n0 1\r\n 1\t2 \n").unwrap();
    assert_eq!(
        (list.nodes, list.edges.clone(), list.weights.clone()),
        (3, vec![(0, 1), (1, 2)], None)
    );
    let list = EdgeList::parse(b"0 1 2.5\n3 1 -1e-3\n").unwrap();
    assert_eq!(list.weights, Some(vec![2.5, -1e-3]));
    assert_eq!(list.weighted_csr(true).unwrap().edge_count(), 2);
    assert_eq!(
        EdgeList::parse(b"0 1\n")
            .unwrap()
            .weighted_csr(true)
            .unwrap_err()
            .kind(),
        ErrorKind::Parse
    );
    assert_eq!(EdgeList::parse(b"").unwrap().nodes, 0);
    assert_eq!(
        EdgeList::parse(b"4294967294 0").unwrap().nodes,
        4_294_967_295
    );
    for (text, line) in [
        (&b"0 1\nx 2\n"[..], 2),
        (b"0 4294967295\n", 1),
        (b"0 99999999999999999999\n", 1),
        (b"\n\n0\n", 3),
        (b"0 1 2 3\n", 1),
        (b"0 1 nan\n", 1),
        (b"0 1 inf\n", 1),
        (b"0 1 1e999\n", 1),
        (b"0 1 w\n", 1),
        (b"0 1 1\n1 2\n", 2),
        (b"0 1\n1 2 1\n", 2),
        (b"0 -1\n", 1),
        (b"0 1 \xff\n", 1),
        (b"\xc3\x28 1\n", 1),
    ] {
        let err = EdgeList::parse(text).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Parse, "{text:?}");
        assert!(
            err.message().starts_with(&format!("line {line}:")),
            "{text:?}: {err}"
        );
    }
    let seeds: [&[u8]; 4] = [
        b"0 1\n1 2\n2 0\n3 3\n",
        b"0 1 1.5\n1 2 0\n2 0 2\n",
        b"# c\n5 4\n4 5\n",
        b"0 1 -2\n1 0 1\n",
    ];
    let mut rng = crate::data::rng(77);
    let alphabet = b"0123456789 \t\n#%.-e\rx";
    for i in 0..3000 {
        let mut input = seeds[i % seeds.len()].to_vec();
        for _ in 0..1 + rng() % 4 {
            let at = (rng() as usize) % (input.len() + 1);
            let byte = alphabet[(rng() as usize) % alphabet.len()];
            match rng() % 3 {
                0 if at < input.len() => input[at] = byte,
                1 if at < input.len() => {
                    input.remove(at);
                }
                _ => input.insert(at, byte),
            }
        }
        edge_list_property(&input);
    }
}

/// Instantiates the suite for one backend: `graph_conformance!(bfs: name, Backend::X)`
/// or `graph_conformance!(sssp: name, SsspBackend::X)`.
#[macro_export]
macro_rules! graph_conformance {
    (bfs: $name:ident, $backend:expr) => {
        mod $name {
            #[test]
            fn bfs_trees_match_the_reference() {
                $crate::graph::bfs_suite($backend);
            }
        }
    };
    (sssp: $name:ident, $backend:expr) => {
        mod $name {
            #[test]
            fn shortest_paths_match_the_reference() {
                $crate::graph::sssp_suite($backend);
            }
        }
    };
}
