//! Reports: JSON, a Markdown table, and a self-contained HTML page with SVG bar charts.
//!
//! Markdown and HTML show one table per (domain, operation): a row per dataset, a
//! column per implementation (`arsenal:*`, then `raw:*`, then `peer:*`, alphabetical
//! within each kind), and one `arsenal/raw <lib>` column per C library measured both
//! ways: our wrapper's throughput divided by the raw C call's, where
//! [`OVERHEAD_TARGET`] is the goal.

use std::fs;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::harness::{library_of, BenchResult, ImplKind};
use crate::machine::{utc_datetime, Machine};

/// The wrapper overhead goal: `arsenal/raw` throughput at or above this.
pub const OVERHEAD_TARGET: f64 = 0.97;

/// Everything a run produced; serializes to the documented JSON schema
/// (`{"machine": {...}, "results": [...]}`).
///
/// ```
/// use arsenal_bench::{harness::{BenchResult, Profile}, machine::Machine, report::Report};
///
/// let machine = Machine::detect(&Profile::quick(), None);
/// let results = vec![BenchResult::failed("d", "o", "s", "raw:c", 0, 0, "absent")];
/// let report = Report { machine, results, memory: vec![] };
/// let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
/// assert_eq!(json["results"][0]["error"], "absent");
/// assert!(report.to_markdown().contains("absent"));
/// assert!(report.to_html().starts_with("<!DOCTYPE html>"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Where and how the run happened.
    pub machine: Machine,
    /// One row per cell, in run order.
    pub results: Vec<BenchResult>,
    /// Memory measurements (not timed cells), e.g. RSS per idle coroutine; empty when the
    /// run measured none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub memory: Vec<MemoryRow>,
}

/// One memory measurement: bytes of resident memory per item that `imp` keeps alive
/// (`what` says which item, e.g. "idle coroutine").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemoryRow {
    /// Domain, e.g. `coro`.
    pub domain: String,
    /// What one item is, e.g. `idle coroutine (suspended after its first resume)`.
    pub what: String,
    /// Implementation: `arsenal:<lib>`, `raw:<lib>` or `peer:<crate>`.
    #[serde(rename = "impl")]
    pub imp: String,
    /// Items measured together (the RSS delta is divided by this).
    pub items: u64,
    /// Resident bytes per item (RSS delta / items); `null` when not measurable.
    pub bytes_per_item: Option<f64>,
}

impl Report {
    /// Pretty-printed JSON, newline-terminated.
    ///
    /// ```
    /// # use arsenal_bench::{harness::Profile, machine::Machine, report::Report};
    /// let report = Report { machine: Machine::detect(&Profile::quick(), None), results: vec![], memory: vec![] };
    /// assert!(report.to_json().contains("\"machine\""));
    /// ```
    pub fn to_json(&self) -> String {
        // Serializing plain structs of strings and numbers cannot fail; NaN/infinite
        // floats (never produced by the harness) would be written as null.
        let mut json = serde_json::to_string_pretty(self)
            .unwrap_or_else(|err| format!("{{\"error\": {:?}}}", err.to_string()));
        json.push('\n');
        json
    }

    /// The Markdown report: machine summary, then one table per (domain, operation).
    ///
    /// ```
    /// # use arsenal_bench::{harness::Profile, machine::Machine, report::Report};
    /// let report = Report { machine: Machine::detect(&Profile::quick(), None), results: vec![], memory: vec![] };
    /// assert!(report.to_markdown().contains("target: arsenal/raw ≥ 0.97"));
    /// ```
    pub fn to_markdown(&self) -> String {
        let mut out = String::from("# Arsenal benchmark report\n\n");
        for (key, value) in machine_rows(&self.machine) {
            out.push_str(&format!("- **{key}**: {}\n", escape_markdown(&value)));
        }
        out.push_str(&format!(
            "\n> target: arsenal/raw ≥ {OVERHEAD_TARGET:.2} (our wrapper's throughput over the \
             raw C call's; misses in **bold**)\n"
        ));
        let groups = groups(&self.results);
        if groups.is_empty() {
            out.push_str("\nNo results.\n");
        }
        for group in &groups {
            out.push_str(&format!(
                "\n## {} / {} — {}\n\n",
                escape_markdown(group.domain),
                escape_markdown(group.op),
                group.unit.label()
            ));
            if let Some(note) = thread_note(group.domain, self.machine.logical_cores) {
                out.push_str(&format!("> {}\n\n", escape_markdown(&note)));
            }
            let header = group.header();
            out.push_str(&format!(
                "| {} |\n",
                header
                    .iter()
                    .map(|h| escape_markdown(h))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ));
            let align: Vec<&str> = header
                .iter()
                .enumerate()
                .map(|(i, _)| if i == 0 { "---" } else { "---:" })
                .collect();
            out.push_str(&format!("| {} |\n", align.join(" | ")));
            for dataset in &group.datasets {
                let mut cells = vec![escape_markdown(dataset)];
                for imp in &group.impls {
                    cells.push(match group.cell(dataset, imp) {
                        None => "–".to_owned(),
                        Some(row) => match group.unit.value(row) {
                            Some(value) => group.unit.format(value),
                            None => "error".to_owned(),
                        },
                    });
                }
                for lib in &group.libs {
                    cells.push(match group.overhead(dataset, lib) {
                        None => "–".to_owned(),
                        Some(ratio) if ratio < OVERHEAD_TARGET => format!("**{ratio:.2}**"),
                        Some(ratio) => format!("{ratio:.2}"),
                    });
                }
                out.push_str(&format!("| {} |\n", cells.join(" | ")));
            }
            let errors = group.errors();
            if !errors.is_empty() {
                out.push_str("\nErrors:\n");
                for row in errors {
                    let reason = row.error.as_deref().unwrap_or_default();
                    out.push_str(&format!(
                        "- {}: {}\n",
                        escape_markdown(&row.id),
                        escape_markdown(reason)
                    ));
                }
            }
        }
        for group in groups.iter().filter(|g| g.domain == "hash") {
            out.push_str(&markdown_table(
                &format!(
                    "{} / {} — ns per hash, lower is better",
                    group.domain, group.op
                ),
                &per_item_table(group),
            ));
        }
        for table in compression_tables(&self.results) {
            out.push_str(&markdown_table(&table.0, &table.1));
        }
        for (domain, what, rows) in memory_groups(&self.memory) {
            out.push_str(&format!(
                "\n## {} / memory — resident bytes per {}, lower is better\n\n| impl | bytes | items measured |\n|---|---:|---:|\n",
                escape_markdown(domain),
                escape_markdown(what)
            ));
            for row in rows {
                out.push_str(&format!(
                    "| {} | {} | {} |\n",
                    escape_markdown(&row.imp),
                    format_bytes(row.bytes_per_item),
                    row.items
                ));
            }
        }
        out
    }

