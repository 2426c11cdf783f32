// SPDX-License-Identifier: MIT
/*
 * The cache model maintains whole ranges at once; its results must be
 * byte-identical to DESIGN.md's rules applied line by line, in line order.
 * A reference model on plain arrays runs the rules literally beside the
 * simulated SoC, through random CPU stores, DRAM writes and maintenance of
 * random ranges, for each write-back granule and edge policy.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/sim_memory.h>
#include <dmakit/soc.h>

#include "../src/core/rawmem.h"
#include "harness.h"
#include "testsoc.h"

#define BASE 0x80000000ULL
#define SPAN (64 * 1024)	/* the part of RAM the test works in */
#define LINE 64

struct ref {
	u8 cpu[SPAN], mem[SPAN], last[SPAN];
	u64 granule;
	bool edge_clean_inv;
};

static bool ref_dirty(const struct ref *r, u64 o)
{
	return memcmp(r->cpu + o, r->last + o, LINE) != 0;
}

static void ref_clean(struct ref *r, u64 o)
{
	u64 g = o / r->granule * r->granule;

	if (!ref_dirty(r, o))
		return;
	memcpy(r->mem + g, r->cpu + g, r->granule);
	memcpy(r->last + g, r->cpu + g, r->granule);
}

static void ref_inval(struct ref *r, u64 o)
{
	memcpy(r->cpu + o, r->mem + o, LINE);
	memcpy(r->last + o, r->mem + o, LINE);
}

enum op { CLEAN, INVAL, CLEAN_INVAL, EVICT, SPECULATE };

static void ref_op(struct ref *r, enum op op, u64 off, u64 len)
{
	u64 o;

	for (o = off / LINE * LINE; o < off + len; o += LINE) {
		bool partial = o < off || o + LINE > off + len;
		enum op lo = op == INVAL && partial && r->edge_clean_inv ?
				     CLEAN_INVAL : op;

		switch (lo) {
		case CLEAN:
			ref_clean(r, o);
			break;
		case INVAL:
			ref_inval(r, o);
			break;
		case CLEAN_INVAL:
		case EVICT:
			ref_clean(r, o);
			ref_inval(r, o);
			break;
		case SPECULATE:
			if (!ref_dirty(r, o))
				ref_inval(r, o);
			break;
		}
	}
}

static int sim_op(struct dk_soc *soc, enum op op, u64 off, u64 len)
{
	switch (op) {
	case CLEAN:
		return dk_sim_cache_clean(soc, BASE + off, len);
	case INVAL:
		return dk_sim_cache_inval(soc, BASE + off, len);
	case CLEAN_INVAL:
		return dk_sim_cache_clean_inval(soc, BASE + off, len);
	case EVICT:
		return dk_sim_cache_evict(soc, BASE + off, len);
	case SPECULATE:
		return dk_sim_cache_speculate(soc, BASE + off, len);
	}
	return -1;
}

