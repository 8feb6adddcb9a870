//! Cache policy rows of the matrix: `cache/<op>/<dataset>/<impl>`.
//!
//! Ops:
//! - `replay`: one thread replays a trace through a cache (a lookup per request, an
//!   insert on a miss), `u64` keys and values; the dataset names the trace and the cache
//!   size as a share of its distinct keys: 0.1, 0.3, 1, 3 and 10 % (`zipf-0.99-0.3pct`,
//!   `zipf-0.99-1pct`, ...). Items are requests (so the unit is requests/s); the checksum
//!   is the hit count, and the extra table "hit ratio" shows hits / requests for every
//!   cell beside `ref:belady`, Belady's offline optimum (the ceiling, not ranked).
//! - `concurrent`: the `zipf-0.99` trace at 10 % split over 1 and 2 threads (`-1t`,
//!   `-2t`), each thread replaying its half; ours as [`Sharded`] S3-FIFO and W-TinyLFU
//!   (64 shards), the peers' concurrent caches, and `lru` behind one mutex.
//!
//! Traces: generated Zipf (exponents 0.8 and 0.99, 5·10⁵ requests over 5·10⁴ keys),
//! always; with `arsenal-bench --large`, `zipf-0.99-1e7` (10⁷ requests over 10⁶ keys:
//! caches of 10³ to 10⁵ entries whose tables outgrow the CPU caches); with `../shared/data`, the LIRS paper's `multi2` and `sprite` and the cache2k
//! traces `web07` and the first 5·10⁵ requests of `orm-busy` (`orm-busy-500k`).
//!
//! | impl | what |
//! |---|---|
//! | `arsenal:<policy>` | [`arsenal_cache`]'s W-TinyLFU, S3-FIFO, ARC, CLOCK-Pro, LRU (foldhash with a fixed seed, so every run hits the same) |
//! | `peer:lru` | `lru::LruCache` (LRU) |
//! | `peer:quick_cache` | `quick_cache::unsync::Cache` / `sync::Cache` (its CLOCK-Pro-like policy, default options) |
//! | `peer:moka` | `moka::sync::Cache` (TinyLFU admission + LRU, Caffeine's design; concurrent only — its maintenance is asynchronous) |
//! | `ref:belady` | [`arsenal_cache::belady`], the offline optimum |
//!
//! **Verification.** `replay`: the hit count of every cell is at most Belady's and above
//! zero; `arsenal:lru` and `peer:lru` must both equal the count of `peer:lru` computed
//! once outside the timing (two independent LRUs agree exactly), `ref:belady` its own. `concurrent`: the hit count is
//! above zero and at most requests − distinct keys (every key misses once).
//!
//! **Charts** (`Domain::charts`): one per trace, hit ratio (%, linear) against cache size
//! (% of the trace's distinct keys, log scale), a line per implementation and one for
//! `ref:belady` (dashed, the ceiling). Every point comes from a `replay` cell's
//! checksum (hits), its items (requests) and its dataset's name (trace and size), so
//! `--render` draws the same curves from a results file; `FAILED` cells have no point.
//!
//! **Memory rows** `cache/memory/1e5/<impl>`: heap bytes held by a cache of capacity
//! 10⁵ after 10⁶ Zipf-0.99 requests over 10⁶ keys (ghost keys and sketches included),
//! per entry of capacity.

use std::cell::Cell;
use std::num::NonZeroUsize;
use std::path::Path;
use std::rc::Rc;

use arsenal_cache::trace::{self, Format};
use arsenal_cache::{belady, ArcCache, Backend, Cache, ClockPro, Lru, S3Fifo, Sharded, WTinyLfu};

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::held_by;
use crate::harness::{BenchResult, Case, Registry, Status};
use crate::machine::Machine;
use crate::report::{axes, dataset_table, Chart, MemoryRow, Series, Table};
use crate::strategy::pick;

const NAME: &str = "cache";

/// The cache domain of the matrix.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Cache replacement policies",
    register,
    memory: Memory::After(memory_rows),
    tables: hit_ratio_tables,
    charts: hit_ratio_charts,
    select: Some(Selection {
        krate: "arsenal-cache",
        pick: pick::<arsenal_cache::Backend>,
    }),
    reads_data: true,
    ..Domain::EMPTY
};

/// A fixed hasher seed, so our policies' hit counts repeat exactly.
type Fixed = foldhash::fast::FixedState;

fn fixed() -> Fixed {
    Fixed::with_seed(0x5eed)
}

