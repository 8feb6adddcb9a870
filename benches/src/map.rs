//! Hash-map rows of the matrix: `map/<op>/<dataset>/<impl>`.
//!
//! Datasets: `u64-1e3`, `u64-1e5`, `u64-1e6` (distinct random 64-bit keys, value = the
//! key's index; with `--large` also `u64-1e7`, `insert` and `get-hit` only) and
//! `bytes-1e5`, `bytes-1e6` (distinct keys `key:<decimal of a random u64>`, 5–24 bytes).
//! Ops (`items` = keys; the report's ns/op is per key):
//!
//! | op | one iteration | checksum |
//! |---|---|---|
//! | `insert` | a new map, every key inserted (growing from empty), dropped | the map's length |
//! | `get-hit` | every key looked up in a map built outside the timing | Σ (value + 1) = n(n+1)/2 |
//! | `get-miss` | as many absent keys looked up | 0 |
//! | `get-batch` | every key looked up 256 at a time through `Map::get_many` (peers: their `get` in a loop; `raw:abseil`: its lookup loop) | Σ (value + 1) |
//! | `churn` | every key inserted into a map kept grown (cleared), then every key removed | Σ (removed value + 1) |
//!
//! Impls: `arsenal:abseil` ([`arsenal_map::Abseil`]: one FFI call per operation),
//! `raw:abseil` (`absl::flat_hash_map` in C++, the loop inside C++: `benches/native/raw_absl.cpp`,
//! compiled against the headers arsenal-absl-sys found), `arsenal:std-wyhash` and
//! `arsenal:std-rapidhash` ([`arsenal_map::StdMap`] with arsenal-hash's `Build<WyHash>` /
//! `Build<RapidHash>`), `peer:hashbrown-foldhash` (hashbrown's own default:
//! `foldhash::fast::RandomState`), `peer:hashbrown-ahash` and `peer:std-siphash` (std's
//! `HashMap` with its default SipHash-1-3 `RandomState`, the reference most code runs).
//! Every impl runs every dataset; `bytes` datasets have the `insert` and `get-hit` ops,
//! `u64` datasets all of them. `get-batch` is the row where our FFI-crossing backend
//! pays one call per 256 keys instead of one per key.
//!
//! **Memory rows** `map/memory/<dataset>/<impl>` (the 10⁶ datasets): heap bytes held by a
//! map of every key (glibc `mallinfo2`, so C++ and Rust allocations alike) / keys.

use std::collections::HashMap as StdHashMap;
use std::hint::black_box;
use std::path::Path;
use std::rc::Rc;

use arsenal_hash::{Build, RapidHash, WyHash};
use arsenal_map::{Abseil, Map, StdMap};

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::held_by;
use crate::harness::{distinct_keys, Case, Registry};
use crate::report::MemoryRow;
use crate::strategy::pick;

const NAME: &str = "map";

/// The hash-map domain of the matrix.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Hash maps",
    register,
    memory: Memory::After(memory_rows),
    select: Some(Selection {
        krate: "arsenal-map",
        pick: pick::<arsenal_map::Backend>,
    }),
    ..Domain::EMPTY
};

extern "C" {
    fn raw_absl_u64_build(keys: *const u64, n: usize) -> *mut std::ffi::c_void;
    fn raw_absl_u64_free(map: *mut std::ffi::c_void);
    fn raw_absl_u64_insert(keys: *const u64, n: usize) -> u64;
    fn raw_absl_u64_lookup(map: *const std::ffi::c_void, keys: *const u64, n: usize) -> u64;
    fn raw_absl_u64_churn(map: *mut std::ffi::c_void, keys: *const u64, n: usize) -> u64;
    fn raw_absl_bytes_build(
        bytes: *const u8,
        offsets: *const usize,
        n: usize,
    ) -> *mut std::ffi::c_void;
    fn raw_absl_bytes_free(map: *mut std::ffi::c_void);
    fn raw_absl_bytes_insert(bytes: *const u8, offsets: *const usize, n: usize) -> u64;
    fn raw_absl_bytes_lookup(
        map: *const std::ffi::c_void,
        bytes: *const u8,
        offsets: *const usize,
        n: usize,
    ) -> u64;
}

