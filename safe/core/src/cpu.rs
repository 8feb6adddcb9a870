//! Run-time CPU feature detection.
//!
//! The C libraries that Arsenal wraps pick their SIMD kernels at run time; this module
//! reports what the running CPU offers so that benchmarks, logs and strategy choices can
//! name it. Detection uses the standard library's `is_x86_feature_detected!` and
//! `is_aarch64_feature_detected!`, which also account for OS support (e.g. AVX state
//! saving), so a feature listed here is one that code may actually use.
//!
//! ```
//! let cpu = arsenal_core::cpu::features();
//! println!("SIMD level {}: {}", cpu.simd_level(), cpu);
//! # #[cfg(target_arch = "x86_64")]
//! assert!(cpu.sse2);
//! ```

use std::error::Error as StdError;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

/// The instruction-set extensions the running CPU supports.
///
/// Fields for another architecture than the running one are always `false`.
/// Obtain the cached value with [`features`] or detect afresh with
/// [`CpuFeatures::detect`].
///
/// ```
/// use arsenal_core::cpu::CpuFeatures;
///
/// let cpu = CpuFeatures::detect();
/// if cpu.avx2 {
///     println!("AVX2 kernels available");
/// }
/// assert_eq!(cpu.has("avx2"), cpu.avx2);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CpuFeatures {
    /// x86 SSE2 (always present on x86_64).
    pub sse2: bool,
    /// x86 SSE3.
    pub sse3: bool,
    /// x86 Supplemental SSE3.
    pub ssse3: bool,
    /// x86 SSE4.1 (name `sse4.1`).
    pub sse41: bool,
    /// x86 SSE4.2 (name `sse4.2`).
    pub sse42: bool,
    /// x86 POPCNT.
    pub popcnt: bool,
    /// x86 AVX.
    pub avx: bool,
    /// x86 AVX2.
    pub avx2: bool,
    /// x86 fused multiply-add (FMA3).
    pub fma: bool,
    /// x86 bit manipulation instructions 1.
    pub bmi1: bool,
    /// x86 bit manipulation instructions 2.
    pub bmi2: bool,
    /// x86 AVX-512 Foundation.
    pub avx512f: bool,
    /// x86 AVX-512 byte and word instructions.
    pub avx512bw: bool,
    /// x86 AVX-512 doubleword and quadword instructions.
    pub avx512dq: bool,
    /// x86 AVX-512 vector length extensions.
    pub avx512vl: bool,
    /// x86 AVX-512 vector byte manipulation instructions.
    pub avx512vbmi: bool,
    /// x86 AES-NI.
    pub aes: bool,
    /// x86 carry-less multiplication.
    pub pclmulqdq: bool,
    /// x86 SHA extensions.
    pub sha: bool,
    /// AArch64 Advanced SIMD (NEON).
    pub neon: bool,
    /// AArch64 CRC32 instructions.
    pub crc: bool,
}

/// Number of features [`CpuFeatures`] knows about.
const FEATURE_COUNT: usize = 21;

impl CpuFeatures {
    /// Every known feature name, in the order [`CpuFeatures::names`] lists them.
    ///
    /// ```
    /// assert!(arsenal_core::cpu::CpuFeatures::ALL_NAMES.contains(&"sse4.2"));
    /// ```
    pub const ALL_NAMES: [&'static str; FEATURE_COUNT] = [
        "sse2",
        "sse3",
        "ssse3",
        "sse4.1",
        "sse4.2",
        "popcnt",
        "avx",
        "avx2",
        "fma",
        "bmi1",
        "bmi2",
        "avx512f",
        "avx512bw",
        "avx512dq",
        "avx512vl",
        "avx512vbmi",
        "aes",
        "pclmulqdq",
        "sha",
        "neon",
        "crc",
    ];