/// One of our policies with the fixed hasher.
fn ours(backend: Backend, capacity: usize) -> Box<dyn Cache<u64, u64>> {
    match backend {
        Backend::Lru => Box::new(Lru::with_hasher(capacity, fixed())),
        Backend::Arc => Box::new(ArcCache::with_hasher(capacity, fixed())),
        Backend::S3Fifo => Box::new(S3Fifo::with_hasher(capacity, fixed())),
        Backend::WTinyLfu => Box::new(WTinyLfu::with_hasher(capacity, fixed())),
        Backend::ClockPro => Box::new(ClockPro::with_hasher(capacity, fixed())),
        other => unreachable!("a new policy needs its row: {other}"),
    }
}

/// A cache as the replay drives it: look `key` up, insert it on a miss; whether it hit.
trait Lookup {
    fn lookup_or_insert(&mut self, key: u64) -> bool;
}

/// `Lookup` for caches with `get(&key) -> Option<_>` and `insert(key, value)`.
macro_rules! lookup_get_insert {
    ($($cache:ty),* $(,)?) => {$(
        impl Lookup for $cache {
            #[inline]
            fn lookup_or_insert(&mut self, key: u64) -> bool {
                self.get(&key).is_some() || {
                    self.insert(key, key);
                    false
                }
            }
        }
    )*};
}

lookup_get_insert!(
    Box<dyn Cache<u64, u64>>,
    quick_cache::unsync::Cache<u64, u64>,
    &Sharded<u64, u64>,
    &quick_cache::sync::Cache<u64, u64>,
    &moka::sync::Cache<u64, u64>,
);

impl Lookup for lru::LruCache<u64, u64> {
    #[inline]
    fn lookup_or_insert(&mut self, key: u64) -> bool {
        self.get(&key).is_some() || {
            self.put(key, key);
            false
        }
    }
}

impl Lookup for &std::sync::Mutex<lru::LruCache<u64, u64>> {
    #[inline]
    fn lookup_or_insert(&mut self, key: u64) -> bool {
        self.lock().expect("not poisoned").lookup_or_insert(key)
    }
}

/// Replays `keys` through `cache`; the hits.
#[inline]
fn replay(keys: &[u64], cache: &mut impl Lookup) -> u64 {
    keys.iter().filter(|&&k| cache.lookup_or_insert(k)).count() as u64
}

/// Requests per trace (generated traces have this many; longer ones are cut).
const REQUESTS: usize = 500_000;

/// Requests of the `--large` trace (over a tenth as many keys).
const LARGE_REQUESTS: usize = 10_000_000;

/// A named trace.
struct TraceSet {
    name: String,
    keys: Rc<Vec<u64>>,
    distinct: usize,
}

fn traces(data: Option<&Path>) -> Vec<TraceSet> {
    let mut sets: Vec<(String, Vec<u64>)> = [0.8, 0.99]
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            let keys = trace::zipf(REQUESTS, 50_000, s, 42 + i as u64).expect("valid");
            (format!("zipf-{s}"), keys)
        })
        .collect();
    if crate::harness::large() {
        let keys =
            trace::zipf(LARGE_REQUESTS, LARGE_REQUESTS as u64 / 10, 0.99, 44).expect("valid");
        sets.push(("zipf-0.99-1e7".to_owned(), keys));
    }
    if let Some(dir) = data {
        let files = [
            ("multi2", "lirs/multi2.trace.gz", Format::Lirs),
            ("sprite", "lirs/sprite.trace.gz", Format::Lirs),
            ("web07", "cache2k/web07.trace.xz", Format::Cache2k),
            (
                "orm-busy-500k",
                "cache2k/orm-busy.trace.xz",
                Format::Cache2k,
            ),
        ];
        for (name, file, format) in files {
            let path = dir.join("cache-traces").join(file);
            if path.is_file() {
                match trace::load(&path, format, 1 << 30) {
                    Ok(mut keys) => {
                        keys.truncate(REQUESTS);
                        sets.push((name.to_owned(), keys));
                    }
                    Err(e) => eprintln!("cache: skipping {}: {e}", path.display()),
                }
            }
        }
    }
    sets.into_iter()
        .map(|(name, keys)| TraceSet {
            name,
            distinct: trace::distinct(&keys),
            keys: Rc::new(keys),
        })
        .collect()
}

/// (share of the distinct keys in tenths of a percent, dataset suffix).
/// Five sizes, 0.1 % to 10 % in steps of about √10, for the hit-ratio curves.
const SIZES: &[(usize, &str)] = &[
    (1, "0.1pct"),
    (3, "0.3pct"),
    (10, "1pct"),
    (30, "3pct"),
    (100, "10pct"),
];