/// Byte-string keys flattened: `bytes[offsets[i]..offsets[i + 1]]` is key `i`.
struct Keys {
    bytes: Vec<u8>,
    offsets: Vec<usize>,
}

impl Keys {
    fn of(keys: &[u64]) -> Keys {
        let mut bytes = Vec::new();
        let mut offsets = vec![0];
        for k in keys {
            // 5–24 bytes: the decimal digits of a random value of 1–64 bits.
            let shift = k % 60;
            bytes.extend_from_slice(format!("key:{}", k >> shift).as_bytes());
            offsets.push(bytes.len());
        }
        Keys { bytes, offsets }
    }
    fn len(&self) -> usize {
        self.offsets.len() - 1
    }
    fn get(&self, i: usize) -> &[u8] {
        &self.bytes[self.offsets[i]..self.offsets[i + 1]]
    }
    fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.offsets.windows(2).map(|w| &self.bytes[w[0]..w[1]])
    }
}

/// The operations one table under test needs, over key type `K`.
trait Table<K: ?Sized>: 'static {
    fn make() -> Self;
    fn put(&mut self, key: &K, value: u64);
    fn look(&self, key: &K) -> Option<u64>;
    fn take(&mut self, key: &K) -> Option<u64>;
    fn size(&self) -> usize;
    fn wipe(&mut self);
    /// Looks up `keys[i]` into `out[i]`: a loop of `look` unless the impl has a batch call.
    #[inline]
    fn look_many(&self, keys: &[K], out: &mut [Option<u64>])
    where
        K: Sized,
    {
        for (key, slot) in keys.iter().zip(out.iter_mut()) {
            *slot = self.look(key);
        }
    }
}

/// The batch size of the `get-batch` op.
const BATCH: usize = 256;

/// Our maps, through the `Map` trait a user calls; `u64` maps answer `look_many` with
/// [`Map::get_many`] (`$batch`).
macro_rules! ours {
    (@common $k:ty, $t:ty) => {
        fn make() -> Self {
            <$t>::default()
        }
        #[inline]
        fn put(&mut self, key: &$k, value: u64) {
            self.insert(key, value).expect("insert");
        }
        #[inline]
        fn look(&self, key: &$k) -> Option<u64> {
            self.get(key)
        }
        #[inline]
        fn take(&mut self, key: &$k) -> Option<u64> {
            self.remove(key)
        }
        fn size(&self) -> usize {
            Map::len(self)
        }
        fn wipe(&mut self) {
            Map::clear(self)
        }
    };
    ($k:ty, batch, $($t:ty),+) => {$(
        impl Table<$k> for $t {
            ours!(@common $k, $t);
            #[inline]
            fn look_many(&self, keys: &[$k], out: &mut [Option<u64>]) {
                self.get_many(keys, out);
            }
        }
    )+};
    ($k:ty, $($t:ty),+) => {$(
        impl Table<$k> for $t {
            ours!(@common $k, $t);
        }
    )+};
}
ours!(u64, batch, Abseil<u64>, StdMap<u64, Build<WyHash>>, StdMap<u64, Build<RapidHash>>);
ours!([u8], Abseil<[u8]>, StdMap<[u8], Build<WyHash>>, StdMap<[u8], Build<RapidHash>>);

type Hashbrown<K, S> = hashbrown::HashMap<K, u64, S>;
type Foldhash = foldhash::fast::RandomState;