    /// Mutable references to the flags, in [`CpuFeatures::ALL_NAMES`] order. The one
    /// place that ties names to fields, so `names`, `has` and parsing cannot drift apart.
    fn flags_mut(&mut self) -> [&mut bool; FEATURE_COUNT] {
        [
            &mut self.sse2,
            &mut self.sse3,
            &mut self.ssse3,
            &mut self.sse41,
            &mut self.sse42,
            &mut self.popcnt,
            &mut self.avx,
            &mut self.avx2,
            &mut self.fma,
            &mut self.bmi1,
            &mut self.bmi2,
            &mut self.avx512f,
            &mut self.avx512bw,
            &mut self.avx512dq,
            &mut self.avx512vl,
            &mut self.avx512vbmi,
            &mut self.aes,
            &mut self.pclmulqdq,
            &mut self.sha,
            &mut self.neon,
            &mut self.crc,
        ]
    }

    /// The flags by value, in [`CpuFeatures::ALL_NAMES`] order.
    fn flags(&self) -> [bool; FEATURE_COUNT] {
        let mut copy = *self;
        copy.flags_mut().map(|flag| *flag)
    }

    /// Detects the features of the running CPU (no caching; prefer [`features`]).
    ///
    /// ```
    /// let cpu = arsenal_core::cpu::CpuFeatures::detect();
    /// assert_eq!(cpu, *arsenal_core::cpu::features());
    /// ```
    pub fn detect() -> CpuFeatures {
        #[allow(unused_mut)]
        let mut cpu = CpuFeatures::default();
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        {
            use std::arch::is_x86_feature_detected as x86;
            cpu.sse2 = x86!("sse2");
            cpu.sse3 = x86!("sse3");
            cpu.ssse3 = x86!("ssse3");
            cpu.sse41 = x86!("sse4.1");
            cpu.sse42 = x86!("sse4.2");
            cpu.popcnt = x86!("popcnt");
            cpu.avx = x86!("avx");
            cpu.avx2 = x86!("avx2");
            cpu.fma = x86!("fma");
            cpu.bmi1 = x86!("bmi1");
            cpu.bmi2 = x86!("bmi2");
            cpu.avx512f = x86!("avx512f");
            cpu.avx512bw = x86!("avx512bw");
            cpu.avx512dq = x86!("avx512dq");
            cpu.avx512vl = x86!("avx512vl");
            cpu.avx512vbmi = x86!("avx512vbmi");
            cpu.aes = x86!("aes");
            cpu.pclmulqdq = x86!("pclmulqdq");
            cpu.sha = x86!("sha");
        }
        #[cfg(target_arch = "aarch64")]
        {
            use std::arch::is_aarch64_feature_detected as arm;
            cpu.neon = arm!("neon");
            cpu.crc = arm!("crc");
        }
        cpu
    }

    /// The lowercase names of the supported features (e.g. `"avx2"`, `"sse4.2"`), in
    /// [`CpuFeatures::ALL_NAMES`] order.
    ///
    /// ```
    /// let cpu = arsenal_core::cpu::CpuFeatures { sse2: true, sse42: true, ..Default::default() };
    /// assert_eq!(cpu.names(), ["sse2", "sse4.2"]);
    /// ```
    pub fn names(&self) -> Vec<&'static str> {
        Self::ALL_NAMES
            .iter()
            .zip(self.flags())
            .filter_map(|(name, on)| on.then_some(*name))
            .collect()
    }

    /// Whether the feature called `name` is supported. Case, `.`, `_` and `-` are
    /// ignored, so `"sse4.2"`, `"SSE4_2"` and `"sse42"` are the same; unknown names give
    /// `false`.
    ///
    /// ```
    /// let cpu = arsenal_core::cpu::CpuFeatures { sse42: true, ..Default::default() };
    /// assert!(cpu.has("sse4.2") && cpu.has("SSE42"));
    /// assert!(!cpu.has("avx2") && !cpu.has("no-such-feature"));
    /// ```
    pub fn has(&self, name: &str) -> bool {
        feature_index(name).is_some_and(|index| self.flags()[index])
    }

    /// The widest SIMD tier whose defining features are all present.
    ///
    /// Tiers follow the x86-64 micro-architecture levels: `Sse42` needs SSE2 to SSE4.2
    /// and POPCNT (x86-64-v2), `Avx2` adds AVX, AVX2, FMA, BMI1 and BMI2 (x86-64-v3),
    /// `Avx512` adds AVX-512 F, BW, DQ and VL (x86-64-v4). `Neon` is AArch64's SIMD.
    ///
    /// ```
    /// use arsenal_core::cpu::{CpuFeatures, SimdLevel};
    ///
    /// assert_eq!(CpuFeatures::default().simd_level(), SimdLevel::Scalar);
    /// let v2: CpuFeatures = "sse2 sse3 ssse3 sse4.1 sse4.2 popcnt".parse().unwrap();
    /// assert_eq!(v2.simd_level(), SimdLevel::Sse42);
    /// ```
    pub fn simd_level(&self) -> SimdLevel {
        let v2 = self.sse2 && self.sse3 && self.ssse3 && self.sse41 && self.sse42 && self.popcnt;
        let v3 = v2 && self.avx && self.avx2 && self.fma && self.bmi1 && self.bmi2;
        let v4 = v3 && self.avx512f && self.avx512bw && self.avx512dq && self.avx512vl;
        if v4 {
            SimdLevel::Avx512
        } else if v3 {
            SimdLevel::Avx2
        } else if v2 {
            SimdLevel::Sse42
        } else if self.sse2 {
            SimdLevel::Sse2
        } else if self.neon {
            SimdLevel::Neon
        } else {
            SimdLevel::Scalar
        }
    }
}

