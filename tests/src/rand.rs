//! The random number suite (`arsenal-rand`), per generator by
//! [`rand_conformance!`](crate::rand_conformance):
//!
//! - known answers: the authors' published outputs (RFC 8439's ChaCha20 vectors, the
//!   reference C code's xoshiro256 outputs from state {1, 2, 3, 4}, pcg-c's demo
//!   outputs for seed 42 stream 54) in [`known_answers`];
//! - the byte contract: `fill_bytes` of every length from 0 to 80 and odd lengths up
//!   to 4099 equals the little-endian bytes of the `next_u64` stream, and leaves the
//!   generator exactly whole words further ([`fill_matches_words`]);
//! - seeding: `seed_from_u64` of 0, 1 and `u64::MAX`, `from_seed` of all-zero and
//!   all-ones seeds give lively, distinct, reproducible streams ([`seeding`]);
//! - same seed, same stream as the peer crate of the same algorithm (`rand_xoshiro`,
//!   `rand_pcg`, `rand_chacha`, `rand`'s `SmallRng`), through every mix of calls
//!   ([`same_stream`]);
//! - `rand` 0.10's own algorithms work on it (ranges, shuffles: [`drops_into_rand`]) and
//!   its bits are balanced ([`balanced`], a smoke test; `scripts/rand-dieharder` runs
//!   dieharder on release builds).
use arsenal_rand::rand_core::{Rng, SeedableRng, TryRng};

/// A seedable generator of the suite.
pub trait Generator: Rng + SeedableRng + Clone {
    /// Bytes per native output (8 for 64-bit generators, 4 for PCG32 and ChaCha):
    /// `fill_bytes` consumes whole outputs of this size.
    const WORD: usize;
    /// Whether `from_seed` of the all-zero seed is documented to give
    /// `seed_from_u64(0)`'s state (xoshiro, whose all-zero state is forbidden).
    const ZERO_SEED_IS_SEED_0: bool = false;
}

impl Generator for arsenal_rand::Xoshiro256PlusPlus {
    const WORD: usize = 8;
    const ZERO_SEED_IS_SEED_0: bool = true;
}
impl Generator for arsenal_rand::Xoshiro256StarStar {
    const WORD: usize = 8;
    const ZERO_SEED_IS_SEED_0: bool = true;
}
impl Generator for arsenal_rand::Pcg64 {
    const WORD: usize = 8;
}
impl Generator for arsenal_rand::Pcg32 {
    const WORD: usize = 4;
}
impl<const R: usize> Generator for arsenal_rand::ChaChaRng<R> {
    const WORD: usize = 4;
}

/// The little-endian bytes of `n` words of `next_u64`.
fn u64_bytes<R: Rng>(rng: &mut R, n: usize) -> Vec<u8> {
    (0..n.div_ceil(8))
        .flat_map(|_| rng.next_u64().to_le_bytes())
        .take(n)
        .collect()
}

/// `fill_bytes(n)` = the first n bytes of the `next_u64` stream, and afterwards the
/// generator is ⌈n / WORD⌉ native words further on.
pub fn fill_matches_words<G: Generator>(rng: G) {
    let lengths = (0..=80).chain([127, 129, 255, 257, 1023, 1025, 4095, 4099]);
    for n in lengths {
        let mut filled = rng.clone();
        let mut buf = vec![0u8; n];
        filled.fill_bytes(&mut buf);
        assert_eq!(buf, u64_bytes(&mut rng.clone(), n), "length {n}");
        // Whole native words consumed: skip them on a clone and compare what follows.
        let mut skipped = rng.clone();
        let words = n.div_ceil(G::WORD);
        for _ in 0..words {
            if G::WORD == 8 {
                skipped.next_u64();
            } else {
                skipped.next_u32();
            }
        }
        assert_eq!(filled.next_u64(), skipped.next_u64(), "after {n} bytes");
    }
    // Also from a position inside a buffered block (ChaCha): one word used first.
    let mut a = rng.clone();
    a.next_u32();
    let mut b = a.clone();
    let mut buf = vec![0u8; 2053];
    a.fill_bytes(&mut buf);
    assert_eq!(buf, u64_bytes(&mut b, 2053));
}

