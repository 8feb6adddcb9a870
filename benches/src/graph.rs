//! Graph rows of the matrix: `graph/bfs/<dataset>/<impl>` and
//! `graph/sssp/<dataset>/<impl>`, in traversed edges per second (TEPS, Graph500's
//! measure: the input edges with both ends reached, counted once per search).
//!
//! | op | datasets | one iteration | items | verified |
//! |---|---|---|---|---|
//! | `bfs` | `kron-16` (Graph500 Kronecker, scale 16, edge factor 16, undirected: 65 536 vertices, 2²⁰ edges), `kron-20` (scale 20, 2²⁴ edges, with `--large`), `grid` (a 512 × 512 road-like grid) | BFS from a fixed set of sources (8 of Graph500's 64 random sources with degree > 0 on `kron-16`, 4 on `kron-20` and the grid) | TEPS | the checksum (Σ over the searches of Σ distances and the reached count) equals the native top-down BFS's, computed once; after the first iteration every tree is checked by `arsenal_graph::verify::check_bfs` (each parent an in-neighbour one level up) |
//! | `sssp` | `kron-16-u32` (scale 16 with weights 1–255), `grid-u32` (512 × 512, weights 1–100) | shortest paths from 2 fixed sources | TEPS | Σ distances + reached count equals binary-heap Dijkstra's; every tree checked by `verify::check_paths` |
//!
//! Impls: `arsenal:igraph` ([`arsenal_graph::Traversal`] / [`arsenal_graph::PathFinder`]
//! with igraph: `igraph_bfs`, `igraph_get_shortest_paths_dijkstra`), `raw:igraph` (the
//! shim of `arsenal-igraph-sys` called directly, outputs in reused buffers), the native
//! `arsenal:top-down`, `arsenal:direction-optimizing`, `arsenal:parallel-bfs` (every
//! core), `arsenal:dijkstra`, `arsenal:radix-dijkstra`, `arsenal:delta-stepping`,
//! `arsenal:bellman-ford`; `peer:petgraph` (its `Bfs` walker with a reused visit map,
//! and `algo::dijkstra`, both on `petgraph::csr::Csr`, its fastest read-only graph). The
//! petgraph BFS walker reports no distances: its cell is verified by the reached count
//! and the sum of the reached ids against the reference tree. Graphs are built outside
//! the timing (igraph's copy included).

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

use arsenal_graph::verify::{check_bfs, check_paths};
use arsenal_graph::{gen, Backend, BfsTree, Csr, EdgeWeight, PathTree, SsspBackend};
use arsenal_igraph_sys as sys;
use petgraph::visit::{Bfs, VisitMap};

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::peak_resident;
use crate::harness::{Case, Registry};
use crate::report::{MemoryRow, Unit};
use crate::strategy::pick;

const NAME: &str = "graph";

/// The graph domain.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Graphs (BFS and shortest paths, TEPS)",
    register,
    unit: |_op| Some(Unit::ItemsPerSecond),
    memory: Memory::After(memory_rows),
    select: Some(Selection {
        krate: "arsenal-graph",
        pick: pick::<arsenal_graph::Backend>,
    }),
    ..Domain::EMPTY
};

const NONE: u32 = u32::MAX;

fn register(reg: &mut Registry, _data: Option<&Path>) {
    let mut kron = vec![("kron-16", 16u32, 8usize)];
    if crate::harness::large() {
        kron.push(("kron-20", 20, 4));
    }
    for (dataset, scale, searches) in kron {
        let edges = gen::kronecker(scale, 16, u64::from(scale));
        let g = Csr::from_edges(1 << scale, &edges, false).expect("kronecker graph");
        let sources = gen::bfs_sources(&g, 64, 64);
        bfs_cells(reg, dataset, Rc::new(g), sources[..searches].to_vec());
    }
    let grid =
        Csr::from_weighted_edges(512 * 512, &gen::grid(512, 512, 100, 5), false).expect("grid");
    let sources = gen::bfs_sources(&grid, 64, 64);
    let grid = Rc::new(grid);
    bfs_cells(reg, "grid", Rc::clone(&grid), sources[..4].to_vec());
    sssp_cells(reg, "grid-u32", grid, sources[..2].to_vec());
    let edges = gen::kronecker(16, 16, 16);
    let g = Csr::from_weighted_edges(1 << 16, &gen::weights(&edges, 255, 17), false)
        .expect("weighted kronecker graph");
    let sources = gen::bfs_sources(&g, 64, 64);
    sssp_cells(reg, "kron-16-u32", Rc::new(g), sources[..2].to_vec());
}

