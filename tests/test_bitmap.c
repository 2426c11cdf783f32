// SPDX-License-Identifier: MIT
/* The allocators' and the checker's bit arrays against one bit at a time. */
#include <string.h>

#include "../src/core/bitmap.h"
#include "harness.h"

#define NBITS 300
#define WORDS DK_BITMAP_LONGS(NBITS)

static unsigned long long seed = 0x2545f4914f6cdd1dULL;

static unsigned long rnd(unsigned long n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed % n;
}

static bool ref_get(const bool *r, unsigned long i)
{
	return r[i];
}

/* Every run, inside one word, across words and whole words, both ways. */
TEST(bitmap_set_and_all_match_bit_by_bit)
{
	unsigned long m[WORDS];
	bool ref[NBITS];
	unsigned long k, i, n, j;
	bool v, all;

	memset(m, 0, sizeof(m));
	memset(ref, 0, sizeof(ref));
	for (k = 0; k < 4000; k++) {
		i = rnd(NBITS);
		n = rnd(NBITS - i + 1);
		v = rnd(2);
		if (rnd(2)) {
			dk_bits_set(m, i, n, v);
			for (j = i; j < i + n; j++)
				ref[j] = v;
		}
		all = true;
		for (j = i; j < i + n; j++)
			all = all && ref_get(ref, j) == v;
		CHECK_EQ(dk_bits_all(m, i, n, v), all);
		j = rnd(NBITS);
		CHECK_EQ(dk_bit_test(m, j), ref[j]);
	}
	for (j = 0; j < NBITS; j++)
		CHECK_EQ(dk_bit_test(m, j), ref[j]);
	/* Bits beyond the array's last used one stay untouched. */
	dk_bits_set(m, 0, NBITS, true);
	CHECK_EQ(m[WORDS - 1] >> (NBITS % (8 * sizeof(long))), 0UL);
	CHECK(dk_bits_all(m, 0, NBITS, true));
	CHECK(dk_bits_all(m, 5, 0, false));
}
