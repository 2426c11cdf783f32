// SPDX-License-Identifier: MIT
/* The IOVA allocator against a plain sorted array, at random, and its
 * magazines across threads. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "../src/core/thread_no.h"
#include "../src/iommu/iova.h"
#include "harness.h"

#define MAXLIVE 4096

/* The model: live ranges sorted by start. */
struct model {
	u64 start, end;
	int n;
	u64 lo[MAXLIVE], size[MAXLIVE];
};

static u64 rnd_state;

static u64 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static u64 pow2_up(u64 n)
{
	u64 p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/* The highest aligned fit: every gap from the top down, plainly. */
static bool model_fit(const struct model *m, u64 size, u64 limit,
		      bool aligned, u64 *pfn)
{
	u64 mask = aligned ? ~(pow2_up(size) - 1) : ~0ULL;
	int i;

	if (limit > m->end)
		limit = m->end;
	for (i = m->n; i >= 0; i--) {
		u64 base = i ? m->lo[i - 1] + m->size[i - 1] : m->start;
		u64 top = i < m->n ? m->lo[i] - 1 : m->end;

		if (i < m->n && m->lo[i] == base)
			continue;		/* no gap */
		if (base > limit)
			continue;
		if (top > limit)
			top = limit;
		if (top - base + 1 < size)
			continue;
		if (((top - size + 1) & mask) >= base) {
			*pfn = (top - size + 1) & mask;
			return true;
		}
	}
	return false;
}

/* Insert, or false if [lo, lo+size) meets a live range or the bounds. */
static bool model_add(struct model *m, u64 lo, u64 size)
{
	int i = 0;

	if (lo < m->start || lo + size - 1 > m->end || m->n == MAXLIVE)
		return false;
	while (i < m->n && m->lo[i] < lo)
		i++;
	if ((i > 0 && m->lo[i - 1] + m->size[i - 1] > lo) ||
	    (i < m->n && lo + size > m->lo[i]))
		return false;
	memmove(&m->lo[i + 1], &m->lo[i], (m->n - i) * sizeof(u64));
	memmove(&m->size[i + 1], &m->size[i], (m->n - i) * sizeof(u64));
	m->lo[i] = lo;
	m->size[i] = size;
	m->n++;
	return true;
}

static void model_del(struct model *m, int i)
{
	memmove(&m->lo[i], &m->lo[i + 1], (m->n - i - 1) * sizeof(u64));
	memmove(&m->size[i], &m->size[i + 1], (m->n - i - 1) * sizeof(u64));
	m->n--;
}

static u64 random_limit(const struct model *m)
{
	switch (rnd() % 4) {
	case 0:
		return m->end;
	case 1:
		return m->end + rnd() % 1000;		/* past the end */
	case 2:
		return (1ULL << (8 + rnd() % 29)) - 1;	/* a mask */
	default:
		return m->start + rnd() % (m->end - m->start + 1);
	}
}

static u64 random_size(void)
{
	switch (rnd() % 8) {
	case 0:
		return 1 + rnd() % 4096;
	case 1:
		return 1 + rnd() % 200000;
	default:
		return 1 + rnd() % 40;
	}
}

/* Exactly the model's answer, every time, over a 36-bit space. */
TEST(iova_tree_gives_the_highest_fit_below_the_limit)
{
	static struct model m;
	struct dk_iova_stats st;
	struct dk_iova_space *s;
	int op, fails = 0, mismatches = 0;

	rnd_state = 0x9e3779b97f4a7c15ULL;
	m = (struct model){ .start = 256, .end = (1ULL << 36) - 1 };
	s = dk_iova_space_new(m.start, m.end);
	CHECK(s != NULL);
	for (op = 0; op < 30000 && s; op++) {
		if (m.n && (rnd() % 100 < 45 || m.n > 1500)) {
			int i = rnd() % m.n;

			/* A wrong size or a pfn inside the range: refused. */
			CHECK(!dk_iova_free(s, m.lo[i], m.size[i] + 1));
			if (m.size[i] > 1)
				CHECK(!dk_iova_free(s, m.lo[i] + 1, 0));
			CHECK(dk_iova_free(s, m.lo[i], rnd() % 2 ? m.size[i] : 0));
			model_del(&m, i);
		} else {
			u64 size = random_size(), limit = random_limit(&m);
			bool aligned = rnd() % 2;
			u64 want = 0, got = 0;
			bool w = model_fit(&m, size, limit, aligned, &want);
			bool g = dk_iova_alloc(s, size, limit, aligned, &got);

			if (w != g || (w && want != got))
				mismatches++;
			if (g && !model_add(&m, got, size))
				mismatches++;
			fails += !g;
		}
	}
	CHECK_EQ(mismatches, 0);
	CHECK(fails > 0);		/* the limits were tight at times */
	dk_iova_stats(s, &st);
	CHECK_EQ(st.ranges, m.n);
	CHECK_EQ(st.cache_hits, 0);
	while (m.n) {
		CHECK(dk_iova_free(s, m.lo[0], m.size[0]));
		model_del(&m, 0);
	}
	dk_iova_stats(s, &st);
	CHECK_EQ(st.ranges, 0);
	/* Empty again: the whole space is one range once more. */
	CHECK(dk_iova_alloc(s, m.end - m.start + 1, ~0ULL, false, &m.lo[0]));
	CHECK_EQ(m.lo[0], 256);
	dk_iova_space_free(s);
}

/* Through the magazines: never above the limit, never misaligned, never
 * overlapping a live range, whatever sizes and limits come. */
TEST(iova_fast_path_never_overlaps_nor_exceeds_the_limit)
{
	static struct model m;
	struct dk_iova_stats st;
	struct dk_iova_space *s;
	int op, bad = 0, fails = 0;

	rnd_state = 0x2545f4914f6cdd1dULL;
	m = (struct model){ .start = 256, .end = (1ULL << 20) - 1 };
	s = dk_iova_space_new(m.start, m.end);
	for (op = 0; op < 40000 && s; op++) {
		if (m.n && (rnd() % 100 < 48 || m.n > 2000)) {
			int i = rnd() % m.n;

			dk_iova_free_fast(s, m.lo[i], m.size[i]);
			model_del(&m, i);
		} else {
			u64 size = rnd() % 10 ? 1 + rnd() % 32 : 1 + rnd() % 3000;
			u64 limit = random_limit(&m), pfn, span = pow2_up(size);

			if (!dk_iova_alloc_fast(s, size, limit, &pfn)) {
				fails++;
				continue;
			}
			/* The model holds what the allocator reserved: a
			 * small size rounded up to its power of two. */
			if (size > DK_IOVA_CACHED_PAGES)
				span = size;
			/* Freed with the span: it rounds as the size did. */
			if (pfn + span - 1 > limit || pfn % pow2_up(size) ||
			    !model_add(&m, pfn, span))
				bad++;
		}
	}
	CHECK_EQ(bad, 0);
	CHECK(fails > 0);
	dk_iova_stats(s, &st);
	CHECK(st.cache_hits > 1000);
	while (m.n) {
		dk_iova_free_fast(s, m.lo[0], m.size[0]);
		model_del(&m, 0);
	}
	dk_iova_flush(s);
	dk_iova_stats(s, &st);
	CHECK_EQ(st.ranges, 0);
	CHECK_EQ(st.cached, 0);
	dk_iova_space_free(s);
}

TEST(iova_alignment_is_the_size_rounded_up_to_a_power_of_two)
{
	struct dk_iova_space *s = dk_iova_space_new(256, 0xfffff);
	u64 pfn;

	CHECK(dk_iova_alloc(s, 1, ~0ULL, true, &pfn));
	CHECK_EQ(pfn, 0xfffff);
	/* Below it, 16 pages on a 16-page boundary, or right under it. */
	CHECK(dk_iova_alloc(s, 16, ~0ULL, true, &pfn));
	CHECK_EQ(pfn, 0xfffe0);
	CHECK(dk_iova_alloc(s, 16, ~0ULL, false, &pfn));
	CHECK_EQ(pfn, 0xfffd0);
	/* 3 pages fit in the 15 left above 0xfffef, unaligned or not. */
	CHECK(dk_iova_alloc(s, 3, ~0ULL, false, &pfn));
	CHECK_EQ(pfn, 0xffffc);
	CHECK(dk_iova_alloc(s, 3, ~0ULL, true, &pfn));
	CHECK_EQ(pfn, 0xffff8);
	CHECK(dk_iova_alloc(s, 5, 0x7ffff, true, &pfn));
	CHECK_EQ(pfn, 0x7fff8);
	/* The fast path always aligns, and rounds small sizes up. */
	CHECK(dk_iova_alloc_fast(s, 3, ~0ULL, &pfn));
	CHECK_EQ(pfn, 0xffff4);
	CHECK(dk_iova_alloc_fast(s, 33, ~0ULL, &pfn));
	CHECK_EQ(pfn, 0xfff80);
	dk_iova_space_free(s);
}

/* Every pfn handed out, then nothing; what the magazines hold comes
 * back when a large range needs it. */
TEST(iova_exhaustion_fails_cleanly_and_the_magazines_give_back)
{
	struct dk_iova_space *s = dk_iova_space_new(256, 1023);
	struct dk_iova_stats st;
	static u64 got[768];
	u64 pfn;
	int i;

	for (i = 0; i < 768; i++)
		CHECK(dk_iova_alloc_fast(s, 1, ~0ULL, &got[i]));
	CHECK_EQ(got[0], 1023);
	CHECK_EQ(got[767], 256);
	CHECK(!dk_iova_alloc_fast(s, 1, ~0ULL, &pfn));
	CHECK(!dk_iova_alloc(s, 1, ~0ULL, false, &pfn));
	CHECK(!dk_iova_alloc_fast(s, 1, 255, &pfn));	/* below the space */
	CHECK(!dk_iova_alloc(s, 769, ~0ULL, false, &pfn));
	for (i = 0; i < 768; i++)
		dk_iova_free_fast(s, got[i], 1);
	dk_iova_stats(s, &st);
	CHECK(st.cached > 0);
	CHECK_EQ(st.ranges, 768);	/* cached ranges stay allocated */
	CHECK(dk_iova_alloc_fast(s, 512, ~0ULL, &pfn));
	CHECK_EQ(pfn, 512);
	dk_iova_stats(s, &st);
	CHECK_EQ(st.cached, 0);
	CHECK_EQ(st.ranges, 1);
	dk_iova_free_fast(s, pfn, 512);
	dk_iova_stats(s, &st);
	CHECK_EQ(st.ranges, 0);
	/* A pfn that was never allocated is refused, not cached. */
	dk_iova_free_fast(s, 1000, 1);
	dk_iova_stats(s, &st);
	CHECK_EQ(st.cached, 1);		/* 1000 is a plausible 1-page pfn */
	dk_iova_flush(s);
	dk_iova_stats(s, &st);
	CHECK_EQ(st.cached, 0);
	CHECK_EQ(st.ranges, 0);
	dk_iova_space_free(s);
	CHECK(dk_iova_space_new(10, 9) == NULL);
	CHECK(!dk_iova_alloc(NULL, 1, ~0ULL, false, &pfn));
	CHECK(!dk_iova_alloc_fast(NULL, 1, ~0ULL, &pfn));
}

TEST(iova_magazines_serve_small_sizes_without_the_tree)
{
	struct dk_iova_space *s = dk_iova_space_new(256, (1ULL << 32) - 1);
	struct dk_iova_stats a, b;
	u64 pfn, low, sizes[] = { 1, 2, 4, 8, 16, 32 };
	int i, k;

	for (k = 0; k < 6; k++) {
		CHECK(dk_iova_alloc_fast(s, sizes[k], ~0ULL, &pfn));
		dk_iova_free_fast(s, pfn, sizes[k]);
	}
	dk_iova_stats(s, &a);
	for (i = 0; i < 10000; i++)
		for (k = 0; k < 6; k++) {
			CHECK(dk_iova_alloc_fast(s, sizes[k], ~0ULL, &pfn));
			dk_iova_free_fast(s, pfn, sizes[k]);
		}
	dk_iova_stats(s, &b);
	CHECK_EQ(b.tree_allocs, a.tree_allocs);
	CHECK_EQ(b.tree_frees, a.tree_frees);
	CHECK_EQ(b.cache_hits - a.cache_hits, 60000);
	/* A cached range above a lower limit is not handed out. */
	CHECK(dk_iova_alloc_fast(s, 1, ~0ULL, &pfn));
	dk_iova_free_fast(s, pfn, 1);
	CHECK(dk_iova_alloc_fast(s, 1, 0xfffff, &low));
	CHECK_EQ(low, 0xfffff);
	CHECK(dk_iova_alloc_fast(s, 1, ~0ULL, &pfn));	/* the cached one */
	CHECK_EQ(pfn, 0xffffffff);
	dk_iova_free_fast(s, pfn, 1);
	dk_iova_free_fast(s, low, 1);
	/* Under a cached range above the limit, an older one below it is
	 * still the magazine's to give, with no tree call. */
	{
		struct dk_iova_space *t = dk_iova_space_new(256, (1ULL << 32) - 1);
		u64 hi;

		CHECK(dk_iova_alloc(t, 1, 0xfffff, true, &low));
		CHECK(dk_iova_alloc(t, 1, ~0ULL, true, &hi));
		dk_iova_free_fast(t, low, 1);
		dk_iova_free_fast(t, hi, 1);
		dk_iova_stats(t, &a);
		CHECK(dk_iova_alloc_fast(t, 1, 0xfffff, &pfn));
		dk_iova_stats(t, &b);
		CHECK_EQ(pfn, low);
		CHECK_EQ(b.tree_allocs, a.tree_allocs);
		CHECK_EQ(b.cache_hits - a.cache_hits, 1);
		CHECK(dk_iova_alloc_fast(t, 1, ~0ULL, &pfn));
		CHECK_EQ(pfn, hi);
		dk_iova_space_free(t);
	}
	/* More frees than two magazines hold go through the depot. */
	{
		static u64 many[1000];

		for (i = 0; i < 1000; i++)
			CHECK(dk_iova_alloc_fast(s, 1, ~0ULL, &many[i]));
		for (i = 0; i < 1000; i++)
			dk_iova_free_fast(s, many[i], 1);
		dk_iova_stats(s, &a);
		for (i = 0; i < 1000; i++)
			CHECK(dk_iova_alloc_fast(s, 1, ~0ULL, &many[i]));
		dk_iova_stats(s, &b);
		CHECK(b.cache_hits - a.cache_hits >= 1000 - 2 * 64);
		for (i = 0; i < 1000; i++)
			dk_iova_free_fast(s, many[i], 1);
	}
	dk_iova_space_free(s);
}

/* Two threads allocating and freeing at once: each pfn has at most one
 * owner at any time, checked page by page with atomic claims. */
#define TSPACE (1U << 17)

struct claim {
	struct dk_iova_space *s;
	atomic_int *owner;
	int id, overlaps, failures;
	u64 seed;
	int ops;
};

static void *claimer(void *p)
{
	struct claim *c = p;
	u64 pfn[64], size[64], x = c->seed;
	int n = 0, op, k;

	for (op = 0; op < c->ops; op++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (n == 64 || (n && x % 2)) {
			int i = x / 2 % n;
			u64 span = size[i] <= 32 ? pow2_up(size[i]) : size[i];

			for (k = 0; k < (int)span; k++)
				atomic_store(&c->owner[pfn[i] + k], 0);
			dk_iova_free_fast(c->s, pfn[i], size[i]);
			pfn[i] = pfn[--n];
			size[i] = size[n];
		} else {
			u64 sz = x % 16 ? 1 + x / 16 % 32 : 33 + x / 16 % 64;
			u64 span = sz <= 32 ? pow2_up(sz) : sz;
			u64 limit = x % 3 ? TSPACE - 1 : TSPACE / 2 - 1;

			if (!dk_iova_alloc_fast(c->s, sz, limit, &pfn[n])) {
				c->failures++;
				continue;
			}
			if (pfn[n] + span - 1 > limit)
				c->overlaps++;
			for (k = 0; k < (int)span; k++)
				if (atomic_exchange(&c->owner[pfn[n] + k],
						    c->id))
					c->overlaps++;
			size[n++] = sz;
		}
	}
	while (n--) {
		u64 span = size[n] <= 32 ? pow2_up(size[n]) : size[n];

		for (k = 0; k < (int)span; k++)
			atomic_store(&c->owner[pfn[n] + k], 0);
		dk_iova_free_fast(c->s, pfn[n], size[n]);
	}
	return NULL;
}

TEST(iova_magazines_across_two_threads_never_overlap)
{
	struct dk_iova_space *s = dk_iova_space_new(256, TSPACE - 1);
	atomic_int *owner = calloc(TSPACE, sizeof(*owner));
	struct claim c[2] = { { s, owner, 1, 0, 0, 0x1234567, 20000 },
			      { s, owner, 2, 0, 0, 0x7654321, 20000 } };
	struct dk_iova_stats st;
	pthread_t t[2];
	int i;

	for (i = 0; i < 2; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, claimer, &c[i]), 0);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(c[0].overlaps + c[1].overlaps, 0);
	CHECK_EQ(c[0].failures + c[1].failures, 0);
	dk_iova_stats(s, &st);
	CHECK(st.cache_hits > 10000);
	CHECK_EQ(st.ranges, st.cached);	/* all freed: only cached ones */
	dk_iova_flush(s);
	dk_iova_stats(s, &st);
	CHECK_EQ(st.ranges, 0);
	dk_iova_space_free(s);
	free(owner);
}

