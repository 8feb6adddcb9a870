//! The SSSE3 decoder: one `pshufb` per group of four values.

use std::arch::x86_64::{
    __m128i, _mm_add_epi32, _mm_cvtsi128_si32, _mm_loadu_si128, _mm_set1_epi32, _mm_shuffle_epi32,
    _mm_shuffle_epi8, _mm_slli_si128, _mm_storeu_si128,
};
use std::mem::MaybeUninit;

use super::{shuffle_table, GROUP_LEN};

/// The shuffle masks, 16-byte aligned for the loads.
#[repr(align(16))]
struct Table([[u8; 16]; 256]);

static SHUFFLE: Table = Table(shuffle_table());

/// Decodes whole groups of four, one per byte of `ctrl`, from the start of `data` into
/// `dst`, while at least 16 bytes of `data` remain at the group's start (the load reads
/// 16 bytes whatever the group's length). With `delta`, takes prefix sums starting from
/// `prev`. Returns `(groups decoded, data bytes used, last value)` for the scalar tail.
///
/// # Safety
/// The CPU must support SSSE3.
///
/// # Panics
/// If `dst` holds fewer than `4 * ctrl.len()` values.
#[target_feature(enable = "ssse3")]
pub(super) unsafe fn decode_groups(
    ctrl: &[u8],
    data: &[u8],
    dst: &mut [MaybeUninit<u32>],
    delta: bool,
    prev: u32,
) -> (usize, usize, u32) {
    assert!(
        dst.len() >= 4 * ctrl.len(),
        "output too small for the groups"
    );
    let out = dst.as_mut_ptr().cast::<__m128i>();
    let mut pos = 0;
    let mut group = 0;
    let mut last = _mm_set1_epi32(prev as i32);
    while group < ctrl.len() && data.len() - pos >= 16 {
        let c = usize::from(ctrl[group]);
        // SAFETY: `pos + 16 <= data.len()` (loop condition): the unaligned load stays in
        // `data`; the mask is one entry of the 16-byte aligned static table; `group <
        // ctrl.len()` and the assert put the 16-byte unaligned store inside `dst`.
        unsafe {
            let bytes = _mm_loadu_si128(data.as_ptr().add(pos).cast());
            let mask = _mm_loadu_si128(SHUFFLE.0[c].as_ptr().cast());
            let mut values = _mm_shuffle_epi8(bytes, mask);
            if delta {
                // Prefix sum of the four lanes, plus the last value of the group before.
                values = _mm_add_epi32(values, _mm_slli_si128::<4>(values));
                values = _mm_add_epi32(values, _mm_slli_si128::<8>(values));
                values = _mm_add_epi32(values, last);
                last = _mm_shuffle_epi32::<0xff>(values);
            }
            _mm_storeu_si128(out.add(group), values);
        }
        pos += usize::from(GROUP_LEN[c]);
        group += 1;
    }
    (group, pos, _mm_cvtsi128_si32(last) as u32)
}
