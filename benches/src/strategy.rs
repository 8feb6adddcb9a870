//! `arsenal-bench --strategy-table FILE`: what each domain crate's
//! `Backend::for_strategy` picks on this machine, the benchmark row it names as evidence
//! ([`Select::evidence`]), and the fastest `arsenal:` implementation measured in that row
//! in a results file, with disagreements flagged.
//!
//! A crate's pick is its documented, measured answer; this table checks it against the
//! numbers of one run. A disagreement is a prompt to look (one noisy run, another
//! machine, a pick that weighs more than one row), not necessarily a bug.

use arsenal::{Select, Strategy};

use crate::domain::Domain;
use crate::harness::{library_of, ImplKind};
use crate::report::{markdown_table, Report, Table};

/// What a crate picks for a strategy, as [`pick`] reads it from its `Backend`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pick {
    /// The picked backend's name (`Backend::for_strategy(strategy)`).
    pub backend: String,
    /// The benchmark row behind it (`Select::evidence(strategy)`): `domain/op/dataset`
    /// or a memory row group `domain/memory/dataset`.
    pub evidence: Option<&'static str>,
    /// The names of the crate's available backends.
    pub available: Vec<String>,
}

/// A crate's [`Pick`] for `strategy`, from its `Backend` type `B`: what a domain puts
/// in its [`Selection`](crate::domain::Selection).
///
/// ```
/// use arsenal::Strategy;
/// # #[cfg(feature = "hash")] {
/// let pick = arsenal_bench::strategy::pick::<arsenal_hash::Backend>(Strategy::Throughput);
/// assert!(pick.available.contains(&pick.backend));
/// assert!(pick.evidence.is_some_and(|row| row.starts_with("hash/")));
/// # }
/// ```
pub fn pick<B: Select>(strategy: Strategy) -> Pick {
    Pick {
        backend: B::for_strategy(strategy).to_string(),
        evidence: B::evidence(strategy),
        available: B::available().iter().map(ToString::to_string).collect(),
    }
}

/// Whether the backend `picked` is the library of the implementation `imp`, given the
/// crate's other backends: `yes` when the library (without a `/level` or `/param`
/// suffix) is the picked backend's name; `NO` when it is another backend's name;
/// `variant` when it names a variant of the picked backend (`ck` and `ck-spsc`,
/// `libdeflate-gzip` and `libdeflate`) and of no other; `NO` when only of another;
/// `?` when it is named after no backend at all.
///
/// ```
/// use arsenal_bench::strategy::agreement;
///
/// let compress = ["zstd", "lz4", "lz4-block", "libdeflate-gzip"].map(String::from);
/// assert_eq!(agreement("zstd", &compress, "arsenal:zstd/3"), "yes");
/// assert_eq!(agreement("lz4-block", &compress, "arsenal:lz4/0"), "NO");
/// assert_eq!(agreement("libdeflate-gzip", &compress, "arsenal:libdeflate/6"), "variant");
/// assert_eq!(agreement("zstd", &compress, "arsenal:memcpy"), "?");
/// ```
pub fn agreement(picked: &str, backends: &[String], imp: &str) -> &'static str {
    let library = library_of(imp);
    let base = library.split('/').next().unwrap_or(library);
    let exact = |name: &str| base.eq_ignore_ascii_case(name);
    let variant = |name: &str| {
        let of = |long: &str, short: &str| {
            long.len() > short.len()
                && long.as_bytes()[..short.len()].eq_ignore_ascii_case(short.as_bytes())
                && matches!(long.as_bytes()[short.len()], b'-' | b'_')
        };
        of(base, name) || of(name, base)
    };
    let others = || {
        backends
            .iter()
            .filter(|name| !name.eq_ignore_ascii_case(picked))
    };
    if exact(picked) {
        "yes"
    } else if others().any(|name| exact(name)) {
        "NO"
    } else if variant(picked) {
        "variant"
    } else if others().any(|name| variant(name)) {
        "NO"
    } else {
        "?"
    }
}