/* More threads than magazine slots: some share one, and take turns. */
TEST(iova_magazines_shared_by_more_threads_than_slots_never_overlap)
{
	struct dk_iova_space *s = dk_iova_space_new(256, TSPACE - 1);
	atomic_int *owner = calloc(TSPACE, sizeof(*owner));
	struct claim c[10];
	struct dk_iova_stats st;
	pthread_t t[10];
	int i, bad = 0;

	for (i = 0; i < 10; i++)
		c[i] = (struct claim){ s, owner, i + 1, 0, 0,
				       0x9e3779b9ULL * (i + 1), 2000 };
	for (i = 0; i < 10; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, claimer, &c[i]), 0);
	for (i = 0; i < 10; i++) {
		pthread_join(t[i], NULL);
		bad += c[i].overlaps + c[i].failures;
	}
	CHECK_EQ(bad, 0);
	dk_iova_stats(s, &st);
	CHECK_EQ(st.ranges, st.cached);
	dk_iova_flush(s);
	dk_iova_stats(s, &st);
	CHECK_EQ(st.ranges, 0);
	dk_iova_space_free(s);
	free(owner);
}

/* One page-table line's worth of pages (8 pages of 8-byte entries per
 * 64-byte line): a thread that goes to the tree keeps the rest of its
 * group, so two threads never map pages of one line. */
