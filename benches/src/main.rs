//! `arsenal-bench`: runs the benchmark matrix and writes the reports.
//!
//! Run with `cargo run --release -p arsenal-bench -- --help`.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use arsenal_bench::harness::{Profile, Progress, Registry};
use arsenal_bench::machine::Machine;
use arsenal_bench::report::{write_file, MemoryRow, Report};
use regex::Regex;

const USAGE: &str = "\
arsenal-bench: times every wrapped C library through Arsenal (arsenal:<lib>), called raw
(raw:<lib>) and against pure-Rust peers (peer:<crate>), on the same data.

USAGE:
    arsenal-bench [OPTIONS]

OPTIONS:
    --filter REGEX     run only cells whose id (domain/op/dataset/impl) matches REGEX
    --data DIR         read data sets from DIR (default: $ARSENAL_DATA, else
                       ../shared/data beside the workspace if present, else generated data)
    --quick            50 ms warm-up, 11 samples of >= 5 ms per cell (default)
    --full             300 ms warm-up, 31 samples of >= 20 ms per cell
    --smoke            1 ms warm-up, 3 samples of >= 0.1 ms: checks that cells run, numbers are noise
    --json FILE        write the results as JSON
    --markdown FILE    write the Markdown report
    --html FILE        write the HTML report (inline SVG charts, no JavaScript)
    --list             print the cell ids (after --filter) and exit
    -h, --help         print this help and exit

The Markdown report is also printed to stdout; progress goes to stderr.
";

/// Registers every domain's cases. Domains read their data sets from `data` when given
/// and generate data otherwise.
fn register_all(reg: &mut Registry, data: Option<&Path>) {
    arsenal_bench::json::register(reg, data);
    arsenal_bench::http::register(reg);
    arsenal_bench::http_server::register(reg);
    arsenal_bench::coro::register(reg);
    arsenal_bench::sync::register(reg);
    arsenal_bench::alloc::register(reg);
    arsenal_bench::mem::register(reg);
    arsenal_bench::compress::register(reg, data);
    arsenal_bench::hash::register(reg);
}

/// Parsed command line.
#[derive(Debug, PartialEq)]
struct Options {
    filter: Option<String>,
    data: Option<PathBuf>,
    profile: Profile,
    json: Option<PathBuf>,
    markdown: Option<PathBuf>,
    html: Option<PathBuf>,
    list: bool,
    help: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            filter: None,
            data: None,
            profile: Profile::quick(),
            json: None,
            markdown: None,
            html: None,
            list: false,
            help: false,
        }
    }
}

/// Parses the arguments after the program name. Accepts `--flag VALUE` and
/// `--flag=VALUE`; a later `--quick`/`--full`/`--smoke` overrides an earlier one.
fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Options, String> {
    let mut options = Options::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let arg = arg
            .into_string()
            .map_err(|arg| format!("argument {arg:?} is not valid UTF-8"))?;
        let (flag, inline_value) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg, None),
        };
        let takes_value = matches!(
            flag.as_str(),
            "--filter" | "--data" | "--json" | "--markdown" | "--html"
        );
        let value = if takes_value {
            match inline_value {
                Some(value) => Some(value),
                None => Some(
                    args.next()
                        .ok_or_else(|| format!("{flag} needs a value"))?
                        .into_string()
                        .map_err(|value| format!("value {value:?} of {flag} is not valid UTF-8"))?,
                ),
            }
        } else if inline_value.is_some() {
            return Err(format!("{flag} takes no value"));
        } else {
            None
        };
        let path = || value.clone().map(PathBuf::from);
        match flag.as_str() {
            "--filter" => options.filter = value.clone(),
            "--data" => options.data = path(),
            "--json" => options.json = path(),
            "--markdown" => options.markdown = path(),
            "--html" => options.html = path(),
            "--quick" => options.profile = Profile::quick(),
            "--full" => options.profile = Profile::full(),
            "--smoke" => options.profile = Profile::smoke(),
            "--list" => options.list = true,
            "-h" | "--help" => options.help = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(options)
}

