//! The key types the sorters accept, and their order-preserving unsigned images.

/// A 64-bit key with a 64-bit payload, ordered by `key` alone (Highway's `K64V64`
/// layout: 16 bytes, 16-byte aligned, `value` first).
#[repr(C, align(16))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KeyValue64 {
    /// The payload, carried along.
    pub value: u64,
    /// The sort key.
    pub key: u64,
}

/// A 32-bit key with a 32-bit payload, ordered by `key` alone (Highway's `K32V32`
/// layout: 8 bytes, 8-byte aligned, `value` first).
#[repr(C, align(8))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KeyValue32 {
    /// The payload, carried along.
    pub value: u32,
    /// The sort key.
    pub key: u32,
}

impl KeyValue64 {
    /// A pair.
    pub const fn new(key: u64, value: u64) -> Self {
        KeyValue64 { value, key }
    }
}

impl KeyValue32 {
    /// A pair.
    pub const fn new(key: u32, value: u32) -> Self {
        KeyValue32 { value, key }
    }
}

/// The key types, as a value ([`SortKey::TYPE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyType {
    /// `u16`
    U16,
    /// `u32`
    U32,
    /// `u64`
    U64,
    /// `u128`
    U128,
    /// `i16`
    I16,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f32`, in [`f32::total_cmp`]'s order
    F32,
    /// `f64`, in [`f64::total_cmp`]'s order
    F64,
    /// [`KeyValue32`], by key
    KeyValue32,
    /// [`KeyValue64`], by key
    KeyValue64,
}

/// A slice of one of the key types: the object-safe form [`Sorter::sort_keys`](crate::Sorter::sort_keys)
/// takes. [`SortKey::keys`] makes one from a typed slice.
#[derive(Debug)]
#[non_exhaustive]
pub enum Keys<'a> {
    /// `u16` keys
    U16(&'a mut [u16]),
    /// `u32` keys
    U32(&'a mut [u32]),
    /// `u64` keys
    U64(&'a mut [u64]),
    /// `u128` keys
    U128(&'a mut [u128]),
    /// `i16` keys
    I16(&'a mut [i16]),
    /// `i32` keys
    I32(&'a mut [i32]),
    /// `i64` keys
    I64(&'a mut [i64]),
    /// `f32` keys
    F32(&'a mut [f32]),
    /// `f64` keys
    F64(&'a mut [f64]),
    /// key-value pairs with 32-bit keys
    KeyValue32(&'a mut [KeyValue32]),
    /// key-value pairs with 64-bit keys
    KeyValue64(&'a mut [KeyValue64]),
}

impl Keys<'_> {
    /// The key type.
    pub fn key_type(&self) -> KeyType {
        match self {
            Keys::U16(_) => KeyType::U16,
            Keys::U32(_) => KeyType::U32,
            Keys::U64(_) => KeyType::U64,
            Keys::U128(_) => KeyType::U128,
            Keys::I16(_) => KeyType::I16,
            Keys::I32(_) => KeyType::I32,
            Keys::I64(_) => KeyType::I64,
            Keys::F32(_) => KeyType::F32,
            Keys::F64(_) => KeyType::F64,
            Keys::KeyValue32(_) => KeyType::KeyValue32,
            Keys::KeyValue64(_) => KeyType::KeyValue64,
        }
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        match self {
            Keys::U16(k) => k.len(),
            Keys::U32(k) => k.len(),
            Keys::U64(k) => k.len(),
            Keys::U128(k) => k.len(),
            Keys::I16(k) => k.len(),
            Keys::I32(k) => k.len(),
            Keys::I64(k) => k.len(),
            Keys::F32(k) => k.len(),
            Keys::F64(k) => k.len(),
            Keys::KeyValue32(k) => k.len(),
            Keys::KeyValue64(k) => k.len(),
        }
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An unsigned integer that is the order-preserving image of a key: the radix sort's
/// digits and the samplesort's comparisons work on it.
pub trait Bits: Copy + Ord + Send + Sync + core::fmt::Debug + 'static {
    /// The width in bytes.
    const BYTES: usize;
    /// Byte `i` (0 = least significant).
    fn byte(self, i: usize) -> usize;
}

macro_rules! bits {
    ($($t:ty),*) => {$(
        impl Bits for $t {
            const BYTES: usize = core::mem::size_of::<$t>();
            #[inline(always)]
            fn byte(self, i: usize) -> usize {
                ((self >> (8 * i)) & 0xff) as usize
            }
        }
    )*};
}
bits!(u16, u32, u64, u128);

mod sealed {
    pub trait Sealed {}
}

/// A key type the sorters accept: the unsigned integers `u16`–`u128`, the signed ones
/// `i16`–`i64`, `f32` and `f64` (in [`f64::total_cmp`]'s order: `-NaN < -∞ < … < -0.0
/// < +0.0 < … < +∞ < +NaN`), and the key-value pairs [`KeyValue32`] and [`KeyValue64`]
/// (by key). Sealed: each type maps to an unsigned integer ([`SortKey::ordered`]) whose
/// natural order is the key's order.
pub trait SortKey: Copy + Send + Sync + core::fmt::Debug + sealed::Sealed + 'static {
    /// The unsigned image.
    type Bits: Bits;
    /// This type as a value.
    const TYPE: KeyType;
    /// The order-preserving unsigned image: `a` sorts before `b` exactly when
    /// `a.ordered() < b.ordered()` (for pairs: by key, payloads ignored).
    fn ordered(self) -> Self::Bits;
    /// The typed slice as [`Keys`].
    fn keys(slice: &mut [Self]) -> Keys<'_>;
}

