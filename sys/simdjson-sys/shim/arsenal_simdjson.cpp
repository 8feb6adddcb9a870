// Arsenal's own extern "C" shim over simdjson's DOM parser (not upstream code).
//
// The shim exposes only what the safe layer needs: a parser handle, a parse call that
// reports simdjson's error code, and the two buffers of the parsed document (the tape
// and the string buffer), whose layout is simdjson's documented tape format
// (doc/tape.md upstream). Every function is noexcept and catches everything, so no C++
// exception ever unwinds into Rust.
#include <simdjson.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>

struct arsenal_sj_parser {
  simdjson::dom::parser parser;
  explicit arsenal_sj_parser(size_t max_capacity) : parser(max_capacity) {}
};

extern "C" {

// Error code used when a C++ exception was caught at the boundary.
static const int ARSENAL_SJ_UNEXPECTED = static_cast<int>(simdjson::UNEXPECTED_ERROR);

arsenal_sj_parser *arsenal_sj_parser_new(size_t max_capacity, size_t max_depth,
                                         int *error) noexcept {
  try {
    arsenal_sj_parser *p = new (std::nothrow) arsenal_sj_parser(max_capacity);
    if (p == nullptr) {
      *error = static_cast<int>(simdjson::MEMALLOC);
      return nullptr;
    }
    // Allocate a small initial capacity so that max_depth is fixed now; later
    // parses grow the capacity and keep this depth.
    size_t initial = std::min<size_t>(max_capacity, 4096);
    simdjson::error_code e = p->parser.allocate(initial, max_depth);
    if (e != simdjson::SUCCESS) {
      delete p;
      *error = static_cast<int>(e);
      return nullptr;
    }
    *error = 0;
    return p;
  } catch (...) {
    *error = ARSENAL_SJ_UNEXPECTED;
    return nullptr;
  }
}

void arsenal_sj_parser_free(arsenal_sj_parser *p) noexcept {
  try {
    delete p;
  } catch (...) {
  }
}

int arsenal_sj_parse(arsenal_sj_parser *p, const uint8_t *buf, size_t len, int padded,
                     const uint64_t **tape, const uint8_t **strings) noexcept {
  try {
    simdjson::dom::element root;
    simdjson::error_code e = p->parser.parse(buf, len, padded == 0).get(root);
    if (e != simdjson::SUCCESS) {
      return static_cast<int>(e);
    }
    *tape = p->parser.doc.tape.get();
    *strings = p->parser.doc.string_buf.get();
    return 0;
  } catch (...) {
    return ARSENAL_SJ_UNEXPECTED;
  }
}

size_t arsenal_sj_parser_max_depth(const arsenal_sj_parser *p) noexcept {
  return p->parser.max_depth();
}

size_t arsenal_sj_parser_max_capacity(const arsenal_sj_parser *p) noexcept {
  return p->parser.max_capacity();
}

const char *arsenal_sj_error_message(int code) noexcept {
  return simdjson::error_message(static_cast<simdjson::error_code>(code));
}

size_t arsenal_sj_padding(void) noexcept { return simdjson::SIMDJSON_PADDING; }

const char *arsenal_sj_version(void) noexcept { return SIMDJSON_VERSION; }

const char *arsenal_sj_active_implementation(void) noexcept {
  try {
    // name() returns a std::string by value in some releases: keep one copy alive.
    static const std::string name = simdjson::get_active_implementation()->name();
    return name.c_str();
  } catch (...) {
    return "unknown";
  }
}

}  // extern "C"
