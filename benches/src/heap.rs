//! Priority-queue rows of the matrix: `heap/<op>/<dataset>/<impl>`.
//!
//! Every impl is a min-queue of `(u64 key, u32 value)` items:
//!
//! | op | datasets | one iteration | items | checksum |
//! |---|---|---|---|---|
//! | `sort` | `u64-1e3`, `u64-1e5`, `u64-1e6`, and `u64-1e7` with `arsenal-bench --large` (random keys of every magnitude) | every key pushed into a new queue, then every item popped | keys | a fold of the popped keys, order-sensitive: equal to the sorted keys' |
//! | `hold` | `u64-1e3`, `u64-1e5` | the *hold model* of event simulation: n random keys pushed, then 4n times the smallest popped and pushed back later by a random step (0–2²⁰) | 4n pop + push pairs (the n first pushes are in the timing too) | Σ popped keys |
//! | `dijkstra` | `graph-1e5` (10⁵ nodes × 8 random out-edges), `graph-1e6` (10⁶ × 4), weights 1–1 000 | shortest paths from node 0, lazy deletion (stale items skipped) | edges | Σ distances of reachable nodes + their count, equal to a `BinaryHeap` reference run |
//!
//! The `sort`, `hold` and `dijkstra` workloads are all monotone (no key is pushed below
//! the last key popped), so the radix heaps run them all.
//!
//! Impls: `arsenal:dary4` ([`arsenal_heap::DaryQueue`], 4 children per node),
//! `arsenal:radix` ([`arsenal_heap::RadixHeap`]); peers `peer:std-binaryheap` (std's
//! `BinaryHeap<Reverse<(u64, u32)>>`, what most code writes), `peer:dary_heap`
//! (`dary_heap::QuaternaryHeap` of the same items) and `peer:radix-heap`
//! (`radix_heap::RadixHeapMap<Reverse<u64>, u32>`, its documented min-heap form). There
//! is no `raw:` row: no C library fits (see arsenal-heap's docs).
//!
//! **Memory rows** `heap/memory/u64-1e6/<impl>`: heap bytes held by a queue of the 10⁶
//! keys, pushed one by one from empty / keys.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::path::Path;
use std::rc::Rc;

use arsenal_heap::{DaryQueue, MinQueue, RadixHeap};

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::held_by;
use crate::harness::{rng, Case, Registry};
use crate::report::MemoryRow;
use crate::strategy::pick;

const NAME: &str = "heap";

/// The priority-queue domain of the matrix.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Priority queues",
    register,
    memory: Memory::After(memory_rows),
    select: Some(Selection {
        krate: "arsenal-heap",
        pick: pick::<arsenal_heap::Backend>,
    }),
    ..Domain::EMPTY
};

/// The operations one queue under test needs.
trait Queue: 'static {
    fn make() -> Self;
    fn put(&mut self, key: u64, value: u32);
    fn take(&mut self) -> Option<(u64, u32)>;
}

impl<const D: usize> Queue for DaryQueue<u32, D> {
    fn make() -> Self {
        DaryQueue::new()
    }
    #[inline]
    fn put(&mut self, key: u64, value: u32) {
        self.push(key, value).expect("push");
    }
    #[inline]
    fn take(&mut self) -> Option<(u64, u32)> {
        self.pop()
    }
}

impl Queue for RadixHeap<u32> {
    fn make() -> Self {
        RadixHeap::new()
    }
    #[inline]
    fn put(&mut self, key: u64, value: u32) {
        self.push(key, value).expect("monotone push");
    }
    #[inline]
    fn take(&mut self) -> Option<(u64, u32)> {
        self.pop()
    }
}

impl Queue for BinaryHeap<Reverse<(u64, u32)>> {
    fn make() -> Self {
        BinaryHeap::new()
    }
    #[inline]
    fn put(&mut self, key: u64, value: u32) {
        self.push(Reverse((key, value)));
    }
    #[inline]
    fn take(&mut self) -> Option<(u64, u32)> {
        self.pop().map(|Reverse(item)| item)
    }
}

impl Queue for dary_heap::QuaternaryHeap<Reverse<(u64, u32)>> {
    fn make() -> Self {
        dary_heap::QuaternaryHeap::new()
    }
    #[inline]
    fn put(&mut self, key: u64, value: u32) {
        self.push(Reverse((key, value)));
    }
    #[inline]
    fn take(&mut self) -> Option<(u64, u32)> {
        self.pop().map(|Reverse(item)| item)
    }
}

