// The AVX2 streaming state (this file is compiled with -mavx2 -mfma -mbmi -mbmi2, so
// HH_TARGET is AVX2). Only called after hh_shim.cc has checked the CPU supports AVX2.
#define HH_TARGET_NAME AVX2
#define ARSENAL_HH_FN(name) avx2_##name
#define ARSENAL_HH_LINKAGE
#include "hh_cat.h"