fn register(reg: &mut Registry, data: Option<&Path>) {
    for t in traces(data) {
        for &(per_mille, suffix) in SIZES {
            let cap = (t.distinct * per_mille / 1000).max(1);
            let dataset = format!("{}-{suffix}", t.name);
            register_replay(reg, &t, cap, &dataset);
        }
    }
    register_concurrent(reg);
}

fn register_replay(reg: &mut Registry, t: &TraceSet, cap: usize, dataset: &str) {
    let n = t.keys.len() as u64;
    let opt = belady(&t.keys, cap).hits;
    // Every cell: hits checked against the ceiling, and against `expect` where given.
    let add = |reg: &mut Registry, imp: &str, expect: Option<u64>, run: Box<dyn FnMut() -> u64>| {
        let case = counted("replay", dataset, imp, n, run, (opt, "Belady's optimum"));
        reg.add(match expect {
            Some(e) => case.expect(e),
            None => case,
        });
    };
    let keys = t.keys.clone();
    let lru_peer = move || {
        let mut c = lru::LruCache::new(NonZeroUsize::new(cap).expect("cap ≥ 1"));
        replay(&keys, &mut c)
    };
    // Two independent LRUs must agree exactly.
    let lru_hits = { lru_peer.clone()() };
    for &backend in Backend::ALL {
        let keys = t.keys.clone();
        add(
            reg,
            &format!("arsenal:{}", backend.name()),
            (backend == Backend::Lru).then_some(lru_hits),
            Box::new(move || replay_ours(backend, cap, &keys)),
        );
    }
    add(reg, "peer:lru", Some(lru_hits), Box::new(lru_peer));
    let keys = t.keys.clone();
    add(
        reg,
        "peer:quick_cache",
        None,
        Box::new(move || {
            let mut c = quick_cache::unsync::Cache::<u64, u64>::new(cap);
            replay(&keys, &mut c)
        }),
    );
    let keys = t.keys.clone();
    add(
        reg,
        "ref:belady",
        Some(opt),
        Box::new(move || belady(&keys, cap).hits),
    );
}

/// A cell of `n` requests whose run returns its hits; the hits of the verifying run must
/// be above zero and at most `max.0` (named `max.1`).
fn counted(
    op: &str,
    dataset: &str,
    imp: &str,
    n: u64,
    mut run: impl FnMut() -> u64 + 'static,
    max: (u64, &'static str),
) -> Case {
    let last = Rc::new(Cell::new(0u64));
    let seen = last.clone();
    Case::new(NAME, op, dataset, imp, 0, n, move || {
        let hits = run();
        seen.set(hits);
        hits
    })
    .verify(move || match last.get() {
        0 => Err("no hits".to_owned()),
        h if h > max.0 => Err(format!("{h} hits exceed {} {}", max.1, max.0)),
        _ => Ok(()),
    })
}

fn replay_ours(backend: Backend, cap: usize, keys: &[u64]) -> u64 {
    let mut c = ours(backend, cap);
    replay(keys, &mut c)
}

/// Shards of our concurrent rows: 64 (≈ 78 entries each at 10 %).
const SHARDS: usize = 64;

/// The concurrent rows: `zipf-0.99` at 10 %, split over 1 and 2 threads.
fn register_concurrent(reg: &mut Registry) {
    let keys = Rc::new(trace::zipf(REQUESTS, 50_000, 0.99, 43).expect("valid"));
    let distinct = trace::distinct(&keys);
    let cap = distinct / 10;
    for threads in [1usize, 2] {
        let cells = Concurrent {
            keys: keys.clone(),
            dataset: format!("zipf-0.99-10pct-{threads}t"),
            threads,
            bound: (keys.len() - distinct) as u64,
        };
        for backend in [Backend::S3Fifo, Backend::WTinyLfu] {
            cells.add(reg, &format!("arsenal:{}", backend.name()), move || {
                Sharded::<u64, u64>::new(backend, cap, SHARDS)
            });
        }
        cells.add(reg, "peer:quick_cache", move || {
            quick_cache::sync::Cache::<u64, u64>::new(cap)
        });
        cells.add(reg, "peer:moka", move || {
            moka::sync::Cache::<u64, u64>::new(cap as u64)
        });
        cells.add(reg, "peer:lru", move || {
            std::sync::Mutex::new(lru::LruCache::new(NonZeroUsize::new(cap).expect("cap ≥ 1")))
        });
    }
}

/// One thread count's concurrent cells.
struct Concurrent {
    keys: Rc<Vec<u64>>,
    dataset: String,
    threads: usize,
    /// Requests − distinct keys: every key misses once, whatever the interleaving.
    bound: u64,
}

impl Concurrent {
    /// A cell replaying the trace over the threads through a cache `make` builds each
    /// iteration.
    fn add<C: Sync + 'static>(&self, reg: &mut Registry, imp: &str, make: impl Fn() -> C + 'static)
    where
        for<'a> &'a C: Lookup,
    {
        let (keys, threads, bound) = (self.keys.clone(), self.threads, self.bound);
        let last = Rc::new(Cell::new(0u64));
        let seen = last.clone();
        let n = keys.len() as u64;
        reg.add(
            Case::new(
                NAME,
                "concurrent",
                self.dataset.as_str(),
                imp,
                0,
                n,
                move || {
                    let cache = make();
                    let hits = split(&keys, threads, |part| replay(part, &mut &cache));
                    seen.set(hits);
                    hits
                },
            )
            .verify(move || match last.get() {
                0 => Err("no hits".to_owned()),
                h if h > bound => Err(format!("{h} hits > requests − distinct keys {bound}")),
                _ => Ok(()),
            }),
        );
    }
}