static u64 next(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A run of bytes: short or long, so lines end up dirty alone and in runs. */
static void range(u64 *s, u64 *off, u64 *len)
{
	u64 max = next(s) % 4 ? 3 * LINE : SPAN / 4;

	*off = next(s) % SPAN;
	*len = 1 + next(s) % max;
	if (*off + *len > SPAN)
		*len = SPAN - *off;
}

static bool same(struct dk_soc *soc, const struct ref *r, const char *what,
		 int step)
{
	const u8 *cpu = dk_sim_cpu_ptr(soc, BASE);
	const u8 *mem = dk_sim_dram_ptr(soc, BASE);
	u64 o;

	for (o = 0; o < SPAN; o += LINE) {
		if (memcmp(cpu + o, r->cpu + o, LINE) ||
		    memcmp(mem + o, r->mem + o, LINE) ||
		    dk_sim_line_dirty(soc, BASE + o) != ref_dirty(r, o)) {
			dk_test_fail(__FILE__, __LINE__,
				     "%s: step %d: line 0x%llx differs from the line-by-line rules",
				     what, step, (unsigned long long)o);
			return false;
		}
	}
	return true;
}

static void differential(u64 granule, const char *edge)
{
	char dts[1024];
	struct ref *r = calloc(1, sizeof(*r));
	struct dk_soc *soc;
	u64 s = 0x9e3779b97f4a7c15ULL ^ granule ^ (u64)edge[0] << 32;
	/* Valgrind checks the model's memory accesses, which a tenth of
	 * the steps reach as well; the native runs compare all of them. */
	int step, steps = dk_test_on_valgrind() ? 200 : 2000;

	snprintf(dts, sizeof(dts),
		 "/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
		 "dmakit { eviction-policy = \"never\"; writeback-granule = <%llu>;\n"
		 "	edge-policy = \"%s\"; };\n"
		 "memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x100000>; };\n"
		 "};\n",
		 (unsigned long long)granule, edge);
	soc = testsoc_load(dts, NULL);
	if (!soc || !r) {
		free(r);
		return;
	}
	r->granule = granule;
	r->edge_clean_inv = !strcmp(edge, "clean-invalidate");
	for (step = 0; step < steps; step++) {
		u64 off, len, i, kind = next(&s) % 8;
		u8 *cpu = dk_sim_cpu_ptr(soc, BASE);
		u8 *mem = dk_sim_dram_ptr(soc, BASE);

		range(&s, &off, &len);
		if (kind < 2) {		/* the CPU stores */
			for (i = 0; i < len; i++)
				cpu[off + i] = r->cpu[off + i] = next(&s) % 4;
		} else if (kind < 3) {	/* a device writes DRAM */
			for (i = 0; i < len; i++)
				mem[off + i] = r->mem[off + i] = next(&s) % 4;
		} else {
			enum op op = next(&s) % 5;

			ref_op(r, op, off, len);
			CHECK_EQ(sim_op(soc, op, off, len), 0);
		}
		if (!same(soc, r, edge, step))
			break;
	}
	dk_soc_free(soc);
	free(r);
}

TEST(cache_ranges_match_line_rules_granule_64)
{
	differential(64, "clean-invalidate");
	differential(64, "invalidate");
}

TEST(cache_ranges_match_line_rules_granule_128)
{
	differential(128, "clean-invalidate");
	differential(128, "invalidate");
}

TEST(cache_ranges_match_line_rules_granule_4096)
{
	differential(4096, "clean-invalidate");
}

/*
 * The first dirty line of a big clean range wherever the dirty byte lies:
 * at the edges of the blocks the compare works in (16 KiB chunks, each
 * searched in blocks from a line, doubling), and the earlier of two.
 */
TEST(cache_ranges_first_dirty_across_compare_blocks)
{
	static const u64 offs[] = { 0, 63, 64, 127, 128, 255, 256, 767, 768,
				    1791, 16383, 16384, 16447, 16448, 32767,
				    65535, 65536, 129 * 1024 + 5,
				    (1 << 20) - 1 };
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	u8 *cpu = dk_sim_cpu_ptr(t.soc, BASE);
	phys_addr_t line;
	size_t i;

	CHECK_EQ(dk_sim_cache_clean(t.soc, BASE, 1 << 20), 0);
	CHECK_EQ(dk_sim_first_dirty(t.soc, BASE, 1 << 20, &line), -ENOENT);
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		cpu[offs[i]] ^= 0xff;
		CHECK_EQ(dk_sim_first_dirty(t.soc, BASE, 1 << 20, &line), 0);
		CHECK_EQ(line, BASE + (offs[i] & ~(u64)(LINE - 1)));
		if (i) {	/* the earlier of two dirty lines */
			cpu[offs[i - 1]] ^= 0xff;
			CHECK_EQ(dk_sim_first_dirty(t.soc, BASE, 1 << 20, &line), 0);
			CHECK_EQ(line, BASE + (offs[i - 1] & ~(u64)(LINE - 1)));
			cpu[offs[i - 1]] ^= 0xff;
		}
		cpu[offs[i]] ^= 0xff;	/* as last filled: clean again */
	}
	CHECK_EQ(dk_sim_first_dirty(t.soc, BASE, 1 << 20, &line), -ENOENT);
	testmachine_shutdown(&t);
}

/*
 * A bank's CPU view and DRAM are not a multiple of 256 MiB apart: copies
 * and compares between two buffers that far apart (what every clean and
 * invalidate is) ran at up to 2.5 times their time otherwise, and mmap
 * placed a bank's two views exactly its size apart.
 */
TEST(cache_ranges_views_are_not_a_large_power_of_two_apart)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	int i;

	CHECK(dk_soc_nbanks(t.soc) > 0);
	for (i = 0; i < dk_soc_nbanks(t.soc); i++) {
		const struct dk_bank *b = dk_soc_bank(t.soc, i);
		uintptr_t cpu = (uintptr_t)dk_sim_cpu_ptr(t.soc, b->base);
		uintptr_t mem = (uintptr_t)dk_sim_dram_ptr(t.soc, b->base);
		uintptr_t d = cpu > mem ? cpu - mem : mem - cpu;

		CHECK(cpu && mem);
		CHECK(d % (256UL << 20) != 0);
	}
	testmachine_shutdown(&t);
}

