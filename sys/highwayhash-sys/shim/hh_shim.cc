// extern "C" HighwayHash for Rust: one-shot 64/128/256-bit hashing through the library's
// own run-time dispatch (InstructionSets::Run over its per-target instantiations), and a
// streaming state (HighwayHashCatT) for the best target this CPU supports: AVX2 from
// hh_shim_avx2.cc where available, else the portable one compiled here. Every target
// gives identical results. No logic beyond dispatch.
#include <stddef.h>
#include <stdint.h>

#define HH_TARGET_NAME Portable
#define ARSENAL_HH_FN(name) portable_##name
#define ARSENAL_HH_LINKAGE inline
#include "hh_cat.h"
#include "highwayhash/highwayhash_target.h"
#include "highwayhash/instruction_sets.h"

using highwayhash::HHKey;
using highwayhash::HHResult128;
using highwayhash::HHResult256;
using highwayhash::HHResult64;
using highwayhash::InstructionSets;

#if defined(__x86_64__)
namespace arsenal_hh {
void* avx2_new_state(const uint64_t* key);
void avx2_free_state(void* state);
void avx2_reset(void* state, const uint64_t* key);
void avx2_append(void* state, const char* bytes, size_t len);
uint64_t avx2_finish64(const void* state);
void avx2_finish128(const void* state, uint64_t* out);
void avx2_finish256(const void* state, uint64_t* out);
}  // namespace arsenal_hh
#define ARSENAL_HH_HAVE_AVX2 1
#else
#define ARSENAL_HH_HAVE_AVX2 0
#endif

namespace {
struct State {
  bool avx2;
  void* impl;
};

bool use_avx2() {
#if ARSENAL_HH_HAVE_AVX2
  static const bool avx2 = (InstructionSets::Supported() & HH_TARGET_AVX2) != 0;
  return avx2;
#else
  return false;
#endif
}
}  // namespace

#if ARSENAL_HH_HAVE_AVX2
#define DISPATCH(st, name, ...) \
  ((st)->avx2 ? arsenal_hh::avx2_##name(__VA_ARGS__) : arsenal_hh::portable_##name(__VA_ARGS__))
#else
#define DISPATCH(st, name, ...) arsenal_hh::portable_##name(__VA_ARGS__)
#endif

extern "C" {

uint64_t arsenal_hh_hash64(const uint64_t* key, const char* bytes, size_t len) {
  HHResult64 out = 0;
  InstructionSets::Run<highwayhash::HighwayHash>(*reinterpret_cast<const HHKey*>(key), bytes,
                                                 len, &out);
  return out;
}

void arsenal_hh_hash128(const uint64_t* key, const char* bytes, size_t len, uint64_t* out) {
  InstructionSets::Run<highwayhash::HighwayHash>(*reinterpret_cast<const HHKey*>(key), bytes,
                                                 len, reinterpret_cast<HHResult128*>(out));
}

void arsenal_hh_hash256(const uint64_t* key, const char* bytes, size_t len, uint64_t* out) {
  InstructionSets::Run<highwayhash::HighwayHash>(*reinterpret_cast<const HHKey*>(key), bytes,
                                                 len, reinterpret_cast<HHResult256*>(out));
}

void* arsenal_hh_cat_new(const uint64_t* key) {
  State* st = new (std::nothrow) State{use_avx2(), nullptr};
  if (st == nullptr) return nullptr;
  st->impl = DISPATCH(st, new_state, key);
  if (st->impl == nullptr) {
    delete st;
    return nullptr;
  }
  return st;
}

void arsenal_hh_cat_free(void* state) {
  if (state == nullptr) return;
  State* st = static_cast<State*>(state);
  DISPATCH(st, free_state, st->impl);
  delete st;
}

void arsenal_hh_cat_reset(void* state, const uint64_t* key) {
  State* st = static_cast<State*>(state);
  DISPATCH(st, reset, st->impl, key);
}

void arsenal_hh_cat_append(void* state, const char* bytes, size_t len) {
  State* st = static_cast<State*>(state);
  DISPATCH(st, append, st->impl, bytes, len);
}

uint64_t arsenal_hh_cat_finish64(const void* state) {
  const State* st = static_cast<const State*>(state);
  return DISPATCH(st, finish64, st->impl);
}

void arsenal_hh_cat_finish128(const void* state, uint64_t* out) {
  const State* st = static_cast<const State*>(state);
  DISPATCH(st, finish128, st->impl, out);
}

void arsenal_hh_cat_finish256(const void* state, uint64_t* out) {
  const State* st = static_cast<const State*>(state);
  DISPATCH(st, finish256, st->impl, out);
}

int arsenal_hh_cat_is_avx2(const void* state) {
  return static_cast<const State*>(state)->avx2 ? 1 : 0;
}

}  // extern "C"
