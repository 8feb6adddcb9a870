// Our streaming HighwayHash state, instantiated once per translation unit for the target
// that unit is compiled for (HH_TARGET follows the compiler flags): hh_shim.cc gets the
// portable state, hh_shim_avx2.cc the AVX2 one. Each defines ARSENAL_HH_FN(name) to give
// its functions distinct names and ARSENAL_HH_LINKAGE their linkage (external in the AVX2
// unit, which hh_shim.cc calls into; inline in hh_shim.cc). hh_shim.cc exports the
// dispatching extern "C" API.
#ifndef ARSENAL_HH_CAT_H_
#define ARSENAL_HH_CAT_H_

#include <new>

#include "highwayhash/highwayhash.h"

namespace arsenal_hh {
using Cat = highwayhash::HighwayHashCatT<HH_TARGET>;

ARSENAL_HH_LINKAGE void* ARSENAL_HH_FN(new_state)(const uint64_t* key) {
  // C++17 aligned new honours the 64-byte alignment of the packet buffer.
  return new (std::nothrow) Cat(*reinterpret_cast<const highwayhash::HHKey*>(key));
}
ARSENAL_HH_LINKAGE void ARSENAL_HH_FN(free_state)(void* state) { delete static_cast<Cat*>(state); }
ARSENAL_HH_LINKAGE void ARSENAL_HH_FN(reset)(void* state, const uint64_t* key) {
  static_cast<Cat*>(state)->Reset(*reinterpret_cast<const highwayhash::HHKey*>(key));
}
ARSENAL_HH_LINKAGE void ARSENAL_HH_FN(append)(void* state, const char* bytes, size_t len) {
  static_cast<Cat*>(state)->Append(bytes, len);
}
// Finalize may be called only once per Reset: finalize a copy so the state stays usable.
ARSENAL_HH_LINKAGE uint64_t ARSENAL_HH_FN(finish64)(const void* state) {
  Cat copy = *static_cast<const Cat*>(state);
  highwayhash::HHResult64 out;
  copy.Finalize(&out);
  return out;
}
ARSENAL_HH_LINKAGE void ARSENAL_HH_FN(finish128)(const void* state, uint64_t* out) {
  Cat copy = *static_cast<const Cat*>(state);
  copy.Finalize(reinterpret_cast<highwayhash::HHResult128*>(out));
}
ARSENAL_HH_LINKAGE void ARSENAL_HH_FN(finish256)(const void* state, uint64_t* out) {
  Cat copy = *static_cast<const Cat*>(state);
  copy.Finalize(reinterpret_cast<highwayhash::HHResult256*>(out));
}
}  // namespace arsenal_hh

#endif  // ARSENAL_HH_CAT_H_
