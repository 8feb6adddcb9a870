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
    if tree.dist.len() != n || tree.parent.len() != n {
        return Err(format!(
            "arrays of {} and {} for {n} vertices",
            tree.dist.len(),
            tree.parent.len()
        ));
    }
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
    let mut ok = vec![false; n];
    for u in 0..n as u32 {
        let du = tree.dist[u as usize];
        for &v in g.neighbors(u) {
            if tree.parent[v as usize] == u
                && du != NONE
                && du.checked_add(1) == Some(tree.dist[v as usize])
            {
                ok[v as usize] = true;
            }
        }
    }
    for v in 0..n as u32 {
        let (dv, p) = (tree.dist[v as usize], tree.parent[v as usize]);
        if v == source {
            continue;
        }
        if (dv == NONE) != (p == NONE) {
            return Err(format!("vertex {v}: dist {dv} but parent {p}"));
        }
        if p != NONE && !ok[v as usize] {
            return Err(format!(
                "vertex {v} at {dv}: parent {p} is not an in-neighbour one level up"
            ));
        }
    }
    Ok(())
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
    if tree.dist.len() != n || tree.parent.len() != n {
        return Err(format!(
            "arrays of {} and {} for {n} vertices",
            tree.dist.len(),
            tree.parent.len()
        ));
    }
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
    let mut ok = vec![false; n];
    for u in 0..n as u32 {
        let du = tree.dist[u as usize];
        if f(du) == inf {
            continue;
        }
        for (&v, &w) in g.neighbors(u).iter().zip(g.neighbor_weights(u)) {
            if tree.parent[v as usize] == u && close(f(W::add(du, w)), f(tree.dist[v as usize])) {
                ok[v as usize] = true;
            }
        }
    }
    for v in 0..n as u32 {
        let (dv, p) = (f(tree.dist[v as usize]), tree.parent[v as usize]);
        if v == source {
            continue;
        }
        if (dv == inf) != (p == NONE) {
            return Err(format!("vertex {v}: dist {dv} but parent {p}"));
        }
        if p != NONE && !ok[v as usize] {
            return Err(format!(
                "vertex {v} at {dv}: no arc from parent {p} gives it"
            ));
        }
    }
    Ok(())
}
