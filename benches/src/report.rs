//! Reports: JSON, a Markdown report, and a self-contained HTML page with SVG bar and
//! line charts.
//!
//! The Markdown and HTML reports read top-down for a person at a glance:
//! 1. the essentials of the machine and build (CPU, build flavor `portable`/`native`,
//!    compilers, which libraries are prebuilt, git commit, timing profile);
//! 2. a summary: per (domain, operation) the fastest implementation, its value, the
//!    runner-up and the margin, and the fastest `arsenal:` against the fastest `peer:`
//!    (a row where a peer beats every arsenal backend is flagged);
//! 3. one section per domain ([`Domain::title`], [`Domain::note`]), with one table per
//!    operation: a row per implementation (`arsenal:*`, `raw:*`, `peer:*`, alphabetical
//!    within each kind), a column per dataset, and an `arsenal/raw <lib>` row per C
//!    library measured both ways (our wrapper's throughput over the raw call's, where
//!    [`OVERHEAD_TARGET`] is the goal); then the domain's own tables
//!    ([`Domain::tables`]), its line charts ([`Domain::charts`], [`Chart`]: an SVG line
//!    chart in HTML, the same points as a table in Markdown) and memory rows;
//! 4. the build details (flags, target features, every library's version and route).
//!
//! No table is wider than a screen: one with more than [`MAX_TABLE_COLUMNS`] columns or
//! [`MAX_TABLE_WIDTH`] characters is split into several, the first column repeated.
//! `FAILED` and `unsupported` cells show their status in the table and their reason
//! under it. The report names no domain: everything domain-specific comes from the
//! [`Domain`]s.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::domain::Domain;
use crate::harness::{library_of, BenchResult, ImplKind, Status};
use crate::machine::{utc_datetime, Machine};

/// The wrapper overhead goal: `arsenal/raw` throughput at or above this.
pub const OVERHEAD_TARGET: f64 = 0.97;

/// Widest table the reports print, in characters of the widest cell per column.
pub const MAX_TABLE_WIDTH: usize = 120;

/// Most columns (the label column included) of one printed table.
pub const MAX_TABLE_COLUMNS: usize = 10;

/// Everything a run produced; serializes to the documented JSON schema
/// (`{"machine": {...}, "results": [...], "memory": [...]}`).
///
/// ```
/// use arsenal_bench::{harness::{BenchResult, Profile}, machine::Machine, report::Report};
///
/// let machine = Machine::detect(&Profile::quick(), None);
/// let results = vec![BenchResult::failed("d", "o", "s", "raw:c", 0, 0, "absent")];
/// let report = Report { machine, results, memory: vec![] };
/// let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
/// assert_eq!(json["results"][0]["error"], "absent");
/// assert_eq!(json["results"][0]["status"], "FAILED");
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

/// One memory measurement: bytes per item that `imp` keeps alive (`what` says which item
/// and how the bytes were measured, e.g. resident-set growth or heap bytes in use).
///
/// Addressed like a cell: `domain/memory/<dataset>/<impl>` ([`MemoryRow::id`]); the
/// rows of one `domain/memory/<dataset>` ([`MemoryRow::group`]) form one table of the
/// report and are what a crate's `Select::evidence` names for
/// `Strategy::MinimalMemory`.
///
/// ```
/// use arsenal_bench::report::MemoryRow;
///
/// let row = MemoryRow {
///     domain: "coro".into(),
///     dataset: "idle-64k".into(),
///     what: "idle coroutine".into(),
///     imp: "arsenal:fcontext".into(),
///     items: 1000,
///     bytes_per_item: Some(4096.0),
/// };
/// assert_eq!(row.group(), "coro/memory/idle-64k");
/// assert_eq!(row.id(), "coro/memory/idle-64k/arsenal:fcontext");
/// // Files written before memory rows had a dataset still load:
/// let old = r#"{"domain": "coro", "what": "w", "impl": "raw:x", "items": 1, "bytes_per_item": null}"#;
/// let old: MemoryRow = serde_json::from_str(old).unwrap();
/// assert_eq!((old.dataset.as_str(), old.group().as_str()), ("", "coro/memory"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemoryRow {
    /// Domain, e.g. `coro`.
    pub domain: String,
    /// The measurement's short, id-safe name (no `/`, no spaces), e.g. `idle-64k`: the
    /// third part of the row's id. Empty in results files written before it existed.
    #[serde(default)]
    pub dataset: String,
    /// What one item is and how its bytes were measured, e.g. `idle coroutine (64 KiB
    /// stack, suspended after one resume): resident-set growth / coroutines`.
    pub what: String,
    /// Implementation: `arsenal:<lib>`, `raw:<lib>` or `peer:<crate>`.
    #[serde(rename = "impl")]
    pub imp: String,
    /// Items measured together (the measured bytes are divided by this).
    pub items: u64,
    /// Bytes per item; `null` when not measurable.
    pub bytes_per_item: Option<f64>,
}

impl MemoryRow {
    /// The id of the row group, `domain/memory/<dataset>` (`domain/memory` for a row
    /// from an old results file without a dataset).
    pub fn group(&self) -> String {
        if self.dataset.is_empty() {
            format!("{}/memory", self.domain)
        } else {
            format!("{}/memory/{}", self.domain, self.dataset)
        }
    }

    /// The row's id, `domain/memory/<dataset>/<impl>`.
    pub fn id(&self) -> String {
        format!("{}/{}", self.group(), self.imp)
    }
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

    /// Reads a results file written by [`Report::to_json`] (also by older versions:
    /// rows without a `status` get `FAILED` when they carry an error, `ok` otherwise).
    ///
    /// ```
    /// # use arsenal_bench::{harness::{BenchResult, Profile, Status}, machine::Machine, report::Report};
    /// let results = vec![BenchResult::failed("d", "o", "s", "raw:c", 0, 0, "absent")];
    /// let report = Report { machine: Machine::detect(&Profile::quick(), None), results, memory: vec![] };
    /// let back = Report::from_json(&report.to_json()).unwrap();
    /// assert_eq!(back, report);
    /// assert!(Report::from_json("{}").unwrap_err().contains("missing field"));
    /// ```
    pub fn from_json(text: &str) -> Result<Report, String> {
        let mut report: Report = serde_json::from_str(text).map_err(|err| err.to_string())?;
        let value: serde_json::Value = serde_json::from_str(text).map_err(|err| err.to_string())?;
        let rows = value["results"].as_array().map_or(&[][..], Vec::as_slice);
        for (row, raw) in report.results.iter_mut().zip(rows) {
            if raw.get("status").is_none() && row.error.is_some() {
                row.status = Status::Failed;
            }
        }
        Ok(report)
    }

    /// The `FAILED` cells, in run order.
    ///
    /// ```
    /// # use arsenal_bench::{harness::{BenchResult, Profile}, machine::Machine, report::Report};
    /// let results = vec![BenchResult::failed("d", "o", "s", "raw:c", 0, 0, "absent")];
    /// let report = Report { machine: Machine::detect(&Profile::quick(), None), results, memory: vec![] };
    /// assert_eq!(report.failed()[0].id, "d/o/s/raw:c");
    /// ```
    pub fn failed(&self) -> Vec<&BenchResult> {
        self.results
            .iter()
            .filter(|row| row.status == Status::Failed)
            .collect()
    }

