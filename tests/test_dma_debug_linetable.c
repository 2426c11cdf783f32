// SPDX-License-Identifier: MIT
/*
 * The checker's count of mappings per cache line (entry.c), against a
 * plain array, at random: lines come and go in one small region, so
 * their slots crowd each other and every removal moves others back.
 */
#include <string.h>

#include "../src/debug/entry.h"
#include "harness.h"
#include "testsoc.h"

#define NENT 300
#define NLINES 2048
#define BASE 0x7700000000ULL	/* lines no other mapping of the test uses */

static u64 seed = 0x2545f4914f6cdd1dULL;

TEST(debug_line_counts_match_a_plain_array)
{
	static struct dk_dbg_entry ents[NENT];
	static int ref[NLINES];
	bool in[NENT] = { false };
	int step, i;

	memset(ents, 0, sizeof(ents));
	for (step = 0; step < 6000; step++) {
		struct dk_dbg_entry *e = &ents[test_rnd(&seed) % NENT];
		u64 first, last, l;
		int worst = 0;

		if (in[e - ents]) {
			dk_dbg_lines_remove(e, 64);
			CHECK(!e->tracked);
			for (l = (e->pa - BASE) / 64;
			     l <= (e->pa - BASE + e->size - 1) / 64; l++)
				ref[l]--;
			in[e - ents] = false;
			continue;
		}
		e->pa = BASE + test_rnd(&seed) % (NLINES * 64 - 1024);
		e->size = 1 + test_rnd(&seed) % 1024;
		first = (e->pa - BASE) / 64;
		last = (e->pa - BASE + e->size - 1) / 64;
		for (l = first; l <= last; l++)
			worst = ++ref[l] > worst ? ref[l] : worst;
		CHECK_EQ(dk_dbg_lines_insert(e, 64), worst);
		in[e - ents] = true;
	}
	for (i = 0; i < NENT; i++)
		if (in[i])
			dk_dbg_lines_remove(&ents[i], 64);
	/* All gone: one line each, counted from 1 again. */
	for (i = 0; i < NLINES; i += 97) {
		struct dk_dbg_entry e = { .pa = BASE + i * 64ULL, .size = 64 };

		CHECK_EQ(dk_dbg_lines_insert(&e, 64), 1);
		dk_dbg_lines_remove(&e, 64);
	}
}
