/* Arsenal benchmark: yyjson used directly from C (the `raw:yyjson` parse_walk rows).
 * Our own code, compiled by benches/build.rs against the yyjson that
 * arsenal-yyjson-sys found; it uses yyjson's inline accessors as a C user would. */
#include <yyjson.h>

#include <stdint.h>

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

/* Parses and visits every value; returns values + string bytes (0 on error). */
uint64_t arsenal_bench_yy_parse_walk(const char *buf, size_t len, double *number_sum) {
  yyjson_doc *doc = yyjson_read(buf, len, 0);
  if (!doc) return 0;
  walk_totals t = {0, 0, 0.0};
  walk(yyjson_doc_get_root(doc), &t);
  yyjson_doc_free(doc);
  *number_sum = t.number_sum;
  return t.values + t.string_bytes;
}
