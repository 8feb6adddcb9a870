//! Streaming sketch rows of the matrix: `sketch/<op>/<dataset>/<impl>`.
//!
//! | op | dataset | what a cell does | checksum | verified |
//! |---|---|---|---|---|
//! | `distinct` | `1e3`, `1e6`, `1e7` (`--large`) | adds that many distinct `u64` items to a distinct-count sketch of 2¹² registers, estimates | the estimate, rounded | within 5 standard errors (5 × 1.04/√4096 ≈ 8 %) of the true count |
//! | `distinct` | `1e6-p8`, `1e6-p10`, `1e6-p14`, `1e6-p16` | the same 10⁶ items into 2^p registers (error against space) | the estimate, rounded | within 5 × 1.04/√2^p of the true count (32 % at p = 8, 2 % at p = 16) |
//! | `frequency` | `zipf-1e6`, `zipf-1e7` (`--large`) | adds 10⁶ (10⁷) Zipf(1.1) items over 10⁵ (10⁶) keys to a count-min sketch (depth 5, width 2048), estimates the most frequent key | that estimate | ≥ its true count and ≤ true + εN, ε = e/2048 |
//! | `top-k` | `zipf-1e6`, `zipf-1e7` (`--large`) | the same stream into a top-k summary of 1024 counters, asks for the top 10 | how many of the exact top 10 it names | all 10 |
//! | `quantile` | `uniform-1e6`, `lognormal-1e6`, `uniform-1e7` (`--large`) | adds 10⁶ (10⁷) values to a t-digest (compression 100), asks for q = 0.5, 0.99, 0.999 | the largest rank error of the three, in millionths | ≤ 1 % |
//! | `minhash` | `jaccard-0.5` | two MinHash signatures (k = 256) of 10⁵-item sets with Jaccard 0.5, compared | the estimate in millionths | within 4/√k of 0.5 |
//!
//! | impl | sketch |
//! |---|---|
//! | `arsenal:hll`, `arsenal:hll-plus` | [`arsenal_sketch::HyperLogLog`], [`arsenal_sketch::HyperLogLogPlus`] (p = 12 unless the dataset names p) |
//! | `arsenal:count-min`, `arsenal:space-saving`, `arsenal:tdigest`, `arsenal:minhash` | the crate's `CountMin`, `SpaceSaving`, `TDigest`, `MinHash` |
//! | `peer:datasketches` | Apache DataSketches' Rust crate: `HllSketch` (lg k = 12, 8-bit registers, its fastest), `CountMinSketch`, `FrequentItemsSketch` (1024), `TDigestMut` (k = 100) |
//! | `peer:hyperloglogplus` | `hyperloglogplus::HyperLogLogPlus` (p = 12, std's `RandomState`, its documented use) |
//! | `peer:tdigest` | `tdigest::TDigest::new_with_size(100)` with `push` |
//!
//! Every implementation gets the same `u64` items (the sketches hash them with their own
//! hash). The extra table "error" shows each cell's error from its checksum.
//!
//! **Chart: error against space** (`Domain::charts`). One chart of the `distinct` cells
//! on 10⁶ items (`1e6` is p = 12, `1e6-p<p>` names p): x the sketch's size in bytes, y
//! the |relative error| of the cell's one estimate (both log scales), a line per
//! implementation and `ref:1.04/√m, 1 B/register`, the standard error at one byte per
//! register. The bytes are *computed*, not measured: a cell knows its implementation and
//! precision from its id, and the size of the registers follows from each
//! implementation's documented layout (`register_bytes`): one byte per register (m =
//! 2^p bytes) for ours (dense once past m/4 sparse entries, as at 10⁶ items) and
//! DataSketches' `Hll8`, 6-bit registers packed five to a `u32` (4·⌈m/5⌉ bytes) for
//! `hyperloglogplus`; fixed headers are left out. A measurement (heap bytes, serialized
//! size) would depend on allocators and library versions and could not be redrawn from
//! a results file; the memory rows measure the heap bytes at p = 12. One estimate per
//! cell: a point scatters around the line (|error| < σ about two times in three), and
//! `hyperloglogplus` hashes with a random seed, so its points change from run to run; an
//! exact estimate (error 0) has no place on the log axis and is left out of the chart.
//!
//! **Memory
//! rows** `sketch/memory/<dataset>/<impl>`: heap bytes held by each distinct-count sketch
//! after 10², 10³ and 10⁶ items, and by each t-digest after 10⁶ values.