/// Reproducible, lively streams from edge seeds.
pub fn seeding<G: Generator>() {
    let take = |mut g: G| -> Vec<u64> { (0..64).map(|_| g.next_u64()).collect() };
    let mut streams = Vec::new();
    for seed in [0u64, 1, u64::MAX] {
        let a = take(G::seed_from_u64(seed));
        assert_eq!(
            a,
            take(G::seed_from_u64(seed)),
            "seed_from_u64({seed}) reproducible"
        );
        streams.push(a);
    }
    let mut zero = G::Seed::default();
    streams.push(take(G::from_seed(zero.clone())));
    zero.as_mut().fill(0xFF);
    streams.push(take(G::from_seed(zero)));
    if G::ZERO_SEED_IS_SEED_0 {
        assert_eq!(streams[3], streams[0], "from_seed(zero) = seed_from_u64(0)");
        streams.remove(3);
    }
    for (i, s) in streams.iter().enumerate() {
        let mut distinct = s.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert!(distinct.len() >= 63, "stream {i} repeats: {s:x?}");
        assert!(!s.contains(&0) || distinct.len() == 64, "stream {i}");
        for (j, t) in streams.iter().enumerate().skip(i + 1) {
            assert_ne!(s[..4], t[..4], "streams {i} and {j} start alike");
        }
    }
}

/// The proportion of one bits over 2¹⁶ outputs is within 1 % of a half, and every bit
/// position is set between 45 % and 55 % of the time (4096 outputs).
pub fn balanced<R: Rng>(rng: &mut R) {
    let mut per_bit = [0u32; 64];
    let mut ones = 0u64;
    for i in 0..(1 << 16) {
        let x = rng.next_u64();
        ones += u64::from(x.count_ones());
        if i < 4096 {
            for (b, count) in per_bit.iter_mut().enumerate() {
                *count += ((x >> b) & 1) as u32;
            }
        }
    }
    let ratio = ones as f64 / (64.0 * 65536.0);
    assert!((ratio - 0.5).abs() < 0.01, "ones ratio {ratio}");
    for (b, &c) in per_bit.iter().enumerate() {
        assert!((1843..=2253).contains(&c), "bit {b} set {c} times of 4096");
    }
}

/// `rand`'s algorithms run on the generator: uniform ranges stay in range and hit
/// every value, shuffles permute.
pub fn drops_into_rand<R: Rng>(rng: &mut R) {
    use rand::seq::SliceRandom;
    use rand::RngExt;
    let mut seen = [0u32; 10];
    for _ in 0..2000 {
        let x: usize = rng.random_range(0..10);
        seen[x] += 1;
    }
    assert!(seen.iter().all(|&c| c > 100), "{seen:?}");
    let f: f64 = rng.random();
    assert!((0.0..1.0).contains(&f));
    let mut v: Vec<u32> = (0..100).collect();
    v.shuffle(rng);
    assert_ne!(v, (0..100).collect::<Vec<_>>());
    v.sort_unstable();
    assert_eq!(v, (0..100).collect::<Vec<_>>());
}

/// Two generators give the same outputs through a mix of `next_u32`, `next_u64` and
/// `fill_bytes` of odd lengths that crosses ChaCha's buffer boundaries.
pub fn same_stream<A: Rng, B: Rng>(mut ours: A, mut peer: B, what: &str) {
    for round in 0..200 {
        match round % 4 {
            0 => assert_eq!(ours.next_u64(), peer.next_u64(), "{what}: u64 at {round}"),
            1 => assert_eq!(ours.next_u32(), peer.next_u32(), "{what}: u32 at {round}"),
            2 => {
                let n = (round * 37) % 301;
                let (mut a, mut b) = (vec![0u8; n], vec![0u8; n]);
                ours.fill_bytes(&mut a);
                peer.fill_bytes(&mut b);
                assert_eq!(a, b, "{what}: {n} bytes at {round}");
            }
            _ => {
                for _ in 0..(round % 7) {
                    assert_eq!(ours.next_u32(), peer.next_u32(), "{what}: run at {round}");
                }
            }
        }
    }
}

