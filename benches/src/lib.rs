//! The Arsenal matrix benchmark harness.
//!
//! Every wrapped C library is timed three ways on the same data in one process: through
//! our wrapper (`arsenal:<lib>`), called raw over FFI (`raw:<lib>`), and against the best
//! pure-Rust alternatives (`peer:<crate>`). Cells are named
//! `domain/operation/dataset/implementation`; the results go to JSON, a Markdown table
//! (with the wrapper overhead `arsenal/raw` per library) and a self-contained HTML page
//! with SVG bar charts.
//!
//! A domain module registers [`harness::Case`]s into a [`harness::Registry`]:
//!
//! ```
//! use arsenal_bench::harness::{Case, Profile, Progress, Registry};
//!
//! let mut registry = Registry::new();
//! let data: Vec<u64> = (0..1024).collect();
//! let bytes = (data.len() * 8) as u64;
//! registry.add(Case::new("demo", "sum", "1k", "peer:std", bytes, data.len() as u64, move || {
//!     data.iter().sum()
//! }));
//! registry.add(Case::failed("demo", "sum", "1k", "raw:libdemo", "library not built"));
//!
//! let results = registry.run(&Profile::smoke(), &mut Progress::hidden());
//! assert_eq!(results[0].id, "demo/sum/1k/peer:std");
//! assert_eq!(results[0].checksum, Some(1023 * 1024 / 2));
//! assert!(results[1].error.is_some());
//! ```

#![warn(missing_docs)]

pub mod alloc;
pub mod compress;
pub mod coro;
pub mod harness;
pub mod hash;
pub mod http;
pub mod http_server;
pub mod json;
pub mod machine;
pub mod mem;
pub mod report;
pub mod sync;
