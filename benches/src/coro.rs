//! Coroutine rows of the matrix: `coro/switch/round-trip/<impl>` and
//! `coro/create/64k-stack/<impl>`, plus [`idle_memory`] (resident bytes per suspended
//! coroutine) for the report.
//!
//! | row | one iteration | items |
//! |---|---|---|
//! | `coro/switch/round-trip` | [`SWITCHES`] resume + yield round trips on one long-lived coroutine (created outside the timed closure): resume passes `i`, the coroutine yields `2i + 1` | [`SWITCHES`]: ns per round trip = 1e9 / items_per_s |
//! | `coro/switch/round-trip-fp-flags-differ` | the same, but the coroutine was created while the thread's MXCSR had its sticky exception flags cleared, so the context it saved differs from the harness thread's (which has done inexact floating-point arithmetic) | as above |
//! | `coro/create/64k-stack` | [`CREATES`] coroutines with 64 KiB stacks created, resumed once to completion (`x → 2x + 1`), destroyed | [`CREATES`] |
//!
//! Why the second switch row: Boost.Context, libaco and glibc's `swapcontext` save and
//! load MXCSR on every switch, and loading a *different* value serialises the CPU (see
//! `arsenal_coro`'s docs): a C caller pays that on every switch as soon as one side has
//! raised a floating-point flag the other has not; arsenal-coro resynchronises the
//! coroutine's MXCSR with its resumer's before it suspends, so it pays at most once.
//! Every iteration starts by raising the precision flag on the harness thread, so both
//! rows are deterministic.
//!
//! Checksum of both rows: the sum of the values the coroutines produced, which every
//! cell is expected to equal ([`expected_sum`]: `1 + 3 + … + (2n − 1) = n²` for `n`
//! items, from the workload's definition). A coroutine that fails to resume, returns
//! instead of yielding or cannot be created panics, which fails the cell.
//!
//! The domain's memory rows, `coro/memory/idle-64k/<impl>` ([`idle_memory`], resident
//! bytes per idle coroutine), are measured after the timing runs; its tables show ns per item (per round trip, per
//! coroutine created).
//!
//! | impl | what it is |
//! |---|---|
//! | `arsenal:<backend>` | [`arsenal_coro::Coroutine`] on that backend: guard-paged stack, typed values, panic catching, forced unwind on drop |
//! | `raw:fcontext` | `make_fcontext` / `jump_fcontext` from Rust with an `extern "C"` entry on an `mmap`ed stack (no guard page), values in the jump's data pointer |
//! | `raw:minicoro` | `mco_create` (minicoro's `malloc`) / `mco_resume` / `mco_yield`, values through a slot the user data points at |
//! | `raw:ucontext` | `getcontext` / `makecontext` / `swapcontext` on an `mmap`ed stack |
//! | `raw:libaco` | `aco_create` / `aco_resume` / `aco_yield` on a libaco stack per coroutine (feature `libaco`) |
//! | `peer:corosensei` | `corosensei::Coroutine` with its `DefaultStack` (guard-paged `mmap`) |

use std::cell::Cell;
use std::ffi::c_void;
use std::ptr;

use arsenal_coro::{ContextBackend, Coroutine, CoroutineResult};

use crate::domain::{Domain, Memory, Selection};
use crate::harness::{Case, Registry};
use crate::report::{MemoryRow, Unit};
use crate::strategy::pick;

/// The first part of every cell id of this domain.
const NAME: &str = "coro";

/// The coroutine domain: ns per item, idle memory per coroutine after the timing runs.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Coroutines",
    register: |reg, _data| register(reg),
    unit: |_op| Some(Unit::NanosPerItem),
    memory: Memory::After(memory_rows),
    select: Some(Selection {
        krate: "arsenal-coro",
        pick: pick::<arsenal_coro::Backend>,
    }),
    ..Domain::EMPTY
};

/// Coroutines measured together for the idle-memory rows.
const IDLE_COROUTINES: usize = 1000;