/// The strategy table as Markdown: per domain of `domains` with a selecting crate
/// ([`Domain::select`]), one row per strategy.
pub fn table(report: &Report, domains: &[Domain]) -> String {
    let mut out = format!(
        "# Backend::for_strategy against the results\n\n\
         Results: {} (profile {}, build {}, commit {}). Per crate and strategy: the backend \
         picked on this machine, the benchmark row its crate names as evidence \
         (Select::evidence; none for balanced, the documented priority), and the fastest \
         arsenal: implementation of that row in the results (of a memory row group \
         domain/memory/dataset: the fewest bytes). agrees: yes; variant (a variant \
         of the picked library); NO (another backend of the crate is faster there); ? (the \
         fastest is named after no backend); – (no evidence row, or the row is not in the \
         results).\n\n",
        report.machine.cpu_model,
        report.machine.profile,
        report.machine.build_flavor,
        report.machine.git_commit
    );
    let mut disagreements = 0;
    let mut missing = 0;
    for (domain, selection) in domains
        .iter()
        .filter_map(|domain| Some((domain, domain.select?)))
    {
        let mut table: Table = vec![[
            "strategy",
            "picks",
            "evidence row",
            "fastest arsenal",
            "value",
            "agrees",
        ]
        .map(str::to_owned)
        .to_vec()];
        for strategy in Strategy::ALL {
            let Pick {
                backend: picked,
                evidence,
                available,
            } = (selection.pick)(strategy);
            let fastest = evidence.and_then(|row| report.fastest(row, ImplKind::Arsenal, domains));
            if evidence.is_some() && fastest.is_none() {
                missing += 1;
            }
            let agrees = match &fastest {
                None => "–",
                Some((imp, _)) => agreement(&picked, &available, imp),
            };
            if agrees == "NO" {
                disagreements += 1;
            }
            let (imp, value) = fastest.unwrap_or_else(|| ("–".to_owned(), "–".to_owned()));
            table.push(vec![
                strategy.to_string(),
                picked,
                evidence.map_or_else(|| "–".to_owned(), str::to_owned),
                imp,
                value,
                agrees.to_owned(),
            ]);
        }
        out.push_str(&format!("## {} (`{}`)\n\n", selection.krate, domain.name));
        out.push_str(&markdown_table(&table));
    }
    out.push_str(&format!(
        "{disagreements} disagreement(s) (NO); {missing} evidence row(s) not in the results file.\n"
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreement_ignores_levels_and_case() {
        let names = |list: &[&str]| list.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
        let coro = names(&["fcontext", "minicoro", "ucontext"]);
        assert_eq!(agreement("fcontext", &coro, "arsenal:FContext"), "yes");
        assert_eq!(agreement("fcontext", &coro, "arsenal:ucontext"), "NO");
        let sync = names(&["ck", "native"]);
        assert_eq!(agreement("ck", &sync, "arsenal:ck-spsc"), "variant");
        assert_eq!(agreement("native", &sync, "arsenal:ck-mpmc"), "NO");
        assert_eq!(agreement("native", &sync, "arsenal:native-mpsc"), "variant");
        assert_eq!(agreement("ck", &sync, "arsenal:native-mpsc"), "NO");
        assert_eq!(agreement("native", &sync, "arsenal:mpsc"), "?");
        let http = names(&["llhttp", "http_parser"]);
        assert_eq!(
            agreement("http_parser", &http, "arsenal:http_parser"),
            "yes"
        );
    }

    /// A crate that picks `small` for everything but `Balanced`.
    fn demo_pick(strategy: Strategy) -> Pick {
        Pick {
            backend: "small".to_owned(),
            evidence: match strategy {
                Strategy::Balanced => None,
                Strategy::MinimalMemory => Some("demo/memory/empty"),
                _ => Some("demo/run/large"),
            },
            available: vec!["fast".to_owned(), "small".to_owned()],
        }
    }

    #[test]
    fn the_table_reads_the_domains_and_memory_rows_by_id() {
        use crate::domain::Selection;
        use crate::harness::{BenchResult, Measurement, Profile, Stats};
        use crate::machine::Machine;
        use crate::report::MemoryRow;

        const DEMO: Domain = Domain {
            name: "demo",
            select: Some(Selection {
                krate: "arsenal-demo",
                pick: demo_pick,
            }),
            ..Domain::EMPTY
        };
        const PLAIN: Domain = Domain {
            name: "plain",
            ..Domain::EMPTY
        };
        let cell = |imp: &str, median: f64| {
            let stats = Stats {
                median,
                min: median,
                max: median,
            };
            let m = Measurement {
                runs: 1,
                stats,
                iterations: 1,
                checksum: 0,
            };
            BenchResult::measured("demo", "run", "large", imp, 1000, 1, &m)
        };
        let held = |imp: &str, bytes: f64| MemoryRow {
            domain: "demo".into(),
            dataset: "empty".into(),
            what: "empty thing".into(),
            imp: imp.into(),
            items: 1,
            bytes_per_item: Some(bytes),
        };
        let report = Report {
            machine: Machine::detect(&Profile::quick(), None),
            results: vec![cell("arsenal:fast", 100.0), cell("arsenal:small", 200.0)],
            memory: vec![held("arsenal:fast", 4096.0), held("arsenal:small", 64.0)],
        };
        let table = table(&report, &[PLAIN, DEMO]);
        assert!(table.contains("## arsenal-demo (`demo`)"), "{table}");
        assert!(!table.contains("plain"), "{table}");
        assert!(
            table.contains(
                "| minimal-memory | small | demo/memory/empty | arsenal:small | 64 B | yes |"
            ),
            "{table}"
        );
        assert!(
            table.contains(
                "| throughput | small | demo/run/large | arsenal:fast | 10.00 GB/s | NO |"
            ),
            "{table}"
        );
        assert!(
            table.contains("| balanced | small | – | – | – | – |"),
            "{table}"
        );
        assert!(
            table.ends_with("3 disagreement(s) (NO); 0 evidence row(s) not in the results file.\n"),
            "{table}"
        );
    }
}
