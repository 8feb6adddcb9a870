//! The compression domain's derived tables: an lzbench-style summary and the ratio per
//! file, both read from the results (a `compress` cell's checksum is its compressed
//! size, see the module docs of [`crate::compress`]).

use crate::harness::BenchResult;
use crate::report::{Table, Unit};

/// The compression domain's derived tables (empty without `compress/*` results):
/// an lzbench-style summary on the `all` dataset (compression and decompression MB/s
/// and the compressed size as % of the original, one row per implementation) and the
/// compressed size as % of the original per file. The compressed size of a
/// `compress/compress/*` cell is its checksum.
///
/// ```
/// use arsenal_bench::{compress::compression_tables, harness::BenchResult};
///
/// let mut c = BenchResult::failed("compress", "compress", "all", "arsenal:zstd/3", 1000, 1, "x");
/// c.error = None;
/// c.gbps = Some(0.5);
/// c.checksum = Some(250);
/// let tables = compression_tables(&[c]);
/// assert_eq!(tables[0].1[1], ["arsenal:zstd/3", "500", "–", "25.00%"]);
/// ```
pub fn compression_tables(results: &[BenchResult]) -> Vec<(String, Table)> {
    let cells: Vec<&BenchResult> = results.iter().filter(|r| r.domain == "compress").collect();
    if cells.is_empty() {
        return Vec::new();
    }
    let (imps, datasets) = crate::report::axes(&cells);
    let find = |op: &str, dataset: &str, imp: &str| {
        cells
            .iter()
            .copied()
            .find(|r| r.op == op && r.dataset == dataset && r.imp == imp && r.error.is_none())
    };
    let ratio = |r: &BenchResult| {
        r.checksum
            .filter(|_| r.bytes > 0)
            .map(|size| format!("{:.2}%", size as f64 * 100.0 / r.bytes as f64))
    };
    let mbps = |r: Option<&BenchResult>| {
        r.and_then(|r| r.gbps).map_or_else(
            || "–".to_owned(),
            |v| Unit::MegabytesPerSecond.format(v * 1e3),
        )
    };
    let summary_set = if datasets.contains(&"all") {
        "all"
    } else {
        datasets[0]
    };
    let mut summary = vec![vec![
        "impl".to_owned(),
        "compress MB/s".to_owned(),
        "decompress MB/s".to_owned(),
        "compressed / original".to_owned(),
    ]];
    for imp in &imps {
        let c = find("compress", summary_set, imp);
        let d = find("decompress", summary_set, imp);
        if c.is_none() && d.is_none() {
            continue;
        }
        summary.push(vec![
            (*imp).to_owned(),
            mbps(c),
            mbps(d),
            c.and_then(ratio).unwrap_or_else(|| "–".to_owned()),
        ]);
    }
    let mut per_file = vec![std::iter::once("impl".to_owned())
        .chain(datasets.iter().map(|d| (*d).to_owned()))
        .collect::<Vec<_>>()];
    for imp in &imps {
        let row: Vec<String> = datasets
            .iter()
            .map(|d| {
                find("compress", d, imp)
                    .and_then(ratio)
                    .unwrap_or_else(|| "–".to_owned())
            })
            .collect();
        if row.iter().all(|c| c == "–") {
            continue;
        }
        per_file.push(std::iter::once((*imp).to_owned()).chain(row).collect());
    }
    vec![
        (
            format!("compress / lzbench-style summary — dataset {summary_set}"),
            summary,
        ),
        (
            "compress / ratio — compressed size as % of the original, lower is better".to_owned(),
            per_file,
        ),
    ]
}