/// The sum of the values `n` round trips (or `n` one-shot coroutines) produce: resume
/// `i` gives `2i + 1`, for `i` in `0..n`.
///
/// ```
/// assert_eq!(arsenal_bench::coro::expected_sum(4), 1 + 3 + 5 + 7);
/// ```
pub fn expected_sum(n: u64) -> u64 {
    (0..n).map(|i| 2 * i + 1).sum()
}
/// Round trips per iteration of `coro/switch/round-trip`.
pub const SWITCHES: u64 = 10_000;
/// Coroutines per iteration of `coro/create/64k-stack`.
pub const CREATES: u64 = 100;
/// Stack size of the `create` row (and of raw coroutines).
pub const STACK: usize = 64 * 1024;

/// Registers the coro rows.
pub fn register(reg: &mut Registry) {
    add_arsenal::<arsenal_coro::backend::Fcontext>(reg, "arsenal:fcontext");
    add_raw(reg, "raw:fcontext", || RawFcontext::new().map(Box::new));
    add_arsenal::<arsenal_coro::backend::Minicoro>(reg, "arsenal:minicoro");
    add_raw(reg, "raw:minicoro", || RawMinicoro::new().map(Box::new));
    add_arsenal::<arsenal_coro::backend::Ucontext>(reg, "arsenal:ucontext");
    add_raw(reg, "raw:ucontext", || RawUcontext::new().map(Box::new));
    // Our own switch: no C library, so no raw row (`peer:corosensei` is its yardstick).
    #[cfg(target_arch = "x86_64")]
    add_arsenal::<arsenal_coro::backend::Native>(reg, "arsenal:native");
    #[cfg(feature = "libaco")]
    {
        add_arsenal::<arsenal_coro::backend::Libaco>(reg, "arsenal:libaco");
        add_raw(reg, "raw:libaco", || libaco::RawLibaco::new().map(Box::new));
    }
    add_raw(reg, "peer:corosensei", || Corosensei::new().map(Box::new));
}

/// A coroutine that maps `x` to `2x + 1` on every resume, forever (raw and peer rows).
trait Doubler {
    /// Resumes with `x`; returns what the coroutine yielded.
    fn round_trip(&mut self, x: u64) -> u64;
}

/// The `coro/switch` datasets: name, and whether the coroutine is created while the
/// thread's MXCSR has its sticky exception flags cleared (so that the context it saves
/// differs from the harness thread's, which has done floating-point arithmetic).
const SWITCH_DATASETS: [(&str, bool); 2] =
    [("round-trip", false), ("round-trip-fp-flags-differ", true)];

/// Sets MXCSR's precision flag as any inexact floating-point operation does, so that the
/// thread's floating-point state is the same before every creation and every iteration.
fn raise_inexact() {
    std::hint::black_box(std::hint::black_box(1.0f64) / std::hint::black_box(3.0f64));
}

/// Runs `f` with MXCSR's sticky exception flags (bits 0-5) cleared when `clear`, then
/// restores MXCSR: what a context created by `f` saves then differs from the harness
/// thread's MXCSR in the precision flag.
fn creating<T>(clear: bool, f: impl FnOnce() -> T) -> T {
    raise_inexact();
    #[cfg(target_arch = "x86_64")]
    if clear {
        let mut saved: u32 = 0;
        // SAFETY: stores MXCSR into a live local.
        unsafe { std::arch::asm!("stmxcsr [{}]", in(reg) &mut saved, options(nostack)) };
        let cleared = saved & !0x3f;
        // SAFETY: a valid MXCSR value (read above) with only status flags cleared.
        unsafe { std::arch::asm!("ldmxcsr [{}]", in(reg) &cleared, options(nostack)) };
        let out = f();
        // SAFETY: restores the value read above.
        unsafe { std::arch::asm!("ldmxcsr [{}]", in(reg) &saved, options(nostack)) };
        return out;
    }
    f()
}

fn add_arsenal<B: ContextBackend>(reg: &mut Registry, imp: &str) {
    for (dataset, clear) in SWITCH_DATASETS {
        add_arsenal_switch::<B>(reg, imp, dataset, clear);
    }
    add_arsenal_create::<B>(reg, imp);
}

