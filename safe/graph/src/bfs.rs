//! Native breadth-first and depth-first search.

use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::Barrier;

use crate::csr::{try_filled, Csr, EdgeWeight};
use crate::{BfsTree, DfsOrder, Error, ErrorKind, Result};

const NONE: u32 = u32::MAX;

/// Buffers a BFS engine keeps between searches.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    queue: Vec<u32>,
    next: Vec<u32>,
    front_bits: Vec<u64>,
    next_bits: Vec<u64>,
}

/// Sizes `out` for `n` vertices, every entry `NONE`, reusing its allocations.
pub(crate) fn reset(out: &mut BfsTree, n: usize) -> Result<()> {
    for v in [&mut out.dist, &mut out.parent] {
        v.clear();
        v.try_reserve_exact(n).map_err(|_| oom("bfs"))?;
        v.resize(n, NONE);
    }
    Ok(())
}

fn reserve<T: Clone>(v: &mut Vec<T>, n: usize, fill: Option<T>) -> Result<()> {
    v.clear();
    v.try_reserve_exact(n).map_err(|_| oom("bfs"))?;
    if let Some(x) = fill {
        v.resize(n, x);
    }
    Ok(())
}

/// Top-down BFS with a FIFO queue.
pub(crate) fn top_down<W: EdgeWeight>(
    g: &Csr<W>,
    source: u32,
    out: &mut BfsTree,
    scratch: &mut Scratch,
) -> Result<()> {
    g.check_source(source)?;
    let n = g.node_count();
    reset(out, n)?;
    let BfsTree { dist, parent } = out;
    let queue = &mut scratch.queue;
    reserve(queue, n, None)?;
    dist[source as usize] = 0;
    parent[source as usize] = source;
    queue.push(source);
    let mut head = 0;
    while head < queue.len() {
        let u = queue[head];
        head += 1;
        let du = dist[u as usize] + 1;
        for &v in g.neighbors(u) {
            if dist[v as usize] == NONE {
                dist[v as usize] = du;
                parent[v as usize] = u;
                queue.push(v);
            }
        }
    }
    Ok(())
}

fn oom(backend: &'static str) -> Error {
    Error::new(ErrorKind::OutOfMemory, backend, "BFS arrays")
}

/// Beamer, Asanović and Patterson's direction-optimising BFS (SC 2012): top-down while
/// the frontier is small, bottom-up (every unvisited vertex looks for a parent among its
/// in-neighbours in a frontier bitmap) while it is large.
pub(crate) fn direction_optimizing<W: EdgeWeight>(
    g: &Csr<W>,
    source: u32,
    alpha: usize,
    beta: usize,
    out: &mut BfsTree,
    scratch: &mut Scratch,
) -> Result<()> {
    g.check_source(source)?;
    let n = g.node_count();
    let (in_offsets, in_sources) = g.in_edges();
    reset(out, n)?;
    let BfsTree { dist, parent } = out;
    let words = n.div_ceil(64);
    let Scratch {
        queue: frontier,
        next,
        front_bits,
        next_bits,
    } = scratch;
    reserve(front_bits, words, Some(0))?;
    reserve(next_bits, words, Some(0))?;
    reserve(frontier, n, None)?;
    reserve(next, n, None)?;
    dist[source as usize] = 0;
    parent[source as usize] = source;
    frontier.push(source);
    // Edges still to check from unexplored vertices (m_u), and out of the frontier (m_f).
    let mut unexplored_arcs = g.arc_count() - g.degree(source);
    let mut bottom_up = false;
    let mut level = 0u32;
    let mut frontier_len = 1usize;
    // Arcs out of the top-down frontier, summed while it is built.
    let mut frontier_arcs = g.degree(source);
    while frontier_len > 0 {
        level += 1;
        if !bottom_up && frontier_arcs > unexplored_arcs / alpha.max(1) {
            bottom_up = true;
            front_bits.iter_mut().for_each(|w| *w = 0);
            for &u in frontier.iter() {
                front_bits[u as usize / 64] |= 1 << (u % 64);
            }
        }
        if bottom_up {
            next_bits.iter_mut().for_each(|w| *w = 0);
            let mut found = 0usize;
            for v in 0..n {
                if dist[v] != NONE {
                    continue;
                }
                for &u in &in_sources[in_offsets[v]..in_offsets[v + 1]] {
                    if front_bits[u as usize / 64] & (1 << (u % 64)) != 0 {
                        dist[v] = level;
                        parent[v] = u;
                        next_bits[v / 64] |= 1 << (v % 64);
                        found += 1;
                        unexplored_arcs -= g.degree(v as u32);
                        break;
                    }
                }
            }
            std::mem::swap(front_bits, next_bits);
            let shrinking = found < frontier_len;
            frontier_len = found;
            if shrinking && found < n / beta.max(1) {
                // Back to top-down: the frontier as a queue.
                bottom_up = false;
                frontier.clear();
                frontier_arcs = 0;
                for (w, &bits) in front_bits.iter().enumerate() {
                    let mut b = bits;
                    while b != 0 {
                        let v = (w * 64 + b.trailing_zeros() as usize) as u32;
                        frontier_arcs += g.degree(v);
                        frontier.push(v);
                        b &= b - 1;
                    }
                }
            }
        } else {
            next.clear();
            let mut next_arcs = 0usize;
            for &u in frontier.iter() {
                for &v in g.neighbors(u) {
                    if dist[v as usize] == NONE {
                        dist[v as usize] = level;
                        parent[v as usize] = u;
                        let d = g.degree(v);
                        unexplored_arcs -= d;
                        next_arcs += d;
                        next.push(v);
                    }
                }
            }
            std::mem::swap(frontier, next);
            frontier_len = frontier.len();
            frontier_arcs = next_arcs;
        }
    }
    Ok(())
}