    /// The fastest implementation of `kind` in a benchmark row, with its value: `row` is
    /// `domain/op/dataset` (its unit as in the report), or a memory row group
    /// `domain/memory/dataset` ([`MemoryRow::group`]: the fewest bytes per item). `None`
    /// when the results have no measured cell of that kind there.
    ///
    /// ```
    /// use arsenal_bench::harness::{BenchResult, ImplKind, Measurement, Profile, Stats};
    /// use arsenal_bench::{machine::Machine, report::{MemoryRow, Report}};
    ///
    /// let cell = |imp: &str, median: f64| {
    ///     let stats = Stats { median, min: median, max: median };
    ///     let m = Measurement { runs: 1, stats, iterations: 1, checksum: 0 };
    ///     BenchResult::measured("json", "parse", "twitter", imp, 1000, 1, &m)
    /// };
    /// let results = vec![cell("arsenal:a", 200.0), cell("arsenal:b", 100.0), cell("peer:c", 50.0)];
    /// let held = |imp: &str, bytes: f64| MemoryRow {
    ///     domain: "json".into(),
    ///     dataset: "doc".into(),
    ///     what: "input byte".into(),
    ///     imp: imp.into(),
    ///     items: 1,
    ///     bytes_per_item: Some(bytes),
    /// };
    /// let memory = vec![held("arsenal:a", 2048.0), held("arsenal:b", 4096.0)];
    /// let report = Report { machine: Machine::detect(&Profile::quick(), None), results, memory };
    /// let (imp, value) = report.fastest("json/parse/twitter", ImplKind::Arsenal, &[]).unwrap();
    /// assert_eq!((imp.as_str(), value.as_str()), ("arsenal:b", "10.00 GB/s"));
    /// assert!(report.fastest("json/parse/canada", ImplKind::Arsenal, &[]).is_none());
    /// let (imp, value) = report.fastest("json/memory/doc", ImplKind::Arsenal, &[]).unwrap();
    /// assert_eq!((imp.as_str(), value.as_str()), ("arsenal:a", "2.0 KiB"));
    /// ```
    pub fn fastest(
        &self,
        row: &str,
        kind: ImplKind,
        domains: &[Domain],
    ) -> Option<(String, String)> {
        let mut parts = row.splitn(3, '/');
        let (domain, op, dataset) = (parts.next()?, parts.next()?, parts.next()?);
        if op == "memory" {
            return self
                .memory
                .iter()
                .filter(|m| m.domain == domain && m.dataset == dataset)
                .filter(|m| ImplKind::of(&m.imp) == kind)
                .filter_map(|m| Some((m, m.bytes_per_item.filter(|b| b.is_finite())?)))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(m, bytes)| (m.imp.clone(), format_bytes(Some(bytes))));
        }
        let rows: Vec<&BenchResult> = self
            .results
            .iter()
            .filter(|r| r.domain == domain && r.op == op)
            .collect();
        let preferred = domains
            .iter()
            .find(|d| d.name == domain)
            .and_then(|d| (d.unit)(op));
        let group = group_rows(&rows, |_| preferred).into_iter().next()?;
        group
            .impls
            .iter()
            .filter(|imp| ImplKind::of(imp) == kind)
            .filter_map(|imp| Some((*imp, group.value(dataset, imp)?)))
            .max_by(|a, b| group.speed(a.1).total_cmp(&group.speed(b.1)))
            .map(|(imp, value)| (imp.to_owned(), value_with_unit(group.unit, value)))
    }

    /// The Markdown report with the compiled-in domains ([`crate::domains`]).
    ///
    /// ```
    /// # use arsenal_bench::{harness::Profile, machine::Machine, report::Report};
    /// let report = Report { machine: Machine::detect(&Profile::quick(), None), results: vec![], memory: vec![] };
    /// assert!(report.to_markdown().contains("target: arsenal/raw ≥ 0.97"));
    /// ```
    pub fn to_markdown(&self) -> String {
        self.markdown_with(&crate::domains())
    }

    /// The Markdown report, taking units, notes and extra tables from `domains` (a
    /// domain of the results missing there gets the defaults).
    ///
    /// ```
    /// use arsenal_bench::{domain::Domain, harness::{BenchResult, Profile}, machine::Machine, report::Report};
    ///
    /// const DEMO: Domain = Domain { name: "d", title: "Demo domain", note: |_| Some("a note".into()), ..Domain::EMPTY };
    /// let results = vec![BenchResult::failed("d", "o", "s", "raw:c", 0, 0, "absent")];
    /// let report = Report { machine: Machine::detect(&Profile::quick(), None), results, memory: vec![] };
    /// let markdown = report.markdown_with(&[DEMO]);
    /// assert!(markdown.contains("## Demo domain (`d`)") && markdown.contains("> a note"));
    /// ```
    pub fn markdown_with(&self, domains: &[Domain]) -> String {
        let sections = sections(&self.results, &self.memory, domains);
        let mut out = String::from("# Arsenal benchmark report\n\n");
        for (key, value) in essentials(&self.machine) {
            out.push_str(&format!("- **{key}**: {}\n", escape_markdown(&value)));
        }
        out.push_str(&format!(
            "\n> target: arsenal/raw ≥ {OVERHEAD_TARGET:.2} (our wrapper's throughput over the \
             raw C call's; misses in **bold**)\n"
        ));
        if sections.is_empty() {
            out.push_str("\nNo results.\n");
        }
        let summary = summary_grids(&sections);
        if !summary.is_empty() {
            out.push_str("\n## Summary\n\n");
            out.push_str(&escape_prose(SUMMARY_NOTE));
            out.push('\n');
            for (title, grid) in &summary {
                out.push_str(&format!("\n### {}\n\n", escape_markdown(title)));
                out.push_str(&markdown_grid(grid));
            }
        }
        for section in &sections {
            out.push_str(&format!(
                "\n## {} (`{}`)\n\n",
                escape_markdown(section.title()),
                section.name.replace('`', "")
            ));
            if let Some(note) = section.note(&self.machine) {
                out.push_str(&format!("> {}\n\n", escape_prose(&note)));
            }
            for group in &section.groups {
                out.push_str(&format!(
                    "### {} / {} — {}\n\n",
                    escape_markdown(group.domain),
                    escape_markdown(group.op),
                    group.unit.label()
                ));
                out.push_str(&markdown_grid(&group.grid()));
                let notes = group.not_measured();
                if !notes.is_empty() {
                    out.push_str("Not timed:\n\n");
                    for (cells, status, reason) in notes {
                        out.push_str(&format!(
                            "- {}: {status} — {}\n",
                            escape_markdown(&cells),
                            escape_markdown(reason)
                        ));
                    }
                    out.push('\n');
                }
            }
            for (title, table) in section.tables(&self.machine) {
                out.push_str(&format!("### {}\n\n", escape_markdown(&title)));
                out.push_str(&markdown_grid(&Grid::from_table(&table)));
            }
            for chart in section.charts() {
                out.push_str(&format!("### {}\n\n", escape_markdown(&chart.title)));
                out.push_str(&chart.to_markdown());
            }
            for group in &section.memory {
                out.push_str(&format!(
                    "### {} — bytes per {}, lower is better\n\n",
                    escape_markdown(&group.id),
                    escape_markdown(group.what)
                ));
                out.push_str(&markdown_grid(&memory_grid(&group.rows)));
            }
        }
        out.push_str("\n## Build details\n\n");
        for (key, value) in details(&self.machine) {
            out.push_str(&format!("- **{key}**: {}\n", escape_markdown(&value)));
        }
        if !self.machine.libraries.is_empty() {
            out.push_str("\n### Libraries\n\n");
            out.push_str(&markdown_grid(&libraries_grid(&self.machine)));
        }
        out
    }

    /// The HTML page with the compiled-in domains ([`crate::domains`]).
    ///
    /// ```
    /// # use arsenal_bench::{harness::Profile, machine::Machine, report::Report};
    /// let report = Report { machine: Machine::detect(&Profile::quick(), None), results: vec![], memory: vec![] };
    /// let html = report.to_html();
    /// assert!(html.contains("<title>Arsenal benchmark report</title>") && !html.contains("<script"));
    /// ```
    pub fn to_html(&self) -> String {
        self.html_with(&crate::domains())
    }

    /// A self-contained HTML page (inline CSS and SVG, no JavaScript), laid out like the
    /// Markdown report, plus one bar chart per (operation, dataset).
    ///
    /// ```
    /// # use arsenal_bench::{harness::Profile, machine::Machine, report::Report};
    /// let report = Report { machine: Machine::detect(&Profile::quick(), None), results: vec![], memory: vec![] };
    /// assert!(report.html_with(&[]).contains("No results."));
    /// ```
    pub fn html_with(&self, domains: &[Domain]) -> String {
        let sections = sections(&self.results, &self.memory, domains);
        let mut out = String::from(HTML_HEAD);
        out.push_str("<h1>Arsenal benchmark report</h1>\n<table class=\"machine\">\n");
        for (key, value) in essentials(&self.machine) {
            out.push_str(&format!(
                "<tr><th>{}</th><td>{}</td></tr>\n",
                escape_html(&key),
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
        if sections.is_empty() {
            out.push_str("<p>No results.</p>\n");
        }
        let summary = summary_grids(&sections);
        if !summary.is_empty() {
            out.push_str(&format!(
                "<section>\n<h2>Summary</h2>\n<p class=\"note\">{}</p>\n",
                escape_html(SUMMARY_NOTE)
            ));
            for (title, grid) in &summary {
                out.push_str(&format!("<h3>{}</h3>\n", escape_html(title)));
                out.push_str(&html_grid(grid));
            }
            out.push_str("</section>\n");
        }
        for section in &sections {
            out.push_str(&format!(
                "<section>\n<h2>{} <small>{}</small></h2>\n",
                escape_html(section.title()),
                escape_html(section.name)
            ));
            if let Some(note) = section.note(&self.machine) {
                out.push_str(&format!("<p class=\"note\">{}</p>\n", escape_html(&note)));
            }
            for group in &section.groups {
                out.push_str(&format!(
                    "<h3>{} / {} <small>{}</small></h3>\n",
                    escape_html(group.domain),
                    escape_html(group.op),
                    escape_html(group.unit.label())
                ));
                out.push_str(&html_grid(&group.grid()));
                let notes = group.not_measured();
                if !notes.is_empty() {
                    out.push_str("<ul class=\"errors\">\n");
                    for (cells, status, reason) in notes {
                        out.push_str(&format!(
                            "<li><code>{}</code>: {status} — {}</li>\n",
                            escape_html(&cells),
                            escape_html(reason)
                        ));
                    }
                    out.push_str("</ul>\n");
                }
                for dataset in &group.datasets {
                    out.push_str(&format!(
                        "<figure>\n<figcaption>{}</figcaption>\n{}</figure>\n",
                        escape_html(dataset),
                        svg_chart(group, dataset)
                    ));
                }
            }
            for (title, table) in section.tables(&self.machine) {
                out.push_str(&format!("<h3>{}</h3>\n", escape_html(&title)));
                out.push_str(&html_grid(&Grid::from_table(&table)));
            }
            for chart in section.charts() {
                out.push_str(&format!(
                    "<figure class=\"line\">\n<figcaption>{}</figcaption>\n{}</figure>\n",
                    escape_html(&chart.title),
                    chart.to_svg()
                ));
            }
            for group in &section.memory {
                out.push_str(&format!(
                    "<h3>{} <small>bytes per {}, lower is better</small></h3>\n",
                    escape_html(&group.id),
                    escape_html(group.what)
                ));
                out.push_str(&html_grid(&memory_grid(&group.rows)));
            }
            out.push_str("</section>\n");
        }
        out.push_str("<section>\n<h2>Build details</h2>\n<table class=\"machine\">\n");
        for (key, value) in details(&self.machine) {
            out.push_str(&format!(
                "<tr><th>{}</th><td>{}</td></tr>\n",
                escape_html(key),
                escape_html(&value)
            ));
        }
        out.push_str("</table>\n");
        if !self.machine.libraries.is_empty() {
            out.push_str("<h3>Libraries</h3>\n");
            out.push_str(&html_grid(&libraries_grid(&self.machine)));
        }
        out.push_str("</section>\n</body>\n</html>\n");
        out
    }
}

/// A derived table: a header row, then rows of cells (first column left-aligned).
pub type Table = Vec<Vec<String>>;

/// A line chart a domain derives from its results ([`Domain::charts`]): points of one
/// or more series over two numeric axes, either of which may be logarithmic.
///
/// The HTML report draws it as an inline SVG line chart (axes with tick labels, decades
/// on a log axis, one colour per series with a legend, every point marked; a `ref:` or
/// other non-implementation series dashed); the Markdown report prints the same points
/// as a table, a row per series and a column per x value. Points that cannot be drawn
/// (NaN, ±∞, or ≤ 0 on a log axis) are left out of both.
///
/// ```
/// use arsenal_bench::report::{Chart, Series};
///
/// let chart = Chart {
///     title: "demo — y against x".into(),
///     x_label: "x".into(),
///     y_label: "y".into(),
///     log_x: true,
///     log_y: false,
///     series: vec![Series { name: "peer:a".into(), points: vec![(1.0, 2.0), (10.0, 3.0)] }],
/// };
/// let svg = chart.to_svg();
/// assert!(svg.starts_with("<svg") && svg.matches("class=\"point\"").count() == 2);
/// assert!(chart.to_markdown().contains("| peer:a | 2 | 3 |"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// The chart's heading.
    pub title: String,
    /// What the x axis shows, with its unit (e.g. `cache size, % of distinct keys`).
    pub x_label: String,
    /// What the y axis shows, with its unit.
    pub y_label: String,
    /// Whether the x axis is logarithmic (ticks at powers of ten).
    pub log_x: bool,
    /// Whether the y axis is logarithmic (ticks at powers of ten).
    pub log_y: bool,
    /// The lines, drawn and listed in this order.
    pub series: Vec<Series>,
}

/// One line of a [`Chart`]: a name for the legend (usually an implementation, e.g.
/// `arsenal:lru`) and its points `(x, y)`, joined in order of x.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// The legend entry.
    pub name: String,
    /// The points, in any order.
    pub points: Vec<(f64, f64)>,
}

impl Series {
    /// The points a chart with these axis scales can draw, sorted by x: finite, and
    /// positive on a log axis.
    fn drawable(&self, log_x: bool, log_y: bool) -> Vec<(f64, f64)> {
        let ok = |v: f64, log: bool| v.is_finite() && (!log || v > 0.0);
        let mut points: Vec<(f64, f64)> = self
            .points
            .iter()
            .copied()
            .filter(|&(x, y)| ok(x, log_x) && ok(y, log_y))
            .collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        points
    }
}

impl Chart {
    /// The chart as an inline SVG element (no script, no external reference).
    pub fn to_svg(&self) -> String {
        line_chart_svg(self)
    }

    /// The chart's points as Markdown: a line naming the axes, then a table with a row
    /// per series and a column per x value (`–` where a series has no point there).
    pub fn to_markdown(&self) -> String {
        let scale = |log: bool| if log { " (log scale)" } else { "" };
        let mut out = format!(
            "columns: {}{}; cells: {}{}\n\n",
            escape_prose(&self.x_label),
            scale(self.log_x),
            escape_prose(&self.y_label),
            scale(self.log_y)
        );
        match self.table() {
            Some(table) => out.push_str(&markdown_table(&table)),
            None => out.push_str("No data.\n\n"),
        }
        out
    }

