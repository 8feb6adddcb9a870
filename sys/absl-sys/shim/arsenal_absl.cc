// Our extern "C" shim over Abseil's absl::flat_hash_map (Swiss table) for two map kinds:
// u64 -> u64 and bytes -> u64 (keys copied into std::string). No exception leaves this
// file: every entry point that can allocate catches, and reports a status code.
//
// Abseil (20220623 and later) cannot recover from a failed allocation while it grows:
// resize() stores the new capacity before allocating, so after std::bad_alloc the table
// is inconsistent and its destructor frees the wrong layout (seen: "double free" abort
// after reserve(2^40)), and reserve() above max_size() aborts outright ("Hash table size
// overflow"). So:
//   - reserve() requests are bounded here (max_size(), and the byte size the table
//     would allocate must fit in a size_t) before Abseil sees them: ARSENAL_ABSL_CAPACITY;
//   - before an insert that must grow the table (size == growth limit of the capacity),
//     and before reserve(), the allocation the table is about to make is tried first with
//     malloc: if it fails the map is untouched and the call returns ARSENAL_ABSL_NOMEM;
//   - if Abseil still throws while growing (tombstones can trigger growth below the
//     limit), the inconsistent table is leaked, never destroyed nor read again, and a
//     fresh empty table is constructed in its place: ARSENAL_ABSL_NOMEM_RESET.
#include <absl/container/flat_hash_map.h>
#include <absl/strings/string_view.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <utility>

extern "C" {
enum {
  ARSENAL_ABSL_OK = 0,
  ARSENAL_ABSL_NOMEM = 1,
  ARSENAL_ABSL_CAPACITY = 2,
  ARSENAL_ABSL_NOMEM_RESET = 3,
};
}

namespace {

using U64Map = absl::flat_hash_map<uint64_t, uint64_t>;
using BytesMap = absl::flat_hash_map<std::string, uint64_t>;

// The map lives in raw storage so that a corrupt table can be abandoned (leaked) and a
// new one constructed in the same place.
template <class Map>
struct Handle {
  alignas(Map) unsigned char storage[sizeof(Map)];
  Map& map() { return *std::launder(reinterpret_cast<Map*>(storage)); }
  const Map& map() const {
    return *std::launder(reinterpret_cast<const Map*>(storage));
  }
};

template <class Map>
Handle<Map>* handle_new() {
  void* mem = std::malloc(sizeof(Handle<Map>));
  if (mem == nullptr) return nullptr;
  auto* h = static_cast<Handle<Map>*>(mem);
  new (h->storage) Map();  // no allocation: an empty table points at a static group
  return h;
}

template <class Map>
void handle_free(Handle<Map>* h) {
  if (h == nullptr) return;
  h->map().~Map();
  std::free(h);
}

// Abandons a table left inconsistent by a failed resize: its memory is leaked (freeing
// it would use the wrong layout) and an empty table takes its place.
template <class Map>
void abandon(Handle<Map>* h) {
  new (h->storage) Map();
}

template <class Map>
constexpr size_t slot_size() {
  return sizeof(typename Map::value_type);
}

// The bytes Abseil allocates for `capacity` slots (control bytes, the cloned group,
// padding, slots), or 0 when that overflows a size_t. An over-estimate by a few bytes is
// fine: it is only tried with malloc.
template <class Map>
size_t alloc_bytes(size_t capacity) {
  const size_t slot = slot_size<Map>();
  const size_t ctrl = capacity + 1 + 16 + alignof(typename Map::value_type);
  if (capacity > (SIZE_MAX - ctrl) / slot) return 0;
  return ctrl + capacity * slot;
}

// Abseil's growth limit for a capacity (7/8 of it; small tables differ but their
// allocations are tiny, so the check is skipped for them).
inline size_t growth_limit(size_t capacity) { return capacity - capacity / 8; }

// The next valid capacity (2^k - 1) holding `n` elements at 7/8 load, or 0 on overflow.
inline size_t capacity_for(size_t n) {
  size_t want = n + (n > 0 ? (n - 1) / 7 : 0);
  if (want < n) return 0;
  size_t cap = 1;
  while (cap < want) {
    if (cap > SIZE_MAX / 2) return 0;
    cap = cap * 2 + 1;
  }
  return cap;
}

// Tries the allocation a table of `capacity` slots needs: false when it fails.
template <class Map>
bool try_allocation(size_t capacity) {
  const size_t bytes = alloc_bytes<Map>(capacity);
  if (bytes == 0) return false;
  void* probe = std::malloc(bytes);
  if (probe == nullptr) return false;
  std::free(probe);
  return true;
}

// Before inserting a new key: if the table is at its growth limit, the insert will
// double it; try that allocation first.
template <class Map>
bool can_grow_for_insert(const Map& m) {
  const size_t cap = m.capacity();
  if (cap < 64 || m.size() < growth_limit(cap)) return true;
  return try_allocation<Map>(cap * 2 + 1);
}

template <class Map>
int reserve_impl(Handle<Map>* h, size_t additional) {
  Map& m = h->map();
  const size_t size = m.size();
  if (additional > SIZE_MAX - size) return ARSENAL_ABSL_CAPACITY;
  const size_t total = size + additional;
  if (total > m.max_size()) return ARSENAL_ABSL_CAPACITY;
  const size_t cap = capacity_for(total);
  if (cap == 0 || alloc_bytes<Map>(cap) == 0) return ARSENAL_ABSL_CAPACITY;
  if (cap > m.capacity() && !try_allocation<Map>(cap)) return ARSENAL_ABSL_NOMEM;
  try {
    m.reserve(total);
  } catch (...) {
    abandon(h);
    return ARSENAL_ABSL_NOMEM_RESET;
  }
  return ARSENAL_ABSL_OK;
}

template <class Map>
size_t heap_bytes_impl(const Map& m) {
  const size_t cap = m.capacity();
  return cap == 0 ? 0 : alloc_bytes<Map>(cap);
}

// A key's bytes; `key` may be dangling when `len` is 0 (Rust's empty slices).
absl::string_view view(const uint8_t* key, size_t len) {
  return len == 0 ? absl::string_view()
                  : absl::string_view(reinterpret_cast<const char*>(key), len);
}

}  // namespace

