//! Native single-source shortest paths.

use std::cmp::Ordering as CmpOrdering;
use std::collections::BinaryHeap;

use crate::csr::{try_filled, Csr, EdgeWeight};
use crate::{Error, ErrorKind, PathTree, Result};

const NONE: u32 = u32::MAX;

struct Entry<W: EdgeWeight> {
    dist: W::Dist,
    node: u32,
}

impl<W: EdgeWeight> PartialEq for Entry<W> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == CmpOrdering::Equal
    }
}
impl<W: EdgeWeight> Eq for Entry<W> {}
impl<W: EdgeWeight> PartialOrd for Entry<W> {
    fn partial_cmp(&self, other: &Self) -> Option<CmpOrdering> {
        Some(self.cmp(other))
    }
}
impl<W: EdgeWeight> Ord for Entry<W> {
    fn cmp(&self, other: &Self) -> CmpOrdering {
        // A min-heap on distance inside std's max-heap.
        W::cmp_dist(other.dist, self.dist).then(other.node.cmp(&self.node))
    }
}

fn start<W: EdgeWeight>(g: &Csr<W>, source: u32) -> Result<(Vec<W::Dist>, Vec<u32>)> {
    g.check_source(source)?;
    let mut dist = try_filled(g.node_count(), W::INFINITY)?;
    let mut parent = try_filled(g.node_count(), NONE)?;
    dist[source as usize] = W::ZERO;
    parent[source as usize] = source;
    Ok((dist, parent))
}

fn less<W: EdgeWeight>(a: W::Dist, b: W::Dist) -> bool {
    W::cmp_dist(a, b) == CmpOrdering::Less
}

/// Relaxes the out-arcs of `u` (at distance `d`): every `v` that `d + w` improves gets
/// it and parent `u`, and is handed to `push(new distance, v)`.
fn relax<W: EdgeWeight>(
    g: &Csr<W>,
    u: u32,
    d: W::Dist,
    dist: &mut [W::Dist],
    parent: &mut [u32],
    mut push: impl FnMut(W::Dist, u32),
) {
    for (&v, &w) in g.neighbors(u).iter().zip(g.neighbor_weights(u)) {
        let nd = W::add(d, w);
        if less::<W>(nd, dist[v as usize]) {
            dist[v as usize] = nd;
            parent[v as usize] = u;
            push(nd, v);
        }
    }
}

/// Dijkstra with std's binary heap and lazy deletion (stale entries skipped on pop).
/// The caller has checked the weights are non-negative.
pub(crate) fn dijkstra<W: EdgeWeight>(g: &Csr<W>, source: u32) -> Result<PathTree<W::Dist>> {
    let (mut dist, mut parent) = start(g, source)?;
    let mut heap = BinaryHeap::new();
    heap.push(Entry::<W> {
        dist: W::ZERO,
        node: source,
    });
    while let Some(Entry { dist: d, node: u }) = heap.pop() {
        if less::<W>(dist[u as usize], d) {
            continue;
        }
        relax(g, u, d, &mut dist, &mut parent, |nd, v| {
            heap.push(Entry { dist: nd, node: v });
        });
    }
    Ok(PathTree { dist, parent })
}

/// A radix heap (Ahuja, Mehlhorn, Orlin and Tarjan 1990) over monotone `u64` keys:
/// bucket `i` holds the keys whose highest bit differing from the last popped key is
/// bit `i - 1`; popping refills bucket 0 from the first non-empty bucket.
struct RadixHeap {
    last: u64,
    len: usize,
    buckets: Vec<Vec<(u64, u32)>>,
}

impl RadixHeap {
    fn new() -> RadixHeap {
        RadixHeap {
            last: 0,
            len: 0,
            buckets: (0..65).map(|_| Vec::new()).collect(),
        }
    }

    fn bucket(&self, key: u64) -> usize {
        (64 - (key ^ self.last).leading_zeros()) as usize
    }

    fn push(&mut self, key: u64, node: u32) {
        debug_assert!(key >= self.last);
        let b = self.bucket(key);
        self.buckets[b].push((key, node));
        self.len += 1;
    }

    fn pop(&mut self) -> Option<(u64, u32)> {
        if self.len == 0 {
            return None;
        }
        if self.buckets[0].is_empty() {
            let i = self.buckets.iter().position(|b| !b.is_empty())?;
            let moved = std::mem::take(&mut self.buckets[i]);
            self.last = moved.iter().map(|e| e.0).min()?;
            for &(k, v) in &moved {
                let b = self.bucket(k);
                self.buckets[b].push((k, v));
            }
            // Keep the allocation of the emptied bucket.
            let mut moved = moved;
            moved.clear();
            if self.buckets[i].is_empty() {
                self.buckets[i] = moved;
            }
        }
        self.len -= 1;
        self.buckets[0].pop()
    }
}

