/* SPDX-License-Identifier: MIT */
/*
 * Copies and compares that the sanitizers do not check. The simulated
 * hardware (snooping, evictions, cache maintenance) reads and writes the
 * CPU's view of buffers that the checker has poisoned while a device owns
 * them; hardware may do that, a driver may not, so only the hardware's
 * accesses go through these.
 */
#ifndef DMAKIT_CORE_RAWMEM_H
#define DMAKIT_CORE_RAWMEM_H

#include <stdbool.h>
#include <stddef.h>

void dk_raw_copy(void *dst, const void *src, size_t n);
void dk_raw_zero(void *dst, size_t n);
/* Offset of the first byte where @a and @b differ, or @n. */
size_t dk_raw_diff(const void *a, const void *b, size_t n);
int dk_raw_cmp(const void *a, const void *b, size_t n);
/*
 * Mark memory the library takes back (@gone) or hands out again, so a
 * program's use after free is caught under ASan or Valgrind where no
 * munmap makes it fault: poisoned for ASan, no-access for Valgrind.
 */
void dk_raw_access(void *p, size_t n, bool gone);

#endif
