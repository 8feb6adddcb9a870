/* Arsenal's own shim over yyjson's `static inline` API (not upstream code).
 *
 * yyjson defines part of its API as `static inline` functions in yyjson.h; those have
 * no symbol in the library, so Rust cannot call them directly. Only what the safe
 * layer needs is wrapped here; value access is done in Rust on the documented
 * `yyjson_val` layout (see arsenal-json's yyjson backend). */
#include <yyjson.h>

void arsenal_yyjson_doc_free(yyjson_doc *doc) { yyjson_doc_free(doc); }

size_t arsenal_yyjson_doc_val_count(const yyjson_doc *doc) {
  return yyjson_doc_get_val_count((yyjson_doc *)doc);
}
