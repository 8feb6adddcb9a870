//! Aho–Corasick (1975) as a complete DFA over byte classes: every byte that occurs in
//! some pattern gets its own class, all other bytes share class 0, and each state has
//! one `u32` transition per class (premultiplied by the class count, the top bit
//! marking states that end a pattern). The scan is one table load per haystack byte.

use super::empty_needle_at;
use crate::{Backend, Error, ErrorKind, Match, MultiSearcher, Result, Searcher};

const MATCH: u32 = 1 << 31;
const NONE: u32 = u32::MAX;
/// The largest table, in transitions (`u32`s), a set may build: 2^31 - 1 so that a
/// premultiplied state index never reaches the `MATCH` bit.
const MAX_TRANSITIONS: usize = (MATCH - 1) as usize;

/// A native Aho–Corasick automaton for a set of literal patterns (a [`MultiSearcher`]),
/// or for one needle (a [`Searcher`]).
///
/// ```
/// use arsenal_text::{AhoCorasick, Match, MultiSearcher};
///
/// let ac = AhoCorasick::new(&["abc", "bc", "c"])?;
/// assert_eq!(ac.count(b"abcc")?, 4);
/// let mut found = Vec::new();
/// ac.find_all(b"abc", &mut found)?;
/// assert_eq!(found.iter().map(|m| m.pattern).collect::<Vec<_>>(), [0, 1, 2]);
/// # Ok::<(), arsenal_text::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct AhoCorasick {
    /// The patterns, for [`Searcher::needle`] and the lengths.
    patterns: Vec<Vec<u8>>,
    /// Byte → class.
    classes: [u8; 256],
    /// The number of classes (the stride of `table`).
    stride: usize,
    /// `table[state * stride + class]` = the next state premultiplied, `| MATCH` when it
    /// ends at least one pattern.
    table: Vec<u32>,
    /// Per state: its own pattern ids, as a range of `ids`.
    own: Vec<(u32, u32)>,
    ids: Vec<u32>,
    /// Per state: the nearest state on its failure chain (itself excluded) that has
    /// patterns of its own, or `NONE`.
    out_link: Vec<u32>,
    /// Per state: how many patterns end there (its own and along `out_link`).
    out_count: Vec<u32>,
}

fn err(kind: ErrorKind, message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(kind, "aho-corasick", message)
}

fn reserve<T>(v: &mut Vec<T>, n: usize) -> Result<()> {
    v.try_reserve(n)
        .map_err(|e| err(ErrorKind::OutOfMemory, e.to_string()))
}

impl AhoCorasick {
    /// Builds the automaton for a set of patterns (indices are their positions).
    ///
    /// # Errors
    /// [`ErrorKind::EmptySet`] for no pattern, [`ErrorKind::EmptyPattern`] for an empty
    /// one, [`ErrorKind::TooLarge`] for more than `u32::MAX` patterns or a table beyond
    /// 2^31 transitions, [`ErrorKind::OutOfMemory`] when an allocation fails.
    pub fn new<P: AsRef<[u8]>>(patterns: &[P]) -> Result<AhoCorasick> {
        if patterns.is_empty() {
            return Err(err(ErrorKind::EmptySet, "no pattern"));
        }
        if let Some(i) = patterns.iter().position(|p| p.as_ref().is_empty()) {
            return Err(err(
                ErrorKind::EmptyPattern,
                format!("pattern {i} is empty"),
            ));
        }
        if u32::try_from(patterns.len()).is_err() {
            return Err(err(ErrorKind::TooLarge, "more than u32::MAX patterns"));
        }
        Self::build(patterns)
    }

    /// A one-needle automaton; unlike [`new`](AhoCorasick::new), the empty needle is
    /// allowed (it occurs at every offset, as for every [`Searcher`]).
    ///
    /// # Errors
    /// As [`new`](AhoCorasick::new).
    pub fn searcher(needle: &[u8]) -> Result<AhoCorasick> {
        if needle.is_empty() {
            return Self::build(&[needle]);
        }
        Self::new(&[needle])
    }

