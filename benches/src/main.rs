//! `arsenal-bench`: runs the benchmark matrix and writes the reports.
//!
//! Run with `cargo run --release -p arsenal-bench -- --help`.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use arsenal_bench::domain::{Domain, Memory};
use arsenal_bench::harness::{verify_cases, BenchResult, Profile, Progress, Registry, Status};
use arsenal_bench::machine::Machine;
use arsenal_bench::report::{write_file, MemoryRow, Report};
use regex::Regex;

const USAGE: &str = "\
arsenal-bench: times every wrapped C library through Arsenal (arsenal:<lib>), called raw
(raw:<lib>) and against pure-Rust peers (peer:<crate>), on the same data. Every cell's
result is verified once before it is timed; a cell whose result is wrong is FAILED and
never timed.

USAGE:
    arsenal-bench [OPTIONS]

OPTIONS:
    --filter REGEX     run only cells whose id (domain/op/dataset/impl) matches REGEX, and
                       keep only memory rows whose id (domain/memory/dataset/impl) does;
                       a domain's memory rows are measured when one of its cells or
                       \"<domain>/memory/\" matches
    --domain NAMES     register only these domains (comma-separated names, e.g. json,hash;
                       faster than --filter, which registers every domain first)
    --shard K/N        register only every N-th of the selected domains, starting at the
                       K-th (1 <= K <= N): N processes with K = 1..N together run every
                       domain once (scripts/test runs --verify in two, one per core)
    --data-domains     register only the domains that read the data directory (json,
                       compress, cache); with --no-data: their generated stand-ins
    --data DIR         read data sets from DIR (default: $ARSENAL_DATA, else
                       ../shared/data beside the workspace if present, else generated data)
    --no-data          use generated data even where a data directory exists
    --large            also register the 10^7-item datasets of the data-structure domains
                       (tree, map, heap, filter, sketch, bitmap, cache): memory-bound
                       rows, minutes of setup and several GB; each of their cells is
                       verified before it is timed
    --quick            50 ms warm-up, 11 samples of >= 5 ms per cell (default)
    --full             300 ms warm-up, 31 samples of >= 20 ms per cell
    --smoke            1 ms warm-up, 3 samples of >= 0.1 ms: checks that cells run, numbers are noise
    --verify           run every selected cell once, untimed, and check its result; print
                       per domain \"N verified, M unsupported, K FAILED\", each FAILED cell
                       and its reason; check the domains' memory rows; exit 1 on any failure
    --json FILE        write the results as JSON
    --markdown FILE    write the Markdown report
    --html FILE        write the HTML report (inline SVG charts, no JavaScript)
    --list             print the cell ids (after --filter) and exit
    --render FILE      regenerate the reports from a results JSON written by --json, without
                       running anything (Markdown to stdout; --markdown / --html write files)
    --strategy-table FILE
                       per domain crate and Strategy: the backend Backend::for_strategy picks
                       on this machine, the benchmark row behind it (Select::evidence), and
                       the fastest arsenal: implementation of that row in FILE; flags
                       disagreements
    -h, --help         print this help and exit

The Markdown report (or the --verify summary) goes to stdout; progress goes to stderr.
A timed run with FAILED cells writes its reports, then exits with status 1.
";

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Mode {
    /// Time the cells (the default).
    Run,
    /// `--verify`: run each cell once, untimed.
    Verify,
    /// `--list`: print the cell ids.
    List,
    /// `--render FILE`: reports from a saved results file.
    Render,
    /// `--strategy-table FILE`.
    StrategyTable,
}

/// Parsed command line.
#[derive(Debug, PartialEq)]
struct Options {
    mode: Mode,
    filter: Option<String>,
    /// `--domain`: the names of the domains to register (all when `None`).
    domains: Option<Vec<String>>,
    /// `--data-domains`: only the domains that read the data directory.
    data_domains: bool,
    /// `--shard K/N`: `(K - 1, N)`, the selected domains at positions `K - 1`, `K - 1 + N`, ….
    shard: Option<(usize, usize)>,
    data: Option<PathBuf>,
    /// `--no-data`: generated data only.
    no_data: bool,
    /// `--large`: add the domains' 10⁷-item datasets.
    large: bool,
    profile: Profile,
    json: Option<PathBuf>,
    markdown: Option<PathBuf>,
    html: Option<PathBuf>,
    /// The results file of `--render` / `--strategy-table`.
    input: Option<PathBuf>,
    help: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            mode: Mode::Run,
            filter: None,
            domains: None,
            data_domains: false,
            shard: None,
            data: None,
            no_data: false,
            large: false,
            profile: Profile::quick(),
            json: None,
            markdown: None,
            html: None,
            input: None,
            help: false,
        }
    }
}

