//! The Count-Min sketch (Cormode & Muthukrishnan 2005) and the Count sketch (Charikar,
//! Chen & Farach-Colton 2002): `d` rows of `w` counters, one counter per row per item.

use std::hash::Hash;

use crate::{
    filled, hash_item, incompatible, param, reduce, remix, splitmix, HashSketch, Result, Sketch,
};

const NAME_CM: &str = "count-min";
const NAME_CS: &str = "count-sketch";

/// The most counters (`width · depth`) a sketch may have.
pub(crate) const MAX_COUNTERS: usize = 1 << 32;

/// The seed the rows' hash seeds are derived from.
const ROW_SEED: u64 = 0x5bd1_e995_cafe_f00d;

fn check_dims(width: usize, depth: usize, sketch: &'static str) -> Result<usize> {
    if width == 0 || depth == 0 {
        return Err(param(
            sketch,
            format!("width {width} and depth {depth} must be at least 1"),
        ));
    }
    match width.checked_mul(depth) {
        Some(n) if n <= MAX_COUNTERS => Ok(n),
        _ => Err(param(
            sketch,
            format!("width {width} × depth {depth} exceeds 2^32 counters"),
        )),
    }
}

/// Count sketch: row `row`'s independent-looking hash (bucket and sign).
#[inline]
fn row_hash(hash: u64, row: usize) -> u64 {
    remix(hash, splitmix(ROW_SEED, row as u64))
}

/// The Count-Min rows' bucket hashes by double hashing (Kirsch & Mitzenmacher 2006:
/// `g_i = h₁ + i·h₂` keeps the sketch's guarantees with two hashes): `h₁` is the item's
/// hash, `h₂` one remix of it (odd); one remix per update instead of one per row.
#[inline]
fn row_hashes(hash: u64) -> impl Iterator<Item = u64> {
    let h2 = remix(hash, ROW_SEED) | 1;
    (0u64..).map(move |row| hash.wrapping_add(row.wrapping_mul(h2)))
}

/// A Count-Min sketch: `depth` rows of `width` `u64` counters.
///
/// [`estimate`](Self::estimate) never under-estimates an item's true count `f`, and
/// with width `w = ⌈e/ε⌉` and depth `d = ⌈ln(1/δ)⌉` ([`with_error`](Self::with_error))
/// it over-estimates by at most `ε·N` (N = [`total`](Self::total)) with probability at
/// least `1 − δ`. Counters saturate at `u64::MAX` instead of wrapping.
///
/// **Conservative update** ([`set_conservative`](Self::set_conservative), off by
/// default) raises each of an item's counters only as far as `estimate + count`
/// (Estan & Varghese 2002): the same guarantees, and usually much smaller errors. Merge
/// adds counters either way (still never an under-estimate); the merged sketch keeps
/// `self`'s mode.
///
/// Memory: `8 · w · d` bytes of counters; at most 2^32 counters.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawCountMin"))]
pub struct CountMin {
    width: usize,
    depth: usize,
    conservative: bool,
    total: u64,
    counters: Vec<u64>,
}

impl CountMin {
    /// An empty sketch of `depth` rows of `width` counters.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`](crate::ErrorKind::Parameter) if either is 0, their
    /// product exceeds 2^32, or the counters cannot be allocated.
    pub fn new(width: usize, depth: usize) -> Result<Self> {
        let n = check_dims(width, depth, NAME_CM)?;
        Ok(CountMin {
            width,
            depth,
            conservative: false,
            total: 0,
            counters: filled(n, 0, NAME_CM)?,
        })
    }