    /// A self-contained HTML page (inline CSS and SVG, no JavaScript): machine info, and
    /// per (domain, operation) the table plus one bar chart per dataset.
    ///
    /// ```
    /// # use arsenal_bench::{harness::Profile, machine::Machine, report::Report};
    /// let report = Report { machine: Machine::detect(&Profile::quick(), None), results: vec![], memory: vec![] };
    /// let html = report.to_html();
    /// assert!(html.contains("<title>Arsenal benchmark report</title>") && !html.contains("<script"));
    /// ```
    pub fn to_html(&self) -> String {
        let mut out = String::from(HTML_HEAD);
        out.push_str("<h1>Arsenal benchmark report</h1>\n<table class=\"machine\">\n");
        for (key, value) in machine_rows(&self.machine) {
            out.push_str(&format!(
                "<tr><th>{}</th><td>{}</td></tr>\n",
                escape_html(key),
                escape_html(&value)
            ));
        }
        out.push_str("</table>\n");
        out.push_str(&format!(
            "<p class=\"note\">target: arsenal/raw ≥ {OVERHEAD_TARGET:.2} (our wrapper's \
             throughput over the raw C call's; misses in <span class=\"miss\">red</span>)</p>\n"
        ));
        out.push_str("<p class=\"legend\">");
        for kind in [ImplKind::Arsenal, ImplKind::Raw, ImplKind::Peer] {
            out.push_str(&format!(
                "<svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" \
                 height=\"12\" fill=\"{}\"/></svg> {} ",
                kind_colour(kind),
                escape_html(kind_description(kind))
            ));
        }
        out.push_str("</p>\n");
        let groups = groups(&self.results);
        if groups.is_empty() {
            out.push_str("<p>No results.</p>\n");
        }
        for group in &groups {
            out.push_str(&format!(
                "<section>\n<h2>{} / {} <small>{}</small></h2>\n",
                escape_html(group.domain),
                escape_html(group.op),
                escape_html(group.unit.label())
            ));
            if let Some(note) = thread_note(group.domain, self.machine.logical_cores) {
                out.push_str(&format!("<p class=\"note\">{}</p>\n", escape_html(&note)));
            }
            out.push_str(&html_table(group));
            for dataset in &group.datasets {
                out.push_str(&format!(
                    "<figure>\n<figcaption>{}</figcaption>\n{}</figure>\n",
                    escape_html(dataset),
                    svg_chart(group, dataset)
                ));
            }
            let errors = group.errors();
            if !errors.is_empty() {
                out.push_str("<ul class=\"errors\">\n");
                for row in errors {
                    out.push_str(&format!(
                        "<li><code>{}</code>: {}</li>\n",
                        escape_html(&row.id),
                        escape_html(row.error.as_deref().unwrap_or_default())
                    ));
                }
                out.push_str("</ul>\n");
            }
            out.push_str("</section>\n");
        }
        for group in groups.iter().filter(|g| g.domain == "hash") {
            out.push_str(&html_simple_table(
                &format!(
                    "{} / {} — ns per hash, lower is better",
                    group.domain, group.op
                ),
                &per_item_table(group),
            ));
        }
        for table in compression_tables(&self.results) {
            out.push_str(&html_simple_table(&table.0, &table.1));
        }
        for (domain, what, rows) in memory_groups(&self.memory) {
            out.push_str(&format!(
                "<section>\n<h2>{} / memory <small>resident bytes per {}, lower is better</small></h2>\n\
                 <table>\n<tr><th>impl</th><th>bytes</th><th>items measured</th></tr>\n",
                escape_html(domain),
                escape_html(what)
            ));
            for row in rows {
                out.push_str(&format!(
                    "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                    escape_html(&row.imp),
                    escape_html(&format_bytes(row.bytes_per_item)),
                    row.items
                ));
            }
            out.push_str("</table>\n</section>\n");
        }
        out.push_str("</body>\n</html>\n");
        out
    }
}

/// For domains whose rows run several threads: how many logical cores they had, since
/// contended numbers depend on it (spinning waiters need a core each).
///
/// ```
/// use arsenal_bench::report::thread_note;
///
/// assert!(thread_note("sync", 2).unwrap().contains("2 logical cores"));
/// assert_eq!(thread_note("json", 2), None);
/// ```
pub fn thread_note(domain: &str, logical_cores: usize) -> Option<String> {
    (domain == "sync").then(|| {
        format!(
            "Measured on {logical_cores} logical cores. Multi-thread rows (2p2c, 2threads) use \
             at most 2 producer + 2 consumer threads; with fewer cores than threads, waiters \
             spin while the thread they wait for is descheduled. Larger thread counts need a \
             bigger machine."
        )
    })
}