/// Parses the arguments after the program name. Accepts `--flag VALUE` and
/// `--flag=VALUE`; a later `--quick`/`--full`/`--smoke` overrides an earlier one; at most
/// one of `--verify`, `--list`, `--render`, `--strategy-table`.
fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Options, String> {
    let mut options = Options::default();
    let mut modes: Vec<(Mode, String)> = Vec::new();
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
            "--filter"
                | "--domain"
                | "--shard"
                | "--data"
                | "--json"
                | "--markdown"
                | "--html"
                | "--render"
                | "--strategy-table"
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
            "--domain" => {
                let names = value.clone().unwrap_or_default();
                options.domains = Some(names.split(',').map(str::to_owned).collect());
            }
            "--data-domains" => options.data_domains = true,
            "--shard" => options.shard = Some(parse_shard(value.as_deref().unwrap_or_default())?),
            "--data" => options.data = path(),
            "--no-data" => options.no_data = true,
            "--large" => options.large = true,
            "--json" => options.json = path(),
            "--markdown" => options.markdown = path(),
            "--html" => options.html = path(),
            "--quick" => options.profile = Profile::quick(),
            "--full" => options.profile = Profile::full(),
            "--smoke" => options.profile = Profile::smoke(),
            "--verify" => modes.push((Mode::Verify, flag.clone())),
            "--list" => modes.push((Mode::List, flag.clone())),
            "--render" => {
                modes.push((Mode::Render, flag.clone()));
                options.input = path();
            }
            "--strategy-table" => {
                modes.push((Mode::StrategyTable, flag.clone()));
                options.input = path();
            }
            "-h" | "--help" => options.help = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if options.no_data && options.data.is_some() {
        return Err("--data and --no-data cannot be combined".to_owned());
    }
    match &modes[..] {
        [] => {}
        [(mode, _)] => options.mode = *mode,
        [(_, first), (_, second), ..] => {
            return Err(format!("{first} and {second} cannot be combined"));
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

/// What a run printed (stdout) and what failed (each a line for stderr; any makes the
/// exit status 1).
#[derive(Debug, Default)]
struct Outcome {
    output: String,
    failures: Vec<String>,
}

/// `--shard`'s `K/N` as `(K - 1, N)`.
fn parse_shard(value: &str) -> Result<(usize, usize), String> {
    let parsed = value
        .split_once('/')
        .and_then(|(k, n)| Some((k.parse::<usize>().ok()?, n.parse::<usize>().ok()?)));
    match parsed {
        Some((k, n)) if 1 <= k && k <= n => Ok((k - 1, n)),
        _ => Err(format!(
            "--shard {value:?}: expected K/N with 1 <= K <= N, e.g. 1/2"
        )),
    }
}

/// The domains `--domain`, `--data-domains` and `--shard` select, in `domains`' order; an
/// unknown name is an error that lists the compiled-in domains.
fn choose_domains(options: &Options, domains: &[Domain]) -> Result<Vec<Domain>, String> {
    if let Some(names) = &options.domains {
        for name in names {
            if !domains.iter().any(|domain| domain.name == name) {
                let known: Vec<&str> = domains.iter().map(|domain| domain.name).collect();
                return Err(format!(
                    "--domain: no domain {name:?} in this build (it has: {})",
                    known.join(", ")
                ));
            }
        }
    }
    Ok(domains
        .iter()
        .filter(|domain| {
            options
                .domains
                .as_ref()
                .is_none_or(|names| names.iter().any(|name| name == domain.name))
        })
        .filter(|domain| !options.data_domains || domain.reads_data)
        .enumerate()
        .filter(|(i, _)| options.shard.is_none_or(|(k, n)| i % n == k))
        .map(|(_, domain)| *domain)
        .collect())
}

/// Registers the cases of `domains`. A domain may only register cells that carry its
/// own name (the report, `--verify`'s summary and the memory rows group by it): one that
/// registers another's is an error.
fn register(domains: &[Domain], data: Option<&Path>) -> Result<Registry, String> {
    let mut registry = Registry::new();
    for domain in domains {
        let before = registry.len();
        (domain.register)(&mut registry, data);
        if let Some(stray) = registry.cases()[before..]
            .iter()
            .find(|case| case.domain != domain.name)
        {
            return Err(format!(
                "domain {} registered a cell of another domain: {}",
                domain.name,
                stray.id()
            ));
        }
    }
    Ok(registry)
}

/// Runs what `options` ask for over `domains` (those `--domain`/`--data-domains` select).
fn run(options: &Options, domains: &[Domain], progress: &mut Progress) -> Result<Outcome, String> {
    let domains = &choose_domains(options, domains)?[..];
    match options.mode {
        Mode::Render => return render(options, domains),
        Mode::StrategyTable => {
            let input = options.input.as_deref().expect("parse_args sets the input");
            let report = read_results(input)?;
            return Ok(Outcome {
                output: arsenal_bench::strategy::table(&report, domains),
                failures: Vec::new(),
            });
        }
        Mode::Run | Mode::Verify | Mode::List => {}
    }
    let data = if options.no_data {
        None
    } else {
        resolve_data_dir(
            options.data.as_deref(),
            std::env::var_os("ARSENAL_DATA"),
            &default_data_dir(),
        )?
    };
    let filter = options
        .filter
        .as_deref()
        .map(Regex::new)
        .transpose()
        .map_err(|err| format!("invalid --filter: {err}"))?;

    arsenal_bench::harness::set_large(options.large);
    let mut registry = register(domains, data.as_deref())?;
    if let Some(filter) = &filter {
        registry.retain_matching(filter);
    }
    if options.mode == Mode::List {
        return Ok(Outcome {
            output: registry.ids().iter().map(|id| format!("{id}\n")).collect(),
            failures: Vec::new(),
        });
    }
    // The domains with at least one selected cell.
    let selected: Vec<Domain> = domains
        .iter()
        .filter(|domain| {
            registry
                .cases()
                .iter()
                .any(|case| case.domain == domain.name)
        })
        .copied()
        .collect();
    // The domains whose memory rows the run measures: those selected, and those whose
    // `<domain>/memory/` the filter matches (their rows are then kept by id).
    let measured: Vec<Domain> = domains
        .iter()
        .filter(|domain| !matches!(domain.memory, Memory::None))
        .filter(|domain| {
            selected.iter().any(|s| s.name == domain.name)
                || filter
                    .as_ref()
                    .is_some_and(|f| f.is_match(&format!("{}/memory/", domain.name)))
        })
        .copied()
        .collect();
    if registry.is_empty() && measured.is_empty() {
        return Err(match &options.filter {
            Some(filter) => format!("no benchmark cell matches --filter {filter:?} (see --list)"),
            None => "no benchmark cells are registered".to_owned(),
        });
    }
    let memory = MemorySelection {
        domains: &measured,
        filter: filter.as_ref(),
    };

    if options.mode == Mode::Verify {
        return verify(
            options,
            registry,
            &selected,
            &memory,
            data.as_deref(),
            progress,
        );
    }

    let mut machine = Machine::detect(&options.profile, data.as_deref());
    if machine.is_debug_build() {
        print_stderr(&format!(
            "warning: arsenal-bench was built without optimisation ({}); \
             use scripts/bench or `cargo run --release -p arsenal-bench`",
            machine.build_profile
        ));
    }
    // Before any timing: the domains' machine-level numbers and first-touch memory rows.
    machine.extras = selected
        .iter()
        .flat_map(|domain| (domain.extras)())
        .collect();
    let mut rows = memory.rows(|when| match when {
        Memory::Before(rows) => Some(rows),
        _ => None,
    });
    let results = registry.run(&options.profile, progress);
    rows.extend(memory.rows(|when| match when {
        Memory::After(rows) => Some(rows),
        _ => None,
    }));
    if results.is_empty() && rows.is_empty() {
        return Err(format!(
            "nothing matches --filter {:?}: no cell, no memory row",
            options.filter.as_deref().unwrap_or_default()
        ));
    }
    let report = Report {
        machine,
        results,
        memory: rows,
    };
    let markdown = report.markdown_with(domains);
    write_outputs(options, &report, &markdown, domains)?;
    let failures = report
        .failed()
        .iter()
        .map(|row| failure_line(row))
        .collect();
    Ok(Outcome {
        output: markdown,
        failures,
    })
}

/// Which memory rows a run measures and keeps.
struct MemorySelection<'a> {
    /// The domains whose `Domain::memory` is called.
    domains: &'a [Domain],
    /// Rows are kept when their id matches (all without a filter).
    filter: Option<&'a Regex>,
}

impl MemorySelection<'_> {
    /// Whether a measured row is kept.
    fn keeps(&self, row: &MemoryRow) -> bool {
        self.filter.is_none_or(|filter| filter.is_match(&row.id()))
    }

    /// The kept memory rows of the domains whose `Memory` `when` selects (`Before` or
    /// `After`).
    fn rows(&self, when: impl Fn(Memory) -> Option<fn() -> Vec<MemoryRow>>) -> Vec<MemoryRow> {
        self.domains
            .iter()
            .filter_map(|domain| when(domain.memory))
            .flat_map(|rows| rows())
            .filter(|row| self.keeps(row))
            .collect()
    }
}

/// `FAILED <id>: <reason>`.
fn failure_line(row: &BenchResult) -> String {
    format!(
        "FAILED {}: {}",
        row.id,
        row.error.as_deref().unwrap_or("no reason given")
    )
}

/// `--verify`: every cell once, untimed; per-domain counts, each FAILED cell, and the
/// memory rows of the domains run checked for being present and finite.
fn verify(
    options: &Options,
    registry: Registry,
    selected: &[Domain],
    memory_selection: &MemorySelection<'_>,
    data: Option<&Path>,
    progress: &mut Progress,
) -> Result<Outcome, String> {
    let profile = Profile {
        name: "verify",
        warmup: Duration::ZERO,
        samples: 0,
        min_sample: Duration::ZERO,
    };
    let machine = Machine::detect(&profile, data);
    let rows = verify_cases(registry.into_cases(), progress);

    let mut output = String::new();
    let mut failures = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for row in &rows {
        if !names.contains(&row.domain.as_str()) {
            names.push(&row.domain);
        }
    }
    let width = names
        .iter()
        .copied()
        .chain(memory_selection.domains.iter().map(|domain| domain.name))
        .map(str::len)
        .max()
        .unwrap_or(0);
    let count = |rows: &[&BenchResult], status: Status| {
        rows.iter().filter(|row| row.status == status).count()
    };
    for name in &names {
        let own: Vec<&BenchResult> = rows.iter().filter(|row| row.domain == *name).collect();
        output.push_str(&format!(
            "{name:<width$}  {} verified, {} unsupported, {} FAILED\n",
            count(&own, Status::Verified),
            count(&own, Status::Unsupported),
            count(&own, Status::Failed)
        ));
    }
    for row in rows.iter().filter(|row| row.status == Status::Failed) {
        let line = failure_line(row);
        output.push_str(&line);
        output.push('\n');
        failures.push(line);
    }

    let mut memory = Vec::new();
    for domain in memory_selection.domains {
        let measured = match domain.memory {
            Memory::None => continue,
            Memory::Before(rows) | Memory::After(rows) => rows(),
        };
        let count = measured.len();
        let rows: Vec<MemoryRow> = measured
            .into_iter()
            .filter(|row| memory_selection.keeps(row))
            .collect();
        if count > 0 && rows.is_empty() {
            continue; // measured, but the filter keeps none of its rows
        }
        let problems = memory_problems(domain.name, &rows);
        output.push_str(&format!(
            "{:<width$}  memory: {} rows, {}\n",
            domain.name,
            rows.len(),
            if problems.is_empty() {
                "all finite".to_owned()
            } else {
                format!("{} FAILED", problems.len())
            }
        ));
        for problem in problems {
            output.push_str(&problem);
            output.push('\n');
            failures.push(problem);
        }
        memory.extend(rows);
    }
    let all: Vec<&BenchResult> = rows.iter().collect();
    output.push_str(&format!(
        "verify: {} cells: {} verified, {} unsupported, {} FAILED\n",
        rows.len(),
        count(&all, Status::Verified),
        count(&all, Status::Unsupported),
        count(&all, Status::Failed)
    ));
    let report = Report {
        machine,
        results: rows,
        memory,
    };
    let mut shown = selected.to_vec();
    for domain in memory_selection.domains {
        if !shown.iter().any(|s| s.name == domain.name) {
            shown.push(*domain);
        }
    }
    let markdown = if options.markdown.is_some() || options.html.is_some() {
        report.markdown_with(&shown)
    } else {
        String::new()
    };
    write_outputs(options, &report, &markdown, &shown)?;
    Ok(Outcome { output, failures })
}

/// What is wrong with a domain's memory rows: none at all, or a value that is missing
/// or not finite.
fn memory_problems(domain: &str, rows: &[MemoryRow]) -> Vec<String> {
    if rows.is_empty() {
        return vec![format!(
            "FAILED {domain}/memory: the domain measured no memory rows"
        )];
    }
    rows.iter()
        .filter(|row| !row.bytes_per_item.is_some_and(f64::is_finite))
        .map(|row| {
            format!(
                "FAILED {}: bytes per item is {:?}",
                row.id(),
                row.bytes_per_item
            )
        })
        .collect()
}

/// `--render`: the reports of a saved results file.
fn render(options: &Options, domains: &[Domain]) -> Result<Outcome, String> {
    let input = options.input.as_deref().expect("parse_args sets the input");
    let report = read_results(input)?;
    let markdown = report.markdown_with(domains);
    write_outputs(options, &report, &markdown, domains)?;
    Ok(Outcome {
        output: markdown,
        failures: Vec::new(),
    })
}

fn read_results(path: &Path) -> Result<Report, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    Report::from_json(&text)
        .map_err(|err| format!("{} is not a results file: {err}", path.display()))
}