/// Input edges with both ends reached (each undirected edge once), over the searches.
fn traversed<W: EdgeWeight>(g: &Csr<W>, reached: &[bool]) -> u64 {
    g.edges()
        .filter(|&(u, v, _)| reached[u as usize] && reached[v as usize])
        .count() as u64
}

fn bfs_sum(t: &BfsTree) -> u64 {
    t.dist
        .iter()
        .filter(|&&d| d != NONE)
        .map(|&d| u64::from(d) + 1)
        .sum()
}

/// One search's petgraph checksum: the reached count and the sum of the reached ids.
fn reach_sum(dist: &[u32]) -> u64 {
    dist.iter()
        .enumerate()
        .filter(|(_, &d)| d != NONE)
        .map(|(v, _)| v as u64 + (1 << 32))
        .sum()
}

/// The names and expectations of one search cell.
struct TreeCell<'a> {
    op: &'static str,
    dataset: &'a str,
    imp: &'a str,
    items: u64,
    /// The checksum of the reference searches (computed once, outside timing).
    expect: u64,
}

impl TreeCell<'_> {
    /// Registers the cell: the timed `search` runs from every source into the kept trees
    /// and returns their checksum, which must equal `expect`; after timing, every kept
    /// tree is checked against the graph by `check` (`check_bfs`, `check_paths`).
    fn add<W: EdgeWeight, T: 'static>(
        self,
        reg: &mut Registry,
        g: &Rc<Csr<W>>,
        sources: &Rc<Vec<u32>>,
        trees: Vec<T>,
        mut search: impl FnMut(&[u32], &mut Vec<T>) -> u64 + 'static,
        check: fn(&Csr<W>, u32, &T) -> Result<(), String>,
    ) {
        let trees = Rc::new(RefCell::new(trees));
        let (out, s, gg, ss) = (
            Rc::clone(&trees),
            Rc::clone(sources),
            Rc::clone(g),
            Rc::clone(sources),
        );
        let case = Case::new(
            NAME,
            self.op,
            self.dataset,
            self.imp,
            0,
            self.items,
            move || search(&s, &mut out.borrow_mut()),
        );
        reg.add(case.expect(self.expect).verify(move || {
            for (t, &src) in trees.borrow().iter().zip(ss.iter()) {
                check(&gg, src, t).map_err(|e| format!("from {src}: {e}"))?;
            }
            Ok(())
        }));
    }
}

/// One impl's search from a source into a reused tree.
type BfsFn = Box<dyn FnMut(u32, &mut BfsTree)>;

/// One impl's shortest paths from a source.
type SsspFn = Box<dyn FnMut(u32) -> PathTree<u64>>;

fn petgraph_csr<W: EdgeWeight>(g: &Csr<W>) -> petgraph::csr::Csr<(), W> {
    // Every arc as a directed edge, sorted. petgraph's CSR holds no parallel edges:
    // duplicates are dropped, keeping the lightest (reachability and distances are the
    // same; petgraph scans fewer arcs than the other impls).
    let mut arcs: Vec<(u32, u32, W)> = (0..g.node_count() as u32)
        .flat_map(|u| {
            g.neighbors(u)
                .iter()
                .zip(g.neighbor_weights(u))
                .map(move |(&v, &w)| (u, v, w))
        })
        .collect();
    arcs.sort_by(|a, b| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then(a.2.to_f64().total_cmp(&b.2.to_f64()))
    });
    arcs.dedup_by_key(|a| (a.0, a.1));
    let mut p = petgraph::csr::Csr::from_sorted_edges(&arcs).expect("sorted arcs");
    while p.node_count() < g.node_count() {
        p.add_node(());
    }
    p
}

