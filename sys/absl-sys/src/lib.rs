//! Raw FFI to [Abseil](https://abseil.io)'s `absl::flat_hash_map`, the C++ Swiss table,
//! through our extern "C" shim `shim/arsenal_absl.cc` (Abseil's containers are C++
//! templates with no C API). Two map kinds: `u64 → u64` (`arsenal_absl_u64_*`) and
//! `bytes → u64` (`arsenal_absl_bytes_*`, keys copied into `std::string`, looked up as
//! `std::string_view` without a copy). Hashing is Abseil's own (`absl::Hash`).
//!
//! # Facts the safe layer relies on
//!
//! - A handle from `*_new` (null when `malloc` fails) is released with `*_free` (null is
//!   accepted). Handles hold no thread-local state: a handle may move between threads, and
//!   the `const` functions (`get`, `get_many`, `len`, `capacity`, `heap_bytes`, iteration)
//!   may run concurrently with each other, as on any `const` C++ container; mutating
//!   functions need exclusive access.
//! - No C++ exception leaves the shim. Statuses: [`ARSENAL_ABSL_OK`];
//!   [`ARSENAL_ABSL_CAPACITY`] (a `reserve` beyond what a table can address: more than
//!   `max_size()` elements or a byte size that overflows `size_t`; the map is untouched);
//!   [`ARSENAL_ABSL_NOMEM`] (the allocation the table was about to make failed when tried
//!   first; the map is untouched); [`ARSENAL_ABSL_NOMEM_RESET`] (Abseil threw while
//!   growing, which leaves its table inconsistent: the shim leaked it and the map is now
//!   **empty**).
//! - `insert` writes `*replaced` (1 when the key was present, then `*old` holds its former
//!   value). `get`/`remove` return 1 and write `*value`/`*old` when the key is present, 0
//!   otherwise. `get_many` writes `found[i]` for each of `n` keys and `values[i]` where
//!   found; it returns the number found. `insert_many` writes how many pairs it applied to
//!   `*done`.
//! - Key pointers may be dangling when the length is 0. Iterators (`*_iter_new`, null on
//!   allocation failure) borrow the map: it must not be modified or freed until the
//!   iterator is freed; the bytes iterator's key pointers are valid as long.
//! - `heap_bytes` is the table's allocation (control bytes, cloned group, slots) plus, for
//!   bytes maps, key buffers longer than `std::string`'s inline capacity.
//!
//! # The ordered map (`arsenal_absl_btree_*`, shim `shim/arsenal_absl_btree.cc`)
//!
//! `absl::btree_map<uint64_t, uint64_t>` with a counting allocator (malloc/free), so that
//! `heap_bytes` is the bytes of its live nodes. `insert` returns [`ARSENAL_ABSL_OK`] or
//! [`ARSENAL_ABSL_NOMEM_RESET`] (a node allocation failed inside the tree: the shim leaked
//! it and the map is now **empty**). `get`, `remove`, `first`, `last` return 1 and write
//! their outputs when there is an entry, 0 otherwise. `scan(from, keys, values, cap)`
//! copies up to `cap` entries with keys ≥ `from`, ascending, and returns how many. The
//! thread-safety facts above hold for it too.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::c_int;

/// Success.
pub const ARSENAL_ABSL_OK: c_int = 0;
/// The allocation failed when tried first; the map is untouched.
pub const ARSENAL_ABSL_NOMEM: c_int = 1;
/// The request exceeds what a table can address; the map is untouched.
pub const ARSENAL_ABSL_CAPACITY: c_int = 2;
/// Abseil threw while growing: the inconsistent table was leaked, the map is now empty.
pub const ARSENAL_ABSL_NOMEM_RESET: c_int = 3;

/// An opaque `u64 → u64` map (`absl::flat_hash_map<uint64_t, uint64_t>`).
#[repr(C)]
#[derive(Debug)]
pub struct arsenal_absl_u64 {
    _private: [u8; 0],
}

/// An opaque `bytes → u64` map (`absl::flat_hash_map<std::string, uint64_t>`).
#[repr(C)]
#[derive(Debug)]
pub struct arsenal_absl_bytes {
    _private: [u8; 0],
}

