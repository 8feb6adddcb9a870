// Arsenal's own extern "C" shim over simdjson's DOM parser (not upstream code).
//
// The shim exposes only what the safe layer needs: a parser handle, a parse call that
// reports an error code, and the two buffers of the parsed document (the tape and the
// string buffer), whose layout is simdjson's documented tape format (doc/tape.md
// upstream). Every function is noexcept and catches everything, so no C++ exception
// ever unwinds into Rust.
//
// simdjson's error_code enumeration is not stable across 3.x releases (before 3.8
// there is no BIGINT_ERROR, so every later value shifts by one), so errors are translated here,
// by name, into ARSENAL_SJ_E_* codes that the Rust side can rely on.
#include <simdjson.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <type_traits>

namespace {

// Stable codes, mirrored in src/lib.rs (`error` module).
enum arsenal_sj_code : int {
  ARSENAL_SJ_E_OK = 0,
  ARSENAL_SJ_E_CAPACITY = 1,
  ARSENAL_SJ_E_MEMALLOC = 2,
  ARSENAL_SJ_E_TAPE = 3,
  ARSENAL_SJ_E_DEPTH = 4,
  ARSENAL_SJ_E_STRING = 5,
  ARSENAL_SJ_E_ATOM = 6,
  ARSENAL_SJ_E_NUMBER = 7,
  ARSENAL_SJ_E_BIGINT = 8,
  ARSENAL_SJ_E_UTF8 = 9,
  ARSENAL_SJ_E_EMPTY = 10,
  ARSENAL_SJ_E_UNESCAPED_CHARS = 11,
  ARSENAL_SJ_E_UNCLOSED_STRING = 12,
  ARSENAL_SJ_E_INCOMPLETE = 13,
  ARSENAL_SJ_E_TRAILING_CONTENT = 14,
  ARSENAL_SJ_E_UNSUPPORTED_ARCHITECTURE = 15,
  ARSENAL_SJ_E_OTHER = 16,
};

// BIGINT_ERROR exists from simdjson 3.8 on; detect the enumerator itself rather than
// trusting a version number.
template <typename E, typename = void>
struct has_bigint_error : std::false_type {};
template <typename E>
struct has_bigint_error<E, std::void_t<decltype(E::BIGINT_ERROR)>> : std::true_type {};

template <typename E>
bool is_bigint_error(E e) {
  if constexpr (has_bigint_error<E>::value) {
    return e == E::BIGINT_ERROR;
  } else {
    return false;
  }
}

// The last simdjson error seen by this thread, for arsenal_sj_error_message().
thread_local simdjson::error_code last_error = simdjson::SUCCESS;

int translate(simdjson::error_code e) noexcept {
  last_error = e;
  if (is_bigint_error(e)) return ARSENAL_SJ_E_BIGINT;
  switch (e) {
    case simdjson::SUCCESS: return ARSENAL_SJ_E_OK;
    case simdjson::CAPACITY: return ARSENAL_SJ_E_CAPACITY;
    case simdjson::MEMALLOC: return ARSENAL_SJ_E_MEMALLOC;
    case simdjson::TAPE_ERROR: return ARSENAL_SJ_E_TAPE;
    case simdjson::DEPTH_ERROR: return ARSENAL_SJ_E_DEPTH;
    case simdjson::STRING_ERROR: return ARSENAL_SJ_E_STRING;
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR: return ARSENAL_SJ_E_ATOM;
    case simdjson::NUMBER_ERROR:
    case simdjson::NUMBER_OUT_OF_RANGE: return ARSENAL_SJ_E_NUMBER;
    case simdjson::UTF8_ERROR: return ARSENAL_SJ_E_UTF8;
    case simdjson::EMPTY: return ARSENAL_SJ_E_EMPTY;
    case simdjson::UNESCAPED_CHARS: return ARSENAL_SJ_E_UNESCAPED_CHARS;
    case simdjson::UNCLOSED_STRING: return ARSENAL_SJ_E_UNCLOSED_STRING;
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT: return ARSENAL_SJ_E_INCOMPLETE;
    case simdjson::TRAILING_CONTENT: return ARSENAL_SJ_E_TRAILING_CONTENT;
    case simdjson::UNSUPPORTED_ARCHITECTURE: return ARSENAL_SJ_E_UNSUPPORTED_ARCHITECTURE;
    default: return ARSENAL_SJ_E_OTHER;
  }
}

}  // namespace