fn bfs_cells<W: EdgeWeight>(reg: &mut Registry, dataset: &str, g: Rc<Csr<W>>, sources: Vec<u32>) {
    let reference: Vec<BfsTree> = sources
        .iter()
        .map(|&s| {
            Backend::TopDown
                .traversal(&*g)
                .and_then(|t| t.bfs(s))
                .expect("bfs")
        })
        .collect();
    let expect: u64 = reference.iter().map(bfs_sum).sum();
    let items: u64 = reference
        .iter()
        .map(|t| traversed(&g, &t.dist.iter().map(|&d| d != NONE).collect::<Vec<_>>()))
        .sum();
    let sources = Rc::new(sources);
    let mut cell = |imp: &str, run: Result<BfsFn, String>| {
        let mut run = match run {
            Ok(run) => run,
            Err(e) => return reg.add(Case::failed(NAME, "bfs", dataset, imp, e)),
        };
        // One reused output tree per source, as a loop over sources would keep them.
        let empty = || BfsTree {
            dist: Vec::new(),
            parent: Vec::new(),
        };
        let trees = (0..sources.len()).map(|_| empty()).collect();
        let search = move |s: &[u32], kept: &mut Vec<BfsTree>| {
            let mut sum = 0;
            for (&src, t) in s.iter().zip(kept.iter_mut()) {
                run(src, t);
                sum += bfs_sum(t);
            }
            sum
        };
        let cell = TreeCell {
            op: "bfs",
            dataset,
            imp,
            items,
            expect,
        };
        cell.add(reg, &g, &sources, trees, search, check_bfs::<W>);
    };
    for (imp, backend) in [
        ("arsenal:igraph", Backend::Igraph),
        ("arsenal:top-down", Backend::TopDown),
        ("arsenal:direction-optimizing", Backend::DirectionOptimizing),
        ("arsenal:parallel-bfs", Backend::ParallelBfs),
    ] {
        // The engine borrows the graph: leak one Rc clone so it lives as long as the cell.
        let graph: &'static Csr<W> = Box::leak(Box::new(Rc::clone(&g)));
        match backend.traversal(graph) {
            Ok(t) => cell(
                imp,
                Ok(Box::new(move |s, out| t.bfs_into(s, out).expect("bfs"))),
            ),
            Err(e) => cell(imp, Err(e.to_string())),
        }
    }
    match RawIgraph::new(&g) {
        Ok(raw) => {
            let n = g.node_count();
            cell(
                "raw:igraph",
                Ok(Box::new(move |s, t: &mut BfsTree| {
                    t.dist.resize(n, 0);
                    t.parent.resize(n, 0);
                    // SAFETY: a live shim graph of n vertices, two arrays of n, s < n.
                    let rc = unsafe {
                        sys::arsenal_igraph_bfs(
                            raw.ptr(),
                            i64::from(s),
                            t.dist.as_mut_ptr(),
                            t.parent.as_mut_ptr(),
                        )
                    };
                    assert_eq!(rc, sys::IGRAPH_SUCCESS);
                })),
            );
        }
        Err(e) => cell("raw:igraph", Err(e)),
    }
    // petgraph: its Bfs walker over its CSR, the visit map reused between searches.
    let p = petgraph_csr(&g);
    let mut bfs = Bfs::new(&p, 0);
    let want: u64 = reference.iter().map(|t| reach_sum(&t.dist)).sum();
    let s = Rc::clone(&sources);
    reg.add(
        Case::new(NAME, "bfs", dataset, "peer:petgraph", 0, items, move || {
            let mut sum = 0;
            for &src in s.iter() {
                bfs.stack.clear();
                bfs.discovered.clear();
                bfs.discovered.visit(src);
                bfs.stack.push_back(src);
                while let Some(v) = bfs.next(&p) {
                    sum += u64::from(v) + (1 << 32);
                }
            }
            sum
        })
        .expect(want),
    );
}

