/*
 * Arsenal's XXH3 / XXH64 one-shot and streaming entry points, compiled from the
 * installed xxhash.h in its header-only form (XXH_INLINE_ALL: every xxHash function is
 * static in this file). build.rs compiles this file once per x86-64 vector level, with
 * ARSENAL_XXH_LEVEL naming the level (sse2, avx2, avx512; `generic` elsewhere) and
 * XXH_VECTOR plus the matching -m flags choosing xxHash's accumulate loop, so the
 * copies do not clash. arsenal-hash picks one at run time from the CPU's features (what
 * upstream's xxh_x86dispatch.c does, which Debian does not ship).
 *
 * The streaming functions take a state from the library's XXH3_createState, whose
 * layout is the header's XXH3_state_t in both forms; the vector level changes only how
 * stripes are accumulated, never the result.
 */
#define XXH_INLINE_ALL
#include <xxhash.h>

#ifndef ARSENAL_XXH_LEVEL
#error "build.rs defines ARSENAL_XXH_LEVEL"
#endif

#define ARSENAL_CAT2(a, b) a##_##b
#define ARSENAL_CAT(a, b) ARSENAL_CAT2(a, b)
#define ARSENAL_NAME(f) ARSENAL_CAT(f, ARSENAL_XXH_LEVEL)

XXH64_hash_t ARSENAL_NAME(arsenal_xxh3_64)(const void *input, size_t len, XXH64_hash_t seed)
{
    return XXH3_64bits_withSeed(input, len, seed);
}

XXH128_hash_t ARSENAL_NAME(arsenal_xxh3_128)(const void *input, size_t len, XXH64_hash_t seed)
{
    return XXH3_128bits_withSeed(input, len, seed);
}

XXH_errorcode ARSENAL_NAME(arsenal_xxh3_64_update)(XXH3_state_t *state, const void *input, size_t len)
{
    return XXH3_64bits_update(state, input, len);
}

XXH64_hash_t ARSENAL_NAME(arsenal_xxh3_64_digest)(const XXH3_state_t *state)
{
    return XXH3_64bits_digest(state);
}

XXH_errorcode ARSENAL_NAME(arsenal_xxh3_128_update)(XXH3_state_t *state, const void *input, size_t len)
{
    return XXH3_128bits_update(state, input, len);
}

XXH128_hash_t ARSENAL_NAME(arsenal_xxh3_128_digest)(const XXH3_state_t *state)
{
    return XXH3_128bits_digest(state);
}

XXH64_hash_t ARSENAL_NAME(arsenal_xxh64)(const void *input, size_t len, XXH64_hash_t seed)
{
    return XXH64(input, len, seed);
}
