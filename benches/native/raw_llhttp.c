/* Arsenal benchmark: llhttp used directly from C (the `raw:llhttp` rows).
 * Our own code, compiled by benches/build.rs against the llhttp that
 * arsenal-llhttp-sys found. Callbacks record the spans a server would keep (target or
 * reason, header name/value pointers), add up the body bytes and count finished messages.
 *
 * The checksum is defined in benches/src/http.rs (every implementation computes the
 * same one): messages << 48 | headers << 32 | (target or reason bytes + body bytes),
 * summed over the messages. UINT64_MAX means an error: it can equal no expected checksum. */
#include <llhttp.h>

#include <stddef.h>
#include <stdint.h>

#define MAX_HEADERS 100
#define PARSE_ERROR UINT64_MAX

typedef struct {
  const char *name[MAX_HEADERS];
  size_t name_len[MAX_HEADERS];
  const char *value[MAX_HEADERS];
  size_t value_len[MAX_HEADERS];
  size_t headers;
  const char *span; /* the request target or the response reason */
  size_t span_len;
  uint64_t body_len;
  uint64_t messages;
  uint64_t header_total;
  uint64_t span_total;
} raw_state;

static int on_span(llhttp_t *p, const char *at, size_t len) {
  raw_state *s = p->data;
  if (s->span_len == 0) s->span = at;
  s->span_len += len;
  return 0;
}

static int on_header_field(llhttp_t *p, const char *at, size_t len) {
  raw_state *s = p->data;
  if (s->headers == MAX_HEADERS) return -1;
  s->name[s->headers] = at;
  s->name_len[s->headers] = len;
  s->value[s->headers] = at + len;
  s->value_len[s->headers] = 0;
  s->headers++;
  return 0;
}

static int on_header_value(llhttp_t *p, const char *at, size_t len) {
  raw_state *s = p->data;
  s->value[s->headers - 1] = at;
  s->value_len[s->headers - 1] = len;
  return 0;
}

static int on_body(llhttp_t *p, const char *at, size_t len) {
  raw_state *s = p->data;
  (void)at;
  s->body_len += len;
  return 0;
}

static int on_message_complete(llhttp_t *p) {
  raw_state *s = p->data;
  s->messages++;
  s->header_total += s->headers;
  s->span_total += s->span_len + s->body_len;
  s->headers = 0;
  s->span_len = 0;
  s->body_len = 0;
  return 0;
}

/* Parses every message in buf (requests if is_request, else responses); returns the
 * checksum above, PARSE_ERROR on error. */
uint64_t arsenal_bench_llhttp_parse(const char *buf, size_t len, int is_request) {
  /* Initialised once, as a C server would; fields not named are null. */
  static const llhttp_settings_t settings = {
      .on_url = on_span,
      .on_status = on_span,
      .on_header_field = on_header_field,
      .on_header_value = on_header_value,
      .on_body = on_body,
      .on_message_complete = on_message_complete,
  };
  llhttp_t parser;
  raw_state state; /* the span arrays are written before they are read */
  state.headers = 0;
  state.span = NULL;
  state.span_len = 0;
  state.body_len = 0;
  state.messages = 0;
  state.header_total = 0;
  state.span_total = 0;
  llhttp_init(&parser, is_request ? HTTP_REQUEST : HTTP_RESPONSE, &settings);
  parser.data = &state;
  if (llhttp_execute(&parser, buf, len) != HPE_OK) return PARSE_ERROR;
  return (state.messages << 48) | (state.header_total << 32) | state.span_total;
}
