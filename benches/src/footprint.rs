//! The measurements behind the domains' memory rows ([`Domain::memory`]), shared so that
//! every domain measures the same way and says so in its rows' `what`:
//!
//! | measurement | sees | resolution | used for |
//! |---|---|---|---|
//! | [`heap_in_use`], [`held_by`], [`held_per_value`] | every `malloc` of the process (glibc's `mallinfo2`: bytes in use in all arenas plus mmapped blocks, chunk headers and rounding included): C libraries and Rust alike, since `arsenal-bench` keeps Rust's default global allocator, glibc's `malloc` | one byte (an allocation's chunk size) | state held between calls: parsers, documents, queues, hashers |
//! | [`peak_resident`] | the process's resident set: its peak (`VmHWM`, reset through `/proc/self/clear_refs`) over a closure, against the resident set before | one page (4 KiB) | working memory allocated and freed inside one call (no heap counter can see it afterwards) |
//!
//! No counting `#[global_allocator]`: it would tax every timed cell (and the alloc
//! domain's `arsenal:system` / `raw:glibc` rows call `malloc` directly anyway). The
//! counters are process-wide, so the memory rows are measured with no other thread of
//! the harness running (before or after the timing runs, see [`Memory`]).
//!
//! Off glibc/Linux every function returns `None` and the rows' bytes are `null`.
//!
//! [`Domain::memory`]: crate::domain::Domain::memory
//! [`Memory`]: crate::domain::Memory

/// Heap bytes in use right now, process-wide: glibc's `mallinfo2()`, `uordblks` (in use
/// in the arenas, including each chunk's header and rounding) plus `hblkhd` (mmapped
/// blocks). `None` off glibc.
///
/// ```
/// use arsenal_bench::footprint::heap_in_use;
/// if let Some(before) = heap_in_use() {
///     let block = vec![1u8; 1 << 20];
///     let after = heap_in_use().unwrap();
///     assert!(after >= before + block.len(), "{before} -> {after}");
/// }
/// ```
pub fn heap_in_use() -> Option<usize> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallinfo2 takes no arguments and returns a struct by value.
        let info = unsafe { libc::mallinfo2() };
        Some(info.uordblks + info.hblkhd)
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        None
    }
}

/// What `make` allocated and still holds: `(value, heap bytes)`, the growth of
/// [`heap_in_use`] from before `make` to after it returned, with the value alive.
/// `make` returning `None` (a failed setup) gives `None`. The bytes exclude the value's
/// own `size_of` (add it for state kept inline); temporaries `make` freed are not
/// counted.
///
/// ```
/// use arsenal_bench::footprint::held_by;
/// if let Some((v, bytes)) = held_by(|| Some(vec![0u64; 100_000])) {
///     assert_eq!(v.len(), 100_000);
///     assert!(bytes >= 800_000, "{bytes}");
/// }
/// ```
pub fn held_by<T>(make: impl FnOnce() -> Option<T>) -> Option<(T, usize)> {
    let before = heap_in_use()?;
    let value = make()?;
    let after = heap_in_use()?;
    Some((value, after.saturating_sub(before)))
}