/// Index into [`CpuFeatures::ALL_NAMES`] of `name`, ignoring case and `.`/`_`/`-`.
fn feature_index(name: &str) -> Option<usize> {
    fn normalized(name: &str) -> impl Iterator<Item = char> + '_ {
        name.chars()
            .filter(|c| !matches!(c, '.' | '_' | '-'))
            .map(|c| c.to_ascii_lowercase())
    }
    CpuFeatures::ALL_NAMES
        .iter()
        .position(|known| normalized(known).eq(normalized(name)))
}

/// The features detected once for this process.
///
/// ```
/// let cpu = arsenal_core::cpu::features();
/// assert!(std::ptr::eq(cpu, arsenal_core::cpu::features()));
/// ```
pub fn features() -> &'static CpuFeatures {
    static FEATURES: OnceLock<CpuFeatures> = OnceLock::new();
    FEATURES.get_or_init(CpuFeatures::detect)
}

/// Who designed the CPU, for the few choices its instruction sets do not decide (the
/// same AVX-512 routine can win on one vendor's cores and lose on the other's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Vendor {
    /// CPUID vendor `GenuineIntel`.
    Intel,
    /// CPUID vendor `AuthenticAMD`, or `HygonGenuine` (Hygon's cores are AMD Zen).
    Amd,
    /// Any other vendor, or not an x86 CPU.
    Other,
}

/// This CPU's [`Vendor`] (CPUID leaf 0 on x86), detected once.
///
/// ```
/// use arsenal_core::cpu::{vendor, Vendor};
/// assert_eq!(vendor(), vendor());
/// if cfg!(not(any(target_arch = "x86", target_arch = "x86_64"))) {
///     assert_eq!(vendor(), Vendor::Other);
/// }
/// ```
pub fn vendor() -> Vendor {
    static VENDOR: OnceLock<Vendor> = OnceLock::new();
    *VENDOR.get_or_init(|| {
        #[cfg(any(
            target_arch = "x86_64",
            all(target_arch = "x86", target_feature = "sse")
        ))]
        {
            #[cfg(target_arch = "x86")]
            use std::arch::x86::__cpuid;
            #[cfg(target_arch = "x86_64")]
            use std::arch::x86_64::__cpuid;
            // SAFETY: CPUID leaf 0 exists on every x86-64 CPU and every x86 CPU with SSE.
            // (`__cpuid` is a safe function on recent toolchains, unsafe before: hence
            // the allow.)
            #[allow(unused_unsafe)]
            let id = unsafe { __cpuid(0) };
            let mut name = [0u8; 12];
            name[..4].copy_from_slice(&id.ebx.to_le_bytes());
            name[4..8].copy_from_slice(&id.edx.to_le_bytes());
            name[8..].copy_from_slice(&id.ecx.to_le_bytes());
            match &name {
                b"GenuineIntel" => Vendor::Intel,
                b"AuthenticAMD" | b"HygonGenuine" => Vendor::Amd,
                _ => Vendor::Other,
            }
        }
        #[cfg(not(any(
            target_arch = "x86_64",
            all(target_arch = "x86", target_feature = "sse")
        )))]
        {
            Vendor::Other
        }
    })
}

