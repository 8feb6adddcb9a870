//! The compressed sparse row graph and its edge weights.

use std::fmt::Debug;
use std::sync::OnceLock;

use crate::{Error, ErrorKind, Result, CHECKS};

mod sealed {
    pub trait Sealed {}
    impl Sealed for () {}
    impl Sealed for u32 {}
    impl Sealed for f64 {}
}

/// An edge weight type: `()` (unweighted: every edge counts 1), `u32` or `f64`.
///
/// Distances are `u64` for `()` and `u32` (sums of `u32` weights cannot overflow a `u64`
/// on a graph with fewer than 2³² vertices) and `f64` for `f64`.
pub trait EdgeWeight: Copy + Send + Sync + Debug + PartialEq + 'static + sealed::Sealed {
    /// The distance type.
    type Dist: Copy + PartialOrd + Debug + Send + Sync + 'static;
    /// The distance of an unreachable vertex (`u64::MAX`, `f64::INFINITY`).
    const INFINITY: Self::Dist;
    /// The distance of the source.
    const ZERO: Self::Dist;
    /// Whether edges carry no weight (`()`).
    const UNWEIGHTED: bool;
    /// `d + w` (saturating for integers).
    fn add(d: Self::Dist, w: Self) -> Self::Dist;
    /// Whether the weight is below zero.
    fn is_negative(self) -> bool;
    /// Whether the weight is NaN or infinite (rejected when a graph is built).
    fn is_invalid(self) -> bool;
    /// The weight as `f64` (1.0 for `()`).
    fn to_f64(self) -> f64;
    /// A distance as `f64`.
    fn dist_to_f64(d: Self::Dist) -> f64;
    /// A distance from `f64` (igraph's distances), `None` when it does not convert
    /// exactly.
    fn dist_from_f64(d: f64) -> Option<Self::Dist>;
    /// An order-preserving `u64` key of a non-negative distance (the radix heap's key).
    fn dist_key(d: Self::Dist) -> u64;
    /// Compares two distances (a total order; distances are never NaN).
    fn cmp_dist(a: Self::Dist, b: Self::Dist) -> std::cmp::Ordering;
}

/// The items `()` and `u32` share: weights that are never negative nor invalid, and
/// `u64` distances (igraph's exact below 2⁵³).
macro_rules! integer_weight_items {
    () => {
        type Dist = u64;
        const INFINITY: u64 = u64::MAX;
        const ZERO: u64 = 0;
        fn is_negative(self) -> bool {
            false
        }
        fn is_invalid(self) -> bool {
            false
        }
        fn dist_to_f64(d: u64) -> f64 {
            d as f64
        }
        fn dist_from_f64(d: f64) -> Option<u64> {
            int_from_f64(d)
        }
        fn dist_key(d: u64) -> u64 {
            d
        }
        fn cmp_dist(a: u64, b: u64) -> std::cmp::Ordering {
            a.cmp(&b)
        }
    };
}

impl EdgeWeight for () {
    integer_weight_items!();
    const UNWEIGHTED: bool = true;
    fn add(d: u64, _: ()) -> u64 {
        d.saturating_add(1)
    }
    fn to_f64(self) -> f64 {
        1.0
    }
}

