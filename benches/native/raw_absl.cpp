// raw:abseil — absl::flat_hash_map used directly from C++, the loops timed inside C++ (no
// FFI per operation): the ceiling our arsenal:abseil rows (one FFI call per operation)
// are compared with. Maps are made once per cell (outside the timing) by
// raw_absl_*_build and freed by raw_absl_*_free. Exceptions (std::bad_alloc) abort here:
// this is benchmark code on fixed, small datasets, not a library surface.
#include <absl/container/flat_hash_map.h>
#include <absl/strings/string_view.h>

#include <cstddef>
#include <cstdint>
#include <string>

using U64Map = absl::flat_hash_map<uint64_t, uint64_t>;
using BytesMap = absl::flat_hash_map<std::string, uint64_t>;

extern "C" {

// A new map of keys[i] -> i.
void* raw_absl_u64_build(const uint64_t* keys, size_t n) {
  auto* m = new U64Map();
  for (size_t i = 0; i < n; i++) m->insert_or_assign(keys[i], i);
  return m;
}

void raw_absl_u64_free(void* m) { delete static_cast<U64Map*>(m); }

// Builds a map of keys[i] -> i from empty (growing as it goes) and frees it: its size.
uint64_t raw_absl_u64_insert(const uint64_t* keys, size_t n) {
  U64Map m;
  for (size_t i = 0; i < n; i++) m.insert_or_assign(keys[i], i);
  return m.size();
}

// The sum of the values found plus the number found.
uint64_t raw_absl_u64_lookup(const void* map, const uint64_t* keys, size_t n) {
  const U64Map& m = *static_cast<const U64Map*>(map);
  uint64_t sum = 0;
  for (size_t i = 0; i < n; i++) {
    auto it = m.find(keys[i]);
    if (it != m.end()) sum += it->second + 1;
  }
  return sum;
}

// Inserts keys[i] -> i into `map` (empty, kept grown), then removes every key: the sum
// of the removed values plus the number removed.
uint64_t raw_absl_u64_churn(void* map, const uint64_t* keys, size_t n) {
  U64Map& m = *static_cast<U64Map*>(map);
  for (size_t i = 0; i < n; i++) m.insert_or_assign(keys[i], i);
  uint64_t sum = 0;
  for (size_t i = 0; i < n; i++) {
    auto it = m.find(keys[i]);
    if (it != m.end()) {
      sum += it->second + 1;
      m.erase(it);
    }
  }
  return sum;
}

// Byte-string keys: key i is bytes[offsets[i] .. offsets[i + 1]].
static absl::string_view key_at(const uint8_t* bytes, const size_t* offsets, size_t i) {
  return absl::string_view(reinterpret_cast<const char*>(bytes) + offsets[i],
                           offsets[i + 1] - offsets[i]);
}

void* raw_absl_bytes_build(const uint8_t* bytes, const size_t* offsets, size_t n) {
  auto* m = new BytesMap();
  for (size_t i = 0; i < n; i++) m->insert_or_assign(std::string(key_at(bytes, offsets, i)), i);
  return m;
}

void raw_absl_bytes_free(void* m) { delete static_cast<BytesMap*>(m); }

uint64_t raw_absl_bytes_insert(const uint8_t* bytes, const size_t* offsets, size_t n) {
  BytesMap m;
  for (size_t i = 0; i < n; i++) m.insert_or_assign(std::string(key_at(bytes, offsets, i)), i);
  return m.size();
}

uint64_t raw_absl_bytes_lookup(const void* map, const uint8_t* bytes, const size_t* offsets,
                               size_t n) {
  const BytesMap& m = *static_cast<const BytesMap*>(map);
  uint64_t sum = 0;
  for (size_t i = 0; i < n; i++) {
    auto it = m.find(key_at(bytes, offsets, i));
    if (it != m.end()) sum += it->second + 1;
  }
  return sum;
}

}  // extern "C"