    /// A sketch that over-estimates by at most `epsilon · N` with probability at least
    /// `1 − delta`: width `⌈e/ε⌉`, depth `⌈ln(1/δ)⌉`.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`](crate::ErrorKind::Parameter) unless `0 < epsilon` and
    /// `0 < delta < 1` (NaN is rejected), or if the sketch would exceed 2^32 counters.
    pub fn with_error(epsilon: f64, delta: f64) -> Result<Self> {
        let epsilon_ok = epsilon > 0.0 && epsilon.is_finite();
        let delta_ok = delta > 0.0 && delta < 1.0;
        if !epsilon_ok || !delta_ok {
            return Err(param(
                NAME_CM,
                format!("epsilon {epsilon} must be > 0 and delta {delta} in (0, 1)"),
            ));
        }
        let w = (std::f64::consts::E / epsilon).ceil();
        let d = (1.0 / delta).ln().ceil().max(1.0);
        if !(w <= MAX_COUNTERS as f64 && d <= MAX_COUNTERS as f64) {
            return Err(param(NAME_CM, format!("epsilon {epsilon} is too small")));
        }
        Self::new(w as usize, d as usize)
    }

    /// Turns conservative update on or off for later additions.
    pub fn set_conservative(&mut self, conservative: bool) {
        self.conservative = conservative;
    }

    /// Whether conservative update is on.
    pub fn is_conservative(&self) -> bool {
        self.conservative
    }

    /// The number of counters per row.
    pub fn width(&self) -> usize {
        self.width
    }

    /// The number of rows.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The sum of all counts added (N), saturating at `u64::MAX`.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// `ε = e / w`: the over-estimate bound relative to [`total`](Self::total).
    pub fn epsilon(&self) -> f64 {
        std::f64::consts::E / self.width as f64
    }

    /// `δ = e^−d`: the probability the `ε·N` bound fails for one query.
    pub fn delta(&self) -> f64 {
        (-(self.depth as f64)).exp()
    }

    /// Adds `count` occurrences of the item whose 64-bit hash is `hash`.
    pub fn add_hash(&mut self, hash: u64, count: u64) {
        if count == 0 {
            return;
        }
        self.total = self.total.saturating_add(count);
        let width = self.width;
        if self.conservative {
            let target = self.estimate_hash(hash).saturating_add(count);
            for (row, h) in self.counters.chunks_exact_mut(width).zip(row_hashes(hash)) {
                let c = &mut row[reduce(h, width)];
                *c = (*c).max(target);
            }
        } else {
            for (row, h) in self.counters.chunks_exact_mut(width).zip(row_hashes(hash)) {
                let c = &mut row[reduce(h, width)];
                *c = c.saturating_add(count);
            }
        }
    }

    /// Adds `count` occurrences of `item`, hashed with [`hash_item`].
    pub fn add<T: Hash + ?Sized>(&mut self, item: &T, count: u64) {
        self.add_hash(hash_item(item), count);
    }

    /// Adds one occurrence of the item whose hash is `hash`.
    pub fn update_hash(&mut self, hash: u64) {
        self.add_hash(hash, 1);
    }

    /// Adds one occurrence of `item`.
    pub fn update<T: Hash + ?Sized>(&mut self, item: &T) {
        self.add_hash(hash_item(item), 1);
    }

    /// The estimated count of the item whose hash is `hash`: the minimum of its
    /// counters, never below the true count.
    pub fn estimate_hash(&self, hash: u64) -> u64 {
        self.counters
            .chunks_exact(self.width)
            .zip(row_hashes(hash))
            .map(|(row, h)| row[reduce(h, self.width)])
            .min()
            .unwrap_or(0)
    }

    /// The estimated count of `item`, never below the true count.
    pub fn estimate<T: Hash + ?Sized>(&self, item: &T) -> u64 {
        self.estimate_hash(hash_item(item))
    }

    /// Folds `other` into `self` (counter-wise sum).
    ///
    /// # Errors
    /// [`ErrorKind::Incompatible`](crate::ErrorKind::Incompatible) if the dimensions differ.
    pub fn merge(&mut self, other: &Self) -> Result<()> {
        if (self.width, self.depth) != (other.width, other.depth) {
            return Err(incompatible(
                NAME_CM,
                format!(
                    "{}×{} vs {}×{}",
                    self.width, self.depth, other.width, other.depth
                ),
            ));
        }
        for (a, &b) in self.counters.iter_mut().zip(&other.counters) {
            *a = a.saturating_add(b);
        }
        self.total = self.total.saturating_add(other.total);
        Ok(())
    }

