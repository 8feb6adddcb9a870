//! What the native wyhash and rapidhash share: the 64×64→128-bit multiply-and-fold and
//! little-endian reads (both descend from wyhash's `_wymum`/`_wymix`/`_wyr8`/`_wyr4`), and
//! their buffered `Hasher64` implementation.

/// `Hasher64` for a native hasher type `{ seed: u64, buffer: Vec<u8> }` whose one-shot
/// function is `$hash(data, seed)`: streaming collects the input (both algorithms read
/// the length first, so they have no incremental form) and hashes it at `finish64`.
macro_rules! buffered_hasher64 {
    ($ty:ident, $name:literal, |$data:ident, $seed:ident| $hash:expr) => {
        impl $crate::Hasher64 for $ty {
            fn with_seed(seed: u64) -> Self {
                $ty {
                    seed,
                    buffer: Vec::new(),
                }
            }

            #[inline]
            fn update(&mut self, data: &[u8]) {
                self.buffer.extend_from_slice(data);
            }

            #[inline]
            fn finish64(&self) -> u64 {
                let ($data, $seed) = (&self.buffer[..], self.seed);
                $hash
            }

            fn reset(&mut self) {
                self.buffer.clear();
            }

            fn name(&self) -> &'static str {
                $name
            }

            #[inline]
            fn hash64($seed: u64, $data: &[u8]) -> u64 {
                $hash
            }
        }
    };
}

/// The full 128-bit product of `a` and `b`, as (low, high) halves.
#[inline(always)]
pub(crate) fn mum(a: u64, b: u64) -> (u64, u64) {
    let r = u128::from(a) * u128::from(b);
    (r as u64, (r >> 64) as u64)
}

/// The two halves of `a × b` folded by xor.
#[inline(always)]
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let (lo, hi) = mum(a, b);
    lo ^ hi
}

/// 8 little-endian bytes of `p` at `at`.
#[inline(always)]
pub(crate) fn r8(p: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&p[at..at + 8]);
    u64::from_le_bytes(b)
}

/// 4 little-endian bytes of `p` at `at`, zero-extended.
#[inline(always)]
pub(crate) fn r4(p: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&p[at..at + 4]);
    u64::from(u32::from_le_bytes(b))
}
