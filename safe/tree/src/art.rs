//! [`Art`]: an adaptive radix tree (Leis, Kemper & Neumann, ICDE 2013) over `u64` keys.

use std::fmt;
use std::ops::{Bound, RangeBounds};

use crate::{Backend, Error, ErrorKind, OrderedMap, Result};

/// "No child": an empty tree's root, an empty `Node256` slot, `Node48::children[48]`.
const EMPTY: u32 = u32::MAX;
/// Child references at or above this are inner nodes; below it, leaf indices.
const INNER: u32 = 1 << 31;
/// Where an inner node's kind sits in its reference.
const KIND_SHIFT: u32 = 29;
/// The arena index bits of an inner node's reference.
const IDX_MASK: u32 = (1 << KIND_SHIFT) - 1;
/// Inner node indices stay below this (`IDX_MASK` itself would make a `Node256`
/// reference equal to [`EMPTY`]).
const MAX_INNER: usize = IDX_MASK as usize;
/// Leaf indices stay below this.
const MAX_LEAVES: usize = INNER as usize;
/// Node kinds, as stored in a reference.
const K4: u32 = 0;
const K16: u32 = 1;
const K48: u32 = 2;
const K256: u32 = 3;
/// A `Node48` index entry without a child: it selects `children[48]`, always [`EMPTY`].
const EMPTY48: u8 = 48;
/// Inner nodes on one root-to-leaf path: their depths strictly increase within 0..8.
const MAX_DEPTH: usize = 8;

/// Shrink thresholds (hysteresis below the growth points 5, 17, 49).
const SHRINK16: usize = 3;
const SHRINK48: usize = 12;
const SHRINK256: usize = 37;

#[inline(always)]
fn inner_ref(kind: u32, idx: u32) -> u32 {
    INNER | kind << KIND_SHIFT | idx
}

#[inline(always)]
fn kind_of(r: u32) -> u32 {
    (r >> KIND_SHIFT) & 3
}

#[inline(always)]
fn idx_of(r: u32) -> usize {
    (r & IDX_MASK) as usize
}

#[inline(always)]
fn is_leaf(r: u32) -> bool {
    r < INNER
}

/// Byte `depth` (0: the most significant) of `key`.
#[inline(always)]
fn byte_at(key: u64, depth: u8) -> u8 {
    (key >> (56 - 8 * u32::from(depth))) as u8
}

/// A mask of the first `depth` bytes (`depth` ≤ 8).
#[inline(always)]
fn prefix_mask(depth: u8) -> u64 {
    !u64::MAX.checked_shr(8 * u32::from(depth)).unwrap_or(0)
}

/// The first byte at which `a` and `b` differ (they differ).
#[inline(always)]
fn first_diff(a: u64, b: u64) -> u8 {
    ((a ^ b).leading_zeros() / 8) as u8
}

/// A node slot in an arena that, when free, links to the next free slot.
trait Linked {
    fn link(&self) -> u32;
    fn set_link(&mut self, next: u32);
}

/// Nodes of one kind: a `Vec` plus an intrusive free list threaded through freed nodes,
/// so freeing never allocates.
#[derive(Clone)]
struct Arena<T> {
    nodes: Vec<T>,
    /// The first free node, or [`EMPTY`].
    free: u32,
    free_count: usize,
}

impl<T: Linked> Arena<T> {
    const fn new() -> Self {
        Arena {
            nodes: Vec::new(),
            free: EMPTY,
            free_count: 0,
        }
    }

    /// Nodes in use.
    fn live(&self) -> usize {
        self.nodes.len() - self.free_count
    }

    /// Nodes that can be taken without allocating.
    fn spare(&self) -> usize {
        self.free_count + self.nodes.capacity() - self.nodes.len()
    }

    /// Makes [`spare`](Self::spare) at least `spare`.
    fn ensure(&mut self, spare: usize, limit: usize) -> Result<()> {
        if self.spare() >= spare {
            return Ok(());
        }
        let additional = spare - self.free_count;
        if self.nodes.len() + additional > limit {
            return Err(Error::new(
                ErrorKind::Capacity,
                Backend::Art.name(),
                "more nodes than the tree's node references address",
            ));
        }
        // Grow by half (not double): arenas of a kind often peak early (the nodes of a
        // level pass through Node4 and Node16 on the way to Node48) and keep the peak's
        // capacity, so a smaller step leaves less unused memory.
        let step = additional
            .max(self.nodes.len() / 2)
            .min(limit - self.nodes.len());
        self.nodes
            .try_reserve_exact(step.max(additional))
            .map_err(|e| crate::reserve_error(&e, Backend::Art))
    }

    /// Stores `node` in a free slot (room made by [`ensure`](Self::ensure)).
    fn take(&mut self, node: T) -> u32 {
        if self.free != EMPTY {
            let i = self.free;
            self.free = self.nodes[i as usize].link();
            self.free_count -= 1;
            self.nodes[i as usize] = node;
            i
        } else {
            debug_assert!(self.nodes.len() < self.nodes.capacity());
            self.nodes.push(node);
            (self.nodes.len() - 1) as u32
        }
    }

    /// Frees node `i`.
    fn release(&mut self, i: u32) {
        self.nodes[i as usize].set_link(self.free);
        self.free = i;
        self.free_count += 1;
    }

    fn clear(&mut self) {
        self.nodes.clear();
        self.free = EMPTY;
        self.free_count = 0;
    }

    fn heap_bytes(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<T>()
    }
}

#[derive(Clone, Copy)]
struct Leaf<V> {
    /// The whole key (lazy expansion); the next free leaf while free.
    key: u64,
    value: V,
}

impl<V> Linked for Leaf<V> {
    fn link(&self) -> u32 {
        self.key as u32
    }
    fn set_link(&mut self, next: u32) {
        self.key = u64::from(next);
    }
}

/// `Node4` and `Node16`: up to `N` children under sorted key bytes.
#[derive(Clone, Copy)]
struct SmallNode<const N: usize> {
    /// The first `depth` bytes every key below shares (the rest zero); the next free
    /// node while free.
    prefix: u64,
    /// The key byte this node branches on.
    depth: u8,
    count: u8,
    keys: [u8; N],
    children: [u32; N],
}

type Node4 = SmallNode<4>;
type Node16 = SmallNode<16>;