    /// The memory the sketch holds, in bytes.
    pub fn size_in_bytes(&self) -> usize {
        std::mem::size_of::<Self>() + 8 * self.counters.capacity()
    }
}

impl Sketch for CountMin {
    fn merge(&mut self, other: &Self) -> Result<()> {
        CountMin::merge(self, other)
    }
    fn size_in_bytes(&self) -> usize {
        CountMin::size_in_bytes(self)
    }
}

impl HashSketch for CountMin {
    fn update_hash(&mut self, hash: u64) {
        self.add_hash(hash, 1);
    }
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct RawCountMin {
    width: usize,
    depth: usize,
    conservative: bool,
    total: u64,
    counters: Vec<u64>,
}

#[cfg(feature = "serde")]
impl TryFrom<RawCountMin> for CountMin {
    type Error = crate::Error;

    fn try_from(raw: RawCountMin) -> Result<Self> {
        use crate::corrupt;
        let n = check_dims(raw.width, raw.depth, NAME_CM)
            .map_err(|e| corrupt(NAME_CM, e.message().to_owned()))?;
        if raw.counters.len() != n {
            return Err(corrupt(
                NAME_CM,
                format!(
                    "{} counters for {}×{}",
                    raw.counters.len(),
                    raw.width,
                    raw.depth
                ),
            ));
        }
        // Every addition adds its count to one counter per row (at most that much with
        // conservative update), so no row sums to more than the total (unless saturated).
        if raw.total < u64::MAX {
            for row in raw.counters.chunks_exact(raw.width) {
                let sum: u128 = row.iter().map(|&c| u128::from(c)).sum();
                if sum > u128::from(raw.total) {
                    return Err(corrupt(NAME_CM, "a row sums to more than the total"));
                }
            }
        }
        Ok(CountMin {
            width: raw.width,
            depth: raw.depth,
            conservative: raw.conservative,
            total: raw.total,
            counters: raw.counters,
        })
    }
}

/// A Count sketch: `depth` rows of `width` signed counters; each item adds `±count` to
/// one counter per row, and the estimate is the median over rows of `±counter`.
///
/// The estimate is unbiased. Each row's error has variance at most `‖f‖₂² / w` (‖f‖₂
/// the L2 norm of the frequency vector), so with `w ≥ 3/ε²` a row errs by more than
/// `ε‖f‖₂` with probability at most 1/3 (Chebyshev), and the median of `d` rows with
/// probability at most `e^(−d/18)` (Hoeffding). Counters saturate instead of wrapping.
///
/// Memory: `8 · w · d` bytes of counters; at most 2^32 counters.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawCountSketch"))]
pub struct CountSketch {
    width: usize,
    depth: usize,
    counters: Vec<i64>,
}

impl CountSketch {
    /// An empty sketch of `depth` rows of `width` counters.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`](crate::ErrorKind::Parameter) if either is 0, their
    /// product exceeds 2^32, or the counters cannot be allocated.
    pub fn new(width: usize, depth: usize) -> Result<Self> {
        let n = check_dims(width, depth, NAME_CS)?;
        Ok(CountSketch {
            width,
            depth,
            counters: filled(n, 0, NAME_CS)?,
        })
    }

    /// The number of counters per row.
    pub fn width(&self) -> usize {
        self.width
    }

    /// The number of rows.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The counter index and sign of row `row` for `hash`.
    #[inline]
    fn slot(&self, hash: u64, row: usize) -> (usize, bool) {
        let h = row_hash(hash, row);
        (row * self.width + reduce(h, self.width), h & 1 == 1)
    }

    /// Adds `count` (which may be negative) to the item whose 64-bit hash is `hash`.
    pub fn add_hash(&mut self, hash: u64, count: i64) {
        for row in 0..self.depth {
            let (i, negative) = self.slot(hash, row);
            let c = &mut self.counters[i];
            *c = if negative {
                c.saturating_sub(count)
            } else {
                c.saturating_add(count)
            };
        }
    }