/// A derived table: a header row, then rows of cells (first column left-aligned).
pub type Table = Vec<Vec<String>>;

/// The group's table in ns per item (the hash domain shows ns per hash beside GB/s).
fn per_item_table(group: &Group<'_>) -> Table {
    let mut table = vec![std::iter::once("size".to_owned())
        .chain(group.impls.iter().map(|imp| (*imp).to_owned()))
        .collect::<Vec<_>>()];
    for dataset in &group.datasets {
        let mut row = vec![(*dataset).to_owned()];
        for imp in &group.impls {
            row.push(match group.cell(dataset, imp) {
                None => "–".to_owned(),
                Some(cell) => Unit::NanosPerItem
                    .value(cell)
                    .map_or_else(|| "error".to_owned(), |v| Unit::NanosPerItem.format(v)),
            });
        }
        table.push(row);
    }
    table
}

/// The compression domain's derived tables (empty without `compress/*` results):
/// an lzbench-style summary on the `all` dataset (compression and decompression MB/s
/// and the compressed size as % of the original, one row per implementation) and the
/// compressed size as % of the original per file. The compressed size of a
/// `compress/compress/*` cell is its checksum (see `benches/src/compress/mod.rs`).
///
/// ```
/// use arsenal_bench::{harness::BenchResult, report::compression_tables};
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
    let mut imps: Vec<&str> = Vec::new();
    let mut datasets: Vec<&str> = Vec::new();
    for r in &cells {
        if !imps.contains(&r.imp.as_str()) {
            imps.push(&r.imp);
        }
        if !datasets.contains(&r.dataset.as_str()) {
            datasets.push(&r.dataset);
        }
    }
    imps.sort_by_key(|imp| (ImplKind::of(imp), *imp));
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