#define GROUP 8

static void *one_page(void *p)
{
	struct claim *c = p;
	u64 pfn;

	c->failures = !dk_iova_alloc_fast(c->s, 1, ~0ULL, &pfn);
	c->seed = pfn;
	return NULL;
}

TEST(iova_two_threads_get_pages_of_different_table_lines)
{
	struct dk_iova_space *s = dk_iova_space_new(256, 0xfffff);
	struct claim c[2] = { { .s = s }, { .s = s } };
	struct dk_iova_stats st;
	u64 pfn, seq[GROUP + 1];
	pthread_t t;
	int i;

	/* One thread at a time, each its first page: the second one is
	 * given the next group down, not the page below the first's. */
	one_page(&c[0]);
	CHECK_EQ(pthread_create(&t, NULL, one_page, &c[1]), 0);
	pthread_join(t, NULL);
	for (i = 0; i < 2; i++)
		CHECK_EQ(c[i].failures, 0);
	CHECK_EQ(c[0].seed, 0xfffff);
	CHECK_EQ(c[1].seed, 0xffff7);
	dk_iova_stats(s, &st);
	CHECK_EQ(st.ranges, 2 * GROUP);
	CHECK_EQ(st.cached, 2 * (GROUP - 1));
	CHECK_EQ(st.tree_allocs, 2 * GROUP);
	for (i = 0; i < 2; i++)
		CHECK(dk_iova_free(s, c[i].seed, 1));
	dk_iova_flush(s);
	dk_iova_stats(s, &st);
	CHECK_EQ(st.ranges, 0);
	/* One thread alone: the order of the tree, page after page. */
	for (i = 0; i <= GROUP; i++)
		CHECK(dk_iova_alloc_fast(s, 1, ~0ULL, &seq[i]));
	for (i = 0; i <= GROUP; i++)
		CHECK_EQ(seq[i], 0xfffff - i);
	dk_iova_stats(s, &st);
	CHECK_EQ(st.cache_hits, GROUP - 1);
	CHECK_EQ(st.cached, GROUP - 1);
	/* Two-page ranges: four to a group, the highest free one and the
	 * three below it. */
	CHECK(dk_iova_alloc_fast(s, 2, ~0ULL, &pfn));
	CHECK_EQ(pfn, 0xfffee);
	dk_iova_stats(s, &st);
	CHECK_EQ(st.cached, GROUP - 1 + 3);
	/* A range already taken stops the stocking: nothing below it. */
	CHECK(dk_iova_alloc(s, 1, 0xfffe5, false, &pfn));
	CHECK_EQ(pfn, 0xfffe5);
	CHECK(dk_iova_alloc_fast(s, 1, 0xfffe7, &pfn));
	CHECK_EQ(pfn, 0xfffe7);
	dk_iova_stats(s, &st);
	CHECK_EQ(st.cached, GROUP - 1 + 3 + 1);
	CHECK(dk_iova_alloc_fast(s, 1, 0xfffe7, &pfn));
	CHECK_EQ(pfn, 0xfffe6);
	CHECK(dk_iova_alloc_fast(s, 1, 0xfffe7, &pfn));
	CHECK_EQ(pfn, 0xfffe4);
	dk_iova_space_free(s);
}