fn add_arsenal_switch<B: ContextBackend>(
    reg: &mut Registry,
    imp: &str,
    dataset: &str,
    clear: bool,
) {
    match creating(clear, || {
        Coroutine::<u64, u64, (), B>::create(STACK, |y, mut x| loop {
            x = y.suspend(x * 2 + 1);
        })
    }) {
        Ok(mut co) => reg.add(
            Case::new(NAME, "switch", dataset, imp, 0, SWITCHES, move || {
                raise_inexact();
                let mut sum = 0;
                for i in 0..SWITCHES {
                    match co.resume(i) {
                        Ok(CoroutineResult::Yield(v)) => sum += v,
                        Ok(CoroutineResult::Return(())) => panic!("the coroutine returned"),
                        Err(err) => panic!("resume failed: {err}"),
                    }
                }
                sum
            })
            .expect(expected_sum(SWITCHES)),
        ),
        Err(err) => reg.add(Case::failed(NAME, "switch", dataset, imp, err.to_string())),
    }
}

fn add_arsenal_create<B: ContextBackend>(reg: &mut Registry, imp: &str) {
    reg.add(
        Case::new(NAME, "create", "64k-stack", imp, 0, CREATES, || {
            let mut sum = 0;
            for i in 0..CREATES {
                let mut co = Coroutine::<u64, (), u64, B>::create(STACK, |_, x| x * 2 + 1)
                    .unwrap_or_else(|err| panic!("create failed: {err}"));
                match co.resume(i) {
                    Ok(CoroutineResult::Return(v)) => sum += v,
                    Ok(CoroutineResult::Yield(())) => panic!("the coroutine yielded"),
                    Err(err) => panic!("resume failed: {err}"),
                }
            }
            sum
        })
        .expect(expected_sum(CREATES)),
    );
}

fn add_raw<D, F>(reg: &mut Registry, imp: &str, make: F)
where
    D: Doubler + ?Sized + 'static,
    F: Fn() -> Result<Box<D>, String> + 'static,
{
    for (dataset, clear) in SWITCH_DATASETS {
        match creating(clear, &make) {
            Ok(mut co) => reg.add(
                Case::new(NAME, "switch", dataset, imp, 0, SWITCHES, move || {
                    raise_inexact();
                    (0..SWITCHES).map(|i| co.round_trip(i)).sum()
                })
                .expect(expected_sum(SWITCHES)),
            ),
            Err(err) => reg.add(Case::failed(NAME, "switch", dataset, imp, err)),
        }
    }
    reg.add(
        Case::new(NAME, "create", "64k-stack", imp, 0, CREATES, move || {
            let mut sum = 0;
            for i in 0..CREATES {
                // One resume of a fresh coroutine, then drop: create + run + destroy.
                let mut co = make().unwrap_or_else(|err| panic!("create failed: {err}"));
                sum += co.round_trip(i);
            }
            sum
        })
        .expect(expected_sum(CREATES)),
    );
}

/// Resident bytes per idle coroutine for every implementation: creates `count` coroutines,
/// resumes each once so it is suspended inside its function (having touched its stack
/// like a real coroutine that has run a little), and divides the growth of the resident
/// set (`/proc/self/statm`) by `count`; then drops them. Returns `(impl, bytes)` pairs,
/// `NaN` bytes where the RSS could not be read or a coroutine could not be created.
///
/// The figure includes each implementation's per-coroutine allocations (control block,
/// heap state, the touched stack pages: at least one 4 KiB page each) but not address
/// space that was never touched (64 KiB stacks are mapped lazily). Before an arsenal
/// backend is measured, [`arsenal_coro::STACK_CACHE_PER_THREAD`] coroutines of it are
/// created and kept until after: they take the stacks arsenal-coro's per-thread cache
/// kept from earlier coroutines (already resident), which the counted ones would
/// otherwise reuse and show as free.
pub fn idle_memory(count: usize) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = vec![
        (
            "arsenal:fcontext".into(),
            idle_arsenal::<arsenal_coro::backend::Fcontext>(count),
        ),
        (
            "raw:fcontext".into(),
            idle_raw(count, || RawFcontext::new().map(Box::new)),
        ),
        (
            "arsenal:minicoro".into(),
            idle_arsenal::<arsenal_coro::backend::Minicoro>(count),
        ),
        (
            "raw:minicoro".into(),
            idle_raw(count, || RawMinicoro::new().map(Box::new)),
        ),
        (
            "arsenal:ucontext".into(),
            idle_arsenal::<arsenal_coro::backend::Ucontext>(count),
        ),
        (
            "raw:ucontext".into(),
            idle_raw(count, || RawUcontext::new().map(Box::new)),
        ),
    ];
    #[cfg(feature = "libaco")]
    out.extend([
        (
            "arsenal:libaco".into(),
            idle_arsenal::<arsenal_coro::backend::Libaco>(count),
        ),
        (
            "raw:libaco".into(),
            idle_raw(count, || libaco::RawLibaco::new().map(Box::new)),
        ),
    ]);
    #[cfg(target_arch = "x86_64")]
    out.push((
        "arsenal:native".into(),
        idle_arsenal::<arsenal_coro::backend::Native>(count),
    ));
    out.push((
        "peer:corosensei".into(),
        idle_raw(count, || Corosensei::new().map(Box::new)),
    ));
    out
}

