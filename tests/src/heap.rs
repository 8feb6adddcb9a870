//! The priority-queue suite (`arsenal-heap`): every [`MinQueue`] backend checked against
//! a model (a `BTreeMap` multiset) under random pushes and pops, by
//! [`heap_conformance!`](crate::heap_conformance); the generic [`DaryHeap`] against std's
//! `BinaryHeap` for several arities and element types with destructors, and for panic
//! safety (an `Ord` that panics must leave every element dropped exactly once).
use std::cell::Cell;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use arsenal_heap::{DaryHeap, ErrorKind, MinQueue};

use crate::data::rng;

/// A multiset of `(key, value)` items: the model queue.
#[derive(Default)]
struct Model {
    items: BTreeMap<u64, Vec<u64>>,
    len: usize,
}

impl Model {
    fn push(&mut self, key: u64, value: u64) {
        self.items.entry(key).or_default().push(value);
        self.len += 1;
    }
    fn min_key(&self) -> Option<u64> {
        self.items.keys().next().copied()
    }
    /// Checks that `(key, value)` is an item with the smallest key and removes it.
    fn take(&mut self, key: u64, value: u64) {
        assert_eq!(Some(key), self.min_key(), "popped key is not the smallest");
        let values = self.items.get_mut(&key).expect("key present");
        let at = values
            .iter()
            .position(|v| *v == value)
            .unwrap_or_else(|| panic!("value {value} was never pushed with key {key}"));
        values.swap_remove(at);
        if values.is_empty() {
            self.items.remove(&key);
        }
        self.len -= 1;
    }
}

/// 300 000 random operations: pushes with keys from a narrow window above the current
/// minimum (many equal keys), from anywhere (0, `u64::MAX`, random 64-bit values), and
/// pops; each result checked against the model. With `monotone`, keys never go below the
/// last key popped (the radix heap's contract) and a key below it must be refused with
/// the queue unchanged.
pub fn model<Q: MinQueue<u64> + Default>(monotone: bool) {
    let mut q = Q::default();
    let mut model = Model::default();
    let mut next = rng(7);
    let mut floor = 0u64;
    for i in 0..300_000u64 {
        let r = next();
        if r % 100 < 45 && !model.items.is_empty() {
            let (key, value) = q.pop().expect("queue has items");
            model.take(key, value);
            floor = key;
        } else {
            let base = if monotone {
                floor
            } else {
                model.min_key().unwrap_or(0)
            };
            let key = match (r >> 8) % 8 {
                0 => next() | base,
                1 => u64::MAX,
                2 if !monotone => 0,
                3 => base,
                _ => base.saturating_add(next() % 64),
            };
            q.push(key, i).unwrap();
            model.push(key, i);
            if monotone && !q.backend().any_key_order() && floor > 0 && r % 97 == 0 {
                let below = next() % floor;
                let err = q.push(below, 0).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::NotMonotone);
            }
        }
        assert_eq!(q.len(), model.len);
        assert_eq!(q.is_empty(), model.len == 0);
        if i % 1_000 == 0 {
            assert_eq!(q.peek_key(), model.min_key());
        }
        if i % 100_000 == 99_999 {
            // Drain and refill: the queue is reusable after running dry.
            while let Some((key, value)) = q.pop() {
                model.take(key, value);
            }
            assert_eq!(model.len, 0);
            // `clear` takes a monotone queue's floor back to 0.
            q.clear();
            floor = 0;
        }
    }
}

/// Ascending output of random 64-bit keys of every magnitude, and `clear`.
pub fn sorts<Q: MinQueue<u64> + Default>() {
    let mut q = Q::default();
    let mut next = rng(3);
    let mut keys: Vec<u64> = (0..100_000).map(|_| next() >> (next() % 64)).collect();
    keys.extend([0, 0, u64::MAX, u64::MAX, 1 << 63]);
    for (i, k) in keys.iter().enumerate() {
        q.push(*k, i as u64).unwrap();
    }
    keys.sort_unstable();
    let out: Vec<u64> = std::iter::from_fn(|| q.pop().map(|(k, _)| k)).collect();
    assert_eq!(out, keys);
    // After clear, any key is accepted again (a radix heap's floor goes back to 0).
    q.clear();
    q.push(5, 5).unwrap();
    q.clear();
    assert!(q.is_empty());
    assert_eq!(q.pop(), None);
    assert_eq!(q.peek_key(), None);
    q.push(0, 1).unwrap();
    assert_eq!(q.pop(), Some((0, 1)));
}

/// `reserve` up to `usize::MAX` is a `Capacity` or `OutOfMemory` error, the queue
/// unchanged and working.
pub fn limits<Q: MinQueue<u64> + Default>() {
    let mut q = Q::default();
    for k in 0..1_000 {
        q.push(k * 3, k).unwrap();
    }
    for n in [
        usize::MAX,
        usize::MAX - 500,
        usize::MAX / 2,
        usize::MAX / 16,
    ] {
        let err = q.reserve(n).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Capacity, "reserve({n})");
    }
    match q.reserve(1 << 40) {
        Ok(()) => {}
        Err(e) => assert!(matches!(
            e.kind(),
            ErrorKind::Capacity | ErrorKind::OutOfMemory
        )),
    }
    q.reserve(10_000).unwrap();
    assert_eq!(q.len(), 1_000);
    for k in 0..1_000 {
        assert_eq!(q.pop(), Some((k * 3, k)));
    }
}

