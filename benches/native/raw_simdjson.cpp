// Arsenal benchmark: simdjson used directly from C++ (the `raw:simdjson` rows).
// Our own code, compiled by benches/build.rs against the simdjson that
// arsenal-simdjson-sys found, so wrapper and raw rows run the same library build.
//
// The checksums are defined in benches/src/json.rs (every implementation computes the
// same ones): `parse` gives the root's summary, kind code << 32 | element count;
// `parse_walk` gives values << 32 | string bytes (keys included). UINT64_MAX means the
// document was rejected: it can equal no expected checksum.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>

namespace {

constexpr uint64_t kParseError = UINT64_MAX;

struct WalkTotals {
  uint64_t values = 0;
  uint64_t string_bytes = 0;
  double number_sum = 0;
};

void walk(simdjson::dom::element e, WalkTotals &t) {
  t.values++;
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY:
      for (simdjson::dom::element child : simdjson::dom::array(e)) walk(child, t);
      break;
    case simdjson::dom::element_type::OBJECT:
      for (simdjson::dom::key_value_pair kv : simdjson::dom::object(e)) {
        t.string_bytes += kv.key.size();
        walk(kv.value, t);
      }
      break;
    case simdjson::dom::element_type::INT64:
      t.number_sum += double(int64_t(e));
      break;
    case simdjson::dom::element_type::UINT64:
      t.number_sum += double(uint64_t(e));
      break;
    case simdjson::dom::element_type::DOUBLE:
      t.number_sum += double(e);
      break;
    case simdjson::dom::element_type::STRING:
      t.string_bytes += std::string_view(e).size();
      break;
    default:
      break;
  }
}

// The kind codes of json.rs: null 1, bool 2, number 3, string 4, array 5, object 6.
uint64_t root_summary(simdjson::dom::element root) {
  switch (root.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
      return uint64_t(1) << 32;
    case simdjson::dom::element_type::BOOL:
      return uint64_t(2) << 32;
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE:
      return uint64_t(3) << 32;
    case simdjson::dom::element_type::STRING:
      return uint64_t(4) << 32;
    case simdjson::dom::element_type::ARRAY:
      return (uint64_t(5) << 32) | simdjson::dom::array(root).size();
    case simdjson::dom::element_type::OBJECT:
      return (uint64_t(6) << 32) | simdjson::dom::object(root).size();
  }
  return kParseError;
}

}  // namespace

extern "C" {

void *arsenal_bench_sj_new(void) noexcept {
  try {
    return new simdjson::dom::parser();
  } catch (...) {
    return nullptr;
  }
}

void arsenal_bench_sj_free(void *p) noexcept { delete static_cast<simdjson::dom::parser *>(p); }

// Parses a buffer that has SIMDJSON_PADDING readable bytes after `len` (no copy).
// Returns the root's summary, UINT64_MAX on error.
uint64_t arsenal_bench_sj_parse(void *p, const uint8_t *buf, size_t len) noexcept {
  try {
    auto &parser = *static_cast<simdjson::dom::parser *>(p);
    simdjson::dom::element root;
    if (parser.parse(buf, len, false).get(root)) return kParseError;
    return root_summary(root);
  } catch (...) {
    return kParseError;
  }
}

// Parses and visits every value: returns values << 32 | string bytes (keys included),
// UINT64_MAX on error; the number sum goes to *number_sum.
uint64_t arsenal_bench_sj_parse_walk(void *p, const uint8_t *buf, size_t len,
                                     double *number_sum) noexcept {
  try {
    auto &parser = *static_cast<simdjson::dom::parser *>(p);
    simdjson::dom::element root;
    if (parser.parse(buf, len, false).get(root)) return kParseError;
    WalkTotals t;
    walk(root, t);
    *number_sum = t.number_sum;
    return (t.values << 32) | t.string_bytes;
  } catch (...) {
    return kParseError;
  }
}

}  // extern "C"
