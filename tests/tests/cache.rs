//! The cache-policy suite, once per policy, plus the reference checks (a plain LRU and
//! a brute-force Belady, libCacheSim where installed), trace files and the sharded cache.
#![cfg(feature = "cache")]

use arsenal_cache::{simulate, Backend, Sharded};
use arsenal_conformance::cache::{self, generated_traces, shared_traces};
use arsenal_conformance::data::data_dir;

arsenal_conformance::cache_conformance!(lru, arsenal_cache::Backend::Lru);
arsenal_conformance::cache_conformance!(arc, arsenal_cache::Backend::Arc);
arsenal_conformance::cache_conformance!(s3_fifo, arsenal_cache::Backend::S3Fifo);
arsenal_conformance::cache_conformance!(w_tinylfu, arsenal_cache::Backend::WTinyLfu);
arsenal_conformance::cache_conformance!(clock_pro, arsenal_cache::Backend::ClockPro);

#[test]
fn exact_references() {
    cache::exact_references();
}

#[test]
fn trace_files() {
    cache::trace_files();
}

/// libCacheSim (PyPI) as the oracle: `ARSENAL_LIBCACHESIM_PYTHON` names a Python that
/// imports it (scripts/test sets it up in the target directory); without it the test
/// says so and checks nothing else.
#[test]
fn libcachesim_oracle() {
    let Some(python) = std::env::var_os("ARSENAL_LIBCACHESIM_PYTHON") else {
        eprintln!("skipped: ARSENAL_LIBCACHESIM_PYTHON is not set (scripts/test sets it)");
        return;
    };
    let mut traces = generated_traces();
    traces.extend(
        shared_traces(data_dir().as_deref())
            .into_iter()
            .filter(|t| t.keys.len() < 300_000),
    );
    let report = cache::oracle(python.to_str().expect("utf-8 path"), &traces);
    eprintln!("{report}");
}

#[test]
fn sharded_matches_the_contract() {
    for &backend in Backend::ALL {
        let cache = Sharded::<u64, u64>::new(backend, 1_000, 4);
        assert_eq!(cache.shards(), 4);
        std::thread::scope(|s| {
            for t in 0..2u64 {
                let cache = &cache;
                s.spawn(move || {
                    for k in 0..5_000u64 {
                        let key = (k * 2 + t) % 1_500;
                        if let Some(v) = cache.get(&key) {
                            assert_eq!(v, key * 10);
                        } else {
                            cache.insert(key, key * 10);
                        }
                    }
                });
            }
        });
        // Each shard holds at most 250 entries.
        assert!(cache.len() <= 1_000, "{backend}: {}", cache.len());
        assert!(!cache.is_empty());
        assert_eq!(cache.remove(&u64::MAX), None);
    }
}

#[test]
fn scan_resistant_policies_beat_lru_on_a_loop() {
    // A loop one and a half times the cache: LRU never hits; the policies that keep
    // frequency or history keep part of the loop.
    let keys: Vec<u64> = (0..20).flat_map(|_| 0..150u64).collect();
    assert_eq!(simulate(&mut arsenal_cache::Lru::new(100), &keys).hits, 0);
    for backend in [Backend::S3Fifo, Backend::WTinyLfu, Backend::ClockPro] {
        let stats = simulate(backend.new_cache::<u64, ()>(100).as_mut(), &keys);
        assert!(stats.hit_ratio() > 0.2, "{backend}: {stats:?}");
    }
}
