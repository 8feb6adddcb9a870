//! The machine and toolchain a run happened on, recorded with every result set.
//!
//! Compiler versions are captured when the benchmark is built (`build.rs`), so they name
//! the compilers that produced the timed code, not whatever is on `PATH` at run time.

use std::fs;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::harness::Profile;

/// Machine, toolchain and run settings (the `machine` object of the JSON output).
///
/// Fields added after the first schema carry `#[serde(default)]`, so results files
/// written by older versions still load (`arsenal-bench --render`).
///
/// ```
/// use arsenal_bench::{harness::Profile, machine::Machine};
///
/// let machine = Machine::detect(&Profile::quick(), None);
/// assert_eq!(machine.profile, "quick");
/// assert!(machine.logical_cores >= 1);
/// assert!(machine.rustc.starts_with("rustc"));
/// assert!(!machine.build_flavor.is_empty());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// CPU model name (`model name` in `/proc/cpuinfo`), or `unknown`.
    pub cpu_model: String,
    /// Supported CPU features, as `arsenal::cpu::CpuFeatures::names` spells them.
    pub cpu_features: Vec<String>,
    /// The widest SIMD tier available (`arsenal::cpu::SimdLevel`), e.g. `avx2`.
    pub simd_level: String,
    /// Logical cores available to this process.
    pub logical_cores: usize,
    /// CPU frequency governor of cpu0 (`/sys/devices/system/cpu/cpu0/cpufreq/
    /// scaling_governor`), e.g. `performance`; `null` where not readable (VMs, containers).
    #[serde(default)]
    pub cpu_governor: Option<String>,
    /// Operating system: `PRETTY_NAME` of `/etc/os-release`, else the OS family.
    pub os: String,
    /// Kernel release (`/proc/sys/kernel/osrelease`), or `unknown`.
    #[serde(default = "unknown")]
    pub kernel: String,
    /// OS family (`std::env::consts::OS`), e.g. `linux`.
    pub os_family: String,
    /// CPU architecture (`std::env::consts::ARCH`), e.g. `x86_64`.
    pub arch: String,
    /// `rustc -V` of the compiler that built the benchmark.
    pub rustc: String,
    /// First line of `cc --version` (or `$CC`) at build time.
    pub cc: String,
    /// First line of `c++ --version` (or `$CXX`) at build time.
    pub cxx: String,
    /// Cargo profile (its output directory, e.g. `matrix`), optimisation level and debug
    /// info of the build, e.g. `matrix (opt-level 3, debug 1)`.
    pub build_profile: String,
    /// Which CPU the code was compiled for, Rust and C/C++ alike: `portable` (Rust
    /// `-C target-cpu=x86-64`, C/C++ `-march=x86-64`), `native` (`target-cpu=native`,
    /// `-march=native`), `default` (no CPU given: each compiler's default), or `mixed
    /// (...)` when Rust and C/C++ were given different CPUs (an unfair build).
    #[serde(default = "unknown")]
    pub build_flavor: String,
    /// The flags rustc got (`CARGO_ENCODED_RUSTFLAGS`, space-separated); empty for none.
    #[serde(default)]
    pub rustflags: String,
    /// `CFLAGS` the C code compiled from source saw (as the `cc` crate reads it:
    /// `CFLAGS_<target>`, `TARGET_CFLAGS` or `CFLAGS`); empty for none.
    #[serde(default)]
    pub cflags: String,
    /// `CXXFLAGS`, likewise, for C++ compiled from source.
    #[serde(default)]
    pub cxxflags: String,
    /// Target features enabled at compile time for the Rust code (`cfg(target_feature)`),
    /// among the SIMD and bit-manipulation ones the matrix cares about.
    #[serde(default)]
    pub target_features: Vec<String>,
    /// Target triple of the build.
    pub target: String,
    /// The git commit the benchmark was built from (read from `.git` at build time),
    /// or `unknown`. Uncommitted changes are not detected.
    #[serde(default = "unknown")]
    pub git_commit: String,
    /// The `arsenal-bench` domain features compiled in, e.g. `["json", "http"]`.
    #[serde(default)]
    pub domains: Vec<String>,
    /// Every C library and peer crate behind the rows of the compiled-in domains: its
    /// version and how it was built.
    #[serde(default)]
    pub libraries: Vec<Library>,
    /// Start of the run, seconds since the Unix epoch.
    pub timestamp: u64,
    /// Timing profile name: `quick`, `full`, `smoke`, or `verify` (untimed).
    pub profile: String,
    /// Warm-up per cell, milliseconds.
    pub warmup_ms: f64,
    /// Timed samples per cell.
    pub samples: usize,
    /// Minimum duration of one sample, milliseconds.
    pub min_sample_ms: f64,
    /// Directory the data sets were read from; `null` when domains generated their data.
    pub data_dir: Option<String>,
    /// Machine-level numbers the domains of the run measured (see
    /// [`Domain::extras`](crate::domain::Domain::extras)), e.g. the DRAM copy bandwidth.
    #[serde(default)]
    pub extras: Vec<Extra>,
}

