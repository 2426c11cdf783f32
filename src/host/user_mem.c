// SPDX-License-Identifier: MIT
/*
 * Program memory on the host: any buffer the process owns (malloc, mmap,
 * hugepages) may be mapped for the device, its pages pinned by VFIO when
 * iommu-dma maps them and released when it unmaps them. Its "physical"
 * address is its virtual address moved into a window above the arena,
 * so the DMA layer and the checker carry it like any other. The calling
 * thread's stack is refused, as the simulator refuses it, so that the
 * checker's map-stack finding is the whole story.
 *
 * With the mapping cache, a buffer's pages stay mapped after their first
 * map, looked up by address: mapping them again costs no system call.
 * The range a map asks about is proposed as a region; iommu-dma maps it
 * whole and records its IOVA. Regions never overlap, so an IOVA belongs
 * to at most one of them. Each counts the maps using it, so that when
 * VFIO has no room for another mapping iommu-dma can evict one no map
 * uses (the least recently used).
 *
 * A region pins the pages its memory had when it was made. Once the
 * program frees that memory back to the kernel (munmap, free() of a large
 * block, heap trimming, MADV_DONTNEED) the address may get other pages,
 * and a hit would send the device to the old ones: silently wrong data.
 * No signal of that reaches a library without a system call (glibc's
 * free() unmaps through internal calls no wrapper sees, and an explicit
 * "unregister" call is what programs forget), so each hit checks the
 * region's page frames in /proc/self/pagemap. That pread() costs about
 * what the MAP_DMA it saves does (dmakit bench --host measures both), so
 * the cache pays for program memory only where the program vouches for
 * its lifetime: memory it registered with dk_host_mem_register() is
 * served with no check, and dk_host_mem_unregister(), the free path the
 * program controls, unmaps its regions at once. Where page frames cannot
 * be read (no CAP_SYS_ADMIN: they read as 0), only registered memory is
 * cached: correct beats fast.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host_internal.h"

/* The calling thread's stack, learnt once per thread (for the main
 * thread glibc reads /proc/self/maps to tell). */
static _Thread_local uintptr_t stack_lo, stack_hi;

static bool on_stack(uintptr_t a, size_t size)
{
	if (!stack_hi) {
		pthread_attr_t at;
		void *base;
		size_t len;

		if (pthread_getattr_np(pthread_self(), &at))
			return false;
		if (!pthread_attr_getstack(&at, &base, &len)) {
			stack_lo = (uintptr_t)base;
			stack_hi = stack_lo + len;
		}
		pthread_attr_destroy(&at);
	}
	return a < stack_hi && a + size > stack_lo;
}

void *dk_host_any_va(struct dk_host *h, phys_addr_t pa, size_t size)
{
	if (pa < DK_HOST_USER_BASE)
		return dk_host_pa_to_va(h, pa, size);
	if (pa - DK_HOST_USER_BASE >= DK_HOST_USER_SPAN ||
	    size > DK_HOST_USER_SPAN - (pa - DK_HOST_USER_BASE))
		return NULL;
	return (void *)(uintptr_t)(pa - DK_HOST_USER_BASE);
}

/*
 * The whole pages the calling thread's last map of program memory asked
 * about: what cache_find proposes as a region when none holds them. Kept
 * per thread, with no lock, because a map asks user_to_phys and then
 * cache_find on its own thread, and a hit (a region holds the pages)
 * never needs it: the lock and the checks it took on every map were a
 * fifth of a hit on registered memory.
 */
static _Thread_local struct {
	const struct dk_host *h;
	u64 pa, size;
} asked;

/* Where program memory @va lies in the window: 0, or -EINVAL (no
 * message: the caller has one) for the stack, the arena and the rest. */
