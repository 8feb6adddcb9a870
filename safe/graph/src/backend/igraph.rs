//! igraph (C) through `arsenal-igraph-sys`.

use std::any::TypeId;
use std::ffi::CStr;
use std::ptr::NonNull;
use std::sync::Mutex;

use arsenal_igraph_sys as sys;

use crate::csr::{try_filled, Csr, EdgeWeight};
use crate::{BfsTree, Error, ErrorKind, PathTree, Result};

const NAME: &str = "igraph";

/// Debian's igraph is built with `IGRAPH_THREAD_SAFE 0`: its error and clean-up stack is
/// one process-global, so every call into igraph, on any graph, holds this lock.
static IGRAPH: Mutex<()> = Mutex::new(());

fn lock() -> std::sync::MutexGuard<'static, ()> {
    // A panic while holding the lock cannot leave igraph inconsistent (no Rust code runs
    // inside an igraph call), so a poisoned lock is still usable.
    IGRAPH.lock().unwrap_or_else(|e| e.into_inner())
}

#[cold]
fn igraph_error(code: i32, what: &str) -> Error {
    // SAFETY: igraph_strerror returns a static NUL-terminated string for every code.
    let text = unsafe { CStr::from_ptr(sys::igraph_strerror(code)) }.to_string_lossy();
    let kind = match code {
        sys::IGRAPH_ENOMEM => ErrorKind::OutOfMemory,
        sys::IGRAPH_EINVVID => ErrorKind::NodeOutOfRange,
        _ => ErrorKind::Backend,
    };
    Error::new(kind, NAME, format!("{what}: {text}")).with_code(i64::from(code))
}

/// A graph copied into igraph (an `igraph_t` and its weights as `f64`, owned by the
/// shim), for igraph's BFS and Dijkstra.
///
/// ```
/// use arsenal_graph::{Csr, IgraphGraph};
/// let g = Csr::from_weighted_edges(3, &[(0, 1, 2u32), (1, 2, 3)], false)?;
/// let ig = IgraphGraph::new(&g)?;
/// assert_eq!(ig.bfs(0)?.dist, [0, 1, 2]);
/// assert_eq!(ig.shortest_paths::<u32>(2)?.dist, [5, 3, 0]);
/// # Ok::<(), arsenal_graph::Error>(())
/// ```
#[derive(Debug)]
pub struct IgraphGraph {
    graph: NonNull<sys::arsenal_igraph>,
    nodes: usize,
    negative: bool,
    weight_type: TypeId,
}

// SAFETY: the shim's graph is plain heap memory with no thread affinity; every call into
// igraph (reads included) holds the process-wide `IGRAPH` lock, which is what igraph's
// non-thread-safe build requires.
unsafe impl Send for IgraphGraph {}
// SAFETY: as above: shared references only run igraph calls under the lock.
unsafe impl Sync for IgraphGraph {}

impl IgraphGraph {
    /// Copies `graph` (its edges, and its weights as `f64` unless `W` is `()`).
    ///
    /// # Errors
    /// [`ErrorKind::TooLarge`] when the edge count does not fit igraph's 64-bit
    /// integers, igraph's own errors (out of memory) otherwise.
    pub fn new<W: EdgeWeight>(graph: &Csr<W>) -> Result<IgraphGraph> {
        let m = graph.edge_count();
        let mut ends: Vec<u32> = Vec::new();
        ends.try_reserve_exact(
            m.checked_mul(2)
                .ok_or_else(|| Error::new(ErrorKind::TooLarge, NAME, "edge count"))?,
        )
        .map_err(|_| Error::new(ErrorKind::OutOfMemory, NAME, "edge list"))?;
        let mut weights: Vec<f64> = Vec::new();
        let mut negative = false;
        for (u, v, w) in graph.edges() {
            ends.push(u);
            ends.push(v);
            if !W::UNWEIGHTED {
                weights.push(w.to_f64());
                negative |= w.is_negative();
            }
        }
        let mut out = std::ptr::null_mut();
        let code = {
            let _guard = lock();
            // SAFETY: `ends` holds 2m ids below n (a valid Csr), `weights` m doubles or
            // is unused (null); `out` is a valid out-pointer.
            unsafe {
                sys::arsenal_igraph_new(
                    ends.as_ptr(),
                    m,
                    graph.node_count() as i64,
                    i32::from(graph.is_directed()),
                    if W::UNWEIGHTED {
                        std::ptr::null()
                    } else {
                        weights.as_ptr()
                    },
                    &mut out,
                )
            }
        };
        if code != sys::IGRAPH_SUCCESS {
            return Err(igraph_error(code, "igraph_create"));
        }
        let graph_ptr = NonNull::new(out)
            .ok_or_else(|| Error::new(ErrorKind::Backend, NAME, "igraph_create gave no graph"))?;
        Ok(IgraphGraph {
            graph: graph_ptr,
            nodes: graph.node_count(),
            negative,
            weight_type: TypeId::of::<W>(),
        })
    }

