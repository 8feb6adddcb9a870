/* Arsenal's own shim over libdivide 3.0 (header-only; not part of libdivide): its
 * `static inline` generators and dividers as exported functions, plus slice loops so the
 * per-element work is inlined here rather than crossing the FFI boundary per element.
 *
 * Compiled once per level with ARSENAL_LD_LEVEL: 3 (-mavx512f, LIBDIVIDE_AVX512,
 * 16 u32 / 8 u64 per vector), 2 (-mavx2, LIBDIVIDE_AVX2), 0 (no flags, libdivide's scalar
 * code). Each copy exports `arsenal_libdivide_<t>_do_slice_<level>`; the level-0 copy also
 * exports the generators, the scalar dividers and the dispatchers taking the level first.
 *
 * libdivide calls abort() for a divisor of 0 (and for 1 in the branch-free form); the
 * generators here check first and return -1 instead, so they never abort. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if ARSENAL_LD_LEVEL == 3
#define LIBDIVIDE_AVX512
#define LEVEL_NAME avx512
#elif ARSENAL_LD_LEVEL == 2
#define LIBDIVIDE_AVX2
#define LEVEL_NAME avx2
#elif ARSENAL_LD_LEVEL == 0
#define LEVEL_NAME scalar
#else
#error "ARSENAL_LD_LEVEL must be 0, 2 or 3"
#endif
#include <libdivide.h>

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)

#if ARSENAL_LD_LEVEL == 3
typedef __m512i vec_t;
#define VLOAD(p) _mm512_loadu_si512((const void *)(p))
#define VSTORE(p, v) _mm512_storeu_si512((void *)(p), (v))
#define VBYTES 64
#elif ARSENAL_LD_LEVEL == 2
typedef __m256i vec_t;
#define VLOAD(p) _mm256_loadu_si256((const __m256i *)(p))
#define VSTORE(p, v) _mm256_storeu_si256((__m256i *)(p), (v))
#define VBYTES 32
#endif

#if ARSENAL_LD_LEVEL > 0
/* Vector body; the tail goes through a padded vector (padding 0). */
#define SLICE(ty, T, kind)                                                                  \
    void CAT(arsenal_libdivide_##ty##_##kind##do_slice_, LEVEL_NAME)(                      \
        const struct libdivide_##ty##_##kind##t *d, const T *in, T *out, size_t n) {        \
        const size_t w = VBYTES / sizeof(T);                                               \
        size_t i = 0;                                                                      \
        for (; i + w <= n; i += w)                                                         \
            VSTORE(out + i, libdivide_##ty##_##kind##do_vector(VLOAD(in + i), d));          \
        if (i < n) {                                                                       \
            T bi[VBYTES / sizeof(T)], bo[VBYTES / sizeof(T)];                              \
            memset(bi, 0, sizeof bi);                                                      \
            memcpy(bi, in + i, (n - i) * sizeof(T));                                       \
            VSTORE(bo, libdivide_##ty##_##kind##do_vector(VLOAD(bi), d));                   \
            memcpy(out + i, bo, (n - i) * sizeof(T));                                      \
        }                                                                                  \
    }
#else
#define SLICE(ty, T, kind)                                                                  \
    void CAT(arsenal_libdivide_##ty##_##kind##do_slice_, LEVEL_NAME)(                      \
        const struct libdivide_##ty##_##kind##t *d, const T *in, T *out, size_t n) {        \
        for (size_t i = 0; i < n; i++) out[i] = libdivide_##ty##_##kind##do(in[i], d);      \
    }
#endif

SLICE(u32, uint32_t, )
SLICE(u32, uint32_t, branchfree_)
SLICE(u64, uint64_t, )
SLICE(u64, uint64_t, branchfree_)

#if ARSENAL_LD_LEVEL == 0
#define SCALAR_API(ty, T)                                                                   \
    int arsenal_libdivide_##ty##_gen(T d, struct libdivide_##ty##_t *out) {                  \
        if (d == 0) return -1;                                                             \
        *out = libdivide_##ty##_gen(d);                                                     \
        return 0;                                                                          \
    }                                                                                      \
    int arsenal_libdivide_##ty##_branchfree_gen(T d, struct libdivide_##ty##_branchfree_t *out) { \
        if (d <= 1) return -1;                                                             \
        *out = libdivide_##ty##_branchfree_gen(d);                                          \
        return 0;                                                                          \
    }                                                                                      \
    T arsenal_libdivide_##ty##_do(T n, const struct libdivide_##ty##_t *d) {                 \
        return libdivide_##ty##_do(n, d);                                                   \
    }                                                                                      \
    T arsenal_libdivide_##ty##_branchfree_do(T n, const struct libdivide_##ty##_branchfree_t *d) { \
        return libdivide_##ty##_branchfree_do(n, d);                                        \
    }
SCALAR_API(u32, uint32_t)
SCALAR_API(u64, uint64_t)

#if defined(__x86_64__)
#define DECL(ty, T, kind)                                                                   \
    void arsenal_libdivide_##ty##_##kind##do_slice_avx2(const struct libdivide_##ty##_##kind##t *, \
                                                       const T *, T *, size_t);            \
    void arsenal_libdivide_##ty##_##kind##do_slice_avx512(                                  \
        const struct libdivide_##ty##_##kind##t *, const T *, T *, size_t);
#define CASES(ty, kind)                                                                     \
    case 2: arsenal_libdivide_##ty##_##kind##do_slice_avx2(d, in, out, n); return 0;        \
    case 3: arsenal_libdivide_##ty##_##kind##do_slice_avx512(d, in, out, n); return 0;
#else
#define DECL(ty, T, kind)
#define CASES(ty, kind)
#endif
#define DISPATCH(ty, T, kind)                                                               \
    DECL(ty, T, kind)                                                                       \
    int arsenal_libdivide_##ty##_##kind##do_slice(int level,                               \
                                                  const struct libdivide_##ty##_##kind##t *d, \
                                                  const T *in, T *out, size_t n) {        \
        switch (level) {                                                                   \
        case 0: arsenal_libdivide_##ty##_##kind##do_slice_scalar(d, in, out, n); return 0;  \
        CASES(ty, kind)                                                                     \
        default: return -1;                                                                \
        }                                                                                  \
    }
DISPATCH(u32, uint32_t, )
DISPATCH(u32, uint32_t, branchfree_)
DISPATCH(u64, uint64_t, )
DISPATCH(u64, uint64_t, branchfree_)

int arsenal_libdivide_version(void) {
    return LIBDIVIDE_VERSION_MAJOR * 100 + LIBDIVIDE_VERSION_MINOR;
}
#endif
