/* Arsenal's shim over libaco: real functions for what aco.h provides only as macros
 * (aco_yield, aco_get_arg, aco_get_co, aco_exit read the thread-local aco_gtls_co), and
 * the struct layout the Rust declarations are checked against. No logic. */
#include <stddef.h>
#include "aco.h"

void arsenal_aco_yield(void) { aco_yield(); }

void* arsenal_aco_get_arg(void) { return aco_get_arg(); }

aco_t* arsenal_aco_get_co(void) { return aco_get_co(); }

void arsenal_aco_exit(void) { aco_exit(); }

int arsenal_aco_version(void) {
    return ACO_VERSION_MAJOR * 10000 + ACO_VERSION_MINOR * 100 + ACO_VERSION_PATCH;
}

/* sizeof/offsetof of the structs declared in Rust, in a fixed order. */
void arsenal_aco_layout(size_t out[8]) {
    out[0] = sizeof(aco_t);
    out[1] = offsetof(aco_t, main_co);
    out[2] = offsetof(aco_t, is_end);
    out[3] = offsetof(aco_t, save_stack);
    out[4] = offsetof(aco_t, share_stack);
    out[5] = sizeof(aco_share_stack_t);
    out[6] = offsetof(aco_share_stack_t, owner);
    out[7] = sizeof(aco_save_stack_t);
}
