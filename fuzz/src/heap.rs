//! Priority queues (`arsenal-heap`): random operation sequences on every backend and on
//! the generic d-ary heap, checked against models.

use std::collections::{BTreeMap, BinaryHeap};

use arsenal_heap::{Backend, DaryHeap, ErrorKind, MinQueue};

/// `heap_ops`: the input is 3-byte operations run on every [`MinQueue`] backend and on
/// `DaryHeap<u16, 3>` / `DaryHeap<u16, 5>`. Queue pops return an item with the model's
/// smallest key (a `BTreeMap` multiset); the radix heap refuses keys below its floor with
/// `NotMonotone` and nothing else; `reserve` up to `usize::MAX` is `Capacity` or
/// `OutOfMemory`; the d-ary heaps equal std's `BinaryHeap` on every push, pop and peek.
pub fn heap_ops(data: &[u8]) {
    for backend in Backend::available() {
        let mut q = backend.queue::<u64>();
        let mut model: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
        let mut len = 0usize;
        let mut floor = 0u64;
        for (i, op) in data.chunks_exact(3).enumerate() {
            let key = match op[1] >> 6 {
                0 => u64::from(op[2]),
                1 => u64::MAX - u64::from(op[2]),
                2 => u64::from(op[2]) << (op[1] & 63),
                _ => floor.saturating_add(u64::from(op[2] & 7)),
            };
            match op[0] % 8 {
                0..=3 => match q.push(key, i as u64) {
                    Ok(()) => {
                        assert!(backend.any_key_order() || key >= floor, "{backend}");
                        model.entry(key).or_default().push(i as u64);
                        len += 1;
                    }
                    Err(e) => {
                        assert_eq!(e.kind(), ErrorKind::NotMonotone, "{backend}: {e}");
                        assert!(!backend.any_key_order() && key < floor, "{backend}");
                    }
                },
                4..=6 => match q.pop() {
                    None => assert_eq!(len, 0, "{backend}"),
                    Some((k, v)) => {
                        let (&min, values) = model.iter_mut().next().expect("model has items");
                        assert_eq!(k, min, "{backend}");
                        let at = values.iter().position(|x| *x == v).expect("value pushed");
                        values.swap_remove(at);
                        if values.is_empty() {
                            model.remove(&min);
                        }
                        len -= 1;
                        floor = k;
                    }
                },
                _ => {
                    let amount = if op[1] & 1 == 0 {
                        usize::from(op[2])
                    } else {
                        usize::MAX >> (op[2] % 24)
                    };
                    match q.reserve(amount) {
                        // The radix heap only checks the size (its memory is taken per
                        // bucket as items arrive); the d-ary queue allocates.
                        Ok(()) => assert!(
                            amount < 1 << 40 || !backend.any_key_order(),
                            "{backend}: reserve({amount})"
                        ),
                        Err(e) => assert!(
                            matches!(e.kind(), ErrorKind::Capacity | ErrorKind::OutOfMemory),
                            "{backend}: reserve({amount}): {e}"
                        ),
                    }
                }
            }
            assert_eq!(q.len(), len, "{backend}");
            assert_eq!(q.peek_key(), model.keys().next().copied(), "{backend}");
        }
    }
    dary::<3>(data);
    dary::<5>(data);
}

fn dary<const D: usize>(data: &[u8]) {
    let mut ours = DaryHeap::<u16, D>::new();
    let mut model = BinaryHeap::new();
    for op in data.chunks_exact(3) {
        let v = u16::from_le_bytes([op[1], op[2]]);
        match op[0] % 16 {
            0..=8 => {
                ours.push(v);
                model.push(v);
            }
            9..=14 => assert_eq!(ours.pop(), model.pop()),
            _ => {
                let cut = usize::from(op[1]);
                let items: Vec<u16> = model.iter().copied().skip(cut % 7).collect();
                ours = DaryHeap::from(items.clone());
                model = BinaryHeap::from(items);
            }
        }
        assert_eq!(ours.peek(), model.peek());
        assert_eq!(ours.len(), model.len());
    }
    assert_eq!(ours.into_sorted_vec(), model.into_sorted_vec());
}
