//! Hash maps (`arsenal-map`): random operation sequences on every backend, checked
//! against std's `HashMap`.

use std::collections::HashMap;

use arsenal_map::{Backend, ErrorKind};

/// `map_ops`: the input is 4-byte operations (kind, then key material) run on every
/// backend's `u64` and bytes maps. Every result equals the model's; `reserve` of small
/// amounts succeeds, of 2⁴⁰ or more (up to `usize::MAX`) is `Capacity` or `OutOfMemory`
/// with the map unchanged; the final contents equal the model's.
pub fn map_ops(data: &[u8]) {
    for backend in Backend::available() {
        let mut m = backend.u64_map();
        let mut b = backend.bytes_map();
        let mut model: HashMap<u64, u64> = HashMap::new();
        let mut bmodel: HashMap<Vec<u8>, u64> = HashMap::new();
        for (i, op) in data.chunks_exact(4).enumerate() {
            let key = if op[1] & 0x80 == 0 {
                u64::from(op[1])
            } else {
                u64::from_le_bytes([op[1], op[2], op[3], 0, 0, 0, 0, op[2]])
            };
            // Bytes keys: a slice of the input (lengths 0..=31) at this op.
            let start = (i * 4) % data.len().max(1);
            let len = usize::from(op[2] % 32).min(data.len() - start);
            let bkey = &data[start..start + len];
            let value = i as u64;
            match op[0] % 8 {
                0 | 1 => assert_eq!(m.insert(&key, value).unwrap(), model.insert(key, value), "{backend}"),
                2 => assert_eq!(m.remove(&key), model.remove(&key), "{backend}"),
                3 => assert_eq!(m.get(&key), model.get(&key).copied(), "{backend}"),
                4 => assert_eq!(b.insert(bkey, value).unwrap(), bmodel.insert(bkey.to_vec(), value), "{backend}"),
                5 => assert_eq!(b.remove(bkey), bmodel.remove(bkey), "{backend}"),
                6 => assert_eq!(b.get(bkey), bmodel.get(bkey).copied(), "{backend}"),
                _ => {
                    let amount = if op[1] & 1 == 0 {
                        usize::from(u16::from_le_bytes([op[2], op[3]]))
                    } else {
                        usize::MAX >> (op[2] % 24)
                    };
                    match m.reserve(amount) {
                        Ok(()) => assert!(amount < 1 << 40, "{backend}: reserve({amount}) succeeded"),
                        Err(e) => assert!(
                            matches!(e.kind(), ErrorKind::Capacity | ErrorKind::OutOfMemory),
                            "{backend}: reserve({amount}): {e}"
                        ),
                    }
                }
            }
            assert_eq!(m.len(), model.len(), "{backend}");
            assert_eq!(b.len(), bmodel.len(), "{backend}");
        }
        let mut seen = HashMap::new();
        m.for_each(&mut |k, v| {
            seen.insert(*k, v);
        });
        assert_eq!(seen, model, "{backend}");
        let mut bseen = HashMap::new();
        b.for_each(&mut |k, v| {
            bseen.insert(k.to_vec(), v);
        });
        assert_eq!(bseen, bmodel, "{backend}");
    }
}
