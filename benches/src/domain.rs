//! What a domain tells the harness about itself: the harness, the report and the CLI
//! name no domain; each `benches/src/<domain>.rs` exports one [`Domain`] and
//! [`crate::domains`] lists the ones compiled in (one cargo feature per domain).
//!
//! ```
//! use arsenal_bench::domain::{Domain, Memory};
//! use arsenal_bench::harness::{Case, Registry};
//! use arsenal_bench::report::Unit;
//!
//! fn register(reg: &mut Registry, _data: Option<&std::path::Path>) {
//!     reg.add(Case::new("demo", "sum", "1k", "peer:std", 8192, 1024, || 523_776).expect(523_776));
//! }
//!
//! const DEMO: Domain = Domain {
//!     name: "demo",
//!     title: "Demo sums",
//!     register,
//!     unit: |_op| None,
//!     memory: Memory::None,
//!     tables: |_results, _machine| Vec::new(),
//!     charts: |_results| Vec::new(),
//!     note: |_machine| None,
//!     extras: Vec::new,
//!     select: None,
//!     reads_data: false,
//! };
//! let mut registry = Registry::new();
//! (DEMO.register)(&mut registry, None);
//! assert_eq!(registry.ids(), ["demo/sum/1k/peer:std"]);
//! assert_eq!((DEMO.unit)("sum"), None::<Unit>);
//!
//! // The same, with every optional part left at its default:
//! const SHORT: Domain = Domain { name: "demo", title: "Demo sums", register, ..Domain::EMPTY };
//! assert!((SHORT.extras)().is_empty());
//! assert!((SHORT.charts)(&[]).is_empty());
//! ```

use std::fmt;
use std::path::Path;

use arsenal::Strategy;

use crate::harness::{BenchResult, Registry};
use crate::machine::{Extra, Machine};
use crate::report::{Chart, MemoryRow, Table, Unit};
use crate::strategy::Pick;

/// A domain of the matrix, described as data.
#[derive(Clone, Copy)]
pub struct Domain {
    /// The first part of every cell id of the domain (e.g. `json`); also the name of
    /// the `arsenal-bench` cargo feature that builds it.
    pub name: &'static str,
    /// A heading for the report (e.g. `JSON parsing`).
    pub title: &'static str,
    /// Adds the domain's cases; reads data sets from the directory when given and
    /// generates data otherwise. Every case carries its verification
    /// ([`Case::expect`](crate::harness::Case::expect) or
    /// [`Case::verify`](crate::harness::Case::verify)).
    pub register: fn(&mut Registry, Option<&Path>),
    /// The unit an operation's table is shown in; `None` picks one from the results
    /// (GB/s where every cell has bytes, else items/s, else ns per iteration). A unit
    /// that some measured cell cannot be shown in (e.g. ns per item for a cell without
    /// items) falls back to that choice too.
    pub unit: fn(op: &str) -> Option<Unit>,
    /// Memory rows the domain measures (`domain/memory/<dataset>/<impl>`, see
    /// [`MemoryRow`]), and when.
    pub memory: Memory,
    /// Extra tables derived from the domain's results (title, table), shown after
    /// its operation tables. Gets only the domain's own rows, and the machine they ran
    /// on (its [`Machine::extras`], e.g. a measured peak to read the rows against). The
    /// report splits a table wider than a screen into several (the first column
    /// repeated).
    pub tables: TablesFn,
    /// Line charts derived from the domain's results ([`Chart`]), shown after its extra
    /// tables: in the HTML report as inline SVG line charts, in the Markdown report as a
    /// table of the same points. Gets only the domain's own rows and must derive every
    /// point from them (cell ids, checksums, items), so that `--render` redraws the same
    /// charts from a saved results file.
    pub charts: ChartsFn,
    /// A note under the domain's heading (e.g. how many threads the machine has for
    /// multi-thread rows), or `None`. Called when a report is rendered, also from a
    /// saved results file (`--render`): it may read the machine, never measure.
    pub note: fn(&Machine) -> Option<String>,
    /// Machine-level numbers the domain measures once per run, before any cell is timed
    /// (e.g. the DRAM copy bandwidth that bounds large copies), recorded in the results'
    /// `machine.extras` and shown in the report header. Called only when at least one
    /// cell of the domain is selected, and never by `--verify` or `--list`.
    pub extras: fn() -> Vec<Extra>,
    /// The domain crate whose `Backend::for_strategy` this domain's rows justify, for
    /// `--strategy-table` ([`crate::strategy`]); `None` when no crate picks from them.
    pub select: Option<Selection>,
    /// Whether `register` reads the data directory when it gets one (its cells, or their
    /// data, differ with and without `../shared/data`). `arsenal-bench --data-domains`
    /// selects these domains: `scripts/test` verifies their generated stand-ins once more
    /// where the data is present, and only theirs (every other domain always generates
    /// its data, so one `--verify` covers it).
    pub reads_data: bool,
}