impl<const N: usize> SmallNode<N> {
    fn new(prefix: u64, depth: u8) -> Self {
        SmallNode {
            prefix,
            depth,
            count: 0,
            keys: [0; N],
            children: [EMPTY; N],
        }
    }

    /// Which of the first `count` keys equal `b`, as a bit mask: a fixed-length loop
    /// without branches, which the compiler vectorises.
    #[inline(always)]
    fn eq_mask(&self, b: u8) -> u32 {
        let mut bits = 0u32;
        for (i, &k) in self.keys.iter().enumerate() {
            bits |= u32::from(k == b) << i;
        }
        bits & ((1u32 << self.count) - 1)
    }

    /// The position of key byte `b`.
    #[inline(always)]
    fn find(&self, b: u8) -> Option<usize> {
        let m = self.eq_mask(b);
        (m != 0).then(|| m.trailing_zeros() as usize)
    }

    /// The child under `b`, or [`EMPTY`].
    #[inline(always)]
    fn child(&self, b: u8) -> u32 {
        let i = self.eq_mask(b).trailing_zeros() as usize;
        self.children.get(i).copied().unwrap_or(EMPTY)
    }

    /// The number of keys below `b`.
    #[inline(always)]
    fn rank(&self, b: u8) -> usize {
        let mut bits = 0u32;
        for (i, &k) in self.keys.iter().enumerate() {
            bits |= u32::from(k < b) << i;
        }
        (bits & ((1u32 << self.count) - 1)).count_ones() as usize
    }

    /// Adds `child` under the absent byte `b` (room left).
    fn insert(&mut self, b: u8, child: u32) {
        let n = self.count as usize;
        debug_assert!(n < N);
        let i = self.rank(b);
        self.keys.copy_within(i..n, i + 1);
        self.children.copy_within(i..n, i + 1);
        self.keys[i] = b;
        self.children[i] = child;
        self.count += 1;
    }

    fn remove_at(&mut self, i: usize) {
        let n = self.count as usize;
        self.keys.copy_within(i + 1..n, i);
        self.children.copy_within(i + 1..n, i);
        self.count -= 1;
    }

    /// A node of another size with the same children (they fit).
    fn resized<const M: usize>(&self) -> SmallNode<M> {
        let n = self.count as usize;
        let mut out = SmallNode::<M>::new(self.prefix, self.depth);
        out.keys[..n].copy_from_slice(&self.keys[..n]);
        out.children[..n].copy_from_slice(&self.children[..n]);
        out.count = self.count;
        out
    }
}

impl<const N: usize> Linked for SmallNode<N> {
    fn link(&self) -> u32 {
        self.prefix as u32
    }
    fn set_link(&mut self, next: u32) {
        self.prefix = u64::from(next);
    }
}

#[derive(Clone, Copy)]
struct Node48 {
    prefix: u64,
    depth: u8,
    count: u8,
    /// Per key byte: the slot in `children`, or [`EMPTY48`].
    index: [u8; 256],
    /// Children in no particular order; unused slots and `children[48]` are [`EMPTY`].
    children: [u32; 49],
}

impl Node48 {
    fn from_node16(n: &Node16) -> Self {
        let mut out = Node48 {
            prefix: n.prefix,
            depth: n.depth,
            count: n.count,
            index: [EMPTY48; 256],
            children: [EMPTY; 49],
        };
        for i in 0..n.count as usize {
            out.index[n.keys[i] as usize] = i as u8;
            out.children[i] = n.children[i];
        }
        out
    }

    fn shrunk(&self) -> Node16 {
        let mut out = Node16::new(self.prefix, self.depth);
        let mut n = 0;
        for (b, &s) in self.index.iter().enumerate() {
            if s != EMPTY48 {
                out.keys[n] = b as u8;
                out.children[n] = self.children[s as usize];
                n += 1;
            }
        }
        out.count = n as u8;
        out
    }

    /// Adds `child` under the absent byte `b` (room left).
    fn insert(&mut self, b: u8, child: u32) {
        let s = self.children[..48]
            .iter()
            .position(|&c| c == EMPTY)
            .expect("a Node48 with room has a free slot");
        self.children[s] = child;
        self.index[b as usize] = s as u8;
        self.count += 1;
    }
}

impl Linked for Node48 {
    fn link(&self) -> u32 {
        self.prefix as u32
    }
    fn set_link(&mut self, next: u32) {
        self.prefix = u64::from(next);
    }
}

#[derive(Clone, Copy)]
struct Node256 {
    prefix: u64,
    depth: u8,
    count: u16,
    /// Per key byte: the child, or [`EMPTY`].
    children: [u32; 256],
}

impl Node256 {
    fn from_node48(n: &Node48) -> Self {
        let mut out = Node256 {
            prefix: n.prefix,
            depth: n.depth,
            count: u16::from(n.count),
            children: [EMPTY; 256],
        };
        for (b, &s) in n.index.iter().enumerate() {
            out.children[b] = n.children[s as usize];
        }
        out
    }

    fn shrunk(&self) -> Node48 {
        let mut out = Node48 {
            prefix: self.prefix,
            depth: self.depth,
            count: 0,
            index: [EMPTY48; 256],
            children: [EMPTY; 49],
        };
        for (b, &c) in self.children.iter().enumerate() {
            if c != EMPTY {
                out.index[b] = out.count;
                out.children[out.count as usize] = c;
                out.count += 1;
            }
        }
        out
    }
}

impl Linked for Node256 {
    fn link(&self) -> u32 {
        self.prefix as u32
    }
    fn set_link(&mut self, next: u32) {
        self.prefix = u64::from(next);
    }
}

/// Where a child reference lives: the root, or position `pos` of an inner node's
/// `children`.
#[derive(Clone, Copy)]
enum Slot {
    Root,
    Child(u32, usize),
}

