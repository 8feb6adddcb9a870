//! Operation-sequence properties (issue 12): the allocators against a model of the live
//! blocks, and the queues against `VecDeque`. Inputs are read as a stream of operation
//! bytes; every backend that is compiled in runs the same sequence.

use arsenal_alloc::{AnyAlloc, RawAlloc};
use arsenal_sync::{any_mpsc, Pop, Push};
use std::alloc::Layout;
use std::collections::VecDeque;
use std::ptr::NonNull;

/// Reads the input as a byte stream; zeros once it runs out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }
    fn done(&self) -> bool {
        self.0.is_empty()
    }
}

/// A live block of the allocator model: where, its layout and the byte it is filled with.
struct Block {
    ptr: NonNull<u8>,
    layout: Layout,
    fill: u8,
}

/// Sizes the model asks for: mostly small, sometimes large, sometimes impossible.
fn size(bytes: &mut Bytes<'_>) -> usize {
    match bytes.u8() % 8 {
        0 => usize::MAX - usize::from(bytes.u8()),
        1 => (isize::MAX as usize) - usize::from(bytes.u16()),
        2 => usize::from(bytes.u16()),
        _ => usize::from(bytes.u16() % 4096),
    }
}

/// Checks that `block` still holds its fill byte (nothing else wrote into it).
fn check_fill(name: &str, block: &Block) {
    // SAFETY: the block is live with this layout, filled at allocation.
    let data = unsafe { std::slice::from_raw_parts(block.ptr.as_ptr(), block.layout.size()) };
    if let Some(i) = data.iter().position(|&b| b != block.fill) {
        panic!(
            "{name}: byte {i} of a {:?} block changed (blocks overlap or were corrupted)",
            block.layout
        );
    }
}

/// Fills `block` with its fill byte.
fn fill(block: &Block) {
    // SAFETY: the block is live and writable for its size.
    unsafe { std::ptr::write_bytes(block.ptr.as_ptr(), block.fill, block.layout.size()) };
}

/// Random alloc / realloc / dealloc sequences on every `arsenal-alloc` backend: aligned,
/// non-overlapping blocks whose contents survive realloc (up to the smaller size), and a
/// clear `Err` (never a panic or abort) for impossible sizes (up to `usize::MAX`).
pub fn alloc_ops(input: &[u8]) {
    for backend in arsenal_alloc::Backend::available() {
        let alloc = AnyAlloc::new(backend).unwrap_or_else(|e| panic!("{backend}: {e}"));
        run_alloc_ops(backend.name(), &alloc, input);
    }
}

fn run_alloc_ops(name: &str, alloc: &AnyAlloc, input: &[u8]) {
    let mut bytes = Bytes(input);
    let mut live: Vec<Block> = Vec::new();
    let mut next_fill = 1u8;
    while !bytes.done() {
        let op = bytes.u8();
        match op % 4 {
            // alloc (twice as often)
            0 | 1 => {
                let size = size(&mut bytes);
                let align = 1usize << (bytes.u8() % 13); // up to 4096
                let Ok(layout) = Layout::from_size_align(size, align) else {
                    continue; // not a layout at all: nothing to ask
                };
                match alloc.alloc(layout) {
                    Ok(ptr) => {
                        assert_eq!(
                            ptr.as_ptr() as usize % align,
                            0,
                            "{name}: misaligned block for {layout:?}"
                        );
                        assert!(
                            size <= 1 << 24,
                            "{name}: a {size}-byte block cannot have been allocated"
                        );
                        next_fill = next_fill.wrapping_add(1).max(1);
                        let block = Block {
                            ptr,
                            layout,
                            fill: next_fill,
                        };
                        fill(&block);
                        live.push(block);
                    }
                    Err(e) => assert!(size > 1 << 24, "{name}: could not allocate {layout:?}: {e}"),
                }
            }
            // realloc a live block
            2 if !live.is_empty() => {
                let i = usize::from(bytes.u8()) % live.len();
                let new_size = size(&mut bytes);
                let block = &mut live[i];
                check_fill(name, block);
                // SAFETY: the block is live with this layout.
                match unsafe { alloc.realloc(block.ptr, block.layout, new_size) } {
                    Ok(ptr) => {
                        let kept = block.layout.size().min(new_size);
                        // SAFETY: the new block holds at least `new_size` bytes.
                        let data = unsafe { std::slice::from_raw_parts(ptr.as_ptr(), kept) };
                        assert!(
                            data.iter().all(|&b| b == block.fill),
                            "{name}: realloc lost the contents"
                        );
                        assert_eq!(ptr.as_ptr() as usize % block.layout.align(), 0);
                        block.ptr = ptr;
                        block.layout = Layout::from_size_align(new_size, block.layout.align())
                            .expect("the allocator accepted this layout");
                        fill(block);
                    }
                    // On Err the old block is untouched and live.
                    Err(_) => {
                        assert!(new_size > 1 << 24, "{name}: realloc to {new_size} failed");
                        check_fill(name, block);
                    }
                }
            }
            // dealloc a live block
            _ if !live.is_empty() => {
                let i = usize::from(bytes.u8()) % live.len();
                let block = live.swap_remove(i);
                check_fill(name, &block);
                // SAFETY: the block is live with this layout; removed from the model.
                unsafe { alloc.dealloc(block.ptr, block.layout) };
            }
            _ => {}
        }
        if live.len() > 64 {
            let block = live.swap_remove(0);
            check_fill(name, &block);
            // SAFETY: as above.
            unsafe { alloc.dealloc(block.ptr, block.layout) };
        }
    }
    for block in live {
        check_fill(name, &block);
        // SAFETY: as above.
        unsafe { alloc.dealloc(block.ptr, block.layout) };
    }
}

