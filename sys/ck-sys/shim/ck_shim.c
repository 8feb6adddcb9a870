/*
 * Arsenal's shim over Concurrency Kit: most of ck is `static inline` in its headers, so
 * this file gives the pieces arsenal-ck-sys declares an exported symbol (`arsenal_ck_*`).
 * Each function forwards to the ck function of the same name; there is no logic here.
 *
 * Ring entries are passed by address (`const void *const *entry`) rather than by value:
 * the Rust side moves values of up to pointer size through a ring's `void *` slots, and
 * those bytes may be partly uninitialised, which Rust may not load as a pointer.
 */
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>

#include <ck_md.h>
#include <ck_ring.h>
#include <ck_rwlock.h>
#include <ck_spinlock.h>

/* The Rust mirrors in src/lib.rs assume these layouts (checked again by tests/smoke.rs). */
_Static_assert(sizeof(ck_ring_t) == 4 + (CK_MD_CACHELINE - 4) + 8 + (CK_MD_CACHELINE - 8) + 8,
    "ck_ring_t layout differs from arsenal-ck-sys's mirror");
_Static_assert(CK_MD_CACHELINE == 64, "arsenal-ck-sys mirrors ck_ring_t for 64-byte cache lines");
_Static_assert(sizeof(ck_ring_buffer_t) == sizeof(void *), "ck_ring_buffer_t is one pointer");
_Static_assert(sizeof(ck_spinlock_fas_t) == sizeof(unsigned int), "ck_spinlock_fas_t layout");
#ifndef CK_F_SPINLOCK_TICKET_TRYLOCK
#error "arsenal-ck-sys mirrors the x86 ticket lock (one 32-bit word with trylock)"
#endif
_Static_assert(sizeof(ck_spinlock_ticket_t) == 4, "ck_spinlock_ticket_t is one uint32_t on x86");
_Static_assert(sizeof(ck_spinlock_mcs_context_t) == 2 * sizeof(void *), "ck_spinlock_mcs layout");
_Static_assert(sizeof(ck_spinlock_clh_t) == 2 * sizeof(void *), "ck_spinlock_clh layout");
_Static_assert(sizeof(ck_rwlock_t) == 2 * sizeof(unsigned int), "ck_rwlock_t layout");

const char *arsenal_ck_version(void) { return CK_VERSION; }

#define ARSENAL_CK_LAYOUT(name, type)                                        \
    size_t arsenal_ck_sizeof_##name(void) { return sizeof(type); }           \
    size_t arsenal_ck_alignof_##name(void) { return alignof(type); }

ARSENAL_CK_LAYOUT(ring, ck_ring_t)
ARSENAL_CK_LAYOUT(ring_buffer, ck_ring_buffer_t)
ARSENAL_CK_LAYOUT(spinlock_fas, ck_spinlock_fas_t)
ARSENAL_CK_LAYOUT(spinlock_ticket, ck_spinlock_ticket_t)
ARSENAL_CK_LAYOUT(spinlock_mcs, ck_spinlock_mcs_t)
ARSENAL_CK_LAYOUT(spinlock_mcs_context, ck_spinlock_mcs_context_t)
ARSENAL_CK_LAYOUT(spinlock_clh, ck_spinlock_clh_t)
ARSENAL_CK_LAYOUT(rwlock, ck_rwlock_t)

/* ---- ck_ring ---------------------------------------------------------------------- */

void arsenal_ck_ring_init(ck_ring_t *ring, unsigned int size) { ck_ring_init(ring, size); }
unsigned int arsenal_ck_ring_size(const ck_ring_t *ring) { return ck_ring_size(ring); }
unsigned int arsenal_ck_ring_capacity(const ck_ring_t *ring) { return ck_ring_capacity(ring); }

#define ARSENAL_CK_RING_ENQUEUE(flavor)                                                   \
    bool arsenal_ck_ring_enqueue_##flavor(ck_ring_t *ring, ck_ring_buffer_t *buffer,      \
                                          const void *const *entry)                       \
    {                                                                                     \
        return ck_ring_enqueue_##flavor(ring, buffer, *entry);                            \
    }
#define ARSENAL_CK_RING_DEQUEUE(name)                                                     \
    bool arsenal_ck_ring_##name(ck_ring_t *ring, const ck_ring_buffer_t *buffer,          \
                                void *data)                                               \
    {                                                                                     \
        return ck_ring_##name(ring, buffer, data);                                        \
    }

ARSENAL_CK_RING_ENQUEUE(spsc)
ARSENAL_CK_RING_DEQUEUE(dequeue_spsc)
ARSENAL_CK_RING_ENQUEUE(spmc)
ARSENAL_CK_RING_DEQUEUE(dequeue_spmc)
ARSENAL_CK_RING_DEQUEUE(trydequeue_spmc)
ARSENAL_CK_RING_ENQUEUE(mpmc)
ARSENAL_CK_RING_DEQUEUE(dequeue_mpmc)
ARSENAL_CK_RING_DEQUEUE(trydequeue_mpmc)
ARSENAL_CK_RING_ENQUEUE(mpsc)
ARSENAL_CK_RING_DEQUEUE(dequeue_mpsc)