use std::hash::RandomState;
use std::path::Path;

use arsenal_sketch::{CountMin, HyperLogLog, HyperLogLogPlus, MinHash, SpaceSaving, TDigest};
use hyperloglogplus::HyperLogLog as _;

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::held_by;
use crate::harness::{BenchResult, Case, Registry, Status};
use crate::machine::Machine;
use crate::report::{axes, dataset_table, Chart, MemoryRow, Series, Table};
use crate::strategy::pick;

const NAME: &str = "sketch";

/// The sketch domain of the matrix.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Streaming sketches",
    register,
    memory: Memory::After(memory_rows),
    tables: error_tables,
    charts: error_charts,
    select: Some(Selection {
        krate: "arsenal-sketch",
        pick: pick::<arsenal_sketch::Backend>,
    }),
    ..Domain::EMPTY
};

/// Registers of the distinct-count sketches: 2^12.
const P: u8 = 12;

/// splitmix64 from `seed`: `n` well-spread `u64` items (distinct with overwhelming
/// probability; the true count is measured, not assumed).
fn items(n: usize, seed: u64) -> Vec<u64> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        })
        .collect()
}

/// A uniform value in [0, 1) from an item.
fn unit(x: u64) -> f64 {
    (x >> 11) as f64 / (1u64 << 53) as f64
}

fn register(reg: &mut Registry, _data: Option<&Path>) {
    register_distinct(reg);
    register_frequency(reg);
    register_quantile(reg);
    register_minhash(reg);
}

type Counter = fn(&[u64], u8) -> f64;

/// The distinct counters, each run at a precision `p` (2^p registers).
const COUNTERS: &[(&str, Counter)] = &[
    ("arsenal:hll", |xs, p| {
        let mut s = HyperLogLog::new(p).expect("valid precision");
        xs.iter().for_each(|x| s.update(x));
        s.estimate()
    }),
    ("arsenal:hll-plus", |xs, p| {
        let mut s = HyperLogLogPlus::new(p).expect("valid precision");
        xs.iter().for_each(|x| s.update(x));
        s.estimate()
    }),
    ("peer:datasketches", |xs, p| {
        let mut s = datasketches::hll::HllSketch::new(p, datasketches::hll::HllType::Hll8)
            .expect("valid lg k");
        xs.iter().for_each(|&x| s.update(x));
        s.estimate()
    }),
    ("peer:hyperloglogplus", |xs, p| {
        let mut s = hyperloglogplus::HyperLogLogPlus::<u64, _>::new(p, RandomState::new())
            .expect("valid precision");
        xs.iter().for_each(|x| s.insert(x));
        s.count()
    }),
];

/// The precisions of the error-against-space cells `distinct/1e6-p<p>` (p = 12 is the
/// `1e6` dataset).
const PRECISIONS: [u8; 4] = [8, 10, 14, 16];

/// The precision a `distinct` dataset on 10⁶ items was run at: `1e6` → [`P`],
/// `1e6-p<p>` → p; `None` for other datasets.
fn precision_of(dataset: &str) -> Option<u8> {
    match dataset.strip_prefix("1e6")? {
        "" => Some(P),
        rest => rest.strip_prefix("-p")?.parse().ok(),
    }
}

/// The bytes of an implementation's registers at precision `p` (m = 2^p): one byte per
/// register for ours and DataSketches' `Hll8`, 6-bit registers packed five to a `u32`
/// for `hyperloglogplus` (4·⌈m/5⌉). Fixed headers are left out.
fn register_bytes(imp: &str, p: u8) -> Option<f64> {
    let m = 1u64 << p;
    match imp {
        "arsenal:hll" | "arsenal:hll-plus" | "peer:datasketches" => Some(m as f64),
        "peer:hyperloglogplus" => Some((4 * m.div_ceil(5)) as f64),
        _ => None,
    }
}