/// An adaptive radix tree map from `u64` keys to `V`: the ordered map of
/// [`Backend::Art`].
///
/// Keys are compared as big-endian bytes (so byte order is numeric order), one byte per
/// level. Inner nodes adapt to their number of children: `Node4` and `Node16` (sorted key
/// bytes, searched by one branch-free compare of all bytes into a bit mask), `Node48` (a
/// 256-byte index into 48 children) and `Node256` (a direct array); they grow on insert
/// and shrink on remove with hysteresis (16→4 at 3 children, 48→16 at 12, 256→48 at
/// 37). Path compression: each inner node stores the key bytes above it and the byte it
/// branches on, so chains of single-child nodes never exist. Lazy expansion: a leaf holds
/// its whole key, and a subtree with one key is just its leaf. A lookup reads one node
/// per distinct branching byte and compares the full key once, at the leaf.
///
/// Nodes live in per-kind arenas (`Vec`s) addressed by tagged `u32` references (no
/// `unsafe`); freed nodes are kept on free lists threaded through them and reused.
/// [`insert`](Art::insert) reserves everything it needs before changing anything and
/// returns an error instead of aborting when the allocator fails (the map unchanged);
/// [`remove`](Art::remove) never allocates: the arenas keep enough spare nodes for every
/// shrink a sequence of removals can cause.
///
/// ```
/// use arsenal_tree::Art;
///
/// let mut t = Art::new();
/// for k in [50u64, 10, 40, 20, 30] {
///     t.insert(k, k * 10)?;
/// }
/// assert_eq!(t.get(40), Some(&400));
/// assert_eq!(t.range(15..=40).map(|(k, _)| k).collect::<Vec<_>>(), [20, 30, 40]);
/// assert_eq!(t.first_key_value(), Some((10, &100)));
/// assert_eq!(t.remove(10), Some(100));
/// assert_eq!(t.len(), 4);
/// # Ok::<(), arsenal_tree::Error>(())
/// ```
#[derive(Clone)]
pub struct Art<V> {
    /// A leaf index, an inner node reference, or [`EMPTY`].
    root: u32,
    len: usize,
    leaves: Arena<Leaf<V>>,
    n4: Arena<Node4>,
    n16: Arena<Node16>,
    n48: Arena<Node48>,
    n256: Arena<Node256>,
}

