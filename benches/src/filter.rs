//! Approximate membership filter rows of the matrix: `filter/<op>/<n>/<impl>`.
//!
//! Ops: `build` (make the filter from `n` keys; for the dynamic filters, size it and
//! insert them), `query-hit` (look up the `n` keys built in), `query-miss` (look up `n`
//! keys never built in). Sizes `1e4` (cache-resident) and `1e6`, plus `1e7` with
//! `arsenal-bench --large` (DRAM-bound; every filter built over 10⁷ keys at registration
//! for the verification, so opt-in). Keys are 64-bit hashes
//! ([`arsenal_filter::hash_item`] of `(i, salt)`), handed to every implementation as
//! `u64`: xorf and fastbloom take them as they are (xorf remixes, fastbloom's
//! `insert_hash`/`contains_hash` use them as the source hash); `bloomfilter` and
//! `cuckoofilter` hash them again with their SipHash (their only API); `qfilter` takes
//! them as fingerprints (`insert_fingerprint`/`contains_fingerprint`, its fingerprint
//! API).
//!
//! | impl | filter | bits/key at 10⁶ | false-positive rate |
//! |---|---|---|---|
//! | `arsenal:binary-fuse8` / `16` | [`arsenal_filter::BinaryFuse8`] / `16` | ≈ 9.0 / 18.1 | 2⁻⁸ / 2⁻¹⁶ |
//! | `arsenal:xor8` / `16` | [`arsenal_filter::Xor8`] / `16` | 9.84 / 19.7 | 2⁻⁸ / 2⁻¹⁶ |
//! | `arsenal:ribbon8` / `16` | [`arsenal_filter::Ribbon8`] / `16` (Standard Ribbon, 128-bit rows) | ≈ 8.4 / 16.8 | 2⁻⁸ / 2⁻¹⁶ |
//! | `arsenal:bloom` | [`arsenal_filter::BlockedBloom`], 12 bits/key | 12 | 0.54 % |
//! | `arsenal:cuckoo` | [`arsenal_filter::Cuckoo`], 16-bit fingerprints | 17.4 | ≤ 0.012 % |
//! | `arsenal:quotient8` / `16` | [`arsenal_filter::Quotient8`] / `16`, sized at 90 % load | 12.2 / 21.1 | 0.35 % / 0.0014 % |
//! | `arsenal:quotient8/load50` | [`arsenal_filter::Quotient8::with_load`]`(n, 0.5)`: about `qfilter`'s own load (it rounds its table to a power of two) | 22 | 0.19 % |
//! | `peer:xorf` | `xorf`'s `BinaryFuse8`/`16`, `Xor8`/`16` (rows of the same op and kind: `peer:xorf/binary-fuse8`, …) | same as ours | same |
//! | `peer:fastbloom` | `fastbloom::BloomFilter::with_false_pos(0.0054)` (a blocked Bloom filter; same rate as ours) | its choice | 0.54 % |
//! | `peer:bloomfilter` | `bloomfilter::Bloom::new_for_fp_rate(n, 0.0054)` (classic Bloom) | its choice | 0.54 % |
//! | `peer:qfilter` | `qfilter::Filter::new(n, 0.0035)` (a rank-select quotient filter, Pandey et al. 2017; our `quotient8`'s rate; no duplicates) | its choice | ≤ 0.35 % |
//! | `peer:cuckoofilter` | `cuckoofilter::CuckooFilter::with_capacity(n)` (8-bit fingerprints; rebuilt at the same size, up to 4 times, when its random relocations fail at 10⁶ keys — 95 % load) | its choice | ≈ 3 % |
//!
//! **Verification.** `build`: the built filter must report all of 64 sample keys
//! (checksum 64). `query-hit`: every key found (checksum `n`: no false negatives).
//! `query-miss`: the count of false positives, computed once outside the timing with the
//! same filter, and the measured rate must be within the filter's bound (ours: the
//! documented rate ±25 % or, for the 16-bit xor and fuse filters, at most 10⁻⁴, for the
//! cuckoo filter at most 1.25 × 8/2¹⁶, the quotient filters their
//! `expected_fpr` at 90 % load ±25 % (16-bit: at most 10⁻⁴); peers: their configured
//! rate ×1.5, cuckoofilter below 5 %); otherwise the cell is `FAILED`.
//!
//! **Memory rows** `filter/memory/1e6/<impl>`: table bytes per key of each filter built
//! over 10⁶ keys (ours: [`Filter::size_in_bytes`]; xorf: its fingerprint arrays;
//! fastbloom: `num_bits / 8`; bloomfilter: its bitmap; cuckoofilter and qfilter:
//! `memory_usage()`).

