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
/// ```
/// use arsenal_bench::{harness::Profile, machine::Machine};
///
/// let machine = Machine::detect(&Profile::quick(), None);
/// assert_eq!(machine.profile, "quick");
/// assert!(machine.logical_cores >= 1);
/// assert!(machine.rustc.starts_with("rustc"));
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
    /// Operating system: `PRETTY_NAME` of `/etc/os-release`, else the OS family.
    pub os: String,
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
    /// Cargo profile and optimisation level of the build, e.g. `release (opt-level 3)`.
    pub build_profile: String,
    /// Target triple of the build.
    pub target: String,
    /// Start of the run, seconds since the Unix epoch.
    pub timestamp: u64,
    /// Timing profile name: `quick`, `full` or `smoke`.
    pub profile: String,
    /// Warm-up per cell, milliseconds.
    pub warmup_ms: f64,
    /// Timed samples per cell.
    pub samples: usize,
    /// Minimum duration of one sample, milliseconds.
    pub min_sample_ms: f64,
    /// Directory the data sets were read from; `null` when domains generated their data.
    pub data_dir: Option<String>,
    /// The machine's DRAM copy bandwidth in GB/s (one 256 MiB glibc `memcpy`, median of
    /// 3), the ceiling for the large `mem/copy` rows; `null` when no `mem` row ran.
    #[serde(default)]
    pub dram_copy_gbps: Option<f64>,
}

impl Machine {
    /// Describes this machine and build, for a run with `profile` on `data_dir`.
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
            os: os_name(),
            os_family: std::env::consts::OS.to_owned(),
            arch: std::env::consts::ARCH.to_owned(),
            rustc: env!("ARSENAL_RUSTC_VERSION").to_owned(),
            cc: env!("ARSENAL_CC_VERSION").to_owned(),
            cxx: env!("ARSENAL_CXX_VERSION").to_owned(),
            build_profile: env!("ARSENAL_BUILD_PROFILE").to_owned(),
            target: env!("ARSENAL_TARGET").to_owned(),
            timestamp: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_secs()),
            profile: profile.name.to_owned(),
            warmup_ms: profile.warmup.as_secs_f64() * 1e3,
            samples: profile.samples,
            min_sample_ms: profile.min_sample.as_secs_f64() * 1e3,
            data_dir: data_dir.map(|dir| dir.display().to_string()),
            dram_copy_gbps: None,
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
            "os",
            "rustc",
            "cc",
            "cxx",
        ] {
            assert!(json.get(key).is_some(), "missing {key}");
        }
    }
}
