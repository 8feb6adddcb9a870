//! What to optimise for: one meaning for every domain.

use std::fmt;
use std::str::FromStr;

/// What to optimise for. Every domain crate maps each strategy to one of its available
/// backends with `Backend::for_strategy` (the [`Select`](crate::Select) trait), and each
/// mapping's doc names the benchmark row that justifies it.
///
/// The meanings are the same in every domain:
///
/// | strategy | means | measured by |
/// |---|---|---|
/// | [`Throughput`](Strategy::Throughput) | most bytes (or items) per second on large inputs | the domain's large-input rows |
/// | [`Latency`](Strategy::Latency) | least time per operation on small inputs | the domain's small-input rows |
/// | [`Balanced`](Strategy::Balanced) | the crate's compile-time default (its `Default…` alias) | its documented priority |
/// | [`MinimalMemory`](Strategy::MinimalMemory) | smallest memory footprint of the backend's own state | the domain's memory rows |
/// | [`MaximalSpeed`](Strategy::MaximalSpeed) | fastest on *this* CPU: consults [`cpu::features`](crate::cpu::features) wherever backends differ by SIMD | the large-input rows, per SIMD tier |
///
/// ```
/// use arsenal_core::Strategy;
/// let s: Strategy = "latency".parse()?;
/// assert_eq!(s, Strategy::Latency);
/// assert_eq!(s.to_string(), "latency");
/// assert_eq!("Minimal_Memory".parse::<Strategy>()?, Strategy::MinimalMemory);
/// # Ok::<(), arsenal_core::ParseStrategyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Strategy {
    /// Most bytes (or items) per second on large inputs.
    Throughput,
    /// Least time per operation on small inputs.
    Latency,
    /// The crate's compile-time default backend (its `Default…` alias).
    #[default]
    Balanced,
    /// Smallest memory footprint of the backend's own state (not of its output).
    MinimalMemory,
    /// Fastest on the running CPU: like `Throughput`, but where backends differ by the
    /// SIMD they need, the choice follows what this CPU offers.
    MaximalSpeed,
}

impl Strategy {
    /// All strategies.
    ///
    /// ```
    /// assert_eq!(arsenal_core::Strategy::ALL.len(), 5);
    /// ```
    pub const ALL: [Strategy; 5] = [
        Strategy::Throughput,
        Strategy::Latency,
        Strategy::Balanced,
        Strategy::MinimalMemory,
        Strategy::MaximalSpeed,
    ];

    /// Lower-case name, as accepted by [`FromStr`].
    ///
    /// ```
    /// assert_eq!(arsenal_core::Strategy::MaximalSpeed.name(), "maximal-speed");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Strategy::Throughput => "throughput",
            Strategy::Latency => "latency",
            Strategy::Balanced => "balanced",
            Strategy::MinimalMemory => "minimal-memory",
            Strategy::MaximalSpeed => "maximal-speed",
        }
    }

    /// The strategy named by the `ARSENAL_STRATEGY` environment variable, if set and
    /// valid, else [`Strategy::Balanced`].
    ///
    /// ```
    /// let strategy = arsenal_core::Strategy::from_env();
    /// assert!(arsenal_core::Strategy::ALL.contains(&strategy));
    /// ```
    pub fn from_env() -> Strategy {
        std::env::var("ARSENAL_STRATEGY")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_default()
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Error of `Strategy::from_str` for an unknown name; its message lists the valid names.
///
/// ```
/// let err = "fast".parse::<arsenal_core::Strategy>().unwrap_err();
/// assert!(err.to_string().contains("minimal-memory"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseStrategyError(String);

impl fmt::Display for ParseStrategyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown strategy {:?} (expected one of: throughput, latency, balanced, minimal-memory, maximal-speed)",
            self.0
        )
    }
}

impl std::error::Error for ParseStrategyError {}

impl FromStr for Strategy {
    type Err = ParseStrategyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace('_', "-");
        Strategy::ALL
            .into_iter()
            .find(|st| st.name() == norm || st.name().replace('-', "") == norm)
            .ok_or_else(|| ParseStrategyError(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in Strategy::ALL {
            assert_eq!(s.name().parse::<Strategy>(), Ok(s));
            assert_eq!(s.to_string().to_uppercase().parse::<Strategy>(), Ok(s));
        }
        assert_eq!(
            "MinimalMemory".parse::<Strategy>(),
            Ok(Strategy::MinimalMemory)
        );
        assert!("fast".parse::<Strategy>().is_err());
    }
}