/// An opaque ordered `u64 → u64` map (`absl::btree_map<uint64_t, uint64_t>`).
#[repr(C)]
#[derive(Debug)]
pub struct arsenal_absl_btree {
    _private: [u8; 0],
}

/// An iterator over a [`arsenal_absl_u64`] map.
#[repr(C)]
#[derive(Debug)]
pub struct arsenal_absl_u64_iter {
    _private: [u8; 0],
}

/// An iterator over a [`arsenal_absl_bytes`] map.
#[repr(C)]
#[derive(Debug)]
pub struct arsenal_absl_bytes_iter {
    _private: [u8; 0],
}

extern "C" {
    /// A new empty map (null when `malloc` fails).
    pub fn arsenal_absl_u64_new() -> *mut arsenal_absl_u64;
    /// Frees a map (null is accepted).
    pub fn arsenal_absl_u64_free(map: *mut arsenal_absl_u64);
    /// Makes room for `additional` more elements without growing.
    pub fn arsenal_absl_u64_reserve(map: *mut arsenal_absl_u64, additional: usize) -> c_int;
    /// Inserts or overwrites `key`.
    pub fn arsenal_absl_u64_insert(
        map: *mut arsenal_absl_u64,
        key: u64,
        value: u64,
        old: *mut u64,
        replaced: *mut c_int,
    ) -> c_int;
    /// Inserts or overwrites `n` pairs from `keys[0..n]`, `values[0..n]`.
    pub fn arsenal_absl_u64_insert_many(
        map: *mut arsenal_absl_u64,
        keys: *const u64,
        values: *const u64,
        n: usize,
        done: *mut usize,
    ) -> c_int;
    /// Looks `key` up.
    pub fn arsenal_absl_u64_get(map: *const arsenal_absl_u64, key: u64, value: *mut u64) -> c_int;
    /// Looks `n` keys up; returns the number found.
    pub fn arsenal_absl_u64_get_many(
        map: *const arsenal_absl_u64,
        keys: *const u64,
        n: usize,
        values: *mut u64,
        found: *mut u8,
    ) -> usize;
    /// Removes `key`.
    pub fn arsenal_absl_u64_remove(map: *mut arsenal_absl_u64, key: u64, old: *mut u64) -> c_int;
    /// The number of elements.
    pub fn arsenal_absl_u64_len(map: *const arsenal_absl_u64) -> usize;
    /// The number of slots.
    pub fn arsenal_absl_u64_capacity(map: *const arsenal_absl_u64) -> usize;
    /// The bytes the table holds on the heap.
    pub fn arsenal_absl_u64_heap_bytes(map: *const arsenal_absl_u64) -> usize;
    /// Removes every element.
    pub fn arsenal_absl_u64_clear(map: *mut arsenal_absl_u64);
    /// An iterator over the map (null when `malloc` fails).
    pub fn arsenal_absl_u64_iter_new(map: *const arsenal_absl_u64) -> *mut arsenal_absl_u64_iter;
    /// Copies up to `cap` pairs; returns how many (0: done).
    pub fn arsenal_absl_u64_iter_next(
        iter: *mut arsenal_absl_u64_iter,
        keys: *mut u64,
        values: *mut u64,
        cap: usize,
    ) -> usize;
    /// Frees an iterator (null is accepted).
    pub fn arsenal_absl_u64_iter_free(iter: *mut arsenal_absl_u64_iter);

    /// A new empty map (null when `malloc` fails).
    pub fn arsenal_absl_bytes_new() -> *mut arsenal_absl_bytes;
    /// Frees a map (null is accepted).
    pub fn arsenal_absl_bytes_free(map: *mut arsenal_absl_bytes);
    /// Makes room for `additional` more elements without growing.
    pub fn arsenal_absl_bytes_reserve(map: *mut arsenal_absl_bytes, additional: usize) -> c_int;
    /// Inserts or overwrites the key `key[0..len]`.
    pub fn arsenal_absl_bytes_insert(
        map: *mut arsenal_absl_bytes,
        key: *const u8,
        len: usize,
        value: u64,
        old: *mut u64,
        replaced: *mut c_int,
    ) -> c_int;
    /// Looks the key `key[0..len]` up.
    pub fn arsenal_absl_bytes_get(
        map: *const arsenal_absl_bytes,
        key: *const u8,
        len: usize,
        value: *mut u64,
    ) -> c_int;
    /// Removes the key `key[0..len]`.
    pub fn arsenal_absl_bytes_remove(
        map: *mut arsenal_absl_bytes,
        key: *const u8,
        len: usize,
        old: *mut u64,
    ) -> c_int;
    /// The number of elements.
    pub fn arsenal_absl_bytes_len(map: *const arsenal_absl_bytes) -> usize;
    /// The number of slots.
    pub fn arsenal_absl_bytes_capacity(map: *const arsenal_absl_bytes) -> usize;
    /// The bytes the table and its long keys hold on the heap.
    pub fn arsenal_absl_bytes_heap_bytes(map: *const arsenal_absl_bytes) -> usize;
    /// Removes every element.
    pub fn arsenal_absl_bytes_clear(map: *mut arsenal_absl_bytes);
    /// An iterator over the map (null when `malloc` fails).
    pub fn arsenal_absl_bytes_iter_new(
        map: *const arsenal_absl_bytes,
    ) -> *mut arsenal_absl_bytes_iter;
    /// The next pair (1), or 0 when done.
    pub fn arsenal_absl_bytes_iter_next(
        iter: *mut arsenal_absl_bytes_iter,
        key: *mut *const u8,
        len: *mut usize,
        value: *mut u64,
    ) -> c_int;
    /// Frees an iterator (null is accepted).
    pub fn arsenal_absl_bytes_iter_free(iter: *mut arsenal_absl_bytes_iter);

    /// A new empty ordered map (null when `malloc` fails).
    pub fn arsenal_absl_btree_new() -> *mut arsenal_absl_btree;
    /// Frees an ordered map (null is accepted).
    pub fn arsenal_absl_btree_free(map: *mut arsenal_absl_btree);
    /// Inserts or overwrites `key`.
    pub fn arsenal_absl_btree_insert(
        map: *mut arsenal_absl_btree,
        key: u64,
        value: u64,
        old: *mut u64,
        replaced: *mut c_int,
    ) -> c_int;
    /// Looks `key` up.
    pub fn arsenal_absl_btree_get(
        map: *const arsenal_absl_btree,
        key: u64,
        value: *mut u64,
    ) -> c_int;
    /// Looks `n` keys up; returns the number found.
    pub fn arsenal_absl_btree_get_many(
        map: *const arsenal_absl_btree,
        keys: *const u64,
        n: usize,
        values: *mut u64,
        found: *mut u8,
    ) -> usize;
    /// Removes `key`.
    pub fn arsenal_absl_btree_remove(
        map: *mut arsenal_absl_btree,
        key: u64,
        old: *mut u64,
    ) -> c_int;
    /// The number of entries.
    pub fn arsenal_absl_btree_len(map: *const arsenal_absl_btree) -> usize;
    /// The bytes of the tree's live nodes.
    pub fn arsenal_absl_btree_heap_bytes(map: *const arsenal_absl_btree) -> usize;
    /// Removes every entry.
    pub fn arsenal_absl_btree_clear(map: *mut arsenal_absl_btree);
    /// The entry with the smallest key.
    pub fn arsenal_absl_btree_first(
        map: *const arsenal_absl_btree,
        key: *mut u64,
        value: *mut u64,
    ) -> c_int;
    /// The entry with the largest key.
    pub fn arsenal_absl_btree_last(
        map: *const arsenal_absl_btree,
        key: *mut u64,
        value: *mut u64,
    ) -> c_int;
    /// Copies up to `cap` entries with keys ≥ `from`, ascending; returns how many.
    pub fn arsenal_absl_btree_scan(
        map: *const arsenal_absl_btree,
        from: u64,
        keys: *mut u64,
        values: *mut u64,
        cap: usize,
    ) -> usize;
}
