//! Random number rows of the matrix: `rand/<op>/<size>/<impl>`, GB/s of random output.
//!
//! | op | datasets | one iteration | bytes |
//! |---|---|---|---|
//! | `next_u64` | `64Ki` | a generator made from its seed, then 2¹⁶ `next_u64` calls folded into a wrapping sum (the checksum) | 8 per call |
//! | `fill_bytes` | `16KiB`, `1MiB` | a generator made from its seed, then one `fill_bytes` of a reused buffer | the buffer |
//!
//! Making the generator is part of every iteration (so every iteration returns the same
//! checksum); it costs a few words (ChaCha: the key, its first block is part of the work)
//! against 16 KiB – 1 MiB of output.
//!
//! | impl | generator |
//! |---|---|
//! | `arsenal:xoshiro256pp`, `arsenal:xoshiro256ss`, `arsenal:pcg64`, `arsenal:pcg32`, `arsenal:chacha8`, `arsenal:chacha12`, `arsenal:chacha20` | arsenal-rand's types, `seed_from_u64(SEED)` |
//! | `arsenal:rdrand`, `arsenal:rdseed` | [`arsenal_rand::RdRand`], [`arsenal_rand::RdSeed`] (where the CPU has them) through `TryRng` |
//! | `peer:rand_xoshiro/<alg>`, `peer:rand_pcg/<alg>`, `peer:rand_chacha/<alg>` | the rand 0.10 family's crate of the same algorithm, same seed |
//! | `peer:chacha20/<alg>` | RustCrypto's `chacha20` crate's RNGs (what `rand`'s `chacha` feature re-exports; AVX2 detected at run time) |
//! | `peer:rand-StdRng` | `rand::rngs::StdRng` (ChaCha12, `chacha20` crate) |
//! | `peer:rand-SmallRng` | `rand::rngs::SmallRng` (xoshiro256++ on 64-bit targets) |
//!
//! **Verification.** The peers compute the same streams as our generators of the same
//! algorithm (the conformance suite checks it call for call), so every seeded cell is
//! checked against the *other* implementation, computed once outside the timing: our
//! cells against the peer crate's output (`rand_xoshiro`, `rand_pcg`, `rand_chacha`),
//! the peers' cells against ours. `next_u64`: the checksum; `fill_bytes`: a checksum of
//! sampled words (`sampled`, cheap inside the timing) and, after the first
//! iteration, the whole buffer compared byte for byte. The hardware sources have no
//! reproducible output: their cells are checked for live output instead (the share of
//! one bits within 1 % of a half, no two equal consecutive 64-bit words).
//!
//! **Memory rows** `rand/memory/state/<impl>`: `size_of` the generator: its whole state
//! (none of these generators allocates), ChaCha's buffered output included. RDRAND and
//! RDSEED are left out: their state lives in the CPU (the types are empty), and
//! `MinimalMemory` picks among the seedable generators.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

use arsenal_rand::rand_core::{Rng, SeedableRng, TryRng};
use arsenal_rand::{
    ChaCha12Rng, ChaCha20Rng, ChaCha8Rng, Pcg32, Pcg64, RdRand, RdSeed, Xoshiro256PlusPlus,
    Xoshiro256StarStar,
};

use crate::domain::{Domain, Memory, Selection};
use crate::harness::{Case, Registry};
use crate::report::{MemoryRow, Unit};
use crate::strategy::pick;

const NAME: &str = "rand";
/// The seed of every seeded cell (`seed_from_u64`).
const SEED: u64 = 0x5EED_2026;
/// `next_u64` calls per iteration.
const CALLS: usize = 1 << 16;
/// The `fill_bytes` buffers: (bytes, dataset).
const FILLS: [(usize, &str); 2] = [(16 << 10, "16KiB"), (1 << 20, "1MiB")];

/// The random number domain.
///
/// ```
/// let mut registry = arsenal_bench::harness::Registry::new();
/// (arsenal_bench::rand::DOMAIN.register)(&mut registry, None);
/// assert!(registry.ids().contains(&"rand/fill_bytes/1MiB/arsenal:xoshiro256pp".to_owned()));
/// ```
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Random numbers",
    register,
    unit: |_op| Some(Unit::GigabytesPerSecond),
    memory: Memory::Before(memory_rows),
    note,
    select: Some(Selection {
        krate: "arsenal-rand",
        pick: pick::<arsenal_rand::Backend>,
    }),
    ..Domain::EMPTY
};

fn note(_machine: &crate::machine::Machine) -> Option<String> {
    Some(format!(
        "One iteration makes the generator from its seed, then produces the output. \
         arsenal's ChaCha kernel on the machine that rendered this note: {} (chosen at run \
         time; the results' machine may differ). Every seeded cell is verified against \
         the other implementation of the same algorithm; RDRAND/RDSEED for live output only.",
        arsenal_rand::ChaChaKernel::detect().name()
    ))
}

