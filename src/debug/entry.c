// SPDX-License-Identifier: MIT
/*
 * The checker's table of live mappings: buckets hashed by device address
 * with one lock each, so threads mapping different buffers do not contend
 * (no global lock on the map/unmap path). Cache lines of mappings the CPU
 * may invalidate are counted in a striped table to find overlaps.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "entry.h"

#define NBUCKETS 4096
#define BUCKET_SHIFT 16		/* 64 KiB of device address per bucket */
#define LOOKBACK 64		/* containing entries start <= 4 MiB before */
#define NSTRIPES 64

struct bucket {
	pthread_mutex_t lock;
	struct dk_dbg_entry *head;
};

static struct bucket buckets[NBUCKETS];
static atomic_ulong live, peak;
static atomic_bool want_bt = true;

void dk_dma_debug_set_backtrace(bool on)
{
	atomic_store(&want_bt, on);
}
static pthread_once_t once = PTHREAD_ONCE_INIT;

struct line_node {
	struct line_node *next;
	phys_addr_t line;
	int count;
};

static struct {
	pthread_mutex_t lock;
	struct line_node *head[64];
} stripes[NSTRIPES];

static void init(void)
{
	int i;

	for (i = 0; i < NBUCKETS; i++)
		pthread_mutex_init(&buckets[i].lock, NULL);
	for (i = 0; i < NSTRIPES; i++)
		pthread_mutex_init(&stripes[i].lock, NULL);
}

static struct bucket *bucket_of(dma_addr_t dma)
{
	return &buckets[(dma >> BUCKET_SHIFT) % NBUCKETS];
}

__attribute__((noinline)) struct dk_dbg_entry *dk_dbg_entry_new(void)
{
	struct dk_dbg_entry *e = calloc(1, sizeof(*e));

	pthread_once(&once, init);
	if (e && atomic_load_explicit(&want_bt, memory_order_relaxed))
		e->nbt = backtrace(e->bt, DK_DBG_BT);
	return e;
}

void dk_dbg_entry_free(struct dk_dbg_entry *e)
{
	if (e)
		free(e->owned);
	free(e);
}

void dk_dbg_entry_add(struct dk_dbg_entry *e)
{
	struct bucket *b = bucket_of(e->dma);
	unsigned long n, p;

	pthread_mutex_lock(&b->lock);
	e->next = b->head;
	b->head = e;
	pthread_mutex_unlock(&b->lock);
	n = atomic_fetch_add(&live, 1) + 1;
	p = atomic_load(&peak);
	while (n > p && !atomic_compare_exchange_weak(&peak, &p, n))
		;
}

struct dk_dbg_entry *dk_dbg_entry_take(struct device *dev, dma_addr_t dma,
				       enum dk_map_type type, u64 size)
{
	struct bucket *b;
	struct dk_dbg_entry **pp, **best = NULL;
	int score = -1;

