// SPDX-License-Identifier: MIT
/* Bit arrays for the allocators: page maps, CMA, swiotlb, coherent pools. */
#include "bitmap.h"

#define BITS (8 * sizeof(unsigned long))

bool dk_bit_test(const unsigned long *m, unsigned long i)
{
	return m[i / BITS] & (1UL << (i % BITS));
}

/* Bits [from, from + n) of one word; from + n <= BITS. */
static unsigned long word_mask(unsigned long from, unsigned long n)
{
	return (n >= BITS ? ~0UL : (1UL << n) - 1) << from;
}

/* How many bits of [i, i+n) lie in i's word. */
static unsigned long in_word(unsigned long i, unsigned long n)
{
	return BITS - i % BITS < n ? BITS - i % BITS : n;
}

void dk_bits_set(unsigned long *m, unsigned long i, unsigned long n, bool v)
{
	unsigned long k, mask;

	/* A word at a time, edges by mask: the checker sets a mapping's
	 * few line bits on every map, and reserving a terabyte region must
	 * not take seconds. */
	for (; n; n -= k, i += k) {
		k = in_word(i, n);
		mask = word_mask(i % BITS, k);
		if (v)
			m[i / BITS] |= mask;
		else
			m[i / BITS] &= ~mask;
	}
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
	unsigned long k, mask, w;

	for (; n; n -= k, i += k) {
		k = in_word(i, n);
		mask = word_mask(i % BITS, k);
		w = m[i / BITS] & mask;
		if (w != (v ? mask : 0))
			return false;
	}
	return true;
}
