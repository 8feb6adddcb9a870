//! Deterministic graph generators: Graph500's Kronecker graphs and road-like grids.

use crate::csr::{Csr, EdgeWeight};

/// SplitMix64 (Steele, Lea and Flood 2014): the generators' random numbers, identical on
/// every machine.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform value in `0..bound` (`bound > 0`; Lemire's multiply-shift, with its
    /// negligible bias for the bounds used here).
    pub fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(bound)) >> 64) as u64
    }

    /// A uniform `f64` in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Graph500's Kronecker (R-MAT) edge list: `2^scale` vertices, `edge_factor · 2^scale`
/// edges, each placed by descending `scale` levels of the 2×2 initiator with
/// probabilities A = 0.57, B = C = 0.19, D = 0.05; then the vertex labels are randomly
/// permuted and the edges shuffled (as the Graph500 reference generator does, so that
/// vertex ids carry no locality). Self loops and duplicate edges are kept, as Graph500
/// keeps them. Meant as an undirected graph.
///
/// # Panics
/// When `scale > 31` (ids are `u32`) or `edge_factor · 2^scale` overflows `usize`.
///
/// ```
/// let edges = arsenal_graph::gen::kronecker(8, 16, 1);
/// assert_eq!(edges.len(), 16 << 8);
/// assert!(edges.iter().all(|&(u, v)| u < 256 && v < 256));
/// ```
pub fn kronecker(scale: u32, edge_factor: usize, seed: u64) -> Vec<(u32, u32)> {
    assert!(scale <= 31, "scale {scale} > 31");
    let n = 1u64 << scale;
    let m = edge_factor
        .checked_mul(n as usize)
        .expect("edge_factor · 2^scale overflows usize");
    let mut rng = SplitMix64::new(seed);
    let (a, b, c) = (0.57, 0.19, 0.19);
    let mut edges: Vec<(u32, u32)> = (0..m)
        .map(|_| {
            let (mut u, mut v) = (0u32, 0u32);
            for bit in 0..scale {
                let r = rng.unit();
                let (du, dv) = if r < a {
                    (0, 0)
                } else if r < a + b {
                    (0, 1)
                } else if r < a + b + c {
                    (1, 0)
                } else {
                    (1, 1)
                };
                u |= du << bit;
                v |= dv << bit;
            }
            (u, v)
        })
        .collect();
    let mut label: Vec<u32> = (0..n as u32).collect();
    shuffle(&mut label, &mut rng);
    for e in &mut edges {
        *e = (label[e.0 as usize], label[e.1 as usize]);
    }
    shuffle(&mut edges, &mut rng);
    edges
}

fn shuffle<T>(v: &mut [T], rng: &mut SplitMix64) {
    for i in (1..v.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        v.swap(i, j);
    }
}

/// Random `u32` weights in `1..=max` for `edges` (one per edge; `max >= 1`).
pub fn weights(edges: &[(u32, u32)], max: u32, seed: u64) -> Vec<(u32, u32, u32)> {
    let mut rng = SplitMix64::new(seed);
    edges
        .iter()
        .map(|&(u, v)| (u, v, 1 + rng.below(u64::from(max.max(1))) as u32))
        .collect()
}

/// A road-like `width × height` grid: each vertex joined to its right and lower
/// neighbours (a planar graph of degree ≤ 4 and diameter `width + height - 2`), with
/// random weights in `1..=max_weight`. Vertex `(x, y)` is `y · width + x`.
///
/// # Panics
/// When `width · height` exceeds `u32::MAX` (ids are `u32`).
///
/// ```
/// let edges = arsenal_graph::gen::grid(3, 2, 10, 7);
/// assert_eq!(edges.len(), 2 * 2 + 3); // 2 rows of 2 horizontal, 3 vertical
/// ```
pub fn grid(width: u32, height: u32, max_weight: u32, seed: u64) -> Vec<(u32, u32, u32)> {
    assert!(
        u64::from(width) * u64::from(height) <= u64::from(u32::MAX),
        "a {width} × {height} grid has more than u32::MAX vertices"
    );
    let mut edges = Vec::new();
    for y in 0..height {
        for x in 0..width {
            let v = y * width + x;
            if x + 1 < width {
                edges.push((v, v + 1));
            }
            if y + 1 < height {
                edges.push((v, v + width));
            }
        }
    }
    weights(&edges, max_weight, seed)
}

/// `count` distinct random sources with at least one neighbour other than themselves
/// (Graph500's rule), fewer when the graph has fewer such vertices.
pub fn bfs_sources<W: EdgeWeight>(g: &Csr<W>, count: usize, seed: u64) -> Vec<u32> {
    let mut candidates: Vec<u32> = (0..g.node_count() as u32)
        .filter(|&v| g.neighbors(v).iter().any(|&u| u != v))
        .collect();
    let mut rng = SplitMix64::new(seed);
    let take = count.min(candidates.len());
    for i in 0..take {
        let j = i + rng.below((candidates.len() - i) as u64) as usize;
        candidates.swap(i, j);
    }
    candidates.truncate(take);
    candidates
}
