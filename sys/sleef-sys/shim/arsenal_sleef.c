/* Arsenal's own shim over SLEEF 3.5 (not part of SLEEF): slice loops over SLEEF's
 * ISA-specific vector functions, so no SIMD vector type ever crosses the Rust/C boundary
 * (passing __m512d by value through `extern "C"` from Rust is an ABI hazard).
 *
 * This file is compiled once per level, with ARSENAL_SLEEF_LEVEL set to 3 (-mavx512f,
 * SLEEF's *avx512f functions), 2 (-mavx2 -mfma, SLEEF's *avx2 functions) or 0 (no flags,
 * SLEEF's scalar functions); each copy exports `arsenal_sleef_<fn><d|f>_<u10|u35>_<level>`.
 * The level-0 copy also exports the dispatchers `arsenal_sleef_<fn><d|f>_<u10|u35>(level,
 * ...)`, which call the copy of the given level. Calling a level the CPU lacks is undefined
 * behaviour (an illegal instruction): the caller checks the CPU first.
 *
 * The tail of a slice (fewer elements than one vector) is copied into a padded vector
 * (padding 1.0), so every element goes through the same vector function. */
#include <stddef.h>
#include <string.h>
#if ARSENAL_SLEEF_LEVEL > 0
#include <immintrin.h>
#endif
#include <sleef.h>

#if ARSENAL_SLEEF_LEVEL == 3
#define LEVEL_NAME avx512
#define VD __m512d
#define VF __m512
#define WD 8
#define WF 16
#define LOADD _mm512_loadu_pd
#define LOADF _mm512_loadu_ps
#define STORED _mm512_storeu_pd
#define STOREF _mm512_storeu_ps
#define SLEEF_D(fn, prec) Sleef_##fn##d8_##prec##avx512f
#define SLEEF_F(fn, prec) Sleef_##fn##f16_##prec##avx512f
#elif ARSENAL_SLEEF_LEVEL == 2
#define LEVEL_NAME avx2
#define VD __m256d
#define VF __m256
#define WD 4
#define WF 8
#define LOADD _mm256_loadu_pd
#define LOADF _mm256_loadu_ps
#define STORED _mm256_storeu_pd
#define STOREF _mm256_storeu_ps
#define SLEEF_D(fn, prec) Sleef_##fn##d4_##prec##avx2
#define SLEEF_F(fn, prec) Sleef_##fn##f8_##prec##avx2
#elif ARSENAL_SLEEF_LEVEL == 0
#define LEVEL_NAME scalar
#else
#error "ARSENAL_SLEEF_LEVEL must be 0, 2 or 3"
#endif

#define CAT3_(a, b, c) a##b##c
#define CAT3(a, b, c) CAT3_(a, b, c)
#define NAME(fn, t, prec) CAT3(arsenal_sleef_##fn##t##_##prec, _, LEVEL_NAME)

#if ARSENAL_SLEEF_LEVEL > 0
/* One unary loop over vectors of W elements of type T (vector type V). */
#define UNARY(fn, t, prec, T, V, W, LOAD, STORE, SLEEF)                                   \
    void NAME(fn, t, prec)(const T *x, T *out, size_t n) {                                \
        size_t i = 0;                                                                     \
        for (; i + W <= n; i += W) STORE(out + i, SLEEF(fn, prec)(LOAD(x + i)));          \
        if (i < n) {                                                                      \
            T bx[W], bo[W];                                                               \
            for (size_t j = 0; j < W; j++) bx[j] = 1;                                     \
            memcpy(bx, x + i, (n - i) * sizeof(T));                                       \
            STORE(bo, SLEEF(fn, prec)(LOAD(bx)));                                         \
            memcpy(out + i, bo, (n - i) * sizeof(T));                                     \
        }                                                                                 \
    }
#define BINARY(fn, t, prec, T, V, W, LOAD, STORE, SLEEF)                                  \
    void NAME(fn, t, prec)(const T *x, const T *y, T *out, size_t n) {                    \
        size_t i = 0;                                                                     \
        for (; i + W <= n; i += W)                                                        \
            STORE(out + i, SLEEF(fn, prec)(LOAD(x + i), LOAD(y + i)));                    \
        if (i < n) {                                                                      \
            T bx[W], by[W], bo[W];                                                        \
            for (size_t j = 0; j < W; j++) bx[j] = by[j] = 1;                             \
            memcpy(bx, x + i, (n - i) * sizeof(T));                                       \
            memcpy(by, y + i, (n - i) * sizeof(T));                                       \
            STORE(bo, SLEEF(fn, prec)(LOAD(bx), LOAD(by)));                               \
            memcpy(out + i, bo, (n - i) * sizeof(T));                                     \
        }                                                                                 \
    }