	pthread_once(&once, init);
	b = bucket_of(dma);
	pthread_mutex_lock(&b->lock);
	/* Prefer the entry that matches most, like Linux's closest match,
	 * so the report names the real mistake. */
	for (pp = &b->head; *pp; pp = &(*pp)->next) {
		struct dk_dbg_entry *e = *pp;
		int s;

		if (e->dev != dev || e->dma != dma)
			continue;
		s = (e->type == type) + (e->size == size);
		if (s > score) {
			score = s;
			best = pp;
		}
	}
	if (best) {
		struct dk_dbg_entry *e = *best;

		*best = e->next;
		pthread_mutex_unlock(&b->lock);
		atomic_fetch_sub(&live, 1);
		return e;
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

bool dk_dbg_entry_at(struct device *dev, dma_addr_t dma,
		     bool (*fn)(struct dk_dbg_entry *e, void *arg), void *arg)
{
	struct bucket *b;
	struct dk_dbg_entry *e;
	bool done = false;

	pthread_once(&once, init);
	b = bucket_of(dma);
	pthread_mutex_lock(&b->lock);
	for (e = b->head; e && !done; e = e->next)
		if (e->dev == dev && e->dma == dma)
			done = fn(e, arg);
	pthread_mutex_unlock(&b->lock);
	return done;
}

static bool contains(const struct dk_dbg_entry *e, dma_addr_t dma, u64 size)
{
	return dma >= e->dma && dma - e->dma < e->size &&
	       size <= e->size - (dma - e->dma);
}

/* Mappings bigger than the look-back window: search every bucket. */
static bool with_slow(struct device *dev, dma_addr_t dma, u64 size,
		      void (*fn)(struct dk_dbg_entry *e, void *arg), void *arg)
{
	int i;

	for (i = 0; i < NBUCKETS; i++) {
		struct dk_dbg_entry *e;

		if (!buckets[i].head)
			continue;
		pthread_mutex_lock(&buckets[i].lock);
		for (e = buckets[i].head; e; e = e->next)
			if (e->dev == dev && contains(e, dma, size ? size : 1)) {
				if (fn)
					fn(e, arg);
				pthread_mutex_unlock(&buckets[i].lock);
				return true;
			}
		pthread_mutex_unlock(&buckets[i].lock);
	}
	return false;
}

bool dk_dbg_entry_with(struct device *dev, dma_addr_t dma, u64 size,
		       void (*fn)(struct dk_dbg_entry *e, void *arg),
		       void *arg)
{
	int i;

	pthread_once(&once, init);
	for (i = 0; i < LOOKBACK; i++) {
		dma_addr_t key = dma - ((dma_addr_t)i << BUCKET_SHIFT);
		struct bucket *b = bucket_of(key);
		struct dk_dbg_entry *e;

		if (key > dma)
			break;
		pthread_mutex_lock(&b->lock);
		for (e = b->head; e; e = e->next) {
			if (e->dev == dev && contains(e, dma, size ? size : 1) &&
			    (e->dma >> BUCKET_SHIFT) == (key >> BUCKET_SHIFT)) {
				if (fn)
					fn(e, arg);
				pthread_mutex_unlock(&b->lock);
				return true;
			}
		}
		pthread_mutex_unlock(&b->lock);
	}
	return with_slow(dev, dma, size, fn, arg);
}

struct overlap_arg {
	struct device *dev;
	dma_addr_t dma;
	u64 size;
	bool found;
};

static void overlap_fn(struct dk_dbg_entry *e, void *arg)
{
	struct overlap_arg *a = arg;

	if (e->dev == a->dev && e->dma < a->dma + a->size &&
	    a->dma < e->dma + e->size)
		a->found = true;
}

bool dk_dbg_entry_overlaps(struct device *dev, dma_addr_t dma, u64 size)
{
	struct overlap_arg a = { dev, dma, size, false };

	dk_dbg_entry_each(dev, overlap_fn, &a);
	return a.found;
}

void dk_dbg_entry_each(struct device *dev,
		       void (*fn)(struct dk_dbg_entry *e, void *arg),
		       void *arg)
{
	int i;

	pthread_once(&once, init);
	for (i = 0; i < NBUCKETS; i++) {
		struct dk_dbg_entry *e;

		if (!buckets[i].head)
			continue;
		pthread_mutex_lock(&buckets[i].lock);
		for (e = buckets[i].head; e; e = e->next)
			if (!dev || e->dev == dev)
				fn(e, arg);
		pthread_mutex_unlock(&buckets[i].lock);
	}
}

struct dk_dbg_entry *dk_dbg_entry_first(struct device *dev)
{
	int i;

	pthread_once(&once, init);
	for (i = 0; i < NBUCKETS; i++) {
		struct dk_dbg_entry **pp, *e;

		if (!buckets[i].head)
			continue;
		pthread_mutex_lock(&buckets[i].lock);
		for (pp = &buckets[i].head; (e = *pp); pp = &e->next)
			if (e->dev == dev) {
				*pp = e->next;
				pthread_mutex_unlock(&buckets[i].lock);
				atomic_fetch_sub(&live, 1);
				return e;
			}
		pthread_mutex_unlock(&buckets[i].lock);
	}
	return NULL;
}

void dk_dbg_entry_counts(unsigned long *l, unsigned long *p)
{
	*l = atomic_load(&live);
	*p = atomic_load(&peak);
}

void dk_dbg_format_backtrace(const struct dk_dbg_entry *e, char *buf,
			     size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	int shown = 0;

	/* Skip the checker's own frames, whatever the compiler inlined. */
	for (i = 0; i < e->nbt && used < len; i++) {
		Dl_info info = { 0 };
		const char *fn = NULL;
		int n;

		if (dladdr(e->bt[i], &info))
			fn = info.dli_sname;
		if (!shown && fn && (!strncmp(fn, "dk_dbg_", 7) ||
				       !strcmp(fn, "backtrace")))
			continue;
		/* Without a symbol, file+offset is what addr2line takes. */
		if (fn)
			n = snprintf(buf + used, len - used, "    #%d %s+0x%lx\n",
				     shown, fn,
				     (unsigned long)((char *)e->bt[i] -
						     (char *)info.dli_saddr));
		else
			n = snprintf(buf + used, len - used, "    #%d %s+0x%lx\n",
				     shown, info.dli_fname ? info.dli_fname : "?",
				     (unsigned long)((char *)e->bt[i] -
						     (char *)info.dli_fbase));
		if (n < 0)
			break;
		used += n;
		shown++;
		if (fn && !strcmp(fn, "main"))
			break;
	}
}

/* ---- cacheline tracking */

static unsigned int stripe_of(phys_addr_t line)
{
	return (line * 0x9e3779b97f4a7c15ULL) >> 58;
}

int dk_dbg_lines_insert(struct dk_dbg_entry *e, u32 line_size)
{
	phys_addr_t first = e->pa / line_size;
	phys_addr_t last = (e->pa + e->size - 1) / line_size, l;
	int worst = 0;

	pthread_once(&once, init);
	for (l = first; l <= last; l++) {
		unsigned int s = stripe_of(l);
		struct line_node **pp, *n;

		pthread_mutex_lock(&stripes[s].lock);
		for (pp = &stripes[s].head[l % 64]; (n = *pp); pp = &n->next)
			if (n->line == l)
				break;
		if (!n) {
			n = calloc(1, sizeof(*n));
			if (n) {
				n->line = l;
				n->next = stripes[s].head[l % 64];
				stripes[s].head[l % 64] = n;
			}
		}
		if (n && ++n->count > worst)
			worst = n->count;
		pthread_mutex_unlock(&stripes[s].lock);
	}
	e->tracked = true;
	return worst;
}

void dk_dbg_lines_remove(struct dk_dbg_entry *e, u32 line_size)
{
	phys_addr_t first = e->pa / line_size;
	phys_addr_t last = (e->pa + e->size - 1) / line_size, l;

	if (!e->tracked)
		return;
	for (l = first; l <= last; l++) {
		unsigned int s = stripe_of(l);
		struct line_node **pp, *n;

		pthread_mutex_lock(&stripes[s].lock);
		for (pp = &stripes[s].head[l % 64]; (n = *pp); pp = &n->next)
			if (n->line == l)
				break;
		if (n && !--n->count) {
			*pp = n->next;
			free(n);
		}
		pthread_mutex_unlock(&stripes[s].lock);
	}
	e->tracked = false;
}
