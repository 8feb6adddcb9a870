//! The random number suite, once per generator, the published vectors and the
//! same-seed-same-stream checks against the rand 0.10 peers.
#![cfg(feature = "rand")]

use arsenal_conformance::rand::same_as_peer;
use arsenal_rand::Backend;

arsenal_conformance::rand_conformance!(
    xoshiro256pp,
    arsenal_rand::Xoshiro256PlusPlus,
    Backend::Xoshiro256PlusPlus
);
arsenal_conformance::rand_conformance!(
    xoshiro256ss,
    arsenal_rand::Xoshiro256StarStar,
    Backend::Xoshiro256StarStar
);
arsenal_conformance::rand_conformance!(pcg64, arsenal_rand::Pcg64, Backend::Pcg64);
arsenal_conformance::rand_conformance!(pcg32, arsenal_rand::Pcg32, Backend::Pcg32);
arsenal_conformance::rand_conformance!(chacha8, arsenal_rand::ChaCha8Rng, Backend::ChaCha8);
arsenal_conformance::rand_conformance!(chacha12, arsenal_rand::ChaCha12Rng, Backend::ChaCha12);
arsenal_conformance::rand_conformance!(chacha20, arsenal_rand::ChaCha20Rng, Backend::ChaCha20);
arsenal_conformance::rand_conformance!(hardware rdrand, arsenal_rand::RdRand, Backend::RdRand);
arsenal_conformance::rand_conformance!(hardware rdseed, arsenal_rand::RdSeed, Backend::RdSeed);

#[test]
fn published_vectors() {
    arsenal_conformance::rand::known_answers();
}

#[test]
fn jumps_and_advance() {
    arsenal_conformance::rand::jumps();
}

#[test]
fn same_streams_as_the_peer_crates() {
    same_as_peer::<arsenal_rand::Xoshiro256PlusPlus, rand_xoshiro::Xoshiro256PlusPlus>(
        "xoshiro256++ / rand_xoshiro",
    );
    same_as_peer::<arsenal_rand::Xoshiro256PlusPlus, rand::rngs::SmallRng>(
        "xoshiro256++ / rand SmallRng",
    );
    same_as_peer::<arsenal_rand::Xoshiro256StarStar, rand_xoshiro::Xoshiro256StarStar>(
        "xoshiro256** / rand_xoshiro",
    );
    same_as_peer::<arsenal_rand::Pcg64, rand_pcg::Pcg64>("pcg64 / rand_pcg");
    same_as_peer::<arsenal_rand::Pcg32, rand_pcg::Pcg32>("pcg32 / rand_pcg");
    same_as_peer::<arsenal_rand::ChaCha8Rng, rand_chacha::ChaCha8Rng>("chacha8 / rand_chacha");
    same_as_peer::<arsenal_rand::ChaCha12Rng, rand_chacha::ChaCha12Rng>("chacha12 / rand_chacha");
    same_as_peer::<arsenal_rand::ChaCha20Rng, rand_chacha::ChaCha20Rng>("chacha20 / rand_chacha");
}

#[test]
fn chacha_streams_word_positions_and_kernels() {
    use arsenal_rand::rand_core::{Rng, SeedableRng};
    use arsenal_rand::{ChaCha20Rng, ChaChaKernel};
    // Streams and word positions as rand_chacha's, including a set_stream mid-buffer.
    let mut ours = ChaCha20Rng::from_seed([3; 32]);
    let mut peer = rand_chacha::ChaCha20Rng::from_seed([3; 32]);
    for _ in 0..37 {
        assert_eq!(ours.next_u32(), peer.next_u32());
    }
    assert_eq!(ours.word_pos(), peer.get_word_pos());
    ours.set_stream(0xdead_beef);
    peer.set_stream(0xdead_beef);
    arsenal_conformance::rand::same_stream(ours.clone(), peer.clone(), "after set_stream");
    // Near the end of the 2^68-word cycle: the counter wraps to block 0.
    let end = (1u128 << 68) - 20;
    ours.set_word_pos(end);
    peer.set_word_pos(end);
    arsenal_conformance::rand::same_stream(ours.clone(), peer, "across the counter wrap");
    // Every kernel this CPU runs gives the same bytes.
    let mut reference = vec![0u8; 5000];
    let mut portable = ChaCha20Rng::from_seed([9; 32]);
    portable.set_kernel(ChaChaKernel::Portable).unwrap();
    portable.fill_bytes(&mut reference);
    for kernel in [ChaChaKernel::Avx2, ChaChaKernel::Avx512] {
        let mut rng = ChaCha20Rng::from_seed([9; 32]);
        match rng.set_kernel(kernel) {
            Ok(()) => {
                let mut out = vec![0u8; 5000];
                rng.fill_bytes(&mut out);
                assert!(out == reference, "{kernel:?}");
            }
            Err(e) => assert!(!kernel.is_supported(), "{e}"),
        }
    }
}

#[test]
fn zero_state_and_error_shape() {
    use arsenal_rand::{ErrorKind, Xoshiro256PlusPlus, Xoshiro256StarStar};
    let e = Xoshiro256PlusPlus::from_state([0; 4]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ZeroState);
    assert_eq!(e.backend(), "xoshiro256pp");
    assert!(Xoshiro256StarStar::from_state([0; 4]).is_err());
    let io: std::io::Error = e.into();
    assert_eq!(io.kind(), std::io::ErrorKind::InvalidInput);
    // from_seed maps the all-zero seed to seed_from_u64(0), never the zero state.
    use arsenal_rand::rand_core::SeedableRng;
    let z = Xoshiro256PlusPlus::from_seed([0; 32]);
    assert_ne!(z.state(), [0; 4]);
    assert_eq!(z.state(), Xoshiro256PlusPlus::seed_from_u64(0).state());
    assert_ne!(Xoshiro256PlusPlus::seed_from_u64(u64::MAX).state(), [0; 4]);
}

#[test]
fn default_is_a_csprng() {
    use arsenal_rand::rand_core::{CryptoRng, Rng, SeedableRng};
    fn crypto<R: CryptoRng>(_: &R) {}
    let mut d = arsenal_rand::DefaultRng::seed_from_u64(1);
    crypto(&d);
    let _ = d.next_u64();
    assert_eq!(Backend::available()[0], Backend::ChaCha12);
    assert!(Backend::available()[0].is_crypto());
}