/// The dataset of the idle-memory rows: `coro/memory/idle-64k/<impl>`.
pub const IDLE_DATASET: &str = "idle-64k";

/// The `coro/memory/idle-64k` rows: resident bytes per idle coroutine, per
/// implementation ([`idle_memory`] of [`IDLE_COROUTINES`]; measured after the timing
/// runs).
fn memory_rows() -> Vec<MemoryRow> {
    idle_memory(IDLE_COROUTINES)
        .into_iter()
        .map(|(imp, bytes)| MemoryRow {
            domain: NAME.to_owned(),
            dataset: IDLE_DATASET.to_owned(),
            what: format!(
                "idle coroutine (64 KiB stack, suspended after one resume): resident-set \
                 growth (/proc/self/statm) with {IDLE_COROUTINES} alive, / {IDLE_COROUTINES}"
            ),
            imp,
            items: IDLE_COROUTINES as u64,
            bytes_per_item: Some(bytes).filter(|b| b.is_finite()),
        })
        .collect()
}

/// Resident set size in bytes (second field of `/proc/self/statm`, in pages).
fn rss_bytes() -> Option<f64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: f64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * page as f64)
}

/// The resident set size before a measurement, after handing the heap's free memory
/// back to the kernel (`malloc_trim`): measured after the timing runs, the heap holds
/// freed but still resident memory that `malloc`-based coroutines (minicoro) would
/// otherwise reuse without growing the resident set, and show as free.
fn rss_before() -> Option<f64> {
    // SAFETY: `malloc_trim` only releases free heap memory; it has no preconditions.
    unsafe { libc::malloc_trim(0) };
    rss_bytes()
}

fn per_item(count: usize, before: Option<f64>, after: Option<f64>) -> f64 {
    match (before, after) {
        (Some(b), Some(a)) if count > 0 => (a - b) / count as f64,
        _ => f64::NAN,
    }
}

fn idle_arsenal<B: ContextBackend>(count: usize) -> f64 {
    let mut all = Vec::with_capacity(count + arsenal_coro::STACK_CACHE_PER_THREAD);
    for i in 0..arsenal_coro::STACK_CACHE_PER_THREAD as u64 {
        let Ok(mut co) = Coroutine::<u64, u64, (), B>::create(STACK, |y, mut x| loop {
            x = y.suspend(x * 2 + 1);
        }) else {
            return f64::NAN;
        };
        if co.resume(i).is_err() {
            return f64::NAN;
        }
        all.push(co);
    }
    let before = rss_before();
    for i in 0..count as u64 {
        let Ok(mut co) = Coroutine::<u64, u64, (), B>::create(STACK, |y, mut x| loop {
            x = y.suspend(x * 2 + 1);
        }) else {
            return f64::NAN;
        };
        if co.resume(i).is_err() {
            return f64::NAN;
        }
        all.push(co);
    }
    let after = rss_bytes();
    drop(all);
    per_item(count, before, after)
}

