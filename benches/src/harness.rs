//! Cases, the registry, timing and the progress display.
//!
//! Timing works in three steps per case:
//! 1. **Warm-up**, time based: the closure runs in doubling batches until the profile's
//!    warm-up time has passed, which also estimates the time of one iteration.
//! 2. **Calibration**: the batch size is chosen so one sample lasts at least the
//!    profile's minimum sample time (and is re-scaled after each sample if the estimate
//!    was off), so clock overhead stays negligible even for nanosecond closures.
//! 3. **Samples**: each timed sample runs one batch and records nanoseconds per
//!    iteration; the report gives the median, minimum and maximum over samples.
//!
//! **Interleaving.** The cells compared with each other in one report row, i.e. the
//! cases sharing (domain, op, dataset), are timed as a group: every case of the group is
//! warmed up and calibrated first, then the samples are taken round-robin, one sample
//! of each case per round, the starting case rotating from round to round. Throughput
//! on a shared machine drifts over seconds (frequency, neighbours); interleaving makes
//! that drift hit every implementation of a row alike, so ratios such as `arsenal/raw`
//! are not skewed by *when* each cell happened to run. Groups run one after another in
//! the order their first case was registered; [`measure`] and [`run_case`] time a
//! single closure or case on its own (a group of one).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hint::black_box;
use std::io::{self, IsTerminal, Write};
use std::panic::{self, AssertUnwindSafe};
use std::time::{Duration, Instant};

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::report::Unit;

/// One iteration of a benchmark cell; returns a checksum of the work done, which the
/// harness passes through [`black_box`] (so the work cannot be optimised away) and
/// records.
pub type RunFn = Box<dyn FnMut() -> u64>;

/// One cell of the matrix: an implementation doing an operation on a dataset.
///
/// ```
/// use arsenal_bench::harness::Case;
///
/// let input = b"[1,2,3]".to_vec();
/// let case = Case::new("json", "parse", "tiny", "peer:std", input.len() as u64, 1, move || {
///     input.iter().map(|&b| u64::from(b)).sum()
/// });
/// assert_eq!(case.id(), "json/parse/tiny/peer:std");
/// ```
pub struct Case {
    /// Domain, e.g. `json`.
    pub domain: String,
    /// Operation within the domain, e.g. `parse`.
    pub op: String,
    /// Dataset name, e.g. `twitter`.
    pub dataset: String,
    /// Implementation: `arsenal:<lib>`, `raw:<lib>` or `peer:<crate>`.
    pub imp: String,
    /// Bytes processed by one iteration (0 when throughput in bytes makes no sense).
    pub bytes: u64,
    /// Items (documents, records, calls...) processed by one iteration.
    pub items: u64,
    /// One iteration; see [`RunFn`].
    pub run: RunFn,
    /// Why this cell cannot be measured (e.g. the library rejected the dataset). When
    /// set, `run` is never called and the report shows the reason instead of numbers.
    pub error: Option<String>,
    /// Whether `error` is a documented limitation ([`Case::unsupported`]: status
    /// [`Status::Unsupported`]) rather than a failure ([`Case::failed`]: `FAILED`).
    pub unsupported: bool,
    /// The checksum every iteration must return, computed once outside the timing
    /// ([`Case::expect`]).
    pub expected: Option<u64>,
    /// A check run once, after the first iteration and before any timing
    /// ([`Case::verify`]), e.g. comparing decompressed output byte for byte.
    pub check: Option<CheckFn>,
}

/// A verification run once per cell before timing: `Err(reason)` makes the cell
/// `FAILED`.
pub type CheckFn = Box<dyn FnMut() -> Result<(), String>>;

impl Case {
    /// A measurable case.
    ///
    /// ```
    /// let case = arsenal_bench::harness::Case::new("demo", "noop", "none", "peer:std", 0, 1, || 0);
    /// assert!(case.error.is_none());
    /// ```
    pub fn new(
        domain: impl Into<String>,
        op: impl Into<String>,
        dataset: impl Into<String>,
        imp: impl Into<String>,
        bytes: u64,
        items: u64,
        run: impl FnMut() -> u64 + 'static,
    ) -> Case {
        Case {
            domain: domain.into(),
            op: op.into(),
            dataset: dataset.into(),
            imp: imp.into(),
            bytes,
            items,
            run: Box::new(run),
            error: None,
            unsupported: false,
            expected: None,
            check: None,
        }
    }

    /// Sets the checksum every iteration must return. Compute it once, outside the
    /// timing, from a reference (another implementation, the input itself, a count
    /// known from the data); a cell whose first iteration returns anything else is
    /// reported `FAILED` and not timed (rebar's rule).
    ///
    /// ```
    /// use arsenal_bench::harness::{run_case, Case, Profile, Status};
    ///
    /// let ok = Case::new("d", "sum", "s", "peer:x", 0, 1, || 6).expect(6);
    /// assert_eq!(run_case(ok, &Profile::smoke()).status, Status::Ok);
    /// let wrong = Case::new("d", "sum", "s", "peer:y", 0, 1, || 7).expect(6);
    /// let row = run_case(wrong, &Profile::smoke());
    /// assert_eq!(row.status, Status::Failed);
    /// assert!(row.median_ns.is_none());
    /// ```
    #[must_use]
    pub fn expect(mut self, checksum: u64) -> Case {
        self.expected = Some(checksum);
        self
    }

    /// Adds a check run once after the first iteration and before any timing; an
    /// `Err(reason)` makes the cell `FAILED` (not timed). Use it where the result is
    /// more than a number: output bytes compared with the input, a round trip through
    /// a reference decoder.
    ///
    /// ```
    /// use arsenal_bench::harness::{run_case, Case, Profile, Status};
    ///
    /// let case = Case::new("d", "copy", "s", "peer:x", 4, 1, || 4)
    ///     .verify(|| Err("byte 2 differs".to_owned()));
    /// let row = run_case(case, &Profile::smoke());
    /// assert_eq!(row.status, Status::Failed);
    /// assert!(row.error.unwrap().contains("byte 2 differs"));
    /// ```
    #[must_use]
    pub fn verify(mut self, check: impl FnMut() -> Result<(), String> + 'static) -> Case {
        self.check = Some(Box::new(check));
        self
    }

    /// A cell this implementation cannot run by design (a documented limitation, e.g.
    /// a library without that operation): reported as `unsupported` with `reason`,
    /// never timed, and not a failure.
    ///
    /// ```
    /// use arsenal_bench::harness::{Case, Status, run_case, Profile};
    ///
    /// let case = Case::unsupported("compress", "stream", "x", "arsenal:libdeflate", "no streaming API");
    /// assert_eq!(run_case(case, &Profile::smoke()).status, Status::Unsupported);
    /// ```
    pub fn unsupported(
        domain: impl Into<String>,
        op: impl Into<String>,
        dataset: impl Into<String>,
        imp: impl Into<String>,
        reason: impl Into<String>,
    ) -> Case {
        Case {
            unsupported: true,
            ..Case::failed(domain, op, dataset, imp, reason)
        }
    }

    /// A case whose setup failed for this implementation: `FAILED` in every report,
    /// with `reason` in place of numbers (use [`Case::unsupported`] for a documented
    /// limitation).
    ///
    /// ```
    /// use arsenal_bench::harness::Case;
    ///
    /// let case = Case::failed("json", "parse", "canada", "raw:yyjson", "rejected: depth limit");
    /// assert_eq!(case.error.as_deref(), Some("rejected: depth limit"));
    /// ```
    pub fn failed(
        domain: impl Into<String>,
        op: impl Into<String>,
        dataset: impl Into<String>,
        imp: impl Into<String>,
        reason: impl Into<String>,
    ) -> Case {
        Case {
            error: Some(reason.into()),
            ..Case::new(domain, op, dataset, imp, 0, 0, || 0)
        }
    }

    /// The cell id, `domain/op/dataset/impl`.
    ///
    /// ```
    /// let case = arsenal_bench::harness::Case::new("json", "parse", "twitter", "raw:simdjson", 0, 1, || 0);
    /// assert_eq!(case.id(), "json/parse/twitter/raw:simdjson");
    /// ```
    pub fn id(&self) -> String {
        cell_id(&self.domain, &self.op, &self.dataset, &self.imp)
    }
}

impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Case")
            .field("id", &self.id())
            .field("bytes", &self.bytes)
            .field("items", &self.items)
            .field("error", &self.error)
            .field("expected", &self.expected)
            .field("check", &self.check.is_some())
            .finish_non_exhaustive()
    }
}

