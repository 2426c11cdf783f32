// SPDX-License-Identifier: MIT
/*
 * The IOVA allocator. The tree is an AVL tree of allocated ranges in which
 * every node also knows the free gap just below it and the largest gap of
 * its subtree, so the top-down search goes straight to the highest gap
 * that can hold a range and never walks the ranges one by one: Linux gets
 * close to that with a cached starting node, this gets it always, in
 * O(log n), and the answer is exactly "the highest fit", which a test can
 * check against a simple model. An anchor node above the space makes the
 * room above the highest range a gap like any other.
 *
 * In front of the tree, as in Linux's rcache: per size class (1, 2, 4 ...
 * 32 pages) each thread slot keeps two magazines of freed pfns, and a
 * depot keeps full magazines for the slots that run dry. Cached ranges
 * stay allocated in the tree, so nothing can hand them out twice. Lock
 * order: slot, then depot, then tree.
 *
 * A slot that goes to the tree for a range smaller than GROUP_PAGES also
 * takes the free ranges below it in the same aligned group into its
 * magazine: a group is what one 64-byte line of an IOMMU page table maps,
 * so two threads' IOVAs sit in lines of their own and their page-table
 * writes do not pass one line back and forth. One thread alone still gets
 * the same IOVAs in the same order as from the tree.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "iova.h"
#include "thread_slot.h"

#define NCLASS 6		/* 1 << 0 ... 1 << 5 = DK_IOVA_CACHED_PAGES */
#define MAG_SIZE 64
#define NSLOT 8
#define DEPOT_MAX 16
#define GROUP_PAGES 8		/* 8-byte entries in a 64-byte line */

struct node {
	struct node *kid[2];	/* lower, higher ranges */
	u64 lo, hi;		/* allocated pfns, inclusive */
	u64 gap;		/* free pfns just below lo */
	u64 max_gap;		/* the largest gap in this subtree */
	int height;
};

struct mag {
	unsigned int n;
	unsigned int slot;	/* whose frees filled it (in the depot) */
	u64 pfn[MAG_SIZE];
};

struct slot {
	atomic_bool busy;	/* its lock: see slot_lock() */
	struct mag *loaded[NCLASS], *prev[NCLASS];
	unsigned long hits;
	char pad[64];		/* keep two threads' slots off one line */
};

struct depot {
	pthread_mutex_t lock;
	unsigned int n;
	struct mag *full[DEPOT_MAX];
};

struct dk_iova_space {
	pthread_mutex_t lock;	/* the tree and its counters */
	struct node *root;
	struct node top;	/* the anchor at end + 1 */
	u64 start, end;
	unsigned long ranges, allocs, frees;
	struct depot depot[NCLASS];
	struct slot slot[NSLOT];
};

/* ---- the tree */

static int height(const struct node *n)
{
	return n ? n->height : 0;
}

static u64 max_gap(const struct node *n)
{
	return n ? n->max_gap : 0;
}

static void pull(struct node *n)
{
	int a = height(n->kid[0]), b = height(n->kid[1]);
	u64 g = n->gap;

	n->height = 1 + (a > b ? a : b);
	if (max_gap(n->kid[0]) > g)
		g = max_gap(n->kid[0]);
	if (max_gap(n->kid[1]) > g)
		g = max_gap(n->kid[1]);
	n->max_gap = g;
}

/* Lower @n to side @d; its child on the other side takes its place. */
static struct node *rotate(struct node *n, int d)
{
	struct node *k = n->kid[!d];

	n->kid[!d] = k->kid[d];
	k->kid[d] = n;
	pull(n);
	pull(k);
	return k;
}

static struct node *rebalance(struct node *n)
{
	int b, d;

	pull(n);
	b = height(n->kid[1]) - height(n->kid[0]);
	if (b >= -1 && b <= 1)
		return n;
	d = b > 0;		/* the taller side */
	if (height(n->kid[d]->kid[!d]) > height(n->kid[d]->kid[d]))
		n->kid[d] = rotate(n->kid[d], d);
	return rotate(n, !d);
}

static struct node *insert(struct node *t, struct node *n)
{
	int d;

	if (!t) {
		pull(n);
		return n;
	}
	d = n->lo > t->lo;
	t->kid[d] = insert(t->kid[d], n);
	return rebalance(t);
}

static struct node *take_lowest(struct node *t, struct node **low)
{
	if (!t->kid[0]) {
		*low = t;
		return t->kid[1];
	}
	t->kid[0] = take_lowest(t->kid[0], low);
	return rebalance(t);
}