impl<V: Copy> Art<V> {
    /// An empty tree (no allocation until the first insert).
    pub const fn new() -> Self {
        Art {
            root: EMPTY,
            len: 0,
            leaves: Arena::new(),
            n4: Arena::new(),
            n16: Arena::new(),
            n48: Arena::new(),
            n256: Arena::new(),
        }
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the tree is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes the tree holds on the heap: every node arena at capacity.
    pub fn heap_bytes(&self) -> usize {
        self.leaves.heap_bytes()
            + self.n4.heap_bytes()
            + self.n16.heap_bytes()
            + self.n48.heap_bytes()
            + self.n256.heap_bytes()
    }

    /// Removes every entry (the arenas' memory is kept).
    pub fn clear(&mut self) {
        self.root = EMPTY;
        self.len = 0;
        self.leaves.clear();
        self.n4.clear();
        self.n16.clear();
        self.n48.clear();
        self.n256.clear();
    }

    /// The leaf holding `key`.
    #[inline]
    fn find_leaf(&self, key: u64) -> Option<u32> {
        let mut r = self.root;
        // Prefixes are not compared on the way down: the leaf's full key is.
        loop {
            if is_leaf(r) {
                return (self.leaves.nodes[r as usize].key == key).then_some(r);
            }
            if r == EMPTY {
                return None;
            }
            let i = idx_of(r);
            r = match kind_of(r) {
                K4 => {
                    let n = &self.n4.nodes[i];
                    n.child(byte_at(key, n.depth))
                }
                K16 => {
                    let n = &self.n16.nodes[i];
                    n.child(byte_at(key, n.depth))
                }
                K48 => {
                    let n = &self.n48.nodes[i];
                    n.children[n.index[byte_at(key, n.depth) as usize] as usize]
                }
                _ => {
                    let n = &self.n256.nodes[i];
                    n.children[byte_at(key, n.depth) as usize]
                }
            };
        }
    }

    /// The value of `key`.
    #[inline]
    pub fn get(&self, key: u64) -> Option<&V> {
        self.find_leaf(key)
            .map(|l| &self.leaves.nodes[l as usize].value)
    }

    /// The value of `key`, mutably.
    pub fn get_mut(&mut self, key: u64) -> Option<&mut V> {
        let l = self.find_leaf(key)?;
        Some(&mut self.leaves.nodes[l as usize].value)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: u64) -> bool {
        self.find_leaf(key).is_some()
    }

    /// An inner node's prefix and depth.
    #[inline]
    fn header(&self, r: u32) -> (u64, u8) {
        let i = idx_of(r);
        match kind_of(r) {
            K4 => (self.n4.nodes[i].prefix, self.n4.nodes[i].depth),
            K16 => (self.n16.nodes[i].prefix, self.n16.nodes[i].depth),
            K48 => (self.n48.nodes[i].prefix, self.n48.nodes[i].depth),
            _ => (self.n256.nodes[i].prefix, self.n256.nodes[i].depth),
        }
    }

    /// The position in `children` and the child of inner node `r` under byte `b`.
    #[inline]
    fn child_pos(&self, r: u32, b: u8) -> Option<(usize, u32)> {
        let i = idx_of(r);
        match kind_of(r) {
            K4 => {
                let n = &self.n4.nodes[i];
                n.find(b).map(|p| (p, n.children[p]))
            }
            K16 => {
                let n = &self.n16.nodes[i];
                n.find(b).map(|p| (p, n.children[p]))
            }
            K48 => {
                let n = &self.n48.nodes[i];
                let s = n.index[b as usize];
                (s != EMPTY48).then(|| (s as usize, n.children[s as usize]))
            }
            _ => {
                let c = self.n256.nodes[i].children[b as usize];
                (c != EMPTY).then_some((b as usize, c))
            }
        }
    }

    fn set_slot(&mut self, slot: Slot, child: u32) {
        match slot {
            Slot::Root => self.root = child,
            Slot::Child(r, pos) => {
                let i = idx_of(r);
                match kind_of(r) {
                    K4 => self.n4.nodes[i].children[pos] = child,
                    K16 => self.n16.nodes[i].children[pos] = child,
                    K48 => self.n48.nodes[i].children[pos] = child,
                    _ => self.n256.nodes[i].children[pos] = child,
                }
            }
        }
    }

    // Spare nodes. Removals shrink nodes one kind down without allocating, so every
    // arena keeps at least as many spare nodes as there are live nodes of all larger
    // kinds (a shrink takes one spare node of the kind below and frees one of its own
    // kind; the count is kept by every insert that takes a node).

    fn reserve_leaf(&mut self) -> Result<()> {
        self.leaves.ensure(1, MAX_LEAVES)
    }

    fn reserve_node4(&mut self) -> Result<()> {
        let need = 1 + self.n16.live() + self.n48.live() + self.n256.live();
        self.n4.ensure(need, MAX_INNER)
    }

    fn reserve_node16(&mut self) -> Result<()> {
        let need = 1 + self.n48.live() + self.n256.live();
        self.n16.ensure(need, MAX_INNER)
    }

    fn reserve_node48(&mut self) -> Result<()> {
        let need = 1 + self.n256.live();
        self.n48.ensure(need, MAX_INNER)
    }

    fn reserve_node256(&mut self) -> Result<()> {
        self.n256.ensure(1, MAX_INNER)
    }

    /// Sets `key` to `value`; the former value.
    ///
    /// # Errors
    /// [`ErrorKind::OutOfMemory`] when a node cannot be allocated, [`ErrorKind::Capacity`]
    /// beyond 2³¹ leaves or 2²⁹ − 1 inner nodes of a kind; the tree is unchanged either
    /// way.
    pub fn insert(&mut self, key: u64, value: V) -> Result<Option<V>> {
        let mut slot = Slot::Root;
        let mut cur = self.root;
        if cur == EMPTY {
            self.reserve_leaf()?;
            self.root = self.leaves.take(Leaf { key, value });
            self.len += 1;
            return Ok(None);
        }
        loop {
            if is_leaf(cur) {
                let leaf = &mut self.leaves.nodes[cur as usize];
                if leaf.key == key {
                    return Ok(Some(std::mem::replace(&mut leaf.value, value)));
                }
                let other = leaf.key;
                self.split(slot, cur, other, key, value)?;
                return Ok(None);
            }
            let (prefix, depth) = self.header(cur);
            if (key ^ prefix) & prefix_mask(depth) != 0 {
                self.split(slot, cur, prefix, key, value)?;
                return Ok(None);
            }
            let b = byte_at(key, depth);
            match self.child_pos(cur, b) {
                Some((pos, child)) => {
                    slot = Slot::Child(cur, pos);
                    cur = child;
                }
                None => {
                    self.add_child(slot, cur, b, key, value)?;
                    return Ok(None);
                }
            }
        }
    }

    /// Puts a `Node4` in `slot` above its current child `old` (a leaf or an inner node
    /// whose keys start like `old_key`) and a new leaf for `key`, branching on the first
    /// byte where `key` and `old_key` differ (within `old`'s prefix for an inner node).
    fn split(&mut self, slot: Slot, old: u32, old_key: u64, key: u64, value: V) -> Result<()> {
        self.reserve_leaf()?;
        self.reserve_node4()?;
        let depth = first_diff(old_key, key);
        let leaf = self.leaves.take(Leaf { key, value });
        let mut node = Node4::new(key & prefix_mask(depth), depth);
        let (ob, nb) = (byte_at(old_key, depth), byte_at(key, depth));
        node.count = 2;
        if ob < nb {
            node.keys[..2].copy_from_slice(&[ob, nb]);
            node.children[..2].copy_from_slice(&[old, leaf]);
        } else {
            node.keys[..2].copy_from_slice(&[nb, ob]);
            node.children[..2].copy_from_slice(&[leaf, old]);
        }
        let r = inner_ref(K4, self.n4.take(node));
        self.set_slot(slot, r);
        self.len += 1;
        Ok(())
    }

    /// Adds a leaf for `key` under the absent byte `b` of inner node `r` (in `slot`),
    /// growing `r` if it is full.
    fn add_child(&mut self, slot: Slot, r: u32, b: u8, key: u64, value: V) -> Result<()> {
        let i = idx_of(r);
        let leaf = Leaf { key, value };
        match kind_of(r) {
            K4 => {
                self.reserve_leaf()?;
                if self.n4.nodes[i].count < 4 {
                    let l = self.leaves.take(leaf);
                    self.n4.nodes[i].insert(b, l);
                } else {
                    self.reserve_node16()?;
                    let l = self.leaves.take(leaf);
                    let mut big: Node16 = self.n4.nodes[i].resized();
                    big.insert(b, l);
                    let nr = inner_ref(K16, self.n16.take(big));
                    self.n4.release(i as u32);
                    self.set_slot(slot, nr);
                }
            }
            K16 => {
                self.reserve_leaf()?;
                if self.n16.nodes[i].count < 16 {
                    let l = self.leaves.take(leaf);
                    self.n16.nodes[i].insert(b, l);
                } else {
                    self.reserve_node48()?;
                    let l = self.leaves.take(leaf);
                    let mut big = Node48::from_node16(&self.n16.nodes[i]);
                    big.insert(b, l);
                    let nr = inner_ref(K48, self.n48.take(big));
                    self.n16.release(i as u32);
                    self.set_slot(slot, nr);
                }
            }
            K48 => {
                self.reserve_leaf()?;
                if self.n48.nodes[i].count < 48 {
                    let l = self.leaves.take(leaf);
                    self.n48.nodes[i].insert(b, l);
                } else {
                    self.reserve_node256()?;
                    let l = self.leaves.take(leaf);
                    let mut big = Node256::from_node48(&self.n48.nodes[i]);
                    big.children[b as usize] = l;
                    big.count += 1;
                    let nr = inner_ref(K256, self.n256.take(big));
                    self.n48.release(i as u32);
                    self.set_slot(slot, nr);
                }
            }
            _ => {
                self.reserve_leaf()?;
                let l = self.leaves.take(leaf);
                let n = &mut self.n256.nodes[i];
                n.children[b as usize] = l;
                n.count += 1;
            }
        }
        self.len += 1;
        Ok(())
    }

    /// Removes `key`; its value. Never allocates.
    pub fn remove(&mut self, key: u64) -> Option<V> {
        let mut slot = Slot::Root;
        let mut cur = self.root;
        if cur == EMPTY {
            return None;
        }
        if is_leaf(cur) {
            let leaf = self.leaves.nodes[cur as usize];
            if leaf.key != key {
                return None;
            }
            self.leaves.release(cur);
            self.root = EMPTY;
            self.len -= 1;
            return Some(leaf.value);
        }
        loop {
            let (_, depth) = self.header(cur);
            let b = byte_at(key, depth);
            let (pos, child) = self.child_pos(cur, b)?;
            if is_leaf(child) {
                let leaf = self.leaves.nodes[child as usize];
                if leaf.key != key {
                    return None;
                }
                self.leaves.release(child);
                self.len -= 1;
                self.remove_child(slot, cur, pos, b);
                return Some(leaf.value);
            }
            slot = Slot::Child(cur, pos);
            cur = child;
        }
    }

    /// Drops the child at `pos` (under byte `b`) of inner node `r` (in `slot`), shrinking
    /// or collapsing `r` when it gets sparse (spare nodes are kept: no allocation).
    fn remove_child(&mut self, slot: Slot, r: u32, pos: usize, b: u8) {
        let i = idx_of(r);
        match kind_of(r) {
            K4 => {
                let n = &mut self.n4.nodes[i];
                n.remove_at(pos);
                if n.count == 1 {
                    // Path compression: the remaining child replaces the node (prefixes
                    // are absolute, so the child's stays valid).
                    let only = n.children[0];
                    self.n4.release(i as u32);
                    self.set_slot(slot, only);
                }
            }
            K16 => {
                let n = &mut self.n16.nodes[i];
                n.remove_at(pos);
                if n.count as usize <= SHRINK16 {
                    let small: Node4 = n.resized();
                    debug_assert!(self.n4.spare() > 0);
                    let nr = inner_ref(K4, self.n4.take(small));
                    self.n16.release(i as u32);
                    self.set_slot(slot, nr);
                }
            }
            K48 => {
                let n = &mut self.n48.nodes[i];
                n.index[b as usize] = EMPTY48;
                n.children[pos] = EMPTY;
                n.count -= 1;
                if n.count as usize <= SHRINK48 {
                    let small = n.shrunk();
                    debug_assert!(self.n16.spare() > 0);
                    let nr = inner_ref(K16, self.n16.take(small));
                    self.n48.release(i as u32);
                    self.set_slot(slot, nr);
                }
            }
            _ => {
                let n = &mut self.n256.nodes[i];
                n.children[pos] = EMPTY;
                n.count -= 1;
                if n.count as usize <= SHRINK256 {
                    let small = n.shrunk();
                    debug_assert!(self.n48.spare() > 0);
                    let nr = inner_ref(K48, self.n48.take(small));
                    self.n256.release(i as u32);
                    self.set_slot(slot, nr);
                }
            }
        }
    }

    /// The first child of inner node `r` at enumeration position `pos` or later, and the
    /// position after it. Positions: the index in a `Node4`/`Node16`, the key byte in a
    /// `Node48`/`Node256`.
    #[inline]
    fn next_child(&self, r: u32, pos: u16) -> Option<(u32, u16)> {
        let i = idx_of(r);
        let pos = pos as usize;
        match kind_of(r) {
            K4 => {
                let n = &self.n4.nodes[i];
                (pos < n.count as usize).then(|| (n.children[pos], pos as u16 + 1))
            }
            K16 => {
                let n = &self.n16.nodes[i];
                (pos < n.count as usize).then(|| (n.children[pos], pos as u16 + 1))
            }
            K48 => {
                let n = &self.n48.nodes[i];
                let b = pos + n.index.get(pos..)?.iter().position(|&s| s != EMPTY48)?;
                Some((n.children[n.index[b] as usize], b as u16 + 1))
            }
            _ => {
                let n = &self.n256.nodes[i];
                let b = pos + n.children.get(pos..)?.iter().position(|&c| c != EMPTY)?;
                Some((n.children[b], b as u16 + 1))
            }
        }
    }

    /// The last child of inner node `r`.
    fn last_child(&self, r: u32) -> u32 {
        let i = idx_of(r);
        match kind_of(r) {
            K4 => {
                let n = &self.n4.nodes[i];
                n.children[n.count as usize - 1]
            }
            K16 => {
                let n = &self.n16.nodes[i];
                n.children[n.count as usize - 1]
            }
            K48 => {
                let n = &self.n48.nodes[i];
                let s = n.index.iter().rev().find(|&&s| s != EMPTY48);
                n.children[*s.expect("an inner node has children") as usize]
            }
            _ => {
                let n = &self.n256.nodes[i];
                *n.children
                    .iter()
                    .rev()
                    .find(|&&c| c != EMPTY)
                    .expect("an inner node has children")
            }
        }
    }

    /// Where to resume after the child under byte `b` of inner node `r`, and that child
    /// if present (else the resume position is the first child above `b`).
    fn seek_pos(&self, r: u32, b: u8) -> (u16, Option<u32>) {
        let i = idx_of(r);
        match kind_of(r) {
            K4 => {
                let n = &self.n4.nodes[i];
                match n.find(b) {
                    Some(p) => (p as u16 + 1, Some(n.children[p])),
                    None => (n.rank(b) as u16, None),
                }
            }
            K16 => {
                let n = &self.n16.nodes[i];
                match n.find(b) {
                    Some(p) => (p as u16 + 1, Some(n.children[p])),
                    None => (n.rank(b) as u16, None),
                }
            }
            K48 => {
                let n = &self.n48.nodes[i];
                let s = n.index[b as usize];
                (
                    u16::from(b) + 1,
                    (s != EMPTY48).then(|| n.children[s as usize]),
                )
            }
            _ => {
                let c = self.n256.nodes[i].children[b as usize];
                (u16::from(b) + 1, (c != EMPTY).then_some(c))
            }
        }
    }

    /// The entry with the smallest key.
    pub fn first_key_value(&self) -> Option<(u64, &V)> {
        self.iter().next()
    }

    /// The entry with the largest key.
    pub fn last_key_value(&self) -> Option<(u64, &V)> {
        let mut r = self.root;
        if r == EMPTY {
            return None;
        }
        while !is_leaf(r) {
            r = self.last_child(r);
        }
        let leaf = &self.leaves.nodes[r as usize];
        Some((leaf.key, &leaf.value))
    }

    /// Every entry in ascending key order.
    pub fn iter(&self) -> ArtIter<'_, V> {
        self.range(..)
    }

