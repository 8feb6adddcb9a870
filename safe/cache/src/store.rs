//! The storage every policy shares: a hash map from key to slot, and a slab of nodes
//! linked into the policy's intrusive doubly linked lists (all O(1)).

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};

/// "No node" in a link.
pub(crate) const NIL: usize = usize::MAX;

/// One entry: resident (`value` is `Some`) or a ghost (key only, `value` is `None`).
pub(crate) struct Node<K, V> {
    pub key: K,
    pub value: Option<V>,
    prev: usize,
    next: usize,
    /// Which of the policy's lists holds the node.
    pub list: u8,
    /// Policy state: a frequency counter or reference/test bits.
    pub meta: u8,
}

/// A list's ends and length; the nodes carry the links.
#[derive(Clone, Copy, Debug)]
pub(crate) struct List {
    pub head: usize,
    pub tail: usize,
    pub len: usize,
}

impl List {
    pub const EMPTY: List = List {
        head: NIL,
        tail: NIL,
        len: 0,
    };
}

/// Key → slot map plus the slab of nodes. Freed slots are reused; nothing is
/// allocated from the capacity up front (a `usize::MAX` capacity is an unbounded
/// cache, not an allocation).
pub(crate) struct Store<K, V, S> {
    pub map: HashMap<K, usize, S>,
    nodes: Vec<Node<K, V>>,
    free: Vec<usize>,
}

impl<K: Hash + Eq + Clone, V, S: BuildHasher> Store<K, V, S> {
    pub fn with_hasher(hasher: S) -> Self {
        Store {
            map: HashMap::with_hasher(hasher),
            nodes: Vec::new(),
            free: Vec::new(),
        }
    }

    #[inline]
    pub fn find(&self, key: &K) -> Option<usize> {
        self.map.get(key).copied()
    }

    #[inline]
    pub fn node(&self, i: usize) -> &Node<K, V> {
        &self.nodes[i]
    }

    #[inline]
    pub fn node_mut(&mut self, i: usize) -> &mut Node<K, V> {
        &mut self.nodes[i]
    }

    #[inline]
    pub fn next(&self, i: usize) -> usize {
        self.nodes[i].next
    }

    /// A new node for `key` (not yet on any list), registered in the map.
    pub fn alloc(&mut self, key: K, value: Option<V>, list: u8) -> usize {
        let node = Node {
            key: key.clone(),
            value,
            prev: NIL,
            next: NIL,
            list,
            meta: 0,
        };
        let i = match self.free.pop() {
            Some(i) => {
                self.nodes[i] = node;
                i
            }
            None => {
                self.nodes.push(node);
                self.nodes.len() - 1
            }
        };
        self.map.insert(key, i);
        i
    }

    /// Forgets node `i` (already unlinked): removes its key from the map and returns
    /// its value. The slot's key stays until the slot is reused.
    pub fn release(&mut self, i: usize) -> Option<V> {
        self.map.remove(&self.nodes[i].key);
        self.free.push(i);
        self.nodes[i].value.take()
    }

    /// Links `i` at the head (most recent end) of `l`.
    pub fn push_front(&mut self, l: &mut List, i: usize) {
        let n = &mut self.nodes[i];
        n.prev = NIL;
        n.next = l.head;
        if l.head != NIL {
            self.nodes[l.head].prev = i;
        } else {
            l.tail = i;
        }
        l.head = i;
        l.len += 1;
    }

    /// Links `i` just before `at` in `l` (`at` on `l`; `NIL` appends at the tail).
    pub fn insert_before(&mut self, l: &mut List, at: usize, i: usize) {
        if at == l.head {
            return self.push_front(l, i);
        }
        let prev = if at == NIL {
            l.tail
        } else {
            self.nodes[at].prev
        };
        self.nodes[i].prev = prev;
        self.nodes[i].next = at;
        self.nodes[prev].next = i;
        if at == NIL {
            l.tail = i;
        } else {
            self.nodes[at].prev = i;
        }
        l.len += 1;
    }

    /// Unlinks `i` from `l`.
    pub fn unlink(&mut self, l: &mut List, i: usize) {
        let (p, n) = (self.nodes[i].prev, self.nodes[i].next);
        if p == NIL {
            l.head = n;
        } else {
            self.nodes[p].next = n;
        }
        if n == NIL {
            l.tail = p;
        } else {
            self.nodes[n].prev = p;
        }
        l.len -= 1;
    }

    /// Moves `i` (on `from`) to the head of `to`.
    pub fn move_front(&mut self, from: &mut List, to: &mut List, i: usize) {
        self.unlink(from, i);
        self.push_front(to, i);
    }

    /// Moves node `i` to the head of list `to` of `lists` (indexed by the nodes' `list`
    /// field), from whichever of them holds it (the same one: to its head).
    pub fn relink(&mut self, lists: &mut [List], i: usize, to: u8) {
        let from = self.nodes[i].list;
        if from == to {
            let l = &mut lists[usize::from(to)];
            if l.head != i {
                self.unlink(l, i);
                self.push_front(l, i);
            }
            return;
        }
        let [a, b] = lists
            .get_disjoint_mut([usize::from(from), usize::from(to)])
            .expect("two distinct lists");
        self.move_front(a, b, i);
        self.nodes[i].list = to;
    }

    /// The value stored for `key` (a ghost has none).
    pub fn peek(&self, key: &K) -> Option<&V> {
        self.nodes[self.find(key)?].value.as_ref()
    }

    /// Removes `key` from whichever of `lists` holds it, returning its value.
    pub fn remove(&mut self, lists: &mut [List], key: &K) -> Option<V> {
        let i = self.find(key)?;
        self.unlink(&mut lists[usize::from(self.nodes[i].list)], i);
        self.release(i)
    }

    /// Unlinks and returns the tail of `l`.
    pub fn pop_back(&mut self, l: &mut List) -> Option<usize> {
        let t = l.tail;
        if t == NIL {
            return None;
        }
        self.unlink(l, t);
        Some(t)
    }

    /// Bytes of the map's and slab's allocations (capacity, not length), for the
    /// memory rows; keys and values owning heap memory are not followed.
    pub fn heap_bytes(&self) -> usize {
        // hashbrown: one control byte per bucket plus the (K, usize) pair, buckets a
        // power of two ≥ 8/7 of the capacity.
        let buckets = if self.map.capacity() == 0 {
            0
        } else {
            (self.map.capacity() * 8 / 7).next_power_of_two()
        };
        buckets * (1 + std::mem::size_of::<(K, usize)>())
            + self.nodes.capacity() * std::mem::size_of::<Node<K, V>>()
            + self.free.capacity() * std::mem::size_of::<usize>()
    }
}
