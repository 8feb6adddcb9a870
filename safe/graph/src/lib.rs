//! Graphs: a compressed-sparse-row graph ([`Csr`]) built from edge lists or parsed from
//! text ([`EdgeList`]), breadth-first search (top-down, direction-optimising after
//! Beamer et al. 2012, level-synchronous parallel), depth-first search, and
//! single-source shortest paths (Dijkstra with a binary heap and with a radix heap,
//! Δ-stepping, Bellman–Ford), natively and through **igraph** (C), checked against each
//! other in the tests and timed against `petgraph` in the matrix's `graph` rows.
//!
//! Breadth-first search ([`Backend`], [`Traversal`]):
//!
//! | backend | what |
//! |---|---|
//! | [`Backend::DirectionOptimizing`] | top-down while the frontier is small, bottom-up over a frontier bitmap while it is large (α = 15, β = 18) |
//! | [`Backend::ParallelBfs`] | level-synchronous top-down on every core (scoped threads, atomic claims) |
//! | [`Backend::TopDown`] | the textbook FIFO queue |
//! | [`Backend::Igraph`] (feature `igraph`, default) | igraph 0.10's `igraph_bfs` |
//!
//! Shortest paths ([`SsspBackend`], [`PathFinder`]) over `()`, `u32` or `f64` weights
//! ([`EdgeWeight`]):
//!
//! | backend | what | weights |
//! |---|---|---|
//! | [`SsspBackend::Dijkstra`] | std's binary heap, lazy deletion | ≥ 0 |
//! | [`SsspBackend::RadixDijkstra`] | a radix heap over the distances' monotone `u64` keys | ≥ 0 |
//! | [`SsspBackend::DeltaStepping`] | Meyer–Sanders buckets (sequential), Δ = mean weight unless set | ≥ 0 |
//! | [`SsspBackend::BellmanFord`] | rounds over the changed vertices; a negative cycle is an `Err` | any |
//! | [`SsspBackend::Igraph`] (feature `igraph`) | igraph's `igraph_get_shortest_paths_dijkstra` | ≥ 0 |
//!
//! Every result is a tree: distances (`u32::MAX` / `u64::MAX` / `f64::INFINITY` when
//! unreachable) and parents (`u32::MAX` when unreachable, the source its own parent);
//! [`verify`] checks them. Bad input — a vertex id `>= n`, more than [`MAX_NODES`]
//! vertices, a NaN weight, a negative weight where the algorithm needs none, a source
//! out of range, text that is not an edge list — is an [`Error`], never a panic.
//!
//! ```
//! use arsenal_graph::{Backend, Csr, SsspBackend};
//!
//! let g = Csr::from_weighted_edges(4, &[(0, 1, 5u32), (1, 2, 1), (0, 2, 9), (2, 3, 2)], false)?;
//! for backend in Backend::available() {
//!     let tree = backend.traversal(&g)?.bfs(0)?;
//!     assert_eq!(tree.dist, [0, 1, 1, 2]);
//!     arsenal_graph::verify::check_bfs(&g, 0, &tree).unwrap();
//! }
//! for backend in SsspBackend::available() {
//!     let paths = backend.path_finder(&g)?.shortest_paths(0)?;
//!     assert_eq!(paths.dist, [0, 5, 6, 8]);
//!     assert_eq!(paths.parent, [0, 0, 1, 2]);
//! }
//! assert!(Backend::TopDown.traversal(&g)?.bfs(4).is_err()); // no vertex 4
//! # Ok::<(), arsenal_graph::Error>(())
//! ```
//!
//! Library authors depend with `default-features = false` (the native backends are always
//! built) and enable `igraph` when they want it.
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

mod backend;
mod bfs;
mod csr;
pub mod gen;
mod parse;
mod sssp;
pub mod verify;

use arsenal_core::Strategy;

