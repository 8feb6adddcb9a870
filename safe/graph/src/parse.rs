//! The text edge-list format (SNAP style).

use crate::csr::{Csr, MAX_NODES};
use crate::{Error, ErrorKind, Result, CHECKS};

/// An edge list read from text: one edge per line, `u v` or `u v w` (ids are decimal
/// `u32` below `u32::MAX`, `w` a finite decimal number), separated by spaces or tabs;
/// lines starting with `#` or `%` (SNAP, Matrix Market) and blank lines are skipped; a
/// `\r` before the line end is ignored. Either every edge has a weight or none does.
///
/// ```
/// use arsenal_graph::EdgeList;
/// let list = EdgeList::parse(b"# a triangle\n0 1\n1 2\n2\t0\n")?;
/// assert_eq!(list.nodes, 3);
/// let g = list.csr(false)?;
/// assert_eq!(g.edge_count(), 3);
/// let err = EdgeList::parse(b"0 1\n1 x\n").unwrap_err();
/// assert!(err.message().starts_with("line 2:"));
/// # Ok::<(), arsenal_graph::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EdgeList {
    /// The number of vertices: the largest id plus one (0 without edges).
    pub nodes: usize,
    /// The edges in input order.
    pub edges: Vec<(u32, u32)>,
    /// One weight per edge, when the lines have a third column.
    pub weights: Option<Vec<f64>>,
}

fn bad(line: usize, what: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Parse, CHECKS, format!("line {line}: {what}"))
}

fn parse_id(field: &[u8], line: usize) -> Result<u32> {
    if field.is_empty() || field.len() > 10 || !field.iter().all(u8::is_ascii_digit) {
        return Err(bad(
            line,
            format_args!("{:?} is not a vertex id", String::from_utf8_lossy(field)),
        ));
    }
    let value = field
        .iter()
        .fold(0u64, |a, &d| a * 10 + u64::from(d - b'0'));
    if value >= MAX_NODES as u64 {
        return Err(bad(
            line,
            format_args!("vertex id {value} is too large (ids are below {MAX_NODES})"),
        ));
    }
    Ok(value as u32)
}

impl EdgeList {
    /// Parses an edge list.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] with the line number (from 1) for a line that is not `u v`
    /// or `u v w`, an id that is not a decimal below `u32::MAX`, a weight that is not a
    /// finite number, or a mix of weighted and unweighted lines;
    /// [`ErrorKind::OutOfMemory`] when the list cannot be stored.
    pub fn parse(text: &[u8]) -> Result<EdgeList> {
        let mut list = EdgeList::default();
        let mut weights: Vec<f64> = Vec::new();
        let mut weighted: Option<bool> = None;
        for (i, raw) in text.split(|&b| b == b'\n').enumerate() {
            let line_no = i + 1;
            let line = raw.strip_suffix(b"\r").unwrap_or(raw);
            let mut fields = line
                .split(|&b| b == b' ' || b == b'\t')
                .filter(|f| !f.is_empty());
            let Some(first) = fields.next() else { continue };
            if first[0] == b'#' || first[0] == b'%' {
                continue;
            }
            let u = parse_id(first, line_no)?;
            let v = parse_id(
                fields
                    .next()
                    .ok_or_else(|| bad(line_no, "one vertex id; expected `u v [w]`"))?,
                line_no,
            )?;
            let w = fields.next();
            if fields.next().is_some() {
                return Err(bad(line_no, "more than three fields; expected `u v [w]`"));
            }
            let has = w.is_some();
            if *weighted.get_or_insert(has) != has {
                return Err(bad(line_no, "some edges have a weight and others not"));
            }
            if let Some(w) = w {
                let w = std::str::from_utf8(w)
                    .ok()
                    .and_then(|s| s.parse::<f64>().ok())
                    .filter(|w| w.is_finite())
                    .ok_or_else(|| {
                        bad(
                            line_no,
                            format_args!("{:?} is not a finite weight", String::from_utf8_lossy(w)),
                        )
                    })?;
                weights.try_reserve(1).map_err(|_| oom())?;
                weights.push(w);
            }
            list.edges.try_reserve(1).map_err(|_| oom())?;
            list.edges.push((u, v));
            list.nodes = list.nodes.max(u.max(v) as usize + 1);
        }
        if weighted == Some(true) {
            list.weights = Some(weights);
        }
        Ok(list)
    }

    /// The unweighted graph (weights, if any, are dropped).
    ///
    /// # Errors
    /// As [`Csr::from_edges`].
    pub fn csr(&self, directed: bool) -> Result<Csr<()>> {
        Csr::from_edges(self.nodes, &self.edges, directed)
    }

    /// The weighted graph.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] when the list has no weights; else as
    /// [`Csr::from_weighted_edges`].
    pub fn weighted_csr(&self, directed: bool) -> Result<Csr<f64>> {
        let weights = self
            .weights
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::Parse, CHECKS, "the edge list has no weights"))?;
        let triples: Vec<(u32, u32, f64)> = self
            .edges
            .iter()
            .zip(weights)
            .map(|(&(u, v), &w)| (u, v, w))
            .collect();
        Csr::from_weighted_edges(self.nodes, &triples, directed)
    }
}

fn oom() -> Error {
    Error::new(ErrorKind::OutOfMemory, CHECKS, "edge list")
}