use std::hint::black_box;
use std::path::Path;
use std::rc::Rc;

use arsenal_filter::{
    hash_item, Backend, BinaryFuse16, BinaryFuse8, BlockedBloom, Cuckoo, DynamicFilter, Filter,
    Quotient16, Quotient8, Ribbon16, Ribbon8, StaticFilter, Xor16, Xor8,
};

use crate::domain::{Domain, Memory, Selection};
use crate::harness::{Case, Registry};
use crate::report::MemoryRow;
use crate::strategy::pick;

const NAME: &str = "filter";

/// The filter domain of the matrix.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Approximate membership filters",
    register,
    memory: Memory::After(memory_rows),
    select: Some(Selection {
        krate: "arsenal-filter",
        pick: pick::<arsenal_filter::Backend>,
    }),
    ..Domain::EMPTY
};

/// (keys, dataset name).
const SIZES: &[(usize, &str)] = &[(10_000, "1e4"), (1_000_000, "1e6")];
/// The size `--large` adds.
const LARGE: (usize, &str) = (10_000_000, "1e7");
/// The false-positive rate the Bloom peers are configured for: our Bloom filter's at
/// 12 bits/key.
const BLOOM_FPR: f64 = 0.0054;
/// The false-positive rate `qfilter` is configured for: our 8-bit quotient filter's at
/// its 90 % load.
const QUOTIENT_FPR: f64 = 0.0035;

fn keys(n: usize, salt: u64) -> Vec<u64> {
    (0..n as u64).map(|i| hash_item(&(i, salt))).collect()
}

/// One implementation's filter behind a monomorphic query.
trait Probe: 'static {
    fn probe(&self, key: u64) -> bool;
}

struct Ours<F: Filter + 'static>(F);
impl<F: Filter + 'static> Probe for Ours<F> {
    #[inline]
    fn probe(&self, key: u64) -> bool {
        self.0.contains_key(key)
    }
}

struct Xorf<F: xorf::Filter<u64> + 'static>(F);
impl<F: xorf::Filter<u64> + 'static> Probe for Xorf<F> {
    #[inline]
    fn probe(&self, key: u64) -> bool {
        self.0.contains(&key)
    }
}

struct FastBloom(fastbloom::BloomFilter);
impl Probe for FastBloom {
    #[inline]
    fn probe(&self, key: u64) -> bool {
        self.0.contains_hash(key)
    }
}

struct ClassicBloom(bloomfilter::Bloom<u64>);
impl Probe for ClassicBloom {
    #[inline]
    fn probe(&self, key: u64) -> bool {
        self.0.check(&key)
    }
}

struct QFilterPeer(qfilter::Filter);
impl Probe for QFilterPeer {
    #[inline]
    fn probe(&self, key: u64) -> bool {
        self.0.contains_fingerprint(key)
    }
}

struct CuckooPeer(cuckoofilter::CuckooFilter<std::collections::hash_map::DefaultHasher>);
impl Probe for CuckooPeer {
    #[inline]
    fn probe(&self, key: u64) -> bool {
        self.0.contains(&key)
    }
}

/// Builds one implementation's filter over the keys.
type BuildFn = fn(&[u64]) -> Result<Box<dyn ProbeDyn>, String>;

