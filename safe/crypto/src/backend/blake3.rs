//! BLAKE3's official C and assembly (compiled by the `blake3` crate) behind
//! [`HashProvider<Blake3>`](crate::provider::HashProvider): the 32-byte default output.
//!
//! The state is a boxed `blake3::Hasher` (about 1.9 KiB: the chaining-value stack and
//! the current chunk), hashed single-threaded (`update`, not `update_rayon`).

use crate::alg::Blake3;
use crate::provider::HashProvider;
use crate::Blake3C;

impl HashProvider<Blake3> for Blake3C {
    type State = Box<::blake3::Hasher>;

    fn new_state() -> Self::State {
        Box::new(::blake3::Hasher::new())
    }

    fn update(state: &mut Self::State, data: &[u8]) {
        state.update(data);
    }

    fn finalize(state: &mut Self::State, out: &mut [u8]) {
        copy_out(state.finalize().as_bytes(), out);
    }

    fn digest(data: &[u8], out: &mut [u8]) {
        copy_out(::blake3::hash(data).as_bytes(), out);
    }
}

/// Copies the digest into `out` (the front passes 32 bytes; never panics otherwise).
fn copy_out(digest: &[u8; 32], out: &mut [u8]) {
    let n = out.len().min(32);
    out[..n].copy_from_slice(&digest[..n]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn abc() {
        const ABC: &str = "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85";
        let mut out = [0u8; 32];
        <Blake3C as HashProvider<Blake3>>::digest(b"abc", &mut out);
        assert_eq!(hex(&out), ABC);

        let mut state = <Blake3C as HashProvider<Blake3>>::new_state();
        <Blake3C as HashProvider<Blake3>>::update(&mut state, b"a");
        let mut fork = state.clone();
        <Blake3C as HashProvider<Blake3>>::update(&mut state, b"bc");
        <Blake3C as HashProvider<Blake3>>::update(&mut fork, b"b");
        <Blake3C as HashProvider<Blake3>>::update(&mut fork, b"c");
        for mut s in [state, fork] {
            let mut out = [0u8; 32];
            <Blake3C as HashProvider<Blake3>>::finalize(&mut s, &mut out);
            assert_eq!(hex(&out), ABC);
        }
    }

    #[test]
    fn long_input_incremental_matches_one_shot() {
        // More than one chunk (1 KiB) and an odd split, so the chaining-value stack and
        // the SIMD paths run.
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        let mut one_shot = [0u8; 32];
        <Blake3C as HashProvider<Blake3>>::digest(&data, &mut one_shot);
        let mut state = <Blake3C as HashProvider<Blake3>>::new_state();
        for piece in data.chunks(4093) {
            <Blake3C as HashProvider<Blake3>>::update(&mut state, piece);
        }
        let mut out = [0u8; 32];
        <Blake3C as HashProvider<Blake3>>::finalize(&mut state, &mut out);
        assert_eq!(out, one_shot);
    }
}
