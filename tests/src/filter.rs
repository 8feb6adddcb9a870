//! The approximate-membership filter suite (`arsenal-filter`), instantiated once per
//! filter by [`filter_conformance!`](crate::filter_conformance): no false negatives at
//! every size, the false-positive rate measured over 10⁷ negatives against the
//! filter's documented rate, bits per key against the papers, the binary format's round
//! trip, and every truncation and many corruptions of it refused without a panic.

use arsenal_filter::{from_bytes, hash_item, Backend};

/// Distinct keys `0..n` hashed with the crate's item hash, shifted by `salt`.
pub fn keys(n: usize, salt: u64) -> Vec<u64> {
    (0..n as u64).map(|i| hash_item(&(i, salt))).collect()
}

/// The false-positive rate a filter documents, and the measured band accepted around it
/// for 10⁷ negatives (wide enough for ±6σ of the binomial count).
pub fn expected_fpr(backend: Backend) -> (f64, f64, f64) {
    let band = |p: f64| {
        let sigma = (p / 1e7).sqrt();
        (p, (p - 6.0 * sigma).max(0.0), p + 6.0 * sigma)
    };
    match backend {
        Backend::Xor8 | Backend::BinaryFuse8 | Backend::Ribbon8 => band(1.0 / 256.0),
        Backend::Xor16 | Backend::BinaryFuse16 | Backend::Ribbon16 => band(1.0 / 65536.0),
        // Backend::build sizes the Bloom filter at 12 bits per key.
        Backend::Bloom => {
            let (p, lo, hi) = band(arsenal_filter::BlockedBloom::expected_fpr(12.0));
            // Widened by 5 % each way for the model (Poisson block loads).
            (p, lo * 0.95, hi * 1.05)
        }
        // At most 2 buckets x 4 slots of 16-bit fingerprints could match.
        Backend::Cuckoo => (8.0 / 65536.0, 0.0, 8.0 / 65536.0 * 1.1),
        // Backend::build sizes the quotient filters at 90 % load: 10^6 keys in
        // ceil(10^6 / 0.9) slots, rate 1 - exp(-load / 2^r).
        Backend::Quotient8 => band(arsenal_filter::Quotient8::expected_fpr(quotient_load())),
        Backend::Quotient16 => band(arsenal_filter::Quotient16::expected_fpr(quotient_load())),
        _ => unreachable!("a new filter needs its documented rate here"),
    }
}

/// The load of a quotient filter `Backend::build` makes from the 10⁶ keys of
/// [`false_positive_rate`].
fn quotient_load() -> f64 {
    1e6 / (1e6f64 / 0.9).ceil()
}

/// Every key built in is found, at sizes from empty to 10⁵.
pub fn no_false_negatives(backend: Backend) {
    for n in [0usize, 1, 2, 3, 7, 10, 100, 1000, 10_000, 100_000] {
        let k = keys(n, 1);
        let f = backend
            .build(&k)
            .unwrap_or_else(|e| panic!("{backend} n={n}: {e}"));
        assert_eq!(f.len(), n, "{backend} n={n}");
        let missing = k.iter().filter(|&&key| !f.contains_key(key)).count();
        assert_eq!(missing, 0, "{backend} n={n}: false negatives");
    }
    // Duplicate keys are counted once by static filters and found by all.
    let mut k = keys(1000, 2);
    k.extend_from_slice(&k.clone());
    let f = backend.build(&k).unwrap();
    assert!(
        k.iter().all(|&key| f.contains_key(key)),
        "{backend} duplicates"
    );
}

/// The measured false-positive rate over 10⁷ keys never built in, within the band of
/// [`expected_fpr`]; returns it.
pub fn false_positive_rate(backend: Backend) -> f64 {
    let built = keys(1_000_000, 3);
    let f = backend.build(&built).unwrap();
    let negatives = 10_000_000u64;
    let hits = (0..negatives)
        .filter(|&i| f.contains_key(hash_item(&(i, 4u64))))
        .count();
    let rate = hits as f64 / negatives as f64;
    let (doc, lo, hi) = expected_fpr(backend);
    assert!(
        (lo..=hi).contains(&rate),
        "{backend}: measured false-positive rate {rate} outside [{lo}, {hi}] (documented {doc})"
    );
    rate
}

/// Bits per key at 10⁶ keys against the papers: xor 1.23 slots/key + 32 (9.84 bits at
/// 8-bit fingerprints), binary fuse ≤ 1.135 slots/key at this size, the Bloom filter its
/// 12 bits (rounded up to a block), the cuckoo filter 16 bits per slot over its 92 % load,
/// the quotient filters r + 3 bits per slot over their 90 % load.
pub fn bits_per_key(backend: Backend) -> f64 {
    let n = 1_000_000;
    let f = backend.build(&keys(n, 5)).unwrap();
    let bits = f.bits_per_key();
    let (lo, hi) = match backend {
        Backend::Xor8 => (9.8, 9.9),
        Backend::Xor16 => (19.6, 19.75),
        Backend::BinaryFuse8 => (9.0, 9.1),
        Backend::BinaryFuse16 => (18.0, 18.2),
        // Standard Ribbon: (1 + ε) slots per key plus one 128-slot band, ε = 0.05 at
        // 10^6 keys (arsenal_filter's ribbon sizing): 8.40 / 16.80.
        Backend::Ribbon8 => (8.0, RIBBON8_MAX_BITS),
        Backend::Ribbon16 => (16.0, 2.0 * RIBBON8_MAX_BITS),
        Backend::Bloom => (12.0, 12.01),
        // 4 slots x 16 bits per bucket, sized for 92 % load.
        Backend::Cuckoo => (16.0 / 0.92, 16.0 / 0.92 + 0.01),
        // r + 3 bits per slot at 90 % load (metadata in whole 64-slot words).
        Backend::Quotient8 => (11.0 / 0.9, 11.0 / 0.9 + 0.01),
        Backend::Quotient16 => (19.0 / 0.9, 19.0 / 0.9 + 0.01),
        _ => unreachable!("a new filter needs its space bound here"),
    };
    assert!(
        (lo..=hi).contains(&bits),
        "{backend}: {bits} bits/key outside [{lo}, {hi}]"
    );
    bits
}