/// Runs `work` on `threads` contiguous parts of `keys` in scoped threads (the first on
/// this thread); the sum of their results.
fn split(keys: &[u64], threads: usize, work: impl Fn(&[u64]) -> u64 + Sync) -> u64 {
    let chunk = keys.len().div_ceil(threads);
    let mut parts = keys.chunks(chunk);
    let first = parts.next().unwrap_or(&[]);
    std::thread::scope(|s| {
        let handles: Vec<_> = parts.map(|p| s.spawn(|| work(p))).collect();
        let mine = work(first);
        mine + handles
            .into_iter()
            .map(|h| h.join().expect("worker panicked"))
            .sum::<u64>()
    })
}

/// Heap bytes per entry of capacity held by each cache after the `zipf-0.99` trace.
pub fn memory_rows() -> Vec<MemoryRow> {
    let cap = 100_000;
    let keys = trace::zipf(1_000_000, 1_000_000, 0.99, 44).expect("valid");
    let row = |imp: String, bytes: Option<usize>| {
        MemoryRow {
        domain: NAME.to_owned(),
        dataset: "1e5".to_owned(),
        what: "cache of capacity 10^5 (u64 keys and values) after 10^6 Zipf-0.99 requests over 10^6 keys: heap bytes held / capacity".to_owned(),
        imp,
        items: cap as u64,
        bytes_per_item: bytes.map(|b| b as f64 / cap as f64),
    }
    };
    let mut rows = Vec::new();
    for &backend in Backend::ALL {
        let held = held_by(|| {
            let mut c = ours(backend, cap);
            replay(&keys, &mut c);
            Some(c)
        });
        rows.push(row(
            format!("arsenal:{}", backend.name()),
            held.map(|(_, b)| b),
        ));
    }
    let held = held_by(|| {
        let mut c = lru::LruCache::new(NonZeroUsize::new(cap)?);
        replay(&keys, &mut c);
        Some(c)
    });
    rows.push(row("peer:lru".to_owned(), held.map(|(_, b)| b)));
    let held = held_by(|| {
        let mut c = quick_cache::unsync::Cache::<u64, u64>::new(cap);
        replay(&keys, &mut c);
        Some(c)
    });
    rows.push(row("peer:quick_cache".to_owned(), held.map(|(_, b)| b)));
    let held = held_by(|| {
        let c = moka::sync::Cache::<u64, u64>::new(cap as u64);
        replay(&keys, &mut &c);
        c.run_pending_tasks();
        Some(c)
    });
    rows.push(row("peer:moka".to_owned(), held.map(|(_, b)| b)));
    rows
}

/// Hit ratios of the `replay` cells (hits / requests, from each cell's checksum).
fn hit_ratio_tables(results: &[BenchResult], _machine: &Machine) -> Vec<(String, Table)> {
    ["replay", "concurrent"]
        .iter()
        .filter_map(|&op| {
            let rows: Vec<&BenchResult> = results
                .iter()
                .filter(|r| r.domain == NAME && r.op == op)
                .collect();
            if rows.is_empty() {
                return None;
            }
            let table = dataset_table("trace-size", &rows, |r| match (r.checksum, r.items) {
                (Some(hits), n) if n > 0 => format!("{:.2} %", hits as f64 * 100.0 / n as f64),
                _ => r.status.name().to_owned(),
            });
            let ceiling = if op == "replay" {
                " (ref:belady is the ceiling)"
            } else {
                ""
            };
            Some((
                format!("{NAME} / {op} — hit ratio, higher is better{ceiling}"),
                table,
            ))
        })
        .collect()
}