fn register_distinct(reg: &mut Registry) {
    let mut sets: Vec<(usize, String, u8)> = vec![
        (1_000, "1e3".to_owned(), P),
        (1_000_000, "1e6".to_owned(), P),
    ];
    sets.extend(PRECISIONS.map(|p| (1_000_000, format!("1e6-p{p}"), p)));
    if crate::harness::large() {
        sets.push((10_000_000, "1e7".to_owned(), P));
    }
    let mut data: Option<(usize, std::rc::Rc<Vec<u64>>, f64)> = None;
    for (n, dataset, p) in sets {
        let (xs, truth) = match &data {
            Some((len, xs, truth)) if *len == n => (xs.clone(), *truth),
            _ => {
                let xs = std::rc::Rc::new(items(n, 7));
                let truth = xs.iter().collect::<std::collections::HashSet<_>>().len() as f64;
                data = Some((n, xs.clone(), truth));
                (xs, truth)
            }
        };
        let tolerance = 5.0 * 1.04 / f64::from(1u32 << p).sqrt() * truth;
        for &(imp, count) in COUNTERS {
            let (xs, check) = (xs.clone(), xs.clone());
            reg.add(
                Case::new(NAME, "distinct", dataset.as_str(), imp, 0, n as u64, move || {
                    count(&xs, p).round() as u64
                })
                .verify(move || {
                    let est = count(&check, p);
                    if (est - truth).abs() <= tolerance {
                        Ok(())
                    } else {
                        Err(format!("estimate {est:.0} of {truth} distinct items is off by more than {tolerance:.0}"))
                    }
                }),
            );
        }
    }
}