#[cfg(feature = "igraph")]
pub use backend::igraph::IgraphGraph;
pub use csr::{Csr, EdgeWeight, MAX_NODES};
pub use parse::EdgeList;

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A vertex id (edge end or source) is not below the vertex count.
    NodeOutOfRange,
    /// More vertices than [`MAX_NODES`], or more edges than memory sizes allow.
    TooLarge,
    /// A weight is NaN or infinite.
    InvalidWeight,
    /// A weight is negative and the algorithm needs non-negative weights.
    NegativeWeight,
    /// Bellman–Ford found a negative cycle reachable from the source.
    NegativeCycle,
    /// The text is not an edge list (the message names the line).
    Parse,
    /// An algorithm parameter is out of range (a Δ that is not positive).
    Parameter,
    /// The backend is not compiled in, or cannot do this (igraph: integer distances of
    /// 2⁵³ and more).
    Unsupported,
    /// Memory for the graph or the result could not be allocated.
    OutOfMemory,
    /// igraph reported another error (its message and code are in the error).
    Backend,
}

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::NodeOutOfRange => "vertex out of range",
            ErrorKind::TooLarge => "graph too large",
            ErrorKind::InvalidWeight => "invalid weight",
            ErrorKind::NegativeWeight => "negative weight",
            ErrorKind::NegativeCycle => "negative cycle",
            ErrorKind::Parse => "not an edge list",
            ErrorKind::Parameter => "parameter out of range",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::OutOfMemory => "out of memory",
            ErrorKind::Backend => "igraph error",
        }
    }

    fn io_kind(self) -> std::io::ErrorKind {
        match self {
            ErrorKind::Unsupported => std::io::ErrorKind::Unsupported,
            ErrorKind::OutOfMemory => std::io::ErrorKind::OutOfMemory,
            ErrorKind::Parse => std::io::ErrorKind::InvalidData,
            ErrorKind::Backend => std::io::ErrorKind::Other,
            _ => std::io::ErrorKind::InvalidInput,
        }
    }
}

/// An error from `arsenal-graph` (the shared [`arsenal_core::Error`] shape).
pub type Error = arsenal_core::Error<ErrorKind>;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The backend name of the checks made before any backend runs.
pub(crate) const CHECKS: &str = "arsenal-graph";

/// A breadth-first search tree: hop distances and parents, `u32::MAX` for vertices not
/// reached; the source is at 0 and its own parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BfsTree {
    /// Hops from the source.
    pub dist: Vec<u32>,
    /// The vertex each one was reached from.
    pub parent: Vec<u32>,
}

impl BfsTree {
    /// The tree `search` writes into an empty one (`bfs` from `bfs_into`).
    pub(crate) fn searched(search: impl FnOnce(&mut BfsTree) -> Result<()>) -> Result<BfsTree> {
        let mut out = BfsTree {
            dist: Vec::new(),
            parent: Vec::new(),
        };
        search(&mut out)?;
        Ok(out)
    }
}

/// A shortest-path tree: distances (`EdgeWeight::INFINITY` when unreachable) and
/// parents (`u32::MAX` when unreachable; the source is its own parent).
#[derive(Debug, Clone, PartialEq)]
pub struct PathTree<D> {
    /// The distance from the source.
    pub dist: Vec<D>,
    /// The previous vertex on a shortest path.
    pub parent: Vec<u32>,
}

/// A depth-first search: the vertices reached in preorder and the DFS-tree parents
/// (`u32::MAX` when not reached; the source its own parent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DfsOrder {
    /// The vertices in the order they were first visited.
    pub order: Vec<u32>,
    /// The vertex each one was discovered from.
    pub parent: Vec<u32>,
}

/// Iterative depth-first search from `source` in preorder, neighbours in stored order
/// (as a recursive DFS visits them, without its recursion depth).
///
/// # Errors
/// [`ErrorKind::NodeOutOfRange`] for a source `>= n`.
///
/// ```
/// let g = arsenal_graph::Csr::from_edges(4, &[(0, 1), (1, 2), (0, 3)], true)?;
/// assert_eq!(arsenal_graph::dfs(&g, 0)?.order, [0, 1, 2, 3]);
/// # Ok::<(), arsenal_graph::Error>(())
/// ```
pub fn dfs<W: EdgeWeight>(graph: &Csr<W>, source: u32) -> Result<DfsOrder> {
    bfs::dfs(graph, source)
}

arsenal_core::backends! {
    /// The breadth-first search backends this crate knows.
    domain = "graph";
    pub enum Backend {
        /// Native direction-optimising BFS (Beamer, Asanović, Patterson 2012).
        DirectionOptimizing = "direction-optimizing",
        /// Native level-synchronous BFS on every core.
        ParallelBfs = "parallel-bfs",
        /// Native top-down BFS with a FIFO queue.
        TopDown = "top-down",
        /// igraph (C, feature `igraph`): `igraph_bfs`.
        Igraph = "igraph",
    }
}

/// Beamer's α: switch to bottom-up when the frontier's arcs exceed 1/α of the arcs of
/// the unexplored vertices.
pub const ALPHA: usize = 15;
/// Beamer's β: back to top-down when the frontier holds fewer than n/β vertices.
pub const BETA: usize = 18;