/// An element that counts its clones and drops, with an `Ord` that can panic.
struct Counted {
    key: u32,
    drops: Rc<Cell<usize>>,
    /// Elements made: by the test, and by `clone`.
    created: Rc<Cell<usize>>,
    /// `Ord` panics when it compares this many times more (shared by all elements).
    panic_after: Rc<Cell<usize>>,
}

impl Clone for Counted {
    fn clone(&self) -> Self {
        self.created.set(self.created.get() + 1);
        Counted {
            key: self.key,
            drops: Rc::clone(&self.drops),
            created: Rc::clone(&self.created),
            panic_after: Rc::clone(&self.panic_after),
        }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.drops.set(self.drops.get() + 1);
    }
}

impl PartialEq for Counted {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Counted {}
impl PartialOrd for Counted {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Counted {
    fn cmp(&self, other: &Self) -> Ordering {
        let left = self.panic_after.get();
        if left == 1 {
            panic!("comparison panics (test)");
        }
        self.panic_after.set(left.saturating_sub(1));
        self.key.cmp(&other.key)
    }
}

/// `DaryHeap<T, D>` equals std's `BinaryHeap` on every operation, with `String`
/// elements (destructors, heap storage), for `D` = 2, 3, 4, 8, 16.
pub fn dary_matches_binary_heap() {
    fn run<const D: usize>() {
        let mut next = rng(D as u64);
        let mut ours = DaryHeap::<String, D>::new();
        let mut model = BinaryHeap::new();
        for _ in 0..30_000 {
            let r = next();
            match r % 8 {
                0..=2 => assert_eq!(ours.pop(), model.pop()),
                3 => {
                    let more: Vec<String> = (0..r % 20)
                        .map(|i| format!("{}", next() % 1000 + i))
                        .collect();
                    let mut other: DaryHeap<String, D> = more.clone().into();
                    ours.append(&mut other);
                    model.extend(more);
                }
                _ => {
                    let s = format!("{:04}", next() % 2_000);
                    ours.push(s.clone());
                    model.push(s);
                }
            }
            assert_eq!(ours.peek(), model.peek());
            assert_eq!(ours.len(), model.len());
        }
        let mut a = ours.clone().into_sorted_vec();
        let b = model.clone().into_sorted_vec();
        assert_eq!(a, b);
        a.reverse();
        let heapified: DaryHeap<String, D> = a.into();
        assert_eq!(heapified.into_sorted_vec(), b);
        ours.retain(|s| s.ends_with('7'));
        model.retain(|s| s.ends_with('7'));
        assert_eq!(ours.into_sorted_vec(), model.into_sorted_vec());
    }
    run::<2>();
    run::<3>();
    run::<4>();
    run::<8>();
    run::<16>();
}

/// An `Ord` that panics in the middle of `push`, `pop`, `From<Vec>` and
/// `into_sorted_vec`: every element is still dropped exactly once (no double drop, no
/// leak) and the heap stays usable.
pub fn dary_panic_safety() {
    for op in 0..4 {
        for when in [1usize, 2, 5, 17, 40] {
            let drops = Rc::new(Cell::new(0));
            let created = Rc::new(Cell::new(0usize));
            let panic_after = Rc::new(Cell::new(0));
            let make = |key: u32| {
                created.set(created.get() + 1);
                Counted {
                    key: key.wrapping_mul(2_654_435_761) % 1000,
                    drops: Rc::clone(&drops),
                    created: Rc::clone(&created),
                    panic_after: Rc::clone(&panic_after),
                }
            };
            let items: Vec<Counted> = (0..200).map(make).collect();
            let mut heap: DaryHeap<Counted, 4> = items.into();
            panic_after.set(when + 1);
            let result = catch_unwind(AssertUnwindSafe(|| match op {
                0 => (0..1_000).for_each(|i| heap.push(make(i))),
                1 => (0..200).for_each(|_| drop(heap.pop())),
                2 => drop(DaryHeap::<Counted, 3>::from(heap.clone().into_vec())),
                _ => drop(heap.clone().into_sorted_vec()),
            }));
            assert!(result.is_err(), "op {op} at {when}: no panic");
            panic_after.set(0);
            // Still usable: pops come out (in some order) without crashing.
            let left = heap.len();
            let mut out = 0;
            while heap.pop().is_some() {
                out += 1;
            }
            assert_eq!(out, left, "op {op} at {when}");
            drop(heap);
            assert_eq!(
                drops.get(),
                created.get(),
                "op {op} at {when}: every element dropped exactly once"
            );
        }
    }
}

/// Instantiates the [`MinQueue`] suite for one queue type (`monotone`: whether keys must
/// not go below the last key popped).
#[macro_export]
macro_rules! heap_conformance {
    ($name:ident, $queue:ty, monotone = $monotone:expr) => {
        mod $name {
            use $crate::heap as suite;

            #[test]
            fn model() {
                suite::model::<$queue>($monotone);
            }

            #[test]
            fn sorts() {
                suite::sorts::<$queue>();
            }

            #[test]
            fn limits() {
                suite::limits::<$queue>();
            }
        }
    };
}
