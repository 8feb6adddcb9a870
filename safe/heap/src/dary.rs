//! [`DaryHeap`]: a max-heap with `D` children per node, std `BinaryHeap`'s API.

use std::collections::TryReserveError;
use std::fmt;
use std::mem::{self, ManuallyDrop};
use std::ptr;

/// A max-heap (the greatest element first, as std's `BinaryHeap`) stored in one `Vec`,
/// each node with `D` children (`D ≥ 2`; a compile-time error otherwise).
///
/// A wider node makes the tree shallower (log_D n levels): `pop` compares more children
/// per level but visits fewer levels, and the `D` children sit next to each other in
/// memory. With `D = 4` and small elements a node's children share one or two cache
/// lines, which is why 4 is the default; `D = 2` is the classic binary heap.
///
/// `pop` moves the hole left by the root down to a leaf along the larger children and
/// then sifts the last element up from there (Floyd's bottom-up variant, as std does):
/// the element taken from the end usually belongs near the bottom again.
///
/// If `Ord` panics the heap stays a permutation of its elements (nothing is dropped
/// twice or leaked), though no longer ordered.
///
/// ```
/// use arsenal_heap::DaryHeap;
///
/// let mut heap: DaryHeap<u32> = [5, 1, 8, 3].into();
/// heap.push(7);
/// assert_eq!(heap.peek(), Some(&8));
/// assert_eq!(heap.pop(), Some(8));
/// assert_eq!(heap.into_sorted_vec(), vec![1, 3, 5, 7]);
///
/// // Min-heap: wrap elements in `Reverse`, as with std's `BinaryHeap`.
/// use std::cmp::Reverse;
/// let mut min = DaryHeap::<Reverse<u64>, 8>::new();
/// min.extend([Reverse(3), Reverse(1), Reverse(2)]);
/// assert_eq!(min.pop(), Some(Reverse(1)));
/// ```
pub struct DaryHeap<T, const D: usize = 4> {
    data: Vec<T>,
}

impl<T, const D: usize> DaryHeap<T, D> {
    /// Fails the build for `D < 2` (evaluated where the heap is instantiated).
    const ARITY: () = assert!(D >= 2, "DaryHeap needs at least 2 children per node");

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the heap is empty.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The elements it can hold without reallocating.
    pub fn capacity(&self) -> usize {
        self.data.capacity()
    }

    /// Removes every element, keeping the allocation.
    pub fn clear(&mut self) {
        self.data.clear();
    }

    /// The elements in heap order (the first is the greatest; the rest unordered).
    pub fn as_slice(&self) -> &[T] {
        &self.data
    }

    /// Iterates over the elements in heap order (the first is the greatest).
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.data.iter()
    }

    /// The underlying vector, in heap order.
    pub fn into_vec(self) -> Vec<T> {
        self.data
    }

    /// Removes every element, in heap order.
    pub fn drain(&mut self) -> std::vec::Drain<'_, T> {
        self.data.drain(..)
    }

    /// Makes room for `additional` more elements.
    ///
    /// # Errors
    /// std's [`TryReserveError`] when the size overflows or the allocator fails; the heap
    /// is unchanged.
    pub fn try_reserve(&mut self, additional: usize) -> Result<(), TryReserveError> {
        self.data.try_reserve(additional)
    }

    /// Makes room for `additional` more elements (aborts when the allocator fails, as
    /// `Vec::reserve`; see [`try_reserve`](Self::try_reserve)).
    pub fn reserve(&mut self, additional: usize) {
        self.data.reserve(additional);
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.data.shrink_to_fit();
    }

    /// The greatest element.
    pub fn peek(&self) -> Option<&T> {
        self.data.first()
    }
}

impl<T: Ord, const D: usize> DaryHeap<T, D> {
    /// An empty heap.
    pub const fn new() -> Self {
        #[allow(clippy::let_unit_value)]
        let () = Self::ARITY;
        DaryHeap { data: Vec::new() }
    }

    /// An empty heap with room for `capacity` elements.
    pub fn with_capacity(capacity: usize) -> Self {
        #[allow(clippy::let_unit_value)]
        let () = Self::ARITY;
        DaryHeap {
            data: Vec::with_capacity(capacity),
        }
    }

    /// Adds `item`.
    pub fn push(&mut self, item: T) {
        let pos = self.data.len();
        self.data.push(item);
        self.sift_up(0, pos);
    }

    /// Adds `item` without aborting when the allocator fails.
    ///
    /// # Errors
    /// std's [`TryReserveError`], with `item` dropped and the heap unchanged.
    pub fn try_push(&mut self, item: T) -> Result<(), TryReserveError> {
        self.data.try_reserve(1)?;
        self.push(item);
        Ok(())
    }

    /// Removes the greatest element.
    pub fn pop(&mut self) -> Option<T> {
        self.data.pop().map(|mut item| {
            if !self.data.is_empty() {
                mem::swap(&mut item, &mut self.data[0]);
                self.sift_down_to_bottom(0);
            }
            item
        })
    }