    /// Adds `count` (which may be negative) to `item`, hashed with [`hash_item`].
    pub fn add<T: Hash + ?Sized>(&mut self, item: &T, count: i64) {
        self.add_hash(hash_item(item), count);
    }

    /// Adds one occurrence of the item whose hash is `hash`.
    pub fn update_hash(&mut self, hash: u64) {
        self.add_hash(hash, 1);
    }

    /// Adds one occurrence of `item`.
    pub fn update<T: Hash + ?Sized>(&mut self, item: &T) {
        self.add_hash(hash_item(item), 1);
    }

    /// The unbiased estimate of the count of the item whose hash is `hash`: the median
    /// over rows of its signed counters (the mean of the two middle ones for an even
    /// depth, rounded towards zero).
    pub fn estimate_hash(&self, hash: u64) -> i64 {
        let mut values: Vec<i64> = (0..self.depth)
            .map(|row| {
                let (i, negative) = self.slot(hash, row);
                let c = self.counters[i];
                if negative {
                    c.saturating_neg()
                } else {
                    c
                }
            })
            .collect();
        values.sort_unstable();
        let mid = values.len() / 2;
        if values.len() % 2 == 1 {
            values[mid]
        } else {
            ((i128::from(values[mid - 1]) + i128::from(values[mid])) / 2) as i64
        }
    }

    /// The unbiased estimate of the count of `item`.
    pub fn estimate<T: Hash + ?Sized>(&self, item: &T) -> i64 {
        self.estimate_hash(hash_item(item))
    }

    /// Folds `other` into `self` (counter-wise sum).
    ///
    /// # Errors
    /// [`ErrorKind::Incompatible`](crate::ErrorKind::Incompatible) if the dimensions differ.
    pub fn merge(&mut self, other: &Self) -> Result<()> {
        if (self.width, self.depth) != (other.width, other.depth) {
            return Err(incompatible(
                NAME_CS,
                format!(
                    "{}×{} vs {}×{}",
                    self.width, self.depth, other.width, other.depth
                ),
            ));
        }
        for (a, &b) in self.counters.iter_mut().zip(&other.counters) {
            *a = a.saturating_add(b);
        }
        Ok(())
    }

    /// The memory the sketch holds, in bytes.
    pub fn size_in_bytes(&self) -> usize {
        std::mem::size_of::<Self>() + 8 * self.counters.capacity()
    }
}

impl Sketch for CountSketch {
    fn merge(&mut self, other: &Self) -> Result<()> {
        CountSketch::merge(self, other)
    }
    fn size_in_bytes(&self) -> usize {
        CountSketch::size_in_bytes(self)
    }
}

impl HashSketch for CountSketch {
    fn update_hash(&mut self, hash: u64) {
        self.add_hash(hash, 1);
    }
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct RawCountSketch {
    width: usize,
    depth: usize,
    counters: Vec<i64>,
}

#[cfg(feature = "serde")]
impl TryFrom<RawCountSketch> for CountSketch {
    type Error = crate::Error;