static int program_pa(struct dk_host *h, const void *va, size_t size,
		      phys_addr_t *pa)
{
	uintptr_t a = (uintptr_t)va;
	const u8 *p = va;

	if (!va || !size || a + size - 1 < a ||
	    a + size - 1 >= DK_HOST_USER_SPAN ||
	    (p + size > h->arena && p < h->arena + h->arena_size) ||
	    on_stack(a, size))
		return -EINVAL;
	*pa = DK_HOST_USER_BASE + a;
	return 0;
}

int dk_host_user_to_phys(void *ctx, const void *va, size_t size,
			 phys_addr_t *pa)
{
	struct dk_host *h = ctx;

	if (program_pa(h, va, size, pa))
		return -EINVAL;
	if (h->map_cache) {
		asked.h = h;
		asked.pa = *pa & ~(u64)(DK_PAGE_SIZE - 1);
		asked.size = ((*pa + size + DK_PAGE_SIZE - 1) &
			      ~(u64)(DK_PAGE_SIZE - 1)) - asked.pa;
	}
	return 0;
}

/* The region holding [pa, pa + size), or one overlapping it; NULL. */
static struct dk_host_region *region_at(struct dk_host *h, u64 pa, u64 size)
{
	struct dk_host_region *r = h->regions;
	size_t i;

	if (h->hint < h->nregions && pa - r[h->hint].pa < r[h->hint].size)
		return &r[h->hint];
	for (i = 0; i < h->nregions; i++)
		if (pa < r[i].pa + r[i].size && r[i].pa < pa + size) {
			h->hint = i;
			return &r[i];
		}
	return NULL;
}

#define PM_PRESENT (1ULL << 63)
#define PM_PFN ((1ULL << 55) - 1)

/* Whether page frames can be read: /proc/self/pagemap opens and shows
 * the arena's (locked, so present) first page with one. Lock held. */
static bool identity_ok(struct dk_host *h)
{
	u64 e = 0;
	int fd;

	if (h->pagemap != -1)
		return h->pagemap >= 0;
	h->pagemap = -2;
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (pread(fd, &e, sizeof(e),
		  (uintptr_t)h->arena / DK_PAGE_SIZE * sizeof(e)) == sizeof(e) &&
	    e & PM_PRESENT && e & PM_PFN)
		h->pagemap = fd;
	else
		close(fd);
	return h->pagemap >= 0;
}

/* The page frames of the whole pages [@pa, @pa + @size) into @out (0 for
 * a page not present): 0, or -1. */
static int read_pfns(struct dk_host *h, u64 pa, u64 size, u64 *out)
{
	uintptr_t va = pa - DK_HOST_USER_BASE;
	size_t n = size / DK_PAGE_SIZE, i;

	if (pread(h->pagemap, out, n * sizeof(*out),
		  va / DK_PAGE_SIZE * sizeof(*out)) != (ssize_t)(n * sizeof(*out)))
		return -1;
	for (i = 0; i < n; i++)
		out[i] = out[i] & PM_PRESENT ? out[i] & PM_PFN : 0;
	return 0;
}

/* Whether @r's address still has the pages it was made for. */
static bool same_pages(struct dk_host *h, const struct dk_host_region *r)
{
	size_t n = r->size / DK_PAGE_SIZE;
	u64 small[64], *now = n <= 64 ? small : malloc(n * sizeof(*now));
	bool same = now && !read_pfns(h, r->pa, r->size, now) &&
		    !memcmp(now, r->pfns, n * sizeof(*now));

	atomic_fetch_add(&h->frame_checks, 1);
	if (now != small)
		free(now);
	return same;
}

/* Whether [@pa, @pa + @size) lies in memory the program registered. */
static bool vouched(struct dk_host *h, u64 pa, u64 size)
{
	size_t i;

	for (i = 0; i < h->nspans; i++)
		if (pa >= h->spans[i].pa &&
		    pa + size <= h->spans[i].pa + h->spans[i].size)
			return true;
	return false;
}

/* The pages this thread asked about become the proposal if they hold
 * @pa, no region overlaps them, and they can be trusted to stay (the
 * program vouched for them, or their page frames can be checked). Lock
 * held. */