    /// The points as a derived table: a row per series, a column per distinct x (in
    /// increasing order); `None` when no point can be drawn.
    fn table(&self) -> Option<Table> {
        let series: Vec<(&str, Vec<(f64, f64)>)> = self
            .series
            .iter()
            .map(|s| (s.name.as_str(), s.drawable(self.log_x, self.log_y)))
            .collect();
        let mut xs: Vec<f64> = series
            .iter()
            .flat_map(|(_, points)| points.iter().map(|p| p.0))
            .collect();
        if xs.is_empty() {
            return None;
        }
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        let mut table: Table = vec![std::iter::once("series".to_owned())
            .chain(xs.iter().map(|&x| significant(x, 4)))
            .collect()];
        for (name, points) in &series {
            let mut line = vec![(*name).to_owned()];
            for &x in &xs {
                line.push(
                    points
                        .iter()
                        .find(|p| p.0 == x)
                        .map_or_else(|| "–".to_owned(), |p| significant(p.1, 4)),
                );
            }
            table.push(line);
        }
        Some(table)
    }
}

/// The implementations and datasets of `rows`, each once: implementations sorted as the
/// report sorts them (arsenal, raw, peer, then by name), datasets in order of first
/// appearance.
pub fn axes<'a>(rows: &[&'a BenchResult]) -> (Vec<&'a str>, Vec<&'a str>) {
    let mut impls: Vec<&str> = Vec::new();
    let mut datasets: Vec<&str> = Vec::new();
    for row in rows {
        if !impls.contains(&row.imp.as_str()) {
            impls.push(&row.imp);
        }
        if !datasets.contains(&row.dataset.as_str()) {
            datasets.push(&row.dataset);
        }
    }
    impls.sort_by_key(|imp| (ImplKind::of(imp), *imp));
    (impls, datasets)
}

/// A derived table of `rows` with datasets down and implementations across ([`axes`]):
/// the header is `corner` and the implementations, each cell `cell(row)`, `–` where no
/// row has that dataset and implementation.
///
/// ```
/// use arsenal_bench::harness::{BenchResult, Measurement, Stats};
/// use arsenal_bench::report::dataset_table;
/// let m = Measurement { runs: 1, stats: Stats::of(&[10.0]).unwrap(), iterations: 1, checksum: 1 };
/// let row = BenchResult::measured("d", "op", "small", "peer:x", 0, 5, &m);
/// let table = dataset_table("size", &[&row], |r| r.items.to_string());
/// assert_eq!(table, [["size", "peer:x"], ["small", "5"]]);
/// ```
pub fn dataset_table(
    corner: &str,
    rows: &[&BenchResult],
    cell: impl Fn(&BenchResult) -> String,
) -> Table {
    let (impls, datasets) = axes(rows);
    let mut table: Table = vec![std::iter::once(corner.to_owned())
        .chain(impls.iter().map(|imp| (*imp).to_owned()))
        .collect()];
    for dataset in datasets {
        let mut line = vec![dataset.to_owned()];
        for imp in &impls {
            let found = rows.iter().find(|r| r.dataset == dataset && r.imp == *imp);
            line.push(found.map_or_else(|| "–".to_owned(), |r| cell(r)));
        }
        table.push(line);
    }
    table
}

/// A [`Table`] as Markdown (split into several tables when wider than a screen, each
/// followed by a blank line).
///
/// ```
/// let table = vec![vec!["a".to_owned(), "b".to_owned()], vec!["x|y".to_owned(), "1".to_owned()]];
/// assert_eq!(
///     arsenal_bench::report::markdown_table(&table),
///     "| a | b |\n| --- | ---: |\n| x\\|y | 1 |\n\n"
/// );
/// ```
pub fn markdown_table(table: &Table) -> String {
    markdown_grid(&Grid::from_table(table))
}

impl Grid {
    /// Whether column `j` holds numbers (right-aligned): it is not the label column and
    /// some cell starts with a digit.
    fn numeric(&self, j: usize) -> bool {
        j > 0
            && self.rows.iter().any(|row| {
                row.get(j)
                    .and_then(|cell| cell.text.chars().next())
                    .is_some_and(|c| c.is_ascii_digit())
            })
    }

    /// A derived table as a grid: its first row is the header.
    fn from_table(table: &Table) -> Grid {
        let mut rows = table.iter();
        let header = rows.next().cloned().unwrap_or_default();
        Grid {
            header,
            rows: rows
                .map(|row| row.iter().map(|text| Cell::plain(text.clone())).collect())
                .collect(),
        }
    }

    /// The grid as tables no wider than [`MAX_TABLE_WIDTH`] characters and
    /// [`MAX_TABLE_COLUMNS`] columns: columns after the first are dealt out in order, the
    /// first (the row labels) repeated in each. A grid that fits is returned as is.
    fn split(&self) -> Vec<Grid> {
        let columns = self.header.len();
        let width = |j: usize| {
            let cells = self
                .rows
                .iter()
                .filter_map(|row| row.get(j))
                .map(|cell| cell.text.chars().count());
            let header = self.header.get(j).map_or(0, |h| h.chars().count());
            cells.chain(std::iter::once(header)).max().unwrap_or(0) + 3
        };
        if columns <= 1 {
            return vec![self.clone()];
        }
        let label = width(0) + 1;
        let mut chunks: Vec<Vec<usize>> = Vec::new();
        let mut current: Vec<usize> = Vec::new();
        let mut used = label;
        for j in 1..columns {
            let cost = width(j);
            if !current.is_empty()
                && (used + cost > MAX_TABLE_WIDTH || current.len() + 1 >= MAX_TABLE_COLUMNS)
            {
                chunks.push(std::mem::take(&mut current));
                used = label;
            }
            current.push(j);
            used += cost;
        }
        chunks.push(current);
        if chunks.len() == 1 {
            return vec![self.clone()];
        }
        chunks
            .into_iter()
            .map(|chunk| {
                let keep = |row: &[Cell]| -> Vec<Cell> {
                    std::iter::once(0)
                        .chain(chunk.iter().copied())
                        .map(|k| row.get(k).cloned().unwrap_or_else(|| Cell::plain("")))
                        .collect()
                };
                Grid {
                    header: std::iter::once(0)
                        .chain(chunk.iter().copied())
                        .map(|k| self.header[k].clone())
                        .collect(),
                    rows: self.rows.iter().map(|row| keep(row)).collect(),
                }
            })
            .collect()
    }
}

/// How a cell is emphasised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Plain,
    /// An `arsenal/raw` ratio under [`OVERHEAD_TARGET`].
    Miss,
    /// A `FAILED` cell.
    Failed,
    /// A documented limitation.
    Unsupported,
    /// Something the reader must not miss (a peer ahead of every arsenal backend).
    Flag,
}

/// One table cell: its text, emphasis, and a tooltip for the HTML page.
#[derive(Clone, Debug)]
struct Cell {
    text: String,
    style: Style,
    title: Option<String>,
}

impl Cell {
    fn plain(text: impl Into<String>) -> Cell {
        Cell::styled(text, Style::Plain)
    }

    fn styled(text: impl Into<String>, style: Style) -> Cell {
        Cell {
            text: text.into(),
            style,
            title: None,
        }
    }

    fn titled(mut self, title: String) -> Cell {
        self.title = Some(title);
        self
    }
}

/// A table before layout: a header and rows of cells, the first column being labels.
#[derive(Clone, Debug)]
struct Grid {
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

/// A grid as Markdown tables (several when too wide), each followed by a blank line.
fn markdown_grid(grid: &Grid) -> String {
    let mut out = String::new();
    for part in grid.split() {
        let header: Vec<String> = part.header.iter().map(|h| escape_markdown(h)).collect();
        out.push_str(&format!("| {} |\n", header.join(" | ")));
        let align: Vec<&str> = (0..header.len())
            .map(|j| if part.numeric(j) { "---:" } else { "---" })
            .collect();
        out.push_str(&format!("| {} |\n", align.join(" | ")));
        for row in &part.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|cell| {
                    let text = escape_markdown(&cell.text);
                    match cell.style {
                        Style::Miss | Style::Failed | Style::Flag => format!("**{text}**"),
                        Style::Plain | Style::Unsupported => text,
                    }
                })
                .collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        out.push('\n');
    }
    out
}

/// A grid as HTML tables (several when too wide).
fn html_grid(grid: &Grid) -> String {
    let mut out = String::new();
    for part in grid.split() {
        out.push_str("<table class=\"results\">\n<tr>");
        for heading in &part.header {
            out.push_str(&format!("<th>{}</th>", escape_html(heading)));
        }
        out.push_str("</tr>\n");
        for row in &part.rows {
            out.push_str("<tr>");
            for (j, cell) in row.iter().enumerate() {
                let mut classes = Vec::new();
                if part.numeric(j) {
                    classes.push("num");
                }
                classes.extend(match cell.style {
                    Style::Plain => None,
                    Style::Miss => Some("miss"),
                    Style::Failed => Some("error"),
                    Style::Unsupported => Some("unsupported"),
                    Style::Flag => Some("flag"),
                });
                let class = if classes.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{}\"", classes.join(" "))
                };
                let title = cell.title.as_deref().map_or_else(String::new, |title| {
                    format!(" title=\"{}\"", escape_html(title))
                });
                out.push_str(&format!(
                    "<td{class}{title}>{}</td>",
                    escape_html(&cell.text)
                ));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");
    }
    out
}

