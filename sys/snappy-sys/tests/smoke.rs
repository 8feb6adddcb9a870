//! -sys smoke test: the linked snappy compresses and decompresses through its C API, and
//! reports malformed input and small buffers with the documented statuses.
use std::ffi::c_char;

use arsenal_snappy_sys as sys;

#[test]
fn round_trip() {
    let input: Vec<u8> = b"snappy smoke test, "
        .iter()
        .copied()
        .cycle()
        .take(10_000)
        .collect();
    // SAFETY: pure function of its argument.
    let bound = unsafe { sys::snappy_max_compressed_length(input.len()) };
    assert!(bound >= input.len());
    let mut compressed = vec![0u8; bound];
    let mut compressed_len = bound;
    // SAFETY: `input` is readable for its length; `compressed` is writable for `bound`
    // bytes, the value passed in `compressed_len`.
    let status = unsafe {
        sys::snappy_compress(
            input.as_ptr().cast::<c_char>(),
            input.len(),
            compressed.as_mut_ptr().cast::<c_char>(),
            &mut compressed_len,
        )
    };
    assert_eq!(status, sys::SNAPPY_OK);
    assert!(
        compressed_len < input.len() / 4,
        "repetitive input must shrink"
    );
    compressed.truncate(compressed_len);

    let mut recorded = 0usize;
    // SAFETY: `compressed` is readable for its length; `recorded` is a valid out-pointer.
    let status = unsafe {
        sys::snappy_uncompressed_length(compressed.as_ptr().cast(), compressed.len(), &mut recorded)
    };
    assert_eq!(status, sys::SNAPPY_OK);
    assert_eq!(recorded, input.len());
    // SAFETY: `compressed` is readable for its length.
    let status = unsafe {
        sys::snappy_validate_compressed_buffer(compressed.as_ptr().cast(), compressed.len())
    };
    assert_eq!(status, sys::SNAPPY_OK);

    let mut output = vec![0u8; input.len()];
    let mut output_len = output.len();
    // SAFETY: `output` is writable for `output_len` bytes.
    let status = unsafe {
        sys::snappy_uncompress(
            compressed.as_ptr().cast(),
            compressed.len(),
            output.as_mut_ptr().cast(),
            &mut output_len,
        )
    };
    assert_eq!(status, sys::SNAPPY_OK);
    assert_eq!(output_len, input.len());
    assert_eq!(output, input);

    let mut small = vec![0u8; input.len() - 1];
    let mut small_len = small.len();
    // SAFETY: `small` is writable for `small_len` bytes.
    let status = unsafe {
        sys::snappy_uncompress(
            compressed.as_ptr().cast(),
            compressed.len(),
            small.as_mut_ptr().cast(),
            &mut small_len,
        )
    };
    assert_eq!(status, sys::SNAPPY_BUFFER_TOO_SMALL);
}

#[test]
fn malformed_length_is_invalid_input() {
    // A varint that never ends.
    let bad = [0xffu8; 11];
    let mut recorded = 0usize;
    // SAFETY: `bad` is readable for its length; `recorded` is a valid out-pointer.
    let status =
        unsafe { sys::snappy_uncompressed_length(bad.as_ptr().cast(), bad.len(), &mut recorded) };
    assert_eq!(status, sys::SNAPPY_INVALID_INPUT);
}

#[test]
fn empty_input_is_one_zero_byte() {
    // The raw format of the empty input is the varint of its length, 0, and nothing else.
    let mut compressed = [0u8; 32];
    let mut len = compressed.len();
    // SAFETY: a zero-length input is never read;
    // `compressed` is writable for `len` bytes.
    let status =
        unsafe { sys::snappy_compress([].as_ptr(), 0, compressed.as_mut_ptr().cast(), &mut len) };
    assert_eq!(status, sys::SNAPPY_OK);
    assert_eq!(&compressed[..len], &[0]);
}