static struct dk_host_region *propose(struct dk_host *h, u64 pa)
{
	if (asked.h != h || pa - asked.pa >= asked.size ||
	    !(vouched(h, asked.pa, asked.size) || identity_ok(h)) ||
	    region_at(h, asked.pa, asked.size) ||
	    h->nregions >= DK_HOST_MAX_CACHED)
		return NULL;
	h->proposal = (struct dk_host_region){ .pa = asked.pa,
					       .size = asked.size,
					       .iova = ~0ULL };
	return &h->proposal;
}

/*
 * The region of the calling thread's last hit, as found: a region's
 * address, size and IOVA never change while it exists, and every removal
 * changes h->region_gen, so while that holds the memo is the answer and a
 * repeated map of the same buffer skips the lock (a third of a hit's
 * cost on program memory). A region evicted just after the memo was
 * read is caught by the use count's check under the lock, as a region
 * evicted between the lookup and the use always was.
 */
static _Thread_local struct {
	const struct dk_host *h;
	unsigned long gen;
	u64 pa, size, iova;
} memo;

void dk_host_regions_changed(struct dk_host *h)
{
	static atomic_ulong clock;

	atomic_store_explicit(&h->region_gen, atomic_fetch_add(&clock, 1) + 1,
			      memory_order_release);
}

int dk_host_user_cache_find(struct dk_host *h, phys_addr_t pa,
			    phys_addr_t *base, u64 *size, u64 *iova)
{
	struct dk_host_region *r;
	int ret = 0;

	if (memo.h == h && pa - memo.pa < memo.size &&
	    memo.gen == atomic_load_explicit(&h->region_gen,
					     memory_order_acquire)) {
		*base = memo.pa;
		*size = memo.size;
		*iova = memo.iova;
		return 0;
	}
	pthread_mutex_lock(&h->lock);
	r = region_at(h, pa, 1);
	if (r) {
		memo.h = h;
		memo.gen = atomic_load(&h->region_gen);
		memo.pa = r->pa;
		memo.size = r->size;
		memo.iova = r->iova;
	} else {
		r = propose(h, pa);
	}
	if (r) {
		*base = r->pa;
		*size = r->size;
		*iova = r->iova;
	} else {
		ret = -ENOENT;
	}
	pthread_mutex_unlock(&h->lock);
	return ret;
}

int dk_host_user_cache_set(struct dk_host *h, phys_addr_t base, u64 iova)
{
	struct dk_host_region *r;
	u64 *pfns = NULL, size = h->proposal.size;
	bool ok, sure = false;
	int ret = 0;

	pthread_mutex_lock(&h->lock);
	if (!h->regions)
		h->regions = calloc(DK_HOST_MAX_CACHED, sizeof(*h->regions));
	ok = h->regions && base == h->proposal.pa && size &&
	     h->nregions < DK_HOST_MAX_CACHED;
	/* Unregistered memory keeps the page frames it has now. */
	if (ok)
		sure = vouched(h, base, size);
	if (ok && !sure) {
		pfns = malloc(size / DK_PAGE_SIZE * sizeof(*pfns));
		ok = pfns && !read_pfns(h, base, size, pfns);
	}
	if (!ok) {
		free(pfns);
		ret = dk_err(-EINVAL, "host: no proposed region at 0x%llx to cache",
			     (unsigned long long)base);
	} else {
		r = &h->regions[h->nregions++];
		*r = h->proposal;
		r->iova = iova;
		r->pfns = pfns;
		r->fresh = true;
		r->vouched = sure;
		h->proposal.size = 0;
	}
	pthread_mutex_unlock(&h->lock);
	return ret;
}

/* A use of the arena's mapping: every one but the first is a hit. */
static int arena_use(struct dk_host *h, phys_addr_t base, u64 iova, bool get)
{
	if (base != DK_HOST_RAM_BASE || iova != h->cache_iova)
		return -ENOENT;
	if (get && !atomic_exchange(&h->cache_fresh, false))
		atomic_fetch_add(&h->cache_hits, 1);
	return 0;
}

