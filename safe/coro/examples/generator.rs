//! Generators on every compiled-in backend: `cargo run -p arsenal-coro --example generator`.
use arsenal_coro::{AnyCoroutine, Backend, CoroutineResult, Generator};

fn main() -> Result<(), arsenal_coro::Error> {
    let primes = Generator::<u64>::new(|y| {
        let mut found: Vec<u64> = Vec::new();
        for n in 2.. {
            if found.iter().all(|p| n % p != 0) {
                found.push(n);
                y.suspend(n);
            }
        }
    })?;
    let first: Vec<u64> = primes.take(10).collect();
    println!("default backend: first primes {first:?}");
    for backend in Backend::available() {
        let mut co = AnyCoroutine::<u64, u64, u64>::new(backend, 64 * 1024, |y, mut n| {
            let mut steps = 0;
            while n != 1 {
                n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
                steps += 1;
                y.suspend(n);
            }
            steps
        })?;
        let mut path = Vec::new();
        loop {
            match co.resume(27)? {
                CoroutineResult::Yield(n) => path.push(n),
                CoroutineResult::Return(steps) => {
                    println!(
                        "{backend}: collatz(27) takes {steps} steps, peak {:?}",
                        path.iter().max()
                    );
                    break;
                }
            }
        }
    }
    Ok(())
}