/// Whether this run asked for the 10⁷-item datasets (`--large`).
static LARGE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether domains should register their 10⁷-item datasets (`arsenal-bench --large`):
/// memory-bound rows that take seconds per iteration, so they are opt-in. Their cells are
/// verified like every other (once, before timing, or by `--verify --large`).
pub fn large() -> bool {
    LARGE.load(std::sync::atomic::Ordering::Relaxed)
}

/// Sets what [`large`] answers; `arsenal-bench` calls it once from `--large` before the
/// domains register.
pub fn set_large(on: bool) {
    LARGE.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// Formats a cell id: `domain/op/dataset/impl`.
///
/// ```
/// assert_eq!(arsenal_bench::harness::cell_id("a", "b", "c", "peer:d"), "a/b/c/peer:d");
/// ```
pub fn cell_id(domain: &str, op: &str, dataset: &str, imp: &str) -> String {
    format!("{domain}/{op}/{dataset}/{imp}")
}

/// The kind of an implementation, from the prefix of its name. The derived order is the
/// column order of the reports.
///
/// ```
/// use arsenal_bench::harness::ImplKind;
///
/// assert_eq!(ImplKind::of("arsenal:simdjson"), ImplKind::Arsenal);
/// assert_eq!(ImplKind::of("peer:serde_json"), ImplKind::Peer);
/// assert!(ImplKind::Arsenal < ImplKind::Raw && ImplKind::Raw < ImplKind::Peer);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ImplKind {
    /// `arsenal:<lib>`: the C library through our wrapper.
    Arsenal,
    /// `raw:<lib>`: the same C library called directly.
    Raw,
    /// `peer:<crate>`: a pure-Rust alternative.
    Peer,
    /// Anything without one of the prefixes above.
    Other,
}

impl ImplKind {
    /// Classifies an implementation name by its prefix.
    ///
    /// ```
    /// assert_eq!(arsenal_bench::harness::ImplKind::of("raw:yyjson"), arsenal_bench::harness::ImplKind::Raw);
    /// ```
    pub fn of(imp: &str) -> ImplKind {
        match imp.split_once(':').map(|(kind, _)| kind) {
            Some("arsenal") => ImplKind::Arsenal,
            Some("raw") => ImplKind::Raw,
            Some("peer") => ImplKind::Peer,
            _ => ImplKind::Other,
        }
    }

    /// The lowercase prefix (`"arsenal"`, `"raw"`, `"peer"`, `"other"`).
    ///
    /// ```
    /// assert_eq!(arsenal_bench::harness::ImplKind::Peer.name(), "peer");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ImplKind::Arsenal => "arsenal",
            ImplKind::Raw => "raw",
            ImplKind::Peer => "peer",
            ImplKind::Other => "other",
        }
    }
}

/// The library or crate part of an implementation name (after the first `:`).
///
/// ```
/// assert_eq!(arsenal_bench::harness::library_of("arsenal:simdjson"), "simdjson");
/// assert_eq!(arsenal_bench::harness::library_of("plain"), "plain");
/// ```
pub fn library_of(imp: &str) -> &str {
    imp.split_once(':').map_or(imp, |(_, lib)| lib)
}

/// The set of cases to run. Domains add to it; the CLI filters and runs it.
///
/// ```
/// use arsenal_bench::harness::{Case, Registry};
///
/// let mut registry = Registry::new();
/// registry.add(Case::new("demo", "op", "small", "peer:std", 8, 1, || 1));
/// registry.add(Case::new("demo", "op", "large", "peer:std", 8, 1, || 1));
/// registry.retain_matching(&regex::Regex::new("small").unwrap());
/// assert_eq!(registry.ids(), ["demo/op/small/peer:std"]);
/// ```
#[derive(Debug, Default)]
pub struct Registry {
    cases: Vec<Case>,
    ids: HashSet<String>,
}

impl Registry {
    /// An empty registry.
    ///
    /// ```
    /// assert!(arsenal_bench::harness::Registry::new().is_empty());
    /// ```
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Adds a case; cases run and are reported in the order added.
    ///
    /// # Panics
    /// If a case with the same id is already registered: ids key every report, so two
    /// cells with one id are a bug in the domain module.
    ///
    /// ```should_panic
    /// use arsenal_bench::harness::{Case, Registry};
    ///
    /// let mut registry = Registry::new();
    /// registry.add(Case::new("d", "o", "s", "peer:x", 0, 1, || 0));
    /// registry.add(Case::new("d", "o", "s", "peer:x", 0, 1, || 0)); // same id: panics
    /// ```
    pub fn add(&mut self, case: Case) {
        let id = case.id();
        assert!(
            self.ids.insert(id.clone()),
            "benchmark case {id:?} registered twice"
        );
        self.cases.push(case);
    }

    /// Number of cases.
    ///
    /// ```
    /// assert_eq!(arsenal_bench::harness::Registry::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.cases.len()
    }

    /// Whether no case is registered.
    ///
    /// ```
    /// assert!(arsenal_bench::harness::Registry::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    /// The registered cases, in order.
    ///
    /// ```
    /// let registry = arsenal_bench::harness::Registry::new();
    /// assert!(registry.cases().is_empty());
    /// ```
    pub fn cases(&self) -> &[Case] {
        &self.cases
    }

    /// The ids of the registered cases, in order.
    ///
    /// ```
    /// let mut registry = arsenal_bench::harness::Registry::new();
    /// registry.add(arsenal_bench::harness::Case::failed("d", "o", "s", "raw:c", "absent"));
    /// assert_eq!(registry.ids(), ["d/o/s/raw:c"]);
    /// ```
    pub fn ids(&self) -> Vec<String> {
        self.cases.iter().map(Case::id).collect()
    }

    /// Keeps only the cases whose id the regular expression matches (anywhere in the id;
    /// anchor with `^`/`$` for more).
    ///
    /// ```
    /// use arsenal_bench::harness::{Case, Registry};
    ///
    /// let mut registry = Registry::new();
    /// registry.add(Case::new("json", "parse", "twitter", "raw:simdjson", 0, 1, || 0));
    /// registry.add(Case::new("json", "parse", "twitter", "peer:serde_json", 0, 1, || 0));
    /// registry.retain_matching(&regex::Regex::new("simdjson$").unwrap());
    /// assert_eq!(registry.len(), 1);
    /// ```
    pub fn retain_matching(&mut self, filter: &Regex) {
        self.cases.retain(|case| filter.is_match(&case.id()));
        self.ids = self.cases.iter().map(Case::id).collect();
    }

    /// Gives the cases up, in order.
    ///
    /// ```
    /// assert!(arsenal_bench::harness::Registry::new().into_cases().is_empty());
    /// ```
    pub fn into_cases(self) -> Vec<Case> {
        self.cases
    }

    /// Runs every case in order (see [`run_cases`]).
    ///
    /// ```
    /// use arsenal_bench::harness::{Case, Profile, Progress, Registry};
    ///
    /// let mut registry = Registry::new();
    /// registry.add(Case::new("d", "o", "s", "peer:x", 8, 1, || 42).expect(42));
    /// let results = registry.run(&Profile::smoke(), &mut Progress::hidden());
    /// assert_eq!(results[0].checksum, Some(42));
    /// ```
    pub fn run(self, profile: &Profile, progress: &mut Progress) -> Vec<BenchResult> {
        run_cases(self.cases, profile, progress)
    }
}

/// How long to warm up and how many samples of which length to take.
///
/// ```
/// use arsenal_bench::harness::Profile;
///
/// let quick = Profile::quick();
/// assert_eq!((quick.name, quick.samples), ("quick", 11));
/// assert!(Profile::full().min_sample > quick.min_sample);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// Name recorded in the reports.
    pub name: &'static str,
    /// Time-based warm-up before sampling (at least one iteration runs regardless).
    pub warmup: Duration,
    /// Number of timed samples (at least one is taken).
    pub samples: usize,
    /// Minimum duration of one sample; the batch size is calibrated to reach it.
    pub min_sample: Duration,
}

impl Profile {
    /// The default: 50 ms warm-up, 11 samples of at least 5 ms.
    ///
    /// ```
    /// assert_eq!(arsenal_bench::harness::Profile::quick().warmup.as_millis(), 50);
    /// ```
    pub fn quick() -> Profile {
        Profile {
            name: "quick",
            warmup: Duration::from_millis(50),
            samples: 11,
            min_sample: Duration::from_millis(5),
        }
    }

    /// For published numbers: 300 ms warm-up, 31 samples of at least 20 ms.
    ///
    /// ```
    /// assert_eq!(arsenal_bench::harness::Profile::full().samples, 31);
    /// ```
    pub fn full() -> Profile {
        Profile {
            name: "full",
            warmup: Duration::from_millis(300),
            samples: 31,
            min_sample: Duration::from_millis(20),
        }
    }