/* A use of @r begins: the hit counted, or -ESTALE (no map uses it, so
 * it can go) or -EBUSY (maps still use it) for pages that changed. */
static int region_get(struct dk_host *h, struct dk_host_region *r)
{
	if (!r->vouched && !r->stale && !same_pages(h, r)) {
		r->stale = true;
		atomic_fetch_add(&h->stale, 1);
	}
	if (r->stale)
		return r->uses ? -EBUSY : -ESTALE;
	r->uses++;
	r->last_use = ++h->use_clock;
	if (!r->fresh)
		atomic_fetch_add(&h->cache_hits, 1);
	r->fresh = false;
	return 0;
}

int dk_host_cache_use(void *ctx, const char *device, phys_addr_t base,
		      u64 iova, bool get)
{
	struct dk_host *h = ctx;
	struct dk_host_region *r;
	int ret;

	(void)device;
	if (base < DK_HOST_USER_BASE)
		return arena_use(h, base, iova, get);
	pthread_mutex_lock(&h->lock);
	r = region_at(h, base, 1);
	if (!r || r->pa != base || r->iova != iova)
		ret = -ENOENT;
	else if (get)
		ret = region_get(h, r);
	else if (r->uses)
		ret = 0, r->uses--;
	else
		ret = -ENOENT;
	pthread_mutex_unlock(&h->lock);
	return ret;
}

int dk_host_cache_evict(void *ctx, const char *device, phys_addr_t *base,
			u64 *size, u64 *iova)
{
	struct dk_host *h = ctx;
	struct dk_host_region *pick = NULL, *r;
	size_t i;

	(void)device;
	pthread_mutex_lock(&h->lock);
	for (i = 0; i < h->nregions; i++) {
		r = &h->regions[i];
		if (r->uses || (r->gone && h->ngone == DK_HOST_MAX_GONE))
			continue;
		if (r->stale) {
			pick = r;
			break;
		}
		if (!pick || r->last_use < pick->last_use)
			pick = r;
	}
	if (pick) {
		*base = pick->pa;
		*size = pick->size;
		*iova = pick->iova;
		if (pick->gone)
			h->gone_iova[h->ngone++] = pick->iova;
		free(pick->pfns);
		*pick = h->regions[--h->nregions];
		h->hint = 0;
		dk_host_regions_changed(h);
		atomic_fetch_add(&h->evictions, 1);
	}
	pthread_mutex_unlock(&h->lock);
	return pick ? 0 : -ENOENT;
}

bool dk_host_user_gone(struct dk_host *h, u64 iova)
{
	bool gone = false;
	size_t i;

	pthread_mutex_lock(&h->lock);
	for (i = 0; i < h->ngone && !gone; i++)
		if (h->gone_iova[i] == iova) {
			h->gone_iova[i] = h->gone_iova[--h->ngone];
			gone = true;
		}
	pthread_mutex_unlock(&h->lock);
	return gone;
}

size_t dk_host_user_cached(struct dk_host *h, size_t *used)
{
	size_t i, n;

	pthread_mutex_lock(&h->lock);
	n = h->nregions;
	for (i = *used = 0; i < n; i++)
		*used += !!h->regions[i].uses;
	pthread_mutex_unlock(&h->lock);
	return n;
}

/* Page-aligned [*@pa, *@pa + *@size) of [@va, @va + @size); -EINVAL
 * with a message if it is not program memory. */