/// The data directory: `--data` (must exist), else `$ARSENAL_DATA` (must exist), else
/// `default` when it exists, else none (domains generate their data).
fn resolve_data_dir(
    flag: Option<&Path>,
    env: Option<OsString>,
    default: &Path,
) -> Result<Option<PathBuf>, String> {
    let explicit = flag.map(|dir| (dir.to_path_buf(), "--data")).or_else(|| {
        env.filter(|value| !value.is_empty())
            .map(|value| (PathBuf::from(value), "ARSENAL_DATA"))
    });
    match explicit {
        Some((dir, _)) if dir.is_dir() => Ok(Some(dir)),
        Some((dir, source)) => Err(format!(
            "{source} names {}, which is not a directory",
            dir.display()
        )),
        None => Ok(default.is_dir().then(|| default.to_path_buf())),
    }
}

/// `../shared/data` relative to the workspace root (the parent of this crate).
fn default_data_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data");
    std::fs::canonicalize(&dir).unwrap_or(dir)
}

/// What a run printed: the ids for `--list`, else the Markdown report.
fn run(
    options: &Options,
    register: fn(&mut Registry, Option<&Path>),
    progress: &mut Progress,
) -> Result<String, String> {
    let data = resolve_data_dir(
        options.data.as_deref(),
        std::env::var_os("ARSENAL_DATA"),
        &default_data_dir(),
    )?;
    let filter = options
        .filter
        .as_deref()
        .map(Regex::new)
        .transpose()
        .map_err(|err| format!("invalid --filter: {err}"))?;

    let mut registry = Registry::new();
    register(&mut registry, data.as_deref());
    if let Some(filter) = &filter {
        registry.retain_matching(filter);
    }
    if options.list {
        return Ok(registry.ids().iter().map(|id| format!("{id}\n")).collect());
    }
    if registry.is_empty() {
        return Err(match &options.filter {
            Some(filter) => format!("no benchmark cell matches --filter {filter:?} (see --list)"),
            None => "no benchmark cells are registered".to_owned(),
        });
    }

    let mut machine = Machine::detect(&options.profile, data.as_deref());
    if machine.is_debug_build() {
        print_stderr(&format!(
            "warning: arsenal-bench was built without optimisation ({}); \
             use `cargo run --release -p arsenal-bench`",
            machine.build_profile
        ));
    }
    let has = |domain: &str| registry.cases().iter().any(|case| case.domain == domain);
    if has("mem") {
        machine.dram_copy_gbps = Some(arsenal_bench::mem::dram_copy_bandwidth());
    }
    let (measure_coro_memory, measure_alloc_memory) = (has("coro"), has("alloc"));
    // Before the timing runs: the allocators' first-touch footprint (see `peak_memory`).
    let mut memory = if measure_alloc_memory {
        alloc_memory()
    } else {
        Vec::new()
    };
    let results = registry.run(&options.profile, progress);
    if measure_coro_memory {
        memory.extend(coro_memory());
    }
    let report = Report {
        machine,
        results,
        memory,
    };
    let markdown = report.to_markdown();
    let outputs = [
        (&options.json, report.to_json()),
        (&options.markdown, markdown.clone()),
        (&options.html, report.to_html()),
    ];
    for (path, contents) in outputs {
        if let Some(path) = path {
            write_file(path, &contents)
                .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
            print_stderr(&format!("wrote {}", path.display()));
        }
    }
    Ok(markdown)
}

/// Coroutines measured together for the idle-memory table.
const IDLE_COROUTINES: usize = 1000;

/// The `coro / memory` rows: resident bytes per idle coroutine, per implementation.
fn coro_memory() -> Vec<MemoryRow> {
    arsenal_bench::coro::idle_memory(IDLE_COROUTINES)
        .into_iter()
        .map(|(imp, bytes)| MemoryRow {
            domain: "coro".to_owned(),
            what: "idle coroutine (64 KiB stack, suspended after one resume)".to_owned(),
            imp,
            items: IDLE_COROUTINES as u64,
            bytes_per_item: Some(bytes).filter(|b| b.is_finite()),
        })
        .collect()
}