/// Peers through their own API: `$put` inserts or overwrites (`$m` is the map).
macro_rules! peer {
    ($k:ty, |$m:ident, $key:ident, $value:ident| $put:expr, $($t:ty),+) => {$(
        impl Table<$k> for $t {
            fn make() -> Self {
                <$t>::default()
            }
            #[inline]
            fn put(&mut self, $key: &$k, $value: u64) {
                let $m = self;
                $put
            }
            #[inline]
            fn look(&self, key: &$k) -> Option<u64> {
                self.get(key).copied()
            }
            #[inline]
            fn take(&mut self, key: &$k) -> Option<u64> {
                self.remove(key)
            }
            fn size(&self) -> usize {
                self.len()
            }
            fn wipe(&mut self) {
                self.clear()
            }
        }
    )+};
}
// `u64` keys stored as they are.
peer!(
    u64,
    |m, key, value| {
        m.insert(*key, value);
    },
    Hashbrown<u64, Foldhash>,
    Hashbrown<u64, ahash::RandomState>,
    StdHashMap<u64, u64>
);
// Byte-string keys owned as `Vec<u8>`, looked up by `&[u8]`.
peer!(
    [u8],
    |m, key, value| {
        if let Some(v) = m.get_mut(key) {
            *v = value;
        } else {
            m.insert(key.to_vec(), value);
        }
    },
    Hashbrown<Vec<u8>, Foldhash>,
    Hashbrown<Vec<u8>, ahash::RandomState>,
    StdHashMap<Vec<u8>, u64>
);

/// n(n+1)/2: Σ (value + 1) over values 0..n.
fn triangle(n: usize) -> u64 {
    let n = n as u64;
    n * (n + 1) / 2
}

/// Registers `case`, except the ops the 10⁷ dataset (`--large`) skips: it gets `insert`
/// and `get-hit` only (seconds per iteration).
fn add(reg: &mut Registry, case: Case) {
    let id = case.id();
    let parts: Vec<&str> = id.split('/').collect();
    if parts[2] != "u64-1e7" || matches!(parts[1], "insert" | "get-hit") {
        reg.add(case);
    }
}

fn register(reg: &mut Registry, _data: Option<&Path>) {
    let mut datasets = vec![
        ("u64-1e3", 1_000),
        ("u64-1e5", 100_000),
        ("u64-1e6", 1_000_000),
    ];
    if crate::harness::large() {
        datasets.push(("u64-1e7", 10_000_000));
    }
    for (dataset, n) in datasets {
        let (hit, miss) = distinct_keys(n);
        let (hit, miss) = (Rc::new(hit), Rc::new(miss));
        u64_cells::<Abseil<u64>>(reg, dataset, "arsenal:abseil", &hit, &miss);
        raw_u64_cells(reg, dataset, &hit, &miss);
        u64_cells::<StdMap<u64, Build<WyHash>>>(reg, dataset, "arsenal:std-wyhash", &hit, &miss);
        u64_cells::<StdMap<u64, Build<RapidHash>>>(
            reg,
            dataset,
            "arsenal:std-rapidhash",
            &hit,
            &miss,
        );
        u64_cells::<Hashbrown<u64, Foldhash>>(reg, dataset, "peer:hashbrown-foldhash", &hit, &miss);
        u64_cells::<Hashbrown<u64, ahash::RandomState>>(
            reg,
            dataset,
            "peer:hashbrown-ahash",
            &hit,
            &miss,
        );
        u64_cells::<StdHashMap<u64, u64>>(reg, dataset, "peer:std-siphash", &hit, &miss);
    }
    for (dataset, n) in [("bytes-1e5", 100_000), ("bytes-1e6", 1_000_000)] {
        let keys = Rc::new(distinct_bytes(n));
        bytes_cells::<Abseil<[u8]>>(reg, dataset, "arsenal:abseil", &keys);
        raw_bytes_cells(reg, dataset, &keys);
        bytes_cells::<StdMap<[u8], Build<WyHash>>>(reg, dataset, "arsenal:std-wyhash", &keys);
        bytes_cells::<StdMap<[u8], Build<RapidHash>>>(reg, dataset, "arsenal:std-rapidhash", &keys);
        bytes_cells::<Hashbrown<Vec<u8>, Foldhash>>(reg, dataset, "peer:hashbrown-foldhash", &keys);
        bytes_cells::<Hashbrown<Vec<u8>, ahash::RandomState>>(
            reg,
            dataset,
            "peer:hashbrown-ahash",
            &keys,
        );
        bytes_cells::<StdHashMap<Vec<u8>, u64>>(reg, dataset, "peer:std-siphash", &keys);
    }
}