/* Take @n, which is in @t, out of it. */
static struct node *unlink_node(struct node *t, struct node *n)
{
	struct node *low;

	if (t != n) {
		int d = n->lo > t->lo;

		t->kid[d] = unlink_node(t->kid[d], n);
		return rebalance(t);
	}
	if (!n->kid[0] || !n->kid[1])
		return n->kid[0] ? n->kid[0] : n->kid[1];
	n->kid[1] = take_lowest(n->kid[1], &low);
	low->kid[0] = n->kid[0];
	low->kid[1] = n->kid[1];
	return rebalance(low);
}

/* Pull the nodes from @t down to the one starting at @lo again. */
static void refresh(struct node *t, u64 lo)
{
	if (!t)
		return;
	if (t->lo != lo)
		refresh(t->kid[lo > t->lo], lo);
	pull(t);
}

/* The node starting at @lo, and its neighbours (NULL: none). */
static struct node *find(const struct dk_iova_space *s, u64 lo,
			 struct node **below, struct node **above)
{
	struct node *t = s->root, *k;

	*below = *above = NULL;
	while (t && t->lo != lo) {
		if (lo > t->lo) {
			*below = t;
			t = t->kid[1];
		} else {
			*above = t;
			t = t->kid[0];
		}
	}
	if (!t)
		return NULL;
	for (k = t->kid[0]; k; k = k->kid[1])
		*below = k;
	for (k = t->kid[1]; k; k = k->kid[0])
		*above = k;
	return t;
}

/*
 * The highest start aligned by @mask at which @size pages fit in a gap of
 * @n's subtree and end at or below @limit: the node whose gap it is, and
 * *@pfn. Gaps of the higher subtree all lie above n->hi.
 */
static struct node *fit(struct node *n, u64 size, u64 limit, u64 mask,
			u64 *pfn)
{
	struct node *g;
	u64 base, top, at;

	if (!n || n->max_gap < size)
		return NULL;
	if (n->hi < limit && (g = fit(n->kid[1], size, limit, mask, pfn)))
		return g;
	base = n->lo - n->gap;
	if (n->gap >= size && base <= limit) {
		top = n->lo - 1 < limit ? n->lo - 1 : limit;
		if (top - base + 1 >= size) {
			at = (top - size + 1) & mask;
			if (at >= base) {
				*pfn = at;
				return n;
			}
		}
	}
	return fit(n->kid[0], size, limit, mask, pfn);
}

static u64 pow2_up(u64 n)
{
	return n <= 1 ? 1 : 1ULL << (64 - __builtin_clzll(n - 1));
}

bool dk_iova_alloc(struct dk_iova_space *s, u64 npages, u64 limit,
		   bool size_aligned, u64 *pfn)
{
	u64 mask = size_aligned ? ~(pow2_up(npages) - 1) : ~0ULL;
	struct node *n, *g;

	if (!s || !npages || limit < s->start ||
	    npages > s->end - s->start + 1 || npages > 1ULL << 62)
		return false;
	if (limit > s->end)
		limit = s->end;
	n = calloc(1, sizeof(*n));
	if (!n)
		return false;
	pthread_mutex_lock(&s->lock);
	g = fit(s->root, npages, limit, mask, pfn);
	if (g) {
		n->lo = *pfn;
		n->hi = *pfn + npages - 1;
		n->gap = n->lo - (g->lo - g->gap);
		g->gap = g->lo - n->hi - 1;
		/* g is an ancestor of n's place: insert() pulls it. */
		s->root = insert(s->root, n);
		s->ranges++;
		s->allocs++;
	}
	pthread_mutex_unlock(&s->lock);
	if (!g)
		free(n);
	return g != NULL;
}

/* Under the tree's lock. */
static bool tree_free(struct dk_iova_space *s, u64 pfn, u64 npages)
{
	struct node *below, *above, *n = find(s, pfn, &below, &above);

	if (!n || n == &s->top || (npages && n->hi - n->lo + 1 != npages))
		return false;
	/* above may sit below n's lone child, where the unlink pulls
	 * nothing: pull its path once the tree has its new shape. */
	above->gap = above->lo - (below ? below->hi + 1 : s->start);
	s->root = unlink_node(s->root, n);
	refresh(s->root, above->lo);
	free(n);
	s->ranges--;
	s->frees++;
	return true;
}

bool dk_iova_free(struct dk_iova_space *s, u64 pfn, u64 npages)
{
	bool ok;

	if (!s)
		return false;
	pthread_mutex_lock(&s->lock);
	ok = tree_free(s, pfn, npages);
	pthread_mutex_unlock(&s->lock);
	return ok;
}