/// The rows of one (domain, operation), arranged for a table.
#[derive(Debug)]
struct Group<'a> {
    domain: &'a str,
    op: &'a str,
    unit: Unit,
    /// Row order: arsenal, raw, peer, other; alphabetical within each kind.
    impls: Vec<&'a str>,
    /// Libraries with both an `arsenal:` and a `raw:` row, alphabetical.
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

    /// The cells that have no timing because they failed or are unsupported, one line
    /// per (implementation, status, reason): `(cells, status, reason)`, where `cells`
    /// names the datasets in braces when there are several
    /// (`mem/copy/{16B,256B}/arsenal:avx512`).
    fn not_measured(&self) -> Vec<(String, Status, &'a str)> {
        let mut lines: Vec<(&str, Status, &str, Vec<&str>)> = Vec::new();
        for row in &self.rows {
            if !matches!(row.status, Status::Failed | Status::Unsupported) {
                continue;
            }
            let reason = row.error.as_deref().unwrap_or_default();
            match lines.iter_mut().find(|(imp, status, why, _)| {
                *imp == row.imp && *status == row.status && *why == reason
            }) {
                Some(line) => line.3.push(&row.dataset),
                None => lines.push((&row.imp, row.status, reason, vec![&row.dataset])),
            }
        }
        lines
            .into_iter()
            .map(|(imp, status, reason, datasets)| {
                let datasets = match datasets[..] {
                    [one] => one.to_owned(),
                    _ => format!("{{{}}}", datasets.join(",")),
                };
                (
                    format!("{}/{}/{datasets}/{imp}", self.domain, self.op),
                    status,
                    reason,
                )
            })
            .collect()
    }

    /// A row per implementation, a column per dataset, then the `arsenal/raw` rows.
    fn grid(&self) -> Grid {
        let header = std::iter::once("impl".to_owned())
            .chain(self.datasets.iter().map(|d| (*d).to_owned()))
            .collect();
        let mut rows = Vec::new();
        for imp in &self.impls {
            let mut row = vec![Cell::plain(*imp)];
            for dataset in &self.datasets {
                row.push(value_cell(self.unit, self.cell(dataset, imp)));
            }
            rows.push(row);
        }
        for lib in &self.libs {
            let mut row = vec![Cell::plain(format!("arsenal/raw {lib}"))];
            for dataset in &self.datasets {
                row.push(match self.overhead(dataset, lib) {
                    None => Cell::plain("–"),
                    Some(ratio) if ratio < OVERHEAD_TARGET => {
                        Cell::styled(format!("{ratio:.2}"), Style::Miss)
                    }
                    Some(ratio) => Cell::plain(format!("{ratio:.2}")),
                });
            }
            rows.push(row);
        }
        Grid { header, rows }
    }

    /// A cell's value in the group's unit, when measured and positive.
    fn value(&self, dataset: &str, imp: &str) -> Option<f64> {
        self.cell(dataset, imp)
            .and_then(|row| self.unit.value(row))
            .filter(|v| v.is_finite() && *v > 0.0)
    }

    /// A value oriented so that more is faster.
    fn speed(&self, value: f64) -> f64 {
        if self.unit.higher_is_better() {
            value
        } else {
            1.0 / value
        }
    }

    /// The implementations `keep` selects, best first, among those measured on the
    /// most datasets: ranked by the geometric mean of their speed relative to the
    /// fastest cell of each dataset.
    fn standings(&self, keep: impl Fn(&str) -> bool) -> Vec<Standing<'a>> {
        let best: HashMap<&str, f64> = self
            .datasets
            .iter()
            .filter_map(|dataset| {
                let fastest = self
                    .impls
                    .iter()
                    .filter_map(|imp| self.value(dataset, imp))
                    .map(|v| self.speed(v))
                    .fold(f64::NAN, f64::max);
                fastest.is_finite().then_some((*dataset, fastest))
            })
            .collect();
        let mut standings: Vec<Standing<'a>> = self
            .impls
            .iter()
            .copied()
            .filter(|imp| keep(imp))
            .filter_map(|imp| {
                let values: Vec<(f64, f64)> = self
                    .datasets
                    .iter()
                    .filter_map(|dataset| {
                        let value = self.value(dataset, imp)?;
                        Some((value, self.speed(value) / best.get(dataset)?))
                    })
                    .collect();
                (!values.is_empty()).then(|| Standing {
                    imp,
                    coverage: values.len(),
                    score: geomean(values.iter().map(|(_, rel)| *rel)),
                    value: geomean(values.iter().map(|(value, _)| *value)),
                })
            })
            .collect();
        let most = standings.iter().map(|s| s.coverage).max().unwrap_or(0);
        standings.retain(|s| s.coverage == most);
        standings.sort_by(|a, b| b.score.total_cmp(&a.score));
        standings
    }

    /// How much faster `a` is than `b`: the geometric mean over the datasets both were
    /// measured on of their speed ratio.
    fn ratio(&self, a: &str, b: &str) -> Option<f64> {
        let ratios: Vec<f64> = self
            .datasets
            .iter()
            .filter_map(|dataset| {
                let (va, vb) = (self.value(dataset, a)?, self.value(dataset, b)?);
                Some(self.speed(va) / self.speed(vb))
            })
            .collect();
        (!ratios.is_empty()).then(|| geomean(ratios.into_iter()))
    }
}

/// An implementation's standing in a group (see [`Group::standings`]).
#[derive(Debug)]
struct Standing<'a> {
    imp: &'a str,
    coverage: usize,
    /// Geometric mean of speed relative to each dataset's fastest, in (0, 1].
    score: f64,
    /// Geometric mean of its values in the group's unit.
    value: f64,
}

fn geomean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, count) = values.fold((0.0, 0u32), |(sum, count), v| (sum + v.ln(), count + 1));
    if count == 0 {
        f64::NAN
    } else {
        (sum / f64::from(count)).exp()
    }
}

/// A measured value with its unit, e.g. `3.210 GB/s`, `12.0 ns`, `1.23 M/s`.
fn value_with_unit(unit: Unit, value: f64) -> String {
    format!("{}{}", unit.format(value), unit.suffix())
}

/// `+12%` below a factor of 2, `2.5×` above; `+3.2%` below 10 %.
fn margin(ratio: f64) -> String {
    if ratio >= 2.0 {
        format!("{ratio:.1}×")
    } else if ratio >= 1.1 {
        format!("+{:.0}%", (ratio - 1.0) * 100.0)
    } else {
        format!("+{:.1}%", (ratio - 1.0) * 100.0)
    }
}

/// The cell of an implementation on a dataset: its value, or its status.
fn value_cell(unit: Unit, row: Option<&BenchResult>) -> Cell {
    let Some(row) = row else {
        return Cell::plain("–");
    };
    let reason = || row.error.clone().unwrap_or_default();
    match row.status {
        Status::Failed => Cell::styled("FAILED", Style::Failed).titled(reason()),
        Status::Unsupported => Cell::styled("unsupported", Style::Unsupported).titled(reason()),
        Status::Verified => Cell::plain("verified"),
        Status::Ok => match unit.value(row) {
            Some(value) => Cell::plain(unit.format(value)).titled(timing_tooltip(row)),
            None => Cell::plain("no data"),
        },
    }
}

/// What the summary tables mean.
const SUMMARY_NOTE: &str = "Per operation, implementations are ranked by the geometric mean over \
     the operation's datasets of each cell's speed relative to the fastest cell of its dataset \
     (among the implementations measured on the most datasets). value: the geometric mean of \
     the implementation's cells. margin and arsenal / peer: the geometric mean of the \
     per-dataset speed ratios. The second table lists the operations with both arsenal and \
     peer rows; a peer faster than every arsenal backend is in bold.";

/// The summary tables: the fastest implementation per operation, and the fastest
/// `arsenal:` against the fastest `peer:` where an operation has both.
fn summary_grids(sections: &[Section<'_>]) -> Vec<(String, Grid)> {
    let header = |names: &[&str]| names.iter().map(|name| (*name).to_owned()).collect();
    let mut fastest = Grid {
        header: header(&["operation", "fastest", "value", "runner-up", "margin"]),
        rows: Vec::new(),
    };
    let mut versus = Grid {
        header: header(&[
            "operation",
            "fastest arsenal",
            "fastest peer",
            "arsenal / peer",
        ]),
        rows: Vec::new(),
    };
    for group in sections.iter().flat_map(|section| &section.groups) {
        // `ref:` rows (e.g. compression's memcpy) are ceilings, not implementations.
        let all = group.standings(|imp| ImplKind::of(imp) != ImplKind::Other);
        let Some(first) = all.first() else {
            continue;
        };
        let operation = format!("{} / {}", group.domain, group.op);
        let runner = all.get(1);
        fastest.rows.push(vec![
            Cell::plain(operation.clone()),
            Cell::plain(first.imp),
            Cell::plain(value_with_unit(group.unit, first.value)),
            Cell::plain(runner.map_or("–", |r| r.imp)),
            Cell::plain(
                runner
                    .and_then(|r| group.ratio(first.imp, r.imp))
                    .map_or_else(|| "–".to_owned(), margin),
            ),
        ]);
        let arsenal = group.standings(|imp| ImplKind::of(imp) == ImplKind::Arsenal);
        let peer = group.standings(|imp| ImplKind::of(imp) == ImplKind::Peer);
        let (Some(a), Some(p)) = (arsenal.first(), peer.first()) else {
            continue;
        };
        let ratio = match group.ratio(a.imp, p.imp) {
            Some(r) if r < 1.0 => Cell::styled(format!("{r:.2}× (peer ahead)"), Style::Flag),
            Some(r) => Cell::plain(format!("{r:.2}×")),
            None => Cell::plain("–"),
        };
        versus.rows.push(vec![
            Cell::plain(operation),
            Cell::plain(a.imp).titled(value_with_unit(group.unit, a.value)),
            Cell::plain(p.imp).titled(value_with_unit(group.unit, p.value)),
            ratio,
        ]);
    }
    let mut grids = Vec::new();
    if !fastest.rows.is_empty() {
        grids.push(("Fastest implementation per operation".to_owned(), fastest));
    }
    if !versus.rows.is_empty() {
        grids.push(("Fastest arsenal against fastest peer".to_owned(), versus));
    }
    grids
}

/// The results and memory rows of one domain.
struct Section<'a> {
    name: &'a str,
    domain: Option<Domain>,
    rows: Vec<&'a BenchResult>,
    groups: Vec<Group<'a>>,
    memory: Vec<MemoryGroup<'a>>,
}

/// The memory rows of one table: one `domain/memory/<dataset>` (and one `what`).
struct MemoryGroup<'a> {
    /// [`MemoryRow::group`].
    id: String,
    what: &'a str,
    rows: Vec<&'a MemoryRow>,
}

impl Section<'_> {
    fn title(&self) -> &str {
        self.domain
            .as_ref()
            .map(|domain| domain.title)
            .filter(|title| !title.is_empty())
            .unwrap_or(self.name)
    }

    fn note(&self, machine: &Machine) -> Option<String> {
        self.domain
            .as_ref()
            .and_then(|domain| (domain.note)(machine))
    }

    fn tables(&self, machine: &Machine) -> Vec<(String, Table)> {
        let Some(domain) = &self.domain else {
            return Vec::new();
        };
        let rows: Vec<BenchResult> = self.rows.iter().map(|row| (*row).clone()).collect();
        (domain.tables)(&rows, machine)
    }

    fn charts(&self) -> Vec<Chart> {
        let Some(domain) = &self.domain else {
            return Vec::new();
        };
        let rows: Vec<BenchResult> = self.rows.iter().map(|row| (*row).clone()).collect();
        (domain.charts)(&rows)
    }
}

/// The results and memory rows by domain, in order of first appearance (results first).
fn sections<'a>(
    results: &'a [BenchResult],
    memory: &'a [MemoryRow],
    domains: &[Domain],
) -> Vec<Section<'a>> {
    let mut names: Vec<&str> = Vec::new();
    for name in results
        .iter()
        .map(|row| row.domain.as_str())
        .chain(memory.iter().map(|row| row.domain.as_str()))
    {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
        .into_iter()
        .map(|name| {
            let domain = domains.iter().find(|domain| domain.name == name).copied();
            let rows: Vec<&BenchResult> = results.iter().filter(|row| row.domain == name).collect();
            let unit = |op: &str| domain.as_ref().and_then(|domain| (domain.unit)(op));
            let groups = group_rows(&rows, unit);
            let own: Vec<&MemoryRow> = memory.iter().filter(|row| row.domain == name).collect();
            Section {
                name,
                domain,
                rows,
                groups,
                memory: memory_groups(&own),
            }
        })
        .collect()
}

/// Groups rows by (domain, operation), in order of first appearance; `unit` gives the
/// preferred unit of an operation (see [`Unit::choose`]).
fn group_rows<'a>(rows: &[&'a BenchResult], unit: impl Fn(&str) -> Option<Unit>) -> Vec<Group<'a>> {
    let mut groups: Vec<Group<'a>> = Vec::new();
    for &row in rows {
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
        group.unit = Unit::choose(unit(group.op), &group.rows);
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

/// Memory rows grouped by id ([`MemoryRow::group`]) and `what`, in order of first
/// appearance (rows of old results files, without a dataset, group by `what`).
fn memory_groups<'a>(rows: &[&'a MemoryRow]) -> Vec<MemoryGroup<'a>> {
    let mut groups: Vec<MemoryGroup<'a>> = Vec::new();
    for &row in rows {
        let id = row.group();
        match groups
            .iter_mut()
            .find(|group| group.id == id && group.what == row.what)
        {
            Some(group) => group.rows.push(row),
            None => groups.push(MemoryGroup {
                id,
                what: &row.what,
                rows: vec![row],
            }),
        }
    }
    groups
}