#define U_D(fn, prec) UNARY(fn, d, prec, double, VD, WD, LOADD, STORED, SLEEF_D)
#define U_F(fn, prec) UNARY(fn, f, prec, float, VF, WF, LOADF, STOREF, SLEEF_F)
#define B_D(fn, prec) BINARY(fn, d, prec, double, VD, WD, LOADD, STORED, SLEEF_D)
#define B_F(fn, prec) BINARY(fn, f, prec, float, VF, WF, LOADF, STOREF, SLEEF_F)
#else
/* Scalar: SLEEF's scalar functions Sleef_<fn>_<prec> (double), Sleef_<fn>f_<prec> (float). */
#define U_D(fn, prec)                                                                     \
    void NAME(fn, d, prec)(const double *x, double *out, size_t n) {                      \
        for (size_t i = 0; i < n; i++) out[i] = Sleef_##fn##_##prec(x[i]);                \
    }
#define U_F(fn, prec)                                                                     \
    void NAME(fn, f, prec)(const float *x, float *out, size_t n) {                        \
        for (size_t i = 0; i < n; i++) out[i] = Sleef_##fn##f_##prec(x[i]);               \
    }
#define B_D(fn, prec)                                                                     \
    void NAME(fn, d, prec)(const double *x, const double *y, double *out, size_t n) {     \
        for (size_t i = 0; i < n; i++) out[i] = Sleef_##fn##_##prec(x[i], y[i]);          \
    }
#define B_F(fn, prec)                                                                     \
    void NAME(fn, f, prec)(const float *x, const float *y, float *out, size_t n) {        \
        for (size_t i = 0; i < n; i++) out[i] = Sleef_##fn##f_##prec(x[i], y[i]);         \
    }
#endif

/* SLEEF 3.5 has exp and pow only in 1.0-ULP form; log, sin, cos, tanh in both. */
#define EVERY_UNARY(X)                                                                    \
    X(exp, u10) X(log, u10) X(log, u35) X(sin, u10) X(sin, u35) X(cos, u10) X(cos, u35)   \
    X(tanh, u10) X(tanh, u35)

#define BOTH_U(fn, prec) U_D(fn, prec) U_F(fn, prec)
EVERY_UNARY(BOTH_U)
B_D(pow, u10)
B_F(pow, u10)

#if ARSENAL_SLEEF_LEVEL == 0
/* Dispatchers: level 0 scalar, 2 AVX2+FMA, 3 AVX-512F; any other level returns -1. */
#if defined(__x86_64__)
#define DECL_U(fn, t, prec, T)                                                            \
    void arsenal_sleef_##fn##t##_##prec##_avx2(const T *, T *, size_t);                   \
    void arsenal_sleef_##fn##t##_##prec##_avx512(const T *, T *, size_t);
#define DECL_B(fn, t, prec, T)                                                            \
    void arsenal_sleef_##fn##t##_##prec##_avx2(const T *, const T *, T *, size_t);        \
    void arsenal_sleef_##fn##t##_##prec##_avx512(const T *, const T *, T *, size_t);
#define CASES_U(fn, t, prec)                                                              \
    case 2: arsenal_sleef_##fn##t##_##prec##_avx2(x, out, n); return 0;                   \
    case 3: arsenal_sleef_##fn##t##_##prec##_avx512(x, out, n); return 0;
#define CASES_B(fn, t, prec)                                                              \
    case 2: arsenal_sleef_##fn##t##_##prec##_avx2(x, y, out, n); return 0;                \
    case 3: arsenal_sleef_##fn##t##_##prec##_avx512(x, y, out, n); return 0;
#else
#define DECL_U(fn, t, prec, T)
#define DECL_B(fn, t, prec, T)
#define CASES_U(fn, t, prec)
#define CASES_B(fn, t, prec)
#endif
#define DISPATCH_U(fn, t, prec, T)                                                        \
    DECL_U(fn, t, prec, T)                                                                \
    int arsenal_sleef_##fn##t##_##prec(int level, const T *x, T *out, size_t n) {         \
        switch (level) {                                                                  \
        case 0: arsenal_sleef_##fn##t##_##prec##_scalar(x, out, n); return 0;             \
        CASES_U(fn, t, prec)                                                              \
        default: return -1;                                                               \
        }                                                                                 \
    }
#define DISPATCH_B(fn, t, prec, T)                                                        \
    DECL_B(fn, t, prec, T)                                                                \
    int arsenal_sleef_##fn##t##_##prec(int level, const T *x, const T *y, T *out,         \
                                       size_t n) {                                        \
        switch (level) {                                                                  \
        case 0: arsenal_sleef_##fn##t##_##prec##_scalar(x, y, out, n); return 0;          \
        CASES_B(fn, t, prec)                                                              \
        default: return -1;                                                               \
        }                                                                                 \
    }
#define BOTH_DISPATCH(fn, prec) DISPATCH_U(fn, d, prec, double) DISPATCH_U(fn, f, prec, float)
EVERY_UNARY(BOTH_DISPATCH)
DISPATCH_B(pow, d, u10, double)
DISPATCH_B(pow, f, u10, float)

int arsenal_sleef_version(void) {
    return SLEEF_VERSION_MAJOR * 10000 + SLEEF_VERSION_MINOR * 100 + SLEEF_VERSION_PATCHLEVEL;
}
#endif
