//! Graphs: `graph_edges` (see `arsenal_fuzz::graph::graph_edges`).
//!
//! The property lives in `arsenal_fuzz::graph` (fuzz/src/graph.rs); the stable `replay`
//! binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::graph::graph_edges(data));