impl Queue for radix_heap::RadixHeapMap<Reverse<u64>, u32> {
    fn make() -> Self {
        radix_heap::RadixHeapMap::new()
    }
    #[inline]
    fn put(&mut self, key: u64, value: u32) {
        self.push(Reverse(key), value);
    }
    #[inline]
    fn take(&mut self) -> Option<(u64, u32)> {
        self.pop().map(|(Reverse(k), v)| (k, v))
    }
}

/// Registers every op for one queue type.
macro_rules! for_each_impl {
    ($f:ident, $($arg:expr),*) => {
        $f::<DaryQueue<u32, 4>>("arsenal:dary4", $($arg),*);
        $f::<RadixHeap<u32>>("arsenal:radix", $($arg),*);
        $f::<BinaryHeap<Reverse<(u64, u32)>>>("peer:std-binaryheap", $($arg),*);
        $f::<dary_heap::QuaternaryHeap<Reverse<(u64, u32)>>>("peer:dary_heap", $($arg),*);
        $f::<radix_heap::RadixHeapMap<Reverse<u64>, u32>>("peer:radix-heap", $($arg),*);
    };
}

/// Random keys of every magnitude (a random shift of a random value).
fn keys(n: usize, seed: u64) -> Vec<u64> {
    let mut next = rng(seed);
    (0..n).map(|_| next() >> (next() % 64)).collect()
}

/// The order-sensitive fold of popped keys.
#[inline(always)]
fn fold(h: u64, key: u64) -> u64 {
    h.rotate_left(5) ^ key
}

/// A random directed graph in compressed-row form: `n` nodes × `degree` out-edges.
struct Graph {
    starts: Vec<u32>,
    edges: Vec<(u32, u32)>,
}

impl Graph {
    fn random(n: usize, degree: usize, seed: u64) -> Graph {
        let mut next = rng(seed);
        let mut starts = Vec::with_capacity(n + 1);
        let mut edges = Vec::with_capacity(n * degree);
        for _ in 0..n {
            starts.push(edges.len() as u32);
            for _ in 0..degree {
                edges.push(((next() % n as u64) as u32, (next() % 1_000 + 1) as u32));
            }
        }
        starts.push(edges.len() as u32);
        Graph { starts, edges }
    }

    /// Σ distances from node 0 over reachable nodes + their count, with queue `Q`.
    fn dijkstra<Q: Queue>(&self, dist: &mut [u64]) -> u64 {
        dist.fill(u64::MAX);
        dist[0] = 0;
        let mut q = Q::make();
        q.put(0, 0);
        while let Some((d, node)) = q.take() {
            let node = node as usize;
            if d > dist[node] {
                continue;
            }
            let (a, b) = (self.starts[node] as usize, self.starts[node + 1] as usize);
            for &(to, w) in &self.edges[a..b] {
                let nd = d + u64::from(w);
                if nd < dist[to as usize] {
                    dist[to as usize] = nd;
                    q.put(nd, to);
                }
            }
        }
        dist.iter()
            .filter(|d| **d != u64::MAX)
            .fold(0u64, |s, d| s.wrapping_add(*d).wrapping_add(1))
    }
}

fn register(reg: &mut Registry, _data: Option<&Path>) {
    let mut sizes = vec![
        ("u64-1e3", 1_000),
        ("u64-1e5", 100_000),
        ("u64-1e6", 1_000_000),
    ];
    if crate::harness::large() {
        sizes.push(("u64-1e7", 10_000_000));
    }
    for (dataset, n) in sizes {
        let k = Rc::new(keys(n, 1));
        let mut sorted = (*k).clone();
        sorted.sort_unstable();
        let want = sorted.iter().fold(0, |h, &x| fold(h, x));
        for_each_impl!(sort_cell, reg, dataset, &k, want);
    }
    for (dataset, n) in [("u64-1e3", 1_000), ("u64-1e5", 100_000)] {
        let start = Rc::new(keys(n, 2).into_iter().map(|k| k >> 32).collect::<Vec<_>>());
        let mut next = rng(3);
        let steps = Rc::new((0..4 * n).map(|_| next() % (1 << 20)).collect::<Vec<_>>());
        let want = hold::<BinaryHeap<Reverse<(u64, u32)>>>(&start, &steps);
        for_each_impl!(hold_cell, reg, dataset, &start, &steps, want);
    }
    for (dataset, n, degree) in [("graph-1e5", 100_000, 8), ("graph-1e6", 1_000_000, 4)] {
        let g = Rc::new(Graph::random(n, degree, 4));
        let want = g.dijkstra::<BinaryHeap<Reverse<(u64, u32)>>>(&mut vec![0; n]);
        for_each_impl!(dijkstra_cell, reg, dataset, &g, want);
    }
}