/// The trace and cache size (in % of the trace's distinct keys) a `replay` dataset
/// names: `zipf-0.99-0.3pct` → (`zipf-0.99`, 0.3).
fn trace_and_size(dataset: &str) -> Option<(&str, f64)> {
    let (trace, size) = dataset.rsplit_once('-')?;
    let percent: f64 = size.strip_suffix("pct")?.parse().ok()?;
    Some((trace, percent))
}

/// Hits / requests of a verified cell, in %.
fn hit_ratio(row: &BenchResult) -> Option<f64> {
    let hits = row.checksum?;
    let verified = matches!(row.status, Status::Ok | Status::Verified);
    (verified && row.items > 0).then(|| hits as f64 * 100.0 / row.items as f64)
}

/// One chart per trace of the `replay` cells: hit ratio against cache size, one series
/// per implementation (`ref:belady` the ceiling), from each cell's checksum and its
/// dataset's name alone.
fn hit_ratio_charts(results: &[BenchResult]) -> Vec<Chart> {
    let rows: Vec<&BenchResult> = results
        .iter()
        .filter(|r| r.domain == NAME && r.op == "replay")
        .collect();
    let (impls, datasets) = axes(&rows);
    let mut traces: Vec<&str> = Vec::new();
    for (trace, _) in datasets.iter().filter_map(|d| trace_and_size(d)) {
        if !traces.contains(&trace) {
            traces.push(trace);
        }
    }
    traces
        .into_iter()
        .map(|trace| Chart {
            title: format!("{NAME} / replay — {trace}: hit ratio against cache size"),
            x_label: "cache size, % of the trace's distinct keys".to_owned(),
            y_label: "hit ratio, %".to_owned(),
            log_x: true,
            log_y: false,
            series: impls
                .iter()
                .map(|imp| Series {
                    name: (*imp).to_owned(),
                    points: rows
                        .iter()
                        .filter(|r| r.imp == *imp)
                        .filter_map(|r| {
                            let (t, size) = trace_and_size(&r.dataset)?;
                            (t == trace).then_some((size, hit_ratio(r)?))
                        })
                        .collect(),
                })
                .filter(|s| !s.points.is_empty())
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_hasher_repeats() {
        let keys = trace::zipf(20_000, 2_000, 0.9, 1).unwrap();
        for &b in Backend::ALL {
            assert_eq!(
                replay_ours(b, 100, &keys),
                replay_ours(b, 100, &keys),
                "{b}"
            );
        }
        let s = arsenal_cache::simulate(&mut Lru::new(100), &keys);
        assert_eq!(s.hits, replay_ours(Backend::Lru, 100, &keys));
    }

    #[test]
    fn charts_come_from_the_replay_rows() {
        let cell = |dataset: &str, imp: &str, hits: u64| {
            let mut row = BenchResult::failed(NAME, "replay", dataset, imp, 0, 1000, "");
            row.error = None;
            row.status = Status::Verified;
            row.checksum = Some(hits);
            row
        };
        let mut results = Vec::new();
        for &(per_mille, suffix) in SIZES {
            let hits = per_mille as u64 * 5;
            results.push(cell(&format!("zipf-0.99-{suffix}"), "arsenal:lru", hits));
            results.push(cell(
                &format!("zipf-0.99-{suffix}"),
                "ref:belady",
                hits + 10,
            ));
            results.push(cell(&format!("orm-busy-500k-{suffix}"), "peer:lru", hits));
        }
        results.push(BenchResult::failed(
            NAME,
            "replay",
            "zipf-0.99-1pct",
            "peer:quick_cache",
            0,
            1000,
            "broken",
        ));
        let mut concurrent = cell("zipf-0.99-10pct-2t", "peer:moka", 10);
        concurrent.op = "concurrent".into();
        results.push(concurrent);
        let charts = hit_ratio_charts(&results);
        assert_eq!(charts.len(), 2);
        assert!(charts[0].title.contains("zipf-0.99:"));
        assert!(charts[1].title.contains("orm-busy-500k:"));
        assert!(charts[0].log_x && !charts[0].log_y);
        let names: Vec<&str> = charts[0].series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["arsenal:lru", "ref:belady"],
            "the failed cell has no point"
        );
        assert_eq!(
            charts[0].series[0].points,
            [
                (0.1, 0.5),
                (0.3, 1.5),
                (1.0, 5.0),
                (3.0, 15.0),
                (10.0, 50.0)
            ]
        );
        assert_eq!(trace_and_size("zipf-0.99-10pct-2t"), None);
        assert_eq!(trace_and_size("web07-0.3pct"), Some(("web07", 0.3)));
    }
}