/// The bits per key a Ribbon filter with 8-bit fingerprints may take at 10⁶ keys: its
/// documented ≈ 8.4 (8 × 1.05 slots per key, the crate's table).
pub const RIBBON8_MAX_BITS: f64 = 8.41;

/// The binary format round-trips (same bytes, same answers), and the crate-level
/// [`from_bytes`] reads it back as the same kind.
pub fn round_trip(backend: Backend) {
    let k = keys(5000, 6);
    let f = backend.build(&k).unwrap();
    let bytes = f.to_bytes();
    let g = from_bytes(&bytes).unwrap();
    assert_eq!(g.backend(), backend);
    assert_eq!(g.len(), f.len());
    assert_eq!(
        g.to_bytes(),
        bytes,
        "{backend}: bytes differ after a round trip"
    );
    for i in 0..20_000u64 {
        let q = hash_item(&(i, 7u64));
        assert_eq!(f.contains_key(q), g.contains_key(q), "{backend}");
    }
}

/// Every truncation of a serialised filter is refused; every single-byte change of its
/// header and fields, and random changes anywhere, give an `Err` or a filter that
/// answers queries (never a panic); appended bytes are refused.
pub fn corrupt_input(backend: Backend) {
    let f = backend.build(&keys(50, 8)).unwrap();
    let bytes = f.to_bytes();
    for len in 0..bytes.len() {
        assert!(
            from_bytes(&bytes[..len]).is_err(),
            "{backend}: truncated to {len} bytes was accepted"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(from_bytes(&longer).is_err(), "{backend}: trailing byte");
    for i in 0..bytes.len().min(64) {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut b = bytes.clone();
            b[i] ^= flip;
            if let Ok(g) = from_bytes(&b) {
                for q in 0..100u64 {
                    let _ = g.contains_key(q);
                }
            }
        }
    }
    // Length fields claiming huge tables (u64::MAX, usize::MAX) are refused before any
    // allocation.
    for field in 6..bytes.len().saturating_sub(8).min(40) {
        let mut b = bytes.clone();
        b[field..field + 8].copy_from_slice(&u64::MAX.to_le_bytes());
        if let Ok(g) = from_bytes(&b) {
            let _ = g.contains_key(1);
        }
    }
    for junk in [
        &b""[..],
        b"ARSF",
        b"ARSF\x01",
        b"ARSF\x02\x01",
        b"ARSF\x01\x63",
        b"XXXX\x01\x01",
    ] {
        assert!(from_bytes(junk).is_err(), "{backend}: {junk:?}");
    }
}

/// Limits at their maximum are errors, not aborts.
pub fn limits() {
    use arsenal_filter::{BlockedBloom, Cuckoo, ErrorKind, Quotient16, Quotient8};
    let e = BlockedBloom::with_bits_per_key(usize::MAX, 12.0).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Parameter);
    for bits in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e9] {
        assert_eq!(
            BlockedBloom::with_bits_per_key(10, bits)
                .unwrap_err()
                .kind(),
            ErrorKind::Parameter
        );
    }
    for fpr in [0.0, 1.0, f64::NAN, -0.5] {
        assert_eq!(
            BlockedBloom::with_fpr(10, fpr).unwrap_err().kind(),
            ErrorKind::Parameter
        );
    }
    assert_eq!(
        BlockedBloom::with_bits_per_key(usize::MAX / 2, 1.0)
            .unwrap_err()
            .kind(),
        ErrorKind::Parameter
    );
    assert_eq!(
        Cuckoo::with_capacity(usize::MAX).unwrap_err().kind(),
        ErrorKind::Parameter
    );
    for capacity in [usize::MAX, usize::MAX / 2, isize::MAX as usize / 4] {
        assert_eq!(
            Quotient8::with_capacity(capacity).unwrap_err().kind(),
            ErrorKind::Parameter
        );
        assert_eq!(
            Quotient16::with_capacity(capacity).unwrap_err().kind(),
            ErrorKind::Parameter
        );
    }
    for load in [0.0, -0.5, 0.951, 1.0, f64::NAN, f64::INFINITY] {
        assert_eq!(
            Quotient8::with_load(10, load).unwrap_err().kind(),
            ErrorKind::Parameter,
            "load {load}"
        );
    }
}

/// Instantiates the suite for one filter: `filter_conformance!(xor8, Backend::Xor8);`.
#[macro_export]
macro_rules! filter_conformance {
    ($name:ident, $backend:expr) => {
        mod $name {
            use $crate::filter as suite;

            #[test]
            fn no_false_negatives() {
                suite::no_false_negatives($backend);
            }

            #[test]
            fn false_positive_rate() {
                suite::false_positive_rate($backend);
            }

            #[test]
            fn bits_per_key() {
                suite::bits_per_key($backend);
            }

            #[test]
            fn round_trip() {
                suite::round_trip($backend);
            }

            #[test]
            fn corrupt_input() {
                suite::corrupt_input($backend);
            }
        }
    };
}