fn unknown() -> String {
    "unknown".to_owned()
}

/// A machine-level number measured by a domain for the run (`machine.extras[]`).
///
/// ```
/// let extra = arsenal_bench::machine::Extra {
///     domain: "mem".into(),
///     name: "DRAM copy ceiling".into(),
///     value: Some(11.5),
///     unit: "GB/s".into(),
///     how: "one 256 MiB memcpy, median of 3".into(),
/// };
/// assert_eq!(extra.display(), "11.5 GB/s (one 256 MiB memcpy, median of 3)");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Extra {
    /// The domain that measured it, e.g. `mem`.
    pub domain: String,
    /// What it is, e.g. `DRAM copy ceiling`.
    pub name: String,
    /// The number; `null` when it could not be measured.
    pub value: Option<f64>,
    /// Its unit, e.g. `GB/s`.
    pub unit: String,
    /// How it was measured.
    pub how: String,
}

impl Extra {
    /// `value unit (how)`, three significant digits; `n/a` for a missing value.
    pub fn display(&self) -> String {
        let value = match self.value {
            Some(v) if v.is_finite() && v.abs() >= 100.0 => format!("{v:.0}"),
            Some(v) if v.is_finite() && v.abs() >= 10.0 => format!("{v:.1}"),
            Some(v) if v.is_finite() => format!("{v:.2}"),
            _ => "n/a".to_owned(),
        };
        format!("{value} {} ({})", self.unit, self.how)
    }
}

/// One C library or peer crate behind the matrix rows (`machine.libraries[]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Library {
    /// Library or crate name, e.g. `simdjson` or `serde_json`.
    pub name: String,
    /// The `arsenal-bench` domain whose rows use it.
    pub domain: String,
    /// `c` (a C/C++ library behind `arsenal:`/`raw:` rows) or `peer` (a pure-Rust
    /// crate behind `peer:` rows).
    pub kind: String,
    /// The crate that provides it (an Arsenal `-sys` crate, a crates.io `-sys` crate
    /// bundling the C source, or the peer crate itself).
    pub package: String,
    /// Its version: the library's own (probed from its header by our `-sys` crates) or
    /// the crate's from `Cargo.lock` (crates.io `-sys` crates often name the bundled
    /// library's version after a `+`); `unknown` when neither is known.
    pub version: String,
    /// How our `-sys` crate found it (`system`, `deps-prebuilt`, `deps-source`,
    /// `vendored`, `env`, `env-source`, `crates-io`), `crates.io` for other crates.
    pub route: String,
    /// How it was built: `source` (compiled here, so the build's `CFLAGS`/`CXXFLAGS`
    /// and `-march` applied), `prebuilt (Debian)` or `prebuilt (...)` (a binary
    /// built elsewhere: `-march` did not apply), `rust` for peer crates.
    pub build: String,
}