/// Push / pop sequences, single-threaded, on every `arsenal-sync` MPSC backend and on
/// the Concurrency Kit rings (SPSC, MPMC, SPMC), against `VecDeque`: FIFO order, a
/// bounded queue refuses a push exactly when full (returning the value), and pops
/// nothing exactly when empty.
pub fn sync_queues(input: &[u8]) {
    let mut bytes = Bytes(input);
    let slots = 4usize << (bytes.u8() % 6); // 4..=128, a power of two (ck_ring needs ≥ 4)
    let ops = bytes.0;
    for backend in arsenal_sync::Backend::available() {
        let (tx, rx) = any_mpsc::channel::<u32>(backend, slots)
            .unwrap_or_else(|e| panic!("{backend}: {slots} slots: {e}"));
        let capacity = tx.capacity();
        run_queue_ops(backend.name(), &tx, &rx, capacity, ops);
    }
    let (tx, rx) = arsenal_sync::spsc::channel::<u32>(slots).expect("spsc ring");
    let capacity = Some(arsenal_sync::Bounded::capacity(&tx));
    run_queue_ops("ck spsc", &tx, &rx, capacity, ops);
    let queue = arsenal_sync::mpmc::Queue::<u32>::new(slots).expect("mpmc ring");
    let capacity = Some(arsenal_sync::Bounded::capacity(&queue));
    run_queue_ops("ck mpmc", &queue, &queue, capacity, ops);
    let (tx, rx) = arsenal_sync::spmc::channel::<u32>(slots).expect("spmc ring");
    let capacity = Some(arsenal_sync::Bounded::capacity(&tx));
    run_queue_ops("ck spmc", &tx, &rx, capacity, ops);
}

fn run_queue_ops(
    name: &str,
    tx: &impl Push<u32>,
    rx: &impl Pop<u32>,
    capacity: Option<usize>,
    ops: &[u8],
) {
    let mut model = VecDeque::new();
    let mut next = 0u32;
    for &op in ops {
        // Bursts: the low bits say how many pushes or pops in a row.
        let count = usize::from(op >> 1) % 8 + 1;
        for _ in 0..count {
            if op & 1 == 0 {
                next += 1;
                let full = capacity.is_some_and(|c| model.len() >= c);
                match tx.try_push(next) {
                    Ok(()) => {
                        assert!(!full, "{name}: push accepted beyond capacity {capacity:?}");
                        model.push_back(next);
                    }
                    Err(v) => {
                        assert_eq!(v, next, "{name}: a refused push returns its value");
                        assert!(
                            full,
                            "{name}: push refused with {} of {capacity:?}",
                            model.len()
                        );
                    }
                }
            } else {
                assert_eq!(rx.try_pop(), model.pop_front(), "{name}: FIFO order");
            }
        }
    }
    // Drain: everything pushed comes out, in order.
    while let Some(v) = model.pop_front() {
        assert_eq!(rx.try_pop(), Some(v), "{name}: drain");
    }
    assert_eq!(rx.try_pop(), None, "{name}: empty at the end");
}