/// Every implementation: its cell name, how to build it, its bytes and its bound on the
/// false-positive rate.
struct Imp {
    name: String,
    build: BuildFn,
    max_fpr: f64,
    min_fpr: f64,
}

/// Object-safe wrapper used only outside the timing (memory rows, counts); the timed
/// loops call the concrete [`Probe`] through [`with_probe`].
trait ProbeDyn {
    fn count(&self, keys: &[u64]) -> u64;
    fn bytes(&self) -> usize;
    fn register(
        &self,
        reg: &mut Registry,
        op: &str,
        dataset: &str,
        imp: &str,
        keys: Rc<Vec<u64>>,
        expect: u64,
    );
}

struct Built<P: Probe> {
    probe: Rc<P>,
    bytes: usize,
}

impl<P: Probe> ProbeDyn for Built<P> {
    fn count(&self, keys: &[u64]) -> u64 {
        keys.iter().filter(|&&k| self.probe.probe(k)).count() as u64
    }
    fn bytes(&self) -> usize {
        self.bytes
    }
    fn register(
        &self,
        reg: &mut Registry,
        op: &str,
        dataset: &str,
        imp: &str,
        keys: Rc<Vec<u64>>,
        expect: u64,
    ) {
        let n = keys.len() as u64;
        let probe = Rc::clone(&self.probe);
        reg.add(
            Case::new(NAME, op, dataset, imp, 0, n, move || {
                let mut hits = 0u64;
                for &k in keys.iter() {
                    hits += u64::from(probe.probe(black_box(k)));
                }
                hits
            })
            .expect(expect),
        );
    }
}

fn boxed<P: Probe>(probe: P, bytes: usize) -> Result<Box<dyn ProbeDyn>, String> {
    Ok(Box::new(Built {
        probe: Rc::new(probe),
        bytes,
    }))
}

fn ours_static<F: StaticFilter + 'static>(keys: &[u64]) -> Result<Box<dyn ProbeDyn>, String> {
    let f = F::build(keys).map_err(|e| e.to_string())?;
    let bytes = f.size_in_bytes();
    boxed(Ours(f), bytes)
}

/// A dynamic filter made by `make(keys.len())`, every key inserted.
fn ours_dynamic<F: DynamicFilter + 'static>(
    keys: &[u64],
    make: fn(usize) -> arsenal_filter::Result<F>,
) -> Result<Box<dyn ProbeDyn>, String> {
    let mut f = make(keys.len()).map_err(|e| e.to_string())?;
    for &k in keys {
        f.insert_key(k).map_err(|e| e.to_string())?;
    }
    let bytes = f.size_in_bytes();
    boxed(Ours(f), bytes)
}

fn ours_bloom(keys: &[u64]) -> Result<Box<dyn ProbeDyn>, String> {
    ours_dynamic(keys, |n| BlockedBloom::with_bits_per_key(n, 12.0))
}

fn ours_cuckoo(keys: &[u64]) -> Result<Box<dyn ProbeDyn>, String> {
    ours_dynamic(keys, Cuckoo::with_capacity)
}

fn ours_quotient8(keys: &[u64]) -> Result<Box<dyn ProbeDyn>, String> {
    ours_dynamic(keys, Quotient8::with_capacity)
}

fn ours_quotient8_load50(keys: &[u64]) -> Result<Box<dyn ProbeDyn>, String> {
    ours_dynamic(keys, |n| Quotient8::with_load(n, 0.5))
}

fn ours_quotient16(keys: &[u64]) -> Result<Box<dyn ProbeDyn>, String> {
    ours_dynamic(keys, Quotient16::with_capacity)
}