fn idle_raw<D, F>(count: usize, make: F) -> f64
where
    D: Doubler + ?Sized,
    F: Fn() -> Result<Box<D>, String>,
{
    let before = rss_before();
    let mut all = Vec::with_capacity(count);
    for i in 0..count as u64 {
        let Ok(mut co) = make() else { return f64::NAN };
        co.round_trip(i);
        all.push(co);
    }
    let after = rss_bytes();
    drop(all);
    per_item(count, before, after)
}

/// An anonymous read/write mapping for raw coroutine stacks (no guard page: the raw rows
/// use the libraries as a C caller typically would).
struct RawStack {
    base: *mut u8,
    len: usize,
}

impl RawStack {
    fn new(len: usize) -> Result<RawStack, String> {
        // SAFETY: a fresh private anonymous mapping; the result is checked.
        let p = unsafe {
            libc::mmap(
                ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE | libc::MAP_STACK,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(format!("mmap: {}", std::io::Error::last_os_error()));
        }
        Ok(RawStack {
            base: p.cast(),
            len,
        })
    }

    fn top(&self) -> *mut u8 {
        // SAFETY: one past the end of the mapping.
        unsafe { self.base.add(self.len) }
    }
}

impl Drop for RawStack {
    fn drop(&mut self) {
        // SAFETY: unmaps what `new` mapped; its coroutine is never resumed again.
        unsafe { libc::munmap(self.base.cast(), self.len) };
    }
}

// ---- raw:fcontext ------------------------------------------------------------------------

struct RawFcontext {
    ctx: arsenal_fcontext_sys::fcontext_t,
    _stack: RawStack,
}

unsafe extern "C" fn fcontext_doubler(mut t: arsenal_fcontext_sys::transfer_t) {
    loop {
        let x = t.data as u64;
        // SAFETY: `t.fctx` is the context that just resumed us.
        t = unsafe { arsenal_fcontext_sys::jump_fcontext(t.fctx, (x * 2 + 1) as *mut c_void) };
    }
}

impl RawFcontext {
    fn new() -> Result<RawFcontext, String> {
        let stack = RawStack::new(STACK)?;
        // SAFETY: the stack outlives the context (both live in this struct).
        let ctx = unsafe {
            arsenal_fcontext_sys::make_fcontext(stack.top().cast(), STACK, fcontext_doubler)
        };
        Ok(RawFcontext { ctx, _stack: stack })
    }
}

impl Doubler for RawFcontext {
    fn round_trip(&mut self, x: u64) -> u64 {
        // SAFETY: `ctx` is the coroutine's latest suspended context.
        let t = unsafe { arsenal_fcontext_sys::jump_fcontext(self.ctx, x as *mut c_void) };
        self.ctx = t.fctx;
        t.data as u64
    }
}

// ---- raw:minicoro ------------------------------------------------------------------------

struct RawMinicoro {
    co: *mut arsenal_minicoro_sys::mco_coro,
    slot: Box<Cell<u64>>,
}

unsafe extern "C" fn minicoro_doubler(co: *mut arsenal_minicoro_sys::mco_coro) {
    use arsenal_minicoro_sys as mco;
    // SAFETY: user data is the `Cell<u64>` slot of `RawMinicoro`, alive while `co` is.
    unsafe {
        let slot = &*mco::mco_get_user_data(co).cast::<Cell<u64>>();
        loop {
            slot.set(slot.get() * 2 + 1);
            mco::mco_yield(co);
        }
    }
}

impl RawMinicoro {
    fn new() -> Result<RawMinicoro, String> {
        use arsenal_minicoro_sys as mco;
        let slot = Box::new(Cell::new(0));
        // SAFETY: a description from mco_desc_init; the slot outlives the coroutine.
        unsafe {
            let mut desc = mco::mco_desc_init(Some(minicoro_doubler), STACK);
            desc.user_data = ptr::addr_of!(*slot).cast_mut().cast();
            let mut co = ptr::null_mut();
            let res = mco::mco_create(&mut co, &mut desc);
            if res != mco::MCO_SUCCESS {
                return Err(format!("mco_create: {res}"));
            }
            Ok(RawMinicoro { co, slot })
        }
    }
}

impl Doubler for RawMinicoro {
    fn round_trip(&mut self, x: u64) -> u64 {
        self.slot.set(x);
        // SAFETY: the coroutine is suspended.
        unsafe { arsenal_minicoro_sys::mco_resume(self.co) };
        self.slot.get()
    }
}

impl Drop for RawMinicoro {
    fn drop(&mut self) {
        // SAFETY: suspended (or never started); frees the block.
        unsafe { arsenal_minicoro_sys::mco_destroy(self.co) };
    }
}

// ---- raw:ucontext ------------------------------------------------------------------------

struct UcPair {
    co: libc::ucontext_t,
    caller: libc::ucontext_t,
    value: u64,
}

struct RawUcontext {
    pair: Box<UcPair>,
    _stack: RawStack,
}

extern "C" fn ucontext_doubler(hi: u32, lo: u32) {
    let pair = ((u64::from(hi) << 32) | u64::from(lo)) as usize as *mut UcPair;
    loop {
        // SAFETY: `pair` is the boxed `UcPair` of our `RawUcontext`, alive while we run.
        unsafe {
            (*pair).value = (*pair).value * 2 + 1;
            libc::swapcontext(ptr::addr_of_mut!((*pair).co), ptr::addr_of!((*pair).caller));
        }
    }
}

impl RawUcontext {
    fn new() -> Result<RawUcontext, String> {
        let stack = RawStack::new(STACK)?;
        // SAFETY: zeroed ucontext_t is a valid starting value for getcontext; the pair is
        // boxed (it must not move: ucontext_t points into itself) and outlives the stack's
        // use; makecontext calls the doubler with the 2 int arguments given.
        unsafe {
            let mut pair: Box<UcPair> = Box::new(std::mem::zeroed());
            if libc::getcontext(&mut pair.co) != 0 {
                return Err("getcontext failed".into());
            }
            pair.co.uc_stack.ss_sp = stack.base.cast();
            pair.co.uc_stack.ss_size = STACK;
            pair.co.uc_link = ptr::null_mut();
            let address = ptr::addr_of_mut!(*pair) as usize as u64;
            let f: extern "C" fn(u32, u32) = ucontext_doubler;
            libc::makecontext(
                &mut pair.co,
                std::mem::transmute::<extern "C" fn(u32, u32), extern "C" fn()>(f),
                2,
                (address >> 32) as u32,
                address as u32,
            );
            Ok(RawUcontext {
                pair,
                _stack: stack,
            })
        }
    }
}

impl Doubler for RawUcontext {
    fn round_trip(&mut self, x: u64) -> u64 {
        self.pair.value = x;
        let pair = ptr::addr_of_mut!(*self.pair);
        // SAFETY: both contexts live in the boxed pair; the coroutine is suspended.
        unsafe { libc::swapcontext(ptr::addr_of_mut!((*pair).caller), ptr::addr_of!((*pair).co)) };
        self.pair.value
    }
}

// ---- raw:libaco --------------------------------------------------------------------------

#[cfg(feature = "libaco")]
mod libaco {
    use super::{Doubler, STACK};
    use arsenal_aco_sys as aco;
    use std::cell::Cell;
    use std::ptr;