macro_rules! key {
    ($t:ty, $bits:ty, $variant:ident, |$x:ident| $ordered:expr) => {
        impl sealed::Sealed for $t {}
        impl SortKey for $t {
            type Bits = $bits;
            const TYPE: KeyType = KeyType::$variant;
            #[inline(always)]
            fn ordered(self) -> $bits {
                let $x = self;
                $ordered
            }
            fn keys(slice: &mut [Self]) -> Keys<'_> {
                Keys::$variant(slice)
            }
        }
    };
}

key!(u16, u16, U16, |x| x);
key!(u32, u32, U32, |x| x);
key!(u64, u64, U64, |x| x);
key!(u128, u128, U128, |x| x);
key!(i16, u16, I16, |x| (x as u16) ^ (1 << 15));
key!(i32, u32, I32, |x| (x as u32) ^ (1 << 31));
key!(i64, u64, I64, |x| (x as u64) ^ (1 << 63));
key!(f32, u32, F32, |x| float_bits_32(x.to_bits()));
key!(f64, u64, F64, |x| float_bits_64(x.to_bits()));
key!(KeyValue32, u32, KeyValue32, |x| x.key);
key!(KeyValue64, u64, KeyValue64, |x| x.key);

/// `f32` bits → an unsigned integer in `total_cmp` order (negatives: all bits flipped;
/// positives: the sign bit set).
#[inline(always)]
pub(crate) fn float_bits_32(b: u32) -> u32 {
    b ^ ((((b as i32) >> 31) as u32) | (1 << 31))
}

/// The inverse of [`float_bits_32`].
#[cfg_attr(not(feature = "vqsort"), allow(dead_code))]
#[inline(always)]
pub(crate) fn float_unbits_32(u: u32) -> u32 {
    u ^ (((!u as i32 >> 31) as u32) | (1 << 31))
}

/// `f64` bits → an unsigned integer in `total_cmp` order.
#[inline(always)]
pub(crate) fn float_bits_64(b: u64) -> u64 {
    b ^ ((((b as i64) >> 63) as u64) | (1 << 63))
}

/// The inverse of [`float_bits_64`].
#[cfg_attr(not(feature = "vqsort"), allow(dead_code))]
#[inline(always)]
pub(crate) fn float_unbits_64(u: u64) -> u64 {
    u ^ (((!u as i64 >> 63) as u64) | (1 << 63))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_images_follow_total_cmp_and_invert() {
        let xs = [
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.0,
            -0.0,
            1.5,
            -1.5,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            f64::MAX,
            f64::MIN,
        ];
        for &a in &xs {
            assert_eq!(float_unbits_64(float_bits_64(a.to_bits())), a.to_bits());
            let a32 = a as f32;
            assert_eq!(float_unbits_32(float_bits_32(a32.to_bits())), a32.to_bits());
            for &b in &xs {
                assert_eq!(a.ordered().cmp(&b.ordered()), a.total_cmp(&b), "{a} {b}");
                let b32 = b as f32;
                assert_eq!(a32.ordered().cmp(&b32.ordered()), a32.total_cmp(&b32));
            }
        }
        for (a, b) in [(-5i32, 3i32), (i32::MIN, i32::MAX), (-1, 0)] {
            assert!(a.ordered() < b.ordered());
        }
    }
}