    /// The elements in ascending order (an in-place heap sort).
    pub fn into_sorted_vec(mut self) -> Vec<T> {
        let mut end = self.data.len();
        while end > 1 {
            end -= 1;
            self.data.swap(0, end);
            self.sift_down_range(0, end);
        }
        self.data
    }

    /// Moves every element of `other` into `self`, leaving `other` empty.
    pub fn append(&mut self, other: &mut Self) {
        if self.data.len() < other.data.len() {
            mem::swap(self, other);
        }
        let start = self.data.len();
        self.data.append(&mut other.data);
        // Rebuild when that is cheaper than sifting each new element up.
        if self.data.len() - start > start / 2 {
            self.heapify();
        } else {
            for pos in start..self.data.len() {
                self.sift_up(0, pos);
            }
        }
    }

    /// Keeps only the elements for which `keep` is true.
    pub fn retain(&mut self, keep: impl FnMut(&T) -> bool) {
        let before = self.data.len();
        self.data.retain(keep);
        if self.data.len() != before {
            self.heapify();
        }
    }

    /// Orders `data` as a heap bottom-up, O(n).
    fn heapify(&mut self) {
        let n = self.data.len();
        if n < 2 {
            return;
        }
        for pos in (0..=(n - 2) / D).rev() {
            self.sift_down_range(pos, n);
        }
    }

    /// The index of the first child of `pos`, if it is below `end`.
    #[inline(always)]
    fn first_child(pos: usize, end: usize) -> Option<usize> {
        pos.checked_mul(D)
            .and_then(|c| c.checked_add(1))
            .filter(|&c| c < end)
    }

    /// The index of the greatest of the children `first..min(first + D, end)` of the
    /// hole (the first of equals). `first` is the hole's first child, below `end`, and
    /// `end` is at most the slice's length.
    #[inline(always)]
    fn greatest_child(hole: &Hole<'_, T>, first: usize, end: usize) -> usize {
        let mut best = first;
        if end - first >= D {
            // Every child exists: a loop of constant length, unrolled.
            for offset in 1..D {
                let child = first + offset;
                // SAFETY: hole < first < child < first + D ≤ end ≤ len: in bounds, not
                // the hole.
                if unsafe { hole.get(child) > hole.get(best) } {
                    best = child;
                }
            }
        } else {
            for child in first + 1..end {
                // SAFETY: hole < first < child < end ≤ len: in bounds, not the hole.
                if unsafe { hole.get(child) > hole.get(best) } {
                    best = child;
                }
            }
        }
        best
    }

    /// Moves the element at `pos` up towards `start` until its parent is not smaller;
    /// its final index.
    fn sift_up(&mut self, start: usize, pos: usize) -> usize {
        let mut hole = Hole::new(&mut self.data, pos);
        while hole.pos() > start {
            let parent = (hole.pos() - 1) / D;
            // SAFETY: parent < hole.pos() < len, so the index is in bounds and not the hole.
            if hole.element() <= unsafe { hole.get(parent) } {
                break;
            }
            // SAFETY: as above.
            unsafe { hole.move_to(parent) };
        }
        hole.pos()
    }

    /// Moves the element at `pos` down until no child below `end` is greater.
    fn sift_down_range(&mut self, pos: usize, end: usize) {
        let mut hole = Hole::new(&mut self.data[..end], pos);
        while let Some(first) = Self::first_child(hole.pos(), end) {
            let best = Self::greatest_child(&hole, first, end);
            // SAFETY: pos < first ≤ best < end: in bounds, not the hole.
            if hole.element() >= unsafe { hole.get(best) } {
                break;
            }
            // SAFETY: as above.
            unsafe { hole.move_to(best) };
        }
    }

    /// Moves the hole at `pos` to a leaf along the greatest children, then sifts the
    /// element that was at `pos` up from there.
    fn sift_down_to_bottom(&mut self, pos: usize) {
        let end = self.data.len();
        let mut hole = Hole::new(&mut self.data, pos);
        while let Some(first) = Self::first_child(hole.pos(), end) {
            let best = Self::greatest_child(&hole, first, end);
            // SAFETY: pos < first ≤ best < end: in bounds, not the hole.
            unsafe { hole.move_to(best) };
        }
        let leaf = hole.pos();
        drop(hole);
        self.sift_up(pos, leaf);
    }
}

/// A slot of the heap whose element has been read out: moves fill it from other slots
/// and dropping it writes the element back, so that a panic in `Ord` leaves every element
/// exactly once in the slice.
struct Hole<'a, T> {
    data: &'a mut [T],
    element: ManuallyDrop<T>,
    pos: usize,
}

impl<'a, T> Hole<'a, T> {
    /// Reads the element at `pos` out of `data`.
    ///
    /// # Panics
    /// If `pos` is out of bounds.
    #[inline(always)]
    fn new(data: &'a mut [T], pos: usize) -> Self {
        assert!(pos < data.len(), "hole outside the heap");
        // SAFETY: `pos` is in bounds (checked); the slot is logically moved out until the
        // hole is dropped, and only the hole writes to it.
        let element = ManuallyDrop::new(unsafe { ptr::read(data.as_ptr().add(pos)) });
        Hole { data, element, pos }
    }

