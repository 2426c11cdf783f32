// SPDX-License-Identifier: MIT
/* Bit arrays for the allocators: page maps, CMA, swiotlb, coherent pools. */
#include "bitmap.h"

#define BITS (8 * sizeof(unsigned long))

bool dk_bit_test(const unsigned long *m, unsigned long i)
{
	return m[i / BITS] & (1UL << (i % BITS));
}

static void set_one(unsigned long *m, unsigned long i, bool v)
{
	if (v)
		m[i / BITS] |= 1UL << (i % BITS);
	else
		m[i / BITS] &= ~(1UL << (i % BITS));
}

void dk_bits_set(unsigned long *m, unsigned long i, unsigned long n, bool v)
{
	/* Bit by bit to a word boundary, then whole words: reserving a
	 * terabyte region must not take seconds. */
	for (; n && i % BITS; n--, i++)
		set_one(m, i, v);
	for (; n >= BITS; n -= BITS, i += BITS)
		m[i / BITS] = v ? ~0UL : 0;
	for (; n; n--, i++)
		set_one(m, i, v);
}

static unsigned long align_up(unsigned long x, unsigned long a)
{
	return (x + a - 1) & ~(a - 1);
}

bool dk_bits_find(const unsigned long *m, unsigned long lo, unsigned long hi,
		  unsigned long n, unsigned long align, unsigned long *out)
{
	unsigned long i = align_up(lo, align), k;

	while (i < hi && n <= hi - i) {
		/* Skip full words quickly: big maps are mostly full or empty. */
		if (!(i % BITS) && m[i / BITS] == ~0UL) {
			i = align_up(i + BITS, align);
			continue;
		}
		for (k = 0; k < n && !dk_bit_test(m, i + k); k++)
			;
		if (k == n) {
			*out = i;
			return true;
		}
		i = align_up(i + k + 1, align);
	}
	return false;
}

bool dk_bits_all(const unsigned long *m, unsigned long i, unsigned long n,
		 bool v)
{
	for (; n--; i++)
		if (dk_bit_test(m, i) != v)
			return false;
	return true;
}