/// A domain's extra tables ([`Domain::tables`]): (title, table) pairs from its results
/// and the machine they ran on.
pub type TablesFn = fn(&[BenchResult], &Machine) -> Vec<(String, Table)>;

/// A domain's line charts ([`Domain::charts`]), derived from its results alone.
pub type ChartsFn = fn(&[BenchResult]) -> Vec<Chart>;

/// A domain crate with a `Backend` enum implementing [`arsenal::Select`], as the
/// strategy table reads it.
///
/// ```
/// use arsenal_bench::domain::{Domain, Selection};
/// use arsenal_bench::strategy::pick;
/// use arsenal::Strategy;
///
/// # #[cfg(feature = "json")] {
/// const JSON: Domain = Domain {
///     name: "json",
///     select: Some(Selection { krate: "arsenal-json", pick: pick::<arsenal_json::Backend> }),
///     ..Domain::EMPTY
/// };
/// let selection = JSON.select.unwrap();
/// assert!((selection.pick)(Strategy::Balanced).evidence.is_none());
/// # }
/// ```
#[derive(Clone, Copy)]
pub struct Selection {
    /// The crate's name, e.g. `arsenal-json`.
    pub krate: &'static str,
    /// Its pick, evidence row and available backends for a strategy (usually
    /// [`crate::strategy::pick`] of the crate's `Backend`).
    pub pick: fn(Strategy) -> Pick,
}

impl fmt::Debug for Selection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Selection")
            .field("krate", &self.krate)
            .finish_non_exhaustive()
    }
}

impl Domain {
    /// A domain with every optional part at its default: no unit override, no memory
    /// rows, no extra tables, no charts, no note, no extras, no selecting crate. Start a
    /// domain's constant from it
    /// (`Domain { name, title, register, ..Domain::EMPTY }`) so new optional parts do not
    /// break it.
    pub const EMPTY: Domain = Domain {
        name: "",
        title: "",
        register: |_registry, _data| {},
        unit: |_op| None,
        memory: Memory::None,
        tables: |_results, _machine| Vec::new(),
        charts: |_results| Vec::new(),
        note: |_machine| None,
        extras: Vec::new,
        select: None,
        reads_data: false,
    };
}

/// When a domain measures its memory rows, relative to the timing runs. Each row names
/// its dataset and says in `what` how it was measured; [`crate::footprint`] has the
/// shared measurements (heap bytes in use, resident-set growth and peak).
#[derive(Clone, Copy)]
pub enum Memory {
    /// The domain has no memory rows.
    None,
    /// Measured before any cell is timed (e.g. first-touch footprints that the timing
    /// runs would disturb).
    Before(fn() -> Vec<MemoryRow>),
    /// Measured after the timing runs.
    After(fn() -> Vec<MemoryRow>),
}

impl fmt::Debug for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Domain")
            .field("name", &self.name)
            .field("title", &self.title)
            .field("select", &self.select)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Memory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Memory::None => "None",
            Memory::Before(_) => "Before(..)",
            Memory::After(_) => "After(..)",
        })
    }
}