/// [`same_stream`] for the peer of the same algorithm, from `from_seed` (a patterned
/// and an all-zero seed) and from `seed_from_u64` (0, 42, `u64::MAX`).
pub fn same_as_peer<A: SeedableRng + Rng, B: SeedableRng + Rng>(what: &str) {
    let patterned = |seed: &mut [u8]| {
        for (i, b) in seed.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(37).wrapping_add(11);
        }
    };
    let (mut sa, mut sb) = (A::Seed::default(), B::Seed::default());
    patterned(sa.as_mut());
    patterned(sb.as_mut());
    same_stream(A::from_seed(sa), B::from_seed(sb), what);
    same_stream(
        A::from_seed(A::Seed::default()),
        B::from_seed(B::Seed::default()),
        what,
    );
    for seed in [0, 42, u64::MAX] {
        same_stream(A::seed_from_u64(seed), B::seed_from_u64(seed), what);
    }
}

/// Hex to bytes (the RFC's vectors).
fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits
        .chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
        .collect()
}

/// The RFC 8439 counter and nonce as this generator's 64-bit counter and stream: the
/// word position and the stream number.
fn rfc_position(counter: u32, nonce: [u8; 12]) -> (u128, u64) {
    let n0 = u32::from_le_bytes(nonce[0..4].try_into().unwrap());
    let stream = u64::from_le_bytes(nonce[4..12].try_into().unwrap());
    let block = (u64::from(n0) << 32) | u64::from(counter);
    (u128::from(block) * 16, stream)
}