impl Library {
    /// Whether the library is a prebuilt binary (the build's `-march` did not apply).
    ///
    /// ```
    /// let lib = arsenal_bench::machine::Library {
    ///     name: "snappy".into(), domain: "compress".into(), kind: "c".into(),
    ///     package: "arsenal-snappy-sys".into(), version: "1.1.9".into(),
    ///     route: "system".into(), build: "prebuilt (Debian)".into(),
    /// };
    /// assert!(lib.is_prebuilt());
    /// ```
    pub fn is_prebuilt(&self) -> bool {
        self.build.starts_with("prebuilt")
    }
}

/// The libraries recorded by `build.rs` (`OUT_DIR/libraries.tsv`): one per line,
/// `name domain kind package version route build`, tab-separated.
const LIBRARIES_TSV: &str = include_str!(concat!(env!("OUT_DIR"), "/libraries.tsv"));

/// The libraries behind the compiled-in domains, as `build.rs` found them.
///
/// ```
/// for lib in arsenal_bench::machine::libraries() {
///     assert!(lib.kind == "c" || lib.kind == "peer");
///     assert!(!lib.version.is_empty());
/// }
/// ```
pub fn libraries() -> Vec<Library> {
    parse_libraries(LIBRARIES_TSV)
}

fn parse_libraries(tsv: &str) -> Vec<Library> {
    tsv.lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let [name, domain, kind, package, version, route, build] = fields[..] else {
                return None;
            };
            Some(Library {
                name: name.to_owned(),
                domain: domain.to_owned(),
                kind: kind.to_owned(),
                package: package.to_owned(),
                version: version.to_owned(),
                route: route.to_owned(),
                build: build.to_owned(),
            })
        })
        .collect()
}

impl Machine {
    /// Describes this machine and build, for a run with `profile` on `data_dir`.
    /// [`Machine::extras`] starts empty: the CLI fills it from the domains of the run.
    ///
    /// ```
    /// let machine = arsenal_bench::machine::Machine::detect(
    ///     &arsenal_bench::harness::Profile::full(),
    ///     Some(std::path::Path::new("/data")),
    /// );
    /// assert_eq!(machine.samples, 31);
    /// assert_eq!(machine.data_dir.as_deref(), Some("/data"));
    /// ```
    pub fn detect(profile: &Profile, data_dir: Option<&Path>) -> Machine {
        let cpu = arsenal::cpu::features();
        Machine {
            cpu_model: cpu_model(),
            cpu_features: cpu.names().into_iter().map(str::to_owned).collect(),
            simd_level: cpu.simd_level().to_string(),
            logical_cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu_governor: read_trimmed("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"),
            os: os_name(),
            kernel: read_trimmed("/proc/sys/kernel/osrelease").unwrap_or_else(unknown),
            os_family: std::env::consts::OS.to_owned(),
            arch: std::env::consts::ARCH.to_owned(),
            rustc: env!("ARSENAL_RUSTC_VERSION").to_owned(),
            cc: env!("ARSENAL_CC_VERSION").to_owned(),
            cxx: env!("ARSENAL_CXX_VERSION").to_owned(),
            build_profile: env!("ARSENAL_BUILD_PROFILE").to_owned(),
            build_flavor: env!("ARSENAL_BUILD_FLAVOR").to_owned(),
            rustflags: env!("ARSENAL_RUSTFLAGS").to_owned(),
            cflags: env!("ARSENAL_CFLAGS").to_owned(),
            cxxflags: env!("ARSENAL_CXXFLAGS").to_owned(),
            target_features: split_list(env!("ARSENAL_TARGET_FEATURES")),
            target: env!("ARSENAL_TARGET").to_owned(),
            git_commit: env!("ARSENAL_GIT_COMMIT").to_owned(),
            domains: split_list(env!("ARSENAL_DOMAINS")),
            libraries: libraries(),
            timestamp: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_secs()),
            profile: profile.name.to_owned(),
            warmup_ms: profile.warmup.as_secs_f64() * 1e3,
            samples: profile.samples,
            min_sample_ms: profile.min_sample.as_secs_f64() * 1e3,
            data_dir: data_dir.map(|dir| dir.display().to_string()),
            extras: Vec::new(),
        }
    }

    /// Whether the benchmark was built without optimisation (its timings mean little).
    ///
    /// ```
    /// let machine = arsenal_bench::machine::Machine::detect(&arsenal_bench::harness::Profile::quick(), None);
    /// if machine.is_debug_build() {
    ///     eprintln!("warning: unoptimised build, timings are not meaningful");
    /// }
    /// ```
    pub fn is_debug_build(&self) -> bool {
        self.build_profile.contains("opt-level 0")
    }
}