fn memory_grid(rows: &[&MemoryRow]) -> Grid {
    Grid {
        header: ["impl", "bytes", "items measured"]
            .map(str::to_owned)
            .to_vec(),
        rows: rows
            .iter()
            .map(|row| {
                vec![
                    Cell::plain(row.imp.clone()).titled(row.id()),
                    Cell::plain(format_bytes(row.bytes_per_item)),
                    Cell::plain(row.items.to_string()),
                ]
            })
            .collect(),
    }
}

/// Every library's version and build, C libraries first (the providing crate is in
/// the JSON).
fn libraries_grid(machine: &Machine) -> Grid {
    let mut libraries: Vec<_> = machine.libraries.iter().collect();
    libraries.sort_by_key(|lib| lib.kind != "c");
    Grid {
        header: ["library", "domain", "version", "built"]
            .map(str::to_owned)
            .to_vec(),
        rows: libraries
            .into_iter()
            .map(|lib| {
                vec![
                    Cell::plain(lib.name.clone()).titled(lib.package.clone()),
                    Cell::plain(lib.domain.clone()),
                    Cell::plain(truncate(&lib.version, 28)).titled(lib.version.clone()),
                    Cell::plain(if lib.route == "crates.io" {
                        lib.build.clone()
                    } else {
                        format!("{}, route {}", lib.build, lib.route)
                    }),
                ]
            })
            .collect(),
    }
}

/// What the build flavor means, for the report header.
fn flavor_description(flavor: &str) -> String {
    match flavor {
        "portable" => "portable (Rust -C target-cpu=x86-64, C/C++ -march=x86-64)".to_owned(),
        "native" => {
            "native (Rust -C target-cpu=native, C/C++ -march=native: for this CPU only)".to_owned()
        }
        "default" => "default (no target CPU given: each compiler's default; scripts/bench \
                      builds portable or native)"
            .to_owned(),
        mixed if mixed.starts_with("mixed") => {
            format!("{mixed} — UNFAIR: Rust and C/C++ were compiled for different CPUs")
        }
        other => other.to_owned(),
    }
}

/// The header lines of the reports: what a reader needs to judge the numbers.
fn essentials(machine: &Machine) -> Vec<(String, String)> {
    let mut build = format!(
        "{}; cargo profile {}; target {}",
        flavor_description(&machine.build_flavor),
        machine.build_profile,
        machine.target
    );
    if machine.is_debug_build() {
        build.push_str(" — UNOPTIMISED BUILD, timings are not meaningful");
    }
    let mut rows = vec![
        (
            "Machine".to_owned(),
            format!(
                "{} ({} logical cores, SIMD level {}, frequency governor {}); {}, kernel {}",
                machine.cpu_model,
                machine.logical_cores,
                machine.simd_level,
                machine.cpu_governor.as_deref().unwrap_or("not readable"),
                machine.os,
                machine.kernel
            ),
        ),
        ("Build".to_owned(), build),
        (
            "Compilers".to_owned(),
            format!("{}; C: {}; C++: {}", machine.rustc, machine.cc, machine.cxx),
        ),
    ];
    let c_libraries: Vec<_> = machine.libraries.iter().filter(|l| l.kind == "c").collect();
    if !c_libraries.is_empty() {
        let prebuilt: Vec<&str> = c_libraries
            .iter()
            .filter(|lib| lib.is_prebuilt())
            .map(|lib| lib.name.as_str())
            .collect();
        let mut text = format!(
            "{} C/C++ libraries compiled here with the build's flags",
            c_libraries.len() - prebuilt.len()
        );
        if !prebuilt.is_empty() {
            text.push_str(&format!(
                "; {} prebuilt, where -march did not apply: {}",
                prebuilt.len(),
                prebuilt.join(", ")
            ));
        }
        rows.push(("C libraries".to_owned(), text));
    }
    let timing = if machine.profile == "verify" {
        "verify: every cell run once, untimed".to_owned()
    } else {
        format!(
            "{}: {} ms warm-up, {} samples of ≥ {} ms per cell",
            machine.profile, machine.warmup_ms, machine.samples, machine.min_sample_ms
        )
    };
    rows.push((
        "Run".to_owned(),
        format!(
            "{timing}; started {}; commit {}",
            utc_datetime(machine.timestamp),
            short_commit(&machine.git_commit)
        ),
    ));
    rows.push((
        "Data".to_owned(),
        machine
            .data_dir
            .clone()
            .unwrap_or_else(|| "generated (no data directory)".to_owned()),
    ));
    for extra in &machine.extras {
        rows.push((extra.name.clone(), extra.display()));
    }
    rows
}

/// The first 12 hex digits of a commit hash; other text as is.
fn short_commit(commit: &str) -> &str {
    if commit.len() > 12 && commit.chars().all(|c| c.is_ascii_hexdigit()) {
        &commit[..12]
    } else {
        commit
    }
}

/// The build details at the end of the reports.
fn details(machine: &Machine) -> Vec<(&'static str, String)> {
    let list = |items: &[String], none: &str| {
        if items.is_empty() {
            none.to_owned()
        } else {
            items.join(" ")
        }
    };
    let flags = |flags: &str| {
        if flags.is_empty() {
            "(none)".to_owned()
        } else {
            flags.to_owned()
        }
    };
    vec![
        ("Build flavor", machine.build_flavor.clone()),
        ("RUSTFLAGS", flags(&machine.rustflags)),
        ("CFLAGS", flags(&machine.cflags)),
        ("CXXFLAGS", flags(&machine.cxxflags)),
        (
            "Target features compiled in",
            list(&machine.target_features, "baseline only"),
        ),
        (
            "CPU features detected",
            list(&machine.cpu_features, "none detected"),
        ),
        (
            "OS",
            format!("{} ({}/{})", machine.os, machine.os_family, machine.arch),
        ),
        ("Domains compiled in", list(&machine.domains, "unknown")),
        ("Git commit", machine.git_commit.clone()),
    ]
}