/// A graph built through the shim directly, freed on drop. Its calls skip
/// `arsenal-graph`'s process-wide igraph lock (igraph here is not thread-safe): they
/// are sound because the benchmark builds and runs its cells one at a time on one
/// thread (the cells hold `Rc`s, so none can move to another thread).
struct RawIgraph(*mut sys::arsenal_igraph);

impl RawIgraph {
    /// The shim's graph (a method, so that closures capture the whole owner).
    fn ptr(&self) -> *const sys::arsenal_igraph {
        self.0
    }
}

impl RawIgraph {
    fn new<W: EdgeWeight>(g: &Csr<W>) -> Result<RawIgraph, String> {
        let mut ends = Vec::with_capacity(2 * g.edge_count());
        let mut weights = Vec::with_capacity(g.edge_count());
        for (u, v, w) in g.edges() {
            ends.extend([u, v]);
            weights.push(w.to_f64());
        }
        let mut out = std::ptr::null_mut();
        // SAFETY: 2m ids below n, m weights (or null), a valid out-pointer.
        let rc = unsafe {
            sys::arsenal_igraph_new(
                ends.as_ptr(),
                g.edge_count(),
                g.node_count() as i64,
                i32::from(g.is_directed()),
                if W::UNWEIGHTED {
                    std::ptr::null()
                } else {
                    weights.as_ptr()
                },
                &mut out,
            )
        };
        if rc == sys::IGRAPH_SUCCESS {
            Ok(RawIgraph(out))
        } else {
            Err(format!("arsenal_igraph_new: code {rc}"))
        }
    }
}

impl Drop for RawIgraph {
    fn drop(&mut self) {
        // SAFETY: from arsenal_igraph_new, freed once.
        unsafe { sys::arsenal_igraph_free(self.0) };
    }
}

fn path_sum<W: EdgeWeight>(t: &PathTree<W::Dist>) -> u64 {
    let inf = W::dist_to_f64(W::INFINITY);
    t.dist
        .iter()
        .map(|&d| W::dist_to_f64(d))
        .filter(|&d| d != inf)
        .map(|d| d as u64 + 1)
        .sum()
}

