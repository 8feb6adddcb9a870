/* Arsenal benchmark: http_parser used directly from C (the `raw:http_parser` rows).
 * Our own code, compiled by benches/build.rs against the llhttp that
 * arsenal-http-parser-sys found. Callbacks record the spans a server would keep (method,
 * target, header name/value pointers) and count finished messages. */
#include <http_parser.h>

#include <stddef.h>
#include <stdint.h>

#define MAX_HEADERS 100

typedef struct {
  const char *name[MAX_HEADERS];
  size_t name_len[MAX_HEADERS];
  const char *value[MAX_HEADERS];
  size_t value_len[MAX_HEADERS];
  size_t headers;
  int in_value;
  const char *url;
  size_t url_len;
  uint64_t messages;
  uint64_t checksum;
} raw_state;

static int on_url(http_parser *p, const char *at, size_t len) {
  raw_state *s = p->data;
  s->url = at;
  s->url_len = len;
  return 0;
}

static int on_header_field(http_parser *p, const char *at, size_t len) {
  raw_state *s = p->data;
  if (s->headers == MAX_HEADERS) return -1;
  s->name[s->headers] = at;
  s->name_len[s->headers] = len;
  s->value[s->headers] = at + len;
  s->value_len[s->headers] = 0;
  s->headers++;
  return 0;
}

static int on_header_value(http_parser *p, const char *at, size_t len) {
  raw_state *s = p->data;
  s->value[s->headers - 1] = at;
  s->value_len[s->headers - 1] = len;
  return 0;
}

static int on_message_complete(http_parser *p) {
  raw_state *s = p->data;
  s->messages++;
  s->checksum += s->headers + s->url_len;
  s->headers = 0;
  return 0;
}

/* Parses every message in buf (requests if is_request, else responses);
 * returns the number of complete messages times 1000 plus a checksum, 0 on error. */
uint64_t arsenal_bench_http_parser_parse(const char *buf, size_t len, int is_request) {
  http_parser_settings settings;
  http_parser_settings_init(&settings);
  settings.on_url = on_url;
  settings.on_header_field = on_header_field;
  settings.on_header_value = on_header_value;
  settings.on_message_complete = on_message_complete;
  http_parser parser;
  raw_state state = {0};
  http_parser_init(&parser, is_request ? HTTP_REQUEST : HTTP_RESPONSE);
  parser.data = &state;
  size_t done = http_parser_execute(&parser, &settings, buf, len);
  if (done != len || HTTP_PARSER_ERRNO(&parser) != HPE_OK) return 0;
  return state.messages * 1000 + state.checksum;
}
