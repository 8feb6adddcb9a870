//! Raw FFI to [igraph](https://igraph.org) 0.10 (Debian's `libigraph-dev`), through our
//! C shim `shim/arsenal_igraph.c`; no logic.
//!
//! The shim owns igraph's objects (`igraph_t`, `igraph_vector_int_t`, `igraph_vector_t`)
//! on the C side, so Rust depends on no igraph struct layout, no `VECTOR` macro and no
//! struct returned by value: [`arsenal_igraph`] is opaque and every entry point takes
//! plain arrays.
//!
//! # Facts the safe layer relies on
//!
//! - Every shim entry point installs igraph's `igraph_error_handler_ignore` and
//!   `igraph_warning_handler_ignore` before calling igraph: igraph's default error
//!   handler **aborts the process**. The ignore handler frees igraph's temporary
//!   allocations and the call returns the error code ([`igraph_strerror`] describes it).
//! - Debian's build has `IGRAPH_THREAD_SAFE 0`: the error and clean-up stack is one
//!   process-global, so **no two calls into igraph may run at the same time**, on any
//!   object. The safe crate holds one process-wide lock around every call.
//! - Vertex ids are `u32` here (`igraph_integer_t` is 64-bit in 0.10); unreachable
//!   vertices get `u32::MAX` as distance and parent (`INFINITY` for Dijkstra), the root
//!   is its own parent.
//! - [`arsenal_igraph_dijkstra`] is igraph's `igraph_get_shortest_paths_dijkstra` (the
//!   shortest-path tree as parents and inbound edges); the shim sums the distances along
//!   that tree (one O(n) pass). Negative or NaN weights make igraph return an error.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int};

/// The shim's graph: an `igraph_t` plus optional edge weights (opaque, heap-allocated by
/// [`arsenal_igraph_new`], freed by [`arsenal_igraph_free`]).
#[repr(C)]
#[derive(Debug)]
pub struct arsenal_igraph {
    _private: [u8; 0],
    _not_send_sync: core::marker::PhantomData<*mut u8>,
}

/// `IGRAPH_SUCCESS`.
pub const IGRAPH_SUCCESS: c_int = 0;
/// `IGRAPH_ENOMEM`: out of memory.
pub const IGRAPH_ENOMEM: c_int = 2;
/// `IGRAPH_EINVAL`: invalid value.
pub const IGRAPH_EINVAL: c_int = 4;
/// `IGRAPH_EINVVID`: invalid vertex id.
pub const IGRAPH_EINVVID: c_int = 7;

extern "C" {
    /// Builds a graph of `n` vertices from `m` edges (`edges[2i]`, `edges[2i + 1]`),
    /// directed when `directed != 0`, with one weight per edge when `weights` is not
    /// null. On success returns `IGRAPH_SUCCESS` and stores the graph in `*out`; on
    /// failure an igraph error code and `*out` is null. An edge end `>= n` gives
    /// `IGRAPH_EINVVID` (the shim checks it: igraph itself would add vertices).
    pub fn arsenal_igraph_new(
        edges: *const u32,
        m: usize,
        n: i64,
        directed: c_int,
        weights: *const f64,
        out: *mut *mut arsenal_igraph,
    ) -> c_int;
    /// Frees a graph from [`arsenal_igraph_new`] (null is ignored).
    pub fn arsenal_igraph_free(graph: *mut arsenal_igraph);
    /// The number of vertices.
    pub fn arsenal_igraph_vcount(graph: *const arsenal_igraph) -> i64;
    /// The number of edges.
    pub fn arsenal_igraph_ecount(graph: *const arsenal_igraph) -> i64;
    /// igraph's `igraph_bfs` from `root` along out-edges: writes `vcount` hop distances
    /// and BFS-tree parents (`u32::MAX` when unreachable; the root is its own parent).
    pub fn arsenal_igraph_bfs(
        graph: *const arsenal_igraph,
        root: i64,
        dist: *mut u32,
        parent: *mut u32,
    ) -> c_int;
    /// igraph's Dijkstra from `root` over the graph's weights (hop counts when it has
    /// none): writes `vcount` distances (`INFINITY` when unreachable) and parents
    /// (`u32::MAX` when unreachable; the root is its own parent).
    pub fn arsenal_igraph_dijkstra(
        graph: *const arsenal_igraph,
        root: i64,
        dist: *mut f64,
        parent: *mut u32,
    ) -> c_int;
    /// igraph's description of an error code (a static NUL-terminated string).
    pub fn igraph_strerror(code: c_int) -> *const c_char;
    /// igraph's version string and numbers (any pointer may be null).
    pub fn igraph_version(
        version_string: *mut *const c_char,
        major: *mut c_int,
        minor: *mut c_int,
        subminor: *mut c_int,
    );
}