    fn build<P: AsRef<[u8]>>(patterns: &[P]) -> Result<AhoCorasick> {
        let mut classes = [0u8; 256];
        let mut seen = [false; 256];
        for p in patterns {
            for &b in p.as_ref() {
                seen[usize::from(b)] = true;
            }
        }
        let mut stride = 1usize;
        for b in 0..256 {
            if seen[b] {
                // At most 256 distinct bytes: classes 1..=256 need u16; 256 distinct
                // bytes leave class 0 unused, so reuse it for the last one.
                classes[b] = if stride == 256 { 0 } else { stride as u8 };
                stride += 1;
            }
        }
        let stride = stride.min(256);
        let total: usize = patterns
            .iter()
            .try_fold(1usize, |acc, p| acc.checked_add(p.as_ref().len()))
            .ok_or_else(|| err(ErrorKind::TooLarge, "pattern bytes overflow usize"))?;
        if total
            .checked_mul(stride)
            .map_or(true, |t| t > MAX_TRANSITIONS)
        {
            return Err(err(
                ErrorKind::TooLarge,
                format!("{total} states x {stride} classes exceed 2^31 transitions"),
            ));
        }
        // The trie, as a partial table (NONE = no edge).
        let mut table: Vec<u32> = Vec::new();
        reserve(&mut table, stride)?;
        table.resize(stride, NONE);
        let mut own_lists: Vec<Vec<u32>> = vec![Vec::new()];
        for (id, p) in patterns.iter().enumerate() {
            let mut s = 0usize;
            for &b in p.as_ref() {
                let slot = s * stride + usize::from(classes[usize::from(b)]);
                if table[slot] == NONE {
                    let next = table.len() / stride;
                    reserve(&mut table, stride)?;
                    table.resize(table.len() + stride, NONE);
                    reserve(&mut own_lists, 1)?;
                    own_lists.push(Vec::new());
                    table[slot] = next as u32;
                }
                s = table[slot] as usize;
            }
            own_lists[s].push(id as u32);
        }
        let states = own_lists.len();
        // Breadth-first: failure links, completed transitions, output links.
        let mut fail = vec![0u32; states];
        let mut out_link = vec![NONE; states];
        let mut out_count = vec![0u32; states];
        let mut queue = std::collections::VecDeque::with_capacity(states);
        for t in &mut table[..stride] {
            if *t == NONE {
                *t = 0;
            } else {
                queue.push_back(*t);
            }
        }
        out_count[0] = 0;
        while let Some(s) = queue.pop_front() {
            let s = s as usize;
            let f = fail[s] as usize;
            out_link[s] = if s == 0 {
                NONE
            } else if !own_lists[f].is_empty() {
                f as u32
            } else {
                out_link[f]
            };
            out_count[s] = own_lists[s].len() as u32
                + if out_link[s] == NONE {
                    0
                } else {
                    out_count[out_link[s] as usize]
                };
            for c in 0..stride {
                let t = table[s * stride + c];
                if t == NONE {
                    table[s * stride + c] = table[f * stride + c];
                } else {
                    // Children of the root fail to the root (fail[] starts at 0).
                    fail[t as usize] = if s == 0 { 0 } else { table[f * stride + c] };
                    queue.push_back(t);
                }
            }
        }
        // Premultiply and mark states that end patterns.
        for t in &mut table {
            let next = *t as usize;
            *t = (next * stride) as u32 | if out_count[next] > 0 { MATCH } else { 0 };
        }
        let mut ids = Vec::new();
        let mut own = Vec::with_capacity(states);
        for list in &own_lists {
            own.push((ids.len() as u32, list.len() as u32));
            ids.extend_from_slice(list);
        }
        Ok(AhoCorasick {
            patterns: patterns.iter().map(|p| p.as_ref().to_vec()).collect(),
            classes,
            stride,
            table,
            own,
            ids,
            out_link,
            out_count,
        })
    }

    /// The bytes of the automaton's tables (transitions, outputs, links), for the
    /// benchmark's memory rows.
    pub fn heap_bytes(&self) -> usize {
        self.table.len() * 4
            + self.own.len() * 8
            + self.ids.len() * 4
            + self.out_link.len() * 4
            + self.out_count.len() * 4
    }

    /// Runs the DFA from `start`; for each haystack position whose state ends a
    /// pattern, calls `on_match(state, end)`; stops when it returns `false`.
    #[inline]
    fn run(&self, haystack: &[u8], start: usize, mut on_match: impl FnMut(usize, usize) -> bool) {
        let table = &self.table[..];
        let classes = &self.classes;
        let mut s = 0usize;
        for (i, &b) in haystack.iter().enumerate().skip(start) {
            let e = table[s + usize::from(classes[usize::from(b)])];
            s = (e & !MATCH) as usize;
            if e & MATCH != 0 && !on_match(s / self.stride, i + 1) {
                return;
            }
        }
    }

    /// Appends the pattern ids ending in `state`, ascending.
    fn outputs(&self, state: usize, end: usize, out: &mut Vec<Match>) {
        let first = out.len();
        let mut s = state as u32;
        let mut lists = 0;
        while s != NONE {
            let (at, len) = self.own[s as usize];
            if len > 0 {
                lists += 1;
                out.extend(
                    self.ids[at as usize..(at + len) as usize]
                        .iter()
                        .map(|&pattern| Match { end, pattern }),
                );
            }
            s = self.out_link[s as usize];
        }
        if lists > 1 {
            out[first..].sort_unstable();
        }
    }
}

impl MultiSearcher for AhoCorasick {
    fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    fn find_all(&self, haystack: &[u8], out: &mut Vec<Match>) -> Result<()> {
        self.run(haystack, 0, |state, end| {
            self.outputs(state, end, out);
            true
        });
        Ok(())
    }

    fn count(&self, haystack: &[u8]) -> Result<usize> {
        let mut n = 0usize;
        self.run(haystack, 0, |state, _| {
            n += self.out_count[state] as usize;
            true
        });
        Ok(n)
    }

    fn backend(&self) -> Backend {
        Backend::AhoCorasick
    }
}

impl Searcher for AhoCorasick {
    /// The first pattern (the needle of [`AhoCorasick::searcher`]).
    fn needle(&self) -> &[u8] {
        &self.patterns[0]
    }

    /// The leftmost occurrence of the first pattern (the others are ignored).
    fn find_at(&self, haystack: &[u8], start: usize) -> Option<usize> {
        let m = self.patterns[0].len();
        if m == 0 {
            return empty_needle_at(haystack, start);
        }
        let mut found = None;
        self.run(haystack, start, |state, end| {
            let mut s = state as u32;
            while s != NONE {
                let (at, len) = self.own[s as usize];
                if self.ids[at as usize..(at + len) as usize].contains(&0) {
                    found = Some(end - m);
                    return false;
                }
                s = self.out_link[s as usize];
            }
            true
        });
        found
    }

    fn backend(&self) -> Backend {
        Backend::AhoCorasick
    }
}
