//! The trace simulator's command line: hit ratios of every policy (and Belady's
//! optimum) on a trace file, at the given cache sizes.
//!
//! ```text
//! cargo run --release -p arsenal-cache --features compressed-traces --example cache_sim -- \
//!     lirs ../shared/data/cache-traces/lirs/multi2.trace.gz 100 500 2000
//! cargo run --release -p arsenal-cache --features compressed-traces --example cache_sim -- \
//!     cache2k ../shared/data/cache-traces/cache2k/web07.trace.xz 0.1% 1% 10%
//! ```
//!
//! The format is `lirs` (text, one key per line) or `cache2k` (big-endian 32-bit
//! keys); `.gz` and `.xz` files are decompressed (up to 4 GiB); a size is a number of
//! entries or a percentage of the trace's distinct keys.

use std::process::ExitCode;

use arsenal_cache::trace::{self, Format};
use arsenal_cache::{belady, simulate, Backend};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [format, path, sizes @ ..] = args.as_slice() else {
        eprintln!("usage: cache_sim lirs|cache2k FILE SIZE...   (SIZE: entries or N%)");
        return ExitCode::from(2);
    };
    let format = match format.as_str() {
        "lirs" => Format::Lirs,
        "cache2k" => Format::Cache2k,
        other => {
            eprintln!("cache_sim: unknown format {other:?} (lirs or cache2k)");
            return ExitCode::from(2);
        }
    };
    let keys = match trace::load(path.as_ref(), format, 4 << 30) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("cache_sim: {e}");
            return ExitCode::FAILURE;
        }
    };
    let distinct = trace::distinct(&keys);
    println!("{} requests, {distinct} distinct keys", keys.len());
    print!("{:>10}", "size");
    for b in Backend::ALL {
        print!(" {:>10}", b.name());
    }
    println!(" {:>10}", "belady");
    for size in sizes {
        let capacity = match size.strip_suffix('%') {
            Some(p) => p
                .parse::<f64>()
                .ok()
                .filter(|p| p.is_finite() && *p > 0.0)
                .map(|p| ((distinct as f64 * p / 100.0).round() as usize).max(1)),
            None => size.parse().ok(),
        };
        let Some(capacity) = capacity else {
            eprintln!("cache_sim: bad size {size:?}");
            return ExitCode::from(2);
        };
        print!("{capacity:>10}");
        for b in Backend::ALL {
            let stats = simulate(b.new_cache::<u64, ()>(capacity).as_mut(), &keys);
            print!(" {:>9.2}%", stats.hit_ratio() * 100.0);
        }
        println!(" {:>9.2}%", belady(&keys, capacity).hit_ratio() * 100.0);
    }
    ExitCode::SUCCESS
}