/// Bytes per value held by `count` values from `make` (given their index), alive
/// together: `size_of::<T>()` (the value itself, as its owner would embed it) plus the
/// growth of [`heap_in_use`] while they are made, divided by `count`. A few values are
/// made (and kept) first, so that glibc's per-thread cache of recently freed chunks of
/// the sizes the values use is drained and every counted value comes from the arena;
/// their container is allocated before the count starts. `None` when `make` fails or the
/// heap cannot be read.
///
/// ```
/// use arsenal_bench::footprint::held_per_value;
/// if let Some(bytes) = held_per_value(256, |_| Some(Box::new([0u8; 200]))) {
///     // 8 for the Box itself, 200 on the heap plus glibc's chunk header and rounding.
///     assert!((208.0..=240.0).contains(&bytes), "{bytes}");
/// }
/// // C allocations count the same way.
/// struct Malloced(*mut libc::c_void);
/// impl Drop for Malloced {
///     fn drop(&mut self) {
///         // SAFETY: allocated by malloc below, freed once.
///         unsafe { libc::free(self.0) }
///     }
/// }
/// if let Some(bytes) = held_per_value(500, |_| {
///     // SAFETY: plain malloc; null is handled.
///     let p = unsafe { libc::malloc(1000) };
///     (!p.is_null()).then_some(Malloced(p))
/// }) {
///     assert!((1008.0..=1040.0).contains(&bytes), "{bytes}");
/// }
/// ```
pub fn held_per_value<T>(count: usize, mut make: impl FnMut(usize) -> Option<T>) -> Option<f64> {
    const WARM: usize = 16;
    if count == 0 {
        return None;
    }
    let mut warm = Vec::with_capacity(WARM);
    for i in 0..WARM {
        warm.push(make(i)?);
    }
    let mut values = Vec::with_capacity(count);
    let before = heap_in_use()?;
    for i in 0..count {
        values.push(make(WARM + i)?);
    }
    let after = heap_in_use()?;
    drop(values);
    drop(warm);
    let heap = after.saturating_sub(before) as f64 / count as f64;
    Some(std::mem::size_of::<T>() as f64 + heap)
}

/// The peak growth of the resident set while `work` runs: `(its result, bytes)`, where
/// bytes is the peak resident set (`VmHWM` of `/proc/self/status`, reset to the current
/// resident set by writing `5` to `/proc/self/clear_refs` just before) minus the
/// resident set before `work`, with the result alive until the peak is read. Free heap
/// memory is handed back to the kernel first (`malloc_trim`), so that memory `work`
/// allocates shows as pages it touches rather than reused resident pages; memory
/// allocated but never touched does not count, pages of the stack already touched before
/// do not count again. `None` off Linux/glibc, or when `/proc` refuses.
///
/// ```
/// use arsenal_bench::footprint::peak_resident;
/// if let Some((sum, bytes)) = peak_resident(|| {
///     let block = vec![7u8; 8 << 20]; // touched, then freed inside the closure
///     Some(block.iter().map(|&b| u64::from(b)).sum::<u64>())
/// }) {
///     assert_eq!(sum, 7 * (8 << 20));
///     assert!(bytes >= 7 << 20, "{bytes}");
///     let (_, idle) = peak_resident(|| Some(())).unwrap();
///     assert!(idle < 1 << 20, "{idle}");
/// }
/// ```
pub fn peak_resident<T>(work: impl FnOnce() -> Option<T>) -> Option<(T, usize)> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: `malloc_trim` only returns free heap memory to the kernel.
        unsafe { libc::malloc_trim(0) };
        std::fs::write("/proc/self/clear_refs", "5").ok()?;
        let before = status_kib("VmRSS:")?;
        let result = work()?;
        let peak = status_kib("VmHWM:")?;
        Some((result, peak.saturating_sub(before) * 1024))
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        let _ = work;
        None
    }
}

/// A `kB` field of `/proc/self/status` (e.g. `VmRSS:`), in KiB.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn status_kib(field: &str) -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    // The counters are process-wide and unit tests run on parallel threads, so what the
    // functions measure is checked by their doc tests (one process each); here only
    // what does not depend on other threads.
    use super::*;

    #[test]
    fn status_fields_parse() {
        assert!(status_kib("VmRSS:").is_some_and(|kib| kib > 0));
        assert!(status_kib("NoSuchField:").is_none());
    }

    #[test]
    fn failed_setups_give_none() {
        assert!(held_by(|| None::<u8>).is_none());
        assert!(held_per_value(4, |i| (i < 2).then_some(i)).is_none());
        assert!(held_per_value(0, Some).is_none());
        assert!(peak_resident(|| None::<u8>).is_none());
    }
}