/// A derived table as a Markdown section.
fn markdown_table(title: &str, table: &Table) -> String {
    let mut out = format!("\n## {}\n\n", escape_markdown(title));
    for (i, row) in table.iter().enumerate() {
        let cells: Vec<String> = row.iter().map(|c| escape_markdown(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
        if i == 0 {
            let align: Vec<&str> = (0..row.len())
                .map(|j| if j == 0 { "---" } else { "---:" })
                .collect();
            out.push_str(&format!("| {} |\n", align.join(" | ")));
        }
    }
    out
}

/// A derived table as an HTML section.
fn html_simple_table(title: &str, table: &Table) -> String {
    let mut out = format!(
        "<section>\n<h2>{}</h2>\n<table class=\"results\">\n",
        escape_html(title)
    );
    for (i, row) in table.iter().enumerate() {
        out.push_str("<tr>");
        for (j, cell) in row.iter().enumerate() {
            let (tag, class) = match (i, j) {
                (0, _) => ("th", ""),
                (_, 0) => ("td", ""),
                _ => ("td", " class=\"num\""),
            };
            out.push_str(&format!("<{tag}{class}>{}</{tag}>", escape_html(cell)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n</section>\n");
    out
}

/// Memory rows grouped by (domain, what), in order of first appearance.
fn memory_groups(rows: &[MemoryRow]) -> Vec<(&str, &str, Vec<&MemoryRow>)> {
    let mut groups: Vec<(&str, &str, Vec<&MemoryRow>)> = Vec::new();
    for row in rows {
        match groups
            .iter_mut()
            .find(|(domain, what, _)| *domain == row.domain && *what == row.what)
        {
            Some(group) => group.2.push(row),
            None => groups.push((&row.domain, &row.what, vec![row])),
        }
    }
    groups
}

/// Bytes with a binary suffix (`512 B`, `8.0 KiB`, `1.50 MiB`); `n/a` for `None`.
///
/// ```
/// use arsenal_bench::report::format_bytes;
///
/// assert_eq!(format_bytes(Some(512.0)), "512 B");
/// assert_eq!(format_bytes(Some(8192.0)), "8.0 KiB");
/// assert_eq!(format_bytes(None), "n/a");
/// ```
pub fn format_bytes(bytes: Option<f64>) -> String {
    match bytes {
        None => "n/a".to_owned(),
        Some(b) if b.abs() < 1024.0 => format!("{b:.0} B"),
        Some(b) if b.abs() < 1024.0 * 1024.0 => format!("{:.1} KiB", b / 1024.0),
        Some(b) => format!("{:.2} MiB", b / (1024.0 * 1024.0)),
    }
}

/// Writes `contents` to `path`, creating missing parent directories.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("bench-results/report.md");
/// arsenal_bench::report::write_file(&path, "# report\n").unwrap();
/// assert_eq!(std::fs::read_to_string(path).unwrap(), "# report\n");
/// ```
pub fn write_file(path: &Path, contents: &str) -> io::Result<()> {
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, contents)
}

/// The wrapper's throughput over the raw call's (`arsenal / raw`), compared in GB/s when
/// both rows count bytes, else in items/s, else in iterations per second. `None` when
/// either row failed or has no positive timing.
///
/// ```
/// use arsenal_bench::harness::{BenchResult, Measurement, Stats};
/// use arsenal_bench::report::overhead;
///
/// let row = |imp: &str, median: f64| {
///     let stats = Stats { median, min: median, max: median };
///     let m = Measurement { runs: 1, stats, iterations: 1, checksum: 0 };
///     BenchResult::measured("json", "parse", "twitter", imp, 1000, 1, &m)
/// };
/// let ratio = overhead(&row("arsenal:simdjson", 101.0), &row("raw:simdjson", 100.0)).unwrap();
/// assert!((ratio - 100.0 / 101.0).abs() < 1e-12);
/// ```
pub fn overhead(arsenal: &BenchResult, raw: &BenchResult) -> Option<f64> {
    if arsenal.error.is_some() || raw.error.is_some() {
        return None;
    }
    let (ours, theirs) = match (arsenal.gbps, raw.gbps, arsenal.items_per_s, raw.items_per_s) {
        (Some(ours), Some(theirs), _, _) => (ours, theirs),
        (_, _, Some(ours), Some(theirs)) => (ours, theirs),
        _ => (1.0 / arsenal.median_ns?, 1.0 / raw.median_ns?),
    };
    let ratio = ours / theirs;
    let usable = |rate: f64| rate.is_finite() && rate > 0.0;
    (usable(ours) && usable(theirs)).then_some(ratio)
}

/// Escapes text for HTML element content and attribute values.
///
/// ```
/// assert_eq!(
///     arsenal_bench::report::escape_html(r#"<a href="x">&'</a>"#),
///     "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
/// );
/// ```
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for a Markdown table cell or list item: Markdown punctuation gets a
/// backslash, line breaks become spaces.
///
/// ```
/// assert_eq!(arsenal_bench::report::escape_markdown("a|b*c\nd"), r"a\|b\*c d");
/// ```
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '*' | '`' | '<' | '>' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// What a group's cells show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// GB/s (10^9 bytes per second); used when every measured row counts bytes.
    GigabytesPerSecond,
    /// MB/s (10^6 bytes per second): the compression domain's unit, as lzbench's.
    MegabytesPerSecond,
    /// Items per second; used when every measured row counts items but some no bytes.
    ItemsPerSecond,
    /// Nanoseconds per item (lower is better): for operations whose natural measure is
    /// a latency (a coroutine switch, a lock + unlock), when every measured row counts
    /// items. The arsenal/raw ratio is still computed from items/s.
    NanosPerItem,
    /// Nanoseconds per iteration (lower is better); the fallback.
    NanosPerIteration,
}

impl Unit {
    /// [`Unit::of`], except that latency-natured operations (`coro/*`, `sync/lock`) are
    /// shown in ns per item when every measured row counts items.
    ///
    /// ```
    /// use arsenal_bench::{harness::BenchResult, report::Unit};
    ///
    /// let failed = BenchResult::failed("coro", "switch", "s", "raw:c", 0, 0, "x");
    /// assert_eq!(Unit::for_group("coro", "switch", &[&failed]), Unit::NanosPerItem);
    /// assert_eq!(Unit::for_group("json", "parse", &[&failed]), Unit::GigabytesPerSecond);
    /// ```
    pub fn for_group(domain: &str, op: &str, rows: &[&BenchResult]) -> Unit {
        let latency = domain == "coro" || (domain == "sync" && op == "lock");
        let all_items = rows
            .iter()
            .filter(|row| row.error.is_none())
            .all(|row| row.items_per_s.is_some());
        if latency && all_items {
            Unit::NanosPerItem
        } else {
            match Unit::of(rows) {
                Unit::GigabytesPerSecond if domain == "compress" => Unit::MegabytesPerSecond,
                unit => unit,
            }
        }
    }

    /// The unit that every measured row among `rows` can be shown in.
    ///
    /// ```
    /// use arsenal_bench::{harness::BenchResult, report::Unit};
    ///
    /// let failed = BenchResult::failed("d", "o", "s", "raw:c", 0, 0, "x");
    /// assert_eq!(Unit::of(&[&failed]), Unit::GigabytesPerSecond);
    /// ```
    pub fn of(rows: &[&BenchResult]) -> Unit {
        let measured = || rows.iter().filter(|row| row.error.is_none());
        if measured().all(|row| row.gbps.is_some()) {
            Unit::GigabytesPerSecond
        } else if measured().all(|row| row.items_per_s.is_some()) {
            Unit::ItemsPerSecond
        } else {
            Unit::NanosPerIteration
        }
    }

    /// A row's value in this unit; `None` for failed rows.
    ///
    /// ```
    /// use arsenal_bench::{harness::BenchResult, report::Unit};
    ///
    /// let failed = BenchResult::failed("d", "o", "s", "raw:c", 0, 0, "x");
    /// assert_eq!(Unit::NanosPerIteration.value(&failed), None);
    /// ```
    pub fn value(self, row: &BenchResult) -> Option<f64> {
        if row.error.is_some() {
            return None;
        }
        match self {
            Unit::GigabytesPerSecond => row.gbps,
            Unit::MegabytesPerSecond => row.gbps.map(|v| v * 1e3),
            Unit::ItemsPerSecond => row.items_per_s,
            Unit::NanosPerItem => row.items_per_s.filter(|&v| v > 0.0).map(|v| 1e9 / v),
            Unit::NanosPerIteration => row.median_ns,
        }
    }

    /// Heading text, with the direction that is better.
    ///
    /// ```
    /// assert_eq!(arsenal_bench::report::Unit::GigabytesPerSecond.label(), "GB/s, higher is better");
    /// ```
    pub fn label(self) -> &'static str {
        match self {
            Unit::GigabytesPerSecond => "GB/s, higher is better",
            Unit::MegabytesPerSecond => "MB/s, higher is better",
            Unit::ItemsPerSecond => "items/s, higher is better",
            Unit::NanosPerItem => "ns per item, lower is better",
            Unit::NanosPerIteration => "time per iteration, lower is better",
        }
    }

    /// A value formatted for a cell: GB/s with 3 decimals below 10 (2 below 100),
    /// items/s with an SI suffix, times with a unit.
    ///
    /// ```
    /// use arsenal_bench::report::Unit;
    ///
    /// assert_eq!(Unit::GigabytesPerSecond.format(2.34567), "2.346");
    /// assert_eq!(Unit::GigabytesPerSecond.format(12.3456), "12.35");
    /// assert_eq!(Unit::ItemsPerSecond.format(1_234_567.0), "1.23 M");
    /// assert_eq!(Unit::NanosPerIteration.format(1_500.0), "1.50 µs");
    /// ```
    pub fn format(self, value: f64) -> String {
        match self {
            Unit::GigabytesPerSecond if value < 10.0 => format!("{value:.3}"),
            Unit::GigabytesPerSecond if value < 100.0 => format!("{value:.2}"),
            Unit::GigabytesPerSecond => format!("{value:.1}"),
            Unit::MegabytesPerSecond if value < 100.0 => format!("{value:.1}"),
            Unit::MegabytesPerSecond => format!("{value:.0}"),
            Unit::ItemsPerSecond => {
                let (scaled, suffix) = scale(value, 1e3, [" k", " M", " G", " T"]);
                format!("{}{suffix}", three_digits(scaled))
            }
            Unit::NanosPerIteration | Unit::NanosPerItem => {
                let (scaled, suffix) = scale(value, 1e3, [" µs", " ms", " s", " ks"]);
                let suffix = if suffix.is_empty() { " ns" } else { suffix };
                format!("{}{suffix}", three_digits(scaled))
            }
        }
    }

    /// The short unit shown after chart values.
    fn suffix(self) -> &'static str {
        match self {
            Unit::GigabytesPerSecond => " GB/s",
            Unit::MegabytesPerSecond => " MB/s",
            Unit::ItemsPerSecond => "/s",
            Unit::NanosPerIteration | Unit::NanosPerItem => "",
        }
    }
}

/// Divides `value` by `step` while it is at least `step`, up to the number of suffixes.
fn scale(value: f64, step: f64, suffixes: [&'static str; 4]) -> (f64, &'static str) {
    let mut scaled = value;
    let mut suffix = "";
    for next in suffixes {
        if scaled.abs() < step {
            break;
        }
        scaled /= step;
        suffix = next;
    }
    (scaled, suffix)
}

/// Three significant digits for values below 1000.
fn three_digits(value: f64) -> String {
    if value.abs() >= 100.0 {
        format!("{value:.0}")
    } else if value.abs() >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// The rows of one (domain, operation), arranged for a table.
#[derive(Debug)]
struct Group<'a> {
    domain: &'a str,
    op: &'a str,
    unit: Unit,
    /// Column order: arsenal, raw, peer, other; alphabetical within each kind.
    impls: Vec<&'a str>,
    /// Libraries with both an `arsenal:` and a `raw:` column, alphabetical.
    libs: Vec<&'a str>,
    /// In order of first appearance.
    datasets: Vec<&'a str>,
    rows: Vec<&'a BenchResult>,
}

impl<'a> Group<'a> {
    fn cell(&self, dataset: &str, imp: &str) -> Option<&'a BenchResult> {
        self.rows
            .iter()
            .copied()
            .find(|row| row.dataset == dataset && row.imp == imp)
    }

    fn overhead(&self, dataset: &str, lib: &str) -> Option<f64> {
        let arsenal = self.cell(dataset, &format!("arsenal:{lib}"))?;
        let raw = self.cell(dataset, &format!("raw:{lib}"))?;
        overhead(arsenal, raw)
    }

    fn header(&self) -> Vec<String> {
        let mut header = vec!["dataset".to_owned()];
        header.extend(self.impls.iter().map(|imp| (*imp).to_owned()));
        header.extend(self.libs.iter().map(|lib| format!("arsenal/raw {lib}")));
        header
    }

    fn errors(&self) -> Vec<&'a BenchResult> {
        self.rows
            .iter()
            .copied()
            .filter(|row| row.error.is_some())
            .collect()
    }
}

/// Groups rows by (domain, operation), in order of first appearance.
fn groups(results: &[BenchResult]) -> Vec<Group<'_>> {
    let mut groups: Vec<Group<'_>> = Vec::new();
    for row in results {
        let index = groups
            .iter()
            .position(|group| group.domain == row.domain && group.op == row.op)
            .unwrap_or_else(|| {
                groups.push(Group {
                    domain: &row.domain,
                    op: &row.op,
                    unit: Unit::NanosPerIteration,
                    impls: Vec::new(),
                    libs: Vec::new(),
                    datasets: Vec::new(),
                    rows: Vec::new(),
                });
                groups.len() - 1
            });
        let group = &mut groups[index];
        group.rows.push(row);
        if !group.impls.contains(&row.imp.as_str()) {
            group.impls.push(&row.imp);
        }
        if !group.datasets.contains(&row.dataset.as_str()) {
            group.datasets.push(&row.dataset);
        }
    }
    for group in &mut groups {
        group.unit = Unit::for_group(group.domain, group.op, &group.rows);
        group.impls.sort_by_key(|imp| (ImplKind::of(imp), *imp));
        let has = |kind: &str, lib: &str| {
            group.impls.iter().any(|imp| {
                imp.strip_prefix(kind)
                    .and_then(|rest| rest.strip_prefix(':'))
                    == Some(lib)
            })
        };
        let mut libs: Vec<&str> = group
            .impls
            .iter()
            .filter(|imp| ImplKind::of(imp) == ImplKind::Arsenal)
            .map(|imp| library_of(imp))
            .filter(|lib| has("raw", lib))
            .collect();
        libs.sort_unstable();
        libs.dedup();
        group.libs = libs;
    }
    groups
}