/// `n` Zipf(1.1) keys over `n / 10` (inverse-CDF sampling), and the exact counts.
fn zipf_stream(n: usize) -> (Vec<u64>, std::collections::HashMap<u64, u64>) {
    let keys = n as u64 / 10;
    let mut cdf = Vec::with_capacity(keys as usize);
    let mut sum = 0.0;
    for r in 1..=keys {
        sum += (r as f64).powf(-1.1);
        cdf.push(sum);
    }
    let stream: Vec<u64> = items(n, 11)
        .into_iter()
        .map(|x| {
            let u = unit(x) * sum;
            // Ranks spread over the key space so that no hash sees sequential keys.
            (cdf.partition_point(|&c| c <= u) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        })
        .collect();
    let mut counts = std::collections::HashMap::new();
    for &k in &stream {
        *counts.entry(k).or_insert(0u64) += 1;
    }
    (stream, counts)
}

fn register_frequency(reg: &mut Registry) {
    register_frequency_of(reg, 1_000_000, "zipf-1e6");
    if crate::harness::large() {
        register_frequency_of(reg, 10_000_000, "zipf-1e7");
    }
}

/// The `frequency` and `top-k` cells of a Zipf stream of `n` items.
fn register_frequency_of(reg: &mut Registry, n: usize, dataset: &'static str) {
    let (stream, counts) = zipf_stream(n);
    let stream = std::rc::Rc::new(stream);
    let n = stream.len() as u64;
    let mut exact: Vec<(u64, u64)> = counts.iter().map(|(&k, &c)| (k, c)).collect();
    exact.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let (top, top_count) = exact[0];
    let top10: Vec<u64> = exact.iter().take(10).map(|&(k, _)| k).collect();
    let (width, depth) = (2048usize, 5usize);
    let slack = (std::f64::consts::E / width as f64 * n as f64).ceil() as u64;
    let in_bound = move |est: u64| {
        if (top_count..=top_count + slack).contains(&est) {
            Ok(())
        } else {
            Err(format!(
                "estimate {est} outside [{top_count}, {}]",
                top_count + slack
            ))
        }
    };
    type Freq = Box<dyn Fn(&[u64], u64) -> u64>;
    let cms: [(&str, Freq); 2] = [
        (
            "arsenal:count-min",
            Box::new(move |xs, top| {
                let mut s = CountMin::new(width, depth).expect("valid size");
                xs.iter().for_each(|x| s.update(x));
                s.estimate(&top)
            }),
        ),
        (
            "peer:datasketches",
            Box::new(move |xs, top| {
                let mut s =
                    datasketches::countmin::CountMinSketch::<u64>::new(depth as u8, width as u32)
                        .expect("valid size");
                xs.iter().for_each(|&x| s.update(x));
                s.estimate(top)
            }),
        ),
    ];
    for (imp, run) in cms {
        let (xs, check) = (stream.clone(), stream.clone());
        let run = std::rc::Rc::new(run);
        let again = run.clone();
        reg.add(
            Case::new(NAME, "frequency", dataset, imp, 0, n, move || run(&xs, top))
                .verify(move || in_bound(again(&check, top))),
        );
    }
    type TopK = fn(&[u64]) -> Vec<u64>;
    let tops: [(&str, TopK); 2] = [
        ("arsenal:space-saving", |xs| {
            let mut s = SpaceSaving::new(1024).expect("valid capacity");
            xs.iter().for_each(|&x| s.insert(x));
            s.top(10).into_iter().map(|(k, _, _)| k).collect()
        }),
        ("peer:datasketches", |xs| {
            let mut s = datasketches::frequencies::FrequentItemsSketch::<u64>::new(1024)
                .expect("valid size");
            xs.iter().for_each(|&x| s.update(x));
            let mut rows = s.frequent_items(datasketches::frequencies::ErrorType::NoFalseNegatives);
            rows.sort_by_key(|r| std::cmp::Reverse(r.estimate()));
            rows.iter().take(10).map(|r| *r.item()).collect()
        }),
    ];
    for (imp, run) in tops {
        let xs = stream.clone();
        let top10 = top10.clone();
        reg.add(
            Case::new(NAME, "top-k", dataset, imp, 0, n, move || {
                run(&xs).iter().filter(|k| top10.contains(k)).count() as u64
            })
            .expect(10),
        );
    }
}

const QS: [f64; 3] = [0.5, 0.99, 0.999];

type Quantiles = fn(&[f64]) -> Vec<f64>;

const DIGESTS: &[(&str, Quantiles)] = &[
    ("arsenal:tdigest", |xs| {
        let mut s = TDigest::new(100.0).expect("valid compression");
        xs.iter().for_each(|&x| s.add(x).expect("finite"));
        QS.iter()
            .map(|&q| s.quantile(q).unwrap_or(f64::NAN))
            .collect()
    }),
    ("peer:tdigest", |xs| {
        let mut s = tdigest::TDigest::new_with_size(100);
        xs.iter().for_each(|&x| s.push(x));
        s.flush();
        QS.iter()
            .map(|&q| s.estimate_quantile(q).unwrap_or(f64::NAN))
            .collect()
    }),
    ("peer:datasketches", |xs| {
        let mut s = datasketches::tdigest::TDigestMut::new(100).expect("valid k");
        xs.iter().for_each(|&x| s.update(x));
        QS.iter()
            .map(|&q| s.quantile(q).ok().flatten().unwrap_or(f64::NAN))
            .collect()
    }),
];

/// The largest |rank(estimate) − q| over [`QS`], with ranks from the sorted data.
fn rank_error(sorted: &[f64], estimates: &[f64]) -> f64 {
    let n = sorted.len() as f64;
    QS.iter()
        .zip(estimates)
        .map(|(&q, &v)| {
            if v.is_nan() {
                return 1.0;
            }
            // Mid-rank of v among the data.
            let below = sorted.partition_point(|&x| x < v) as f64;
            let upto = sorted.partition_point(|&x| x <= v) as f64;
            ((below + upto) / 2.0 / n - q).abs()
        })
        .fold(0.0, f64::max)
}

fn register_quantile(reg: &mut Registry) {
    let raw = items(1_000_000, 13);
    let mut sets: Vec<(&str, Vec<f64>)> = vec![
        ("uniform-1e6", raw.iter().map(|&x| unit(x)).collect()),
        (
            // exp(N(0, 1)) by Box–Muller over pairs of uniforms.
            "lognormal-1e6",
            raw.chunks_exact(2)
                .flat_map(|p| {
                    let (u, v) = (unit(p[0]).max(1e-300), unit(p[1]));
                    let r = (-2.0 * u.ln()).sqrt();
                    let t = std::f64::consts::TAU * v;
                    [(r * t.cos()).exp(), (r * t.sin()).exp()]
                })
                .collect(),
        ),
    ];
    if crate::harness::large() {
        let values = items(10_000_000, 13).into_iter().map(unit).collect();
        sets.push(("uniform-1e7", values));
    }
    for (dataset, values) in sets {
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let values = std::rc::Rc::new(values);
        let sorted = std::rc::Rc::new(sorted);
        for &(imp, run) in DIGESTS {
            let (xs, check, s1, s2) = (
                values.clone(),
                values.clone(),
                sorted.clone(),
                sorted.clone(),
            );
            reg.add(
                Case::new(
                    NAME,
                    "quantile",
                    dataset,
                    imp,
                    0,
                    xs.len() as u64,
                    move || (rank_error(&s1, &run(&xs)) * 1e6).round() as u64,
                )
                .verify(move || {
                    let err = rank_error(&s2, &run(&check));
                    if err <= 0.01 {
                        Ok(())
                    } else {
                        Err(format!("rank error {err:.4} above 1 %"))
                    }
                }),
            );
        }
    }
}

fn register_minhash(reg: &mut Registry) {
    // |A| = |B| = 10⁵ sharing 2/3 of their items: J = |A∩B|/|A∪B| = (2/3)/(4/3) = 0.5.
    let all = items(400_000, 17);
    let shared = &all[..66_667];
    let a: Vec<u64> = shared
        .iter()
        .chain(&all[100_000..133_333])
        .copied()
        .collect();
    let b: Vec<u64> = shared
        .iter()
        .chain(&all[200_000..233_333])
        .copied()
        .collect();
    let truth = 66_667.0 / (66_667.0 + 2.0 * 33_333.0);
    let k = 256;
    let bound = 4.0 / (k as f64).sqrt();
    let run = move || {
        let mut x = MinHash::new(k).expect("valid k");
        let mut y = MinHash::new(k).expect("valid k");
        a.iter().for_each(|i| x.update(i));
        b.iter().for_each(|i| y.update(i));
        x.jaccard(&y).expect("same parameters")
    };
    let check = run.clone();
    reg.add(
        Case::new(
            NAME,
            "minhash",
            "jaccard-0.5",
            "arsenal:minhash",
            0,
            200_000,
            move || (run() * 1e6).round() as u64,
        )
        .verify(move || {
            let j = check();
            if (j - truth).abs() <= bound {
                Ok(())
            } else {
                Err(format!("Jaccard estimate {j:.4} vs {truth:.4}"))
            }
        }),
    );
}

/// Heap bytes held by each distinct-count sketch after 10², 10³ and 10⁶ items, and by
/// each t-digest after 10⁶ values.
pub fn memory_rows() -> Vec<MemoryRow> {
    let mut rows = Vec::new();
    for (n, dataset) in [
        (100usize, "distinct-1e2"),
        (1_000, "distinct-1e3"),
        (1_000_000, "distinct-1e6"),
    ] {
        let xs = items(n, 7);
        let what = format!("distinct-count sketch (2^12 registers) after {n} distinct items: heap bytes held (one sketch)");
        let mut row = |imp: &str, bytes: Option<usize>| {
            rows.push(MemoryRow {
                domain: NAME.to_owned(),
                dataset: dataset.to_owned(),
                what: what.clone(),
                imp: imp.to_owned(),
                items: 1,
                bytes_per_item: bytes.map(|b| b as f64),
            })
        };
        let held = held_by(|| {
            let mut s = HyperLogLog::new(P).ok()?;
            xs.iter().for_each(|x| s.update(x));
            Some(s)
        });
        row("arsenal:hll", held.map(|(_, b)| b));
        let held = held_by(|| {
            let mut s = HyperLogLogPlus::new(P).ok()?;
            xs.iter().for_each(|x| s.update(x));
            Some(s)
        });
        row("arsenal:hll-plus", held.map(|(_, b)| b));
        let held = held_by(|| {
            let mut s =
                datasketches::hll::HllSketch::new(P, datasketches::hll::HllType::Hll8).ok()?;
            xs.iter().for_each(|&x| s.update(x));
            Some(s)
        });
        row("peer:datasketches", held.map(|(_, b)| b));
        let held = held_by(|| {
            let mut s =
                hyperloglogplus::HyperLogLogPlus::<u64, _>::new(P, RandomState::new()).ok()?;
            xs.iter().for_each(|x| s.insert(x));
            let _ = s.count();
            Some(s)
        });
        row("peer:hyperloglogplus", held.map(|(_, b)| b));
    }
    let values: Vec<f64> = items(1_000_000, 13).iter().map(|&x| unit(x)).collect();
    let what = "t-digest (compression 100) after 10^6 values: heap bytes held (one sketch)";
    let mut row = |imp: &str, bytes: Option<usize>| {
        rows.push(MemoryRow {
            domain: NAME.to_owned(),
            dataset: "quantile-1e6".to_owned(),
            what: what.to_owned(),
            imp: imp.to_owned(),
            items: 1,
            bytes_per_item: bytes.map(|b| b as f64),
        })
    };
    let held = held_by(|| {
        let mut s = TDigest::new(100.0).ok()?;
        values.iter().for_each(|&x| s.add(x).expect("finite"));
        s.compress();
        Some(s)
    });
    row("arsenal:tdigest", held.map(|(_, b)| b));
    let held = held_by(|| {
        let mut s = tdigest::TDigest::new_with_size(100);
        values.iter().for_each(|&x| s.push(x));
        s.flush();
        Some(s)
    });
    row("peer:tdigest", held.map(|(_, b)| b));
    let held = held_by(|| {
        let mut s = datasketches::tdigest::TDigestMut::new(100).ok()?;
        values.iter().for_each(|&x| s.update(x));
        let _ = s.quantile(0.5);
        Some(s)
    });
    row("peer:datasketches", held.map(|(_, b)| b));
    rows
}

/// Each cell's error, from its checksum: relative error of the distinct counts, the
/// rank error of the quantiles.
fn error_tables(results: &[BenchResult], _machine: &Machine) -> Vec<(String, Table)> {
    let mut tables = Vec::new();
    let pick = |op: &str| -> Vec<&BenchResult> {
        results
            .iter()
            .filter(|r| r.domain == NAME && r.op == op)
            .collect()
    };
    let distinct = pick("distinct");
    if !distinct.is_empty() {
        let table = dataset_table("items", &distinct, |r| match (r.checksum, r.items) {
            (Some(est), n) if n > 0 => {
                format!("{:+.2} %", (est as f64 - n as f64) * 100.0 / n as f64)
            }
            _ => r.status.name().to_owned(),
        });
        tables.push((
            format!(
                "{NAME} / distinct — estimate error (items are distinct; 2^12 registers unless \
                 the dataset names p: 1.04/√4096 = 1.6 %)"
            ),
            table,
        ));
    }
    let quantile = pick("quantile");
    if !quantile.is_empty() {
        let table = dataset_table("values", &quantile, |r| match r.checksum {
            Some(ppm) => format!("{:.4} %", ppm as f64 / 1e4),
            None => r.status.name().to_owned(),
        });
        tables.push((
            format!(
                "{NAME} / quantile — largest rank error at q = 0.5, 0.99, 0.999, lower is better"
            ),
            table,
        ));
    }
    tables
}

/// The name of the theoretical series of the error chart.
const THEORY: &str = "ref:1.04/√m, 1 B/register";

/// Relative error against sketch size of the `distinct` cells on 10⁶ items: x the
/// implementation's register bytes at the cell's precision ([`register_bytes`], the
/// precision from the dataset's name), y |estimate − items| / items from the checksum;
/// plus the standard error 1.04/√m at one byte per register.
fn error_charts(results: &[BenchResult]) -> Vec<Chart> {
    let rows: Vec<&BenchResult> = results
        .iter()
        .filter(|r| r.domain == NAME && r.op == "distinct")
        .filter(|r| precision_of(&r.dataset).is_some())
        .collect();
    if rows.is_empty() {
        return Vec::new();
    }
    let (impls, _) = axes(&rows);
    let mut series: Vec<Series> = impls
        .iter()
        .map(|imp| Series {
            name: (*imp).to_owned(),
            points: rows
                .iter()
                .filter(|r| r.imp == *imp && matches!(r.status, Status::Ok | Status::Verified))
                .filter_map(|r| {
                    let bytes = register_bytes(imp, precision_of(&r.dataset)?)?;
                    let (est, n) = (r.checksum? as f64, r.items as f64);
                    (n > 0.0).then(|| (bytes, (est - n).abs() * 100.0 / n))
                })
                .collect(),
        })
        .filter(|s| !s.points.is_empty())
        .collect();
    let mut precisions: Vec<u8> = rows
        .iter()
        .filter_map(|r| precision_of(&r.dataset))
        .collect();
    precisions.sort_unstable();
    precisions.dedup();
    series.push(Series {
        name: THEORY.to_owned(),
        points: precisions
            .iter()
            .map(|&p| {
                let m = f64::from(1u32 << p);
                (m, 104.0 / m.sqrt())
            })
            .collect(),
    });
    vec![Chart {
        title: format!(
            "{NAME} / distinct — error against sketch size (10^6 distinct items, 2^8..2^16 \
             registers)"
        ),
        x_label: "sketch size, bytes of registers".to_owned(),
        y_label: "|relative error| of one estimate, %".to_owned(),
        log_x: true,
        log_y: true,
        series,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precisions_and_bytes() {
        assert_eq!(precision_of("1e6"), Some(P));
        assert_eq!(precision_of("1e6-p16"), Some(16));
        assert_eq!(precision_of("1e3"), None);
        assert_eq!(precision_of("1e6-x"), None);
        assert_eq!(register_bytes("arsenal:hll", 12), Some(4096.0));
        assert_eq!(
            register_bytes("peer:hyperloglogplus", 12),
            Some(4.0 * 820.0)
        );
        assert_eq!(register_bytes("peer:other", 12), None);
        for &(imp, _) in COUNTERS {
            assert!(
                register_bytes(imp, P).is_some(),
                "{imp} needs its byte formula"
            );
        }
    }

    #[test]
    fn error_chart_from_the_distinct_rows() {
        let cell = |dataset: &str, imp: &str, estimate: u64| {
            let mut row = BenchResult::failed(NAME, "distinct", dataset, imp, 0, 1_000_000, "");
            row.error = None;
            row.status = Status::Verified;
            row.checksum = Some(estimate);
            row
        };
        let results = vec![
            cell("1e3", "arsenal:hll", 1_001),
            cell("1e6", "arsenal:hll", 1_010_000),
            cell("1e6-p8", "arsenal:hll", 950_000),
            cell("1e6-p8", "peer:hyperloglogplus", 1_000_000),
            BenchResult::failed(NAME, "distinct", "1e6-p16", "arsenal:hll", 0, 1, "x"),
        ];
        let charts = error_charts(&results);
        assert_eq!(charts.len(), 1);
        let chart = &charts[0];
        assert!(chart.log_x && chart.log_y);
        let names: Vec<&str> = chart.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["arsenal:hll", "peer:hyperloglogplus", THEORY]);
        let hll = &chart.series[0].points;
        assert_eq!(hll.len(), 2);
        assert!(
            hll.contains(&(4096.0, 1.0)) && hll.contains(&(256.0, 5.0)),
            "{hll:?}"
        );
        // An exact estimate has no place on a log axis: kept in the data, not drawn.
        assert_eq!(chart.series[1].points, [(4.0 * 52.0, 0.0)]);
        // The theory at the precisions present (8, 12 and the failed 16).
        let theory = &chart.series[2].points;
        assert_eq!(theory.len(), 3);
        assert!((theory[0].1 - 6.5).abs() < 1e-12 && theory[0].0 == 256.0);
        assert!(error_charts(&[]).is_empty());
    }
}