extern "C" {

typedef Handle<U64Map> arsenal_absl_u64;
typedef Handle<BytesMap> arsenal_absl_bytes;

// ---- u64 -> u64 ----

arsenal_absl_u64* arsenal_absl_u64_new(void) { return handle_new<U64Map>(); }

void arsenal_absl_u64_free(arsenal_absl_u64* h) { handle_free(h); }

int arsenal_absl_u64_reserve(arsenal_absl_u64* h, size_t additional) {
  return reserve_impl(h, additional);
}

int arsenal_absl_u64_insert(arsenal_absl_u64* h, uint64_t key, uint64_t value,
                            uint64_t* old, int* replaced) {
  U64Map& m = h->map();
  auto it = m.find(key);
  if (it != m.end()) {
    *old = it->second;
    *replaced = 1;
    it->second = value;
    return ARSENAL_ABSL_OK;
  }
  *replaced = 0;
  if (!can_grow_for_insert(m)) return ARSENAL_ABSL_NOMEM;
  try {
    m.emplace(key, value);
  } catch (...) {
    abandon(h);
    return ARSENAL_ABSL_NOMEM_RESET;
  }
  return ARSENAL_ABSL_OK;
}

// Inserts (or overwrites) `n` pairs; stops at the first failure and stores how many
// pairs were applied in `*done`.
int arsenal_absl_u64_insert_many(arsenal_absl_u64* h, const uint64_t* keys,
                                 const uint64_t* values, size_t n, size_t* done) {
  U64Map& m = h->map();
  for (size_t i = 0; i < n; i++) {
    if (!can_grow_for_insert(m)) {
      *done = i;
      return ARSENAL_ABSL_NOMEM;
    }
    try {
      m.insert_or_assign(keys[i], values[i]);
    } catch (...) {
      abandon(h);
      *done = i;
      return ARSENAL_ABSL_NOMEM_RESET;
    }
  }
  *done = n;
  return ARSENAL_ABSL_OK;
}

int arsenal_absl_u64_get(const arsenal_absl_u64* h, uint64_t key, uint64_t* value) {
  const U64Map& m = h->map();
  auto it = m.find(key);
  if (it == m.end()) return 0;
  *value = it->second;
  return 1;
}

// Looks up `n` keys: found[i] = 1 and values[i] = the value, or found[i] = 0 (values[i]
// untouched). Returns the number found.
size_t arsenal_absl_u64_get_many(const arsenal_absl_u64* h, const uint64_t* keys,
                                 size_t n, uint64_t* values, uint8_t* found) {
  const U64Map& m = h->map();
  size_t hits = 0;
  for (size_t i = 0; i < n; i++) {
    auto it = m.find(keys[i]);
    if (it == m.end()) {
      found[i] = 0;
    } else {
      found[i] = 1;
      values[i] = it->second;
      hits++;
    }
  }
  return hits;
}

int arsenal_absl_u64_remove(arsenal_absl_u64* h, uint64_t key, uint64_t* old) {
  U64Map& m = h->map();
  auto it = m.find(key);
  if (it == m.end()) return 0;
  *old = it->second;
  m.erase(it);
  return 1;
}

size_t arsenal_absl_u64_len(const arsenal_absl_u64* h) { return h->map().size(); }

size_t arsenal_absl_u64_capacity(const arsenal_absl_u64* h) {
  return h->map().capacity();
}

size_t arsenal_absl_u64_heap_bytes(const arsenal_absl_u64* h) {
  return heap_bytes_impl(h->map());
}

// clear() keeps large tables' memory in Abseil only for small capacities; it never
// allocates.
void arsenal_absl_u64_clear(arsenal_absl_u64* h) { h->map().clear(); }

// Copies up to `cap` pairs starting at position `*pos` of the iteration order into
// keys/values; advances `*pos`. Returns the number copied (0: done). The order is
// stable while the map is not modified.
struct arsenal_absl_u64_iter {
  U64Map::const_iterator it;
  U64Map::const_iterator end;
};

arsenal_absl_u64_iter* arsenal_absl_u64_iter_new(const arsenal_absl_u64* h) {
  void* mem = std::malloc(sizeof(arsenal_absl_u64_iter));
  if (mem == nullptr) return nullptr;
  return new (mem) arsenal_absl_u64_iter{h->map().begin(), h->map().end()};
}

size_t arsenal_absl_u64_iter_next(arsenal_absl_u64_iter* iter, uint64_t* keys,
                                  uint64_t* values, size_t cap) {
  size_t n = 0;
  while (n < cap && iter->it != iter->end) {
    keys[n] = iter->it->first;
    values[n] = iter->it->second;
    ++iter->it;
    n++;
  }
  return n;
}

void arsenal_absl_u64_iter_free(arsenal_absl_u64_iter* iter) {
  if (iter == nullptr) return;
  iter->~arsenal_absl_u64_iter();
  std::free(iter);
}

// ---- bytes -> u64 ----

arsenal_absl_bytes* arsenal_absl_bytes_new(void) { return handle_new<BytesMap>(); }

void arsenal_absl_bytes_free(arsenal_absl_bytes* h) { handle_free(h); }

int arsenal_absl_bytes_reserve(arsenal_absl_bytes* h, size_t additional) {
  return reserve_impl(h, additional);
}

int arsenal_absl_bytes_insert(arsenal_absl_bytes* h, const uint8_t* key, size_t len,
                              uint64_t value, uint64_t* old, int* replaced) {
  BytesMap& m = h->map();
  const absl::string_view k = view(key, len);
  auto it = m.find(k);
  if (it != m.end()) {
    *old = it->second;
    *replaced = 1;
    it->second = value;
    return ARSENAL_ABSL_OK;
  }
  *replaced = 0;
  // The key's copy first: if it fails the table is untouched.
  std::string owned;
  try {
    owned.assign(k.data(), k.size());
  } catch (...) {
    return ARSENAL_ABSL_NOMEM;
  }
  if (!can_grow_for_insert(m)) return ARSENAL_ABSL_NOMEM;
  try {
    m.emplace(std::move(owned), value);
  } catch (...) {
    abandon(h);
    return ARSENAL_ABSL_NOMEM_RESET;
  }
  return ARSENAL_ABSL_OK;
}

int arsenal_absl_bytes_get(const arsenal_absl_bytes* h, const uint8_t* key, size_t len,
                           uint64_t* value) {
  const BytesMap& m = h->map();
  auto it = m.find(view(key, len));
  if (it == m.end()) return 0;
  *value = it->second;
  return 1;
}

int arsenal_absl_bytes_remove(arsenal_absl_bytes* h, const uint8_t* key, size_t len,
                              uint64_t* old) {
  BytesMap& m = h->map();
  auto it = m.find(view(key, len));
  if (it == m.end()) return 0;
  *old = it->second;
  m.erase(it);
  return 1;
}

size_t arsenal_absl_bytes_len(const arsenal_absl_bytes* h) { return h->map().size(); }

size_t arsenal_absl_bytes_capacity(const arsenal_absl_bytes* h) {
  return h->map().capacity();
}

// The table's allocation plus the keys' own heap buffers (those longer than the
// std::string's inline capacity).
size_t arsenal_absl_bytes_heap_bytes(const arsenal_absl_bytes* h) {
  const BytesMap& m = h->map();
  size_t bytes = heap_bytes_impl(m);
  const size_t inline_cap = std::string().capacity();
  for (const auto& kv : m) {
    if (kv.first.capacity() > inline_cap) bytes += kv.first.capacity() + 1;
  }
  return bytes;
}

void arsenal_absl_bytes_clear(arsenal_absl_bytes* h) { h->map().clear(); }

struct arsenal_absl_bytes_iter {
  BytesMap::const_iterator it;
  BytesMap::const_iterator end;
};

arsenal_absl_bytes_iter* arsenal_absl_bytes_iter_new(const arsenal_absl_bytes* h) {
  void* mem = std::malloc(sizeof(arsenal_absl_bytes_iter));
  if (mem == nullptr) return nullptr;
  return new (mem) arsenal_absl_bytes_iter{h->map().begin(), h->map().end()};
}

// The next pair: its key's bytes (valid until the map is modified or freed) and value.
// Returns 0 when the iteration is done.
int arsenal_absl_bytes_iter_next(arsenal_absl_bytes_iter* iter, const uint8_t** key,
                                 size_t* len, uint64_t* value) {
  if (iter->it == iter->end) return 0;
  *key = reinterpret_cast<const uint8_t*>(iter->it->first.data());
  *len = iter->it->first.size();
  *value = iter->it->second;
  ++iter->it;
  return 1;
}

void arsenal_absl_bytes_iter_free(arsenal_absl_bytes_iter* iter) {
  if (iter == nullptr) return;
  iter->~arsenal_absl_bytes_iter();
  std::free(iter);
}

}  // extern "C"