/// Key/value lines describing the machine, shared by Markdown and HTML.
fn machine_rows(machine: &Machine) -> Vec<(&'static str, String)> {
    let features = if machine.cpu_features.is_empty() {
        "none detected".to_owned()
    } else {
        machine.cpu_features.join(" ")
    };
    let mut build = format!("{}, target {}", machine.build_profile, machine.target);
    if machine.is_debug_build() {
        build.push_str(" — UNOPTIMISED BUILD, timings are not meaningful");
    }
    let mut rows = vec![
        (
            "CPU",
            format!(
                "{} ({} logical cores, SIMD level {})",
                machine.cpu_model, machine.logical_cores, machine.simd_level
            ),
        ),
        ("CPU features", features),
        (
            "OS",
            format!("{} ({}/{})", machine.os, machine.os_family, machine.arch),
        ),
        ("rustc", machine.rustc.clone()),
        ("C compiler", machine.cc.clone()),
        ("C++ compiler", machine.cxx.clone()),
        ("Build", build),
        (
            "Profile",
            format!(
                "{}: {} ms warm-up, {} samples of ≥ {} ms per cell",
                machine.profile, machine.warmup_ms, machine.samples, machine.min_sample_ms
            ),
        ),
        ("Started", utc_datetime(machine.timestamp)),
        (
            "Data",
            machine
                .data_dir
                .clone()
                .unwrap_or_else(|| "generated (no data directory)".to_owned()),
        ),
    ];
    if let Some(gbps) = machine.dram_copy_gbps {
        rows.push((
            "DRAM copy ceiling",
            format!("{gbps:.2} GB/s (one 256 MiB glibc memcpy, median of 3)"),
        ));
    }
    rows
}