impl EdgeWeight for u32 {
    integer_weight_items!();
    const UNWEIGHTED: bool = false;
    fn add(d: u64, w: u32) -> u64 {
        d.saturating_add(u64::from(w))
    }
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

impl EdgeWeight for f64 {
    type Dist = f64;
    const INFINITY: f64 = f64::INFINITY;
    const ZERO: f64 = 0.0;
    const UNWEIGHTED: bool = false;
    fn add(d: f64, w: f64) -> f64 {
        d + w
    }
    fn is_negative(self) -> bool {
        self < 0.0
    }
    fn is_invalid(self) -> bool {
        !self.is_finite()
    }
    fn to_f64(self) -> f64 {
        self
    }
    fn dist_to_f64(d: f64) -> f64 {
        d
    }
    fn dist_from_f64(d: f64) -> Option<f64> {
        Some(d)
    }
    fn dist_key(d: f64) -> u64 {
        // Non-negative floats (never -0.0 here: 0.0 + -0.0 is 0.0) order as their bits.
        d.to_bits()
    }
    fn cmp_dist(a: f64, b: f64) -> std::cmp::Ordering {
        a.total_cmp(&b)
    }
}

/// Exact integer distances from igraph's doubles: below 2⁵³, and `INFINITY` → `u64::MAX`.
fn int_from_f64(d: f64) -> Option<u64> {
    if d == f64::INFINITY {
        Some(u64::MAX)
    } else if (0.0..9_007_199_254_740_992.0).contains(&d) && d.fract() == 0.0 {
        Some(d as u64)
    } else {
        None
    }
}

/// The largest number of vertices: ids are `u32` and `u32::MAX` marks "none" (no parent,
/// unreachable).
pub const MAX_NODES: usize = u32::MAX as usize;

/// A graph in compressed sparse row form: for each vertex `v`, its out-neighbours are
/// `targets[offsets[v]..offsets[v + 1]]` with the same range of `weights`.
///
/// Undirected graphs store each edge `{u, v}` twice (`u → v` and `v → u`) and a self
/// loop once; duplicate edges are kept (a multigraph). Built once, then shared: `Csr` is
/// `Send + Sync` and every algorithm borrows it.
///
/// ```
/// use arsenal_graph::Csr;
/// let g = Csr::from_edges(4, &[(0, 1), (1, 2), (2, 0)], true)?;
/// assert_eq!((g.node_count(), g.edge_count()), (4, 3));
/// assert_eq!(g.neighbors(1), &[2]);
/// assert_eq!(g.degree(3), 0);
/// # Ok::<(), arsenal_graph::Error>(())
/// ```
#[derive(Debug)]
pub struct Csr<W: EdgeWeight = ()> {
    n: u32,
    directed: bool,
    edges: usize,
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<W>,
    reverse: OnceLock<Reverse>,
}

/// The in-edges of a directed graph (for bottom-up BFS), built on first use.
#[derive(Debug)]
pub(crate) struct Reverse {
    pub(crate) offsets: Vec<usize>,
    pub(crate) sources: Vec<u32>,
}

fn too_large(what: &str) -> Error {
    Error::new(ErrorKind::TooLarge, CHECKS, what.to_owned())
}

fn oom() -> Error {
    Error::new(ErrorKind::OutOfMemory, CHECKS, "graph arrays")
}

/// A zeroed vector of `len`, or `Err(OutOfMemory)`.
pub(crate) fn try_filled<T: Clone>(len: usize, value: T) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| oom())?;
    v.resize(len, value);
    Ok(v)
}

impl Csr<()> {
    /// An unweighted graph of `n` vertices (`0..n`) from an edge list.
    ///
    /// # Errors
    /// [`ErrorKind::TooLarge`] when `n` exceeds [`MAX_NODES`] or the edges do not fit in
    /// memory sizes, [`ErrorKind::NodeOutOfRange`] for an edge end `>= n`,
    /// [`ErrorKind::OutOfMemory`] when the arrays cannot be allocated.
    pub fn from_edges(n: usize, edges: &[(u32, u32)], directed: bool) -> Result<Csr<()>> {
        Csr::build(n, edges.len(), directed, |i| {
            let (u, v) = edges[i];
            (u, v, ())
        })
    }
}

impl<W: EdgeWeight> Csr<W> {
    /// A weighted graph of `n` vertices from `(u, v, weight)` triples.
    ///
    /// # Errors
    /// As [`Csr::from_edges`], and [`ErrorKind::InvalidWeight`] for a NaN or infinite
    /// weight. Negative `f64` weights are accepted here (Bellman–Ford takes them); the
    /// algorithms that need non-negative weights reject them.
    pub fn from_weighted_edges(
        n: usize,
        edges: &[(u32, u32, W)],
        directed: bool,
    ) -> Result<Csr<W>> {
        if let Some(i) = edges.iter().position(|e| e.2.is_invalid()) {
            return Err(Error::new(
                ErrorKind::InvalidWeight,
                CHECKS,
                format!("edge {i} has weight {:?}", edges[i].2),
            ));
        }
        Csr::build(n, edges.len(), directed, |i| edges[i])
    }

    fn build(
        n: usize,
        m: usize,
        directed: bool,
        edge: impl Fn(usize) -> (u32, u32, W),
    ) -> Result<Csr<W>> {
        if n > MAX_NODES {
            return Err(too_large(&format!(
                "{n} vertices (at most {MAX_NODES}: ids are u32 and u32::MAX means none)"
            )));
        }
        let mut degree: Vec<usize> = try_filled(n + 1, 0)?;
        let mut arcs = 0usize;
        for i in 0..m {
            let (u, v, _) = edge(i);
            for x in [u, v] {
                if x as usize >= n {
                    return Err(Error::new(
                        ErrorKind::NodeOutOfRange,
                        CHECKS,
                        format!("edge {i} ({u}, {v}): vertex {x} is not below n = {n}"),
                    ));
                }
            }
            degree[u as usize + 1] += 1;
            arcs += 1;
            if !directed && u != v {
                degree[v as usize + 1] += 1;
                arcs += 1;
            }
        }
        if arcs > isize::MAX as usize / 8 {
            return Err(too_large("edge count"));
        }
        for v in 0..n {
            degree[v + 1] += degree[v];
        }
        let offsets = degree;
        let mut next = offsets.clone();
        let mut targets = try_filled(arcs, 0u32)?;
        let mut weights: Vec<W> = Vec::new();
        weights.try_reserve_exact(arcs).map_err(|_| oom())?;
        if let Some(w0) = (0..m.min(1)).map(|i| edge(i).2).next() {
            weights.resize(arcs, w0);
        }
        for i in 0..m {
            let (u, v, w) = edge(i);
            let at = next[u as usize];
            targets[at] = v;
            weights[at] = w;
            next[u as usize] += 1;
            if !directed && u != v {
                let at = next[v as usize];
                targets[at] = u;
                weights[at] = w;
                next[v as usize] += 1;
            }
        }
        Ok(Csr {
            n: n as u32,
            directed,
            edges: m,
            offsets,
            targets,
            weights,
            reverse: OnceLock::new(),
        })
    }