/*
 * A clean looks at the lines after a range's first before the first (a
 * driver's last store is often into it): whichever of a page's lines are
 * dirty -- the first alone, the last alone, both, the first two (one run
 * with the rest), every other one -- exactly those reach DRAM, where a
 * device wrote the clean ones' bytes, which stay.
 */
static void clean_finds(const char *why, phys_addr_t base)
{
	static const u64 masks[] = { 1, 1ULL << 63, 1 | 1ULL << 63, 3, 2, 5,
				     0x5555555555555555ULL, ~0ULL };
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	u8 *cpu = dk_sim_cpu_ptr(t.soc, base);
	u8 *mem = dk_sim_dram_ptr(t.soc, base);
	u8 old[LINE], dirty[LINE], dev[LINE];
	size_t i, k;

	memset(old, 0x11, LINE);
	memcpy(dirty, old, LINE);
	dirty[5] = 0x33;
	memset(dev, 0x22, LINE);
	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		for (k = 0; k < 4096 / LINE; k++)
			CHECK_EQ(dk_sim_store(t.soc, base + k * LINE, old, LINE),
				 0);
		memset(mem, 0x22, 4096);	/* a device writes DRAM */
		for (k = 0; k < 4096 / LINE; k++)
			if (masks[i] >> k & 1)
				cpu[k * LINE + 5] = 0x33;
		/* Inside the first and the last line: the same lines. */
		CHECK_EQ(dk_sim_cache_clean(t.soc, base + 9, 4096 - 20), 0);
		for (k = 0; k < 4096 / LINE; k++) {
			const u8 *want = masks[i] >> k & 1 ? dirty : dev;

			if (memcmp(mem + k * LINE, want, LINE) ||
			    dk_sim_line_dirty(t.soc, base + k * LINE)) {
				dk_test_fail(__FILE__, __LINE__,
					     "%s: dirty lines 0x%llx: line %zu is not what the line-by-line rules leave",
					     why, (unsigned long long)masks[i],
					     k);
				break;
			}
		}
	}
	testmachine_shutdown(&t);
}
TEST(cache_ranges_clean_finds_first_and_last_lines)
{
	clean_finds("one thread", BASE);
	clean_finds("one thread, the bank above 4 GiB", 0x100000000ULL);
}

/* A clean of no byte, or across the end of a bank, says so. */
TEST(cache_ranges_clean_of_a_bad_range)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	const struct dk_bank *b = dk_soc_bank(t.soc, 0);

	CHECK_EQ(dk_sim_cache_clean(t.soc, b->base, 0), -EINVAL);
	CHECK_STR(dk_last_error(), "is empty or overflows");
	CHECK_EQ(dk_sim_cache_clean(t.soc, b->base + b->size - 64, 65),
		 -EINVAL);
	CHECK_STR(dk_last_error(), "is not inside one RAM bank");
	CHECK_EQ(dk_sim_cache_clean(t.soc, b->base + b->size - 64, 64), 0);
	testmachine_shutdown(&t);
}

static void *nothing(void *arg)
{
	return arg;
}

/* Once a second thread has run, a clean locks and looks again at the
 * lines it found dirty. */
TEST(cache_ranges_clean_finds_first_and_last_lines_threaded)
{
	pthread_t th;

	CHECK_EQ(pthread_create(&th, NULL, nothing, NULL), 0);
	CHECK_EQ(pthread_join(th, NULL), 0);
	clean_finds("after a second thread", BASE);
	differential(64, "clean-invalidate");
}

/*
 * The search for a range's first difference after a compare said there
 * is one, when there is none any more (another thread's clean of a
 * shared line between the two looks): it ends, saying none, where it
 * went round for ever.
 */
TEST(cache_ranges_search_ends_when_the_difference_is_gone)
{
	static u8 a[3 * DK_RAW_DIFF_CHUNK], b[3 * DK_RAW_DIFF_CHUNK];

	CHECK_EQ(dk_raw_diff_differs(a, b, 4096, LINE), 4096);
	CHECK_EQ(dk_raw_diff_differs(a, b, 100, LINE), 100);
	b[4095] = 1;
	CHECK_EQ(dk_raw_diff_differs(a, b, 4096, LINE), 4096 - LINE);
	b[4095] = 0;
	b[sizeof(b) - 1] = 1;
	CHECK_EQ(dk_raw_diff_plain(a, b, sizeof(b), LINE), sizeof(b) - LINE);
}