fn imps() -> Vec<Imp> {
    let ours = |b: Backend, build, fpr: f64| Imp {
        name: format!("arsenal:{}", b.name()),
        build,
        max_fpr: fpr * 1.25,
        min_fpr: fpr * 0.75,
    };
    let bloom = BlockedBloom::expected_fpr(12.0);
    let small = |name: &str, build| Imp {
        name: name.to_owned(),
        build,
        max_fpr: 1e-4,
        min_fpr: 0.0,
    };
    vec![
        ours(
            Backend::BinaryFuse8,
            ours_static::<BinaryFuse8>,
            1.0 / 256.0,
        ),
        small("arsenal:binary-fuse16", ours_static::<BinaryFuse16>),
        ours(Backend::Xor8, ours_static::<Xor8>, 1.0 / 256.0),
        small("arsenal:xor16", ours_static::<Xor16>),
        ours(Backend::Ribbon8, ours_static::<Ribbon8>, 1.0 / 256.0),
        small("arsenal:ribbon16", ours_static::<Ribbon16>),
        ours(Backend::Bloom, ours_bloom, bloom),
        Imp {
            name: "arsenal:cuckoo".into(),
            build: ours_cuckoo,
            max_fpr: 8.0 / 65536.0 * 1.25,
            min_fpr: 0.0,
        },
        ours(
            Backend::Quotient8,
            ours_quotient8,
            Quotient8::expected_fpr(0.9),
        ),
        Imp {
            name: "arsenal:quotient8/load50".into(),
            build: ours_quotient8_load50,
            max_fpr: Quotient8::expected_fpr(0.5) * 1.25,
            min_fpr: Quotient8::expected_fpr(0.5) * 0.75,
        },
        small("arsenal:quotient16", ours_quotient16),
        Imp {
            name: "peer:xorf/binary-fuse8".into(),
            build: |k| {
                let f = xorf::BinaryFuse8::try_from(k).map_err(|e| e.to_string())?;
                let bytes = f.fingerprints.len();
                boxed(Xorf(f), bytes)
            },
            max_fpr: 1.25 / 256.0,
            min_fpr: 0.75 / 256.0,
        },
        small("peer:xorf/binary-fuse16", |k| {
            let f = xorf::BinaryFuse16::try_from(k).map_err(|e| e.to_string())?;
            let bytes = f.fingerprints.len() * 2;
            boxed(Xorf(f), bytes)
        }),
        Imp {
            name: "peer:xorf/xor8".into(),
            build: |k| {
                let f = xorf::Xor8::from(k);
                let bytes = f.fingerprints.len();
                boxed(Xorf(f), bytes)
            },
            max_fpr: 1.25 / 256.0,
            min_fpr: 0.75 / 256.0,
        },
        small("peer:xorf/xor16", |k| {
            let f = xorf::Xor16::from(k);
            let bytes = f.fingerprints.len() * 2;
            boxed(Xorf(f), bytes)
        }),
        Imp {
            name: "peer:fastbloom".into(),
            build: |k| {
                let mut f =
                    fastbloom::BloomFilter::with_false_pos(BLOOM_FPR).expected_items(k.len());
                for &key in k {
                    f.insert_hash(key);
                }
                let bytes = f.num_bits() / 8;
                boxed(FastBloom(f), bytes)
            },
            max_fpr: BLOOM_FPR * 1.5,
            min_fpr: 0.0,
        },
        Imp {
            name: "peer:bloomfilter".into(),
            build: |k| {
                let mut f = bloomfilter::Bloom::new_for_fp_rate(k.len(), BLOOM_FPR)
                    .map_err(str::to_owned)?;
                for key in k {
                    f.set(key);
                }
                let bytes = (f.len() / 8) as usize;
                boxed(ClassicBloom(f), bytes)
            },
            max_fpr: BLOOM_FPR * 1.5,
            min_fpr: 0.0,
        },
        Imp {
            name: "peer:qfilter".into(),
            build: |k| {
                let mut f = qfilter::Filter::new(k.len() as u64, QUOTIENT_FPR)
                    .map_err(|e| format!("{e:?}"))?;
                for &key in k {
                    f.insert_fingerprint(false, key)
                        .map_err(|e| format!("{e:?}"))?;
                }
                let bytes = f.memory_usage();
                boxed(QFilterPeer(f), bytes)
            },
            max_fpr: QUOTIENT_FPR * 1.5,
            min_fpr: 0.0,
        },
        Imp {
            name: "peer:cuckoofilter".into(),
            build: |k| {
                // At 10^6 keys its table is 95 % full and its random relocations fail
                // now and then (NotEnoughSpace): build afresh, same size, up to 4 times.
                let mut last = String::new();
                for _ in 0..4 {
                    let mut f = cuckoofilter::CuckooFilter::with_capacity(k.len());
                    match k.iter().try_for_each(|key| f.add(key)) {
                        Ok(()) => {
                            let bytes = f.memory_usage();
                            return boxed(CuckooPeer(f), bytes);
                        }
                        Err(e) => last = format!("{e:?} (4 attempts)"),
                    }
                }
                Err(last)
            },
            max_fpr: 0.05,
            min_fpr: 0.0,
        },
    ]
}