    /// The number of vertices.
    pub fn node_count(&self) -> usize {
        self.n as usize
    }

    /// The number of edges given (an undirected edge counts once).
    pub fn edge_count(&self) -> usize {
        self.edges
    }

    /// The number of stored arcs (`targets().len()`): undirected edges count twice,
    /// self loops once.
    pub fn arc_count(&self) -> usize {
        self.targets.len()
    }

    /// Whether edges have a direction.
    pub fn is_directed(&self) -> bool {
        self.directed
    }

    /// The out-neighbours of `v` (all neighbours when undirected).
    ///
    /// # Panics
    /// When `v >= node_count()`.
    pub fn neighbors(&self, v: u32) -> &[u32] {
        &self.targets[self.offsets[v as usize]..self.offsets[v as usize + 1]]
    }

    /// The weights of `neighbors(v)`, in the same order.
    ///
    /// # Panics
    /// When `v >= node_count()`.
    pub fn neighbor_weights(&self, v: u32) -> &[W] {
        &self.weights[self.offsets[v as usize]..self.offsets[v as usize + 1]]
    }

    /// The out-degree of `v`.
    ///
    /// # Panics
    /// When `v >= node_count()`.
    pub fn degree(&self, v: u32) -> usize {
        self.offsets[v as usize + 1] - self.offsets[v as usize]
    }

    /// The row offsets (`node_count() + 1` entries).
    pub fn offsets(&self) -> &[usize] {
        &self.offsets
    }

    /// Every arc's head, row by row.
    pub fn targets(&self) -> &[u32] {
        &self.targets
    }

    /// Every arc's weight (empty storage for `()`).
    pub fn weights(&self) -> &[W] {
        &self.weights
    }

    /// The edges as given (up to order): each directed arc, or each undirected edge once
    /// (`u <= v`), with its weight.
    pub fn edges(&self) -> impl Iterator<Item = (u32, u32, W)> + '_ {
        (0..self.n).flat_map(move |u| {
            let (s, e) = (self.offsets[u as usize], self.offsets[u as usize + 1]);
            (s..e).filter_map(move |i| {
                let v = self.targets[i];
                (self.directed || u <= v).then_some((u, v, self.weights[i]))
            })
        })
    }

    /// Checks a source vertex.
    pub(crate) fn check_source(&self, source: u32) -> Result<()> {
        if source >= self.n {
            Err(Error::new(
                ErrorKind::NodeOutOfRange,
                CHECKS,
                format!("source {source} is not below n = {}", self.n),
            ))
        } else {
            Ok(())
        }
    }

    /// The first negative weight, as an error.
    pub(crate) fn check_non_negative(&self, backend: &'static str) -> Result<()> {
        match self.weights.iter().position(|w| w.is_negative()) {
            None => Ok(()),
            Some(i) => Err(Error::new(
                ErrorKind::NegativeWeight,
                backend,
                format!(
                    "arc {i} has weight {:?}; this algorithm needs weights >= 0",
                    self.weights[i]
                ),
            )),
        }
    }

    /// The in-edges (the graph itself when undirected).
    pub(crate) fn in_edges(&self) -> (&[usize], &[u32]) {
        if !self.directed {
            return (&self.offsets, &self.targets);
        }
        let r = self.reverse.get_or_init(|| {
            let n = self.n as usize;
            let mut offsets = vec![0usize; n + 1];
            for &v in &self.targets {
                offsets[v as usize + 1] += 1;
            }
            for v in 0..n {
                offsets[v + 1] += offsets[v];
            }
            let mut next = offsets.clone();
            let mut sources = vec![0u32; self.targets.len()];
            for u in 0..self.n {
                for &v in self.neighbors(u) {
                    sources[next[v as usize]] = u;
                    next[v as usize] += 1;
                }
            }
            Reverse { offsets, sources }
        });
        (&r.offsets, &r.sources)
    }
}
