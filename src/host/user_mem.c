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
 * to at most one of them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

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

static void propose(struct dk_host *h, u64 pa, size_t size);

int dk_host_user_to_phys(void *ctx, const void *va, size_t size,
			 phys_addr_t *pa)
{
	struct dk_host *h = ctx;
	uintptr_t a = (uintptr_t)va;
	const u8 *p = va;

	if (!va || !size || a + size - 1 < a ||
	    a + size - 1 >= DK_HOST_USER_SPAN ||
	    (p + size > h->arena && p < h->arena + h->arena_size) ||
	    on_stack(a, size))
		return -EINVAL;
	*pa = DK_HOST_USER_BASE + a;
	if (h->map_cache)
		propose(h, *pa, size);
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

/* The pages of a range no region overlaps become the proposal. */
static void propose(struct dk_host *h, u64 pa, size_t size)
{
	u64 lo = pa & ~(u64)(DK_PAGE_SIZE - 1);
	u64 hi = (pa + size + DK_PAGE_SIZE - 1) & ~(u64)(DK_PAGE_SIZE - 1);

	pthread_mutex_lock(&h->lock);
	if (!region_at(h, lo, hi - lo) && h->nregions < DK_HOST_MAX_CACHED)
		h->proposal = (struct dk_host_region){ lo, hi - lo, ~0ULL };
	pthread_mutex_unlock(&h->lock);
}

int dk_host_user_cache_find(struct dk_host *h, phys_addr_t pa,
			    phys_addr_t *base, u64 *size, u64 *iova)
{
	struct dk_host_region *r;
	int ret = 0;

	pthread_mutex_lock(&h->lock);
	r = region_at(h, pa, 1);
	if (r && r->iova != ~0ULL)
		atomic_fetch_add(&h->cache_hits, 1);
	else if (!r && h->proposal.size && pa - h->proposal.pa < h->proposal.size)
		r = &h->proposal;
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
	int ret = 0;

	pthread_mutex_lock(&h->lock);
	if (!h->regions)
		h->regions = calloc(DK_HOST_MAX_CACHED, sizeof(*h->regions));
	if (!h->regions || base != h->proposal.pa || !h->proposal.size ||
	    h->nregions == DK_HOST_MAX_CACHED) {
		ret = dk_err(-EINVAL, "host: no proposed region at 0x%llx to cache",
			     (unsigned long long)base);
	} else {
		r = &h->regions[h->nregions++];
		*r = h->proposal;
		r->iova = iova;
		h->proposal.size = 0;
	}
	pthread_mutex_unlock(&h->lock);
	return ret;
}

void dk_host_user_cache_drop(struct dk_host *h)
{
	pthread_mutex_lock(&h->lock);
	free(h->regions);
	h->regions = NULL;
	h->nregions = h->hint = 0;
	h->proposal.size = 0;
	pthread_mutex_unlock(&h->lock);
}