    /// The number of vertices.
    pub fn node_count(&self) -> usize {
        self.nodes
    }

    fn check_source(&self, source: u32) -> Result<()> {
        if source as usize >= self.nodes {
            Err(Error::new(
                ErrorKind::NodeOutOfRange,
                NAME,
                format!("source {source} is not below n = {}", self.nodes),
            ))
        } else {
            Ok(())
        }
    }

    /// igraph's BFS (`igraph_bfs`) from `source` along out-edges.
    ///
    /// # Errors
    /// [`ErrorKind::NodeOutOfRange`] for a source `>= n`; igraph's errors.
    pub fn bfs(&self, source: u32) -> Result<BfsTree> {
        BfsTree::searched(|out| self.bfs_into(source, out))
    }

    /// [`IgraphGraph::bfs`] into `out`, reusing its allocations.
    ///
    /// # Errors
    /// As [`IgraphGraph::bfs`].
    pub fn bfs_into(&self, source: u32, out: &mut BfsTree) -> Result<()> {
        self.check_source(source)?;
        // `reset` fails only to allocate.
        crate::bfs::reset(out, self.nodes)
            .map_err(|_| Error::new(ErrorKind::OutOfMemory, NAME, "BFS arrays"))?;
        let code = {
            let _guard = lock();
            // SAFETY: a live graph of `nodes` vertices and two arrays of that length.
            unsafe {
                sys::arsenal_igraph_bfs(
                    self.graph.as_ptr(),
                    i64::from(source),
                    out.dist.as_mut_ptr(),
                    out.parent.as_mut_ptr(),
                )
            }
        };
        if code != sys::IGRAPH_SUCCESS {
            return Err(igraph_error(code, "igraph_bfs"));
        }
        Ok(())
    }

    /// igraph's Dijkstra (`igraph_get_shortest_paths_dijkstra`) from `source`, with the
    /// distances in `W`'s distance type (the graph must have been built from a
    /// `Csr<W>` of the same weight type).
    ///
    /// # Errors
    /// [`ErrorKind::NegativeWeight`] when a weight is negative,
    /// [`ErrorKind::Unsupported`] when `W` differs from the weights the graph was built
    /// with, or an integer distance reaches 2⁵³ (igraph sums in `f64`),
    /// [`ErrorKind::NodeOutOfRange`] for a source `>= n`; igraph's errors.
    pub fn shortest_paths<W: EdgeWeight>(&self, source: u32) -> Result<PathTree<W::Dist>> {
        self.check_source(source)?;
        if TypeId::of::<W>() != self.weight_type {
            return Err(Error::new(
                ErrorKind::Unsupported,
                NAME,
                "the weight type differs from the graph's",
            ));
        }
        if self.negative {
            return Err(Error::new(
                ErrorKind::NegativeWeight,
                NAME,
                "Dijkstra needs weights >= 0",
            ));
        }
        let mut dist = try_filled(self.nodes, 0f64)?;
        let mut parent = try_filled(self.nodes, u32::MAX)?;
        let code = {
            let _guard = lock();
            // SAFETY: a live graph of `nodes` vertices and two arrays of that length.
            unsafe {
                sys::arsenal_igraph_dijkstra(
                    self.graph.as_ptr(),
                    i64::from(source),
                    dist.as_mut_ptr(),
                    parent.as_mut_ptr(),
                )
            }
        };
        if code != sys::IGRAPH_SUCCESS {
            return Err(igraph_error(code, "igraph_get_shortest_paths_dijkstra"));
        }
        let dist = dist
            .into_iter()
            .map(W::dist_from_f64)
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Unsupported,
                    NAME,
                    "a distance reaches 2^53 (igraph sums in f64)",
                )
            })?;
        Ok(PathTree { dist, parent })
    }
}

impl Drop for IgraphGraph {
    fn drop(&mut self) {
        let _guard = lock();
        // SAFETY: the pointer came from arsenal_igraph_new and is freed once.
        unsafe { sys::arsenal_igraph_free(self.graph.as_ptr()) };
    }
}