impl Backend {
    /// Whether the backend is compiled into this build.
    pub const fn compiled_in(self) -> bool {
        cfg!(feature = "igraph") || !matches!(self, Backend::Igraph)
    }

    /// A BFS engine for `graph` (igraph copies the graph once, here).
    ///
    /// # Errors
    /// [`ErrorKind::Unsupported`] when the backend is not compiled in; igraph's errors.
    pub fn traversal<W: EdgeWeight>(self, graph: &Csr<W>) -> Result<Traversal<'_, W>> {
        Traversal::new(self, graph)
    }
}

impl arsenal_core::Select for Backend {
    /// Direction-optimising, parallel, top-down, then igraph (when compiled in).
    fn available() -> Vec<Backend> {
        Backend::ALL
            .iter()
            .copied()
            .filter(|b| b.compiled_in())
            .collect()
    }

    /// - `Throughput`, `MaximalSpeed`: direction-optimising (`graph/bfs/kron-16`: about
    ///   2× top-down and 25× igraph on the EPYC reference machine: bottom-up skips most
    ///   edge checks on the large middle levels of a small-world graph; no SIMD
    ///   difference between CPUs).
    /// - `Latency`: top-down (`graph/bfs/grid`: on a road-like graph of a thousand small
    ///   levels, bottom-up never pays off and the switch test is overhead).
    /// - `MinimalMemory`: direction-optimising (`graph/memory/bfs-kron-16`: the peak
    ///   resident growth of making the engine and one search, 8.9 bytes per vertex against
    ///   top-down's 10.9, parallel's 16 and igraph's 1.3 KiB (its copy of the graph) on
    ///   the EPYC reference machine: its bottom-up levels leave most of the queue's
    ///   pages untouched).
    /// - `Balanced`: the first available (direction-optimising).
    fn for_strategy(strategy: Strategy) -> Backend {
        match strategy {
            Strategy::Latency => arsenal_core::prefer(&[Backend::TopDown]),
            Strategy::Balanced => Backend::available()[0],
            _ => arsenal_core::prefer(&[Backend::DirectionOptimizing]),
        }
    }

    fn evidence(strategy: Strategy) -> Option<&'static str> {
        match strategy {
            Strategy::Balanced => None,
            Strategy::Throughput | Strategy::MaximalSpeed => Some("graph/bfs/kron-16"),
            Strategy::MinimalMemory => Some("graph/memory/bfs-kron-16"),
            Strategy::Latency => Some("graph/bfs/grid"),
        }
    }
}

/// A BFS engine bound to one graph: [`Backend::traversal`]. Reusable for any number of
/// sources; `Send + Sync` (igraph calls are serialised by a process-wide lock).
#[derive(Debug)]
pub struct Traversal<'g, W: EdgeWeight> {
    graph: &'g Csr<W>,
    backend: Backend,
    threads: usize,
    scratch: std::sync::Mutex<bfs::Scratch>,
    #[cfg(feature = "igraph")]
    igraph: Option<IgraphGraph>,
}

