//! Replays corpus and crash files through the fuzz properties on a stable toolchain,
//! without libFuzzer: `cargo run --bin replay -- [--target NAME]... [PATH]...`.
//!
//! PATHs are files or directories (searched recursively). With none, replays
//! `fuzz/corpus/` and `fuzz/artifacts/` (every target's crash, leak, timeout and oom
//! files). With no `--target`, every input goes through every target's property.
//! Exits 0 when every input passes, 1 when one fails (each failure is reported and the
//! replay goes on), 2 on a usage error or when there is nothing to replay.
#![forbid(unsafe_code)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Panic messages can embed whole inputs; keep reports readable.
const MAX_MESSAGE: usize = 600;

/// The message of the last panic, set by the panic hook.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(msg) => {
            eprintln!("replay: {msg}");
            ExitCode::from(2)
        }
    }
}

fn usage() -> String {
    let names: Vec<_> = arsenal_fuzz::TARGETS.iter().map(|(n, _)| *n).collect();
    format!(
        "usage: replay [--target NAME]... [PATH]...\n  targets: {}\n  default PATHs: fuzz/corpus fuzz/artifacts",
        names.join(", ")
    )
}

fn run() -> Result<bool, String> {
    let mut targets = Vec::new();
    let mut paths = Vec::new();
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("-h" | "--help") => {
                println!("{}", usage());
                return Ok(true);
            }
            Some("--target" | "-t") => {
                let name = args.next().ok_or_else(usage)?;
                let name = name.to_string_lossy().into_owned();
                let property = arsenal_fuzz::property(&name)
                    .ok_or_else(|| format!("unknown target {name:?}\n{}", usage()))?;
                targets.push((name, property));
            }
            Some(s) if s.starts_with('-') => {
                return Err(format!("unknown option {s}\n{}", usage()))
            }
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    if targets.is_empty() {
        targets = arsenal_fuzz::TARGETS
            .iter()
            .map(|&(n, p)| (n.to_owned(), p))
            .collect();
    }
    if paths.is_empty() {
        let fuzz_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        paths = ["corpus", "artifacts"]
            .iter()
            .map(|d| fuzz_dir.join(d))
            .filter(|d| d.exists())
            .collect();
    }

    let mut files = Vec::new();
    for path in &paths {
        collect_files(path, &mut files).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    files.sort();
    files.dedup();
    if files.is_empty() {
        return Err(format!(
            "nothing to replay in {:?} (run scripts/fuzz to seed fuzz/corpus/json)",
            paths
        ));
    }

    // Keep each panic's message (shortened: messages can embed whole inputs) and print
    // it under the FAIL line of its input, instead of the default hook's report.
    std::panic::set_hook(Box::new(|info| {
        let mut msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(non-string panic payload)".to_owned());
        if msg.len() > MAX_MESSAGE {
            let mut end = MAX_MESSAGE;
            while !msg.is_char_boundary(end) {
                end -= 1;
            }
            msg.truncate(end);
            msg.push_str(" [...]");
        }
        let at = info.location().map(|l| l.to_string()).unwrap_or_default();
        *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some(format!("{at}: {msg}"));
    }));

    let start = Instant::now();
    let mut bytes = 0u64;
    let mut failures = Vec::new();
    let mut per_target = vec![Duration::ZERO; targets.len()];
    for file in &files {
        let input = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
        bytes += input.len() as u64;
        for ((name, property), spent) in targets.iter().zip(&mut per_target) {
            let t = Instant::now();
            let ok = catch_unwind(AssertUnwindSafe(|| property(&input))).is_ok();
            *spent += t.elapsed();
            if !ok {
                let why = LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()).take();
                eprintln!("FAIL {name} {}", file.display());
                eprintln!("  panicked at {}", why.unwrap_or_default());
                failures.push(format!("{name} {}", file.display()));
            }
        }
    }
    let elapsed = start.elapsed();

    let timings: Vec<_> = targets
        .iter()
        .zip(&per_target)
        .map(|((n, _), d)| format!("{n} {:.2}s", d.as_secs_f64()))
        .collect();
    println!(
        "replay: {} files ({} bytes) x {} targets in {:.2}s ({}): {} failed",
        files.len(),
        bytes,
        targets.len(),
        elapsed.as_secs_f64(),
        timings.join(", "),
        failures.len()
    );
    for f in &failures {
        println!("  failed: {f}");
    }
    Ok(failures.is_empty())
}

/// Every regular file under `path` (or `path` itself), skipping hidden files found
/// while walking a directory (editor or tool droppings; a hidden file named explicitly
/// is replayed).
fn collect_files(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        for entry in std::fs::read_dir(path)? {
            let entry = entry?.path();
            let hidden = entry
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if !hidden {
                collect_files(&entry, out)?;
            }
        }
    } else if meta.is_file() {
        out.push(path.to_owned());
    }
    Ok(())
}