    /// Checks that the cells run, not how fast: 1 ms warm-up, 3 samples of at least
    /// 0.1 ms. The numbers are noise.
    ///
    /// ```
    /// assert_eq!(arsenal_bench::harness::Profile::smoke().samples, 3);
    /// ```
    pub fn smoke() -> Profile {
        Profile {
            name: "smoke",
            warmup: Duration::from_millis(1),
            samples: 3,
            min_sample: Duration::from_micros(100),
        }
    }
}

/// Median, minimum and maximum of a set of samples.
///
/// ```
/// let stats = arsenal_bench::harness::Stats::of(&[3.0, 1.0, 2.0, 10.0]).unwrap();
/// assert_eq!((stats.median, stats.min, stats.max), (2.5, 1.0, 10.0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stats {
    /// The middle sample, or the mean of the two middle ones for an even count.
    pub median: f64,
    /// The smallest sample.
    pub min: f64,
    /// The largest sample.
    pub max: f64,
}

impl Stats {
    /// Statistics of `samples`; `None` when empty. NaNs sort last (and never occur in
    /// timings).
    ///
    /// ```
    /// assert!(arsenal_bench::harness::Stats::of(&[]).is_none());
    /// ```
    pub fn of(samples: &[f64]) -> Option<Stats> {
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let (&min, &max) = (sorted.first()?, sorted.last()?);
        let mid = sorted.len() / 2;
        let median = if sorted.len() % 2 == 1 {
            sorted[mid]
        } else {
            (sorted[mid - 1] + sorted[mid]) / 2.0
        };
        Some(Stats { median, min, max })
    }
}

/// What timing one closure produced.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measurement {
    /// Number of timed samples.
    pub runs: usize,
    /// Per-iteration nanoseconds over the samples.
    pub stats: Stats,
    /// Iterations run in timed samples, all samples together.
    pub iterations: u64,
    /// The checksum returned by the first iteration.
    pub checksum: u64,
}

/// Largest batch the calibration asks for; bounds a sample even when the clock reports
/// zero time.
pub const MAX_BATCH: u64 = 1 << 32;

/// Shortest plausible iteration for calibration purposes: a closure that seems to take
/// no time is treated as taking this long, so the batch stays finite.
const MIN_ITERATION_NS: f64 = 0.25;

/// Batch size so that `batch × per_iteration_ns` reaches `target` (with 5 % headroom),
/// clamped to `1..=MAX_BATCH`. Zero, negative or NaN estimates give a large but finite
/// batch.
///
/// ```
/// use std::time::Duration;
/// use arsenal_bench::harness::batch_size;
///
/// assert_eq!(batch_size(1_000_000.0, Duration::from_millis(5)), 6); // 5.25 ms / 1 ms
/// assert_eq!(batch_size(1e12, Duration::from_millis(5)), 1);
/// assert!(batch_size(0.0, Duration::from_millis(5)) <= arsenal_bench::harness::MAX_BATCH);
/// ```
pub fn batch_size(per_iteration_ns: f64, target: Duration) -> u64 {
    let per_iteration_ns = per_iteration_ns.max(MIN_ITERATION_NS); // NaN gives the floor too
    let wanted = (target.as_nanos() as f64 * 1.05 / per_iteration_ns).ceil();
    if wanted >= MAX_BATCH as f64 {
        MAX_BATCH
    } else {
        (wanted as u64).max(1)
    }
}

/// Clears the upper halves of the YMM/ZMM registers (`vzeroupper`) on x86-64 CPUs with
/// AVX. Every timed batch starts from this clean state, so no cell pays for a dirty
/// upper state that code run before it (another cell, a reference computation) left
/// behind: while it is dirty, legacy-SSE instructions such as SHA-NI's `sha256rnds2`
/// (which has no VEX form) run about 100× slower on this project's Intel Xeon VM
/// (measured in a standalone program: RustCrypto `sha2` 1.95 → 0.015 GB/s after a
/// `vpcmpeqd ymm0` left it dirty).
pub fn clear_upper_state() {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx") {
        // SAFETY: `vzeroupper` (AVX, checked) zeroes bits 128 and up of the vector
        // registers; `clobber_abi("C")` tells the compiler every caller-saved register,
        // the vector registers included, is overwritten, so nothing live is kept there.
        unsafe {
            std::arch::asm!(
                "vzeroupper",
                clobber_abi("C"),
                options(nostack, preserves_flags)
            )
        }
    }
}

/// Runs `run` for about `warmup` (at least once) in doubling batches; returns the first
/// iteration's checksum and the estimated nanoseconds per iteration.
fn warm_up(run: &mut dyn FnMut() -> u64, warmup: Duration) -> (u64, f64) {
    clear_upper_state();
    let start = Instant::now();
    let checksum = black_box(run());
    let mut iterations: u64 = 1;
    let mut batch: u64 = 1;
    while start.elapsed() < warmup {
        for _ in 0..batch {
            black_box(run());
        }
        iterations += batch;
        batch = (batch * 2).min(MAX_BATCH);
    }
    let per_iteration = start.elapsed().as_nanos() as f64 / iterations as f64;
    (checksum, per_iteration)
}

/// The sampling state of one closure: its checksum, current batch size and samples so
/// far. [`measure`] drives one of these alone; [`run_cases`] drives one per case of a
/// group, round-robin, so both calibrate and sample identically.
#[derive(Debug)]
struct Sampler {
    checksum: u64,
    batch: u64,
    samples: Vec<f64>,
    iterations: u64,
}

impl Sampler {
    /// Warms `run` up and calibrates the first batch.
    fn warm_up(run: &mut dyn FnMut() -> u64, profile: &Profile) -> Sampler {
        let (checksum, estimate) = warm_up(run, profile.warmup);
        Sampler {
            checksum,
            batch: batch_size(estimate, profile.min_sample),
            samples: Vec::with_capacity(profile.samples.max(1)),
            iterations: 0,
        }
    }

    /// Takes one timed sample (one batch) and re-calibrates the batch if needed.
    fn sample(&mut self, run: &mut dyn FnMut() -> u64, profile: &Profile) {
        let batch = self.batch;
        clear_upper_state();
        let start = Instant::now();
        for _ in 0..batch {
            black_box(run());
        }
        let elapsed = start.elapsed();
        self.iterations += batch;
        let per_iteration = elapsed.as_nanos() as f64 / batch as f64;
        self.samples.push(per_iteration);
        // Re-calibrate when the warm-up estimate was off (cold caches, frequency
        // changes): too short a sample is dominated by clock noise, too long wastes time.
        if elapsed < profile.min_sample || elapsed > profile.min_sample * 4 {
            self.batch = batch_size(per_iteration, profile.min_sample);
        }
    }

    /// The measurement over the samples taken.
    fn finish(self) -> Measurement {
        let stats = Stats::of(&self.samples).unwrap_or(Stats {
            median: 0.0,
            min: 0.0,
            max: 0.0,
        });
        Measurement {
            runs: self.samples.len(),
            stats,
            iterations: self.iterations,
            checksum: self.checksum,
        }
    }
}

/// Times `run` under `profile`: warm-up, calibration, then `profile.samples` samples
/// (at least one), all of this closure alone.
///
/// ```
/// use arsenal_bench::harness::{measure, Profile};
///
/// let mut counter = 0u64;
/// let m = measure(&mut || { counter += 1; counter }, &Profile::smoke());
/// assert_eq!((m.runs, m.checksum), (3, 1));
/// assert!(m.stats.min <= m.stats.median && m.stats.median <= m.stats.max);
/// ```
pub fn measure(run: &mut dyn FnMut() -> u64, profile: &Profile) -> Measurement {
    let mut sampler = Sampler::warm_up(run, profile);
    for _ in 0..profile.samples.max(1) {
        sampler.sample(run, profile);
    }
    sampler.finish()
}

