/* SPDX-License-Identifier: MIT */
/*
 * Ownership poisoning: while a device owns a streaming buffer, the CPU's
 * view of it is poisoned for AddressSanitizer (manual poisoning) and for
 * Valgrind's memcheck (no-access), so a driver touching it is reported at
 * the faulting line. Without either tool these do nothing.
 */
#ifndef DMAKIT_DEBUG_POISON_H
#define DMAKIT_DEBUG_POISON_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct dk_dbg_entry;

void dk_poison(const void *p, size_t n, const struct dk_dbg_entry *owner);
void dk_unpoison(const void *p, size_t n);
/* Whether this build poisons for AddressSanitizer. */
bool dk_poison_asan(void);
extern atomic_int dk_poison_state;
bool dk_poison_probe(void);

/* Whether poisoning does anything here (ASan build or under Valgrind):
 * inline, as the checker's on/off test is. */
static inline bool dk_poison_active(void)
{
	int a = atomic_load_explicit(&dk_poison_state, memory_order_relaxed);

	return a < 0 ? dk_poison_probe() : a;
}

#endif
