// SPDX-License-Identifier: MIT
/*
 * User mappings of DMA allocations. They are few (a driver's mmap handler
 * makes one per open), so a list under one lock is enough.
 */
#include <stdlib.h>

#include "entry.h"
#include "user_map.h"

struct user_map {
	struct user_map *next;
	struct dk_machine *m;
	phys_addr_t pa;
	size_t len;
	unsigned long start;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct user_map *maps;

static const char *kind(unsigned long attrs)
{
	return attrs & DMA_ATTR_WRITE_COMBINE ? "write-combine" : "coherent";
}

struct attrs_arg {
	const void *cpu_addr;
	unsigned long attrs;
};

/*
 * Only write-combine changes what a user mapping of a non-coherent
 * device's memory is (Linux's dma_pgprot()), so only it must match.
 * Reported on coherent devices too: the same driver breaks on one that
 * is not.
 */
static bool check_attrs(struct dk_dbg_entry *e, void *arg)
{
	struct attrs_arg *a = arg;

	if (e->type != DK_MAP_COHERENT || e->cpu_addr != a->cpu_addr)
		return false;
	if ((e->attrs ^ a->attrs) & DMA_ATTR_WRITE_COMBINE)
		dk_dbg_report(e->dev, DK_CHK_MMAP_ATTRS, e, e->dma, e->size,
			      e->dir,
			      "device driver maps DMA memory to user space with other attributes than it was allocated with [device address=0x%016llx] [size=%llu bytes] [allocated %s] [mmapped %s]",
			      (unsigned long long)e->dma,
			      (unsigned long long)e->size, kind(e->attrs),
			      kind(a->attrs));
	return true;
}

void dk_dbg_mmap_attrs(struct device *dev, dma_addr_t dma,
		       const void *cpu_addr, unsigned long attrs)
{
	struct attrs_arg a = { cpu_addr, attrs };

	if (!dk_dbg_on() || !dev)
		return;
	dk_dbg_entry_at(dev, dma, check_attrs, &a);
}

void dk_dbg_user_map(struct device *dev, phys_addr_t pa, size_t len,
		     unsigned long start)
{
	struct user_map *u;

	if (!dk_dbg_on() || !dev || !(u = malloc(sizeof(*u))))
		return;
	*u = (struct user_map){ NULL, dev->machine, pa, len, start };
	pthread_mutex_lock(&lock);
	u->next = maps;
	maps = u;
	pthread_mutex_unlock(&lock);
}

/* Unlink every map of @m that @match accepts; they go to *@out. */
static int unlink_maps(struct dk_machine *m,
		       bool (*match)(const struct user_map *u, const void *arg),
		       const void *arg, struct user_map **out)
{
	struct user_map **pp, *u;
	int n = 0;

	*out = NULL;
	pthread_mutex_lock(&lock);
	for (pp = &maps; (u = *pp);) {
		if (u->m != m || !match(u, arg)) {
			pp = &u->next;
			continue;
		}
		*pp = u->next;
		u->next = *out;
		*out = u;
		n++;
	}
	pthread_mutex_unlock(&lock);
	return n;
}

static void free_maps(struct user_map *u)
{
	while (u) {
		struct user_map *n = u->next;

		free(u);
		u = n;
	}
}

static bool starts_at(const struct user_map *u, const void *arg)
{
	return u->start == *(const unsigned long *)arg;
}

void dk_dbg_user_unmap(struct dk_machine *m, unsigned long start)
{
	struct user_map *gone;

	/* Even with the checker off: nothing may outlive the mapping. */
	unlink_maps(m, starts_at, &start, &gone);
	free_maps(gone);
}

struct range {
	phys_addr_t pa;
	size_t len;
};

static bool overlaps(const struct user_map *u, const void *arg)
{
	const struct range *r = arg;

	return u->pa < r->pa + r->len && r->pa < u->pa + u->len;
}

void dk_dbg_free_user_mapped(struct device *dev, dma_addr_t dma, size_t size,
			     phys_addr_t pa, size_t len)
{
	struct range r = { pa, len };
	struct user_map *live;
	int n;

	if (!dk_dbg_on() || !dev)
		return;
	/* Reported once: the pages' next owner is not at fault. */
	n = unlink_maps(dev->machine, overlaps, &r, &live);
	if (n)
		dk_dbg_report(dev, DK_CHK_FREE_USER_MAPPED, NULL, dma, size,
			      DMA_BIDIRECTIONAL,
			      "device driver frees DMA memory that user space still has mapped [device address=0x%016llx] [size=%zu bytes] [user mappings=%d, first at 0x%lx, %zu bytes]",
			      (unsigned long long)dma, size, n, live->start,
			      live->len);
	free_maps(live);
}

static bool any(const struct user_map *u, const void *arg)
{
	(void)u;
	(void)arg;
	return true;
}

void dk_dbg_user_maps_drop(struct dk_machine *m)
{
	struct user_map *gone;

	unlink_maps(m, any, NULL, &gone);
	free_maps(gone);
}