impl<'g, W: EdgeWeight> Traversal<'g, W> {
    /// The engine of `backend` over `graph`.
    ///
    /// # Errors
    /// As [`Backend::traversal`].
    pub fn new(backend: Backend, graph: &'g Csr<W>) -> Result<Traversal<'g, W>> {
        if !backend.compiled_in() {
            return Err(unavailable(backend.name()));
        }
        Ok(Traversal {
            graph,
            backend,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            scratch: std::sync::Mutex::default(),
            #[cfg(feature = "igraph")]
            igraph: if backend == Backend::Igraph {
                Some(IgraphGraph::new(graph)?)
            } else {
                None
            },
        })
    }

    /// The number of threads of [`Backend::ParallelBfs`] (default: every core), clamped
    /// to `1..=256`.
    #[must_use]
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads.clamp(1, 256);
        self
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// BFS from `source`.
    ///
    /// # Errors
    /// [`ErrorKind::NodeOutOfRange`] for a source `>= n`, [`ErrorKind::OutOfMemory`].
    pub fn bfs(&self, source: u32) -> Result<BfsTree> {
        BfsTree::searched(|out| self.bfs_into(source, out))
    }

    /// BFS from `source` into `out`, reusing its allocations (and the engine's queues
    /// and bitmaps): what a loop over many sources should call.
    ///
    /// # Errors
    /// As [`Traversal::bfs`]; `out` is unspecified after an error.
    pub fn bfs_into(&self, source: u32, out: &mut BfsTree) -> Result<()> {
        // A panic cannot leave the buffers unusable (they are reset on every search).
        let mut scratch = self.scratch.lock().unwrap_or_else(|e| e.into_inner());
        let scratch = &mut *scratch;
        match self.backend {
            Backend::TopDown => bfs::top_down(self.graph, source, out, scratch),
            Backend::DirectionOptimizing => {
                bfs::direction_optimizing(self.graph, source, ALPHA, BETA, out, scratch)
            }
            Backend::ParallelBfs => bfs::parallel(self.graph, source, self.threads, out, scratch),
            Backend::Igraph => {
                #[cfg(feature = "igraph")]
                if let Some(ig) = &self.igraph {
                    return ig.bfs_into(source, out);
                }
                Err(unavailable("igraph"))
            }
        }
    }
}

fn unavailable(name: &'static str) -> Error {
    Error::new(
        ErrorKind::Unsupported,
        name,
        "backend not compiled in (its cargo feature is off)",
    )
}

arsenal_core::backends! {
    /// The single-source shortest-path backends this crate knows.
    domain = "graph";
    pub enum SsspBackend {
        /// Native Dijkstra with a radix heap.
        RadixDijkstra = "radix-dijkstra",
        /// Native Dijkstra with std's binary heap.
        Dijkstra = "dijkstra",
        /// Native sequential Δ-stepping.
        DeltaStepping = "delta-stepping",
        /// Native Bellman–Ford (negative weights; negative cycles are an error).
        BellmanFord = "bellman-ford",
        /// igraph (C, feature `igraph`): `igraph_get_shortest_paths_dijkstra`.
        Igraph = "igraph",
    }
}

impl SsspBackend {
    /// Whether the backend is compiled into this build.
    pub const fn compiled_in(self) -> bool {
        cfg!(feature = "igraph") || !matches!(self, SsspBackend::Igraph)
    }

    /// Whether the backend accepts negative weights (only Bellman–Ford).
    pub const fn allows_negative(self) -> bool {
        matches!(self, SsspBackend::BellmanFord)
    }

    /// A shortest-path engine for `graph`; checks the weights once, here.
    ///
    /// # Errors
    /// [`ErrorKind::NegativeWeight`] when a weight is negative and the backend needs
    /// non-negative weights; [`ErrorKind::Unsupported`] when the backend is not compiled
    /// in; igraph's errors.
    pub fn path_finder<W: EdgeWeight>(self, graph: &Csr<W>) -> Result<PathFinder<'_, W>> {
        PathFinder::new(self, graph)
    }
}

impl arsenal_core::Select for SsspBackend {
    /// Radix-heap Dijkstra, binary-heap Dijkstra, Δ-stepping, Bellman–Ford, igraph.
    fn available() -> Vec<SsspBackend> {
        SsspBackend::ALL
            .iter()
            .copied()
            .filter(|b| b.compiled_in())
            .collect()
    }

    /// - `Throughput`, `MaximalSpeed`: radix-heap Dijkstra (`graph/sssp/kron-16-u32`:
    ///   about 2.3× binary-heap Dijkstra and 8× igraph on the EPYC reference machine).
    /// - `Latency`: radix-heap Dijkstra (`graph/sssp/grid-u32`: the fastest there too).
    /// - `MinimalMemory`: Δ-stepping (`graph/memory/sssp-kron-16-u32`: 30 bytes per
    ///   vertex against 65–68 for the two Dijkstras, whose heaps keep stale entries, and
    ///   1.6 KiB for igraph; Bellman–Ford measured less, 20, but is O(n·m) in the worst
    ///   case, so it is not picked).
    /// - `Balanced`: the first available (radix-heap Dijkstra).
    fn for_strategy(strategy: Strategy) -> SsspBackend {
        match strategy {
            Strategy::MinimalMemory => arsenal_core::prefer(&[SsspBackend::DeltaStepping]),
            Strategy::Balanced => SsspBackend::available()[0],
            _ => arsenal_core::prefer(&[SsspBackend::RadixDijkstra]),
        }
    }

    fn evidence(strategy: Strategy) -> Option<&'static str> {
        match strategy {
            Strategy::Balanced => None,
            Strategy::Latency => Some("graph/sssp/grid-u32"),
            Strategy::MinimalMemory => Some("graph/memory/sssp-kron-16-u32"),
            _ => Some("graph/sssp/kron-16-u32"),
        }
    }
}

