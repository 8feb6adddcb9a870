//! Highway's vqsort through arsenal-hwy-sys.

use arsenal_hwy_sys as sys;
use core::ffi::c_int;

use crate::adaptive;
use crate::key::{
    float_bits_32, float_bits_64, float_unbits_32, float_unbits_64, KeyValue32, KeyValue64, Keys,
    SortKey,
};
use crate::{Backend, Order, Result, Sorter};

/// [Highway](https://github.com/google/highway)'s **vqsort** (C++, Debian's
/// `libhwy-dev`): a vectorised quicksort with run-time dispatch to the widest
/// instruction set of the CPU (AVX-512 where present). Not stable.
///
/// Every [`KeyType`](crate::KeyType) is supported. Floats follow
/// [`f64::total_cmp`]'s order, NaN and `-0.0` included: vqsort itself is not
/// documented for NaN, treats `-0.0 == +0.0` and (Highway 1.0.3) misorders
/// duplicate-heavy runs of subnormals, so float keys containing any of these are sorted
/// as their order-preserving integer images (one pass each way around the sort); others
/// (found by one read-only scan) go to vqsort's float sort directly. Run detection
/// comes first (see the crate docs): presorted input never reaches vqsort.
#[derive(Debug, Clone, Copy, Default)]
pub struct Vqsort;

impl Vqsort {
    /// A vqsort handle (stateless: Highway keeps one sorter per thread).
    pub const fn new() -> Self {
        Vqsort
    }

    /// The best instruction set Highway reports for this CPU (e.g. `AVX3` for
    /// AVX-512), which vqsort dispatches to.
    pub fn target() -> &'static str {
        // SAFETY: the shim returns a static NUL-terminated string from Highway's table.
        let name = unsafe { core::ffi::CStr::from_ptr(sys::arsenal_vqsort_best_target()) };
        name.to_str().unwrap_or("unknown")
    }
}

/// A key type with a vqsort entry point.
trait VqKey: SortKey {
    fn vqsort(keys: &mut [Self], descending: c_int);
}

macro_rules! vq_key {
    ($($t:ty => $f:ident),* $(,)?) => {$(
        impl VqKey for $t {
            fn vqsort(k: &mut [Self], d: c_int) {
                // SAFETY: `k` is a live, exclusively borrowed slice of `k.len()` keys of the
                // element type the shim function sorts (identical layouts: Rust's u128 is
                // Highway's uint128_t on x86-64, KeyValue32/64 are #[repr(C)] copies of
                // K32V32/K64V64 with the same alignment); the shim never touches the
                // pointer when n < 2 and does not throw.
                unsafe { sys::$f(k.as_mut_ptr().cast(), k.len(), d) }
            }
        }
    )*};
}

vq_key!(
    u16 => arsenal_vqsort_u16,
    u32 => arsenal_vqsort_u32,
    u64 => arsenal_vqsort_u64,
    u128 => arsenal_vqsort_u128,
    i16 => arsenal_vqsort_i16,
    i32 => arsenal_vqsort_i32,
    i64 => arsenal_vqsort_i64,
    KeyValue32 => arsenal_vqsort_k32v32,
);

impl VqKey for KeyValue64 {
    fn vqsort(k: &mut [Self], d: c_int) {
        // SAFETY: as in vq_key!: a live, exclusive slice of #[repr(C, align(16))] pairs
        // laid out as Highway's K64V64. Always ascending: Highway 1.0.3's descending
        // K64V64 sort loses pairs (arsenal-hwy-sys's docs), so descending order is the
        // ascending one reversed (vqsort is not stable, so no order of equal keys is lost).
        unsafe { sys::arsenal_vqsort_k64v64(k.as_mut_ptr().cast(), k.len(), 0) };
        if d != 0 {
            k.reverse();
        }
    }
}

impl VqKey for f32 {
    fn vqsort(k: &mut [Self], d: c_int) {
        if !needs_images(k, |x: &f32| {
            x.is_nan() | x.is_subnormal() | (x.to_bits() == (-0.0f32).to_bits())
        }) {
            // SAFETY: a live, exclusive slice of k.len() NaN-free floats.
            unsafe { sys::arsenal_vqsort_f32(k.as_mut_ptr(), k.len(), d) };
            return;
        }
        let bits = f32_bits(k);
        bits.iter_mut().for_each(|b| *b = float_bits_32(*b));
        u32::vqsort(bits, d);
        bits.iter_mut().for_each(|b| *b = float_unbits_32(*b));
    }
}

impl VqKey for f64 {
    fn vqsort(k: &mut [Self], d: c_int) {
        // Without NaN, -0.0 and subnormals, vqsort's own double order is total_cmp's.
        if !needs_images(k, |x: &f64| {
            x.is_nan() | x.is_subnormal() | (x.to_bits() == (-0.0f64).to_bits())
        }) {
            // SAFETY: a live, exclusive slice of k.len() NaN-free doubles.
            unsafe { sys::arsenal_vqsort_f64(k.as_mut_ptr(), k.len(), d) };
            return;
        }
        let bits = f64_bits(k);
        bits.iter_mut().for_each(|b| *b = float_bits_64(*b));
        u64::vqsort(bits, d);
        bits.iter_mut().for_each(|b| *b = float_unbits_64(*b));
    }
}

fn run<K: VqKey>(keys: &mut [K], order: Order) -> Result<()> {
    let desc = order == Order::Descending;
    adaptive::sort(keys, desc, &mut |t| {
        K::vqsort(t, c_int::from(desc));
        Ok(())
    })
}

/// Sorts any key type ascending with vqsort (no run detection: the parallel samplesort's
/// buckets).
pub(crate) fn sort_ascending<K: SortKey>(keys: &mut [K]) -> Result<()> {
    each_key!(K::keys(keys), |k| {
        VqKey::vqsort(k, 0);
        Ok(())
    })
}

impl Sorter for Vqsort {
    fn sort_keys(&mut self, keys: Keys<'_>, order: Order) -> Result<()> {
        each_key!(keys, |k| run(k, order))
    }

    fn backend(&self) -> Backend {
        Backend::Vqsort
    }
}

/// Whether any key is special (NaN, `-0.0` or subnormal): a vectorisable fold per block of 256
/// keys, stopping at the first block that has one.
fn needs_images<T>(k: &[T], special: impl Fn(&T) -> bool) -> bool {
    k.chunks(256)
        .any(|block| block.iter().fold(false, |acc, x| acc | special(x)))
}

fn f32_bits(k: &mut [f32]) -> &mut [u32] {
    // SAFETY: f32 and u32 have the same size and alignment and every bit pattern is a
    // valid value of both; the borrow is carried over.
    unsafe { core::slice::from_raw_parts_mut(k.as_mut_ptr().cast::<u32>(), k.len()) }
}

fn f64_bits(k: &mut [f64]) -> &mut [u64] {
    // SAFETY: as for f32_bits, with f64 and u64.
    unsafe { core::slice::from_raw_parts_mut(k.as_mut_ptr().cast::<u64>(), k.len()) }
}
