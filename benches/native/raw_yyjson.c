/* Arsenal benchmark: yyjson used directly from C (the `raw:yyjson` rows).
 * Our own code, compiled by benches/build.rs against the yyjson that
 * arsenal-yyjson-sys found; it uses yyjson's inline accessors as a C user would.
 *
 * The checksums are defined in benches/src/json.rs (every implementation computes the
 * same ones): `parse` gives the root's summary, kind code << 32 | element count;
 * `parse_walk` gives values << 32 | string bytes (keys included). UINT64_MAX means the
 * document was rejected: it can equal no expected checksum. */
#include <yyjson.h>

#include <stdint.h>

#define PARSE_ERROR UINT64_MAX

typedef struct {
  uint64_t values;
  uint64_t string_bytes;
  double number_sum;
} walk_totals;

static void walk(yyjson_val *v, walk_totals *t) {
  t->values++;
  switch (yyjson_get_type(v)) {
    case YYJSON_TYPE_ARR: {
      yyjson_val *child;
      size_t idx, max;
      yyjson_arr_foreach(v, idx, max, child) { walk(child, t); }
      break;
    }
    case YYJSON_TYPE_OBJ: {
      yyjson_val *key, *val;
      size_t idx, max;
      yyjson_obj_foreach(v, idx, max, key, val) {
        t->string_bytes += yyjson_get_len(key);
        walk(val, t);
      }
      break;
    }
    case YYJSON_TYPE_NUM:
      t->number_sum += yyjson_get_num(v);
      break;
    case YYJSON_TYPE_STR:
      t->string_bytes += yyjson_get_len(v);
      break;
    default:
      break;
  }
}

/* The kind codes of json.rs: null 1, bool 2, number 3, string 4, array 5, object 6. */
static uint64_t root_summary(yyjson_val *root) {
  switch (yyjson_get_type(root)) {
    case YYJSON_TYPE_NULL: return (uint64_t)1 << 32;
    case YYJSON_TYPE_BOOL: return (uint64_t)2 << 32;
    case YYJSON_TYPE_NUM: return (uint64_t)3 << 32;
    case YYJSON_TYPE_STR: return (uint64_t)4 << 32;
    case YYJSON_TYPE_ARR: return ((uint64_t)5 << 32) | yyjson_arr_size(root);
    case YYJSON_TYPE_OBJ: return ((uint64_t)6 << 32) | yyjson_obj_size(root);
    default: return PARSE_ERROR;
  }
}

/* Parses (no flags: the input is only read) and frees the document; returns the root's
 * summary, PARSE_ERROR on error. */
uint64_t arsenal_bench_yy_parse(const char *buf, size_t len) {
  yyjson_doc *doc = yyjson_read(buf, len, 0);
  if (!doc) return PARSE_ERROR;
  uint64_t summary = root_summary(yyjson_doc_get_root(doc));
  yyjson_doc_free(doc);
  return summary;
}

/* Parses and visits every value; returns values << 32 | string bytes (PARSE_ERROR on
 * error) and stores the sum of the numbers in *number_sum. */
uint64_t arsenal_bench_yy_parse_walk(const char *buf, size_t len, double *number_sum) {
  yyjson_doc *doc = yyjson_read(buf, len, 0);
  if (!doc) return PARSE_ERROR;
  walk_totals t = {0, 0, 0.0};
  walk(yyjson_doc_get_root(doc), &t);
  yyjson_doc_free(doc);
  *number_sum = t.number_sum;
  return (t.values << 32) | t.string_bytes;
}