/// One row of the results: a measured cell, or one that failed.
///
/// Serialized with exactly the field names of the JSON schema in `benches/README.md`.
///
/// ```
/// let row = arsenal_bench::harness::BenchResult::failed("d", "o", "s", "raw:c", 0, 0, "absent");
/// let json = serde_json::to_value(&row).unwrap();
/// assert_eq!(json["impl"], "raw:c");
/// assert!(json["median_ns"].is_null());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenchResult {
    /// `domain/op/dataset/impl`.
    pub id: String,
    /// Domain, e.g. `json`.
    pub domain: String,
    /// Operation, e.g. `parse`.
    pub op: String,
    /// Dataset name.
    pub dataset: String,
    /// Implementation name (JSON key `impl`).
    #[serde(rename = "impl")]
    pub imp: String,
    /// Bytes processed per iteration.
    pub bytes: u64,
    /// Items processed per iteration.
    pub items: u64,
    /// Number of timed samples (0 for failed cells).
    pub runs: usize,
    /// Median nanoseconds per iteration over the samples; `null` for failed cells.
    pub median_ns: Option<f64>,
    /// Fastest sample, nanoseconds per iteration.
    pub min_ns: Option<f64>,
    /// Slowest sample, nanoseconds per iteration.
    pub max_ns: Option<f64>,
    /// `bytes / median_ns`, i.e. GB/s (10^9 bytes per second); `null` when `bytes` is 0
    /// or the cell failed.
    pub gbps: Option<f64>,
    /// The checksum of the first iteration; `null` for failed cells.
    pub checksum: Option<u64>,
    /// Why the cell has no numbers (setup failure, panic); `null` when measured.
    pub error: Option<String>,
    /// `items × 10^9 / median_ns`; `null` when `items` is 0 or the cell failed.
    pub items_per_s: Option<f64>,
    /// Whether the cell's result was verified and timed, only verified, is a
    /// documented limitation, or `FAILED`. Results files written before this field
    /// existed load with `ok`; [`crate::report::Report::from_json`] turns their error
    /// rows into `FAILED`.
    #[serde(default)]
    pub status: Status,
}

/// What happened to a cell.
///
/// ```
/// use arsenal_bench::harness::Status;
///
/// assert_eq!(serde_json::to_string(&Status::Failed).unwrap(), "\"FAILED\"");
/// assert_eq!(Status::Ok.to_string(), "ok");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    /// Verified, then timed.
    #[serde(rename = "ok")]
    #[default]
    Ok,
    /// Verified and not timed (`arsenal-bench --verify`).
    #[serde(rename = "verified")]
    Verified,
    /// The implementation cannot do this by design ([`Case::unsupported`]); not timed.
    #[serde(rename = "unsupported")]
    Unsupported,
    /// Its result differed from the expected one, its check failed, it had no
    /// verification, it panicked, or its setup failed; not timed.
    #[serde(rename = "FAILED")]
    Failed,
}

impl Status {
    /// The name used in reports (`ok`, `verified`, `unsupported`, `FAILED`).
    ///
    /// ```
    /// assert_eq!(arsenal_bench::harness::Status::Unsupported.name(), "unsupported");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Verified => "verified",
            Status::Unsupported => "unsupported",
            Status::Failed => "FAILED",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl BenchResult {
    /// The row for a measured case.
    ///
    /// ```
    /// use arsenal_bench::harness::{BenchResult, Measurement, Stats};
    ///
    /// let stats = Stats { median: 500.0, min: 450.0, max: 900.0 };
    /// let m = Measurement { runs: 11, stats, iterations: 1000, checksum: 7 };
    /// let row = BenchResult::measured("d", "o", "s", "peer:x", 1000, 2, &m);
    /// assert_eq!(row.gbps, Some(2.0));
    /// assert_eq!(row.items_per_s, Some(4e6));
    /// ```
    pub fn measured(
        domain: &str,
        op: &str,
        dataset: &str,
        imp: &str,
        bytes: u64,
        items: u64,
        measurement: &Measurement,
    ) -> BenchResult {
        let median = measurement.stats.median;
        let rate = |amount: u64| (amount > 0 && median > 0.0).then(|| amount as f64 / median);
        BenchResult {
            runs: measurement.runs,
            median_ns: Some(median),
            min_ns: Some(measurement.stats.min),
            max_ns: Some(measurement.stats.max),
            gbps: rate(bytes),
            checksum: Some(measurement.checksum),
            error: None,
            items_per_s: rate(items).map(|per_ns| per_ns * 1e9),
            status: Status::Ok,
            ..BenchResult::failed(domain, op, dataset, imp, bytes, items, "")
        }
    }

    /// The row for a cell that could not be measured.
    ///
    /// ```
    /// let row = arsenal_bench::harness::BenchResult::failed("d", "o", "s", "raw:c", 10, 1, "rejected");
    /// assert_eq!((row.runs, row.error.as_deref()), (0, Some("rejected")));
    /// ```
    pub fn failed(
        domain: &str,
        op: &str,
        dataset: &str,
        imp: &str,
        bytes: u64,
        items: u64,
        reason: &str,
    ) -> BenchResult {
        BenchResult {
            id: cell_id(domain, op, dataset, imp),
            domain: domain.to_owned(),
            op: op.to_owned(),
            dataset: dataset.to_owned(),
            imp: imp.to_owned(),
            bytes,
            items,
            runs: 0,
            median_ns: None,
            min_ns: None,
            max_ns: None,
            gbps: None,
            checksum: None,
            error: Some(reason.to_owned()),
            items_per_s: None,
            status: Status::Failed,
        }
    }

    /// A short human summary: GB/s, items/s or time per iteration, or the error.
    ///
    /// ```
    /// let row = arsenal_bench::harness::BenchResult::failed("d", "o", "s", "raw:c", 0, 0, "absent");
    /// assert_eq!(row.summary(), "FAILED: absent");
    /// ```
    pub fn summary(&self) -> String {
        if let Some(error) = &self.error {
            return format!("{}: {error}", self.status);
        }
        if self.status == Status::Verified {
            return "verified".to_owned();
        }
        match (self.gbps, self.items_per_s, self.median_ns) {
            (Some(gbps), _, _) => format!("{gbps:.3} GB/s"),
            (None, Some(rate), _) => format!("{} items/s", Unit::ItemsPerSecond.format(rate)),
            (None, None, Some(ns)) => format!("{}/iter", Unit::NanosPerIteration.format(ns)),
            (None, None, None) => "no data".to_owned(),
        }
    }
}

/// Runs one case: its recorded error, a panic (caught and reported), or a measurement.
///
/// ```
/// use arsenal_bench::harness::{run_case, Case, Profile};
///
/// let row = run_case(Case::new("d", "o", "s", "peer:x", 4, 1, || 9).expect(9), &Profile::smoke());
/// assert_eq!(row.checksum, Some(9));
/// // A case without an expected result is not timed.
/// let row = run_case(Case::new("d", "o", "s", "peer:y", 4, 1, || 9), &Profile::smoke());
/// assert!(row.error.unwrap().contains("unverified"));
/// ```
pub fn run_case(case: Case, profile: &Profile) -> BenchResult {
    run_group(vec![case], profile)
        .pop()
        .expect("a group of one case gives one row")
}

/// The error text for a caught panic.
fn panic_reason(payload: &(dyn std::any::Any + Send)) -> String {
    let message = payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic payload".to_owned());
    format!("panicked: {message}")
}

/// The row of a case that is not timed: `unsupported` for a documented limitation,
/// else `FAILED` with `reason`.
fn failed_row(case: &Case, reason: &str) -> BenchResult {
    let (domain, op, dataset, imp) = (&case.domain, &case.op, &case.dataset, &case.imp);
    let mut row = BenchResult::failed(domain, op, dataset, imp, case.bytes, case.items, reason);
    if case.unsupported {
        row.status = Status::Unsupported;
    }
    row
}

/// Verifies a case once, outside any timing: its setup error, else its first
/// iteration (panics caught) compared with [`Case::expect`] and its
/// [`Case::verify`] check. A case with neither is `unverified` and fails: every cell
/// of the matrix proves its result. Returns the first iteration's checksum.
///
/// ```
/// use arsenal_bench::harness::{verify_case, Case};
///
/// let mut good = Case::new("d", "o", "s", "peer:x", 0, 1, || 3).expect(3);
/// assert_eq!(verify_case(&mut good), Ok(3));
/// let mut bad = Case::new("d", "o", "s", "peer:y", 0, 1, || 0).expect(3);
/// assert!(verify_case(&mut bad).unwrap_err().contains("expected 3"));
/// let mut unverified = Case::new("d", "o", "s", "peer:z", 0, 1, || 3);
/// assert!(verify_case(&mut unverified).unwrap_err().contains("unverified"));
/// ```
pub fn verify_case(case: &mut Case) -> Result<u64, String> {
    if let Some(reason) = &case.error {
        return Err(reason.clone());
    }
    if case.expected.is_none() && case.check.is_none() {
        return Err("unverified: the domain gives no expected result for this cell".to_owned());
    }
    let (run, expected, check) = (&mut case.run, case.expected, &mut case.check);
    panic::catch_unwind(AssertUnwindSafe(|| {
        let got = black_box(run());
        if let Some(want) = expected {
            if got != want {
                return Err(format!("result {got} differs from the expected {want}"));
            }
        }
        if let Some(check) = check {
            check().map_err(|reason| format!("check failed: {reason}"))?;
        }
        Ok(got)
    }))
    .unwrap_or_else(|payload| Err(panic_reason(&*payload)))
}

/// Verifies every case (see [`verify_case`]) without timing any: rows with status
/// `verified`, `unsupported` or `FAILED`. This is `arsenal-bench --verify`.
///
/// ```
/// use arsenal_bench::harness::{verify_cases, Case, Progress, Status};
///
/// let cases = vec![
///     Case::new("d", "o", "s", "arsenal:x", 0, 1, || 1).expect(1),
///     Case::new("d", "o", "s", "raw:x", 0, 1, || 2).expect(1), // deliberately wrong
///     Case::unsupported("d", "o", "s", "peer:y", "no such operation"),
/// ];
/// let rows = verify_cases(cases, &mut Progress::hidden());
/// let status: Vec<_> = rows.iter().map(|row| row.status).collect();
/// assert_eq!(status, [Status::Verified, Status::Failed, Status::Unsupported]);
/// ```
pub fn verify_cases(cases: Vec<Case>, progress: &mut Progress) -> Vec<BenchResult> {
    progress.begin(cases.len());
    let rows = cases
        .into_iter()
        .map(|mut case| {
            progress.start(&case.id());
            let row = match verify_case(&mut case) {
                Ok(checksum) => BenchResult {
                    checksum: Some(checksum),
                    error: None,
                    status: Status::Verified,
                    ..failed_row(&case, "")
                },
                Err(reason) => failed_row(&case, &reason),
            };
            progress.finish_case(&row);
            row
        })
        .collect();
    progress.end();
    rows
}

/// One case of a group being timed: the case, its sampler while it is being measured,
/// and its row once it is known (failed setup or panic).
struct Member {
    case: Case,
    sampler: Option<Sampler>,
    row: Option<BenchResult>,
}

impl Member {
    fn failed_row(&self, reason: &str) -> BenchResult {
        failed_row(&self.case, reason)
    }