    thread_local! {
        static MAIN: Cell<*mut aco::aco_t> = const { Cell::new(ptr::null_mut()) };
    }

    fn main_co() -> *mut aco::aco_t {
        MAIN.with(|m| {
            if m.get().is_null() {
                // SAFETY: libaco's per-thread set-up, once per thread (never freed).
                m.set(unsafe {
                    aco::aco_thread_init(None);
                    aco::aco_create(ptr::null_mut(), ptr::null_mut(), 0, None, ptr::null_mut())
                });
            }
            m.get()
        })
    }

    pub(super) struct RawLibaco {
        co: *mut aco::aco_t,
        stack: *mut aco::aco_share_stack_t,
        slot: Box<Cell<u64>>,
    }

    unsafe extern "C" fn doubler() {
        // SAFETY: the arg is the `Cell<u64>` slot of `RawLibaco`, alive while we run.
        unsafe {
            let slot = &*aco::arsenal_aco_get_arg().cast::<Cell<u64>>();
            loop {
                slot.set(slot.get() * 2 + 1);
                aco::arsenal_aco_yield();
            }
        }
    }

    impl RawLibaco {
        pub(super) fn new() -> Result<RawLibaco, String> {
            let slot = Box::new(Cell::new(0));
            let main = main_co();
            // SAFETY: libaco aborts rather than return NULL; the slot outlives the co.
            unsafe {
                let stack = aco::aco_share_stack_new2(STACK, 1);
                let co = aco::aco_create(
                    main,
                    stack,
                    0,
                    Some(doubler),
                    ptr::addr_of!(*slot).cast_mut().cast(),
                );
                Ok(RawLibaco { co, stack, slot })
            }
        }
    }