/// The page head: inline CSS only.
const HTML_HEAD: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Arsenal benchmark report</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1a202c; max-width: 72rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #cbd5e0; padding: 0.25rem 0.6rem; }
table.machine th { text-align: left; background: #f7fafc; }
table.results td { text-align: right; font-variant-numeric: tabular-nums; }
table.results td:first-child, table.results th { text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.results th { background: #edf2f7; }
.miss { color: #c53030; font-weight: bold; }
.error { color: #c53030; }
.note, .legend { color: #4a5568; }
figure { margin: 0.5rem 0 1.25rem; }
figcaption { font-weight: 600; margin-bottom: 0.25rem; }
svg text { font: 12px system-ui, sans-serif; fill: #1a202c; }
small { color: #718096; font-weight: normal; }
</style>
</head>
<body>
"#;

fn kind_colour(kind: ImplKind) -> &'static str {
    match kind {
        ImplKind::Arsenal => "#2b6cb0",
        ImplKind::Raw => "#718096",
        ImplKind::Peer => "#dd6b20",
        ImplKind::Other => "#38a169",
    }
}

fn kind_description(kind: ImplKind) -> &'static str {
    match kind {
        ImplKind::Arsenal => "arsenal: the C library through our wrapper",
        ImplKind::Raw => "raw: the C library called directly",
        ImplKind::Peer => "peer: pure-Rust alternative",
        ImplKind::Other => "other",
    }
}

/// The group's table as HTML.
fn html_table(group: &Group<'_>) -> String {
    let mut out = String::from("<table class=\"results\">\n<tr>");
    for heading in group.header() {
        out.push_str(&format!("<th>{}</th>", escape_html(&heading)));
    }
    out.push_str("</tr>\n");
    for dataset in &group.datasets {
        out.push_str(&format!("<tr><td>{}</td>", escape_html(dataset)));
        for imp in &group.impls {
            match group.cell(dataset, imp) {
                None => out.push_str("<td>–</td>"),
                Some(row) => match (group.unit.value(row), &row.error) {
                    (Some(value), _) => out.push_str(&format!(
                        "<td title=\"{}\">{}</td>",
                        escape_html(&timing_tooltip(row)),
                        escape_html(&group.unit.format(value))
                    )),
                    (None, error) => out.push_str(&format!(
                        "<td class=\"error\" title=\"{}\">error</td>",
                        escape_html(error.as_deref().unwrap_or_default())
                    )),
                },
            }
        }
        for lib in &group.libs {
            match group.overhead(dataset, lib) {
                None => out.push_str("<td>–</td>"),
                Some(ratio) if ratio < OVERHEAD_TARGET => {
                    out.push_str(&format!("<td class=\"miss\">{ratio:.2}</td>"))
                }
                Some(ratio) => out.push_str(&format!("<td>{ratio:.2}</td>")),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    out
}

/// Median/min/max description of a measured row.
fn timing_tooltip(row: &BenchResult) -> String {
    let ns = |value: Option<f64>| {
        value.map_or_else(|| "?".to_owned(), |v| Unit::NanosPerIteration.format(v))
    };
    format!(
        "{}: median {}, min {}, max {} per iteration over {} samples",
        row.id,
        ns(row.median_ns),
        ns(row.min_ns),
        ns(row.max_ns),
        row.runs
    )
}

/// Chart geometry, in SVG user units (pixels).
const CHART_WIDTH: f64 = 760.0;
const CHART_LABEL_WIDTH: f64 = 210.0;
const CHART_VALUE_WIDTH: f64 = 120.0;
const CHART_ROW: f64 = 24.0;
const CHART_BAR: f64 = 16.0;
const CHART_PAD: f64 = 6.0;

/// A horizontal bar chart of one dataset: one bar per implementation, coloured by kind.
fn svg_chart(group: &Group<'_>, dataset: &str) -> String {
    let rows: Vec<(&str, &BenchResult)> = group
        .impls
        .iter()
        .filter_map(|imp| group.cell(dataset, imp).map(|row| (*imp, row)))
        .collect();
    let max = rows
        .iter()
        .filter_map(|(_, row)| group.unit.value(row))
        .fold(0.0_f64, f64::max);
    let plot_width = CHART_WIDTH - CHART_LABEL_WIDTH - CHART_VALUE_WIDTH;
    let height = CHART_PAD * 2.0 + CHART_ROW * rows.len() as f64;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{CHART_WIDTH}\" height=\"{height}\" \
         viewBox=\"0 0 {CHART_WIDTH} {height}\" role=\"img\" aria-label=\"{}\">\n",
        escape_html(&format!(
            "{}/{}/{dataset}: {}",
            group.domain,
            group.op,
            group.unit.label()
        ))
    );
    for (index, (imp, row)) in rows.iter().enumerate() {
        let top = CHART_PAD + CHART_ROW * index as f64;
        let baseline = top + CHART_ROW / 2.0 + 4.0;
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{baseline}\" text-anchor=\"end\">{}</text>\n",
            CHART_LABEL_WIDTH - 8.0,
            escape_html(imp)
        ));
        match group.unit.value(row) {
            Some(value) => {
                let width = if max > 0.0 {
                    (value / max * plot_width).max(1.0)
                } else {
                    1.0
                };
                out.push_str(&format!(
                    "<rect x=\"{CHART_LABEL_WIDTH}\" y=\"{}\" width=\"{width:.1}\" \
                     height=\"{CHART_BAR}\" fill=\"{}\"><title>{}</title></rect>\n",
                    top + (CHART_ROW - CHART_BAR) / 2.0,
                    kind_colour(ImplKind::of(imp)),
                    escape_html(&timing_tooltip(row))
                ));
                out.push_str(&format!(
                    "<text x=\"{:.1}\" y=\"{baseline}\">{}{}</text>\n",
                    CHART_LABEL_WIDTH + width + 6.0,
                    escape_html(&group.unit.format(value)),
                    group.unit.suffix()
                ));
            }
            None => out.push_str(&format!(
                "<text x=\"{}\" y=\"{baseline}\" style=\"fill:#c53030\">error: {}</text>\n",
                CHART_LABEL_WIDTH + 4.0,
                escape_html(&truncate(row.error.as_deref().unwrap_or_default(), 60))
            )),
        }
    }
    out.push_str("</svg>\n");
    out
}

/// At most `max` characters of `text`, with an ellipsis when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::{Measurement, Profile, Stats};

    fn row(dataset: &str, imp: &str, bytes: u64, median_ns: f64) -> BenchResult {
        let stats = Stats {
            median: median_ns,
            min: median_ns * 0.9,
            max: median_ns * 1.2,
        };
        let m = Measurement {
            runs: 11,
            stats,
            iterations: 100,
            checksum: 1,
        };
        BenchResult::measured("json", "parse", dataset, imp, bytes, 1, &m)
    }

    fn sample_report() -> Report {
        let results = vec![
            row("twitter", "peer:serde_json", 1000, 2000.0),
            row("twitter", "raw:simdjson", 1000, 100.0),
            row("twitter", "arsenal:simdjson", 1000, 125.0),
            row("twitter", "arsenal:yyjson", 1000, 200.0),
            row("twitter", "raw:yyjson", 1000, 198.0),
            row("twitter", "peer:simd-json", 1000, 400.0),
            row("canada", "arsenal:simdjson", 2000, 1000.0),
            BenchResult::failed(
                "json",
                "parse",
                "canada",
                "raw:simdjson",
                2000,
                1,
                "a|b <oops>",
            ),
            row("canada", "peer:serde_json", 2000, 4000.0),
        ];
        Report {
            machine: Machine::detect(&Profile::quick(), None),
            results,
            memory: vec![MemoryRow {
                domain: "coro".into(),
                what: "idle coroutine".into(),
                imp: "arsenal:fcontext".into(),
                items: 1000,
                bytes_per_item: Some(8192.0),
            }],
        }
    }

    #[test]
    fn memory_rows_get_their_own_table() {
        let report = sample_report();
        let markdown = report.to_markdown();
        assert!(markdown.contains("## coro / memory — resident bytes per idle coroutine"));
        assert!(markdown.contains("| arsenal:fcontext | 8.0 KiB | 1000 |"));
        assert!(report
            .to_html()
            .contains("<td>arsenal:fcontext</td><td class=\"num\">8.0 KiB</td>"));
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(json["memory"][0]["bytes_per_item"], 8192.0);
        let empty = Report {
            memory: vec![],
            ..sample_report()
        };
        assert!(!empty.to_json().contains("\"memory\""));
    }

    #[test]
    fn latency_ops_are_shown_in_ns_per_item() {
        let mut switch = row("round-trip", "arsenal:x", 0, 1000.0);
        switch.domain = "coro".into();
        switch.op = "switch".into();
        switch.items = 100;
        switch.items_per_s = Some(1e8);
        assert_eq!(
            Unit::for_group("coro", "switch", &[&switch]),
            Unit::NanosPerItem
        );
        assert_eq!(Unit::NanosPerItem.value(&switch), Some(10.0));
        assert_eq!(Unit::NanosPerItem.format(10.0), "10.0 ns");
    }

    #[test]
    fn columns_are_ordered_by_kind_then_name() {
        let report = sample_report();
        let groups = groups(&report.results);
        assert_eq!(groups.len(), 1);
        let group = &groups[0];
        assert_eq!(
            group.impls,
            [
                "arsenal:simdjson",
                "arsenal:yyjson",
                "raw:simdjson",
                "raw:yyjson",
                "peer:serde_json",
                "peer:simd-json"
            ]
        );
        assert_eq!(group.libs, ["simdjson", "yyjson"]);
        assert_eq!(group.datasets, ["twitter", "canada"]);
        assert_eq!(group.unit, Unit::GigabytesPerSecond);
    }

    #[test]
    fn overhead_is_arsenal_over_raw_throughput() {
        let report = sample_report();
        let group = &groups(&report.results)[0];
        let simdjson = group.overhead("twitter", "simdjson").unwrap();
        assert!((simdjson - 0.8).abs() < 1e-12, "{simdjson}");
        let yyjson = group.overhead("twitter", "yyjson").unwrap();
        assert!((yyjson - 0.99).abs() < 1e-12, "{yyjson}");
        assert_eq!(group.overhead("canada", "simdjson"), None); // raw failed
        assert_eq!(group.overhead("canada", "yyjson"), None); // absent

        let markdown = report.to_markdown();
        assert!(
            markdown.contains(
                "| dataset | arsenal:simdjson | arsenal:yyjson | raw:simdjson | raw:yyjson \
                 | peer:serde_json | peer:simd-json | arsenal/raw simdjson | arsenal/raw yyjson |"
            ),
            "{markdown}"
        );
        // 1000 B / 125 ns = 8 GB/s; 1000 / 100 = 10; miss in bold, hit plain.
        assert!(
            markdown.contains(
                "| twitter | 8.000 | 5.000 | 10.00 | 5.051 | 0.500 | 2.500 | **0.80** | 0.99 |"
            ),
            "{markdown}"
        );
        assert!(
            markdown.contains("| canada | 2.000 | – | error | – | 0.500 | – | – | – |"),
            "{markdown}"
        );
        assert!(markdown.contains("target: arsenal/raw ≥ 0.97"));
        assert!(
            markdown.contains(r"json/parse/canada/raw:simdjson: a\|b \<oops\>"),
            "{markdown}"
        );
    }

    #[test]
    fn overhead_falls_back_to_items_then_time() {
        let mut arsenal = row("s", "arsenal:c", 0, 200.0);
        let mut raw = row("s", "raw:c", 0, 100.0);
        assert_eq!(overhead(&arsenal, &raw), Some(0.5)); // items/s
        arsenal.items_per_s = None;
        raw.items_per_s = None;
        assert_eq!(overhead(&arsenal, &raw), Some(0.5)); // iterations/s
        raw.median_ns = Some(0.0);
        assert_eq!(overhead(&arsenal, &raw), None);
    }

    #[test]
    fn units_follow_the_rows() {
        let bytes = row("s", "peer:a", 10, 10.0);
        let items_only = row("s", "peer:b", 0, 10.0);
        let mut nothing = row("s", "peer:c", 0, 10.0);
        nothing.items_per_s = None;
        assert_eq!(Unit::of(&[&bytes]), Unit::GigabytesPerSecond);
        assert_eq!(Unit::of(&[&bytes, &items_only]), Unit::ItemsPerSecond);
        assert_eq!(Unit::of(&[&bytes, &nothing]), Unit::NanosPerIteration);
        assert_eq!(Unit::ItemsPerSecond.format(999.0), "999");
        assert_eq!(Unit::ItemsPerSecond.format(12_345.0), "12.3 k");
        assert_eq!(Unit::NanosPerIteration.format(12.0), "12.0 ns");
        assert_eq!(Unit::NanosPerIteration.format(2.5e9), "2.50 s");
        assert_eq!(Unit::GigabytesPerSecond.format(123.45), "123.5");
    }

    #[test]
    fn html_is_escaped_and_self_contained() {
        let mut report = sample_report();
        report.machine.cpu_model = "<script>alert('x')</script> & co".to_owned();
        report
            .results
            .push(row("<b>evil</b>", "peer:\"quoted\"", 10, 10.0));
        let html = report.to_html();
        assert!(!html.contains("<script"), "unescaped machine text");
        assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"));
        assert!(html.contains("&lt;b&gt;evil&lt;/b&gt;"));
        assert!(!html.contains("<b>evil"));
        assert!(html.contains("peer:&quot;quoted&quot;"));
        assert!(html.contains("a|b &lt;oops&gt;"));
        assert!(!html.contains("src=") && !html.contains("href="));
        // One chart per dataset, one bar per measured cell, failed cell labelled.
        assert_eq!(html.matches("<figure>").count(), 3);
        assert_eq!(html.matches("<rect x=\"210\"").count(), 9);
        assert!(html.contains("error: a|b &lt;oops&gt;"));
        assert!(html.contains("<td class=\"miss\">0.80</td>"));
        assert!(html.contains(kind_colour(ImplKind::Peer)));
        assert!(html.trim_end().ends_with("</html>"));
    }

    #[test]
    fn json_round_trips() {
        let report = sample_report();
        let json = report.to_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(value["machine"]["cpu_model"].is_string());
        assert_eq!(value["results"].as_array().unwrap().len(), 9);
        assert_eq!(value["results"][1]["impl"], "raw:simdjson");
        assert_eq!(value["results"][1]["gbps"], 10.0);
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back, report);
    }

    #[test]
    fn empty_reports_render() {
        let report = Report {
            machine: Machine::detect(&Profile::quick(), None),
            results: Vec::new(),
            memory: Vec::new(),
        };
        assert!(report.to_markdown().contains("No results."));
        assert!(report.to_html().contains("No results."));
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_html("plain"), "plain");
        assert_eq!(escape_html("<&>\"'"), "&lt;&amp;&gt;&quot;&#39;");
        assert_eq!(escape_markdown("x|y\r\n[z]"), r"x\|y  \[z\]");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }
}
