// raw:abseil for the tree rows — absl::btree_map<uint64_t, uint64_t> used directly from
// C++ with its default allocator, the loops timed inside C++ (no FFI per operation): the
// ceiling our arsenal:abseil rows (one FFI call per operation) are compared with. Trees
// are made once per cell (outside the timing) by raw_absl_btree_build and freed by
// raw_absl_btree_free. Exceptions (std::bad_alloc) abort here: this is benchmark code on
// fixed, small datasets, not a library surface.
#include <absl/container/btree_map.h>

#include <cstddef>
#include <cstdint>

using Tree = absl::btree_map<uint64_t, uint64_t>;

extern "C" {

// A new tree of keys[i] -> i.
void* raw_absl_btree_build(const uint64_t* keys, size_t n) {
  auto* t = new Tree();
  for (size_t i = 0; i < n; i++) t->insert_or_assign(keys[i], i);
  return t;
}

void raw_absl_btree_free(void* t) { delete static_cast<Tree*>(t); }

// Builds a tree of keys[i] -> i from empty and frees it: its size.
uint64_t raw_absl_btree_insert(const uint64_t* keys, size_t n) {
  Tree t;
  for (size_t i = 0; i < n; i++) t.insert_or_assign(keys[i], i);
  return t.size();
}

// The sum of (value + 1) over the keys found.
uint64_t raw_absl_btree_lookup(const void* tree, const uint64_t* keys, size_t n) {
  const Tree& t = *static_cast<const Tree*>(tree);
  uint64_t sum = 0;
  for (size_t i = 0; i < n; i++) {
    auto it = t.find(keys[i]);
    if (it != t.end()) sum += it->second + 1;
  }
  return sum;
}

// Inserts keys[i] -> i into the empty `tree`, then removes every key: the sum of
// (removed value + 1) plus the size left.
uint64_t raw_absl_btree_churn(void* tree, const uint64_t* keys, size_t n) {
  Tree& t = *static_cast<Tree*>(tree);
  for (size_t i = 0; i < n; i++) t.insert_or_assign(keys[i], i);
  uint64_t sum = 0;
  for (size_t i = 0; i < n; i++) {
    auto it = t.find(keys[i]);
    if (it != t.end()) {
      sum += it->second + 1;
      t.erase(it);
    }
  }
  return sum + t.size();
}

// For each i, the sum of (value + 1) over the entries with keys in [lo[i], hi[i]).
uint64_t raw_absl_btree_scan(const void* tree, const uint64_t* lo, const uint64_t* hi, size_t n) {
  const Tree& t = *static_cast<const Tree*>(tree);
  uint64_t sum = 0;
  for (size_t i = 0; i < n; i++) {
    for (auto it = t.lower_bound(lo[i]); it != t.end() && it->first < hi[i]; ++it) {
      sum += it->second + 1;
    }
  }
  return sum;
}

}  // extern "C"
