//! `raw:isal`: ISA-L's igzip called directly over FFI, as a competent C user would.

use isal_sys::igzip_lib as ffi;
use std::alloc::{alloc_zeroed, handle_alloc_error, Layout};

/// Direct FFI use of ISA-L, as a competent C user would write it: one `isal_zstream` (with
/// its level buffer of `ISAL_DEF_LVL<n>_DEFAULT` bytes) and one `inflate_state` reused,
/// `isal_deflate_stateless` / `isal_inflate_stateless`, zlib format (as the `arsenal:isal`
/// rows use), no wrapper.
pub struct Raw {
    level: u32,
    stream: Box<ffi::isal_zstream>,
    level_buf: Vec<u8>,
    inflate: Box<ffi::inflate_state>,
}

/// A zero-filled heap `T`.
///
/// # Safety
/// All-zero must be a valid `T` (true for ISA-L's C structs).
unsafe fn boxed_zeroed<T>() -> Box<T> {
    let layout = Layout::new::<T>();
    // SAFETY: `T` is not zero-sized here.
    let ptr = unsafe { alloc_zeroed(layout) }.cast::<T>();
    if ptr.is_null() {
        handle_alloc_error(layout);
    }
    // SAFETY: global-allocator memory of `T`'s layout, zero is a valid `T`.
    unsafe { Box::from_raw(ptr) }
}

impl Raw {
    /// Compression `level` (0..=3).
    pub fn new(level: i32) -> Raw {
        let size = match level {
            0 => 0,
            1 => ffi::ISAL_DEF_LVL1_DEFAULT,
            2 => ffi::ISAL_DEF_LVL2_DEFAULT,
            3 => ffi::ISAL_DEF_LVL3_DEFAULT,
            _ => panic!("ISA-L level {level}"),
        } as usize;
        // SAFETY: both are C structs of integers, arrays and pointers.
        let (stream, inflate) = unsafe { (boxed_zeroed(), boxed_zeroed()) };
        Raw {
            level: level as u32,
            stream,
            level_buf: vec![0; size],
            inflate,
        }
    }

    /// Clears `dst`, zlib-compresses `src` into it (reserving the stored-block bound that
    /// `isal_deflate_stateless` needs), returns the compressed length.
    pub fn compress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        dst.clear();
        let bound = src.len() + 5 * src.len().div_ceil(65_535).max(1) + 18;
        dst.reserve(bound);
        let s: &mut ffi::isal_zstream = &mut self.stream;
        // SAFETY: `s` is a valid stream struct.
        unsafe { ffi::isal_deflate_stateless_init(s) };
        s.level = self.level;
        s.level_buf = if self.level_buf.is_empty() {
            std::ptr::null_mut()
        } else {
            self.level_buf.as_mut_ptr()
        };
        s.level_buf_size = self.level_buf.len() as u32;
        s.gzip_flag = ffi::IGZIP_ZLIB as u16;
        s.flush = ffi::NO_FLUSH as u16;
        s.end_of_stream = 1;
        s.next_in = src.as_ptr().cast_mut();
        s.avail_in = u32::try_from(src.len()).expect("input < 4 GiB");
        s.next_out = dst.as_mut_ptr();
        s.avail_out = u32::try_from(bound).expect("output < 4 GiB");
        // SAFETY: input readable for `avail_in`, output writable for `avail_out` (spare
        // capacity), level buffer alive with the size recorded.
        let rc = unsafe { ffi::isal_deflate_stateless(s) };
        assert_eq!(rc, 0, "isal_deflate_stateless failed");
        let n = bound - s.avail_out as usize;
        // SAFETY: ISA-L initialised the first `n` ≤ `bound` bytes.
        unsafe { dst.set_len(n) };
        n
    }

    /// Clears `dst`, zlib-decompresses `src` into its preallocated capacity, returns the
    /// length.
    pub fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        dst.clear();
        let cap = u32::try_from(dst.capacity()).unwrap_or(u32::MAX);
        let st: &mut ffi::inflate_state = &mut self.inflate;
        // SAFETY: `st` is a valid state struct.
        unsafe { ffi::isal_inflate_init(st) };
        st.crc_flag = ffi::ISAL_ZLIB;
        st.next_in = src.as_ptr().cast_mut();
        st.avail_in = u32::try_from(src.len()).expect("input < 4 GiB");
        st.next_out = dst.as_mut_ptr();
        st.avail_out = cap;
        // SAFETY: input readable for `avail_in`, output writable for `avail_out`.
        let rc = unsafe { ffi::isal_inflate_stateless(st) };
        assert_eq!(rc, 0, "isal_inflate_stateless failed");
        let n = (cap - st.avail_out) as usize;
        // SAFETY: ISA-L initialised the first `n` ≤ capacity bytes.
        unsafe { dst.set_len(n) };
        n
    }
}