static int span_of(struct dk_host *h, const void *va, size_t size, u64 *pa,
		   u64 *len, const char *fn)
{
	phys_addr_t p;
	u64 lo, hi;

	if (program_pa(h, va, size, &p))
		return dk_err(-EINVAL,
			      "%s(%p, %zu): not program memory (empty, the stack, dmakit's arena or beyond the user address space)",
			      fn, va, size);
	lo = p & ~(u64)(DK_PAGE_SIZE - 1);
	hi = (p + size + DK_PAGE_SIZE - 1) & ~(u64)(DK_PAGE_SIZE - 1);
	*pa = lo;
	*len = hi - lo;
	return 0;
}

int dk_host_user_register(struct dk_host *h, const void *va, size_t size)
{
	u64 pa = 0, len = 0;
	int r = span_of(h, va, size, &pa, &len, "dk_host_mem_register");

	if (r)
		return r;
	pthread_mutex_lock(&h->lock);
	if (h->nspans == DK_HOST_MAX_SPANS) {
		r = dk_err(-ENOSPC, "dk_host_mem_register: %d ranges are registered already",
			   DK_HOST_MAX_SPANS);
	} else {
		size_t i;

		h->spans[h->nspans++] = (struct dk_host_span){ pa, len };
		/* Regions cached before are vouched for from now on, if
		 * they still hold their pages. */
		for (i = 0; i < h->nregions; i++) {
			struct dk_host_region *g = &h->regions[i];

			if (!vouched(h, g->pa, g->size) || g->vouched)
				continue;
			if (g->stale || !same_pages(h, g))
				g->stale = true;
			else
				g->vouched = true;
		}
	}
	pthread_mutex_unlock(&h->lock);
	return r;
}

/* Unmap the regions inside [@pa, @pa + @len) now; iommu-dma frees their
 * IOVAs as it evicts them (stale). -EBUSY if a map still uses one. */
static int drop_regions(struct dk_host *h, u64 pa, u64 len)
{
	size_t i;

	for (i = 0; i < h->nregions; i++)
		if (h->regions[i].pa < pa + len &&
		    pa < h->regions[i].pa + h->regions[i].size &&
		    h->regions[i].uses)
			return -EBUSY;
	for (i = 0; i < h->nregions; i++) {
		struct dk_host_region *r = &h->regions[i];

		if (r->pa < pa + len && pa < r->pa + r->size && !r->gone) {
			r->gone = !h->be->unmap(h, r->iova, r->size);
			r->stale = true;
		}
	}
	return 0;
}

int dk_host_user_unregister(struct dk_host *h, const void *va, size_t size)
{
	u64 pa = 0, len = 0;
	size_t i;
	int r = span_of(h, va, size, &pa, &len, "dk_host_mem_unregister");

	if (r)
		return r;
	pthread_mutex_lock(&h->lock);
	for (i = 0; i < h->nspans; i++)
		if (h->spans[i].pa == pa && h->spans[i].size == len)
			break;
	if (i == h->nspans)
		r = dk_err(-ENOENT, "dk_host_mem_unregister(%p, %zu): not registered",
			   va, size);
	else if (drop_regions(h, pa, len))
		r = dk_err(-EBUSY, "dk_host_mem_unregister(%p, %zu): DMA mappings of it are live: unmap them first",
			   va, size);
	else
		h->spans[i] = h->spans[--h->nspans];
	pthread_mutex_unlock(&h->lock);
	return r;
}

void dk_host_user_cache_drop(struct dk_host *h)
{
	size_t i;

	pthread_mutex_lock(&h->lock);
	h->ngone = 0;
	/* The detach that drops the cache unmaps every IOVA next. */
	for (i = 0; i < h->nregions; i++) {
		if (h->regions[i].gone && h->ngone < DK_HOST_MAX_GONE)
			h->gone_iova[h->ngone++] = h->regions[i].iova;
		free(h->regions[i].pfns);
	}
	free(h->regions);
	h->regions = NULL;
	h->nregions = h->hint = 0;
	dk_host_regions_changed(h);
	h->proposal.size = 0;
	if (h->pagemap >= 0)
		close(h->pagemap);
	h->pagemap = -1;
	pthread_mutex_unlock(&h->lock);
}