    impl Doubler for RawLibaco {
        fn round_trip(&mut self, x: u64) -> u64 {
            self.slot.set(x);
            // SAFETY: resumed from the thread's main context; never ends.
            unsafe { aco::aco_resume(self.co) };
            self.slot.get()
        }
    }

    impl Drop for RawLibaco {
        fn drop(&mut self) {
            // SAFETY: not running; the stack is used by this coroutine only.
            unsafe {
                aco::aco_destroy(self.co);
                aco::aco_share_stack_destroy(self.stack);
            }
        }
    }
}

// ---- peer:corosensei ---------------------------------------------------------------------

struct Corosensei(corosensei::Coroutine<u64, u64, (), corosensei::stack::DefaultStack>);

impl Corosensei {
    fn new() -> Result<Corosensei, String> {
        let stack = corosensei::stack::DefaultStack::new(STACK).map_err(|e| e.to_string())?;
        Ok(Corosensei(corosensei::Coroutine::with_stack(
            stack,
            |y: &corosensei::Yielder<u64, u64>, mut x: u64| loop {
                x = y.suspend(x * 2 + 1);
            },
        )))
    }
}

impl Doubler for Corosensei {
    fn round_trip(&mut self, x: u64) -> u64 {
        match self.0.resume(x) {
            corosensei::CoroutineResult::Yield(v) => v,
            corosensei::CoroutineResult::Return(()) => panic!("the coroutine returned"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_verifies() {
        let mut reg = Registry::new();
        register(&mut reg);
        let rows =
            crate::harness::verify_cases(reg.into_cases(), &mut crate::harness::Progress::hidden());
        assert!(rows.len() >= 7 * 3, "{}", rows.len());
        for row in &rows {
            assert_eq!(
                row.status,
                crate::harness::Status::Verified,
                "{}: {:?}",
                row.id,
                row.error
            );
        }
        assert_eq!(expected_sum(SWITCHES), SWITCHES * SWITCHES);
    }

    #[test]
    fn every_impl_computes_the_same_checksums() {
        let mut reg = Registry::new();
        register(&mut reg);
        let results = reg.run(
            &crate::harness::Profile::smoke(),
            &mut crate::harness::Progress::hidden(),
        );
        let switch: Vec<_> = results
            .iter()
            .filter(|r| r.id.contains("/switch/"))
            .collect();
        let create: Vec<_> = results
            .iter()
            .filter(|r| r.id.contains("/create/"))
            .collect();
        // Two switch datasets per implementation, one create row.
        assert!(create.len() >= 7 && switch.len() == SWITCH_DATASETS.len() * create.len());
        for r in &switch {
            assert_eq!(r.checksum, Some(SWITCHES * SWITCHES), "{}", r.id);
        }
        for r in &create {
            assert_eq!(r.checksum, Some(CREATES * CREATES), "{}", r.id);
        }
    }

    #[test]
    fn idle_memory_reports_every_impl() {
        let rows = idle_memory(200);
        assert!(rows.len() >= 7);
        for (imp, bytes) in rows {
            eprintln!("idle {imp}: {bytes:.0} bytes per coroutine");
            assert!(bytes.is_finite() && bytes > 0.0, "{imp}: {bytes}");
        }
    }
}