/// Dijkstra with a radix heap: keys are the distances' order-preserving `u64` images
/// (integers as they are; non-negative `f64` by their bits).
pub(crate) fn radix_dijkstra<W: EdgeWeight>(g: &Csr<W>, source: u32) -> Result<PathTree<W::Dist>> {
    let (mut dist, mut parent) = start(g, source)?;
    let mut heap = RadixHeap::new();
    heap.push(W::dist_key(W::ZERO), source);
    while let Some((key, u)) = heap.pop() {
        let d = dist[u as usize];
        if W::dist_key(d) < key {
            continue;
        }
        relax(g, u, d, &mut dist, &mut parent, |nd, v| {
            heap.push(W::dist_key(nd), v)
        });
    }
    Ok(PathTree { dist, parent })
}

/// Meyer and Sanders' Δ-stepping (2003), sequential: buckets of width `delta` in a
/// cyclic array; light edges (`w <= delta`) are relaxed until the current bucket stays
/// empty, then the heavy edges of the vertices it settled.
pub(crate) fn delta_stepping<W: EdgeWeight>(
    g: &Csr<W>,
    source: u32,
    delta: f64,
) -> Result<PathTree<W::Dist>> {
    let (mut dist, mut parent) = start(g, source)?;
    if !(delta > 0.0 && delta.is_finite()) {
        return Err(Error::new(
            ErrorKind::Parameter,
            "delta-stepping",
            format!("delta must be a positive finite number, not {delta}"),
        ));
    }
    let max_w = g
        .weights()
        .iter()
        .map(|w| w.to_f64())
        .fold(if W::UNWEIGHTED { 1.0 } else { 0.0 }, f64::max);
    if max_w / delta > (1u64 << 24) as f64 {
        return Err(Error::new(
            ErrorKind::Parameter,
            "delta-stepping",
            format!("delta {delta} is below 2^-24 of the largest weight {max_w}"),
        ));
    }
    let slots = (max_w / delta).floor() as usize + 3;
    let index = |d: W::Dist| (W::dist_to_f64(d) / delta).floor() as u64;
    let mut buckets: Vec<Vec<u32>> = (0..slots).map(|_| Vec::new()).collect();
    let mut pending = 1usize;
    buckets[0].push(source);
    let mut settled: Vec<u32> = Vec::new();
    let mut in_settled = try_filled(g.node_count(), false)?;
    let mut current = 0u64;
    let relax = |u: u32,
                 v: u32,
                 w: W,
                 dist: &mut Vec<W::Dist>,
                 parent: &mut Vec<u32>,
                 buckets: &mut Vec<Vec<u32>>,
                 pending: &mut usize| {
        let nd = W::add(dist[u as usize], w);
        if less::<W>(nd, dist[v as usize]) {
            dist[v as usize] = nd;
            parent[v as usize] = u;
            let slot = (index(nd) % slots as u64) as usize;
            buckets[slot].push(v);
            *pending += 1;
        }
    };
    while pending > 0 {
        // The next non-empty bucket (stale entries are dropped when popped).
        while buckets[(current % slots as u64) as usize].is_empty() {
            current += 1;
        }
        let slot = (current % slots as u64) as usize;
        while !buckets[slot].is_empty() {
            let batch = std::mem::take(&mut buckets[slot]);
            pending -= batch.len();
            for &u in &batch {
                let du = dist[u as usize];
                if index(du) != current {
                    continue;
                }
                if !in_settled[u as usize] {
                    in_settled[u as usize] = true;
                    settled.push(u);
                }
                for (&v, &w) in g.neighbors(u).iter().zip(g.neighbor_weights(u)) {
                    if w.to_f64() <= delta {
                        relax(u, v, w, &mut dist, &mut parent, &mut buckets, &mut pending);
                    }
                }
            }
        }
        for &u in &settled {
            in_settled[u as usize] = false;
            for (&v, &w) in g.neighbors(u).iter().zip(g.neighbor_weights(u)) {
                if w.to_f64() > delta {
                    relax(u, v, w, &mut dist, &mut parent, &mut buckets, &mut pending);
                }
            }
        }
        settled.clear();
        current += 1;
    }
    Ok(PathTree { dist, parent })
}

/// Bellman–Ford in rounds over the vertices whose distance changed in the previous
/// round; a change in round `n` means a negative cycle reachable from the source.
pub(crate) fn bellman_ford<W: EdgeWeight>(g: &Csr<W>, source: u32) -> Result<PathTree<W::Dist>> {
    let (mut dist, mut parent) = start(g, source)?;
    let n = g.node_count();
    let mut active = vec![source];
    let mut next = Vec::new();
    let mut queued = try_filled(n, false)?;
    let mut round = 0usize;
    while !active.is_empty() {
        round += 1;
        if round > n {
            return Err(Error::new(
                ErrorKind::NegativeCycle,
                "bellman-ford",
                format!("a negative cycle is reachable from vertex {source}"),
            ));
        }
        for &u in &active {
            queued[u as usize] = false;
        }
        for &u in &active {
            let du = dist[u as usize];
            for (&v, &w) in g.neighbors(u).iter().zip(g.neighbor_weights(u)) {
                let nd = W::add(du, w);
                if less::<W>(nd, dist[v as usize]) {
                    dist[v as usize] = nd;
                    parent[v as usize] = u;
                    if !queued[v as usize] {
                        queued[v as usize] = true;
                        next.push(v);
                    }
                }
            }
        }
        std::mem::swap(&mut active, &mut next);
        next.clear();
    }
    Ok(PathTree { dist, parent })
}