fn sssp_cells(reg: &mut Registry, dataset: &str, g: Rc<Csr<u32>>, sources: Vec<u32>) {
    let reference: Vec<PathTree<u64>> = sources
        .iter()
        .map(|&s| {
            SsspBackend::Dijkstra
                .path_finder(&*g)
                .and_then(|f| f.shortest_paths(s))
                .expect("dijkstra")
        })
        .collect();
    let expect: u64 = reference.iter().map(path_sum::<u32>).sum();
    let items: u64 = reference
        .iter()
        .map(|t| {
            traversed(
                &g,
                &t.dist.iter().map(|&d| d != u64::MAX).collect::<Vec<_>>(),
            )
        })
        .sum();
    let sources = Rc::new(sources);
    let mut cell = |imp: &str, run: Result<SsspFn, String>| {
        let mut run = match run {
            Ok(run) => run,
            Err(e) => return reg.add(Case::failed(NAME, "sssp", dataset, imp, e)),
        };
        let search = move |s: &[u32], kept: &mut Vec<PathTree<u64>>| {
            let mut sum = 0;
            kept.clear();
            for &src in s {
                let t = run(src);
                sum += path_sum::<u32>(&t);
                kept.push(t);
            }
            sum
        };
        let cell = TreeCell {
            op: "sssp",
            dataset,
            imp,
            items,
            expect,
        };
        cell.add(reg, &g, &sources, Vec::new(), search, check_paths::<u32>);
    };
    for backend in SsspBackend::ALL {
        let imp = format!("arsenal:{}", backend.name());
        let graph: &'static Csr<u32> = Box::leak(Box::new(Rc::clone(&g)));
        match backend.path_finder(graph) {
            Ok(f) => cell(
                &imp,
                Ok(Box::new(move |s| f.shortest_paths(s).expect("sssp"))),
            ),
            Err(e) => cell(&imp, Err(e.to_string())),
        }
    }
    match RawIgraph::new(&g) {
        Ok(raw) => {
            let n = g.node_count();
            let mut dist = vec![0f64; n];
            cell(
                "raw:igraph",
                Ok(Box::new(move |s| {
                    let mut parent = vec![0u32; n];
                    // SAFETY: a live shim graph of n vertices, two arrays of n, s < n.
                    let rc = unsafe {
                        sys::arsenal_igraph_dijkstra(
                            raw.ptr(),
                            i64::from(s),
                            dist.as_mut_ptr(),
                            parent.as_mut_ptr(),
                        )
                    };
                    assert_eq!(rc, sys::IGRAPH_SUCCESS);
                    let dist = dist
                        .iter()
                        .map(|&d| if d.is_finite() { d as u64 } else { u64::MAX })
                        .collect();
                    PathTree { dist, parent }
                })),
            );
        }
        Err(e) => cell("raw:igraph", Err(e)),
    }
    let p = petgraph_csr(&g);
    let s = Rc::clone(&sources);
    reg.add(
        Case::new(
            NAME,
            "sssp",
            dataset,
            "peer:petgraph",
            0,
            items,
            move || {
                let mut sum = 0;
                for &src in s.iter() {
                    let d = petgraph::algo::dijkstra(&p, src, None, |e| u64::from(*e.weight()));
                    sum += d.values().map(|&x| x + 1).sum::<u64>();
                }
                sum
            },
        )
        .expect(expect),
    );
}

/// `graph/memory/bfs-kron-16/<impl>` and `graph/memory/sssp-kron-16-u32/<impl>`: the peak
/// resident growth while making an engine for an existing graph and running one search
/// (the engine's state — igraph's copy of the graph, queues, bitmaps, heaps — plus the
/// result arrays), per vertex.
fn memory_rows() -> Vec<MemoryRow> {
    let edges = gen::kronecker(16, 16, 16);
    let n = 1usize << 16;
    let mut rows = Vec::new();
    let mut row = |dataset: &str, what: &str, imp: String, bytes: Option<usize>| {
        rows.push(MemoryRow {
            domain: NAME.to_owned(),
            dataset: dataset.to_owned(),
            what: what.to_owned(),
            imp,
            items: n as u64,
            bytes_per_item: bytes.map(|b| b as f64 / n as f64),
        });
    };
    let g = Csr::from_edges(n, &edges, false).expect("kronecker graph");
    g.edges().count(); // touch the graph before measuring
    let s = gen::bfs_sources(&g, 1, 64)[0];
    for backend in Backend::ALL {
        let peak = peak_resident(|| backend.traversal(&g).and_then(|t| t.bfs(s)).ok());
        row(
            "bfs-kron-16",
            "engine + one BFS on the scale-16 Kronecker graph (built already): peak resident growth / vertices",
            format!("arsenal:{}", backend.name()),
            peak.map(|(_, b)| b),
        );
    }
    let w = Csr::from_weighted_edges(n, &gen::weights(&edges, 255, 17), false).expect("weighted");
    for backend in SsspBackend::ALL {
        let peak = peak_resident(|| {
            backend
                .path_finder(&w)
                .and_then(|f| f.shortest_paths(s))
                .ok()
        });
        row(
            "sssp-kron-16-u32",
            "engine + one shortest-path search on the weighted scale-16 Kronecker graph: peak resident growth / vertices",
            format!("arsenal:{}", backend.name()),
            peak.map(|(_, b)| b),
        );
    }
    rows
}