/* ---- the magazines */

static inline int class_of(u64 npages)
{
	if (!npages || npages > DK_IOVA_CACHED_PAGES)
		return -1;
	return npages == 1 ? 0 : 64 - __builtin_clzll(npages - 1);
}

/* A slot is nearly always its thread's alone: threads share one only
 * when more than NSLOT map at once (thread_slot.h). */
static struct slot *slot_of(struct dk_iova_space *s)
{
	return &s->slot[dk_thread_no() % NSLOT];
}

static void slot_lock(struct slot *sl)
{
	dk_slot_lock(&sl->busy);
}

static void slot_unlock(struct slot *sl)
{
	dk_slot_unlock(&sl->busy);
}

/* Give a magazine's ranges back to the tree. */
static void mag_release(struct dk_iova_space *s, struct mag *m, int c)
{
	unsigned int i;

	if (!m->n)
		return;
	pthread_mutex_lock(&s->lock);
	for (i = 0; i < m->n; i++)
		tree_free(s, m->pfn[i], 1ULL << c);
	pthread_mutex_unlock(&s->lock);
	m->n = 0;
}

/* The newest cached range of @m that ends at or below @limit. */
static bool mag_pop(struct mag *m, u64 size, u64 limit, u64 *pfn)
{
	unsigned int i;

	for (i = m->n; i-- > 0;)
		if (m->pfn[i] + size - 1 <= limit) {
			*pfn = m->pfn[i];
			m->pfn[i] = m->pfn[--m->n];
			return true;
		}
	return false;
}

static void swap(struct mag **a, struct mag **b)
{
	struct mag *t = *a;

	*a = *b;
	*b = t;
}

/*
 * A full magazine of @d (its lock held, one there): the newest of slot
 * @me's own if any, so a thread gets back the IOVAs it freed, in lines of
 * page-table entries no other thread writes, as long as the depot holds
 * some of them; else the newest.
 */
static struct mag *depot_take(struct depot *d, unsigned int me)
{
	unsigned int k = d->n;
	struct mag *m;

	while (k-- > 0 && d->full[k]->slot != me)
		;
	if (k >= d->n)
		k = d->n - 1;
	m = d->full[k];
	d->full[k] = d->full[--d->n];
	return m;
}

static bool cache_get(struct dk_iova_space *s, int c, u64 limit, u64 *pfn)
{
	struct slot *sl = slot_of(s);
	struct depot *d = &s->depot[c];
	bool hit;

	slot_lock(sl);
	if (!sl->loaded[c]->n && sl->prev[c]->n)
		swap(&sl->loaded[c], &sl->prev[c]);
	if (!sl->loaded[c]->n) {
		pthread_mutex_lock(&d->lock);
		if (d->n) {
			free(sl->loaded[c]);
			sl->loaded[c] = depot_take(d, sl - s->slot);
		}
		pthread_mutex_unlock(&d->lock);
	}
	hit = mag_pop(sl->loaded[c], 1ULL << c, limit, pfn);
	sl->hits += hit;
	slot_unlock(sl);
	return hit;
}

static void cache_put(struct dk_iova_space *s, int c, u64 pfn)
{
	struct slot *sl = slot_of(s);
	struct depot *d = &s->depot[c];
	struct mag *fresh;

	slot_lock(sl);
	if (sl->loaded[c]->n == MAG_SIZE && sl->prev[c]->n < MAG_SIZE)
		swap(&sl->loaded[c], &sl->prev[c]);
	if (sl->loaded[c]->n == MAG_SIZE) {
		fresh = calloc(1, sizeof(*fresh));
		pthread_mutex_lock(&d->lock);
		if (fresh && d->n < DEPOT_MAX) {
			sl->loaded[c]->slot = sl - s->slot;
			d->full[d->n++] = sl->loaded[c];
			sl->loaded[c] = fresh;
			fresh = NULL;
		}
		pthread_mutex_unlock(&d->lock);
		/* A full depot (or no memory): the tree takes them back. */
		free(fresh);
		if (sl->loaded[c]->n == MAG_SIZE)
			mag_release(s, sl->loaded[c], c);
	}
	sl->loaded[c]->pfn[sl->loaded[c]->n++] = pfn;
	slot_unlock(sl);
}

/*
 * Take the free ranges of class @c just below @pfn, down to its group's
 * start, from the tree into the bottom of this slot's magazine, the
 * highest on top of them: they go out after what the magazine held,
 * highest first, as the tree would hand them out.
 */