/// Bytes with a binary suffix (`512 B`, `8.0 KiB`, `1.50 MiB`; a fraction below 100 B
/// keeps one decimal: `14.7 B`); `n/a` for `None`.
///
/// ```
/// use arsenal_bench::report::format_bytes;
///
/// assert_eq!(format_bytes(Some(512.0)), "512 B");
/// assert_eq!(format_bytes(Some(14.66)), "14.7 B");
/// assert_eq!(format_bytes(Some(64.0)), "64 B");
/// assert_eq!(format_bytes(Some(8192.0)), "8.0 KiB");
/// assert_eq!(format_bytes(None), "n/a");
/// ```
pub fn format_bytes(bytes: Option<f64>) -> String {
    match bytes {
        None => "n/a".to_owned(),
        Some(b) if b.abs() < 100.0 && b.fract() != 0.0 => format!("{b:.1} B"),
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

/// Escapes prose for Markdown (a domain's note): like [`escape_markdown`], but
/// `` `code` `` spans stay code and `|` stays as is (prose is not in a table).
///
/// ```
/// assert_eq!(arsenal_bench::report::escape_prose("use `-C x` <here>*"), r"use `-C x` \<here\>\*");
/// ```
pub fn escape_prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '*' | '<' | '>' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
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
    /// `preferred` (a domain's [`Domain::unit`]) when every measured row among `rows`
    /// can be shown in it, else [`Unit::of`].
    ///
    /// ```
    /// use arsenal_bench::{harness::{BenchResult, Measurement, Stats}, report::Unit};
    ///
    /// let stats = Stats { median: 10.0, min: 10.0, max: 10.0 };
    /// let m = Measurement { runs: 1, stats, iterations: 1, checksum: 0 };
    /// let items = BenchResult::measured("coro", "switch", "s", "raw:c", 0, 100, &m);
    /// assert_eq!(Unit::choose(Some(Unit::NanosPerItem), &[&items]), Unit::NanosPerItem);
    /// let no_items = BenchResult::measured("coro", "switch", "s", "raw:d", 0, 0, &m);
    /// assert_eq!(Unit::choose(Some(Unit::NanosPerItem), &[&no_items]), Unit::NanosPerIteration);
    /// assert_eq!(Unit::choose(None, &[&items]), Unit::ItemsPerSecond);
    /// ```
    pub fn choose(preferred: Option<Unit>, rows: &[&BenchResult]) -> Unit {
        match preferred {
            Some(unit)
                if rows
                    .iter()
                    .filter(|row| is_measured(row))
                    .all(|row| unit.value(row).is_some()) =>
            {
                unit
            }
            _ => Unit::of(rows),
        }
    }

    /// Whether a larger value is better (throughputs) or a smaller one (times).
    ///
    /// ```
    /// use arsenal_bench::report::Unit;
    ///
    /// assert!(Unit::GigabytesPerSecond.higher_is_better());
    /// assert!(!Unit::NanosPerItem.higher_is_better());
    /// ```
    pub fn higher_is_better(self) -> bool {
        matches!(
            self,
            Unit::GigabytesPerSecond | Unit::MegabytesPerSecond | Unit::ItemsPerSecond
        )
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
        let measured = || rows.iter().filter(|row| is_measured(row));
        if measured().all(|row| row.gbps.is_some()) {
            Unit::GigabytesPerSecond
        } else if measured().all(|row| row.items_per_s.is_some()) {
            Unit::ItemsPerSecond
        } else {
            Unit::NanosPerIteration
        }
    }

    /// A row's value in this unit; `None` for rows without a timing (failed,
    /// unsupported, verified only).
    ///
    /// ```
    /// use arsenal_bench::{harness::BenchResult, report::Unit};
    ///
    /// let failed = BenchResult::failed("d", "o", "s", "raw:c", 0, 0, "x");
    /// assert_eq!(Unit::NanosPerIteration.value(&failed), None);
    /// ```
    pub fn value(self, row: &BenchResult) -> Option<f64> {
        if !is_measured(row) {
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

    /// The short unit shown after a value (empty for times, whose format carries it).
    ///
    /// ```
    /// assert_eq!(arsenal_bench::report::Unit::GigabytesPerSecond.suffix(), " GB/s");
    /// ```
    pub fn suffix(self) -> &'static str {
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

/// Whether a row was timed (and so has numbers).
fn is_measured(row: &BenchResult) -> bool {
    row.status == Status::Ok && row.error.is_none() && row.median_ns.is_some()
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
table.results td, table.results th { text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.results th { background: #edf2f7; }
.miss { color: #c53030; font-weight: bold; }
.error { color: #c53030; }
.note, .legend { color: #4a5568; }
.flag { color: #c53030; font-weight: bold; }
.unsupported { color: #718096; font-style: italic; }
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
        ImplKind::Other => "ref: a reference ceiling (e.g. memcpy), not ranked",
    }
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
                "<text x=\"{}\" y=\"{baseline}\" style=\"fill:#c53030\">{}: {}</text>\n",
                CHART_LABEL_WIDTH + 4.0,
                row.status,
                escape_html(&truncate(row.error.as_deref().unwrap_or_default(), 60))
            )),
        }
    }
    out.push_str("</svg>\n");
    out
}

/// Line chart geometry, in SVG user units (pixels): the plot area's margins, and the
/// legend's column on the right.
const LINE_CHART_HEIGHT: f64 = 340.0;
const LINE_LEFT: f64 = 72.0;
const LINE_TOP: f64 = 12.0;
const LINE_BOTTOM: f64 = 56.0;
const LINE_LEGEND_WIDTH: f64 = 200.0;
const LINE_LEGEND_ROW: f64 = 18.0;
/// Space between the frame and the ends of the axes' ranges.
const LINE_INSET: f64 = 8.0;

/// Series colours, in order (distinct hues; the first three are the kinds' colours).
const SERIES_COLOURS: [&str; 10] = [
    "#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#319795", "#b7791f", "#e53e3e",
    "#2c5282", "#4a5568",
];

/// One axis of a line chart: the shown range and whether it is logarithmic.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Axis {
    lo: f64,
    hi: f64,
    log: bool,
}

impl Axis {
    /// An axis covering `values` (the drawable ones): on a log axis whole decades, on a
    /// linear one rounded to a step of 1, 2 or 5 × 10^k; a single value or none still
    /// gives a non-empty range.
    fn covering(values: impl Iterator<Item = f64>, log: bool) -> Axis {
        let (min, max) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        if log {
            let (mut lo, mut hi) = if min.is_finite() {
                (min.log10().floor(), max.log10().ceil())
            } else {
                (0.0, 1.0)
            };
            if hi <= lo {
                lo -= 1.0;
                hi += 1.0;
            }
            return Axis {
                lo: 10f64.powf(lo),
                hi: 10f64.powf(hi),
                log,
            };
        }
        let (mut min, mut max) = if min.is_finite() {
            (min, max)
        } else {
            (0.0, 1.0)
        };
        if max <= min {
            let pad = if min == 0.0 { 1.0 } else { min.abs() * 0.1 };
            min -= pad;
            max += pad;
        }
        let step = nice_step((max - min) / 5.0);
        Axis {
            lo: (min / step).floor() * step,
            hi: (max / step).ceil() * step,
            log,
        }
    }

    /// Where `v` falls on the axis, 0 at `lo` and 1 at `hi` (log10 of both on a log axis).
    fn fraction(&self, v: f64) -> f64 {
        if self.log {
            (v.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10())
        } else {
            (v - self.lo) / (self.hi - self.lo)
        }
    }

    /// Labelled ticks: every power of ten on a log axis (every second, third... one when
    /// there are more than 8 decades), every step on a linear one; and unlabelled minor
    /// ticks (2..9 × 10^k on a log axis of at most 4 decades).
    fn ticks(&self) -> (Vec<f64>, Vec<f64>) {
        if self.log {
            let (lo, hi) = (
                self.lo.log10().round() as i32,
                self.hi.log10().round() as i32,
            );
            let decades = (hi - lo).max(1);
            let every = (decades + 7) / 8;
            let major = (lo..=hi)
                .filter(|k| (k - lo) % every == 0)
                .map(|k| 10f64.powi(k))
                .collect();
            let minor = if decades <= 4 {
                (lo..hi)
                    .flat_map(|k| (2..10).map(move |m| f64::from(m) * 10f64.powi(k)))
                    .collect()
            } else {
                Vec::new()
            };
            return (major, minor);
        }
        let step = nice_step((self.hi - self.lo) / 5.0);
        let count = ((self.hi - self.lo) / step).round() as i64;
        let major = (0..=count.clamp(0, 50))
            .map(|i| {
                let v = self.lo + step * i as f64;
                // No "-0" from rounding.
                if v.abs() < step * 1e-9 {
                    0.0
                } else {
                    v
                }
            })
            .collect();
        (major, Vec::new())
    }
}

/// The step of 1, 2 or 5 × 10^k nearest above `raw`.
fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let scaled = raw / magnitude;
    let nice = if scaled <= 1.0 {
        1.0
    } else if scaled <= 2.0 {
        2.0
    } else if scaled <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// A number with `digits` significant digits, without trailing zeros (`0.1`, `1.5`,
/// `4096`, `1e6` for large round numbers, `1.5e-5` for tiny ones).
fn significant(v: f64, digits: usize) -> String {
    if !v.is_finite() {
        return "–".to_owned();
    }
    if v == 0.0 {
        return "0".to_owned();
    }
    let a = v.abs();
    if !(1e-4..1e7).contains(&a) {
        let text = format!("{:.*e}", digits.saturating_sub(1), v);
        return match text.split_once('e') {
            Some((mantissa, exponent)) if mantissa.contains('.') => {
                let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
                format!("{mantissa}e{exponent}")
            }
            _ => text,
        };
    }
    let before = a.log10().floor() as i64 + 1;
    let decimals = (digits as i64 - before).max(0) as usize;
    let text = format!("{v:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// A [`Chart`] as an inline SVG line chart.
fn line_chart_svg(chart: &Chart) -> String {
    let series: Vec<(&Series, Vec<(f64, f64)>)> = chart
        .series
        .iter()
        .map(|s| (s, s.drawable(chart.log_x, chart.log_y)))
        .collect();
    let all = || series.iter().flat_map(|(_, points)| points.iter().copied());
    let x_axis = Axis::covering(all().map(|p| p.0), chart.log_x);
    let y_axis = Axis::covering(all().map(|p| p.1), chart.log_y);
    let height = LINE_CHART_HEIGHT.max(LINE_TOP * 2.0 + LINE_LEGEND_ROW * series.len() as f64);
    let (left, right) = (LINE_LEFT, CHART_WIDTH - LINE_LEGEND_WIDTH);
    let (top, bottom) = (LINE_TOP, height - LINE_BOTTOM);
    // Points at the ends of an axis stay clear of the frame.
    let inner = LINE_INSET;
    let px = |x: f64| left + inner + x_axis.fraction(x) * (right - left - 2.0 * inner);
    let py = |y: f64| bottom - inner - y_axis.fraction(y) * (bottom - top - 2.0 * inner);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{CHART_WIDTH}\" height=\"{height}\" \
         viewBox=\"0 0 {CHART_WIDTH} {height}\" role=\"img\" aria-label=\"{}\">\n",
        escape_html(&chart.title)
    );
    // Grid and tick labels.
    let (x_major, x_minor) = x_axis.ticks();
    let (y_major, y_minor) = y_axis.ticks();
    for &x in &x_minor {
        out.push_str(&format!(
            "<line x1=\"{0:.1}\" y1=\"{top}\" x2=\"{0:.1}\" y2=\"{bottom}\" stroke=\"#edf2f7\"/>\n",
            px(x)
        ));
    }
    for &y in &y_minor {
        out.push_str(&format!(
            "<line x1=\"{left}\" y1=\"{0:.1}\" x2=\"{right}\" y2=\"{0:.1}\" stroke=\"#edf2f7\"/>\n",
            py(y)
        ));
    }
    for &x in &x_major {
        out.push_str(&format!(
            "<line x1=\"{0:.1}\" y1=\"{top}\" x2=\"{0:.1}\" y2=\"{bottom}\" stroke=\"#cbd5e0\"/>\n\
             <text class=\"tick\" x=\"{0:.1}\" y=\"{1}\" text-anchor=\"middle\">{2}</text>\n",
            px(x),
            bottom + 16.0,
            significant(x, 3)
        ));
    }
    for &y in &y_major {
        out.push_str(&format!(
            "<line x1=\"{left}\" y1=\"{0:.1}\" x2=\"{right}\" y2=\"{0:.1}\" stroke=\"#cbd5e0\"/>\n\
             <text class=\"tick\" x=\"{1}\" y=\"{2:.1}\" text-anchor=\"end\">{3}</text>\n",
            py(y),
            left - 6.0,
            py(y) + 4.0,
            significant(y, 3)
        ));
    }
    out.push_str(&format!(
        "<rect x=\"{left}\" y=\"{top}\" width=\"{}\" height=\"{}\" fill=\"none\" \
         stroke=\"#718096\"/>\n",
        right - left,
        bottom - top
    ));
    let scale = |log: bool| if log { " (log)" } else { "" };
    out.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}{}</text>\n",
        (left + right) / 2.0,
        bottom + 40.0,
        escape_html(&chart.x_label),
        scale(chart.log_x)
    ));
    let middle = (top + bottom) / 2.0;
    out.push_str(&format!(
        "<text x=\"16\" y=\"{middle:.1}\" text-anchor=\"middle\" \
         transform=\"rotate(-90 16 {middle:.1})\">{}{}</text>\n",
        escape_html(&chart.y_label),
        scale(chart.log_y)
    ));
    if all().next().is_none() {
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{middle:.1}\" text-anchor=\"middle\">no data</text>\n",
            (left + right) / 2.0
        ));
    }
    // Series: a line through the points, a marker per point, a legend entry.
    for (index, (s, points)) in series.iter().enumerate() {
        let colour = SERIES_COLOURS[index % SERIES_COLOURS.len()];
        let kind = ImplKind::of(&s.name);
        let dash = if kind == ImplKind::Other {
            " stroke-dasharray=\"6 4\""
        } else {
            ""
        };
        out.push_str(&format!(
            "<g class=\"series\"><title>{}</title>\n",
            escape_html(&s.name)
        ));
        if points.len() > 1 {
            let path: Vec<String> = points
                .iter()
                .map(|&(x, y)| format!("{:.1},{:.1}", px(x), py(y)))
                .collect();
            out.push_str(&format!(
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" \
                 stroke-width=\"2\"{dash}/>\n",
                path.join(" ")
            ));
        }
        for &(x, y) in points {
            let tip = escape_html(&format!(
                "{}: {} = {}, {} = {}",
                s.name,
                chart.x_label,
                significant(x, 4),
                chart.y_label,
                significant(y, 4)
            ));
            out.push_str(&marker("point", kind, (px(x), py(y)), colour, &tip));
        }
        let row = top + LINE_LEGEND_ROW * index as f64 + LINE_LEGEND_ROW / 2.0;
        let at = right + 14.0;
        out.push_str(&format!(
            "<line x1=\"{at}\" y1=\"{row:.1}\" x2=\"{:.1}\" y2=\"{row:.1}\" stroke=\"{colour}\" \
             stroke-width=\"2\"{dash}/>\n<text class=\"legend\" x=\"{:.1}\" y=\"{:.1}\">{}</text>\n",
            at + 22.0,
            at + 28.0,
            row + 4.0,
            escape_html(&truncate(&s.name, 26))
        ));
        out.push_str(&marker(
            "key",
            kind,
            (at + 11.0, row),
            colour,
            &escape_html(&s.name),
        ));
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

/// A marker of class `class` (`point` on the plot, `key` in the legend) at `(x, y)`: a
/// square for peers, a circle otherwise, with `tip` (escaped HTML) as its tooltip.
fn marker(class: &str, kind: ImplKind, (x, y): (f64, f64), colour: &str, tip: &str) -> String {
    if kind == ImplKind::Peer {
        format!(
            "<rect class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"7\" height=\"7\" \
             fill=\"{colour}\"><title>{tip}</title></rect>\n",
            x - 3.5,
            y - 3.5
        )
    } else {
        format!(
            "<circle class=\"{class}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" \
             fill=\"{colour}\"><title>{tip}</title></circle>\n"
        )
    }
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
    use crate::machine::{Extra, Library};

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
                dataset: "idle-64k".into(),
                what: "idle coroutine".into(),
                imp: "arsenal:fcontext".into(),
                items: 1000,
                bytes_per_item: Some(8192.0),
            }],
        }
    }

    /// Every table line of a Markdown text.
    fn table_lines(markdown: &str) -> Vec<&str> {
        markdown
            .lines()
            .filter(|line| line.starts_with('|'))
            .collect()
    }

    #[test]
    fn memory_rows_get_their_own_table() {
        let report = sample_report();
        let markdown = report.markdown_with(&[]);
        assert!(
            markdown.contains("### coro/memory/idle-64k — bytes per idle coroutine"),
            "{markdown}"
        );
        assert!(markdown.contains("| arsenal:fcontext | 8.0 KiB | 1000 |"));
        let html = report.html_with(&[]);
        assert!(html.contains("<h3>coro/memory/idle-64k <small>bytes per idle coroutine"));
        assert!(html.contains(
            "<td title=\"coro/memory/idle-64k/arsenal:fcontext\">arsenal:fcontext</td>\
             <td class=\"num\">8.0 KiB</td>"
        ));
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(json["memory"][0]["bytes_per_item"], 8192.0);
        assert_eq!(json["memory"][0]["dataset"], "idle-64k");
        let empty = Report {
            memory: vec![],
            ..sample_report()
        };
        assert!(!empty.to_json().contains("\"memory\""));
    }

    #[test]
    fn memory_rows_group_by_dataset_and_old_files_load() {
        let mut report = sample_report();
        let mut other = report.memory[0].clone();
        other.dataset = "busy-64k".into();
        other.bytes_per_item = Some(16384.0);
        report.memory.push(other);
        let markdown = report.markdown_with(&[]);
        assert!(markdown.contains("### coro/memory/idle-64k — "));
        assert!(markdown.contains("### coro/memory/busy-64k — "));
        let (imp, bytes) = report
            .fastest("coro/memory/busy-64k", ImplKind::Arsenal, &[])
            .unwrap();
        assert_eq!(
            (imp.as_str(), bytes.as_str()),
            ("arsenal:fcontext", "16.0 KiB")
        );
        assert!(report
            .fastest("coro/memory/none", ImplKind::Arsenal, &[])
            .is_none());
        // A results file from before memory rows had a dataset.
        let mut value: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        for row in value["memory"].as_array_mut().unwrap() {
            row.as_object_mut().unwrap().remove("dataset");
        }
        let old = Report::from_json(&value.to_string()).unwrap();
        assert!(old.memory.iter().all(|row| row.dataset.is_empty()));
        assert!(old
            .markdown_with(&[])
            .contains("### coro/memory — bytes per idle coroutine"));
    }

    #[test]
    fn the_domain_gives_unit_title_note_and_tables() {
        const CORO: Domain = Domain {
            name: "coro",
            title: "Coroutines",
            unit: |_op| Some(Unit::NanosPerItem),
            note: |machine| Some(format!("{} cores", machine.logical_cores)),
            tables: |results, _machine| {
                vec![(
                    "coro / extra".to_owned(),
                    vec![vec!["n".to_owned()], vec![results.len().to_string()]],
                )]
            },
            ..Domain::EMPTY
        };
        let mut switch = row("round-trip", "arsenal:x", 0, 1000.0);
        switch.domain = "coro".into();
        switch.op = "switch".into();
        switch.items = 100;
        switch.items_per_s = Some(1e8);
        let report = Report {
            results: vec![switch],
            ..sample_report()
        };
        let markdown = report.markdown_with(&[CORO]);
        assert!(markdown.contains("## Coroutines (`coro`)"), "{markdown}");
        assert!(markdown.contains("### coro / switch — ns per item, lower is better"));
        assert!(markdown.contains("| arsenal:x | 10.0 ns |"), "{markdown}");
        let cores = format!("> {} cores", report.machine.logical_cores);
        assert!(markdown.contains(&cores));
        assert!(
            markdown.contains("### coro / extra\n\n| n |\n| --- |\n| 1 |"),
            "{markdown}"
        );
        // Without the domain: the unit follows the rows, the title is the name.
        let plain = report.markdown_with(&[]);
        assert!(plain.contains("## coro (`coro`)"));
        assert!(plain.contains("### coro / switch — items/s, higher is better"));
        assert!(!plain.contains("coro / extra"));
    }

    #[test]
    fn columns_are_datasets_and_rows_implementations() {
        let report = sample_report();
        let rows: Vec<&BenchResult> = report.results.iter().collect();
        let groups = group_rows(&rows, |_| None);
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

        let markdown = report.markdown_with(&[]);
        // 1000 B / 125 ns = 8 GB/s; 1000 / 100 = 10; miss in bold, hit plain.
        for line in [
            "| impl | twitter | canada |",
            "| arsenal:simdjson | 8.000 | 2.000 |",
            "| arsenal:yyjson | 5.000 | – |",
            "| raw:simdjson | 10.00 | **FAILED** |",
            "| raw:yyjson | 5.051 | – |",
            "| peer:serde_json | 0.500 | 0.500 |",
            "| peer:simd-json | 2.500 | – |",
            "| arsenal/raw simdjson | **0.80** | – |",
            "| arsenal/raw yyjson | 0.99 | – |",
        ] {
            assert!(markdown.contains(line), "missing {line:?} in\n{markdown}");
        }
        assert!(markdown.contains("target: arsenal/raw ≥ 0.97"));
        assert!(
            markdown.contains(r"- json/parse/canada/raw:simdjson: FAILED — a\|b \<oops\>"),
            "{markdown}"
        );
    }

    #[test]
    fn overhead_is_arsenal_over_raw_throughput() {
        let report = sample_report();
        let rows: Vec<&BenchResult> = report.results.iter().collect();
        let group = &group_rows(&rows, |_| None)[0];
        let simdjson = group.overhead("twitter", "simdjson").unwrap();
        assert!((simdjson - 0.8).abs() < 1e-12, "{simdjson}");
        let yyjson = group.overhead("twitter", "yyjson").unwrap();
        assert!((yyjson - 0.99).abs() < 1e-12, "{yyjson}");
        assert_eq!(group.overhead("canada", "simdjson"), None); // raw failed
        assert_eq!(group.overhead("canada", "yyjson"), None); // absent
    }

    #[test]
    fn summary_ranks_and_compares_with_peers() {
        let report = sample_report();
        let markdown = report.markdown_with(&[]);
        // Measured on both datasets: arsenal:simdjson (8 and 2 GB/s, geomean 4) and
        // peer:serde_json (0.5 and 0.5): 16× and 4× apart, geomean 8×.
        assert!(
            markdown.contains(
                "| json / parse | arsenal:simdjson | 4.000 GB/s | peer:serde_json | 8.0× |"
            ),
            "{markdown}"
        );
        assert!(markdown.contains("| json / parse | arsenal:simdjson | peer:serde_json | 8.00× |"));

        // A peer ahead of every arsenal backend is flagged.
        let results = vec![
            row("s", "arsenal:a", 1000, 200.0),
            row("s", "arsenal:b", 1000, 300.0),
            row("s", "peer:fast", 1000, 100.0),
        ];
        let report = Report {
            results,
            ..sample_report()
        };
        let markdown = report.markdown_with(&[]);
        assert!(
            markdown.contains("| json / parse | peer:fast | 10.00 GB/s | arsenal:a | 2.0× |"),
            "{markdown}"
        );
        assert!(
            markdown.contains("| json / parse | arsenal:a | peer:fast | **0.50× (peer ahead)** |"),
            "{markdown}"
        );
        assert!(report.html_with(&[]).contains("class=\"num flag\""));
    }

    #[test]
    fn summary_of_a_latency_prefers_the_smaller_time() {
        const LAT: Domain = Domain {
            name: "json",
            title: "Latency",
            unit: |_| Some(Unit::NanosPerItem),
            ..Domain::EMPTY
        };
        let results = vec![
            row("s", "arsenal:slow", 0, 200.0),
            row("s", "peer:quick", 0, 100.0),
        ];
        let report = Report {
            results,
            ..sample_report()
        };
        let markdown = report.markdown_with(&[LAT]);
        assert!(
            markdown.contains("| json / parse | peer:quick | 100 ns | arsenal:slow | 2.0× |"),
            "{markdown}"
        );
        assert!(markdown.contains("**0.50× (peer ahead)**"));
    }

    #[test]
    fn wide_groups_are_split_to_fit_a_screen() {
        let mut results = Vec::new();
        for dataset in 0..15 {
            for imp in 0..46 {
                let name = format!("arsenal:library-number-{imp}/level");
                results.push(row(
                    &format!("dataset-{dataset}"),
                    &name,
                    1000,
                    100.0 + imp as f64,
                ));
            }
        }
        let report = Report {
            results,
            memory: vec![],
            ..sample_report()
        };
        let markdown = report.markdown_with(&[]);
        let lines = table_lines(&markdown);
        assert!(!lines.is_empty());
        for line in &lines {
            let columns = line.matches(" | ").count() + 1;
            assert!(columns <= MAX_TABLE_COLUMNS, "{columns} columns: {line}");
            assert!(
                line.chars().count() <= MAX_TABLE_WIDTH + 4,
                "too wide: {line}"
            );
        }
        // Every dataset is shown exactly once, every implementation in each part.
        for dataset in 0..15 {
            let heading = format!(" dataset-{dataset} |");
            assert_eq!(
                lines
                    .iter()
                    .filter(|l| l.starts_with("| impl |") && l.contains(&heading))
                    .count(),
                1,
                "{dataset}"
            );
        }
        let parts = lines.iter().filter(|l| l.starts_with("| impl |")).count();
        assert!(parts >= 2);
        assert_eq!(
            lines
                .iter()
                .filter(|l| l.starts_with("| arsenal:library-number-45/level |"))
                .count(),
            parts
        );
    }

    #[test]
    fn derived_tables_are_split_too() {
        let header: Vec<String> = std::iter::once("impl".to_owned())
            .chain((0..20).map(|i| format!("column-{i}")))
            .collect();
        let body: Vec<String> = std::iter::once("x".to_owned())
            .chain((0..20).map(|i| i.to_string()))
            .collect();
        let grids = Grid::from_table(&vec![header, body]).split();
        assert!(grids.len() >= 3);
        for grid in &grids {
            assert!(grid.header.len() <= MAX_TABLE_COLUMNS);
            assert_eq!(grid.header[0], "impl");
            assert_eq!(grid.rows[0][0].text, "x");
        }
        let total: usize = grids.iter().map(|g| g.header.len() - 1).sum();
        assert_eq!(total, 20);
    }

    #[test]
    fn verified_and_unsupported_cells_show_their_status() {
        let mut verified = BenchResult::failed("json", "parse", "s", "arsenal:a", 10, 1, "");
        verified.error = None;
        verified.status = Status::Verified;
        verified.checksum = Some(3);
        let mut unsupported =
            BenchResult::failed("json", "parse", "s", "peer:b", 10, 1, "no such API");
        unsupported.status = Status::Unsupported;
        let report = Report {
            results: vec![verified, unsupported],
            memory: vec![],
            ..sample_report()
        };
        let markdown = report.markdown_with(&[]);
        assert!(markdown.contains("| arsenal:a | verified |"), "{markdown}");
        assert!(markdown.contains("| peer:b | unsupported |"));
        assert!(markdown.contains("- json/parse/s/peer:b: unsupported — no such API"));
        // The same reason on several datasets: one line.
        let mut more = report.clone();
        let mut other = more.results[1].clone();
        other.dataset = "t".into();
        more.results.push(other);
        let markdown = more.markdown_with(&[]);
        assert!(
            markdown.contains(r"- json/parse/{s,t}/peer:b: unsupported — no such API"),
            "{markdown}"
        );
        assert!(
            !markdown.contains("## Summary"),
            "nothing measured, nothing ranked"
        );
    }

    #[test]
    fn header_names_build_flavor_and_prebuilt_libraries() {
        let mut report = sample_report();
        report.machine.build_flavor = "native".into();
        report.machine.git_commit = "0123456789abcdef0123456789abcdef01234567".into();
        report.machine.extras = vec![Extra {
            domain: "mem".into(),
            name: "DRAM copy ceiling".into(),
            value: Some(12.345),
            unit: "GB/s".into(),
            how: "one memcpy".into(),
        }];
        report.machine.libraries = vec![
            Library {
                name: "snappy".into(),
                domain: "compress".into(),
                kind: "c".into(),
                package: "arsenal-snappy-sys".into(),
                version: "1.1.9".into(),
                route: "system".into(),
                build: "prebuilt (Debian)".into(),
            },
            Library {
                name: "zstd".into(),
                domain: "compress".into(),
                kind: "c".into(),
                package: "zstd-sys".into(),
                version: "2.1.3+zstd.1.5.7".into(),
                route: "crates.io".into(),
                build: "source".into(),
            },
        ];
        let markdown = report.markdown_with(&[]);
        assert!(
            markdown.contains("- **Build**: native (Rust -C target-cpu=native"),
            "{markdown}"
        );
        assert!(markdown.contains(
            "- **C libraries**: 1 C/C++ libraries compiled here with the build's flags; 1 \
             prebuilt, where -march did not apply: snappy"
        ));
        assert!(markdown.contains("commit 0123456789ab"));
        assert!(markdown.contains("- **DRAM copy ceiling**: 12.3 GB/s (one memcpy)"));
        assert!(
            markdown.contains("| snappy | compress | 1.1.9 | prebuilt (Debian), route system |"),
            "{markdown}"
        );
        assert!(markdown.contains("| zstd | compress | 2.1.3+zstd.1.5.7 | source |"));
        report.machine.build_flavor =
            "mixed (Rust target-cpu=native, C -march=default, C++ -march=default)".into();
        assert!(report.markdown_with(&[]).contains("UNFAIR"));
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
        assert_eq!(margin(1.034), "+3.4%");
        assert_eq!(margin(1.5), "+50%");
        assert_eq!(margin(2.5), "2.5×");
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
    fn html_is_escaped_and_self_contained() {
        let mut report = sample_report();
        report.machine.cpu_model = "<script>alert('x')</script> & co".to_owned();
        report
            .results
            .push(row("<b>evil</b>", "peer:\"quoted\"", 10, 10.0));
        let html = report.html_with(&[]);
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
        assert!(html.contains("FAILED: a|b &lt;oops&gt;"));
        assert!(html.contains("<td class=\"num miss\">0.80</td>"), "{html}");
        assert!(html.contains("<td class=\"num error\" title=\"a|b &lt;oops&gt;\">FAILED</td>"));
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
        assert_eq!(value["results"][7]["status"], "FAILED");
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back, report);
        assert_eq!(Report::from_json(&json).unwrap(), report);
    }

    #[test]
    fn old_results_files_load_with_statuses() {
        let report = sample_report();
        let mut value: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        for row in value["results"].as_array_mut().unwrap() {
            row.as_object_mut().unwrap().remove("status");
        }
        let back = Report::from_json(&value.to_string()).unwrap();
        assert_eq!(back.results[0].status, Status::Ok);
        assert_eq!(back.results[7].status, Status::Failed);
        assert_eq!(back.failed().len(), 1);
    }

    #[test]
    fn empty_reports_render() {
        let report = Report {
            machine: Machine::detect(&Profile::quick(), None),
            results: Vec::new(),
            memory: Vec::new(),
        };
        assert!(report.markdown_with(&[]).contains("No results."));
        assert!(report.html_with(&[]).contains("No results."));
    }

    fn demo_chart(log_x: bool, log_y: bool, series: Vec<Series>) -> Chart {
        Chart {
            title: "demo chart".into(),
            x_label: "size, %".into(),
            y_label: "hit ratio, %".into(),
            log_x,
            log_y,
            series,
        }
    }

    fn series(name: &str, points: &[(f64, f64)]) -> Series {
        Series {
            name: name.into(),
            points: points.to_vec(),
        }
    }

    #[test]
    fn line_chart_draws_every_point_series_and_label() {
        let chart = demo_chart(
            true,
            false,
            vec![
                series("arsenal:lru", &[(10.0, 60.0), (0.1, 5.0), (1.0, 30.0)]),
                series("peer:lru", &[(0.1, 5.0), (10.0, 60.0)]),
                series("ref:belady", &[(1.0, 45.0)]),
            ],
        );
        let svg = chart.to_svg();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<g class=\"series\">").count(), 3);
        assert_eq!(svg.matches("class=\"point\"").count(), 6);
        assert_eq!(svg.matches("class=\"key\"").count(), 3);
        assert_eq!(svg.matches("<polyline").count(), 2, "one point: no line");
        assert_eq!(
            svg.matches("<rect class=\"point\"").count(),
            2,
            "peers are squares"
        );
        assert_eq!(
            svg.matches("stroke-dasharray").count(),
            1,
            "ref: dashed (legend)"
        );
        assert!(svg.contains(">size, % (log)</text>"));
        assert!(svg.contains(">hit ratio, %</text>"));
        // Decades on the log axis, steps of 10 on the linear one (0..60).
        for tick in ["0.1", "1", "10", "0", "20", "60"] {
            assert!(
                svg.contains(&format!(">{tick}</text>")),
                "tick {tick}\n{svg}"
            );
        }
        assert!(!svg.contains("<script") && !svg.contains("href="));
        // Points are joined in order of x.
        let line = svg.split("<polyline points=\"").nth(1).unwrap();
        let xs: Vec<f64> = line
            .split('"')
            .next()
            .unwrap()
            .split(' ')
            .map(|p| p.split(',').next().unwrap().parse().unwrap())
            .collect();
        assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");

        let markdown = chart.to_markdown();
        assert!(markdown.contains("columns: size, % (log scale); cells: hit ratio, %"));
        assert!(markdown.contains("| series | 0.1 | 1 | 10 |"), "{markdown}");
        assert!(markdown.contains("| arsenal:lru | 5 | 30 | 60 |"));
        assert!(markdown.contains("| peer:lru | 5 | – | 60 |"));
        assert!(markdown.contains("| ref:belady | – | 45 | – |"));
    }

    #[test]
    fn log_axes_map_decades() {
        let axis = Axis::covering([0.1, 10.0].into_iter(), true);
        assert_eq!((axis.lo, axis.hi), (0.1, 10.0));
        assert!((axis.fraction(1.0) - 0.5).abs() < 1e-12);
        assert!(axis.fraction(0.1).abs() < 1e-12);
        assert!((axis.fraction(10.0) - 1.0).abs() < 1e-12);
        // Rounded out to whole decades; each decade the same length.
        let axis = Axis::covering([300.0, 65_536.0].into_iter(), true);
        assert_eq!((axis.lo, axis.hi), (100.0, 100_000.0));
        let decade = axis.fraction(1000.0) - axis.fraction(100.0);
        assert!((axis.fraction(10_000.0) - axis.fraction(1000.0) - decade).abs() < 1e-12);
        assert!((decade - 1.0 / 3.0).abs() < 1e-12);
        let (major, minor) = axis.ticks();
        assert_eq!(major, [100.0, 1000.0, 10_000.0, 100_000.0]);
        assert_eq!(minor.len(), 3 * 8);
        // Many decades: at most 9 labels.
        let wide = Axis::covering([1e-6, 1e12].into_iter(), true);
        assert!(wide.ticks().0.len() <= 9);
        // One value: a decade on either side.
        let one = Axis::covering([5.0].into_iter(), true);
        assert_eq!((one.lo, one.hi), (1.0, 10.0));
        let exact = Axis::covering([10.0].into_iter(), true);
        assert_eq!((exact.lo, exact.hi), (1.0, 100.0));
        // Linear: a 1-2-5 step.
        let linear = Axis::covering([3.0, 97.0].into_iter(), false);
        assert_eq!((linear.lo, linear.hi), (0.0, 100.0));
        assert_eq!(linear.ticks().0, [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(significant(65_536.0, 3), "65536");
        assert_eq!(significant(0.1, 3), "0.1");
        assert_eq!(significant(1.6250, 4), "1.625");
        assert_eq!(significant(1e8, 3), "1e8");
        assert_eq!(significant(2.5e-6, 3), "2.5e-6");
    }

    #[test]
    fn empty_and_single_point_charts_render() {
        for chart in [
            demo_chart(true, true, vec![]),
            demo_chart(false, false, vec![series("peer:a", &[])]),
        ] {
            let svg = chart.to_svg();
            assert!(svg.contains("no data") && svg.ends_with("</svg>\n"));
            assert_eq!(svg.matches("class=\"point\"").count(), 0);
            assert!(chart.to_markdown().contains("No data."));
        }
        for (log_x, log_y) in [(false, false), (true, true)] {
            let chart = demo_chart(log_x, log_y, vec![series("arsenal:x", &[(4.0, 4.0)])]);
            let svg = chart.to_svg();
            assert_eq!(svg.matches("class=\"point\"").count(), 1);
            assert!(!svg.contains("<polyline") && !svg.contains("NaN"), "{svg}");
            assert!(chart.to_markdown().contains("| arsenal:x | 4 |"));
        }
    }

    #[test]
    fn undrawable_points_are_skipped() {
        let points = [
            (f64::NAN, 1.0),
            (1.0, f64::INFINITY),
            (f64::NEG_INFINITY, 2.0),
            (0.0, 3.0), // not on a log x axis
            (2.0, -1.0),
            (3.0, 5.0),
        ];
        let chart = demo_chart(true, false, vec![series("arsenal:x", &points)]);
        let svg = chart.to_svg();
        assert_eq!(svg.matches("class=\"point\"").count(), 2, "{svg}");
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        let markdown = chart.to_markdown();
        assert!(markdown.contains("| series | 2 | 3 |"), "{markdown}");
        let log_y = demo_chart(true, true, vec![series("arsenal:x", &points)]);
        assert_eq!(log_y.to_svg().matches("class=\"point\"").count(), 1);
    }

    #[test]
    fn domain_charts_are_rendered_from_the_results() {
        const CHARTS: Domain = Domain {
            name: "json",
            title: "With charts",
            charts: |results| {
                vec![Chart {
                    title: "json / speed against size".into(),
                    x_label: "bytes".into(),
                    y_label: "ns".into(),
                    log_x: true,
                    log_y: true,
                    series: vec![Series {
                        name: "peer:serde_json".into(),
                        points: results
                            .iter()
                            .filter(|r| r.imp == "peer:serde_json")
                            .filter_map(|r| Some((r.bytes as f64, r.median_ns?)))
                            .collect(),
                    }],
                }]
            },
            ..Domain::EMPTY
        };
        let report = sample_report();
        let html = report.html_with(&[CHARTS]);
        assert_eq!(html.matches("<figure class=\"line\">").count(), 1);
        assert!(html.contains("<figcaption>json / speed against size</figcaption>"));
        assert_eq!(html.matches("class=\"point\"").count(), 2);
        let markdown = report.markdown_with(&[CHARTS]);
        assert!(markdown.contains("### json / speed against size"));
        assert!(
            markdown.contains("| peer:serde_json | 2000 | 4000 |"),
            "{markdown}"
        );
        // Rendered again from the JSON alone: the same charts.
        let back = Report::from_json(&report.to_json()).unwrap();
        assert_eq!(back.html_with(&[CHARTS]), html);
        assert!(
            report
                .markdown_with(&[])
                .matches("### json / speed")
                .count()
                == 0
        );
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
