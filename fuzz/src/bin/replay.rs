//! Replays corpus and crash files through the fuzz properties on a stable toolchain,
//! without libFuzzer: `cargo run --bin replay -- [--target NAME]... [PATH]...`.
//!
//! PATHs are files or directories (searched recursively); every input found goes through
//! every selected target's property (default: all). With no PATH, each target replays
//! its own files: its domain's corpus (`fuzz/corpus/json` for `json_*` targets,
//! `fuzz/corpus/http` for `http_*`) and its crash, leak, timeout and oom files
//! (`fuzz/artifacts/<target>/`).
//! Exits 0 when every input passes, 1 when one fails (each failure is reported and the
//! replay goes on), 2 on a usage error or when there is nothing to replay.
//!
//! `replay --seed-http DIR` writes the HTTP seed inputs
//! ([`arsenal_fuzz::http_seeds`]) into DIR (what `scripts/fuzz` seeds `fuzz/corpus/http`
//! with) and exits; `--seed-compress DIR` and `--seed-int DIR` do the same with
//! [`arsenal_fuzz::compress::compress_seeds`] (`fuzz/corpus/compress`) and
//! [`arsenal_fuzz::compress::int_seeds`] (`fuzz/corpus/int`); `--seed-ml DIR` with
//! [`arsenal_fuzz::ml::ml_seeds`] (`fuzz/corpus/ml`); `--seed-audio DIR` with
//! [`arsenal_fuzz::audio::audio_seeds`] (`fuzz/corpus/audio`); `--seed-video DIR` with
//! [`arsenal_fuzz::video::video_seeds`] (`fuzz/corpus/video`); `--seed-crypto DIR` with
//! [`arsenal_fuzz::crypto::crypto_seeds`] (`fuzz/corpus/crypto`); `--seed-filter DIR` with
//! [`arsenal_fuzz::filter::filter_seeds`] (`fuzz/corpus/filter`); `--seed-cache DIR` with
//! [`arsenal_fuzz::cache::cache_seeds`] (`fuzz/corpus/cache`); `--seed-sketch DIR` with
//! [`arsenal_fuzz::sketch::sketch_seeds`] (`fuzz/corpus/sketch`); `--seed-bitmap DIR` with
//! [`arsenal_fuzz::bitmap::bitmap_seeds`] (`fuzz/corpus/bitmap`); `--seed-csv DIR` with
//! [`arsenal_fuzz::csv::csv_seeds`] (`fuzz/corpus/csv`).
#![forbid(unsafe_code)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Panic messages can embed whole inputs; keep reports readable.
const MAX_MESSAGE: usize = 1500;

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
        "usage: replay [--target NAME]... [PATH]...\n       replay --seed-http|--seed-compress|--seed-int|--seed-ml|--seed-audio|--seed-video|--seed-crypto|--seed-filter|--seed-cache|--seed-sketch|--seed-bitmap|--seed-csv DIR\n  targets: {}\n  default PATHs: each target's fuzz/corpus/<domain> and fuzz/artifacts/<target>",
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
            Some("--seed-http") => {
                let dir = PathBuf::from(args.next().ok_or_else(usage)?);
                return write_seeds(&dir, "HTTP", arsenal_fuzz::http_seeds()).map(|()| true);
            }
            Some("--seed-compress") => {
                let dir = PathBuf::from(args.next().ok_or_else(usage)?);
                let seeds = arsenal_fuzz::compress::compress_seeds();
                return write_seeds(&dir, "compression", seeds).map(|()| true);
            }
            Some("--seed-int") => {
                let dir = PathBuf::from(args.next().ok_or_else(usage)?);
                let seeds = arsenal_fuzz::compress::int_seeds();
                return write_seeds(&dir, "integer codec", seeds).map(|()| true);
            }
            Some("--seed-audio") => {
                let dir = PathBuf::from(args.next().ok_or_else(usage)?);
                return write_seeds(&dir, "audio", arsenal_fuzz::audio::audio_seeds())
                    .map(|()| true);
            }
            Some("--seed-video") => {
                let dir = PathBuf::from(args.next().ok_or_else(usage)?);
                return write_seeds(&dir, "video", arsenal_fuzz::video::video_seeds())
                    .map(|()| true);
            }
            Some("--seed-filter") => {
                let dir = PathBuf::from(args.next().ok_or_else(usage)?);
                return write_seeds(&dir, "filter", arsenal_fuzz::filter::filter_seeds())
                    .map(|()| true);
            }
            Some("--seed-bitmap") => {
                let dir = PathBuf::from(args.next().ok_or_else(usage)?);
                return write_seeds(&dir, "bitmap", arsenal_fuzz::bitmap::bitmap_seeds())
                    .map(|()| true);
            }
            Some("--seed-csv") => {
                let dir = PathBuf::from(args.next().ok_or_else(usage)?);
                return write_seeds(&dir, "CSV", arsenal_fuzz::csv::csv_seeds()).map(|()| true);
            }
            Some("--seed-sketch") => {
                let dir = PathBuf::from(args.next().ok_or_else(usage)?);
                return write_seeds(&dir, "sketch", arsenal_fuzz::sketch::sketch_seeds())
                    .map(|()| true);
            }
            Some("--seed-cache") => {
                let dir = PathBuf::from(args.next().ok_or_else(usage)?);
                return write_seeds(&dir, "cache", arsenal_fuzz::cache::cache_seeds())
                    .map(|()| true);
            }
            #[cfg(feature = "crypto")]
            Some("--seed-crypto") => {
                let dir = PathBuf::from(args.next().ok_or_else(usage)?);
                return write_seeds(&dir, "cryptography", arsenal_fuzz::crypto::crypto_seeds())
                    .map(|()| true);
            }
            Some("--seed-ml") => {
                let dir = PathBuf::from(args.next().ok_or_else(usage)?);
                return write_seeds(&dir, "CPU inference", arsenal_fuzz::ml::ml_seeds())
                    .map(|()| true);
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
    // Each target's inputs: the PATHs given, or its own corpus and artifacts.
    let fuzz_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut plan = Vec::new();
    for (name, property) in &targets {
        let dirs = if paths.is_empty() {
            let domain = name.split('_').next().unwrap_or(name);
            [
                fuzz_dir.join("corpus").join(domain),
                fuzz_dir.join("artifacts").join(name),
            ]
            .into_iter()
            .filter(|d| d.exists())
            .collect()
        } else {
            paths.clone()
        };
        let mut files = Vec::new();
        for path in &dirs {
            collect_files(path, &mut files).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        files.sort();
        files.dedup();
        plan.push((name.clone(), *property, files));
    }
    if plan.iter().all(|(_, _, files)| files.is_empty()) {
        return Err(format!(
            "nothing to replay in {} (run scripts/fuzz --seed to seed fuzz/corpus)",
            if paths.is_empty() {
                "fuzz/corpus and fuzz/artifacts".to_owned()
            } else {
                format!("{paths:?}")
            }
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
    let mut inputs = 0usize;
    let mut bytes = 0u64;
    let mut failures = Vec::new();
    let mut per_target = Vec::new();
    for (name, property, files) in &plan {
        let mut spent = Duration::ZERO;
        for file in files {
            let input = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
            inputs += 1;
            bytes += input.len() as u64;
            let t = Instant::now();
            let ok = catch_unwind(AssertUnwindSafe(|| property(&input))).is_ok();
            spent += t.elapsed();
            if !ok {
                let why = LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()).take();
                eprintln!("FAIL {name} {}", file.display());
                eprintln!("  panicked at {}", why.unwrap_or_default());
                failures.push(format!("{name} {}", file.display()));
            }
        }
        per_target.push(format!(
            "{name} {} files {:.2}s",
            files.len(),
            spent.as_secs_f64()
        ));
    }
    let elapsed = start.elapsed();

    println!(
        "replay: {inputs} inputs ({bytes} bytes) over {} targets in {:.2}s ({}): {} failed",
        plan.len(),
        elapsed.as_secs_f64(),
        per_target.join(", "),
        failures.len()
    );
    for f in &failures {
        println!("  failed: {f}");
    }
    Ok(failures.is_empty())
}

/// Writes `seeds` into `dir` (created if needed), one file each.
fn write_seeds(dir: &Path, what: &str, seeds: Vec<(String, Vec<u8>)>) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (name, bytes) in &seeds {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    println!(
        "replay: wrote {} {what} seeds to {}",
        seeds.len(),
        dir.display()
    );
    Ok(())
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