    /// The entries whose keys lie in `range`, in ascending key order (an empty or
    /// inverted range yields nothing).
    pub fn range<R: RangeBounds<u64>>(&self, range: R) -> ArtIter<'_, V> {
        let mut it = ArtIter {
            tree: self,
            stack: [(EMPTY, 0); MAX_DEPTH],
            depth: 0,
            pending: EMPTY,
            end: range.end_bound().cloned(),
        };
        let lo = match range.start_bound() {
            Bound::Unbounded => 0,
            Bound::Included(&k) => k,
            Bound::Excluded(&k) => match k.checked_add(1) {
                Some(k) => k,
                None => return it,
            },
        };
        it.seek(lo);
        it
    }

    /// Checks every structural invariant; panics on a violation.
    #[cfg(test)]
    pub(crate) fn check_invariants(&self) {
        let mut counts = [0usize; 4];
        let mut leaves = 0;
        if self.root != EMPTY {
            self.check_node(self.root, None, &mut counts, &mut leaves);
        }
        assert_eq!(leaves, self.len, "leaf count");
        assert_eq!(self.leaves.live(), self.len, "live leaves");
        assert_eq!(self.n4.live(), counts[0], "live Node4s");
        assert_eq!(self.n16.live(), counts[1], "live Node16s");
        assert_eq!(self.n48.live(), counts[2], "live Node48s");
        assert_eq!(self.n256.live(), counts[3], "live Node256s");
        // Spare nodes for every possible shrink.
        assert!(self.n4.spare() >= counts[1] + counts[2] + counts[3]);
        assert!(self.n16.spare() >= counts[2] + counts[3]);
        assert!(self.n48.spare() >= counts[3]);
        // Free lists are as long as they say.
        fn walk<T: Linked>(a: &Arena<T>) {
            let mut n = 0;
            let mut f = a.free;
            while f != EMPTY {
                n += 1;
                assert!(n <= a.free_count, "free list cycle");
                f = a.nodes[f as usize].link();
            }
            assert_eq!(n, a.free_count);
        }
        walk(&self.leaves);
        walk(&self.n4);
        walk(&self.n16);
        walk(&self.n48);
        walk(&self.n256);
    }

    /// Checks the subtree at `r`; `above`: the parent's depth and the edge byte's key
    /// prefix (the first `depth + 1` bytes) leading here.
    #[cfg(test)]
    fn check_node(
        &self,
        r: u32,
        above: Option<(u8, u64)>,
        counts: &mut [usize; 4],
        leaves: &mut usize,
    ) {
        if is_leaf(r) {
            let key = self.leaves.nodes[r as usize].key;
            if let Some((pd, path)) = above {
                assert_eq!(key & prefix_mask(pd + 1), path, "leaf off its path");
            }
            *leaves += 1;
            return;
        }
        assert_ne!(r, EMPTY);
        let (prefix, depth) = self.header(r);
        assert!(depth < 8);
        assert_eq!(prefix & !prefix_mask(depth), 0, "prefix not canonical");
        if let Some((pd, path)) = above {
            assert!(depth > pd, "depth not increasing");
            assert_eq!(prefix & prefix_mask(pd + 1), path, "prefix off its path");
        }
        let mut edges: Vec<(u8, u32)> = Vec::new();
        let i = idx_of(r);
        counts[kind_of(r) as usize] += 1;
        match kind_of(r) {
            K4 => {
                let n = &self.n4.nodes[i];
                assert!((2..=4).contains(&n.count), "Node4 count {}", n.count);
                for j in 0..n.count as usize {
                    edges.push((n.keys[j], n.children[j]));
                }
            }
            K16 => {
                let n = &self.n16.nodes[i];
                assert!((SHRINK16 as u8 + 1..=16).contains(&n.count), "Node16 count");
                for j in 0..n.count as usize {
                    edges.push((n.keys[j], n.children[j]));
                }
            }
            K48 => {
                let n = &self.n48.nodes[i];
                assert!((SHRINK48 as u8 + 1..=48).contains(&n.count), "Node48 count");
                assert_eq!(n.children[48], EMPTY);
                let mut used = [false; 48];
                for (b, &s) in n.index.iter().enumerate() {
                    if s != EMPTY48 {
                        assert!(s < 48 && !used[s as usize], "Node48 index");
                        used[s as usize] = true;
                        assert_ne!(n.children[s as usize], EMPTY);
                        edges.push((b as u8, n.children[s as usize]));
                    }
                }
                for (s, &u) in used.iter().enumerate() {
                    assert_eq!(u, n.children[s] != EMPTY, "Node48 stray child");
                }
                assert_eq!(edges.len(), n.count as usize);
            }
            _ => {
                let n = &self.n256.nodes[i];
                assert!(n.count as usize > SHRINK256, "Node256 count");
                for (b, &c) in n.children.iter().enumerate() {
                    if c != EMPTY {
                        edges.push((b as u8, c));
                    }
                }
                assert_eq!(edges.len(), n.count as usize);
            }
        }
        assert!(
            edges.windows(2).all(|w| w[0].0 < w[1].0),
            "children unordered"
        );
        for (b, c) in edges {
            let path = prefix | u64::from(b) << (56 - 8 * u32::from(depth));
            self.check_node(c, Some((depth, path)), counts, leaves);
        }
    }
}

