// Arsenal's extern "C" shim over Highway's vqsort (hwy::Sorter, hwy/contrib/sort/vqsort.h).
// Our own code; Highway itself comes from the system (Debian's libhwy-dev).
//
// One hwy::Sorter per thread (thread_local): a Sorter owns a small aligned buffer and
// is not meant to be shared between threads that sort at the same time.
#include <stddef.h>
#include <stdint.h>

#include "hwy/base.h"
#include "hwy/contrib/sort/vqsort.h"

// Not hwy/targets.h: its hwy/detect_targets.h refuses to compile (#error "best baseline
// should be included in dynamic targets") when the compiler's baseline is newer than
// Highway 1.0.3 knows, e.g. -march=native on a Sapphire Rapids CPU. The shim needs only
// this one exported function of libhwy and names the bits itself (1.0.3's values).
namespace hwy {
HWY_DLLEXPORT int64_t SupportedTargets();
}

namespace {

const hwy::Sorter& sorter() {
  static thread_local hwy::Sorter s;
  return s;
}

template <typename T>
void sort(T* keys, size_t n, int descending) {
  if (n < 2) return;
  if (descending) {
    sorter()(keys, n, hwy::SortDescending());
  } else {
    sorter()(keys, n, hwy::SortAscending());
  }
}

}  // namespace

extern "C" {

void arsenal_vqsort_u16(uint16_t* keys, size_t n, int descending) { sort(keys, n, descending); }
void arsenal_vqsort_u32(uint32_t* keys, size_t n, int descending) { sort(keys, n, descending); }
void arsenal_vqsort_u64(uint64_t* keys, size_t n, int descending) { sort(keys, n, descending); }
void arsenal_vqsort_i16(int16_t* keys, size_t n, int descending) { sort(keys, n, descending); }
void arsenal_vqsort_i32(int32_t* keys, size_t n, int descending) { sort(keys, n, descending); }
void arsenal_vqsort_i64(int64_t* keys, size_t n, int descending) { sort(keys, n, descending); }
void arsenal_vqsort_f32(float* keys, size_t n, int descending) { sort(keys, n, descending); }
void arsenal_vqsort_f64(double* keys, size_t n, int descending) { sort(keys, n, descending); }
void arsenal_vqsort_u128(hwy::uint128_t* keys, size_t n, int descending) {
  sort(keys, n, descending);
}
void arsenal_vqsort_k64v64(hwy::K64V64* keys, size_t n, int descending) {
  sort(keys, n, descending);
}
void arsenal_vqsort_k32v32(hwy::K32V32* keys, size_t n, int descending) {
  sort(keys, n, descending);
}

int arsenal_vqsort_have_f64(void) { return hwy::Sorter::HaveFloat64() ? 1 : 0; }

const char* arsenal_vqsort_best_target(void) {
  const int64_t targets = hwy::SupportedTargets();
  const int64_t best = targets & -targets;
  if (best == (1LL << 7)) return "AVX3_DL";
  if (best == (1LL << 8)) return "AVX3";
  if (best == (1LL << 9)) return "AVX2";
  if (best == (1LL << 11)) return "SSE4";
  if (best == (1LL << 12)) return "SSSE3";
  if (best == (1LL << 61)) return "EMU128";
  if (best == (1LL << 62)) return "SCALAR";
  return "unknown";
}

}  // extern "C"
