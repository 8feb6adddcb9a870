//! -sys smoke test: the shim's two map kinds insert, look up, remove and iterate, and the
//! reserve sizes that abort or corrupt a bare `absl::flat_hash_map` (`SIZE_MAX`, 2^40
//! elements) come back as statuses with the map untouched.
use arsenal_absl_sys as sys;
use core::ptr;

#[test]
fn u64_map_round_trip_and_hostile_reserves() {
    // SAFETY: `map` is a live handle from `_new` until `_free`; every out-pointer is a
    // live local; the key/value arrays are live slices of the lengths passed.
    unsafe {
        let map = sys::arsenal_absl_u64_new();
        assert!(!map.is_null());
        let (mut old, mut replaced) = (0u64, 0);
        for k in 0..1000u64 {
            let st = sys::arsenal_absl_u64_insert(map, k, k * 3, &mut old, &mut replaced);
            assert_eq!((st, replaced), (sys::ARSENAL_ABSL_OK, 0));
        }
        assert_eq!(
            sys::arsenal_absl_u64_insert(map, 7, 1, &mut old, &mut replaced),
            0
        );
        assert_eq!((old, replaced), (21, 1));
        assert_eq!(sys::arsenal_absl_u64_len(map), 1000);
        let mut v = 0;
        assert_eq!(sys::arsenal_absl_u64_get(map, 999, &mut v), 1);
        assert_eq!(v, 2997);
        assert_eq!(sys::arsenal_absl_u64_get(map, 1000, &mut v), 0);

        let keys = [1u64, 5000, 2];
        let mut values = [0u64; 3];
        let mut found = [9u8; 3];
        let hits = sys::arsenal_absl_u64_get_many(
            map,
            keys.as_ptr(),
            3,
            values.as_mut_ptr(),
            found.as_mut_ptr(),
        );
        assert_eq!((hits, found, values[0], values[2]), (2, [1, 0, 1], 3, 6));

        for huge in [usize::MAX, usize::MAX / 2, 1 << 62] {
            assert_eq!(
                sys::arsenal_absl_u64_reserve(map, huge),
                sys::ARSENAL_ABSL_CAPACITY
            );
        }
        // 2^40 elements: addressable, but the 17 TiB allocation fails when tried first.
        assert_eq!(
            sys::arsenal_absl_u64_reserve(map, 1 << 40),
            sys::ARSENAL_ABSL_NOMEM
        );
        assert_eq!(sys::arsenal_absl_u64_len(map), 1000);
        assert_eq!(
            sys::arsenal_absl_u64_reserve(map, 10_000),
            sys::ARSENAL_ABSL_OK
        );
        assert!(sys::arsenal_absl_u64_capacity(map) >= 11_000);
        assert!(sys::arsenal_absl_u64_heap_bytes(map) >= 11_000 * 17);

        let it = sys::arsenal_absl_u64_iter_new(map);
        let (mut ks, mut vs) = ([0u64; 64], [0u64; 64]);
        let mut sum = 0;
        loop {
            let n = sys::arsenal_absl_u64_iter_next(it, ks.as_mut_ptr(), vs.as_mut_ptr(), 64);
            if n == 0 {
                break;
            }
            sum += n;
        }
        sys::arsenal_absl_u64_iter_free(it);
        assert_eq!(sum, 1000);

        assert_eq!(sys::arsenal_absl_u64_remove(map, 7, &mut old), 1);
        assert_eq!(old, 1);
        assert_eq!(sys::arsenal_absl_u64_remove(map, 7, &mut old), 0);
        sys::arsenal_absl_u64_clear(map);
        assert_eq!(sys::arsenal_absl_u64_len(map), 0);
        sys::arsenal_absl_u64_free(map);
        sys::arsenal_absl_u64_free(ptr::null_mut());
    }
}

#[test]
fn bytes_map_round_trip() {
    // SAFETY: as above; key pointers come from live slices (or are dangling with length
    // 0, which the shim accepts); iterator key pointers are read before the map changes.
    unsafe {
        let map = sys::arsenal_absl_bytes_new();
        let (mut old, mut replaced) = (0u64, 0);
        let long = vec![b'x'; 1000];
        for (i, key) in [&b""[..], b"a", b"hello", &long].iter().enumerate() {
            let st = sys::arsenal_absl_bytes_insert(
                map,
                key.as_ptr(),
                key.len(),
                i as u64,
                &mut old,
                &mut replaced,
            );
            assert_eq!((st, replaced), (0, 0));
        }
        let mut v = 0;
        assert_eq!(
            sys::arsenal_absl_bytes_get(map, ptr::NonNull::dangling().as_ptr(), 0, &mut v),
            1
        );
        assert_eq!(v, 0);
        assert_eq!(
            sys::arsenal_absl_bytes_get(map, long.as_ptr(), 1000, &mut v),
            1
        );
        assert_eq!(v, 3);
        assert_eq!(
            sys::arsenal_absl_bytes_get(map, long.as_ptr(), 999, &mut v),
            0
        );
        assert!(sys::arsenal_absl_bytes_heap_bytes(map) > 1000);
        assert_eq!(
            sys::arsenal_absl_bytes_reserve(map, usize::MAX),
            sys::ARSENAL_ABSL_CAPACITY
        );

        let it = sys::arsenal_absl_bytes_iter_new(map);
        let (mut k, mut len, mut total) = (ptr::null(), 0usize, 0usize);
        while sys::arsenal_absl_bytes_iter_next(it, &mut k, &mut len, &mut v) == 1 {
            total += len;
        }
        sys::arsenal_absl_bytes_iter_free(it);
        assert_eq!(total, 1006);
        assert_eq!(
            sys::arsenal_absl_bytes_remove(map, b"a".as_ptr(), 1, &mut old),
            1
        );
        assert_eq!(sys::arsenal_absl_bytes_len(map), 3);
        sys::arsenal_absl_bytes_free(map);
    }
}