struct arsenal_sj_parser {
  simdjson::dom::parser parser;
  // Our own padded copy of unpadded inputs (reused across parses). simdjson's own copy
  // (realloc_if_needed) leaves stale bytes from earlier inputs in the padding, which
  // some invalid inputs read, making the reported error depend on earlier documents.
  std::unique_ptr<uint8_t[]> copy;
  size_t copy_capacity = 0;
  explicit arsenal_sj_parser(size_t max_capacity) : parser(max_capacity) {}
};

extern "C" {

// Error code used when a C++ exception was caught at the boundary.
static int unexpected() noexcept { return translate(simdjson::UNEXPECTED_ERROR); }

arsenal_sj_parser *arsenal_sj_parser_new(size_t max_capacity, size_t max_depth,
                                         int *error) noexcept {
  try {
    arsenal_sj_parser *p = new (std::nothrow) arsenal_sj_parser(max_capacity);
    if (p == nullptr) {
      *error = translate(simdjson::MEMALLOC);
      return nullptr;
    }
    // Allocate a small initial capacity so that max_depth is fixed now; later
    // parses grow the capacity and keep this depth.
    size_t initial = std::min<size_t>(max_capacity, 4096);
    simdjson::error_code e = p->parser.allocate(initial, max_depth);
    if (e != simdjson::SUCCESS) {
      delete p;
      *error = translate(e);
      return nullptr;
    }
    *error = 0;
    return p;
  } catch (...) {
    *error = unexpected();
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
    if (padded == 0) {
      size_t need = len + simdjson::SIMDJSON_PADDING;
      if (p->copy_capacity < need) {
        p->copy.reset(new (std::nothrow) uint8_t[need]);
        p->copy_capacity = p->copy ? need : 0;
        if (!p->copy) return translate(simdjson::MEMALLOC);
      }
      std::memcpy(p->copy.get(), buf, len);
      std::memset(p->copy.get() + len, 0, simdjson::SIMDJSON_PADDING);
      buf = p->copy.get();
    }
    simdjson::dom::element root;
    simdjson::error_code e = p->parser.parse(buf, len, false).get(root);
    if (e != simdjson::SUCCESS) {
      return translate(e);
    }
    *tape = p->parser.doc.tape.get();
    *strings = p->parser.doc.string_buf.get();
    return 0;
  } catch (...) {
    return unexpected();
  }
}

size_t arsenal_sj_parser_max_depth(const arsenal_sj_parser *p) noexcept {
  return p->parser.max_depth();
}

size_t arsenal_sj_parser_max_capacity(const arsenal_sj_parser *p) noexcept {
  return p->parser.max_capacity();
}

const char *arsenal_sj_last_error_message(void) noexcept {
  return simdjson::error_message(last_error);
}

size_t arsenal_sj_padding(void) noexcept { return simdjson::SIMDJSON_PADDING; }

const char *arsenal_sj_version(void) noexcept {
  // SIMDJSON_VERSION is a string literal from 3.1 on but bare tokens (3.0.1) in 3.0:
  // build the string from the version enumerators, which every 3.x release has.
  try {
    static const std::string version = std::to_string(simdjson::SIMDJSON_VERSION_MAJOR) +
                                       "." + std::to_string(simdjson::SIMDJSON_VERSION_MINOR) +
                                       "." +
                                       std::to_string(simdjson::SIMDJSON_VERSION_REVISION);
    return version.c_str();
  } catch (...) {
    return "unknown";
  }
}

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