/// `n` distinct byte-string keys: distinct u64s can print to the same string after the
/// shift, so a key whose string was seen is replaced by spare keys until it is new (one
/// pass).
fn distinct_bytes(n: usize) -> Keys {
    let (raw, spare) = distinct_keys(n);
    let mut spare = spare.into_iter();
    let mut seen = std::collections::HashSet::with_capacity(n);
    let mut unique = Vec::with_capacity(n);
    for mut k in raw {
        while !seen.insert(Keys::of(&[k]).bytes) {
            k = spare.next().expect("enough spare keys");
        }
        unique.push(k);
    }
    Keys::of(&unique)
}

fn u64_cells<T: Table<u64>>(
    reg: &mut Registry,
    dataset: &str,
    imp: &str,
    hit: &Rc<Vec<u64>>,
    miss: &Rc<Vec<u64>>,
) {
    let n = hit.len();
    let keys = Rc::clone(hit);
    add(
        reg,
        Case::new(NAME, "insert", dataset, imp, 0, n as u64, move || {
            let mut m = T::make();
            for (i, k) in keys.iter().enumerate() {
                m.put(black_box(k), i as u64);
            }
            m.size() as u64
        })
        .expect(n as u64),
    );
    let built = Rc::new({
        let mut m = T::make();
        for (i, k) in hit.iter().enumerate() {
            m.put(k, i as u64);
        }
        m
    });
    for (op, probes, want) in [("get-hit", hit, triangle(n)), ("get-miss", miss, 0)] {
        let (m, probes) = (Rc::clone(&built), Rc::clone(probes));
        add(
            reg,
            Case::new(NAME, op, dataset, imp, 0, n as u64, move || {
                let mut sum = 0u64;
                for k in probes.iter() {
                    if let Some(v) = m.look(black_box(k)) {
                        sum += v + 1;
                    }
                }
                sum
            })
            .expect(want),
        );
    }
    let (m, probes) = (Rc::clone(&built), Rc::clone(hit));
    add(
        reg,
        Case::new(NAME, "get-batch", dataset, imp, 0, n as u64, move || {
            let mut out = [None; BATCH];
            let mut sum = 0u64;
            for chunk in probes.chunks(BATCH) {
                m.look_many(black_box(chunk), &mut out);
                sum += out[..chunk.len()]
                    .iter()
                    .flatten()
                    .map(|v| v + 1)
                    .sum::<u64>();
            }
            sum
        })
        .expect(triangle(n)),
    );
    let keys = Rc::clone(hit);
    let mut m = T::make();
    for (i, k) in keys.iter().enumerate() {
        m.put(k, i as u64);
    }
    m.wipe();
    add(
        reg,
        Case::new(NAME, "churn", dataset, imp, 0, n as u64, move || {
            for (i, k) in keys.iter().enumerate() {
                m.put(black_box(k), i as u64);
            }
            let mut sum = 0u64;
            for k in keys.iter() {
                if let Some(v) = m.take(black_box(k)) {
                    sum += v + 1;
                }
            }
            sum + m.size() as u64
        })
        .expect(triangle(n)),
    );
}

/// A raw C++ map (freed on drop).
struct RawMap {
    ptr: *mut std::ffi::c_void,
    free: unsafe extern "C" fn(*mut std::ffi::c_void),
}

