//! Checks of BFS trees and shortest-path trees (the conformance suite, the benchmark
//! and the fuzz target use them).

use crate::csr::{Csr, EdgeWeight};
use crate::{BfsTree, PathTree};

const NONE: u32 = u32::MAX;

/// Checks that `tree` is a BFS tree of `g` from `source`: the source at distance 0 and
/// its own parent; every arc `u → v` from a reached `u` reaches `v` with
/// `dist[v] <= dist[u] + 1`; every other reached vertex has a parent `p` with an arc
/// `p → v` and `dist[p] + 1 == dist[v]`; unreached vertices have no parent.
///
/// # Errors
/// A description of the first violation.
pub fn check_bfs<W: EdgeWeight>(g: &Csr<W>, source: u32, tree: &BfsTree) -> Result<(), String> {
    let n = g.node_count();
    check_lengths(n, tree.dist.len(), tree.parent.len())?;
    let s = source as usize;
    if tree.dist[s] != 0 || tree.parent[s] != source {
        return Err(format!(
            "source {source}: dist {} parent {}",
            tree.dist[s], tree.parent[s]
        ));
    }
    for u in 0..n as u32 {
        let du = tree.dist[u as usize];
        if du == NONE {
            continue;
        }
        for &v in g.neighbors(u) {
            let dv = tree.dist[v as usize];
            if dv == NONE || dv > du + 1 {
                return Err(format!("arc {u} -> {v}: dist {du} then {dv}"));
            }
        }
    }
    // One pass over the arcs marks each vertex whose parent arc exists and is one level up.
    let ok = parent_arcs(g, &tree.parent, |u, v, _| {
        let du = tree.dist[u as usize];
        du != NONE && du.checked_add(1) == Some(tree.dist[v as usize])
    });
    check_parents(
        source,
        &tree.parent,
        &ok,
        |v| {
            let dv = tree.dist[v as usize];
            (dv == NONE, dv)
        },
        "is not an in-neighbour one level up",
    )
}

/// Checks that `tree` is a shortest-path tree of `g` from `source`: the source at 0 and
/// its own parent; no arc `u → v` from a reached `u` improves `dist[v]` (beyond a
/// relative tolerance of 1e-9 for `f64`); every other reached vertex has a parent `p`
/// with an arc `p → v` of weight `w` where `dist[p] + w == dist[v]` (within the
/// tolerance); unreached vertices (`INFINITY`) have no parent.
///
/// # Errors
/// A description of the first violation.
pub fn check_paths<W: EdgeWeight>(
    g: &Csr<W>,
    source: u32,
    tree: &PathTree<W::Dist>,
) -> Result<(), String> {
    let n = g.node_count();
    check_lengths(n, tree.dist.len(), tree.parent.len())?;
    let f = W::dist_to_f64;
    let close = |a: f64, b: f64| a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs());
    let s = source as usize;
    if f(tree.dist[s]) != 0.0 || tree.parent[s] != source {
        return Err(format!(
            "source {source}: dist {:?} parent {}",
            tree.dist[s], tree.parent[s]
        ));
    }
    let inf = f(W::INFINITY);
    for u in 0..n as u32 {
        let du = tree.dist[u as usize];
        if f(du) == inf {
            continue;
        }
        for (&v, &w) in g.neighbors(u).iter().zip(g.neighbor_weights(u)) {
            let (via, dv) = (f(W::add(du, w)), f(tree.dist[v as usize]));
            if via < dv && !close(via, dv) {
                return Err(format!("arc {u} -> {v} (w {w:?}): {via} improves {dv}"));
            }
        }
    }
    let ok = parent_arcs(g, &tree.parent, |u, v, i| {
        let du = tree.dist[u as usize];
        let w = g.neighbor_weights(u)[i];
        f(du) != inf && close(f(W::add(du, w)), f(tree.dist[v as usize]))
    });
    check_parents(
        source,
        &tree.parent,
        &ok,
        |v| {
            let dv = f(tree.dist[v as usize]);
            (dv == inf, dv)
        },
        "gives it no arc",
    )
}

/// The arrays of a tree are one entry a vertex.
fn check_lengths(n: usize, dist: usize, parent: usize) -> Result<(), String> {
    if dist != n || parent != n {
        return Err(format!("arrays of {dist} and {parent} for {n} vertices"));
    }
    Ok(())
}

