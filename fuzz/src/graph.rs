//! Graphs (`arsenal-graph`): any bytes through the SNAP-style edge-list parser; when it
//! accepts them, every BFS and shortest-path backend on the graph (undirected and
//! directed), each result checked by `arsenal_graph::verify`.

use arsenal_graph::verify::{check_bfs, check_paths};
use arsenal_graph::{Backend, EdgeList, ErrorKind, SsspBackend};

/// The largest graph the target searches (bigger id ranges only cost time).
const MAX_NODES: usize = 1 << 16;

/// `EdgeList::parse` gives `Ok` or an `ErrorKind::Parse` naming its line, never a
/// panic. When `Ok` (at most 2¹⁶ vertices), for both directions: every BFS backend
/// builds a valid BFS tree from the first edge's tail and all give the same distances;
/// with weights, every shortest-path backend gives a valid shortest-path tree with the
/// same distances as Bellman–Ford (within 1e-9 relative), or — only when some weight is
/// negative — `NegativeWeight` (Dijkstra-like backends) or `NegativeCycle`
/// (Bellman–Ford); Δ-stepping may refuse a Δ too small for the largest weight
/// (`Parameter`).
pub fn graph_edges(data: &[u8]) {
    let list = match EdgeList::parse(data) {
        Ok(list) => list,
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Parse, "{e}");
            assert!(e.message().starts_with("line "), "{e}");
            return;
        }
    };
    if list.nodes == 0 || list.nodes > MAX_NODES {
        return;
    }
    let source = list.edges[0].0;
    for directed in [false, true] {
        let g = list.csr(directed).expect("a parsed list builds");
        let mut want: Option<Vec<u32>> = None;
        for b in Backend::available() {
            let tree = b.traversal(&g).and_then(|t| t.bfs(source)).expect("bfs");
            if let Err(e) = check_bfs(&g, source, &tree) {
                panic!("{b}: {e}");
            }
            match &want {
                None => want = Some(tree.dist),
                Some(w) => assert!(*w == tree.dist, "{b}: distances differ"),
            }
        }
        let Ok(w) = list.weighted_csr(directed) else { continue };
        let negative = w.weights().iter().any(|&x| x < 0.0);
        let reference = SsspBackend::BellmanFord
            .path_finder(&w)
            .and_then(|f| f.shortest_paths(source));
        for b in SsspBackend::available() {
            match b.path_finder(&w).and_then(|f| f.shortest_paths(source)) {
                Ok(tree) => {
                    if let Err(e) = check_paths(&w, source, &tree) {
                        panic!("{b}: {e}");
                    }
                    let r = reference.as_ref().expect("Bellman-Ford agrees there is no negative cycle");
                    for (v, (&a, &c)) in tree.dist.iter().zip(&r.dist).enumerate() {
                        let close = a == c || (a - c).abs() <= 1e-9 * a.abs().max(c.abs());
                        assert!(close, "{b}: vertex {v}: {a} vs Bellman-Ford {c}");
                    }
                }
                Err(e) => assert!(
                    (negative && matches!(e.kind(), ErrorKind::NegativeWeight | ErrorKind::NegativeCycle))
                        || (b == SsspBackend::DeltaStepping && e.kind() == ErrorKind::Parameter),
                    "{b}: {e}"
                ),
            }
        }
    }
}