/// The op a `peer:xorf/<kind>` row belongs to is the same as ours; its implementation
/// name keeps the kind so the rows of one op compare like with like in the report.
fn register(reg: &mut Registry, _data: Option<&Path>) {
    let large = crate::harness::large().then_some(LARGE);
    for &(n, dataset) in SIZES.iter().chain(large.as_ref()) {
        let built = Rc::new(keys(n, 1));
        let absent = Rc::new(keys(n, 2));
        let sample: Vec<u64> = built.iter().copied().take(64).collect();
        for imp in imps() {
            // build: time the construction; verified by the 64 sample keys.
            let build = imp.build;
            let keys = Rc::clone(&built);
            let probes = sample.clone();
            reg.add(
                Case::new(
                    NAME,
                    "build",
                    dataset,
                    &imp.name,
                    0,
                    n as u64,
                    move || match build(&keys) {
                        Ok(f) => f.count(&probes),
                        Err(_) => u64::MAX,
                    },
                )
                .expect(sample.len() as u64),
            );
            let filter = match (imp.build)(&built) {
                Ok(f) => f,
                Err(e) => {
                    for op in ["query-hit", "query-miss"] {
                        reg.add(Case::failed(
                            NAME,
                            op,
                            dataset,
                            &imp.name,
                            format!("build failed: {e}"),
                        ));
                    }
                    continue;
                }
            };
            let hits = filter.count(&built);
            let false_positives = filter.count(&absent);
            let rate = false_positives as f64 / n as f64;
            // Rates at 10^4 negatives are too coarse for the lower bound.
            let low_ok = n < 1_000_000 || rate >= imp.min_fpr;
            if hits != n as u64 {
                reg.add(Case::failed(
                    NAME,
                    "query-hit",
                    dataset,
                    &imp.name,
                    format!("{} false negatives", n as u64 - hits),
                ));
            } else {
                filter.register(
                    reg,
                    "query-hit",
                    dataset,
                    &imp.name,
                    Rc::clone(&built),
                    n as u64,
                );
            }
            if rate > imp.max_fpr.max(20.0 / n as f64) || !low_ok {
                reg.add(Case::failed(
                    NAME,
                    "query-miss",
                    dataset,
                    &imp.name,
                    format!(
                        "false-positive rate {rate} outside [{}, {}]",
                        imp.min_fpr, imp.max_fpr
                    ),
                ));
            } else {
                filter.register(
                    reg,
                    "query-miss",
                    dataset,
                    &imp.name,
                    Rc::clone(&absent),
                    false_positives,
                );
            }
        }
    }
}

/// `filter/memory/1e6/<impl>`: table bytes per key at 10⁶ keys.
pub fn memory_rows() -> Vec<MemoryRow> {
    let n = 1_000_000;
    let built = keys(n, 1);
    imps()
        .into_iter()
        .map(|imp| MemoryRow {
            domain: NAME.to_owned(),
            dataset: "1e6".to_owned(),
            what: "filter tables built over 10^6 keys: bytes / keys".to_owned(),
            imp: imp.name.clone(),
            items: n as u64,
            bytes_per_item: (imp.build)(&built)
                .ok()
                .map(|f| f.bytes() as f64 / n as f64),
        })
        .collect()
}