static void stock_group(struct dk_iova_space *s, int c, u64 pfn)
{
	u64 size = 1ULL << c, at, q;
	struct node *n[GROUP_PAGES];
	struct slot *sl = slot_of(s);
	unsigned int k, made, got = 0;
	struct mag *m;

	/* At most GROUP_PAGES - 1 ranges of one page below @pfn. */
	for (made = 0; made < (pfn % GROUP_PAGES) >> c; made++)
		if (!(n[made] = calloc(1, sizeof(**n))))
			break;
	slot_lock(sl);
	m = sl->loaded[c];
	pthread_mutex_lock(&s->lock);
	for (k = 1; got < made && m->n + got < MAG_SIZE; k++) {
		struct node *g;

		q = pfn - k * size;
		g = fit(s->root, size, q + size - 1, ~(size - 1), &at);
		if (q < s->start || !g || at != q)
			break;		/* taken: the rest is someone's */
		n[got]->lo = q;
		n[got]->hi = q + size - 1;
		n[got]->gap = q - (g->lo - g->gap);
		g->gap = g->lo - q - size;
		s->root = insert(s->root, n[got++]);
		s->ranges++;
		s->allocs++;
	}
	pthread_mutex_unlock(&s->lock);
	memmove(&m->pfn[got], m->pfn, m->n * sizeof(m->pfn[0]));
	for (k = 0; k < got; k++)
		m->pfn[k] = n[got - 1 - k]->lo;
	m->n += got;
	slot_unlock(sl);
	while (made > got)
		free(n[--made]);
}

/* dk_iova_alloc_fast() past its first look at the magazine. */
static __attribute__((noinline)) bool
alloc_slow(struct dk_iova_space *s, u64 npages, u64 limit, u64 *pfn)
{
	int c = class_of(npages);
	u64 size = c < 0 ? npages : 1ULL << c;

	if (!s || !npages)
		return false;
	if (c >= 0 && cache_get(s, c, limit, pfn))
		return true;
	if (dk_iova_alloc(s, size, limit, true, pfn)) {
		if (c >= 0 && size < GROUP_PAGES)
			stock_group(s, c, *pfn);
		return true;
	}
	/* What the magazines hold may be what is missing. */
	dk_iova_flush(s);
	return dk_iova_alloc(s, size, limit, true, pfn);
}

/*
 * The common case first, as Linux's per-CPU rcache is a push and a pop:
 * the newest range of this slot's loaded magazine, when it fits below
 * @limit and the slot is free (a busy one, shared with another thread,
 * is waited for on the way the rest goes). What mag_pop() would take.
 */
bool dk_iova_alloc_fast(struct dk_iova_space *s, u64 npages, u64 limit,
			u64 *pfn)
{
	int c = class_of(npages);
	unsigned int no = dk_thread_no_tls, n;
	struct slot *sl;
	struct mag *m;

	/* A thread yet without a number gets it the slow way: no call
	 * here, so nothing is saved around one. */
	if (c < 0 || !s || no == ~0U)
		return alloc_slow(s, npages, limit, pfn);
	sl = &s->slot[no % NSLOT];
	if (atomic_exchange_explicit(&sl->busy, true, memory_order_acquire))
		return alloc_slow(s, npages, limit, pfn);
	m = sl->loaded[c];
	n = m->n;
	if (n && m->pfn[n - 1] + ((1ULL << c) - 1) <= limit) {
		*pfn = m->pfn[n - 1];
		m->n = n - 1;
		sl->hits++;
		slot_unlock(sl);
		return true;
	}
	slot_unlock(sl);
	return alloc_slow(s, npages, limit, pfn);
}

/* dk_iova_free_fast() past its first look at the magazine. */
static __attribute__((noinline)) void
free_slow(struct dk_iova_space *s, u64 pfn, u64 npages)
{
	int c = class_of(npages);
	u64 size = c < 0 ? npages : 1ULL << c;

	if (!s)
		return;
	/* A pfn that cannot be a range of this class (a caller's wrong
	 * size) goes to the tree, which refuses what it did not allocate. */
	if (c >= 0 && !(pfn & (size - 1)) && pfn >= s->start &&
	    pfn <= s->end - size + 1) {
		cache_put(s, c, pfn);
		return;
	}
	dk_iova_free(s, pfn, size);
}

/* A push on this slot's loaded magazine when it has room, as cache_put()
 * would make; anything else the slow way. */
