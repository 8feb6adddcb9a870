/* Arsenal's own shim over llhttp (not upstream code).
 *
 * llhttp's whole API is real functions, but its version exists only as macros and the
 * safe layer embeds `llhttp_t` / `llhttp_settings_t` by value. These report what the
 * header the build actually found says, so tests can check the pre-generated bindings
 * against it. */
#include <stddef.h>
#include <stdint.h>

#include <llhttp.h>

uint32_t arsenal_llhttp_version(void) {
  return ((uint32_t)LLHTTP_VERSION_MAJOR << 16) |
         ((uint32_t)LLHTTP_VERSION_MINOR << 8) | (uint32_t)LLHTTP_VERSION_PATCH;
}

size_t arsenal_llhttp_sizeof_parser(void) { return sizeof(llhttp_t); }

size_t arsenal_llhttp_sizeof_settings(void) { return sizeof(llhttp_settings_t); }
