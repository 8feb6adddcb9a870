// Arsenal benchmark: simdjson used directly from C++ (the `raw:simdjson` rows).
// Our own code, compiled by benches/build.rs against the simdjson that
// arsenal-simdjson-sys found, so wrapper and raw rows run the same library build.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>

namespace {

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
// Returns 0 on error, else a checksum (the root's type tag) so the work is used.
uint64_t arsenal_bench_sj_parse(void *p, const uint8_t *buf, size_t len) noexcept {
  auto &parser = *static_cast<simdjson::dom::parser *>(p);
  simdjson::dom::element root;
  if (parser.parse(buf, len, false).get(root)) return 0;
  return uint64_t(root.type());
}

// Parses and visits every value: values + string bytes (keys included); the number
// sum goes to *number_sum. Returns 0 on error.
uint64_t arsenal_bench_sj_parse_walk(void *p, const uint8_t *buf, size_t len,
                                     double *number_sum) noexcept {
  try {
    auto &parser = *static_cast<simdjson::dom::parser *>(p);
    simdjson::dom::element root;
    if (parser.parse(buf, len, false).get(root)) return 0;
    WalkTotals t;
    walk(root, t);
    *number_sum = t.number_sum;
    return t.values + t.string_bytes;
  } catch (...) {
    return 0;
  }
}

}  // extern "C"