/// Every published vector: ChaCha20 (RFC 8439 §2.3.2 block, §2.4.2 encryption, §A.1
/// test vector 1), xoshiro256++/** (the reference C code from state {1, 2, 3, 4}),
/// PCG32 and PCG64 (pcg-c's demos, seed 42, stream 54).
pub fn known_answers() {
    use arsenal_rand::{ChaCha20Rng, Pcg32, Pcg64, Xoshiro256PlusPlus, Xoshiro256StarStar};
    let key: [u8; 32] = core::array::from_fn(|i| i as u8);

    // §2.3.2: key 00..1f, nonce 00:00:00:09:00:00:00:4a:00:00:00:00, counter 1.
    let (pos, stream) = rfc_position(1, [0, 0, 0, 9, 0, 0, 0, 0x4a, 0, 0, 0, 0]);
    let mut rng = ChaCha20Rng::from_key_stream(key, stream);
    rng.set_word_pos(pos);
    let mut block = [0u8; 64];
    rng.fill_bytes(&mut block);
    assert_eq!(
        block.to_vec(),
        hex("10 f1 e7 e4 d1 3b 59 15 50 0f dd 1f a3 20 71 c4
             c7 d1 f4 c7 33 c0 68 03 04 22 aa 9a c3 d4 6c 4e
             d2 82 64 46 07 9f aa 09 14 c2 d7 05 d9 8b 02 a2
             b5 12 9c d1 de 16 4e b9 cb d0 83 e8 a2 50 3c 4e"),
        "RFC 8439 §2.3.2"
    );

    // §2.4.2: the same key, nonce 00:00:00:00:00:00:00:4a:00:00:00:00, counter 1.
    let plaintext = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
    let (pos, stream) = rfc_position(1, [0, 0, 0, 0, 0, 0, 0, 0x4a, 0, 0, 0, 0]);
    let mut rng = ChaCha20Rng::from_key_stream(key, stream);
    rng.set_word_pos(pos);
    let mut keystream = vec![0u8; plaintext.len()];
    rng.fill_bytes(&mut keystream);
    let ciphertext: Vec<u8> = plaintext
        .iter()
        .zip(&keystream)
        .map(|(p, k)| p ^ k)
        .collect();
    assert_eq!(
        ciphertext,
        hex("6e 2e 35 9a 25 68 f9 80 41 ba 07 28 dd 0d 69 81
             e9 7e 7a ec 1d 43 60 c2 0a 27 af cc fd 9f ae 0b
             f9 1b 65 c5 52 47 33 ab 8f 59 3d ab cd 62 b3 57
             16 39 d6 24 e6 51 52 ab 8f 53 0c 35 9f 08 61 d8
             07 ca 0d bf 50 0d 6a 61 56 a3 8e 08 8a 22 b6 5e
             52 bc 51 4d 16 cc f8 06 81 8c e9 1a b7 79 37 36
             5a f9 0b bf 74 a3 5b e6 b4 0b 8e ed f2 78 5e 42
             87 4d"),
        "RFC 8439 §2.4.2"
    );

    // §A.1 test vector #1: all-zero key, nonce and counter = from_seed([0; 32]).
    let mut rng = ChaCha20Rng::from_seed([0; 32]);
    let mut block = [0u8; 64];
    rng.fill_bytes(&mut block);
    assert_eq!(
        block.to_vec(),
        hex("76 b8 e0 ad a0 f1 3d 90 40 5d 6a e5 53 86 bd 28
             bd d2 19 b8 a0 8d ed 1a a8 36 ef cc 8b 77 0d c7
             da 41 59 7c 51 57 48 8d 77 24 e0 3f b8 d8 4a 37
             6a 43 b8 f4 15 18 a1 1c c3 87 b6 69 b2 ee 65 86"),
        "RFC 8439 §A.1 #1"
    );

    // xoshiro256++ and xoshiro256** from the state {1, 2, 3, 4} of the authors' C code.
    let mut pp = Xoshiro256PlusPlus::from_state([1, 2, 3, 4]).unwrap();
    let want_pp: [u64; 10] = [
        41943041,
        58720359,
        3588806011781223,
        3591011842654386,
        9228616714210784205,
        9973669472204895162,
        14011001112246962877,
        12406186145184390807,
        15849039046786891736,
        10450023813501588000,
    ];
    assert_eq!(want_pp.map(|_| pp.next_u64()), want_pp, "xoshiro256++");
    let mut ss = Xoshiro256StarStar::from_state([1, 2, 3, 4]).unwrap();
    let want_ss: [u64; 10] = [
        11520,
        0,
        1509978240,
        1215971899390074240,
        1216172134540287360,
        607988272756665600,
        16172922978634559625,
        8476171486693032832,
        10595114339597558777,
        2904607092377533576,
    ];
    assert_eq!(want_ss.map(|_| ss.next_u64()), want_ss, "xoshiro256**");

    // pcg-c's pcg32-demo and pcg64 demo: pcg32_srandom_r(42, 54).
    let mut p32 = Pcg32::new(42, 54);
    let want32: [u32; 6] = [
        0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e,
    ];
    assert_eq!(want32.map(|_| p32.next_u32()), want32, "pcg32");
    let mut p64 = Pcg64::new(42, 54);
    let want64: [u64; 6] = [
        0x86b1da1d72062b68,
        0x1304aa46c9853d39,
        0xa3670e9e0dd50358,
        0xf9090e529a7dae00,
        0xc85b9fd837996f2c,
        0x606121f8e3919196,
    ];
    assert_eq!(want64.map(|_| p64.next_u64()), want64, "pcg64");
}

/// Jumps: xoshiro's `jump`/`long_jump` equal `rand_xoshiro`'s (the same polynomials),
/// and PCG's `advance` equals stepping.
pub fn jumps() {
    use arsenal_rand::{Pcg64, Xoshiro256PlusPlus, Xoshiro256StarStar};
    let mut a = Xoshiro256PlusPlus::seed_from_u64(5);
    let mut b = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(5);
    a.jump();
    b.jump();
    same_stream(a.clone(), b.clone(), "xoshiro256++ after jump");
    a.long_jump();
    b.long_jump();
    same_stream(a, b, "xoshiro256++ after long_jump");
    let mut c = Xoshiro256StarStar::seed_from_u64(6);
    let mut d = rand_xoshiro::Xoshiro256StarStar::seed_from_u64(6);
    c.long_jump();
    d.long_jump();
    c.jump();
    d.jump();
    same_stream(c, d, "xoshiro256** after jumps");
    let mut e = Pcg64::new(7, 8);
    let mut f = rand_pcg::Pcg64::new(7, 8);
    e.advance(123_456_789);
    f.advance(123_456_789);
    same_stream(e, f, "pcg64 after advance");
}

/// The hardware sources: a working source returns varied values through every method;
/// an absent one is `Unsupported` (never another generator).
pub fn hardware<S: TryRng<Error = arsenal_rand::Error>>(
    make: fn() -> arsenal_rand::Result<S>,
    present: bool,
) {
    match make() {
        Ok(mut s) => {
            assert!(present, "constructed without the CPU feature");
            let words: Vec<u64> = (0..32).map(|_| s.try_next_u64().unwrap()).collect();
            let mut distinct = words.clone();
            distinct.sort_unstable();
            distinct.dedup();
            assert!(distinct.len() >= 31, "{words:x?}");
            let _ = s.try_next_u32().unwrap();
            for n in [0, 1, 7, 8, 9, 33, 1000] {
                let mut buf = vec![0u8; n];
                s.try_fill_bytes(&mut buf).unwrap();
                if n >= 8 {
                    assert!(buf.iter().any(|&b| b != 0));
                }
            }
            let mut unwrapped = arsenal_rand::rand_core::UnwrapErr(&mut s);
            balanced(&mut unwrapped);
            // Seeding a CSPRNG from it.
            let _ = arsenal_rand::ChaCha20Rng::try_from_rng(&mut s).unwrap();
        }
        Err(e) => {
            // Without the instruction, or with a broken one (a constant value).
            assert_eq!(e.kind(), arsenal_rand::ErrorKind::Unsupported, "{e}");
        }
    }
}

/// Instantiates the suite for one generator: `rand_conformance!(name, Type, Backend)`
/// for a seedable generator, `rand_conformance!(hardware name, Type, Backend)` for
/// RDRAND/RDSEED.
#[macro_export]
macro_rules! rand_conformance {
    (hardware $name:ident, $type:ty, $backend:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn works_or_says_unsupported() {
                let present = $backend.is_available();
                $crate::rand::hardware::<$type>(<$type>::new, present);
            }

            #[test]
            fn takes_no_seed() {
                let e = ($backend).seeded(1).unwrap_err();
                assert_eq!(e.kind(), arsenal_rand::ErrorKind::Seed);
            }
        }
    };
    ($name:ident, $type:ty, $backend:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            use arsenal_rand::rand_core::{Rng, SeedableRng, TryRng};

            #[test]
            fn fill_bytes_are_the_u64_stream() {
                $crate::rand::fill_matches_words(<$type>::seed_from_u64(3));
                $crate::rand::fill_matches_words(<$type>::from_seed(Default::default()));
            }

            #[test]
            fn edge_seeds() {
                $crate::rand::seeding::<$type>();
            }

            #[test]
            fn balanced_bits() {
                $crate::rand::balanced(&mut <$type>::seed_from_u64(11));
            }

            #[test]
            fn drops_into_rand() {
                $crate::rand::drops_into_rand(&mut <$type>::seed_from_u64(12));
            }

            #[test]
            fn backend_factory_gives_the_same_stream() {
                let mut any = ($backend).seeded(99).unwrap();
                assert_eq!(any.backend(), $backend);
                assert!(($backend).source().is_err());
                let mut direct = <$type>::seed_from_u64(99);
                for _ in 0..100 {
                    assert_eq!(any.try_next_u64().unwrap(), direct.next_u64());
                }
                let (mut a, mut b) = ([0u8; 77], [0u8; 77]);
                any.try_fill_bytes(&mut a).unwrap();
                direct.fill_bytes(&mut b);
                assert_eq!(a, b);
            }
        }
    };
}