/// A comma-separated list from `build.rs`, empty entries dropped.
fn split_list(list: &str) -> Vec<String> {
    list.split(',')
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A file's contents, trimmed; `None` when unreadable or empty.
fn read_trimmed(path: &str) -> Option<String> {
    let text = fs::read_to_string(path).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// The CPU model of this machine, or `unknown`.
///
/// ```
/// assert!(!arsenal_bench::machine::cpu_model().is_empty());
/// ```
pub fn cpu_model() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| parse_cpu_model(&text))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The CPU model named in `/proc/cpuinfo` text: `model name` (x86), else `Hardware`,
/// `Model` or `cpu model` (Arm, MIPS, ...).
///
/// ```
/// let text = "processor\t: 0\nmodel name\t: AMD EPYC 7B13\n";
/// assert_eq!(arsenal_bench::machine::parse_cpu_model(text).as_deref(), Some("AMD EPYC 7B13"));
/// ```
pub fn parse_cpu_model(cpuinfo: &str) -> Option<String> {
    ["model name", "Hardware", "Model", "cpu model"]
        .iter()
        .find_map(|wanted| {
            cpuinfo.lines().find_map(|line| {
                let (key, value) = line.split_once(':')?;
                let value = value.trim();
                (key.trim() == *wanted && !value.is_empty()).then(|| value.to_owned())
            })
        })
}

/// `PRETTY_NAME` from `/etc/os-release`, else `std::env::consts::OS`.
///
/// ```
/// assert!(!arsenal_bench::machine::os_name().is_empty());
/// ```
pub fn os_name() -> String {
    fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| parse_os_release(&text))
        .unwrap_or_else(|| std::env::consts::OS.to_owned())
}

/// The `PRETTY_NAME` value of `os-release` text, unquoted.
///
/// ```
/// let text = "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n";
/// assert_eq!(
///     arsenal_bench::machine::parse_os_release(text).as_deref(),
///     Some("Debian GNU/Linux 12 (bookworm)")
/// );
/// ```
pub fn parse_os_release(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let value = line.trim().strip_prefix("PRETTY_NAME=")?.trim();
        let unquoted = ['"', '\'']
            .iter()
            .find_map(|quote| value.strip_prefix(*quote)?.strip_suffix(*quote))
            .unwrap_or(value);
        (!unquoted.is_empty()).then(|| unquoted.replace("\\\"", "\""))
    })
}