/// An iterator over an [`Art`]'s entries in ascending key order, from [`Art::iter`] or
/// [`Art::range`].
pub struct ArtIter<'a, V> {
    tree: &'a Art<V>,
    /// The inner nodes being walked, each with the position of its next child.
    stack: [(u32, u16); MAX_DEPTH],
    depth: usize,
    /// A leaf to yield before walking on, or [`EMPTY`].
    pending: u32,
    end: Bound<u64>,
}

impl<V: Copy> ArtIter<'_, V> {
    /// Positions the walk at the first key at or above `lo`.
    fn seek(&mut self, lo: u64) {
        let t = self.tree;
        let mut r = t.root;
        loop {
            if r == EMPTY {
                return;
            }
            if is_leaf(r) {
                if t.leaves.nodes[r as usize].key >= lo {
                    self.pending = r;
                }
                return;
            }
            let (prefix, depth) = t.header(r);
            let lo_prefix = lo & prefix_mask(depth);
            if prefix != lo_prefix {
                // The whole subtree lies above or below `lo`.
                if prefix > lo_prefix {
                    self.push(r, 0);
                }
                return;
            }
            let (pos, exact) = t.seek_pos(r, byte_at(lo, depth));
            self.push(r, pos);
            match exact {
                Some(c) => r = c,
                None => return,
            }
        }
    }

    #[inline]
    fn push(&mut self, r: u32, pos: u16) {
        self.stack[self.depth] = (r, pos);
        self.depth += 1;
    }
}