fn sort_cell<Q: Queue>(
    imp: &str,
    reg: &mut Registry,
    dataset: &str,
    keys: &Rc<Vec<u64>>,
    want: u64,
) {
    let keys = Rc::clone(keys);
    let n = keys.len() as u64;
    reg.add(
        Case::new(NAME, "sort", dataset, imp, 0, n, move || {
            let mut q = Q::make();
            for (i, &k) in keys.iter().enumerate() {
                q.put(black_box(k), i as u32);
            }
            let mut h = 0;
            while let Some((k, _)) = q.take() {
                h = fold(h, k);
            }
            h
        })
        .expect(want),
    );
}

/// The hold model: `start` pushed, then per step the smallest popped and pushed back
/// `step` later; Σ popped keys.
fn hold<Q: Queue>(start: &[u64], steps: &[u64]) -> u64 {
    let mut q = Q::make();
    for (i, &k) in start.iter().enumerate() {
        q.put(k, i as u32);
    }
    let mut sum = 0u64;
    for &step in steps {
        let (k, v) = q.take().expect("the queue never runs dry");
        sum = sum.wrapping_add(k);
        q.put(black_box(k + step), v);
    }
    sum
}

fn hold_cell<Q: Queue>(
    imp: &str,
    reg: &mut Registry,
    dataset: &str,
    start: &Rc<Vec<u64>>,
    steps: &Rc<Vec<u64>>,
    want: u64,
) {
    let (start, steps) = (Rc::clone(start), Rc::clone(steps));
    let items = steps.len() as u64;
    reg.add(
        Case::new(NAME, "hold", dataset, imp, 0, items, move || {
            hold::<Q>(&start, &steps)
        })
        .expect(want),
    );
}

fn dijkstra_cell<Q: Queue>(imp: &str, reg: &mut Registry, dataset: &str, g: &Rc<Graph>, want: u64) {
    let g = Rc::clone(g);
    let edges = g.edges.len() as u64;
    let mut dist = vec![0u64; g.starts.len() - 1];
    reg.add(
        Case::new(NAME, "dijkstra", dataset, imp, 0, edges, move || {
            g.dijkstra::<Q>(&mut dist)
        })
        .expect(want),
    );
}

/// Heap bytes per item of a queue holding the `u64-1e6` keys.
pub fn memory_rows() -> Vec<MemoryRow> {
    let k = keys(1_000_000, 1);
    let mut rows = Vec::new();
    fn fill<Q: Queue>(keys: &[u64]) -> Option<Q> {
        let mut q = Q::make();
        for (i, &key) in keys.iter().enumerate() {
            q.put(key, i as u32);
        }
        Some(q)
    }
    let mut row = |imp: &str, held: Option<usize>| {
        rows.push(MemoryRow {
            domain: NAME.to_owned(),
            dataset: "u64-1e6".to_owned(),
            what: "queue of 10⁶ (u64, u32) items pushed from empty: heap bytes held / items"
                .to_owned(),
            imp: imp.to_owned(),
            items: 1_000_000,
            bytes_per_item: held.map(|b| b as f64 / 1e6),
        });
    };
    row(
        "arsenal:dary4",
        held_by(|| fill::<DaryQueue<u32, 4>>(&k)).map(|r| r.1),
    );
    row(
        "arsenal:radix",
        held_by(|| fill::<RadixHeap<u32>>(&k)).map(|r| r.1),
    );
    row(
        "peer:std-binaryheap",
        held_by(|| fill::<BinaryHeap<Reverse<(u64, u32)>>>(&k)).map(|r| r.1),
    );
    row(
        "peer:dary_heap",
        held_by(|| fill::<dary_heap::QuaternaryHeap<Reverse<(u64, u32)>>>(&k)).map(|r| r.1),
    );
    row(
        "peer:radix-heap",
        held_by(|| fill::<radix_heap::RadixHeapMap<Reverse<u64>, u32>>(&k)).map(|r| r.1),
    );
    rows
}
