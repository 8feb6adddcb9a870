//! Loom model of the native unbounded MPSC queue (`arsenal_sync::unbounded_mpsc`): every
//! interleaving of two producers and the consumer delivers each value exactly once, in
//! per-producer order, and frees every node. Run with
//! `RUSTFLAGS="--cfg loom" cargo test -p arsenal-sync --release --test loom_mpsc`.
#![cfg(loom)]

use arsenal_sync::{unbounded_mpsc, Pop, Push};

#[test]
fn two_producers_one_consumer() {
    loom::model(|| {
        let (tx, rx) = unbounded_mpsc::channel::<u32>();
        let producers: Vec<_> = (0..2u32)
            .map(|p| {
                let tx = tx.clone();
                loom::thread::spawn(move || {
                    tx.push(p * 10);
                    tx.push(p * 10 + 1);
                })
            })
            .collect();
        drop(tx);
        let mut got = Vec::new();
        // Pop concurrently with the producers, then drain after they finish.
        if let Some(value) = rx.try_pop() {
            got.push(value);
        }
        for producer in producers {
            producer.join().unwrap();
        }
        while let Some(value) = rx.try_pop() {
            got.push(value);
        }
        for p in 0..2 {
            let mine: Vec<u32> = got.iter().copied().filter(|v| v / 10 == p).collect();
            assert_eq!(mine, [p * 10, p * 10 + 1]);
        }
        assert_eq!(got.len(), 4);
    });
}

#[test]
fn drop_with_values_left_frees_them() {
    loom::model(|| {
        let (tx, rx) = unbounded_mpsc::channel::<Box<u32>>();
        let producer = loom::thread::spawn(move || {
            tx.push(Box::new(1));
            tx.push(Box::new(2));
        });
        let first = rx.try_pop();
        producer.join().unwrap();
        if let Some(value) = first {
            assert_eq!(*value, 1);
        }
        // `rx` drops with one or two values queued: `Drop` drains them, and loom checks
        // those accesses against the producer's (and that the `Arc` is released).
        drop(rx);
    });
}