/// Writes the files `--json`, `--markdown` and `--html` name.
fn write_outputs(
    options: &Options,
    report: &Report,
    markdown: &str,
    domains: &[Domain],
) -> Result<(), String> {
    let outputs: [(&Option<PathBuf>, &dyn Fn() -> String); 3] = [
        (&options.json, &|| report.to_json()),
        (&options.markdown, &|| markdown.to_owned()),
        (&options.html, &|| report.html_with(domains)),
    ];
    for (path, contents) in outputs {
        if let Some(path) = path {
            write_file(path, &contents())
                .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
            print_stderr(&format!("wrote {}", path.display()));
        }
    }
    Ok(())
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
    match run(&options, &arsenal_bench::domains(), &mut Progress::stderr()) {
        Ok(outcome) => {
            print_stdout(&outcome.output);
            if outcome.failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                if options.mode != Mode::Verify {
                    for line in &outcome.failures {
                        print_stderr(line);
                    }
                }
                print_stderr(&format!(
                    "arsenal-bench: {} failure(s); see above",
                    outcome.failures.len()
                ));
                ExitCode::FAILURE
            }
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

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    /// A self-test domain: never registered by the real binary. `selftest/sum/4k/*`
    /// are right, `selftest/sum/huge/raw:sum` failed its setup, and
    /// `selftest/wrong/4k/raw:sum` returns a wrong result.
    fn register_selftest(reg: &mut Registry, _data: Option<&Path>) {
        let numbers: Vec<u64> = (0..4096).collect();
        let bytes = (numbers.len() * 8) as u64;
        let sum: u64 = numbers.iter().sum();
        for imp in ["arsenal:sum", "raw:sum", "peer:iter"] {
            let numbers = numbers.clone();
            reg.add(
                Case::new("selftest", "sum", "4k", imp, bytes, 4096, move || {
                    numbers.iter().sum()
                })
                .expect(sum),
            );
        }
        reg.add(Case::failed(
            "selftest",
            "sum",
            "huge",
            "raw:sum",
            "not generated",
        ));
        reg.add(
            Case::new("selftest", "count", "4k", "peer:iter", 0, 4096, || {
                (0..4096u64)
                    .filter(|n| std::hint::black_box(*n) % 3 == 0)
                    .count() as u64
            })
            .expect(1366),
        );
        reg.add(Case::unsupported(
            "selftest",
            "count",
            "4k",
            "raw:none",
            "no count operation",
        ));
    }

    fn register_wrong(reg: &mut Registry, _data: Option<&Path>) {
        reg.add(Case::new("wrong", "sum", "4k", "raw:sum", 8, 1, || 41).expect(42));
        reg.add(Case::new("wrong", "sum", "4k", "peer:sum", 8, 1, || 42).expect(42));
    }

    fn idle_memory() -> Vec<MemoryRow> {
        vec![MemoryRow {
            domain: "selftest".into(),
            dataset: "idle".into(),
            what: "idle thing".into(),
            imp: "arsenal:sum".into(),
            items: 10,
            bytes_per_item: Some(64.0),
        }]
    }

    const SELFTEST: Domain = Domain {
        name: "selftest",
        title: "Self-test",
        register: register_selftest,
        memory: Memory::After(idle_memory),
        reads_data: true,
        extras: || {
            vec![arsenal_bench::machine::Extra {
                domain: "selftest".into(),
                name: "Answer".into(),
                value: Some(42.0),
                unit: "units".into(),
                how: "asked".into(),
            }]
        },
        ..Domain::EMPTY
    };

    /// Registers a `selftest` cell: a domain that is not its own.
    const STRAY: Domain = Domain {
        name: "stray",
        title: "A domain registering another's cell",
        register: |reg, _data| {
            reg.add(Case::new("selftest", "sum", "1", "raw:sum", 8, 1, || 1).expect(1));
        },
        ..Domain::EMPTY
    };

    const WRONG: Domain = Domain {
        name: "wrong",
        title: "A domain with a wrong cell",
        register: register_wrong,
        memory: Memory::Before(Vec::new),
        ..Domain::EMPTY
    };

    fn smoke_options() -> Options {
        Options {
            profile: Profile {
                name: "test",
                warmup: Duration::from_millis(1),
                samples: 3,
                min_sample: Duration::from_micros(100),
            },
            ..Options::default()
        }
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
        assert_eq!(options.mode, Mode::List);
        assert!(!options.help);

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
        assert_eq!(parse_args(args(&["--verify"])).unwrap().mode, Mode::Verify);
        assert!(parse_args(args(&["--no-data"])).unwrap().no_data);
        assert!(parse_args(args(&["--large"])).unwrap().large);
        assert!(!parse_args(args(&[])).unwrap().large);
        assert!(parse_args(args(&["--no-data", "--data", "/tmp"]))
            .unwrap_err()
            .contains("cannot be combined"));
        let render = parse_args(args(&["--render", "r.json", "--markdown", "r.md"])).unwrap();
        assert_eq!(
            (render.mode, render.input),
            (Mode::Render, Some(PathBuf::from("r.json")))
        );
        let table = parse_args(args(&["--strategy-table=r.json"])).unwrap();
        assert_eq!(table.mode, Mode::StrategyTable);
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
        assert!(parse_args(args(&["--verify", "--list"]))
            .unwrap_err()
            .contains("cannot be combined"));
        assert!(parse_args(args(&["--render"]))
            .unwrap_err()
            .contains("needs a value"));
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
        let listed = run(&options, &[SELFTEST], &mut Progress::hidden()).unwrap();
        assert_eq!(
            listed.output,
            "selftest/sum/4k/raw:sum\nselftest/sum/4k/peer:iter\n"
        );

        options.filter = Some("(".to_owned());
        let err = run(&options, &[SELFTEST], &mut Progress::hidden()).unwrap_err();
        assert!(err.contains("invalid --filter"), "{err}");

        options.mode = Mode::Run;
        options.filter = Some("no-such-cell".to_owned());
        let err = run(&options, &[SELFTEST], &mut Progress::hidden()).unwrap_err();
        assert!(err.contains("no benchmark cell matches"), "{err}");

        // A domain registering a cell under another domain's name is refused (the real
        // domains pass this check in every `--verify`, which registers all of them).
        options.mode = Mode::List;
        options.filter = None;
        let err = run(&options, &[SELFTEST, STRAY], &mut Progress::hidden()).unwrap_err();
        assert!(
            err.contains("domain stray registered a cell of another domain: selftest/"),
            "{err}"
        );
        // The real binary compiles in no test domain.
        assert!(arsenal_bench::domains()
            .iter()
            .all(|d| !["selftest", "wrong", "stray"].contains(&d.name)));
    }

    #[test]
    fn domains_are_chosen_by_name_or_by_data() {
        let list = |extra: &[&str]| {
            let mut all = vec!["--list"];
            all.extend_from_slice(extra);
            let options = parse_args(args(&all)).unwrap();
            run(&options, &[SELFTEST, WRONG], &mut Progress::hidden()).map(|o| o.output)
        };
        assert_eq!(list(&[]).unwrap().lines().count(), 8);
        assert_eq!(
            list(&["--domain", "wrong"]).unwrap(),
            "wrong/sum/4k/raw:sum\nwrong/sum/4k/peer:sum\n"
        );
        assert_eq!(
            list(&["--domain=wrong,selftest"]).unwrap().lines().count(),
            8
        );
        let err = list(&["--domain", "json"]).unwrap_err();
        assert!(
            err.contains("no domain \"json\" in this build (it has: selftest, wrong)"),
            "{err}"
        );
        // Only SELFTEST reads the data directory.
        assert_eq!(list(&["--data-domains"]).unwrap().lines().count(), 6);
        assert_eq!(list(&["--data-domains", "--domain", "wrong"]).unwrap(), "");
        // Shards split the selected domains between them, each domain exactly once.
        assert_eq!(list(&["--shard", "1/2"]).unwrap().lines().count(), 6);
        assert_eq!(
            list(&["--shard=2/2"]).unwrap(),
            "wrong/sum/4k/raw:sum\nwrong/sum/4k/peer:sum\n"
        );
        assert_eq!(list(&["--shard", "1/1"]).unwrap().lines().count(), 8);
        assert_eq!(list(&["--shard", "3/3"]).unwrap(), "");
        assert_eq!(
            list(&["--domain", "wrong", "--shard", "1/2"])
                .unwrap()
                .lines()
                .count(),
            2
        );
        for bad in ["0/2", "3/2", "2", "a/b", "1/0"] {
            let err = parse_args(args(&["--shard", bad])).unwrap_err();
            assert!(err.contains("expected K/N"), "{bad}: {err}");
        }
        // The real build: json, compress and cache read ../shared/data.
        let readers: Vec<&str> = arsenal_bench::domains()
            .iter()
            .filter(|d| d.reads_data)
            .map(|d| d.name)
            .collect();
        for name in ["json", "compress", "cache"] {
            assert_eq!(
                readers.contains(&name),
                arsenal_bench::domains().iter().any(|d| d.name == name),
                "{name}"
            );
        }
    }

    #[test]
    fn end_to_end_writes_all_reports() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("bench-results");
        let options = Options {
            json: Some(out.join("results.json")),
            markdown: Some(out.join("report.md")),
            html: Some(out.join("nested/report.html")),
            ..smoke_options()
        };
        let outcome = run(&options, &[SELFTEST], &mut Progress::hidden()).unwrap();
        let markdown = outcome.output;
        assert_eq!(
            outcome.failures,
            ["FAILED selftest/sum/huge/raw:sum: not generated"]
        );

        assert!(markdown.contains("## Self-test (`selftest`)"), "{markdown}");
        assert!(
            markdown.contains("### selftest / sum — GB/s, higher is better"),
            "{markdown}"
        );
        assert!(markdown.contains("| impl | 4k | huge |"), "{markdown}");
        assert!(markdown.contains("| raw:sum |") && markdown.contains("| **FAILED** |"));
        assert!(markdown.contains("| arsenal/raw sum |"));
        assert!(markdown.contains("### selftest / count — items/s, higher is better"));
        assert!(markdown.contains("- selftest/sum/huge/raw:sum: FAILED — not generated"));
        assert!(markdown.contains("- selftest/count/4k/raw:none: unsupported — no count operation"));
        assert!(markdown.contains("### selftest/memory/idle — bytes per idle thing"));
        assert!(markdown.contains("- **Answer**: 42.0 units (asked)"));
        assert!(markdown.contains("## Summary"));
        assert_eq!(
            std::fs::read_to_string(out.join("report.md")).unwrap(),
            markdown
        );

        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap())
                .unwrap();
        assert_eq!(json["machine"]["profile"], "test");
        assert_eq!(json["machine"]["extras"][0]["value"], 42.0);
        assert_eq!(json["memory"][0]["bytes_per_item"], 64.0);
        let results = json["results"].as_array().unwrap();
        assert_eq!(results.len(), 6);
        let sum: u64 = (0..4096).sum();
        assert_eq!(results[0]["id"], "selftest/sum/4k/arsenal:sum");
        assert_eq!(results[0]["checksum"], sum);
        assert_eq!(results[0]["runs"], 3);
        assert_eq!(results[0]["status"], "ok");
        assert!(results[0]["gbps"].as_f64().unwrap() > 0.0);
        assert_eq!(results[3]["error"], "not generated");
        assert_eq!(results[3]["status"], "FAILED");
        assert!(results[4]["gbps"].is_null());
        assert_eq!(results[5]["status"], "unsupported");

        let html = std::fs::read_to_string(out.join("nested/report.html")).unwrap();
        assert!(html.contains("<svg") && !html.contains("<script"));

        // --render gives the same Markdown from the saved file.
        let render = Options {
            mode: Mode::Render,
            input: Some(out.join("results.json")),
            html: Some(out.join("rendered.html")),
            ..Options::default()
        };
        let rendered = run(&render, &[SELFTEST], &mut Progress::hidden()).unwrap();
        assert_eq!(rendered.output, markdown);
        assert!(rendered.failures.is_empty());
        assert_eq!(
            std::fs::read_to_string(out.join("rendered.html")).unwrap(),
            html
        );
        let missing = Options {
            input: Some(out.join("missing.json")),
            ..render
        };
        assert!(run(&missing, &[SELFTEST], &mut Progress::hidden())
            .unwrap_err()
            .contains("cannot read"));
    }

    #[test]
    fn a_wrong_cell_fails_the_timed_run_and_is_not_timed() {
        let options = smoke_options();
        let outcome = run(&options, &[WRONG], &mut Progress::hidden()).unwrap();
        assert_eq!(
            outcome.failures,
            ["FAILED wrong/sum/4k/raw:sum: result 41 differs from the expected 42"]
        );
        assert!(
            outcome.output.contains("| raw:sum | **FAILED** |"),
            "{}",
            outcome.output
        );
        assert!(outcome
            .output
            .contains("- wrong/sum/4k/raw:sum: FAILED — result 41 differs from the expected 42"));
    }

    #[test]
    fn verify_counts_per_domain_and_names_failures() {
        let dir = tempfile::tempdir().unwrap();
        let options = Options {
            mode: Mode::Verify,
            json: Some(dir.path().join("verify.json")),
            ..Options::default()
        };
        let outcome = run(&options, &[SELFTEST, WRONG], &mut Progress::hidden()).unwrap();
        let text = &outcome.output;
        assert!(
            text.contains("selftest  4 verified, 1 unsupported, 1 FAILED\n"),
            "{text}"
        );
        assert!(
            text.contains("wrong     1 verified, 0 unsupported, 1 FAILED\n"),
            "{text}"
        );
        assert!(text.contains("FAILED selftest/sum/huge/raw:sum: not generated\n"));
        assert!(
            text.contains("FAILED wrong/sum/4k/raw:sum: result 41 differs from the expected 42\n")
        );
        assert!(
            text.contains("selftest  memory: 1 rows, all finite\n"),
            "{text}"
        );
        // WRONG measures no memory rows although it declares some: a failure.
        assert!(text.contains("FAILED wrong/memory: the domain measured no memory rows"));
        assert!(text.ends_with("verify: 8 cells: 5 verified, 1 unsupported, 2 FAILED\n"));
        assert_eq!(outcome.failures.len(), 3);

        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join("verify.json")).unwrap())
                .unwrap();
        assert_eq!(json["machine"]["profile"], "verify");
        assert_eq!(json["results"][0]["status"], "verified");
        assert!(json["results"][0]["median_ns"].is_null());

        // A clean domain passes; the filter limits which domains run.
        let clean = Options {
            filter: Some("^selftest/sum/4k/".to_owned()),
            mode: Mode::Verify,
            ..Options::default()
        };
        let outcome = run(&clean, &[SELFTEST, WRONG], &mut Progress::hidden()).unwrap();
        assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
        assert!(outcome
            .output
            .ends_with("verify: 3 cells: 3 verified, 0 unsupported, 0 FAILED\n"));
    }

    #[test]
    fn memory_values_must_be_finite() {
        let row = |bytes| MemoryRow {
            domain: "d".into(),
            dataset: "s".into(),
            what: "w".into(),
            imp: "raw:x".into(),
            items: 1,
            bytes_per_item: bytes,
        };
        assert!(memory_problems("d", &[row(Some(1.0))]).is_empty());
        assert_eq!(
            memory_problems("d", &[row(None), row(Some(f64::NAN))]).len(),
            2
        );
        assert_eq!(memory_problems("d", &[]).len(), 1);
        assert_eq!(
            memory_problems("d", &[row(None)]),
            ["FAILED d/memory/s/raw:x: bytes per item is None"]
        );
    }

    #[test]
    fn the_filter_selects_memory_rows_by_id() {
        // Only memory rows: no cell matches, the domain's memory does.
        let options = Options {
            filter: Some("/memory/".to_owned()),
            ..smoke_options()
        };
        let outcome = run(&options, &[SELFTEST, WRONG], &mut Progress::hidden()).unwrap();
        assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
        assert!(outcome
            .output
            .contains("### selftest/memory/idle — bytes per idle thing"));
        assert!(!outcome.output.contains("### selftest / sum"));
        // A cell filter that names no memory row keeps none.
        let options = Options {
            filter: Some("^selftest/sum/4k/".to_owned()),
            ..smoke_options()
        };
        let outcome = run(&options, &[SELFTEST], &mut Progress::hidden()).unwrap();
        assert!(
            !outcome.output.contains("selftest/memory"),
            "{}",
            outcome.output
        );
        // An implementation's name keeps its memory rows too.
        let options = Options {
            filter: Some("arsenal:sum".to_owned()),
            ..smoke_options()
        };
        let outcome = run(&options, &[SELFTEST], &mut Progress::hidden()).unwrap();
        assert!(outcome.output.contains("### selftest/memory/idle — "));
        // --verify checks the kept rows only.
        let verify = Options {
            mode: Mode::Verify,
            filter: Some("^(selftest|wrong)/memory/".to_owned()),
            ..Options::default()
        };
        let outcome = run(&verify, &[SELFTEST, WRONG], &mut Progress::hidden()).unwrap();
        assert!(outcome
            .output
            .contains("selftest  memory: 1 rows, all finite\n"));
        assert_eq!(
            outcome.failures,
            ["FAILED wrong/memory: the domain measured no memory rows"]
        );
        // Nothing at all: an error.
        let none = Options {
            filter: Some("^nothing/".to_owned()),
            ..smoke_options()
        };
        assert!(run(&none, &[SELFTEST], &mut Progress::hidden())
            .unwrap_err()
            .contains("no benchmark cell matches"));
    }
}