    #[inline(always)]
    fn pos(&self) -> usize {
        self.pos
    }

    #[inline(always)]
    fn element(&self) -> &T {
        &self.element
    }

    /// The element at `index`.
    ///
    /// # Safety
    /// `index < data.len()` and `index != pos`.
    #[inline(always)]
    unsafe fn get(&self, index: usize) -> &T {
        debug_assert!(index != self.pos && index < self.data.len());
        // SAFETY: the caller keeps `index` in bounds and off the hole.
        unsafe { self.data.get_unchecked(index) }
    }

    /// Moves the element at `index` into the hole; the hole is now at `index`.
    ///
    /// # Safety
    /// `index < data.len()` and `index != pos`.
    #[inline(always)]
    unsafe fn move_to(&mut self, index: usize) {
        debug_assert!(index != self.pos && index < self.data.len());
        let base = self.data.as_mut_ptr();
        // SAFETY: both indices are in bounds and distinct (the caller's promise), so the
        // one-element ranges do not overlap.
        unsafe { ptr::copy_nonoverlapping(base.add(index), base.add(self.pos), 1) };
        self.pos = index;
    }
}

impl<T> Drop for Hole<'_, T> {
    #[inline(always)]
    fn drop(&mut self) {
        // SAFETY: `pos` is in bounds and its slot holds no live element (it was read out
        // or moved away from); the element goes back exactly once.
        unsafe {
            let pos = self.pos;
            ptr::copy_nonoverlapping(&*self.element, self.data.as_mut_ptr().add(pos), 1);
        }
    }
}

impl<T: Ord, const D: usize> Default for DaryHeap<T, D> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Clone, const D: usize> Clone for DaryHeap<T, D> {
    fn clone(&self) -> Self {
        DaryHeap {
            data: self.data.clone(),
        }
    }
}

impl<T: fmt::Debug, const D: usize> fmt::Debug for DaryHeap<T, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.data.iter()).finish()
    }
}

impl<T: Ord, const D: usize> From<Vec<T>> for DaryHeap<T, D> {
    /// Orders `data` as a heap in O(n).
    fn from(data: Vec<T>) -> Self {
        #[allow(clippy::let_unit_value)]
        let () = Self::ARITY;
        let mut heap = DaryHeap { data };
        heap.heapify();
        heap
    }
}

impl<T: Ord, const D: usize, const N: usize> From<[T; N]> for DaryHeap<T, D> {
    fn from(items: [T; N]) -> Self {
        Vec::from(items).into()
    }
}

impl<T, const D: usize> From<DaryHeap<T, D>> for Vec<T> {
    fn from(heap: DaryHeap<T, D>) -> Vec<T> {
        heap.data
    }
}

impl<T: Ord, const D: usize> FromIterator<T> for DaryHeap<T, D> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Vec::from_iter(iter).into()
    }
}

impl<T: Ord, const D: usize> Extend<T> for DaryHeap<T, D> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        self.data.reserve(iter.size_hint().0);
        for item in iter {
            self.push(item);
        }
    }
}

impl<T, const D: usize> IntoIterator for DaryHeap<T, D> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    /// The elements in heap order (not sorted: see [`DaryHeap::into_sorted_vec`]).
    fn into_iter(self) -> Self::IntoIter {
        self.data.into_iter()
    }
}

impl<'a, T, const D: usize> IntoIterator for &'a DaryHeap<T, D> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.data.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BinaryHeap;

    fn check<const D: usize>() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut ours = DaryHeap::<u32, D>::new();
        let mut model = BinaryHeap::new();
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if x % 3 == 0 {
                assert_eq!(ours.pop(), model.pop());
            } else {
                let v = (x >> 40) as u32 % 500;
                ours.push(v);
                model.push(v);
            }
            assert_eq!(ours.peek(), model.peek());
            assert_eq!(ours.len(), model.len());
        }
        let from: DaryHeap<u32, D> = model.clone().into_vec().into();
        assert_eq!(from.into_sorted_vec(), model.clone().into_sorted_vec());
        assert_eq!(ours.into_sorted_vec(), model.into_sorted_vec());
    }

    #[test]
    fn matches_std_for_several_arities() {
        check::<2>();
        check::<3>();
        check::<4>();
        check::<8>();
        check::<17>();
    }

    #[test]
    fn append_and_retain() {
        let mut a: DaryHeap<i32> = (0..100).collect();
        let mut b: DaryHeap<i32> = (100..130).collect();
        a.append(&mut b);
        assert!(b.is_empty());
        a.retain(|v| v % 2 == 0);
        assert_eq!(a.into_sorted_vec(), (0..130).step_by(2).collect::<Vec<_>>());
    }
}