    fn try_from(raw: RawCountSketch) -> Result<Self> {
        use crate::corrupt;
        let n = check_dims(raw.width, raw.depth, NAME_CS)
            .map_err(|e| corrupt(NAME_CS, e.message().to_owned()))?;
        if raw.counters.len() != n {
            return Err(corrupt(
                NAME_CS,
                format!(
                    "{} counters for {}×{}",
                    raw.counters.len(),
                    raw.width,
                    raw.depth
                ),
            ));
        }
        Ok(CountSketch {
            width: raw.width,
            depth: raw.depth,
            counters: raw.counters,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::SplitMix;
    use crate::ErrorKind;
    use std::collections::HashMap;

    /// A skewed stream: item `i` drawn with probability ∝ 1/(i+1) (roughly Zipf).
    fn zipf_stream(n: usize, universe: u64, seed: u64) -> Vec<u64> {
        let mut rng = SplitMix(seed);
        let h: f64 = (1..=universe).map(|i| 1.0 / i as f64).sum();
        (0..n)
            .map(|_| {
                // Inverse of the harmonic CDF, approximately: ln-uniform.
                let u = rng.next_f64() * h;
                ((u.exp() - 1.0).floor() as u64).min(universe - 1)
            })
            .collect()
    }

    fn exact(stream: &[u64]) -> HashMap<u64, u64> {
        let mut m = HashMap::new();
        for &x in stream {
            *m.entry(x).or_insert(0) += 1;
        }
        m
    }

    #[test]
    fn parameters() {
        for (w, d) in [
            (0, 1),
            (1, 0),
            (usize::MAX, 2),
            (2, usize::MAX),
            (1 << 20, 1 << 13),
        ] {
            assert_eq!(
                CountMin::new(w, d).unwrap_err().kind(),
                ErrorKind::Parameter
            );
            assert_eq!(
                CountSketch::new(w, d).unwrap_err().kind(),
                ErrorKind::Parameter
            );
        }
        for (e, d) in [
            (0.0, 0.1),
            (f64::NAN, 0.1),
            (0.1, f64::NAN),
            (0.1, 0.0),
            (0.1, 1.0),
            (-1.0, 0.5),
            (f64::INFINITY, 0.5),
            (1e-300, 0.5),
            (f64::MIN_POSITIVE, 0.5),
        ] {
            assert_eq!(
                CountMin::with_error(e, d).unwrap_err().kind(),
                ErrorKind::Parameter,
                "{e} {d}"
            );
        }
        let cm = CountMin::with_error(0.01, 0.01).unwrap();
        assert_eq!((cm.width(), cm.depth()), (272, 5));
        assert!(cm.epsilon() <= 0.01 && cm.delta() <= 0.01);
        assert!(cm.size_in_bytes() >= 272 * 5 * 8);
    }

    #[test]
    fn count_min_bounds() {
        let stream = zipf_stream(100_000, 50_000, 11);
        let truth = exact(&stream);
        let (eps, delta) = (0.002, 0.01);
        let mut cm = CountMin::with_error(eps, delta).unwrap();
        let mut cons = cm.clone();
        cons.set_conservative(true);
        for &x in &stream {
            cm.update(&x);
            cons.update(&x);
        }
        assert_eq!(cm.total(), stream.len() as u64);
        assert_eq!(cons.total(), stream.len() as u64);
        let bound = eps * stream.len() as f64;
        let mut over = 0;
        for (&x, &f) in &truth {
            let e = cm.estimate(&x);
            let c = cons.estimate(&x);
            assert!(e >= f && c >= f, "under-estimate of {x}");
            assert!(c <= e, "conservative update larger than plain");
            if (e - f) as f64 > bound {
                over += 1;
            }
        }
        // At most δ of the items may exceed ε·N (with slack for sampling).
        assert!(
            (over as f64) <= 2.0 * delta * truth.len() as f64,
            "{over} of {} over the bound",
            truth.len()
        );
        // Weighted adds.
        let mut w = CountMin::new(64, 3).unwrap();
        w.add(&"a", 10);
        w.add(&"a", 0);
        w.add("b", 5);
        assert!(w.estimate(&"a") >= 10);
        assert_eq!(w.total(), 15);
    }

    #[test]
    fn merge_equals_single_stream() {
        let stream = zipf_stream(20_000, 5_000, 5);
        let mut all = CountMin::new(500, 4).unwrap();
        let mut a = all.clone();
        let mut b = all.clone();
        let mut cs_all = CountSketch::new(500, 5).unwrap();
        let mut cs_a = cs_all.clone();
        let mut cs_b = cs_all.clone();
        for (i, &x) in stream.iter().enumerate() {
            all.update(&x);
            cs_all.update(&x);
            if i % 3 == 0 {
                a.update(&x);
                cs_a.update(&x);
            } else {
                b.update(&x);
                cs_b.update(&x);
            }
        }
        a.merge(&b).unwrap();
        assert_eq!(a, all);
        cs_a.merge(&cs_b).unwrap();
        assert_eq!(cs_a, cs_all);
        assert_eq!(
            a.merge(&CountMin::new(500, 5).unwrap()).unwrap_err().kind(),
            ErrorKind::Incompatible
        );
        assert_eq!(
            cs_a.merge(&CountSketch::new(499, 5).unwrap())
                .unwrap_err()
                .kind(),
            ErrorKind::Incompatible
        );
    }

    #[test]
    fn count_sketch_accuracy() {
        let stream = zipf_stream(100_000, 20_000, 21);
        let truth = exact(&stream);
        let l2 = truth
            .values()
            .map(|&f| (f as f64).powi(2))
            .sum::<f64>()
            .sqrt();
        let eps: f64 = 0.05;
        let w = (3.0 / (eps * eps)).ceil() as usize; // 1200
        let mut cs = CountSketch::new(w, 7).unwrap();
        for &x in &stream {
            cs.update(&x);
        }
        let mut bad = 0;
        let mut signed_err = 0.0;
        for (&x, &f) in &truth {
            let e = cs.estimate(&x);
            let err = (e - f as i64) as f64;
            signed_err += err;
            if err.abs() > eps * l2 {
                bad += 1;
            }
        }
        // Failure probability per item ≤ e^(−7/18) ≈ 0.68 is the worst-case bound; in
        // practice almost no item fails. Assert a loose 1 %.
        assert!(bad * 100 <= truth.len(), "{bad} items over ε‖f‖₂");
        // Unbiased: the mean signed error is a small fraction of ε‖f‖₂.
        let mean = signed_err / truth.len() as f64;
        assert!(mean.abs() < 0.1 * eps * l2, "mean error {mean}");
        // Negative counts cancel exactly.
        let mut c = CountSketch::new(16, 3).unwrap();
        c.add(&1u32, 5);
        c.add(&1u32, -5);
        assert_eq!(c, CountSketch::new(16, 3).unwrap());
        let mut even = CountSketch::new(1024, 4).unwrap();
        even.add(&"x", 7);
        assert_eq!(even.estimate(&"x"), 7);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_round_trip_and_hostile() {
        let mut cm = CountMin::new(8, 2).unwrap();
        cm.set_conservative(true);
        let mut cs = CountSketch::new(8, 3).unwrap();
        for i in 0..100u64 {
            cm.update(&i);
            cs.add(&i, i as i64 - 50);
        }
        let json = serde_json::to_string(&cm).unwrap();
        assert_eq!(serde_json::from_str::<CountMin>(&json).unwrap(), cm);
        let json = serde_json::to_string(&cs).unwrap();
        assert_eq!(serde_json::from_str::<CountSketch>(&json).unwrap(), cs);

        let bad_cm = [
            r#"{"width":2,"depth":1,"conservative":false,"total":0,"counters":[0]}"#,
            r#"{"width":0,"depth":1,"conservative":false,"total":0,"counters":[]}"#,
            r#"{"width":18446744073709551615,"depth":18446744073709551615,"conservative":false,"total":0,"counters":[]}"#,
            r#"{"width":4294967296,"depth":2,"conservative":false,"total":0,"counters":[]}"#,
            r#"{"width":2,"depth":1,"conservative":false,"total":1,"counters":[1,1]}"#,
        ];
        for b in bad_cm {
            assert!(serde_json::from_str::<CountMin>(b).is_err(), "{b}");
        }
        let bad_cs = [
            r#"{"width":2,"depth":2,"counters":[0,0,0]}"#,
            r#"{"width":18446744073709551615,"depth":2,"counters":[]}"#,
        ];
        for b in bad_cs {
            assert!(serde_json::from_str::<CountSketch>(b).is_err(), "{b}");
        }
    }
}
