/* SPDX-License-Identifier: MIT */
#ifndef DMAKIT_CORE_BITMAP_H
#define DMAKIT_CORE_BITMAP_H

#include <stdbool.h>

#define DK_BITMAP_LONGS(n) (((n) + 8 * sizeof(long) - 1) / (8 * sizeof(long)))

bool dk_bit_test(const unsigned long *m, unsigned long i);
void dk_bits_set(unsigned long *m, unsigned long i, unsigned long n, bool v);
/* All of bits [i, i+n) equal @v. */
bool dk_bits_all(const unsigned long *m, unsigned long i, unsigned long n,
		 bool v);
/* First run of @n clear bits starting at a multiple of @align (a power of
 * two) inside [lo, hi). */
bool dk_bits_find(const unsigned long *m, unsigned long lo, unsigned long hi,
		  unsigned long n, unsigned long align, unsigned long *out);

#endif