    /// Runs `step` on the case's closure and sampler, catching a panic, which turns
    /// the member into an error row that takes no further part.
    fn step(&mut self, step: impl FnOnce(&mut dyn FnMut() -> u64) -> Option<Sampler>) {
        let run = &mut self.case.run;
        match panic::catch_unwind(AssertUnwindSafe(|| step(&mut **run))) {
            Ok(sampler) => self.sampler = sampler,
            Err(payload) => {
                self.sampler = None;
                self.row = Some(self.failed_row(&panic_reason(&*payload)));
            }
        }
    }
}

/// Times `cases` as one interleaved group: each case is warmed up and calibrated in
/// turn, then `profile.samples` rounds take one sample of every case still measured,
/// the starting case rotating among them from round to round. Returns one row per case, in order.
fn run_group(cases: Vec<Case>, profile: &Profile) -> Vec<BenchResult> {
    let mut members: Vec<Member> = cases
        .into_iter()
        .map(|case| Member {
            case,
            sampler: None,
            row: None,
        })
        .collect();
    for member in &mut members {
        match verify_case(&mut member.case) {
            Err(reason) => member.row = Some(member.failed_row(&reason)),
            Ok(_) => member.step(|run| Some(Sampler::warm_up(run, profile))),
        }
    }
    for round in 0..profile.samples.max(1) {
        // The cases still measured, this round starting `round` places along.
        let active: Vec<usize> = (0..members.len())
            .filter(|&index| members[index].sampler.is_some())
            .collect();
        for offset in 0..active.len() {
            let member = &mut members[active[(round + offset) % active.len()]];
            if let Some(mut sampler) = member.sampler.take() {
                member.step(|run| {
                    sampler.sample(run, profile);
                    Some(sampler)
                });
            }
        }
    }
    members
        .into_iter()
        .map(|member| match (member.row, member.sampler) {
            (Some(row), _) => row,
            (None, Some(sampler)) => {
                let case = &member.case;
                BenchResult::measured(
                    &case.domain,
                    &case.op,
                    &case.dataset,
                    &case.imp,
                    case.bytes,
                    case.items,
                    &sampler.finish(),
                )
            }
            (None, None) => unreachable!("a member has a sampler until it gets a row"),
        })
        .collect()
}

/// Runs `cases`, reporting progress, and returns their rows in the order given.
///
/// Cases sharing (domain, op, dataset), the cells of one report row, form a group timed
/// with interleaved samples (see the [module documentation](self)); groups run in the
/// order of their first case, and each group's cases (and their data) are dropped as
/// soon as the group has run. Every case is verified once before its group's warm-up
/// ([`verify_case`]); a case that fails verification, whose setup failed or that
/// panics gives its `FAILED` row, is never timed, and does not affect the other cases
/// of its group.
///
/// ```
/// use arsenal_bench::harness::{run_cases, Case, Profile, Progress};
///
/// let cases = vec![
///     Case::new("d", "o", "s", "arsenal:x", 0, 1, || 1).expect(1),
///     Case::new("d", "o", "t", "raw:x", 0, 1, || 2).expect(2),
///     Case::new("d", "o", "s", "raw:x", 0, 1, || 3).expect(3), // same group as the first
/// ];
/// let rows = run_cases(cases, &Profile::smoke(), &mut Progress::hidden());
/// let checksums: Vec<_> = rows.iter().map(|row| row.checksum.unwrap()).collect();
/// assert_eq!(checksums, [1, 2, 3]);
/// ```
pub fn run_cases(cases: Vec<Case>, profile: &Profile, progress: &mut Progress) -> Vec<BenchResult> {
    progress.begin(cases.len());
    let groups = group_by_row(&cases);
    let mut slots: Vec<Option<Case>> = cases.into_iter().map(Some).collect();
    let mut results: Vec<Option<BenchResult>> = vec![None; slots.len()];
    for group in groups {
        let members: Vec<Case> = group
            .iter()
            .map(|&index| slots[index].take().expect("each case is in one group"))
            .collect();
        let first = &members[0];
        let label = format!("{}/{}/{}/*", first.domain, first.op, first.dataset);
        progress.start_group(&label, members.len());
        for (index, row) in group.into_iter().zip(run_group(members, profile)) {
            progress.start(&row.id);
            progress.finish_case(&row);
            results[index] = Some(row);
        }
    }
    progress.end();
    results
        .into_iter()
        .map(|row| row.expect("every case ran"))
        .collect()
}

/// Indices of `cases` grouped by (domain, op, dataset): groups in order of first
/// appearance, indices ascending within each.
fn group_by_row(cases: &[Case]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut by_key: HashMap<(&str, &str, &str), usize> = HashMap::new();
    for (index, case) in cases.iter().enumerate() {
        let key = (
            case.domain.as_str(),
            case.op.as_str(),
            case.dataset.as_str(),
        );
        let group = *by_key.entry(key).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[group].push(index);
    }
    groups
}

/// How progress is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ProgressMode {
    Hidden,
    /// One line per case, for logs.
    Lines,
    /// A bar redrawn in place with `\r`, for terminals.
    Bar,
}

/// Progress display on stderr: a bar redrawn in place on a terminal, one line per case
/// otherwise (CI logs), or nothing.
///
/// ```
/// let mut progress = arsenal_bench::harness::Progress::hidden();
/// progress.begin(1);
/// progress.start("d/o/s/peer:x");
/// progress.end();
/// ```
#[derive(Debug)]
pub struct Progress {
    mode: ProgressMode,
    total: usize,
    done: usize,
    started: Option<Instant>,
}

/// Width of the drawn bar, in characters.
const BAR_WIDTH: usize = 24;
/// Longest id shown on the bar line, so the line does not wrap (which `\r` cannot undo).
const BAR_ID_WIDTH: usize = 72;

impl Progress {
    /// Progress on stderr, as a bar when stderr is a terminal, as lines otherwise.
    ///
    /// ```
    /// let _progress = arsenal_bench::harness::Progress::stderr();
    /// ```
    pub fn stderr() -> Progress {
        let mode = if io::stderr().is_terminal() {
            ProgressMode::Bar
        } else {
            ProgressMode::Lines
        };
        Progress::with_mode(mode)
    }

    /// No output at all (tests, library use).
    ///
    /// ```
    /// let _progress = arsenal_bench::harness::Progress::hidden();
    /// ```
    pub fn hidden() -> Progress {
        Progress::with_mode(ProgressMode::Hidden)
    }

