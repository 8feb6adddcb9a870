//! Cache policies (`arsenal-cache`): trace files read from untrusted bytes, and policies
//! driven by fuzzed operation sequences against a model map.

use std::collections::HashMap;

use arsenal_cache::{belady, simulate, trace, Backend};

/// `cache_trace`: any bytes either fail to parse with an `Err` or give keys that
/// re-encode and parse back to the same keys (LIRS text and cache2k binary); the keys,
/// replayed through every policy at a capacity taken from the input, never hit more
/// than Belady's optimum and never hold more than the capacity.
pub fn cache_trace(data: &[u8]) {
    let cap = usize::from(data.first().copied().unwrap_or(0) % 64);
    let mut parsed = Vec::new();
    if let Ok(keys) = trace::parse_lirs(data) {
        let text: String = keys.iter().map(|k| format!("{k}\n")).collect();
        assert_eq!(
            trace::parse_lirs(text.as_bytes()).expect("own text parses"),
            keys
        );
        parsed.push(keys);
    }
    if let Ok(keys) = trace::parse_cache2k(data) {
        let bytes: Vec<u8> = keys
            .iter()
            .flat_map(|&k| u32::try_from(k).expect("32-bit keys").to_be_bytes())
            .collect();
        assert_eq!(bytes, data, "cache2k keys re-encode to the input");
        parsed.push(keys);
    }
    for keys in parsed {
        let keys = &keys[..keys.len().min(4096)];
        let opt = belady(keys, cap);
        for &backend in Backend::ALL {
            let mut cache = backend.new_cache::<u64, ()>(cap);
            let stats = simulate(cache.as_mut(), keys);
            assert!(stats.hits <= opt.hits, "{backend}: {stats:?} > {opt:?}");
            assert!(cache.len() <= cap);
        }
    }
}

/// `cache_ops`: the input is a capacity byte then 3-byte operations (kind, key, value)
/// run on every policy; every value returned is the last one inserted for its key, a
/// key just inserted is present, a removed key is absent, and `len() <= capacity()`.
pub fn cache_ops(data: &[u8]) {
    let Some((&cap, ops)) = data.split_first() else {
        return;
    };
    let cap = usize::from(cap % 32);
    for &backend in Backend::ALL {
        let mut cache = backend.new_cache::<u8, u8>(cap);
        let mut model: HashMap<u8, u8> = HashMap::new();
        for op in ops.chunks_exact(3) {
            let (key, value) = (op[1] % 48, op[2]);
            match op[0] % 4 {
                0 => {
                    if let Some(v) = cache.get(&key) {
                        assert_eq!(Some(v), model.get(&key), "{backend}: stale get");
                    }
                }
                1 => {
                    cache.insert(key, value);
                    model.insert(key, value);
                    if cap > 0 {
                        assert_eq!(cache.peek(&key), Some(&value), "{backend}: just inserted");
                    }
                }
                2 => {
                    if let Some(v) = cache.remove(&key) {
                        assert_eq!(Some(&v), model.get(&key), "{backend}: removed value");
                    }
                    assert_eq!(cache.peek(&key), None);
                }
                _ => {
                    if let Some(v) = cache.peek(&key) {
                        assert_eq!(Some(v), model.get(&key), "{backend}: stale peek");
                    }
                }
            }
            assert!(cache.len() <= cap, "{backend}: {} > {cap}", cache.len());
        }
    }
}

/// Seeds for `fuzz/corpus/cache`: short LIRS texts (with comments, blank lines, CRLF,
/// a bad line), cache2k binaries (whole and cut), and operation sequences.
pub fn cache_seeds() -> Vec<(String, Vec<u8>)> {
    let mut seeds = vec![
        (
            "lirs_small".to_owned(),
            b"4\n1\n2\n1\n3\n1\n2\n4\n".to_vec(),
        ),
        (
            "lirs_comments".to_owned(),
            b"*\n10\r\n\n 11\n*x\n10\n".to_vec(),
        ),
        ("lirs_bad".to_owned(), b"7\n8\nnine\n".to_vec()),
        (
            "lirs_max".to_owned(),
            b"18446744073709551615\n18446744073709551616\n".to_vec(),
        ),
    ];
    let keys: Vec<u32> = (0..200u32).map(|i| (i * i) % 37).collect();
    let bin: Vec<u8> = keys.iter().flat_map(|k| k.to_be_bytes()).collect();
    seeds.push(("cache2k_cut".to_owned(), bin[..bin.len() - 2].to_vec()));
    seeds.push(("cache2k".to_owned(), bin));
    let ops: Vec<u8> = std::iter::once(5)
        .chain((0..300u32).flat_map(|i| [(i % 7) as u8, (i * 13 % 40) as u8, i as u8]))
        .collect();
    seeds.push(("ops".to_owned(), ops));
    seeds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_hold() {
        for (_, seed) in cache_seeds() {
            cache_trace(&seed);
            cache_ops(&seed);
        }
    }
}