/// One pass over the arcs: whether each vertex `v` has its parent arc `parent[v] → v`
/// (the `i`-th out-arc of `parent[v]`) with `good(parent[v], v, i)`.
fn parent_arcs<W: EdgeWeight>(
    g: &Csr<W>,
    parent: &[u32],
    good: impl Fn(u32, u32, usize) -> bool,
) -> Vec<bool> {
    let mut ok = vec![false; g.node_count()];
    for u in 0..g.node_count() as u32 {
        for (i, &v) in g.neighbors(u).iter().enumerate() {
            if parent[v as usize] == u && good(u, v, i) {
                ok[v as usize] = true;
            }
        }
    }
    ok
}

/// Every vertex but the source: unreached (`dist(v).0`) exactly when it has no parent,
/// and a parent only with a good parent arc (`ok`), else the error `"vertex {v} at
/// {dist}: parent {p} {why}"`.
fn check_parents<D: core::fmt::Display>(
    source: u32,
    parent: &[u32],
    ok: &[bool],
    dist: impl Fn(u32) -> (bool, D),
    why: &str,
) -> Result<(), String> {
    for v in 0..parent.len() as u32 {
        let p = parent[v as usize];
        if v == source {
            continue;
        }
        let (unreached, dv) = dist(v);
        if unreached != (p == NONE) {
            return Err(format!("vertex {v}: dist {dv} but parent {p}"));
        }
        if p != NONE && !ok[v as usize] {
            return Err(format!("vertex {v} at {dv}: parent {p} {why}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checkers accept the right trees and reject each kind of corruption (a
    /// checker that always said `Ok` would pass every other test).
    #[test]
    fn corrupted_trees_are_rejected() {
        // 0 → 1 (w 2), 1 → 2 (w 3), 0 → 2 (w 9); 3 unreachable.
        let g = Csr::from_weighted_edges(4, &[(0, 1, 2u32), (1, 2, 3), (0, 2, 9)], true)
            .expect("graph");
        let bfs = BfsTree {
            dist: vec![0, 1, 1, NONE],
            parent: vec![0, 0, 0, NONE],
        };
        check_bfs(&g, 0, &bfs).expect("the BFS tree");
        let bad = [
            (vec![0, 1, 1], vec![0, 0, 0]),                // short arrays
            (vec![1, 1, 1, NONE], vec![0, 0, 0, NONE]),    // source not at 0
            (vec![0, 1, 2, NONE], vec![0, 0, 1, NONE]),    // 0 → 2 gives 1
            (vec![0, 1, 1, NONE], vec![0, 0, 1, NONE]),    // parent not one level up
            (vec![0, 1, 1, NONE], vec![0, 0, 0, 2]),       // unreached with a parent
            (vec![0, 1, 1, 2], vec![0, 0, 0, 2]),          // no arc 2 → 3
            (vec![0, 1, 1, NONE], vec![0, NONE, 0, NONE]), // reached without a parent
        ];
        for (dist, parent) in bad {
            let tree = BfsTree { dist, parent };
            assert!(check_bfs(&g, 0, &tree).is_err(), "{tree:?}");
        }
        const INF: u64 = u64::MAX;
        let paths = PathTree {
            dist: vec![0u64, 2, 5, INF],
            parent: vec![0, 0, 1, NONE],
        };
        check_paths(&g, 0, &paths).expect("the shortest-path tree");
        let bad = [
            (vec![0, 2, 5], vec![0, 0, 1]),               // short arrays
            (vec![0, 2, 9, INF], vec![0, 0, 0, NONE]),    // 0 → 1 → 2 improves 9
            (vec![0, 2, 5, INF], vec![0, 0, 0, NONE]),    // parent 0 does not give 5
            (vec![0, 2, 4, INF], vec![0, 0, 1, NONE]),    // 2 + 3 is not 4
            (vec![0, 2, 5, INF], vec![0, 0, 1, 2]),       // unreached with a parent
            (vec![1, 2, 5, INF], vec![0, 0, 1, NONE]),    // source not at 0
            (vec![0, 2, 5, INF], vec![0, 0, NONE, NONE]), // reached without a parent
        ];
        for (dist, parent) in bad {
            let tree = PathTree { dist, parent };
            assert!(check_paths(&g, 0, &tree).is_err(), "{tree:?}");
        }
    }
}