/// `YYYY-MM-DD HH:MM:SS UTC` for seconds since the Unix epoch (proleptic Gregorian).
///
/// ```
/// assert_eq!(arsenal_bench::machine::utc_datetime(1_700_000_000), "2023-11-14 22:13:20 UTC");
/// ```
pub fn utc_datetime(seconds: u64) -> String {
    let days = seconds / 86_400;
    let rest = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Calendar date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_model_parsing() {
        let x86 = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel\t\t: 85\n\
                   model name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\nflags\t\t: fpu sse2\n";
        assert_eq!(
            parse_cpu_model(x86).as_deref(),
            Some("Intel(R) Xeon(R) CPU @ 2.20GHz")
        );
        let arm =
            "processor\t: 0\nBogoMIPS\t: 50.00\nHardware\t: BCM2835\nModel\t: Raspberry Pi 4\n";
        assert_eq!(parse_cpu_model(arm).as_deref(), Some("BCM2835"));
        assert_eq!(parse_cpu_model("processor\t: 0\nmodel name\t:\n"), None);
        assert_eq!(parse_cpu_model(""), None);
    }

    #[test]
    fn os_release_parsing() {
        assert_eq!(
            parse_os_release("ID=alpine\nPRETTY_NAME='Alpine Linux v3.19'\n").as_deref(),
            Some("Alpine Linux v3.19")
        );
        assert_eq!(
            parse_os_release("PRETTY_NAME=Plain").as_deref(),
            Some("Plain")
        );
        assert_eq!(parse_os_release("NAME=x\nPRETTY_NAME=\"\"\n"), None);
        assert_eq!(parse_os_release(""), None);
    }

    #[test]
    fn dates() {
        assert_eq!(utc_datetime(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc_datetime(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc_datetime(951_868_799), "2000-02-29 23:59:59 UTC");
        assert_eq!(utc_datetime(951_955_199), "2000-03-01 23:59:59 UTC");
        assert_eq!(utc_datetime(4_107_542_400), "2100-03-01 00:00:00 UTC");
    }

    #[test]
    fn detected_machine_is_filled_in() {
        let machine = Machine::detect(&Profile::smoke(), None);
        assert!(!machine.cpu_model.is_empty());
        assert_eq!(
            machine.cpu_features,
            arsenal::cpu::features().names().to_vec()
        );
        assert!(machine.timestamp > 1_600_000_000);
        assert!(!machine.target.is_empty());
        assert!(machine.build_profile.contains("opt-level"));
        assert_eq!(machine.data_dir, None);
        assert_eq!(machine.min_sample_ms, 0.1);
        let json = serde_json::to_value(&machine).unwrap();
        for key in [
            "cpu_model",
            "cpu_features",
            "logical_cores",
            "cpu_governor",
            "os",
            "kernel",
            "rustc",
            "cc",
            "cxx",
            "build_flavor",
            "rustflags",
            "cflags",
            "cxxflags",
            "target_features",
            "git_commit",
            "domains",
            "libraries",
            "extras",
        ] {
            assert!(json.get(key).is_some(), "missing {key}");
        }
        assert!(!machine.kernel.is_empty());
        assert!(!machine.git_commit.is_empty());
    }

    #[test]
    fn libraries_parse_and_skip_malformed_lines() {
        let tsv =
            "simdjson\tjson\tc\tarsenal-simdjson-sys\t3.12.3\tdeps-prebuilt\tprebuilt (Debian)\n\
                   broken line\n\
                   serde_json\tjson\tpeer\tserde_json\t1.0.140\tcrates.io\trust\n";
        let libs = parse_libraries(tsv);
        assert_eq!(libs.len(), 2);
        assert!(libs[0].is_prebuilt());
        assert_eq!(
            (libs[1].name.as_str(), libs[1].version.as_str()),
            ("serde_json", "1.0.140")
        );
        assert!(!libs[1].is_prebuilt());
        // What build.rs recorded parses completely: one entry per line.
        assert_eq!(libraries().len(), LIBRARIES_TSV.lines().count());
    }

    #[test]
    fn old_machine_objects_still_load() {
        let mut json = serde_json::to_value(Machine::detect(&Profile::smoke(), None)).unwrap();
        let object = json.as_object_mut().unwrap();
        for key in [
            "cpu_governor",
            "kernel",
            "build_flavor",
            "rustflags",
            "cflags",
            "cxxflags",
            "target_features",
            "git_commit",
            "domains",
            "libraries",
            "extras",
        ] {
            object.remove(key);
        }
        object.insert("dram_copy_gbps".to_owned(), serde_json::json!(12.5));
        let machine: Machine = serde_json::from_value(json).unwrap();
        assert_eq!(
            (machine.kernel.as_str(), machine.git_commit.as_str()),
            ("unknown", "unknown")
        );
        assert!(machine.libraries.is_empty() && machine.extras.is_empty());
    }
}