/* A slot that runs dry takes back its own frees from the depot first,
 * though another thread's are newer: its IOVAs stay in its lines. */
#define BATCH 200

static u64 theirs[BATCH];
static unsigned int my_no;

/* Another thread's frees, from another slot: one of the 8 whose number
 * is the test thread's modulo 8 would share its slot (threads are given
 * numbers in turn: the next one does not). */
static void *give_back_theirs(void *p)
{
	int i;

	if ((dk_thread_no() - my_no) % 8 == 0)
		return p;
	for (i = 0; i < BATCH; i++)
		dk_iova_free_fast(p, theirs[i], 1);
	return NULL;
}

TEST(iova_a_thread_gets_its_own_magazines_back_from_the_depot)
{
	struct dk_iova_space *s = dk_iova_space_new(256, 0xfffff);
	u64 mine[BATCH], pfn;
	void *same;
	pthread_t t;
	int i, foreign = 0;

	for (i = 0; i < BATCH; i++)
		CHECK(dk_iova_alloc_fast(s, 1, ~0ULL, &mine[i]));
	for (i = 0; i < BATCH; i++)
		CHECK(dk_iova_alloc_fast(s, 1, ~0ULL, &theirs[i]));
	/* Mine fill this slot's two magazines and go on to the depot,
	 * then another thread's frees go there after them. */
	for (i = 0; i < BATCH; i++)
		dk_iova_free_fast(s, mine[i], 1);
	my_no = dk_thread_no();
	do {
		CHECK_EQ(pthread_create(&t, NULL, give_back_theirs, s), 0);
		pthread_join(t, &same);
	} while (same);
	for (i = 0; i < BATCH; i++) {
		CHECK(dk_iova_alloc_fast(s, 1, ~0ULL, &pfn));
		/* Mine are the highest BATCH pages: theirs are below. */
		foreign += pfn <= 0xfffff - BATCH;
	}
	CHECK_EQ(foreign, 0);
	dk_iova_space_free(s);
}