/// The `alloc / memory` rows: resident-set growth up to each workload's point of most live
/// data, per allocator (measured before the timing runs).
fn alloc_memory() -> Vec<MemoryRow> {
    arsenal_bench::alloc::peak_memory()
        .into_iter()
        .map(|(imp, workload, bytes)| MemoryRow {
            domain: "alloc".to_owned(),
            what: format!("{workload} run (RSS growth to its point of most live data)"),
            imp,
            items: 1,
            bytes_per_item: Some(bytes).filter(|b| b.is_finite()),
        })
        .collect()
}

/// Writes to stdout; a reader that went away (`arsenal-bench --list | head`) is not an
/// error worth a panic.
fn print_stdout(text: &str) {
    let mut stdout = io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

/// Writes a message line to stderr, ignoring failures for the same reason.
fn print_stderr(text: &str) {
    let _ = writeln!(io::stderr(), "{text}");
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args_os().skip(1)) {
        Ok(options) => options,
        Err(err) => {
            print_stderr(&format!("arsenal-bench: {err}\n\n{USAGE}"));
            return ExitCode::from(2);
        }
    };
    if options.help {
        print_stdout(USAGE);
        return ExitCode::SUCCESS;
    }
    match run(&options, register_all, &mut Progress::stderr()) {
        Ok(output) => {
            print_stdout(&output);
            ExitCode::SUCCESS
        }
        Err(err) => {
            print_stderr(&format!("arsenal-bench: {err}"));
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arsenal_bench::harness::Case;
    use std::time::Duration;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    /// A self-test domain: never registered by the real binary.
    fn register_selftest(reg: &mut Registry, _data: Option<&Path>) {
        let numbers: Vec<u64> = (0..4096).collect();
        let bytes = (numbers.len() * 8) as u64;
        for imp in ["arsenal:sum", "raw:sum", "peer:iter"] {
            let numbers = numbers.clone();
            reg.add(Case::new(
                "selftest",
                "sum",
                "4k",
                imp,
                bytes,
                4096,
                move || numbers.iter().sum(),
            ));
        }
        reg.add(Case::failed(
            "selftest",
            "sum",
            "huge",
            "raw:sum",
            "not generated",
        ));
        reg.add(Case::new(
            "selftest",
            "count",
            "4k",
            "peer:iter",
            0,
            4096,
            || {
                (0..4096u64)
                    .filter(|n| std::hint::black_box(*n) % 3 == 0)
                    .count() as u64
            },
        ));
    }

    #[test]
    fn parses_flags_and_values() {
        let options = parse_args(args(&[
            "--filter",
            "json/parse",
            "--data=/tmp",
            "--full",
            "--json",
            "out/r.json",
            "--markdown=out/r.md",
            "--html",
            "out/r.html",
            "--list",
        ]))
        .unwrap();
        assert_eq!(options.filter.as_deref(), Some("json/parse"));
        assert_eq!(options.data, Some(PathBuf::from("/tmp")));
        assert_eq!(options.profile, Profile::full());
        assert_eq!(options.json, Some(PathBuf::from("out/r.json")));
        assert_eq!(options.markdown, Some(PathBuf::from("out/r.md")));
        assert_eq!(options.html, Some(PathBuf::from("out/r.html")));
        assert!(options.list && !options.help);

        assert_eq!(parse_args(args(&[])).unwrap(), Options::default());
        assert_eq!(
            parse_args(args(&["--full", "--quick"])).unwrap().profile,
            Profile::quick()
        );
        assert!(parse_args(args(&["-h"])).unwrap().help);
        assert_eq!(
            parse_args(args(&["--filter=a=b"]))
                .unwrap()
                .filter
                .as_deref(),
            Some("a=b")
        );
    }

    #[test]
    fn rejects_bad_arguments() {
        assert!(parse_args(args(&["--bogus"]))
            .unwrap_err()
            .contains("--bogus"));
        assert!(parse_args(args(&["--json"]))
            .unwrap_err()
            .contains("needs a value"));
        assert!(parse_args(args(&["--list=yes"]))
            .unwrap_err()
            .contains("takes no value"));
    }

    #[test]
    fn data_dir_precedence() {
        let dir = tempfile::tempdir().unwrap();
        let existing = dir.path();
        let missing = existing.join("missing");
        let env = || Some(OsString::from(existing));

        assert_eq!(
            resolve_data_dir(Some(existing), None, &missing).unwrap(),
            Some(existing.to_path_buf())
        );
        assert!(resolve_data_dir(Some(&missing), env(), existing)
            .unwrap_err()
            .contains("--data"));
        assert_eq!(
            resolve_data_dir(None, env(), &missing).unwrap(),
            Some(existing.to_path_buf())
        );
        assert!(
            resolve_data_dir(None, Some(missing.clone().into()), existing)
                .unwrap_err()
                .contains("ARSENAL_DATA")
        );
        assert_eq!(
            resolve_data_dir(None, Some(OsString::new()), existing).unwrap(),
            Some(existing.to_path_buf())
        );
        assert_eq!(resolve_data_dir(None, None, &missing).unwrap(), None);
    }

    #[test]
    fn list_and_filter() {
        let mut options = parse_args(args(&["--list", "--filter", "sum/4k/(raw|peer)"])).unwrap();
        let listed = run(&options, register_selftest, &mut Progress::hidden()).unwrap();
        assert_eq!(
            listed,
            "selftest/sum/4k/raw:sum\nselftest/sum/4k/peer:iter\n"
        );

        options.filter = Some("(".to_owned());
        let err = run(&options, register_selftest, &mut Progress::hidden()).unwrap_err();
        assert!(err.contains("invalid --filter"), "{err}");

        options.list = false;
        options.filter = Some("no-such-cell".to_owned());
        let err = run(&options, register_selftest, &mut Progress::hidden()).unwrap_err();
        assert!(err.contains("no benchmark cell matches"), "{err}");

        // The real binary registers nothing fake.
        let mut registry = Registry::new();
        register_all(&mut registry, None);
        assert!(registry.ids().iter().all(|id| !id.starts_with("selftest/")));
    }

    #[test]
    fn end_to_end_writes_all_reports() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("bench-results");
        let mut options = Options {
            json: Some(out.join("results.json")),
            markdown: Some(out.join("report.md")),
            html: Some(out.join("nested/report.html")),
            ..Options::default()
        };
        options.profile = Profile {
            name: "test",
            warmup: Duration::from_millis(1),
            samples: 3,
            min_sample: Duration::from_micros(100),
        };
        let markdown = run(&options, register_selftest, &mut Progress::hidden()).unwrap();

        assert!(
            markdown.contains("## selftest / sum — GB/s, higher is better"),
            "{markdown}"
        );
        assert!(
            markdown.contains("| dataset | arsenal:sum | raw:sum | peer:iter | arsenal/raw sum |")
        );
        assert!(markdown.contains("## selftest / count — items/s, higher is better"));
        assert!(markdown.contains("selftest/sum/huge/raw:sum: not generated"));
        assert_eq!(
            std::fs::read_to_string(out.join("report.md")).unwrap(),
            markdown
        );

        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap())
                .unwrap();
        assert_eq!(json["machine"]["profile"], "test");
        let results = json["results"].as_array().unwrap();
        assert_eq!(results.len(), 5);
        let sum: u64 = (0..4096).sum();
        assert_eq!(results[0]["id"], "selftest/sum/4k/arsenal:sum");
        assert_eq!(results[0]["checksum"], sum);
        assert_eq!(results[0]["runs"], 3);
        assert!(results[0]["gbps"].as_f64().unwrap() > 0.0);
        assert_eq!(results[3]["error"], "not generated");
        assert!(results[4]["gbps"].is_null());

        let html = std::fs::read_to_string(out.join("nested/report.html")).unwrap();
        assert!(html.contains("<svg") && !html.contains("<script"));
    }
}
