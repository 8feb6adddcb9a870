// Our extern "C" shim over Abseil's absl::btree_map<uint64_t, uint64_t> (a B-tree with
// 256-byte target nodes). No exception leaves this file.
//
// The map uses a counting allocator (malloc/free; the counter lives in the handle) so
// that heap_bytes can report the nodes' bytes, which btree_map does not expose. A node
// allocation that fails throws std::bad_alloc inside the tree; Abseil does not promise
// the tree is intact afterwards, so the shim leaks that tree (never destroys or reads
// it again) and constructs an empty one in its place: ARSENAL_ABSL_NOMEM_RESET.
#include <absl/container/btree_map.h>

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <new>
#include <utility>

extern "C" {
enum {
  ARSENAL_ABSL_BTREE_OK = 0,
  ARSENAL_ABSL_BTREE_NOMEM_RESET = 3,
};
}

namespace {

template <class T>
struct CountingAlloc {
  using value_type = T;
  size_t* bytes;

  explicit CountingAlloc(size_t* b) noexcept : bytes(b) {}
  template <class U>
  CountingAlloc(const CountingAlloc<U>& other) noexcept : bytes(other.bytes) {}

  T* allocate(size_t n) {
    if (n > SIZE_MAX / sizeof(T)) throw std::bad_alloc();
    void* p = std::malloc(n * sizeof(T));
    if (p == nullptr) throw std::bad_alloc();
    *bytes += n * sizeof(T);
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t n) noexcept {
    *bytes -= n * sizeof(T);
    std::free(p);
  }
  template <class U>
  bool operator==(const CountingAlloc<U>& other) const noexcept {
    return bytes == other.bytes;
  }
  template <class U>
  bool operator!=(const CountingAlloc<U>& other) const noexcept {
    return bytes != other.bytes;
  }
};

using Pair = std::pair<const uint64_t, uint64_t>;
using Tree = absl::btree_map<uint64_t, uint64_t, std::less<uint64_t>, CountingAlloc<Pair>>;

struct Handle {
  size_t bytes;
  alignas(Tree) unsigned char storage[sizeof(Tree)];
  Tree& tree() { return *std::launder(reinterpret_cast<Tree*>(storage)); }
  const Tree& tree() const { return *std::launder(reinterpret_cast<const Tree*>(storage)); }
  // An empty tree allocates nothing.
  void construct() { new (storage) Tree(std::less<uint64_t>(), CountingAlloc<Pair>(&bytes)); }
};

// The tree may be inconsistent after a failed allocation: leak it, start empty.
void abandon(Handle* h) {
  h->bytes = 0;
  h->construct();
}

}  // namespace

extern "C" {

struct arsenal_absl_btree;

arsenal_absl_btree* arsenal_absl_btree_new() {
  void* mem = std::malloc(sizeof(Handle));
  if (mem == nullptr) return nullptr;
  auto* h = static_cast<Handle*>(mem);
  h->bytes = 0;
  h->construct();
  return reinterpret_cast<arsenal_absl_btree*>(h);
}

void arsenal_absl_btree_free(arsenal_absl_btree* map) {
  if (map == nullptr) return;
  auto* h = reinterpret_cast<Handle*>(map);
  h->tree().~Tree();
  std::free(h);
}

int arsenal_absl_btree_insert(arsenal_absl_btree* map, uint64_t key, uint64_t value,
                              uint64_t* old, int* replaced) {
  auto* h = reinterpret_cast<Handle*>(map);
  try {
    auto [it, inserted] = h->tree().try_emplace(key, value);
    if (!inserted) {
      *old = it->second;
      it->second = value;
    }
    *replaced = inserted ? 0 : 1;
    return ARSENAL_ABSL_BTREE_OK;
  } catch (...) {
    abandon(h);
    *replaced = 0;
    return ARSENAL_ABSL_BTREE_NOMEM_RESET;
  }
}

int arsenal_absl_btree_get(const arsenal_absl_btree* map, uint64_t key, uint64_t* value) {
  const auto& t = reinterpret_cast<const Handle*>(map)->tree();
  auto it = t.find(key);
  if (it == t.end()) return 0;
  *value = it->second;
  return 1;
}

size_t arsenal_absl_btree_get_many(const arsenal_absl_btree* map, const uint64_t* keys,
                                   size_t n, uint64_t* values, uint8_t* found) {
  const auto& t = reinterpret_cast<const Handle*>(map)->tree();
  size_t hits = 0;
  for (size_t i = 0; i < n; i++) {
    auto it = t.find(keys[i]);
    found[i] = it != t.end();
    if (found[i]) {
      values[i] = it->second;
      hits++;
    }
  }
  return hits;
}

int arsenal_absl_btree_remove(arsenal_absl_btree* map, uint64_t key, uint64_t* old) {
  auto& t = reinterpret_cast<Handle*>(map)->tree();
  auto it = t.find(key);
  if (it == t.end()) return 0;
  *old = it->second;
  t.erase(it);  // erasing never allocates
  return 1;
}

size_t arsenal_absl_btree_len(const arsenal_absl_btree* map) {
  return reinterpret_cast<const Handle*>(map)->tree().size();
}

size_t arsenal_absl_btree_heap_bytes(const arsenal_absl_btree* map) {
  return reinterpret_cast<const Handle*>(map)->bytes;
}

void arsenal_absl_btree_clear(arsenal_absl_btree* map) {
  reinterpret_cast<Handle*>(map)->tree().clear();
}

int arsenal_absl_btree_first(const arsenal_absl_btree* map, uint64_t* key, uint64_t* value) {
  const auto& t = reinterpret_cast<const Handle*>(map)->tree();
  if (t.empty()) return 0;
  *key = t.begin()->first;
  *value = t.begin()->second;
  return 1;
}

int arsenal_absl_btree_last(const arsenal_absl_btree* map, uint64_t* key, uint64_t* value) {
  const auto& t = reinterpret_cast<const Handle*>(map)->tree();
  if (t.empty()) return 0;
  auto it = std::prev(t.end());
  *key = it->first;
  *value = it->second;
  return 1;
}

size_t arsenal_absl_btree_scan(const arsenal_absl_btree* map, uint64_t from, uint64_t* keys,
                               uint64_t* values, size_t cap) {
  const auto& t = reinterpret_cast<const Handle*>(map)->tree();
  size_t n = 0;
  for (auto it = t.lower_bound(from); it != t.end() && n < cap; ++it, ++n) {
    keys[n] = it->first;
    values[n] = it->second;
  }
  return n;
}

}  // extern "C"