/// The wrapping sum of `CALLS` outputs.
#[inline(always)]
fn sum_u64<R: Rng>(rng: &mut R) -> u64 {
    let mut acc = 0u64;
    for _ in 0..CALLS {
        acc = acc.wrapping_add(rng.next_u64());
    }
    acc
}

/// A checksum of a filled buffer from its length, its last byte and one 64-bit word
/// every 4 KiB: cheap enough to run inside the timing (the whole buffer is compared
/// outside it).
fn sampled(buf: &[u8]) -> u64 {
    let mut acc = buf.len() as u64 ^ u64::from(buf.last().copied().unwrap_or(0)) << 56;
    for chunk in buf.chunks(4096) {
        if chunk.len() >= 8 {
            let w = u64::from_le_bytes(chunk[..8].try_into().expect("8 bytes"));
            acc = acc.rotate_left(7) ^ w;
        }
    }
    acc
}

/// The `next_u64` cell of `imp`: `run` draws [`CALLS`] words.
fn next_u64_case(imp: &str, run: impl FnMut() -> u64 + 'static) -> Case {
    Case::new(
        NAME,
        "next_u64",
        "64Ki",
        imp,
        8 * CALLS as u64,
        CALLS as u64,
        run,
    )
}

/// One seeded algorithm: our type and the cells of the peers computing the same stream.
fn seeded_cells<R: Rng + 'static>(
    reg: &mut Registry,
    imp: &str,
    make: impl Fn() -> R + Clone + 'static,
    reference_sum: u64,
    reference_fill: &dyn Fn(usize) -> Vec<u8>,
) {
    let m = make.clone();
    reg.add(next_u64_case(imp, move || sum_u64(&mut m())).expect(reference_sum));
    for (len, dataset) in FILLS {
        let want = reference_fill(len);
        let buf = Rc::new(RefCell::new(vec![0u8; len]));
        let (m, out) = (make.clone(), Rc::clone(&buf));
        reg.add(
            Case::new(NAME, "fill_bytes", dataset, imp, len as u64, 1, move || {
                let mut b = out.borrow_mut();
                m().fill_bytes(&mut b);
                sampled(&b)
            })
            .expect(sampled(&want))
            .verify(move || {
                if *buf.borrow() == want {
                    Ok(())
                } else {
                    Err("the bytes differ from the reference generator's".to_owned())
                }
            }),
        );
    }
}

/// Our generator `A` and its peers `B…` of one algorithm: A's cell checked against the
/// first peer's output, every peer's against A's.
macro_rules! algorithm {
    ($reg:expr, $ours:ty, $name:literal, [$first:ty => $first_name:literal $(, $peer:ty => $peer_name:literal)*]) => {{
        let ours = || <$ours>::seed_from_u64(SEED);
        let first = || <$first>::seed_from_u64(SEED);
        let fill_ours = |len: usize| {
            let mut v = vec![0u8; len];
            ours().fill_bytes(&mut v);
            v
        };
        let fill_first = |len: usize| {
            let mut v = vec![0u8; len];
            first().fill_bytes(&mut v);
            v
        };
        let (sum_ours, sum_first) = (sum_u64(&mut ours()), sum_u64(&mut first()));
        seeded_cells($reg, concat!("arsenal:", $name), ours, sum_first, &fill_first);
        seeded_cells($reg, $first_name, first, sum_ours, &fill_ours);
        $(seeded_cells($reg, $peer_name, || <$peer>::seed_from_u64(SEED), sum_ours, &fill_ours);)*
    }};
}

/// Live output of a hardware source: the share of one bits within 1 % of a half, no two
/// equal consecutive 64-bit words.
fn live(bytes: &[u8]) -> Result<(), String> {
    let ones: u64 = bytes.iter().map(|b| u64::from(b.count_ones())).sum();
    let ratio = ones as f64 / (8.0 * bytes.len() as f64);
    if (ratio - 0.5).abs() > 0.01 {
        return Err(format!("share of one bits {ratio:.4}"));
    }
    let words: Vec<u64> = bytes
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
        .collect();
    if words.windows(2).any(|w| w[0] == w[1]) {
        return Err("two equal consecutive words".to_owned());
    }
    Ok(())
}