/* ---- spinlocks ---------------------------------------------------------------------- */

void arsenal_ck_spinlock_fas_init(ck_spinlock_fas_t *lock) { ck_spinlock_fas_init(lock); }
void arsenal_ck_spinlock_fas_lock(ck_spinlock_fas_t *lock) { ck_spinlock_fas_lock(lock); }
bool arsenal_ck_spinlock_fas_trylock(ck_spinlock_fas_t *lock) { return ck_spinlock_fas_trylock(lock); }
bool arsenal_ck_spinlock_fas_locked(ck_spinlock_fas_t *lock) { return ck_spinlock_fas_locked(lock); }
void arsenal_ck_spinlock_fas_unlock(ck_spinlock_fas_t *lock) { ck_spinlock_fas_unlock(lock); }

void arsenal_ck_spinlock_ticket_init(ck_spinlock_ticket_t *lock) { ck_spinlock_ticket_init(lock); }
void arsenal_ck_spinlock_ticket_lock(ck_spinlock_ticket_t *lock) { ck_spinlock_ticket_lock(lock); }
bool arsenal_ck_spinlock_ticket_trylock(ck_spinlock_ticket_t *lock) { return ck_spinlock_ticket_trylock(lock); }
bool arsenal_ck_spinlock_ticket_locked(ck_spinlock_ticket_t *lock) { return ck_spinlock_ticket_locked(lock); }
void arsenal_ck_spinlock_ticket_unlock(ck_spinlock_ticket_t *lock) { ck_spinlock_ticket_unlock(lock); }

void arsenal_ck_spinlock_mcs_init(ck_spinlock_mcs_t *queue) { ck_spinlock_mcs_init(queue); }
void arsenal_ck_spinlock_mcs_lock(ck_spinlock_mcs_t *queue, ck_spinlock_mcs_context_t *node)
{
    ck_spinlock_mcs_lock(queue, node);
}
bool arsenal_ck_spinlock_mcs_trylock(ck_spinlock_mcs_t *queue, ck_spinlock_mcs_context_t *node)
{
    return ck_spinlock_mcs_trylock(queue, node);
}
bool arsenal_ck_spinlock_mcs_locked(ck_spinlock_mcs_t *queue) { return ck_spinlock_mcs_locked(queue); }
void arsenal_ck_spinlock_mcs_unlock(ck_spinlock_mcs_t *queue, ck_spinlock_mcs_context_t *node)
{
    ck_spinlock_mcs_unlock(queue, node);
}

void arsenal_ck_spinlock_clh_init(ck_spinlock_clh_t **lock, ck_spinlock_clh_t *unowned)
{
    ck_spinlock_clh_init(lock, unowned);
}
void arsenal_ck_spinlock_clh_lock(ck_spinlock_clh_t **queue, ck_spinlock_clh_t *thread)
{
    ck_spinlock_clh_lock(queue, thread);
}
bool arsenal_ck_spinlock_clh_locked(ck_spinlock_clh_t **queue) { return ck_spinlock_clh_locked(queue); }
void arsenal_ck_spinlock_clh_unlock(ck_spinlock_clh_t **thread) { ck_spinlock_clh_unlock(thread); }

/* ---- ck_rwlock ---------------------------------------------------------------------- */

void arsenal_ck_rwlock_init(ck_rwlock_t *rw) { ck_rwlock_init(rw); }
void arsenal_ck_rwlock_write_lock(ck_rwlock_t *rw) { ck_rwlock_write_lock(rw); }
bool arsenal_ck_rwlock_write_trylock(ck_rwlock_t *rw) { return ck_rwlock_write_trylock(rw); }
void arsenal_ck_rwlock_write_unlock(ck_rwlock_t *rw) { ck_rwlock_write_unlock(rw); }
void arsenal_ck_rwlock_write_downgrade(ck_rwlock_t *rw) { ck_rwlock_write_downgrade(rw); }
void arsenal_ck_rwlock_read_lock(ck_rwlock_t *rw) { ck_rwlock_read_lock(rw); }
bool arsenal_ck_rwlock_read_trylock(ck_rwlock_t *rw) { return ck_rwlock_read_trylock(rw); }
void arsenal_ck_rwlock_read_unlock(ck_rwlock_t *rw) { ck_rwlock_read_unlock(rw); }
bool arsenal_ck_rwlock_locked(ck_rwlock_t *rw) { return ck_rwlock_locked(rw); }
bool arsenal_ck_rwlock_locked_writer(ck_rwlock_t *rw) { return ck_rwlock_locked_writer(rw); }