/// A shortest-path engine bound to one graph: [`SsspBackend::path_finder`]. Reusable for
/// any number of sources.
#[derive(Debug)]
pub struct PathFinder<'g, W: EdgeWeight> {
    graph: &'g Csr<W>,
    backend: SsspBackend,
    delta: f64,
    #[cfg(feature = "igraph")]
    igraph: Option<IgraphGraph>,
}

impl<'g, W: EdgeWeight> PathFinder<'g, W> {
    /// The engine of `backend` over `graph`.
    ///
    /// # Errors
    /// As [`SsspBackend::path_finder`].
    pub fn new(backend: SsspBackend, graph: &'g Csr<W>) -> Result<PathFinder<'g, W>> {
        if !backend.compiled_in() {
            return Err(unavailable(backend.name()));
        }
        if !backend.allows_negative() {
            graph.check_non_negative(backend.name())?;
        }
        let arcs = graph.arc_count();
        let mean = if W::UNWEIGHTED || arcs == 0 {
            1.0
        } else {
            graph.weights().iter().map(|w| w.to_f64()).sum::<f64>() / arcs as f64
        };
        Ok(PathFinder {
            graph,
            backend,
            delta: if mean > 0.0 && mean.is_finite() {
                mean
            } else {
                1.0
            },
            #[cfg(feature = "igraph")]
            igraph: if backend == SsspBackend::Igraph {
                Some(IgraphGraph::new(graph)?)
            } else {
                None
            },
        })
    }

    /// Δ for [`SsspBackend::DeltaStepping`] (default: the mean arc weight, 1 when
    /// unweighted or all weights are 0).
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] unless `delta` is positive and finite.
    pub fn with_delta(mut self, delta: f64) -> Result<Self> {
        if !(delta > 0.0 && delta.is_finite()) {
            return Err(Error::new(
                ErrorKind::Parameter,
                "delta-stepping",
                format!("delta {delta} is not positive and finite"),
            ));
        }
        self.delta = delta;
        Ok(self)
    }

    /// The Δ in use.
    pub fn delta(&self) -> f64 {
        self.delta
    }

    /// Which backend this is.
    pub fn backend(&self) -> SsspBackend {
        self.backend
    }

    /// Shortest paths from `source`.
    ///
    /// # Errors
    /// [`ErrorKind::NodeOutOfRange`] for a source `>= n`; [`ErrorKind::NegativeCycle`]
    /// (Bellman–Ford); [`ErrorKind::Parameter`] (Δ-stepping with a Δ below 2⁻²⁴ of the
    /// largest weight); igraph's errors; [`ErrorKind::OutOfMemory`].
    pub fn shortest_paths(&self, source: u32) -> Result<PathTree<W::Dist>> {
        match self.backend {
            SsspBackend::Dijkstra => sssp::dijkstra(self.graph, source),
            SsspBackend::RadixDijkstra => sssp::radix_dijkstra(self.graph, source),
            SsspBackend::DeltaStepping => sssp::delta_stepping(self.graph, source, self.delta),
            SsspBackend::BellmanFord => sssp::bellman_ford(self.graph, source),
            SsspBackend::Igraph => {
                #[cfg(feature = "igraph")]
                if let Some(ig) = &self.igraph {
                    return ig.shortest_paths::<W>(source);
                }
                Err(unavailable("igraph"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
        arsenal_core::select::check_shape::<SsspBackend>();
    }

    #[test]
    fn every_available_backend_does_real_work() {
        let edges = gen::kronecker(8, 8, 3);
        let g = Csr::from_edges(256, &edges, false).unwrap();
        let want = Backend::TopDown
            .traversal(&g)
            .unwrap()
            .bfs(edges[0].0)
            .unwrap()
            .dist;
        for b in Backend::available() {
            let t = b.traversal(&g).unwrap();
            assert_eq!(t.backend(), b);
            let tree = t.bfs(edges[0].0).unwrap();
            verify::check_bfs(&g, edges[0].0, &tree).unwrap();
            assert_eq!(tree.dist, want, "{b}");
        }
        let w = Csr::from_weighted_edges(256, &gen::weights(&edges, 100, 4), false).unwrap();
        let want = SsspBackend::Dijkstra
            .path_finder(&w)
            .unwrap()
            .shortest_paths(1)
            .unwrap()
            .dist;
        for b in SsspBackend::available() {
            let p = b.path_finder(&w).unwrap();
            assert_eq!(p.backend(), b);
            let tree = p.shortest_paths(1).unwrap();
            verify::check_paths(&w, 1, &tree).unwrap();
            assert_eq!(tree.dist, want, "{b}");
        }
    }
}