fn hardware_cells<S: TryRng<Error = arsenal_rand::Error> + 'static>(
    reg: &mut Registry,
    imp: &str,
    make: fn() -> arsenal_rand::Result<S>,
) {
    match make() {
        Ok(_) => {}
        Err(e) => {
            let reason = format!("not on this machine: {e}");
            reg.add(Case::unsupported(
                NAME,
                "next_u64",
                "64Ki",
                imp,
                reason.clone(),
            ));
            for (_, dataset) in FILLS {
                reg.add(Case::unsupported(
                    NAME,
                    "fill_bytes",
                    dataset,
                    imp,
                    reason.clone(),
                ));
            }
            return;
        }
    }
    let words = Rc::new(RefCell::new(Vec::with_capacity(CALLS)));
    let seen = Rc::clone(&words);
    let mut s = make().ok();
    reg.add(
        next_u64_case(imp, move || {
            let Some(s) = s.as_mut() else { return 0 };
            let mut acc = 0u64;
            let mut w = seen.borrow_mut();
            w.clear();
            for _ in 0..CALLS {
                // An error (every retry failed) is a failure of the cell: recorded as
                // a zero word, which `live` rejects.
                let x = s.try_next_u64().unwrap_or(0);
                if w.len() < 4096 {
                    w.push(x);
                }
                acc = acc.wrapping_add(x);
            }
            acc
        })
        .verify(move || {
            let bytes: Vec<u8> = words
                .borrow()
                .iter()
                .flat_map(|w| w.to_le_bytes())
                .collect();
            live(&bytes)
        }),
    );
    for (len, dataset) in FILLS {
        let buf = Rc::new(RefCell::new(vec![0u8; len]));
        let out = Rc::clone(&buf);
        let mut s = make().ok();
        reg.add(
            Case::new(NAME, "fill_bytes", dataset, imp, len as u64, 1, move || {
                let mut b = out.borrow_mut();
                match s.as_mut().map(|s| s.try_fill_bytes(&mut b)) {
                    Some(Ok(())) => sampled(&b),
                    _ => {
                        b.fill(0);
                        0
                    }
                }
            })
            .verify(move || live(&buf.borrow())),
        );
    }
}

fn register(reg: &mut Registry, _data: Option<&Path>) {
    algorithm!(reg, Xoshiro256PlusPlus, "xoshiro256pp", [
        rand_xoshiro::Xoshiro256PlusPlus => "peer:rand_xoshiro/xoshiro256pp",
        rand::rngs::SmallRng => "peer:rand-SmallRng"
    ]);
    algorithm!(reg, Xoshiro256StarStar, "xoshiro256ss", [
        rand_xoshiro::Xoshiro256StarStar => "peer:rand_xoshiro/xoshiro256ss"
    ]);
    algorithm!(reg, Pcg64, "pcg64", [rand_pcg::Pcg64 => "peer:rand_pcg/pcg64"]);
    algorithm!(reg, Pcg32, "pcg32", [rand_pcg::Pcg32 => "peer:rand_pcg/pcg32"]);
    algorithm!(reg, ChaCha8Rng, "chacha8", [
        rand_chacha::ChaCha8Rng => "peer:rand_chacha/chacha8",
        chacha20::ChaCha8Rng => "peer:chacha20/chacha8"
    ]);
    algorithm!(reg, ChaCha12Rng, "chacha12", [
        rand_chacha::ChaCha12Rng => "peer:rand_chacha/chacha12",
        chacha20::ChaCha12Rng => "peer:chacha20/chacha12",
        rand::rngs::StdRng => "peer:rand-StdRng"
    ]);
    algorithm!(reg, ChaCha20Rng, "chacha20", [
        rand_chacha::ChaCha20Rng => "peer:rand_chacha/chacha20",
        chacha20::ChaCha20Rng => "peer:chacha20/chacha20"
    ]);
    hardware_cells(reg, "arsenal:rdrand", RdRand::new);
    hardware_cells(reg, "arsenal:rdseed", RdSeed::new);
}

/// `size_of` each generator (no generator here allocates).
fn memory_rows() -> Vec<MemoryRow> {
    fn row(imp: &str, bytes: usize) -> MemoryRow {
        MemoryRow {
            domain: NAME.to_owned(),
            dataset: "state".to_owned(),
            what: "size_of the generator: its whole state (none allocates), buffered output \
                   included"
                .to_owned(),
            imp: imp.to_owned(),
            items: 1,
            bytes_per_item: Some(bytes as f64),
        }
    }
    use std::mem::size_of;
    vec![
        row("arsenal:xoshiro256pp", size_of::<Xoshiro256PlusPlus>()),
        row("arsenal:xoshiro256ss", size_of::<Xoshiro256StarStar>()),
        row("arsenal:pcg64", size_of::<Pcg64>()),
        row("arsenal:pcg32", size_of::<Pcg32>()),
        row("arsenal:chacha8", size_of::<ChaCha8Rng>()),
        row("arsenal:chacha12", size_of::<ChaCha12Rng>()),
        row("arsenal:chacha20", size_of::<ChaCha20Rng>()),
        row(
            "peer:rand_xoshiro/xoshiro256pp",
            size_of::<rand_xoshiro::Xoshiro256PlusPlus>(),
        ),
        row("peer:rand_pcg/pcg64", size_of::<rand_pcg::Pcg64>()),
        row("peer:rand_pcg/pcg32", size_of::<rand_pcg::Pcg32>()),
        row(
            "peer:rand_chacha/chacha12",
            size_of::<rand_chacha::ChaCha12Rng>(),
        ),
        row("peer:chacha20/chacha12", size_of::<chacha20::ChaCha12Rng>()),
        row("peer:rand-StdRng", size_of::<rand::rngs::StdRng>()),
        row("peer:rand-SmallRng", size_of::<rand::rngs::SmallRng>()),
    ]
}