impl RawMap {
    /// The map's pointer. Cells call this rather than reading the field: a `move`
    /// closure that names only `map.ptr` captures the bare pointer (edition 2021's
    /// disjoint captures), drops the `RawMap` when the registering function returns,
    /// and then runs on a freed map.
    fn get(&self) -> *mut std::ffi::c_void {
        self.ptr
    }
}

impl Drop for RawMap {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from the matching build function; freed once.
        unsafe { (self.free)(self.ptr) }
    }
}

fn raw_u64_cells(reg: &mut Registry, dataset: &str, hit: &Rc<Vec<u64>>, miss: &Rc<Vec<u64>>) {
    let imp = "raw:abseil";
    let n = hit.len();
    let keys = Rc::clone(hit);
    add(
        reg,
        Case::new(NAME, "insert", dataset, imp, 0, n as u64, move || {
            // SAFETY: `keys` holds `n` keys.
            unsafe { raw_absl_u64_insert(keys.as_ptr(), keys.len()) }
        })
        .expect(n as u64),
    );
    // SAFETY: `hit` holds `n` keys; the map is freed by `RawMap`.
    let ptr = unsafe { raw_absl_u64_build(hit.as_ptr(), n) };
    let built = Rc::new(RawMap {
        ptr,
        free: raw_absl_u64_free,
    });
    // get-batch: the raw loop is already one call for all keys.
    for (op, probes, want) in [
        ("get-hit", hit, triangle(n)),
        ("get-miss", miss, 0),
        ("get-batch", hit, triangle(n)),
    ] {
        let (m, probes) = (Rc::clone(&built), Rc::clone(probes));
        add(
            reg,
            Case::new(NAME, op, dataset, imp, 0, n as u64, move || {
                // SAFETY: a live map; `probes` holds its length in keys.
                unsafe { raw_absl_u64_lookup(m.get(), probes.as_ptr(), probes.len()) }
            })
            .expect(want),
        );
    }
    // SAFETY: as above. Built full, so that the table is grown as the other impls'
    // (the first churn overwrites, then removes every key).
    let ptr = unsafe { raw_absl_u64_build(hit.as_ptr(), n) };
    let churned = RawMap {
        ptr,
        free: raw_absl_u64_free,
    };
    let keys = Rc::clone(hit);
    add(
        reg,
        Case::new(NAME, "churn", dataset, imp, 0, n as u64, move || {
            // SAFETY: a live map used by this cell alone; `keys` holds `n` keys.
            unsafe { raw_absl_u64_churn(churned.get(), keys.as_ptr(), keys.len()) }
        })
        .expect(triangle(n)),
    );
}

fn bytes_cells<T: Table<[u8]>>(reg: &mut Registry, dataset: &str, imp: &str, keys: &Rc<Keys>) {
    let n = keys.len();
    let k = Rc::clone(keys);
    reg.add(
        Case::new(
            NAME,
            "insert",
            dataset,
            imp,
            k.bytes.len() as u64,
            n as u64,
            move || {
                let mut m = T::make();
                for (i, key) in k.iter().enumerate() {
                    m.put(black_box(key), i as u64);
                }
                m.size() as u64
            },
        )
        .expect(n as u64),
    );
    let mut m = T::make();
    for (i, key) in keys.iter().enumerate() {
        m.put(key, i as u64);
    }
    let k = Rc::clone(keys);
    reg.add(
        Case::new(
            NAME,
            "get-hit",
            dataset,
            imp,
            k.bytes.len() as u64,
            n as u64,
            move || {
                let mut sum = 0u64;
                for i in 0..k.len() {
                    if let Some(v) = m.look(black_box(k.get(i))) {
                        sum += v + 1;
                    }
                }
                sum
            },
        )
        .expect(triangle(n)),
    );
}

