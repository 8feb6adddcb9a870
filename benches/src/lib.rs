//! The Arsenal matrix benchmark harness.
//!
//! Every wrapped C library is timed three ways on the same data in one process: through
//! our wrapper (`arsenal:<lib>`), called raw over FFI (`raw:<lib>`), and against the best
//! pure-Rust alternatives (`peer:<crate>`). Cells are named
//! `domain/operation/dataset/implementation`; the results go to JSON, a Markdown table
//! (with the wrapper overhead `arsenal/raw` per library) and a self-contained HTML page
//! with SVG bar charts.
//!
//! The harness, the reports and the CLI name no domain: each domain is one module that
//! exports a [`domain::Domain`] (`pub const DOMAIN`), listed by [`domains`], one cargo
//! feature per domain (`json`, `http`, `coro`, `sync`, `alloc`, `mem`, `compress`,
//! `hash`; all on by default). A domain registers [`harness::Case`]s into a
//! [`harness::Registry`], each with the result it must produce:
//!
//! ```
//! use arsenal_bench::harness::{Case, Profile, Progress, Registry, Status};
//!
//! let mut registry = Registry::new();
//! let data: Vec<u64> = (0..1024).collect();
//! let bytes = (data.len() * 8) as u64;
//! let expected = 1023 * 1024 / 2; // computed once, outside the timing
//! registry.add(
//!     Case::new("demo", "sum", "1k", "peer:std", bytes, data.len() as u64, move || {
//!         data.iter().sum()
//!     })
//!     .expect(expected),
//! );
//! registry.add(Case::failed("demo", "sum", "1k", "raw:libdemo", "library not built"));
//!
//! let results = registry.run(&Profile::smoke(), &mut Progress::hidden());
//! assert_eq!(results[0].id, "demo/sum/1k/peer:std");
//! assert_eq!((results[0].status, results[0].checksum), (Status::Ok, Some(expected)));
//! assert_eq!(results[1].status, Status::Failed);
//! assert!(results[1].error.is_some());
//! ```

#![warn(missing_docs)]

#[cfg(feature = "alloc")]
pub mod alloc;
#[cfg(feature = "bitmap")]
pub mod bitmap;
#[cfg(feature = "bits")]
pub mod bits;
#[cfg(feature = "cache")]
pub mod cache;
#[cfg(feature = "color")]
pub mod color;
#[cfg(feature = "compress")]
pub mod compress;
#[cfg(feature = "coro")]
pub mod coro;
#[cfg(feature = "crypto")]
pub mod crypto;
#[cfg(feature = "csv")]
pub mod csv;
pub mod domain;
#[cfg(feature = "fft")]
pub mod fft;
#[cfg(feature = "filter")]
pub mod filter;
pub mod footprint;
#[cfg(feature = "graph")]
pub mod graph;
pub mod harness;
#[cfg(feature = "hash")]
pub mod hash;
#[cfg(feature = "heap")]
pub mod heap;
#[cfg(feature = "http")]
pub mod http;
#[cfg(feature = "http")]
pub mod http_server;
#[cfg(feature = "json")]
pub mod json;
#[cfg(feature = "linalg")]
pub mod linalg;
pub mod machine;
#[cfg(feature = "map")]
pub mod map;
#[cfg(feature = "media")]
pub mod media;
#[cfg(feature = "mem")]
pub mod mem;
#[cfg(feature = "ml")]
pub mod ml;
#[cfg(feature = "num")]
pub mod num;
#[cfg(feature = "rand")]
pub mod rand;
pub mod report;
#[cfg(feature = "sketch")]
pub mod sketch;
#[cfg(feature = "sort")]
pub mod sort;
pub mod strategy;
#[cfg(feature = "sync")]
pub mod sync;
#[cfg(feature = "text")]
pub mod text;
#[cfg(feature = "tree")]
pub mod tree;
#[cfg(feature = "video")]
pub mod video;

use domain::Domain;

/// The domains compiled into this build, in report order; each behind the cargo
/// feature of its name.
///
/// ```
/// let names: Vec<&str> = arsenal_bench::domains().iter().map(|d| d.name).collect();
/// let mut unique = names.clone();
/// unique.sort_unstable();
/// unique.dedup();
/// assert_eq!(unique.len(), names.len(), "one Domain per name: {names:?}");
/// # #[cfg(feature = "json")]
/// assert!(names.contains(&"json"));
/// ```
pub fn domains() -> Vec<Domain> {
    vec![
        #[cfg(feature = "json")]
        json::DOMAIN,
        #[cfg(feature = "http")]
        http::DOMAIN,
        #[cfg(feature = "coro")]
        coro::DOMAIN,
        #[cfg(feature = "sync")]
        sync::DOMAIN,
        #[cfg(feature = "alloc")]
        alloc::DOMAIN,
        #[cfg(feature = "mem")]
        mem::DOMAIN,
        #[cfg(feature = "compress")]
        compress::DOMAIN,
        #[cfg(feature = "hash")]
        hash::DOMAIN,
        #[cfg(feature = "linalg")]
        linalg::DOMAIN,
        #[cfg(feature = "ml")]
        ml::DOMAIN,
        #[cfg(feature = "fft")]
        fft::DOMAIN,
        #[cfg(feature = "media")]
        media::DOMAIN,
        #[cfg(feature = "video")]
        video::DOMAIN,
        #[cfg(feature = "color")]
        color::DOMAIN,
        #[cfg(feature = "crypto")]
        crypto::DOMAIN,
        #[cfg(feature = "filter")]
        filter::DOMAIN,
        #[cfg(feature = "cache")]
        cache::DOMAIN,
        #[cfg(feature = "bitmap")]
        bitmap::DOMAIN,
        #[cfg(feature = "map")]
        map::DOMAIN,
        #[cfg(feature = "heap")]
        heap::DOMAIN,
        #[cfg(feature = "text")]
        text::DOMAIN,
        #[cfg(feature = "sort")]
        sort::DOMAIN,
        #[cfg(feature = "csv")]
        csv::DOMAIN,
        #[cfg(feature = "tree")]
        tree::DOMAIN,
        #[cfg(feature = "sketch")]
        sketch::DOMAIN,
        #[cfg(feature = "rand")]
        rand::DOMAIN,
        #[cfg(feature = "bits")]
        bits::DOMAIN,
        #[cfg(feature = "num")]
        num::DOMAIN,
        #[cfg(feature = "graph")]
        graph::DOMAIN,
    ]
}

/// The compiled-in domain named `name`, if any.
///
/// ```
/// assert!(arsenal_bench::domain_named("no-such-domain").is_none());
/// ```
pub fn domain_named(name: &str) -> Option<Domain> {
    domains().into_iter().find(|domain| domain.name == name)
}
