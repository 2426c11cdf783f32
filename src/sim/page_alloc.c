// SPDX-License-Identifier: MIT
/*
 * Physical page allocator of the simulated SoC: one bitmap per bank, pages
 * under reserved-memory regions permanently taken. First fit from the
 * lowest address inside the caller's window, so allocations are
 * deterministic; the DMA layers above express zones as windows.
 */
#include <errno.h>
#include <stdlib.h>

#include "../core/bitmap.h"
#include "soc_internal.h"

int dk_pages_init(struct dk_soc *soc)
{
	int i, j;

	for (i = 0; i < soc->nbanks; i++) {
		struct dk_ram_bank *b = &soc->banks[i];

		b->npages = b->b.size / DK_PAGE_SIZE;
		b->used = calloc(DK_BITMAP_LONGS(b->npages), sizeof(long));
		if (!b->used)
			return dk_err(-ENOMEM, "page bitmap: out of memory");
		if (b->sram)	/* never handed out */
			dk_bits_set(b->used, 0, b->npages, true);
		for (j = 0; j < soc->nrmem; j++) {
			const struct dk_rmem *rm = &soc->rmem[j];

			if (dk_ram_find(soc, rm->base, rm->size) == i)
				dk_bits_set(b->used,
					  (rm->base - b->b.base) / DK_PAGE_SIZE,
					  rm->size / DK_PAGE_SIZE, true);
		}
	}
	return 0;
}

static void put_locked(struct dk_ram_bank *b, u64 first, size_t npages)
{
	dk_bits_set(b->used, first, npages, false);
	if (first < b->low_free)
		b->low_free = first;
}

int dk_pages_alloc(void *ctx, size_t npages, size_t align, phys_addr_t min,
		       phys_addr_t max, phys_addr_t *pa)
{
	struct dk_soc *soc = ctx;
	int i;

	if (!npages || !pa || !dk_is_pow2(align) || max < min)
		return dk_err(-EINVAL,
			      "alloc_pages: %zu pages, align %zu, window 0x%llx-0x%llx invalid",
			      npages, align, (unsigned long long)min,
			      (unsigned long long)max);
	pthread_mutex_lock(&soc->lock);
	for (i = 0; i < soc->nbanks; i++) {
		struct dk_ram_bank *b = &soc->banks[i];
		u64 bend = b->b.base + b->b.size - 1;
		unsigned long lo, hi, at;

		if (b->b.base > max || bend < min)
			continue;
		lo = min > b->b.base ? (min - b->b.base + DK_PAGE_SIZE - 1) /
					       DK_PAGE_SIZE : 0;
		hi = max < bend ? (max - b->b.base + 1) / DK_PAGE_SIZE : b->npages;
		if (!hi)
			continue;
		if (dk_bits_find(b->used, lo > b->low_free ? lo : b->low_free,
				 hi, npages, align, &at)) {
			dk_bits_set(b->used, at, npages, true);
			/* Found first-fit from the hint: the pages between
			 * are used, and now these. */
			if (at == b->low_free ||
			    (npages == 1 && align == 1 && lo <= b->low_free))
				b->low_free = at + npages;
			*pa = b->b.base + at * DK_PAGE_SIZE;
			pthread_mutex_unlock(&soc->lock);
			return 0;
		}
	}
	pthread_mutex_unlock(&soc->lock);
	return dk_err(-ENOMEM,
		      "alloc_pages: no %zu free contiguous pages in 0x%llx-0x%llx",
		      npages, (unsigned long long)min, (unsigned long long)max);
}

int dk_pages_free(void *ctx, phys_addr_t pa, size_t npages)
{
	struct dk_soc *soc = ctx;
	int i = dk_ram_find(soc, pa, (u64)npages * DK_PAGE_SIZE), r = 0;
	u64 first;

	if (i < 0 || !npages || pa & (DK_PAGE_SIZE - 1))
		return dk_err(-EINVAL, "free_pages: 0x%llx + %zu pages is not RAM",
			      (unsigned long long)pa, npages);
	first = (pa - soc->banks[i].b.base) / DK_PAGE_SIZE;
	pthread_mutex_lock(&soc->lock);
	if (!dk_bits_all(soc->banks[i].used, first, npages, true))
		r = -EINVAL;
	else
		put_locked(&soc->banks[i], first, npages);
	pthread_mutex_unlock(&soc->lock);
	if (r)
		return dk_err(r, "free_pages: page 0x%llx + %zu pages was not allocated",
			      (unsigned long long)pa, npages);
	return 0;
}

/*
 * One page for the IOMMU's tables, soc->lock held. Taken near the top of
 * the last bank first, so the tables stay out of the way of the low,
 * first-fit allocations the kernel layers make (and their addresses stay
 * what they were before an IOMMU mapped anything).
 */
int dk_pages_take_locked(struct dk_soc *soc, phys_addr_t *pa)
{
	int i;

	for (i = soc->nbanks - 1; i >= 0; i--) {
		struct dk_ram_bank *b = &soc->banks[i];
		unsigned long at, lo = b->npages > 512 ? b->npages - 512 : 0;

		if (dk_bits_find(b->used, lo, b->npages, 1, 1, &at) ||
		    dk_bits_find(b->used, 0, b->npages, 1, 1, &at)) {
			dk_bits_set(b->used, at, 1, true);
			*pa = b->b.base + at * DK_PAGE_SIZE;
			return 0;
		}
	}
	return -ENOMEM;
}

void dk_pages_put_locked(struct dk_soc *soc, phys_addr_t pa)
{
	int i = dk_ram_find(soc, pa, DK_PAGE_SIZE);

	if (i >= 0)
		put_locked(&soc->banks[i],
			   (pa - soc->banks[i].b.base) / DK_PAGE_SIZE, 1);
}