/// Space-separated feature names, as [`CpuFeatures::names`]; empty when none.
///
/// The output parses back with [`str::parse`]:
///
/// ```
/// let cpu = *arsenal_core::cpu::features();
/// assert_eq!(cpu.to_string().parse::<arsenal_core::cpu::CpuFeatures>().unwrap(), cpu);
/// ```
impl fmt::Display for CpuFeatures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, name) in self.names().into_iter().enumerate() {
            if index > 0 {
                f.write_str(" ")?;
            }
            f.write_str(name)?;
        }
        Ok(())
    }
}

/// Parses whitespace-separated feature names (as [`CpuFeatures::has`] spells them) into
/// a feature set, e.g. to describe a target machine.
///
/// ```
/// let cpu: arsenal_core::cpu::CpuFeatures = "avx2 sse4.2".parse().unwrap();
/// assert!(cpu.avx2 && cpu.sse42 && !cpu.sse2);
/// assert!("avx9000".parse::<arsenal_core::cpu::CpuFeatures>().is_err());
/// ```
impl FromStr for CpuFeatures {
    type Err = UnknownFeatureError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut cpu = CpuFeatures::default();
        for name in text.split_whitespace() {
            let index = feature_index(name).ok_or_else(|| UnknownFeatureError {
                name: name.to_owned(),
            })?;
            *cpu.flags_mut()[index] = true;
        }
        Ok(cpu)
    }
}

/// A feature name that [`CpuFeatures`] does not know, met while parsing.
///
/// ```
/// let err = "sse2 warp-drive".parse::<arsenal_core::cpu::CpuFeatures>().unwrap_err();
/// assert_eq!(err.name(), "warp-drive");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFeatureError {
    name: String,
}

impl UnknownFeatureError {
    /// The name that was not recognised.
    ///
    /// ```
    /// let err = "mmx".parse::<arsenal_core::cpu::CpuFeatures>().unwrap_err();
    /// assert_eq!(err.name(), "mmx");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for UnknownFeatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown CPU feature name {:?}", self.name)
    }
}

impl StdError for UnknownFeatureError {}

/// A coarse SIMD tier, ordered from narrowest to widest within an architecture
/// (`Neon` sorts last but is not comparable with the x86 tiers in any useful sense).
///
/// ```
/// use arsenal_core::cpu::SimdLevel;
///
/// assert!(SimdLevel::Avx2 > SimdLevel::Sse42);
/// assert_eq!(SimdLevel::Sse42.to_string(), "sse4.2");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SimdLevel {
    /// No SIMD extension recognised.
    Scalar,
    /// x86 SSE2 (x86-64 baseline).
    Sse2,
    /// x86-64-v2: up to SSE4.2 and POPCNT.
    Sse42,
    /// x86-64-v3: AVX2, FMA, BMI1/2.
    Avx2,
    /// x86-64-v4: AVX-512 F/BW/DQ/VL.
    Avx512,
    /// AArch64 Advanced SIMD.
    Neon,
}

impl SimdLevel {
    /// The lowercase name used by `Display`.
    ///
    /// ```
    /// assert_eq!(arsenal_core::cpu::SimdLevel::Avx512.name(), "avx512");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            SimdLevel::Scalar => "scalar",
            SimdLevel::Sse2 => "sse2",
            SimdLevel::Sse42 => "sse4.2",
            SimdLevel::Avx2 => "avx2",
            SimdLevel::Avx512 => "avx512",
            SimdLevel::Neon => "neon",
        }
    }
}