    fn with_mode(mode: ProgressMode) -> Progress {
        Progress {
            mode,
            total: 0,
            done: 0,
            started: None,
        }
    }

    /// Announces how many cases will run.
    ///
    /// ```
    /// arsenal_bench::harness::Progress::hidden().begin(42);
    /// ```
    pub fn begin(&mut self, total: usize) {
        self.total = total;
        self.done = 0;
        self.started = Some(Instant::now());
    }

    /// Shows that the case `id` is running.
    ///
    /// ```
    /// arsenal_bench::harness::Progress::hidden().start("d/o/s/peer:x");
    /// ```
    pub fn start(&mut self, id: &str) {
        let position = self.done + 1;
        let width = self.total.to_string().len();
        match self.mode {
            ProgressMode::Hidden => {}
            ProgressMode::Lines => {
                let mut err = io::stderr().lock();
                // A failed write to stderr must not abort a benchmark run.
                let _ = write!(err, "[{position:>width$}/{}] {id} ... ", self.total);
                let _ = err.flush();
            }
            ProgressMode::Bar => self.draw_bar(&format!("{position:>width$}/{}", self.total), id),
        }
    }

    /// Shows that a group of `cells` cases, described by `label`, is being timed
    /// together (interleaved); each of them is still reported with [`start`](Self::start)
    /// and [`finish_case`](Self::finish_case) once the group is done. Only the bar shows
    /// groups; log lines stay one per case.
    ///
    /// ```
    /// let mut progress = arsenal_bench::harness::Progress::hidden();
    /// progress.begin(3);
    /// progress.start_group("d/o/s/*", 3);
    /// ```
    pub fn start_group(&mut self, label: &str, cells: usize) {
        if self.mode == ProgressMode::Bar {
            let width = self.total.to_string().len();
            let first = self.done + 1;
            let last = self.done + cells.max(1);
            self.draw_bar(
                &format!("{first:>width$}-{last:>width$}/{}", self.total),
                label,
            );
        }
    }

    /// Redraws the bar line with `position` and `label` (shortened from the left).
    fn draw_bar(&self, position: &str, label: &str) {
        let filled = (self.done * BAR_WIDTH)
            .checked_div(self.total)
            .unwrap_or(0)
            .min(BAR_WIDTH);
        let bar = format!("{}{}", "#".repeat(filled), ".".repeat(BAR_WIDTH - filled));
        let length = label.chars().count();
        let shown: String = if length > BAR_ID_WIDTH {
            let tail: String = label.chars().skip(length + 3 - BAR_ID_WIDTH).collect();
            format!("...{tail}")
        } else {
            label.to_owned()
        };
        let mut err = io::stderr().lock();
        // A failed write to stderr must not abort a benchmark run.
        let _ = write!(err, "\r\x1b[2K[{bar}] {position} {shown}");
        let _ = err.flush();
    }

    /// Records that a case finished with `result`.
    ///
    /// ```
    /// use arsenal_bench::harness::{BenchResult, Progress};
    ///
    /// let row = BenchResult::failed("d", "o", "s", "raw:c", 0, 0, "absent");
    /// Progress::hidden().finish_case(&row);
    /// ```
    pub fn finish_case(&mut self, result: &BenchResult) {
        self.done += 1;
        if self.mode == ProgressMode::Lines {
            let _ = writeln!(io::stderr(), "{}", result.summary());
        }
    }

    /// Ends the display (clears the bar, prints the elapsed time).
    ///
    /// ```
    /// arsenal_bench::harness::Progress::hidden().end();
    /// ```
    pub fn end(&mut self) {
        let elapsed = self
            .started
            .map_or(0.0, |start| start.elapsed().as_secs_f64());
        let _ = match self.mode {
            ProgressMode::Hidden => Ok(()),
            ProgressMode::Lines => {
                writeln!(io::stderr(), "ran {} cases in {elapsed:.1} s", self.done)
            }
            ProgressMode::Bar => writeln!(
                io::stderr(),
                "\r\x1b[2Kran {} cases in {elapsed:.1} s",
                self.done
            ),
        };
    }
}

/// Marsaglia's xorshift64 from `seed` (made odd, so never the all-zero state): the
/// generated datasets' random numbers, identical on every machine.
pub fn rng(seed: u64) -> impl FnMut() -> u64 {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    }
}

