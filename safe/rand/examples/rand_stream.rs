//! Writes an endless stream of raw random bytes from one generator to stdout, for
//! statistical test suites that read a raw stream (`dieharder -g 200`, PractRand's
//! `RNG_test stdin`): `rand_stream <backend> [seed]`, e.g. `rand_stream xoshiro256pp 42`.
//! The seeded generators start from `seed_from_u64(seed)` (default 0x5EED); RDRAND and
//! RDSEED take no seed. Stops without an error when the reader closes the pipe.
use std::io::{self, Write};
use std::process::ExitCode;

use arsenal_rand::rand_core::TryRng;
use arsenal_rand::Backend;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(name) = args.next() else {
        eprintln!(
            "usage: rand_stream <backend> [seed]   backends: {}",
            Backend::ALL
                .iter()
                .map(|b| b.name())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return ExitCode::from(2);
    };
    let backend: Backend = match name.parse() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("rand_stream: {e}");
            return ExitCode::from(2);
        }
    };
    let seed = match args.next().map(|s| s.parse::<u64>()) {
        None => 0x5EED,
        Some(Ok(seed)) => seed,
        Some(Err(e)) => {
            eprintln!("rand_stream: seed: {e}");
            return ExitCode::from(2);
        }
    };
    let made = if backend.is_seedable() {
        backend.seeded(seed)
    } else {
        backend.source()
    };
    let mut rng = match made {
        Ok(rng) => rng,
        Err(e) => {
            eprintln!("rand_stream: {e}");
            return ExitCode::FAILURE;
        }
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        if let Err(e) = rng.try_fill_bytes(&mut buf) {
            eprintln!("rand_stream: {e}");
            return ExitCode::FAILURE;
        }
        match out.write_all(&buf) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("rand_stream: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
}