/// Writes [`SimdLevel::name`].
///
/// ```
/// assert_eq!(format!("{}", arsenal_core::cpu::SimdLevel::Neon), "neon");
/// ```
impl fmt::Display for SimdLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn x86_64_baseline_is_present() {
        let cpu = CpuFeatures::detect();
        assert!(cpu.sse2);
        assert!(cpu.has("sse2"));
        assert!(cpu.simd_level() >= SimdLevel::Sse2);
        assert!(!cpu.neon && !cpu.crc);
    }

    #[test]
    #[cfg(target_arch = "aarch64")]
    fn aarch64_has_neon() {
        let cpu = CpuFeatures::detect();
        assert!(cpu.neon);
        assert_eq!(cpu.simd_level(), SimdLevel::Neon);
        assert!(!cpu.sse2);
    }

    #[test]
    fn detection_is_cached_and_stable() {
        assert_eq!(*features(), CpuFeatures::detect());
        assert!(std::ptr::eq(features(), features()));
    }

    #[test]
    fn names_agree_with_has() {
        let cpu = *features();
        let names = cpu.names();
        for name in CpuFeatures::ALL_NAMES {
            assert_eq!(cpu.has(name), names.contains(&name), "{name}");
        }
    }

    #[test]
    fn every_name_maps_to_its_own_flag() {
        for (index, name) in CpuFeatures::ALL_NAMES.iter().enumerate() {
            let single: CpuFeatures = name.parse().unwrap();
            assert_eq!(single.names(), [*name]);
            assert!(single.flags()[index]);
            assert_eq!(single.flags().iter().filter(|on| **on).count(), 1);
        }
        let mut names = CpuFeatures::ALL_NAMES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FEATURE_COUNT);
    }

    #[test]
    fn field_names_are_accepted_too() {
        let cpu = CpuFeatures {
            sse41: true,
            avx512vbmi: true,
            ..Default::default()
        };
        assert!(cpu.has("sse41") && cpu.has("SSE4_1") && cpu.has("sse4-1"));
        assert!(cpu.has("AVX512VBMI"));
        assert!(!cpu.has("") && !cpu.has("sse4.3"));
    }

    #[test]
    fn display_round_trips() {
        let detected = *features();
        assert_eq!(detected.to_string().parse::<CpuFeatures>(), Ok(detected));

        let all: CpuFeatures = CpuFeatures::ALL_NAMES.join(" ").parse().unwrap();
        assert_eq!(all.to_string(), CpuFeatures::ALL_NAMES.join(" "));
        assert_eq!(all.to_string().parse::<CpuFeatures>(), Ok(all));

        assert_eq!(CpuFeatures::default().to_string(), "");
        assert_eq!("".parse::<CpuFeatures>(), Ok(CpuFeatures::default()));
    }

    #[test]
    fn unknown_names_are_rejected() {
        let err = "sse2 avx1024".parse::<CpuFeatures>().unwrap_err();
        assert_eq!(err.name(), "avx1024");
        assert!(err.to_string().contains("avx1024"));
    }

    #[test]
    fn simd_levels_need_every_defining_feature() {
        let parse = |text: &str| text.parse::<CpuFeatures>().unwrap().simd_level();
        let v2 = "sse2 sse3 ssse3 sse4.1 sse4.2 popcnt";
        let v3 = format!("{v2} avx avx2 fma bmi1 bmi2");
        let v4 = format!("{v3} avx512f avx512bw avx512dq avx512vl");
        assert_eq!(parse(""), SimdLevel::Scalar);
        assert_eq!(parse("sse2"), SimdLevel::Sse2);
        assert_eq!(parse("sse2 sse4.2"), SimdLevel::Sse2);
        assert_eq!(parse(v2), SimdLevel::Sse42);
        assert_eq!(parse(&format!("{v2} avx2")), SimdLevel::Sse42);
        assert_eq!(parse(&v3), SimdLevel::Avx2);
        assert_eq!(parse(&format!("{v3} avx512f")), SimdLevel::Avx2);
        assert_eq!(parse(&v4), SimdLevel::Avx512);
        assert_eq!(parse("neon crc"), SimdLevel::Neon);
    }

    #[test]
    fn simd_levels_are_ordered_and_named() {
        use SimdLevel::*;
        let levels = [Scalar, Sse2, Sse42, Avx2, Avx512, Neon];
        assert!(levels.windows(2).all(|pair| pair[0] < pair[1]));
        let names: Vec<String> = levels.iter().map(ToString::to_string).collect();
        assert_eq!(
            names,
            ["scalar", "sse2", "sse4.2", "avx2", "avx512", "neon"]
        );
    }
}
