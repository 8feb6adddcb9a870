//! The hash-map suite (`arsenal-map`), instantiated once per backend by
//! [`map_conformance!`](crate::map_conformance): every result checked against std's
//! `HashMap` as a model under random operations (u64 and byte-string keys, with
//! tombstone-heavy churn), hostile `reserve` sizes up to `usize::MAX` as errors with the
//! map unchanged, and shared reads from two threads.
use std::collections::HashMap;

use arsenal_map::{ErrorKind, Map};

use crate::data::rng;

fn check_u64_contents<M: Map<u64>>(m: &M, model: &HashMap<u64, u64>) {
    assert_eq!(m.len(), model.len());
    assert_eq!(m.is_empty(), model.is_empty());
    let mut seen = HashMap::new();
    m.for_each(&mut |k, v| {
        assert!(seen.insert(*k, v).is_none(), "key {k} visited twice");
    });
    assert_eq!(&seen, model);
}

/// 200 000 random operations on keys from a small range (many hits, overwrites and
/// removes: tombstones) and a few from all of `u64` (0 and `u64::MAX` included), each
/// result equal to the model's.
pub fn model_u64<M: Map<u64> + Default>() {
    let mut m = M::default();
    let mut model = HashMap::new();
    let mut next = rng(1);
    for i in 0..200_000u64 {
        let r = next();
        let key = match r % 16 {
            0 => next(),
            1 => 0,
            2 => u64::MAX,
            _ => next() % 5_000,
        };
        match (r >> 8) % 10 {
            0..=3 => assert_eq!(
                m.insert(&key, i).unwrap(),
                model.insert(key, i),
                "insert {key}"
            ),
            4..=6 => assert_eq!(m.get(&key), model.get(&key).copied(), "get {key}"),
            7 | 8 => assert_eq!(m.remove(&key), model.remove(&key), "remove {key}"),
            _ => assert_eq!(m.contains_key(&key), model.contains_key(&key)),
        }
        if i % 50_000 == 49_999 {
            check_u64_contents(&m, &model);
        }
    }
    // Batch lookups agree with single ones, across chunk boundaries.
    let keys: Vec<u64> = (0..1_000).map(|k| k * 7).collect();
    let mut out = vec![Some(12345); keys.len()];
    let hits = m.get_many(&keys, &mut out);
    for (k, got) in keys.iter().zip(&out) {
        assert_eq!(*got, model.get(k).copied(), "get_many {k}");
    }
    assert_eq!(hits, out.iter().filter(|v| v.is_some()).count());
    check_u64_contents(&m, &model);
    m.clear();
    assert!(m.is_empty());
    assert_eq!(m.get(&0), None);
    // Growth from empty through many doublings, then removal of every key.
    for k in 0..300_000u64 {
        assert_eq!(
            m.insert(&k.wrapping_mul(0x9e37_79b9_7f4a_7c15), k).unwrap(),
            None
        );
    }
    assert_eq!(m.len(), 300_000);
    for k in 0..300_000u64 {
        assert_eq!(m.remove(&k.wrapping_mul(0x9e37_79b9_7f4a_7c15)), Some(k));
    }
    assert!(m.is_empty());
}

/// Random operations on byte-string keys: empty, short (inline in `std::string`), long
/// (heap), with NUL bytes, and prefixes of one another.
pub fn model_bytes<M: Map<[u8]> + Default>() {
    let mut m = M::default();
    let mut model: HashMap<Vec<u8>, u64> = HashMap::new();
    let mut next = rng(2);
    let pool: Vec<Vec<u8>> = (0..3_000)
        .map(|i| {
            let len = match i % 5 {
                0 => 0,
                1 => 1 + (next() % 8) as usize,
                2 => 15 + (next() % 3) as usize,
                3 => 16 + (next() % 100) as usize,
                _ => (next() % 40) as usize,
            };
            (0..len).map(|_| (next() % 4) as u8).collect()
        })
        .collect();
    for i in 0..100_000u64 {
        let r = next();
        let key = &pool[(r % pool.len() as u64) as usize];
        match (r >> 16) % 8 {
            0..=2 => assert_eq!(m.insert(key, i).unwrap(), model.insert(key.clone(), i)),
            3..=5 => assert_eq!(m.get(key), model.get(key).copied()),
            _ => assert_eq!(m.remove(key), model.remove(key)),
        }
    }
    assert_eq!(m.len(), model.len());
    let mut seen = HashMap::new();
    m.for_each(&mut |k, v| {
        assert!(seen.insert(k.to_vec(), v).is_none());
    });
    assert_eq!(seen, model);
    let long_keys: usize = model.keys().filter(|k| k.len() > 15).map(Vec::len).sum();
    assert!(m.heap_bytes() >= long_keys, "heap_bytes counts long keys");
}

/// `reserve` beyond any table (`usize::MAX`, overflowing `len + additional`) is
/// [`ErrorKind::Capacity`]; 2⁴⁰ elements (tens of TiB) is `Capacity` or `OutOfMemory`;
/// either way the map is unchanged and still works. A plain reserve makes room.
pub fn limits<M: Map<u64> + Default>() {
    let mut m = M::default();
    for k in 0..1_000u64 {
        m.insert(&k, !k).unwrap();
    }
    for huge in [usize::MAX, usize::MAX - 500, usize::MAX / 2 + 1] {
        let err = m.reserve(huge).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Capacity, "reserve({huge}): {err}");
        assert!(!err.to_string().is_empty());
    }
    for big in [1usize << 40, 1 << 50, (usize::MAX >> 4) / 3] {
        let err = m.reserve(big).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Capacity | ErrorKind::OutOfMemory),
            "reserve({big}): {err}"
        );
    }
    assert_eq!(m.len(), 1_000);
    for k in 0..1_000u64 {
        assert_eq!(m.get(&k), Some(!k));
    }
    let before = m.heap_bytes();
    m.reserve(100_000).unwrap();
    assert!(m.heap_bytes() > before);
    for k in 1_000..101_000u64 {
        m.insert(&k, k).unwrap();
    }
    assert_eq!(m.len(), 101_000);
    assert!(m.heap_bytes() >= 101_000 * 16, "at least a slot per key");
}

/// Two threads read one map at once (`Sync`), each seeing every value.
pub fn shared_reads<M: Map<u64> + Default + Sync>() {
    let mut m = M::default();
    for k in 0..50_000u64 {
        m.insert(&k, k * 3).unwrap();
    }
    let m = &m;
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..2u64)
            .map(|t| {
                s.spawn(move || {
                    let mut sum = 0u64;
                    for k in t..50_000 {
                        sum += m.get(&k).expect("present");
                    }
                    sum
                })
            })
            .collect();
        for (t, h) in handles.into_iter().enumerate() {
            let want: u64 = (t as u64..50_000).map(|k| k * 3).sum();
            assert_eq!(h.join().unwrap(), want);
        }
    });
}

/// Instantiates the hash-map suite for one backend: its `u64` map type and its bytes
/// map type.
#[macro_export]
macro_rules! map_conformance {
    ($name:ident, $u64:ty, $bytes:ty) => {
        mod $name {
            use $crate::map as suite;

            #[test]
            fn model_u64() {
                suite::model_u64::<$u64>();
            }

            #[test]
            fn model_bytes() {
                suite::model_bytes::<$bytes>();
            }

            #[test]
            fn limits() {
                suite::limits::<$u64>();
            }

            #[test]
            fn shared_reads() {
                suite::shared_reads::<$u64>();
            }
        }
    };
}
