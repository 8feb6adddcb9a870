//! The bilinear sampling grid of the resize (see the crate docs, "Resize").

/// Fraction bits of the interpolation weights: each pair sums to 2¹¹.
pub(crate) const WEIGHT_BITS: u32 = 11;
const ONE: i64 = 1 << WEIGHT_BITS;

/// One axis of the grid: output `i` reads source `x0(i)` and `x1(i)` with weights
/// `(2¹¹ − f(i), f(i))`.
pub(crate) fn axis(src: usize, dst: usize) -> Vec<(usize, usize, i32)> {
    // Dimensions are at most 2¹⁶ (checked by the views): these fit in i64 with room.
    let (s, d) = (src as i64, dst as i64);
    (0..d)
        .map(|i| {
            // Source position p = ((2i + 1)·s − d) / (2d): pixel centres aligned.
            let num = (2 * i + 1) * s - d;
            if num <= 0 {
                return (0, 0, 0);
            }
            let mut q = num / (2 * d);
            let r = num % (2 * d);
            // The fraction r/(2d), rounded half up to 11 bits.
            let mut f = (r * ONE + d) / (2 * d);
            if f == ONE {
                q += 1;
                f = 0;
            }
            if q >= s - 1 {
                let last = (s - 1) as usize;
                return (last, last, 0);
            }
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            (q as usize, q as usize + 1, f as i32)
        })
        .collect()
}

/// The horizontal pass's per-output-byte table for `channels` interleaved channels:
/// indices into the vertically filtered row and the two weights.
#[derive(Debug, Clone)]
pub(crate) struct AxisMap {
    pub i0: Vec<i32>,
    pub i1: Vec<i32>,
    pub w0: Vec<i32>,
    pub w1: Vec<i32>,
}

impl AxisMap {
    pub(crate) fn new(src: usize, dst: usize, channels: usize) -> AxisMap {
        let n = dst * channels;
        let mut map = AxisMap {
            i0: Vec::with_capacity(n),
            i1: Vec::with_capacity(n),
            w0: Vec::with_capacity(n),
            w1: Vec::with_capacity(n),
        };
        for (x0, x1, f) in axis(src, dst) {
            for c in 0..channels {
                // At most 2¹⁶ · 4 (checked by the views).
                #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
                {
                    map.i0.push((x0 * channels + c) as i32);
                    map.i1.push((x1 * channels + c) as i32);
                }
                map.w0.push((1 << WEIGHT_BITS) - f);
                map.w1.push(f);
            }
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_and_double() {
        assert_eq!(axis(3, 3), vec![(0, 0, 0), (1, 2, 0), (2, 2, 0)]);
        // 2× up: positions -0.25, 0.25, 0.75, 1.25 → clamped, 1/4, 3/4, clamped.
        assert_eq!(
            axis(2, 4),
            vec![(0, 0, 0), (0, 1, 512), (0, 1, 1536), (1, 1, 0)]
        );
        // 2× down: positions 0.5, 2.5.
        assert_eq!(axis(4, 2), vec![(0, 1, 1024), (2, 3, 1024)]);
    }
}