fn raw_bytes_cells(reg: &mut Registry, dataset: &str, keys: &Rc<Keys>) {
    let imp = "raw:abseil";
    let n = keys.len();
    let k = Rc::clone(keys);
    reg.add(
        Case::new(
            NAME,
            "insert",
            dataset,
            imp,
            k.bytes.len() as u64,
            n as u64,
            move || {
                // SAFETY: `offsets` has n + 1 entries within `bytes`.
                unsafe { raw_absl_bytes_insert(k.bytes.as_ptr(), k.offsets.as_ptr(), k.len()) }
            },
        )
        .expect(n as u64),
    );
    // SAFETY: `offsets` has n + 1 entries within `bytes`; freed by `RawMap`.
    let ptr = unsafe { raw_absl_bytes_build(keys.bytes.as_ptr(), keys.offsets.as_ptr(), n) };
    let built = RawMap {
        ptr,
        free: raw_absl_bytes_free,
    };
    let k = Rc::clone(keys);
    reg.add(
        Case::new(
            NAME,
            "get-hit",
            dataset,
            imp,
            k.bytes.len() as u64,
            n as u64,
            move || {
                // SAFETY: a live map; `offsets` has n + 1 entries within `bytes`.
                unsafe {
                    raw_absl_bytes_lookup(
                        built.get(),
                        k.bytes.as_ptr(),
                        k.offsets.as_ptr(),
                        k.len(),
                    )
                }
            },
        )
        .expect(triangle(n)),
    );
}

/// Heap bytes per key of a map of every key of the 10⁶ datasets.
pub fn memory_rows() -> Vec<MemoryRow> {
    let mut rows = Vec::new();
    let (hit, _) = distinct_keys(1_000_000);
    let bytes = distinct_bytes(1_000_000);
    let mut row = |dataset: &str, what: &str, imp: &str, held: Option<usize>| {
        rows.push(MemoryRow {
            domain: NAME.to_owned(),
            dataset: dataset.to_owned(),
            what: what.to_owned(),
            imp: imp.to_owned(),
            items: 1_000_000,
            bytes_per_item: held.map(|b| b as f64 / 1e6),
        })
    };
    fn fill_u64<T: Table<u64>>(keys: &[u64]) -> Option<T> {
        let mut m = T::make();
        for (i, k) in keys.iter().enumerate() {
            m.put(k, i as u64);
        }
        Some(m)
    }
    fn fill_bytes<T: Table<[u8]>>(keys: &Keys) -> Option<T> {
        let mut m = T::make();
        for (i, k) in keys.iter().enumerate() {
            m.put(k, i as u64);
        }
        Some(m)
    }
    let what = "u64 → u64 map of 10⁶ keys, grown from empty: heap bytes held / keys";
    let d = "u64-1e6";
    row(
        d,
        what,
        "arsenal:abseil",
        held_by(|| fill_u64::<Abseil<u64>>(&hit)).map(|r| r.1),
    );
    row(
        d,
        what,
        "arsenal:std-wyhash",
        held_by(|| fill_u64::<StdMap<u64, Build<WyHash>>>(&hit)).map(|r| r.1),
    );
    row(
        d,
        what,
        "peer:hashbrown-foldhash",
        held_by(|| fill_u64::<Hashbrown<u64, Foldhash>>(&hit)).map(|r| r.1),
    );
    let what = "bytes → u64 map of 10⁶ keys (5–24 bytes), grown from empty: heap bytes held / keys";
    let d = "bytes-1e6";
    row(
        d,
        what,
        "arsenal:abseil",
        held_by(|| fill_bytes::<Abseil<[u8]>>(&bytes)).map(|r| r.1),
    );
    row(
        d,
        what,
        "arsenal:std-wyhash",
        held_by(|| fill_bytes::<StdMap<[u8], Build<WyHash>>>(&bytes)).map(|r| r.1),
    );
    row(
        d,
        what,
        "peer:hashbrown-foldhash",
        held_by(|| fill_bytes::<Hashbrown<Vec<u8>, Foldhash>>(&bytes)).map(|r| r.1),
    );
    rows
}
