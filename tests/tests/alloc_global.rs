//! `arsenal_alloc::Global` as this test binary's `#[global_allocator]`: rpmalloc when
//! compiled in (the backend with per-thread setup and teardown), else the system
//! allocator. Everything std allocates here, threads included, goes through it.
#![cfg(feature = "alloc")]

#[cfg(feature = "rpmalloc")]
#[global_allocator]
static GLOBAL: arsenal_alloc::Global<arsenal_alloc::Rpmalloc> =
    arsenal_alloc::Global::new(arsenal_alloc::Rpmalloc);

#[cfg(not(feature = "rpmalloc"))]
#[global_allocator]
static GLOBAL: arsenal_alloc::Global<arsenal_alloc::System> =
    arsenal_alloc::Global::new(arsenal_alloc::System);

use std::collections::HashMap;

#[test]
fn std_collections_on_the_global_adapter() {
    let mut map = HashMap::new();
    for i in 0..20_000u32 {
        map.insert(i.to_string(), vec![i as u8; (i % 300) as usize]);
    }
    assert_eq!(map.len(), 20_000);
    let total: usize = map.values().map(Vec::len).sum();
    assert_eq!(total, (0..20_000usize).map(|i| i % 300).sum::<usize>());
    let aligned = Box::new(Aligned([3; 4096]));
    assert_eq!(&*aligned as *const Aligned as usize % 4096, 0);
    assert!(aligned.0.iter().all(|&b| b == 3));
}

#[repr(align(4096))]
struct Aligned([u8; 4096]);

#[test]
fn threads_allocate_free_and_exit() {
    // Many short threads (each gets and hands back a heap), with blocks moving between
    // them through a channel.
    for round in 0..20u32 {
        let (tx, rx) = std::sync::mpsc::channel::<Vec<u32>>();
        let producers: Vec<_> = (0..4u32)
            .map(|t| {
                let tx = tx.clone();
                std::thread::spawn(move || {
                    for i in 0..200 {
                        tx.send(vec![round ^ t ^ i; 1 + (i as usize % 64)]).unwrap();
                    }
                })
            })
            .collect();
        drop(tx);
        let consumer = std::thread::spawn(move || rx.iter().map(|v| v.len()).sum::<usize>());
        for p in producers {
            p.join().unwrap();
        }
        let expect: usize = 4 * (0..200).map(|i| 1 + i % 64).sum::<usize>();
        assert_eq!(consumer.join().unwrap(), expect);
    }
}