/// Level-synchronous BFS on `threads` scoped threads: each level's frontier is split in
/// chunks taken with an atomic counter; a vertex is claimed by a compare-and-swap of its
/// parent, so exactly one thread adds it to the next frontier.
pub(crate) fn parallel<W: EdgeWeight>(
    g: &Csr<W>,
    source: u32,
    threads: usize,
    out: &mut BfsTree,
    scratch: &mut Scratch,
) -> Result<()> {
    g.check_source(source)?;
    let n = g.node_count();
    let threads = threads.clamp(1, 256);
    reset(out, n)?;
    reserve(&mut scratch.queue, n, Some(NONE))?;
    reserve(&mut scratch.next, n, Some(NONE))?;
    let parent = atomic(&mut out.parent);
    let dist = atomic(&mut out.dist);
    let queues = [atomic(&mut scratch.queue), atomic(&mut scratch.next)];
    let lens = [AtomicUsize::new(1), AtomicUsize::new(0)];
    let taken = AtomicUsize::new(0);
    parent[source as usize].store(source, Ordering::Relaxed);
    dist[source as usize].store(0, Ordering::Relaxed);
    queues[0][0].store(source, Ordering::Relaxed);
    let barrier = Barrier::new(threads);
    const CHUNK: usize = 64;
    let work = |_: usize| {
        let mut level = 0u32;
        let mut local: Vec<u32> = Vec::with_capacity(256);
        loop {
            let (cur, nxt) = ((level % 2) as usize, ((level + 1) % 2) as usize);
            let len = lens[cur].load(Ordering::Acquire);
            if len == 0 {
                break;
            }
            loop {
                let start = taken.fetch_add(CHUNK, Ordering::Relaxed);
                if start >= len {
                    break;
                }
                for slot in &queues[cur][start..(start + CHUNK).min(len)] {
                    let u = slot.load(Ordering::Relaxed);
                    for &v in g.neighbors(u) {
                        let p = &parent[v as usize];
                        if p.load(Ordering::Relaxed) == NONE
                            && p.compare_exchange(NONE, u, Ordering::Relaxed, Ordering::Relaxed)
                                .is_ok()
                        {
                            dist[v as usize].store(level + 1, Ordering::Relaxed);
                            local.push(v);
                            if local.len() == local.capacity() {
                                flush(&mut local, queues[nxt], &lens[nxt]);
                            }
                        }
                    }
                }
            }
            flush(&mut local, queues[nxt], &lens[nxt]);
            // Everyone has finished the level: one thread resets the counters.
            if barrier.wait().is_leader() {
                taken.store(0, Ordering::Relaxed);
                lens[cur].store(0, Ordering::Release);
            }
            barrier.wait();
            level += 1;
        }
    };
    std::thread::scope(|s| {
        for t in 1..threads {
            let work = &work;
            s.spawn(move || work(t));
        }
        work(0);
    });
    Ok(())
}

/// The slice as atomics, for the threads to share.
fn atomic(v: &mut [u32]) -> &[AtomicU32] {
    // SAFETY: `AtomicU32` has the size, alignment and bit validity of `u32`, and the
    // exclusive borrow guarantees no other (non-atomic) access while the result lives.
    unsafe { &*(v as *mut [u32] as *const [AtomicU32]) }
}

fn flush(local: &mut Vec<u32>, queue: &[AtomicU32], len: &AtomicUsize) {
    if local.is_empty() {
        return;
    }
    let at = len.fetch_add(local.len(), Ordering::Relaxed);
    for (slot, &v) in queue[at..at + local.len()].iter().zip(local.iter()) {
        slot.store(v, Ordering::Relaxed);
    }
    local.clear();
}

/// Iterative depth-first search in preorder (neighbours in stored order, as a recursive
/// DFS would visit them).
pub(crate) fn dfs<W: EdgeWeight>(g: &Csr<W>, source: u32) -> Result<DfsOrder> {
    g.check_source(source)?;
    let n = g.node_count();
    let mut parent = try_filled(n, NONE)?;
    let mut order = Vec::new();
    let mut stack: Vec<(u32, usize)> = Vec::new();
    parent[source as usize] = source;
    order.push(source);
    stack.push((source, g.offsets()[source as usize]));
    while let Some(top) = stack.last_mut() {
        let (u, at) = *top;
        if at == g.offsets()[u as usize + 1] {
            stack.pop();
            continue;
        }
        top.1 += 1;
        let v = g.targets()[at];
        if parent[v as usize] == NONE {
            parent[v as usize] = u;
            order.push(v);
            stack.push((v, g.offsets()[v as usize]));
        }
    }
    Ok(DfsOrder { order, parent })
}