impl<'a, V: Copy> Iterator for ArtIter<'a, V> {
    type Item = (u64, &'a V);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let t = self.tree;
        loop {
            if self.pending != EMPTY {
                let leaf = &t.leaves.nodes[self.pending as usize];
                self.pending = EMPTY;
                let inside = match self.end {
                    Bound::Unbounded => true,
                    Bound::Included(e) => leaf.key <= e,
                    Bound::Excluded(e) => leaf.key < e,
                };
                if !inside {
                    self.depth = 0;
                    return None;
                }
                return Some((leaf.key, &leaf.value));
            }
            if self.depth == 0 {
                return None;
            }
            let (r, pos) = self.stack[self.depth - 1];
            match t.next_child(r, pos) {
                None => self.depth -= 1,
                Some((c, next)) => {
                    self.stack[self.depth - 1].1 = next;
                    if is_leaf(c) {
                        self.pending = c;
                    } else {
                        self.push(c, 0);
                    }
                }
            }
        }
    }
}

impl<V: Copy> std::iter::FusedIterator for ArtIter<'_, V> {}

impl<V> fmt::Debug for ArtIter<'_, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArtIter").finish_non_exhaustive()
    }
}

impl<'a, V: Copy> IntoIterator for &'a Art<V> {
    type Item = (u64, &'a V);
    type IntoIter = ArtIter<'a, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<V: Copy> Default for Art<V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V: Copy + fmt::Debug> fmt::Debug for Art<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V: Copy + PartialEq> PartialEq for Art<V> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<V: Copy + Eq> Eq for Art<V> {}

impl OrderedMap for Art<u64> {
    #[inline]
    fn get(&self, key: u64) -> Option<u64> {
        Art::get(self, key).copied()
    }
    fn insert(&mut self, key: u64, value: u64) -> Result<Option<u64>> {
        Art::insert(self, key, value)
    }
    fn remove(&mut self, key: u64) -> Option<u64> {
        Art::remove(self, key)
    }
    fn contains_key(&self, key: u64) -> bool {
        Art::contains_key(self, key)
    }
    fn len(&self) -> usize {
        self.len
    }
    fn first(&self) -> Option<(u64, u64)> {
        self.first_key_value().map(|(k, v)| (k, *v))
    }
    fn last(&self) -> Option<(u64, u64)> {
        self.last_key_value().map(|(k, v)| (k, *v))
    }
    fn lower_bound(&self, key: u64) -> Option<(u64, u64)> {
        self.range(key..).next().map(|(k, v)| (k, *v))
    }
    fn for_each_in(&self, range: (Bound<u64>, Bound<u64>), f: &mut dyn FnMut(u64, u64)) {
        for (k, v) in self.range(range) {
            f(k, *v);
        }
    }
    fn clear(&mut self) {
        Art::clear(self)
    }
    fn heap_bytes(&self) -> usize {
        Art::heap_bytes(self)
    }
    fn backend(&self) -> Backend {
        Backend::Art
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn next(x: &mut u64) -> u64 {
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        *x
    }

    fn bound(x: &mut u64, key: u64) -> Bound<u64> {
        match next(x) % 3 {
            0 => Bound::Included(key),
            1 => Bound::Excluded(key),
            _ => Bound::Unbounded,
        }
    }

    fn same(t: &Art<u64>, model: &BTreeMap<u64, u64>, range: (Bound<u64>, Bound<u64>)) {
        let bad_range = match range {
            (Bound::Included(a), Bound::Included(b)) => a > b,
            (Bound::Included(a) | Bound::Excluded(a), Bound::Excluded(b))
            | (Bound::Excluded(a), Bound::Included(b)) => a >= b,
            _ => false,
        };
        if bad_range {
            // std panics on these; ours yields nothing.
            assert_eq!(t.range(range).next(), None);
            return;
        }
        assert!(
            t.range(range)
                .map(|(k, v)| (k, *v))
                .eq(model.range(range).map(|(k, v)| (*k, *v))),
            "range {range:?}"
        );
    }

    /// Random operations with keys from `gen` against `BTreeMap`.
    fn run(seed: u64, steps: u64, gen: &dyn Fn(&mut u64) -> u64) {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut t = Art::<u64>::new();
        let mut model = BTreeMap::new();
        let third = steps / 3;
        for step in 0..steps {
            let k = gen(&mut x);
            let insert_share = match step / third {
                0 => 8,
                1 => 2,
                _ => 5,
            };
            if next(&mut x) % 10 < insert_share {
                assert_eq!(t.insert(k, step).unwrap(), model.insert(k, step));
            } else {
                assert_eq!(t.remove(k), model.remove(&k));
            }
            if step % 97 == 0 {
                let probe = gen(&mut x);
                assert_eq!(t.get(probe), model.get(&probe));
                let (a, b) = (gen(&mut x), gen(&mut x));
                let (lo, hi) = (a.min(b), a.max(b));
                let hi = if next(&mut x) % 2 == 0 {
                    hi
                } else {
                    lo.saturating_add(next(&mut x) % 1000)
                };
                same(&t, &model, (bound(&mut x, lo), bound(&mut x, hi)));
                same(&t, &model, (bound(&mut x, hi), bound(&mut x, lo)));
            }
            if step % 2_000 == 0 {
                t.check_invariants();
                assert_eq!(t.len(), model.len());
                assert_eq!(
                    t.first_key_value().map(|(k, _)| k),
                    model.keys().next().copied()
                );
                assert_eq!(
                    t.last_key_value().map(|(k, _)| k),
                    model.keys().next_back().copied()
                );
            }
        }
        t.check_invariants();
        assert!(t
            .iter()
            .map(|(k, v)| (k, *v))
            .eq(model.iter().map(|(k, v)| (*k, *v))));
        let copy = t.clone();
        assert_eq!(copy, t);
        for (k, v) in &model {
            assert_eq!(t.get(*k), Some(v));
        }
        let bytes = t.heap_bytes();
        let keys: Vec<u64> = model.keys().copied().collect();
        for (j, k) in keys.into_iter().enumerate() {
            assert_eq!(t.remove(k), model.remove(&k));
            if j % 5_000 == 0 {
                t.check_invariants();
            }
        }
        assert!(t.is_empty());
        assert_eq!(t.iter().next(), None);
        assert_eq!(t.heap_bytes(), bytes, "removal allocated or freed");
        t.check_invariants();
        t.clear();
        t.check_invariants();
        assert_eq!(t.heap_bytes(), bytes);
    }

    #[test]
    fn dense_keys() {
        run(1, 60_000, &|x| next(x) % 1_000);
        run(2, 30_000, &|x| next(x) % 64);
        run(3, 60_000, &|x| next(x) % 100_000);
    }

    #[test]
    fn sparse_keys() {
        run(4, 60_000, &|x| next(x));
        run(5, 60_000, &|x| next(x) % 20_000 * 0x0001_0001_0001);
    }

    #[test]
    fn long_shared_prefixes() {
        run(6, 60_000, &|x| (next(x) % 3_000) << 40);
        run(7, 60_000, &|x| match next(x) % 8 {
            0 => 0,
            1 => u64::MAX,
            2 => u64::MAX - next(x) % 300,
            3 => next(x) % 300,
            4 => (next(x) % 2_000) << 56 >> (8 * (next(x) % 8)),
            _ => 0xABCD_EF01_2345_0000 | (next(x) % 600),
        });
    }

    #[test]
    fn grows_and_shrinks_through_every_kind() {
        let mut t = Art::<u64>::new();
        let base = 0x1234_5678_9A00_0000u64;
        let kind = |t: &Art<u64>| kind_of(t.root);
        for b in 0..256u64 {
            t.insert(base | b << 16, b).unwrap();
            t.check_invariants();
            let want = match b + 1 {
                1 => None,
                2..=4 => Some(K4),
                5..=16 => Some(K16),
                17..=48 => Some(K48),
                _ => Some(K256),
            };
            if let Some(k) = want {
                assert_eq!(kind(&t), k, "{} children", b + 1);
                assert_eq!(t.header(t.root), (base, 5));
            }
        }
        assert_eq!(t.n256.live(), 1);
        for b in (0..256u64).rev() {
            assert_eq!(t.remove(base | b << 16), Some(b));
            t.check_invariants();
            let want = match b {
                0 => None,
                1 => Some(None),
                2..=3 => Some(Some(K4)),
                4..=12 => Some(Some(K16)),
                13..=37 => Some(Some(K48)),
                _ => Some(Some(K256)),
            };
            match want {
                None => assert_eq!(t.root, EMPTY),
                Some(None) => assert!(is_leaf(t.root)),
                Some(Some(k)) => assert_eq!(kind(&t), k, "{b} children"),
            }
        }
        assert!(t.is_empty());
        // Growing again reuses the freed nodes.
        let bytes = t.heap_bytes();
        for b in 0..256u64 {
            t.insert(b, b).unwrap();
        }
        assert_eq!(t.heap_bytes(), bytes);
        t.check_invariants();
    }

    #[test]
    fn prefix_splits_and_collapses() {
        let mut t = Art::<u32>::new();
        t.insert(0x1111_2222_3333_4444, 1).unwrap();
        t.insert(0x1111_2222_3333_5555, 2).unwrap();
        assert_eq!(t.header(t.root).1, 6);
        // Differs inside the compressed prefix: a new Node4 above.
        t.insert(0x1111_9999_0000_0000, 3).unwrap();
        assert_eq!(t.header(t.root).1, 2);
        t.insert(0x0011_0000_0000_0000, 4).unwrap();
        assert_eq!(t.header(t.root).1, 0);
        t.check_invariants();
        assert_eq!(t.get(0x1111_2222_3333_4444), Some(&1));
        assert_eq!(t.get(0x1111_2222_3333_4445), None);
        assert_eq!(t.get(0x1111_2222_0000_4444), None);
        assert_eq!(
            t.range(0x1111_0000_0000_0000..)
                .map(|(_, v)| *v)
                .collect::<Vec<_>>(),
            [1, 2, 3]
        );
        assert_eq!(
            t.range(..0x1111_3000_0000_0000)
                .map(|(_, v)| *v)
                .collect::<Vec<_>>(),
            [4, 1, 2]
        );
        assert_eq!(t.remove(0x1111_9999_0000_0000), Some(3));
        assert_eq!(t.remove(0x0011_0000_0000_0000), Some(4));
        t.check_invariants();
        assert_eq!(t.header(t.root).1, 6);
        *t.get_mut(0x1111_2222_3333_5555).unwrap() = 7;
        assert_eq!(
            format!("{t:?}"),
            "{1229801703532086340: 1, 1229801703532090709: 7}"
        );
        assert_eq!(t.remove(0x1111_2222_3333_4444), Some(1));
        assert!(is_leaf(t.root));
        t.check_invariants();
    }

    #[test]
    fn extremes_and_empty() {
        let mut t = Art::<u64>::new();
        assert_eq!(t.heap_bytes(), 0);
        assert_eq!(t.first_key_value(), None);
        assert_eq!(t.last_key_value(), None);
        assert_eq!(t.remove(0), None);
        assert_eq!(t.range(..).next(), None);
        for k in [0, u64::MAX, 1, u64::MAX - 1, 1 << 63] {
            assert_eq!(t.insert(k, k).unwrap(), None);
        }
        t.check_invariants();
        assert_eq!(t.first_key_value(), Some((0, &0)));
        assert_eq!(t.last_key_value(), Some((u64::MAX, &u64::MAX)));
        assert_eq!(
            t.range((Bound::Excluded(u64::MAX), Bound::Unbounded))
                .count(),
            0
        );
        assert_eq!(t.range(u64::MAX..).count(), 1);
        assert_eq!(t.range(..=0).count(), 1);
        assert_eq!(t.range(..0).count(), 0);
        assert_eq!(t.range(1..1).count(), 0);
        assert_eq!(t.iter().count(), 5);
        assert_eq!(t, t.clone());
    }
}