/// `n` distinct random `u64` keys (from [`rng`] seed 1) and `n` more distinct keys absent
/// from them (seed 2): the hit and miss probes of the map-like domains (`map`, `tree`).
pub fn distinct_keys(n: usize) -> (Vec<u64>, Vec<u64>) {
    let mut seen = HashSet::with_capacity(2 * n);
    let mut draw = |seed: u64| {
        let mut next = rng(seed);
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let k = next();
            if seen.insert(k) {
                out.push(k);
            }
        }
        out
    };
    let hit = draw(1);
    let miss = draw(2);
    (hit, miss)
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use super::*;

    /// Runs a check whose outcome depends on timing until it passes, at most three
    /// times, and panics with the last failure. A test thread descheduled during the
    /// 2 ms warm-up (a loaded 2-core CI machine runs other tests beside it) inflates the
    /// warm-up estimate, and the first batches come out short; that is the machine, not
    /// the harness. A real defect fails every attempt.
    fn on_a_quiet_attempt(mut check: impl FnMut() -> Result<(), String>) {
        let mut last = String::new();
        for _ in 0..3 {
            match check() {
                Ok(()) => return,
                Err(why) => last = why,
            }
        }
        panic!("failed three times: {last}");
    }

    fn tiny_profile() -> Profile {
        Profile {
            name: "test",
            warmup: Duration::from_millis(2),
            samples: 5,
            min_sample: Duration::from_micros(200),
        }
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        let odd = Stats::of(&[5.0, 1.0, 3.0]).unwrap();
        assert_eq!((odd.median, odd.min, odd.max), (3.0, 1.0, 5.0));
        let even = Stats::of(&[4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!((even.median, even.min, even.max), (2.5, 1.0, 4.0));
        let single = Stats::of(&[7.5]).unwrap();
        assert_eq!((single.median, single.min, single.max), (7.5, 7.5, 7.5));
        assert_eq!(Stats::of(&[]), None);
    }

    #[test]
    fn ids_and_kinds() {
        let case = Case::new("json", "parse", "twitter", "arsenal:simdjson", 1, 1, || 0);
        assert_eq!(case.id(), "json/parse/twitter/arsenal:simdjson");
        assert_eq!(ImplKind::of(&case.imp), ImplKind::Arsenal);
        assert_eq!(ImplKind::of("raw:yyjson"), ImplKind::Raw);
        assert_eq!(ImplKind::of("peer:sonic-rs"), ImplKind::Peer);
        assert_eq!(ImplKind::of("simdjson"), ImplKind::Other);
        assert_eq!(ImplKind::of("rawish:x"), ImplKind::Other);
        assert_eq!(library_of("peer:sonic-rs"), "sonic-rs");
        let debug = format!("{case:?}");
        assert!(
            debug.contains("json/parse/twitter/arsenal:simdjson"),
            "{debug}"
        );
    }

    #[test]
    fn filter_selects_by_id() {
        let mut registry = Registry::new();
        for dataset in ["twitter", "canada", "citm_catalog"] {
            for imp in ["arsenal:simdjson", "raw:simdjson", "peer:serde_json"] {
                registry.add(Case::new("json", "parse", dataset, imp, 1, 1, || 0));
            }
        }
        registry.add(Case::new(
            "json",
            "serialize",
            "twitter",
            "peer:serde_json",
            1,
            1,
            || 0,
        ));
        assert_eq!(registry.len(), 10);

        registry.retain_matching(&Regex::new("^json/parse/(twitter|canada)/").unwrap());
        assert_eq!(registry.len(), 6);
        registry.retain_matching(&Regex::new("simdjson").unwrap());
        assert_eq!(
            registry.ids(),
            [
                "json/parse/twitter/arsenal:simdjson",
                "json/parse/twitter/raw:simdjson",
                "json/parse/canada/arsenal:simdjson",
                "json/parse/canada/raw:simdjson",
            ]
        );
        // Removed ids may be registered again.
        registry.add(Case::new(
            "json",
            "parse",
            "citm_catalog",
            "raw:simdjson",
            1,
            1,
            || 0,
        ));
        registry.retain_matching(&Regex::new("nothing-matches-this").unwrap());
        assert!(registry.is_empty());
    }

    #[test]
    #[should_panic(expected = "registered twice")]
    fn duplicate_ids_are_rejected() {
        let mut registry = Registry::new();
        registry.add(Case::new("d", "o", "s", "peer:x", 0, 1, || 0));
        registry.add(Case::failed("d", "o", "s", "peer:x", "again"));
    }

    #[test]
    fn batch_size_is_finite_for_degenerate_estimates() {
        let target = Duration::from_millis(5);
        for estimate in [0.0, -1.0, f64::NAN, f64::MIN_POSITIVE] {
            let batch = batch_size(estimate, target);
            assert!((1..=MAX_BATCH).contains(&batch), "{estimate}: {batch}");
        }
        assert_eq!(batch_size(f64::INFINITY, target), 1);
        assert_eq!(batch_size(1e9, target), 1);
        assert_eq!(batch_size(1000.0, Duration::from_millis(1)), 1050);
        assert_eq!(batch_size(0.0, Duration::ZERO), 1);
        assert_eq!(batch_size(0.0, Duration::from_secs(1 << 40)), MAX_BATCH);
    }

    #[test]
    fn zero_time_closure_terminates() {
        let started = Instant::now();
        let m = measure(&mut || 0, &tiny_profile());
        assert_eq!(m.runs, 5);
        assert!(m.iterations >= 5);
        assert!(m.stats.min >= 0.0 && m.stats.median < 1_000.0, "{m:?}");
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn zero_warmup_and_zero_samples_still_measure_once() {
        let profile = Profile {
            name: "degenerate",
            warmup: Duration::ZERO,
            samples: 0,
            min_sample: Duration::ZERO,
        };
        let mut calls = 0u64;
        let m = measure(
            &mut || {
                calls += 1;
                calls
            },
            &profile,
        );
        assert_eq!((m.runs, m.checksum), (1, 1));
        assert!(m.iterations >= 1);
        assert!(calls >= 2);
    }

    #[test]
    fn samples_reach_the_minimum_duration() {
        let profile = tiny_profile();
        let spin = || {
            let start = Instant::now();
            while start.elapsed() < Duration::from_micros(20) {}
            1
        };
        let mut spin = spin;
        on_a_quiet_attempt(|| {
            let m = measure(&mut spin, &profile);
            let per_sample = m.iterations as f64 * m.stats.median / m.runs as f64;
            assert!(m.stats.min >= 20_000.0, "{m:?}");
            if per_sample >= 0.9 * profile.min_sample.as_nanos() as f64 {
                Ok(())
            } else {
                Err(format!("samples shorter than the minimum: {m:?}"))
            }
        });
    }

    #[test]
    fn failed_and_panicking_cases_become_error_rows() {
        let mut registry = Registry::new();
        registry.add(Case::failed("d", "o", "s", "raw:c", "rejected the dataset"));
        registry.add(Case::new("d", "o", "s", "peer:boom", 1, 1, || panic!("kaboom")).expect(0));
        registry.add(Case::new("d", "o", "s", "peer:ok", 8, 2, || 5).expect(5));
        let hook = panic::take_hook();
        panic::set_hook(Box::new(|_| {}));
        let results = registry.run(&tiny_profile(), &mut Progress::hidden());
        panic::set_hook(hook);

        assert_eq!(results[0].error.as_deref(), Some("rejected the dataset"));
        assert_eq!(results[0].runs, 0);
        assert_eq!(results[1].error.as_deref(), Some("panicked: kaboom"));
        assert_eq!(results[1].median_ns, None);
        assert_eq!(results[2].error, None);
        assert_eq!(results[2].checksum, Some(5));
        assert_eq!(results[2].runs, 5);
        let gbps = results[2].gbps.unwrap();
        let median = results[2].median_ns.unwrap();
        assert!((gbps - 8.0 / median).abs() < 1e-12);
        let items = results[2].items_per_s.unwrap();
        assert!((items - 2e9 / median).abs() / items < 1e-12);
    }

    /// A case whose every iteration pushes `tag` to `log` and, when `spin` is set,
    /// spins long enough (300 µs, over 1.05 × the 200 µs minimum sample) that every batch
    /// is one iteration.
    fn logging_case(
        dataset: &str,
        imp: &str,
        tag: char,
        log: &Rc<RefCell<Vec<char>>>,
        spin: bool,
    ) -> Case {
        let log = Rc::clone(log);
        Case::new("d", "o", dataset, imp, 1, 1, move || {
            let start = Instant::now();
            while spin && start.elapsed() < Duration::from_micros(300) {}
            log.borrow_mut().push(tag);
            u64::from(tag)
        })
        .expect(u64::from(tag))
    }

    /// Collapses runs of equal entries: `aabbba` gives `aba`.
    fn runs(log: &[char]) -> String {
        let mut collapsed = String::new();
        for &tag in log {
            if !collapsed.ends_with(tag) {
                collapsed.push(tag);
            }
        }
        collapsed
    }

    #[test]
    fn groups_by_row_in_first_appearance_order() {
        let cases: Vec<Case> = [("s", "a"), ("t", "a"), ("s", "b"), ("u", "a"), ("t", "b")]
            .into_iter()
            .map(|(dataset, imp)| Case::new("d", "o", dataset, imp, 0, 1, || 0))
            .collect();
        assert_eq!(group_by_row(&cases), [vec![0, 2], vec![1, 4], vec![3]]);
        let other_op = vec![
            Case::new("d", "o", "s", "a", 0, 1, || 0),
            Case::new("d", "p", "s", "a", 0, 1, || 0),
            Case::new("e", "o", "s", "a", 0, 1, || 0),
        ];
        assert_eq!(group_by_row(&other_op), [vec![0], vec![1], vec![2]]);
    }

    #[test]
    fn samples_of_a_group_are_interleaved_batch_by_batch() {
        let profile = tiny_profile();
        let log = Rc::new(RefCell::new(Vec::new()));
        // `c` is another group registered between the two members of the first.
        let cases = vec![
            logging_case("s", "arsenal:x", 'a', &log, true),
            logging_case("t", "raw:x", 'c', &log, true),
            logging_case("s", "raw:x", 'b', &log, true),
        ];
        let rows = run_cases(cases, &profile, &mut Progress::hidden());
        let ids: Vec<&str> = rows.iter().map(|row| row.id.as_str()).collect();
        assert_eq!(ids, ["d/o/s/arsenal:x", "d/o/t/raw:x", "d/o/s/raw:x"]);
        for (row, tag) in rows.iter().zip(['a', 'c', 'b']) {
            assert_eq!(
                (row.runs, row.checksum),
                (5, Some(u64::from(tag))),
                "{row:?}"
            );
            assert!(row.error.is_none(), "{row:?}");
        }

        let log = log.borrow();
        // Group (s) first: warm-up of a, then of b, then the samples; group (t) after.
        let first_c = log.iter().position(|&tag| tag == 'c').unwrap();
        let (group_s, group_t) = log.split_at(first_c);
        assert!(group_t.iter().all(|&tag| tag == 'c'), "{}", runs(&log));
        // Batches are one iteration, so the last 2 × samples entries of the group are
        // the samples: one of each case per round, the first case rotating.
        let (warm, sampled) = group_s.split_at(group_s.len() - 2 * profile.samples);
        assert_eq!(runs(warm), "ab", "{}", runs(&log));
        let expected: String = (0..profile.samples)
            .map(|round| if round % 2 == 0 { "ab" } else { "ba" })
            .collect();
        assert_eq!(sampled.iter().collect::<String>(), expected);
    }

    #[test]
    fn fast_cases_alternate_in_whole_batches() {
        let profile = tiny_profile();
        on_a_quiet_attempt(|| {
            let log = Rc::new(RefCell::new(Vec::new()));
            let cases = vec![
                logging_case("s", "arsenal:x", 'a', &log, false),
                logging_case("s", "raw:x", 'b', &log, false),
                logging_case("t", "raw:x", 'c', &log, false),
            ];
            let rows = run_cases(cases, &profile, &mut Progress::hidden());
            assert!(rows.iter().all(|row| row.runs == 5), "{rows:?}");
            // Warm-up a, warm-up b, then rounds ab, ba, ab, ba, ab: consecutive rounds
            // meet on the same case, so the log changes case 5 + 1 times after the
            // warm-up.
            let sampled: String = "ab".chars().chain("ab".chars().cycle().take(6)).collect();
            assert_eq!(runs(&log.borrow()), format!("{sampled}c"));
            // Every sample of `a` and `b` holds at least one batch of many iterations
            // (the timing-dependent part).
            let samples = log.borrow().iter().filter(|&&tag| tag != 'c').count();
            if samples > 2 * profile.samples * 10 {
                Ok(())
            } else {
                Err(format!("{samples} iterations in 10 samples"))
            }
        });
    }

    #[test]
    fn a_panic_inside_a_group_spares_the_other_cases() {
        let profile = tiny_profile();
        let log = Rc::new(RefCell::new(Vec::new()));
        let mut registry = Registry::new();
        registry.add(logging_case("s", "arsenal:x", 'a', &log, false));
        // Panics on its first sample: by then `c`, registered after it, has warmed up.
        let seen = Rc::clone(&log);
        registry.add(
            Case::new("d", "o", "s", "raw:x", 1, 1, move || {
                assert!(!seen.borrow().contains(&'c'), "sample of b");
                seen.borrow_mut().push('b');
                2
            })
            .expect(2),
        );
        registry.add(logging_case("s", "peer:y", 'c', &log, false));
        registry.add(Case::failed("d", "o", "s", "raw:z", "absent"));
        let hook = panic::take_hook();
        panic::set_hook(Box::new(|_| {}));
        let rows = registry.run(&profile, &mut Progress::hidden());
        panic::set_hook(hook);

        assert_eq!(rows[1].error.as_deref(), Some("panicked: sample of b"));
        assert_eq!((rows[1].runs, rows[1].median_ns), (0, None));
        assert_eq!(rows[3].error.as_deref(), Some("absent"));
        for row in [&rows[0], &rows[2]] {
            assert!(row.error.is_none(), "{row:?}");
            assert_eq!(row.runs, 5, "{row:?}");
        }
        assert_eq!((rows[0].checksum, rows[2].checksum), (Some(97), Some(99)));
        // `b` ran only during the warm-up and was never called again after panicking.
        let log = log.borrow();
        let last_b = log.iter().rposition(|&tag| tag == 'b').unwrap();
        let first_c = log.iter().position(|&tag| tag == 'c').unwrap();
        assert!(last_b < first_c, "{}", runs(&log));
        // The survivors keep alternating: after c's warm-up, rounds a (b) c, then c a,
        // a c, c a, a c.
        assert_eq!(runs(&log[first_c..]), "cacacac");
    }

    /// A row of three implementations where `raw:wrong` returns a different result from
    /// the one expected of every cell of the row.
    fn row_with_a_wrong_cell(calls: &Rc<RefCell<u64>>) -> Vec<Case> {
        let wrong_calls = Rc::clone(calls);
        vec![
            Case::new("d", "sum", "s", "arsenal:x", 8, 1, || 6).expect(6),
            Case::new("d", "sum", "s", "raw:wrong", 8, 1, move || {
                *wrong_calls.borrow_mut() += 1;
                7
            })
            .expect(6),
            Case::new("d", "sum", "s", "peer:y", 8, 1, || 6).verify(|| Ok(())),
        ]
    }

    #[test]
    fn a_wrong_cell_is_failed_and_not_timed() {
        let calls = Rc::new(RefCell::new(0));
        let rows = run_cases(
            row_with_a_wrong_cell(&calls),
            &tiny_profile(),
            &mut Progress::hidden(),
        );
        let status: Vec<Status> = rows.iter().map(|row| row.status).collect();
        assert_eq!(status, [Status::Ok, Status::Failed, Status::Ok]);
        let wrong = &rows[1];
        assert_eq!(wrong.id, "d/sum/s/raw:wrong");
        assert_eq!(
            wrong.error.as_deref(),
            Some("result 7 differs from the expected 6")
        );
        assert_eq!((wrong.runs, wrong.median_ns, wrong.gbps), (0, None, None));
        assert!(
            wrong.summary().starts_with("FAILED: result 7"),
            "{}",
            wrong.summary()
        );
        // Called once, for the verification: never warmed up or sampled.
        assert_eq!(*calls.borrow(), 1);
        // The other cells of the row are timed as usual.
        assert!(rows[0].median_ns.is_some() && rows[2].median_ns.is_some());
        assert_eq!(rows[0].runs, 5);
    }

    #[test]
    fn verify_cases_reports_a_wrong_cell_without_timing() {
        let calls = Rc::new(RefCell::new(0));
        let mut cases = row_with_a_wrong_cell(&calls);
        cases.push(Case::new("d", "sum", "s", "peer:unchecked", 8, 1, || 6));
        cases.push(Case::unsupported(
            "d",
            "sum",
            "s",
            "peer:none",
            "no such operation",
        ));
        let rows = verify_cases(cases, &mut Progress::hidden());
        let status: Vec<Status> = rows.iter().map(|row| row.status).collect();
        assert_eq!(
            status,
            [
                Status::Verified,
                Status::Failed,
                Status::Verified,
                Status::Failed,
                Status::Unsupported
            ]
        );
        assert_eq!(
            rows[1].error.as_deref(),
            Some("result 7 differs from the expected 6")
        );
        assert!(rows[3].error.as_deref().unwrap().starts_with("unverified"));
        assert_eq!(rows[4].error.as_deref(), Some("no such operation"));
        assert!(rows
            .iter()
            .all(|row| row.runs == 0 && row.median_ns.is_none()));
        assert_eq!((rows[0].checksum, rows[1].checksum), (Some(6), None));
        assert_eq!(*calls.borrow(), 1);
        assert_eq!(rows[0].summary(), "verified");
    }

    #[test]
    fn a_failed_check_names_its_reason() {
        let row = run_case(
            Case::new("d", "o", "s", "peer:x", 8, 1, || 1)
                .expect(1)
                .verify(|| Err("byte 3 differs".to_owned())),
            &tiny_profile(),
        );
        assert_eq!(row.status, Status::Failed);
        assert_eq!(row.error.as_deref(), Some("check failed: byte 3 differs"));
        let unverified = run_case(
            Case::new("d", "o", "s", "peer:y", 8, 1, || 1),
            &tiny_profile(),
        );
        assert_eq!(unverified.status, Status::Failed);
        assert_eq!(unverified.runs, 0);
    }

    #[test]
    fn status_defaults_to_ok_for_old_rows() {
        let row = BenchResult::failed("d", "o", "s", "raw:c", 0, 0, "absent");
        let mut value = serde_json::to_value(&row).unwrap();
        value.as_object_mut().unwrap().remove("status");
        let back: BenchResult = serde_json::from_value(value).unwrap();
        assert_eq!(back.status, Status::Ok);
    }

    #[test]
    fn run_case_measures_a_single_case() {
        let row = run_case(
            Case::new("d", "o", "s", "peer:x", 8, 1, || 3).expect(3),
            &tiny_profile(),
        );
        assert_eq!((row.runs, row.checksum, row.error), (5, Some(3), None));
        let failed = run_case(
            Case::failed("d", "o", "s", "raw:x", "nope"),
            &tiny_profile(),
        );
        assert_eq!(failed.error.as_deref(), Some("nope"));
    }

    #[test]
    fn json_field_names_match_the_schema() {
        let stats = Stats {
            median: 100.0,
            min: 90.0,
            max: 120.0,
        };
        let m = Measurement {
            runs: 11,
            stats,
            iterations: 1100,
            checksum: u64::MAX,
        };
        let row = BenchResult::measured("json", "parse", "twitter", "raw:simdjson", 250, 1, &m);
        let value = serde_json::to_value(&row).unwrap();
        let object = value.as_object().unwrap();
        for key in [
            "id",
            "domain",
            "op",
            "dataset",
            "impl",
            "bytes",
            "items",
            "runs",
            "median_ns",
            "min_ns",
            "max_ns",
            "gbps",
            "checksum",
            "error",
            "items_per_s",
            "status",
        ] {
            assert!(object.contains_key(key), "missing {key}");
        }
        assert_eq!(value["status"], "ok");
        assert!(!object.contains_key("imp"));
        assert_eq!(value["id"], "json/parse/twitter/raw:simdjson");
        assert_eq!(value["gbps"], 2.5);
        assert_eq!(value["runs"], 11);
        assert_eq!(value["checksum"], u64::MAX);
        assert!(value["error"].is_null());
        let back: BenchResult = serde_json::from_value(value).unwrap();
        assert_eq!(back, row);
    }

    #[test]
    fn zero_bytes_gives_no_gbps() {
        let stats = Stats {
            median: 10.0,
            min: 10.0,
            max: 10.0,
        };
        let m = Measurement {
            runs: 1,
            stats,
            iterations: 1,
            checksum: 0,
        };
        let row = BenchResult::measured("d", "o", "s", "peer:x", 0, 0, &m);
        assert_eq!((row.gbps, row.items_per_s), (None, None));
        assert_eq!(row.summary(), "10.0 ns/iter");
        let items = BenchResult::measured("d", "o", "s", "peer:x", 0, 5, &m);
        assert_eq!(items.summary(), "500 M items/s");
    }
}