void dk_iova_free_fast(struct dk_iova_space *s, u64 pfn, u64 npages)
{
	int c = class_of(npages);
	unsigned int no = dk_thread_no_tls;
	struct slot *sl;
	struct mag *m;

	if (c < 0 || !s || no == ~0U || pfn & ((1ULL << c) - 1) ||
	    pfn < s->start || pfn > s->end - ((1ULL << c) - 1)) {
		free_slow(s, pfn, npages);
		return;
	}
	sl = &s->slot[no % NSLOT];
	if (atomic_exchange_explicit(&sl->busy, true, memory_order_acquire)) {
		free_slow(s, pfn, npages);
		return;
	}
	m = sl->loaded[c];
	if (m->n < MAG_SIZE) {
		m->pfn[m->n++] = pfn;
		slot_unlock(sl);
		return;
	}
	slot_unlock(sl);
	free_slow(s, pfn, npages);
}

void dk_iova_flush(struct dk_iova_space *s)
{
	int i, c;

	if (!s)
		return;
	for (i = 0; i < NSLOT; i++) {
		slot_lock(&s->slot[i]);
		for (c = 0; c < NCLASS; c++) {
			mag_release(s, s->slot[i].loaded[c], c);
			mag_release(s, s->slot[i].prev[c], c);
		}
		slot_unlock(&s->slot[i]);
	}
	for (c = 0; c < NCLASS; c++) {
		pthread_mutex_lock(&s->depot[c].lock);
		while (s->depot[c].n) {
			struct mag *m = s->depot[c].full[--s->depot[c].n];

			mag_release(s, m, c);
			free(m);
		}
		pthread_mutex_unlock(&s->depot[c].lock);
	}
}

void dk_iova_stats(struct dk_iova_space *s, struct dk_iova_stats *st)
{
	unsigned int i, c, k;

	*st = (struct dk_iova_stats){ 0 };
	if (!s)
		return;
	for (i = 0; i < NSLOT; i++) {
		slot_lock(&s->slot[i]);
		st->cache_hits += s->slot[i].hits;
		for (c = 0; c < NCLASS; c++)
			st->cached += s->slot[i].loaded[c]->n +
				      s->slot[i].prev[c]->n;
		slot_unlock(&s->slot[i]);
	}
	for (c = 0; c < NCLASS; c++) {
		pthread_mutex_lock(&s->depot[c].lock);
		for (k = 0; k < s->depot[c].n; k++)
			st->cached += s->depot[c].full[k]->n;
		pthread_mutex_unlock(&s->depot[c].lock);
	}
	pthread_mutex_lock(&s->lock);
	st->ranges = s->ranges;
	st->tree_allocs = s->allocs;
	st->tree_frees = s->frees;
	pthread_mutex_unlock(&s->lock);
}

/* ---- the space */

static void free_nodes(struct dk_iova_space *s, struct node *n)
{
	if (!n)
		return;
	free_nodes(s, n->kid[0]);
	free_nodes(s, n->kid[1]);
	if (n != &s->top)
		free(n);
}

void dk_iova_space_free(struct dk_iova_space *s)
{
	int i, c;

	if (!s)
		return;
	for (i = 0; i < NSLOT; i++) {
		for (c = 0; c < NCLASS; c++) {
			free(s->slot[i].loaded[c]);
			free(s->slot[i].prev[c]);
		}
	}
	for (c = 0; c < NCLASS; c++) {
		while (s->depot[c].n)
			free(s->depot[c].full[--s->depot[c].n]);
		pthread_mutex_destroy(&s->depot[c].lock);
	}
	free_nodes(s, s->root);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

struct dk_iova_space *dk_iova_space_new(u64 start, u64 end)
{
	struct dk_iova_space *s;
	int i, c;

	if (start > end || end == ~0ULL)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	pthread_mutex_init(&s->lock, NULL);
	for (c = 0; c < NCLASS; c++)
		pthread_mutex_init(&s->depot[c].lock, NULL);
	for (i = 0; i < NSLOT; i++)
		atomic_init(&s->slot[i].busy, false);
	for (i = 0; i < NSLOT; i++) {
		for (c = 0; c < NCLASS; c++) {
			s->slot[i].loaded[c] = calloc(1, sizeof(struct mag));
			s->slot[i].prev[c] = calloc(1, sizeof(struct mag));
			if (!s->slot[i].loaded[c] || !s->slot[i].prev[c]) {
				dk_iova_space_free(s);
				return NULL;
			}
		}
	}
	s->start = start;
	s->end = end;
	s->top.lo = s->top.hi = end + 1;
	s->top.gap = end + 1 - start;
	pull(&s->top);
	s->root = &s->top;
	return s;
}
