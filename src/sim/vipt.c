// SPDX-License-Identifier: MIT
/*
 * An aliasing (virtually indexed) data cache, the SoC option
 * dmakit,cache-aliasing on a /cpus child. Lines are found by virtual
 * address, so a vmap or vmalloc mapping of a page does not share lines
 * with the page's linear address: stores through the vmap sit in lines
 * of their own, which the DMA API's maintenance (by physical address,
 * through the linear map) never touches. They reach DRAM only when
 * flush_kernel_vmap_range() writes them back, and after a device wrote
 * DRAM the vmap keeps its old lines until invalidate_kernel_vmap_range().
 *
 * The mapping's own bytes are its lines (the host memory the pointer
 * reaches), with their copy as last filled or cleaned beside them: the
 * same compare-to-find-dirty rule as the linear cache. Policies leave
 * these lines alone; only the vmap-range calls and the unmap (Linux
 * flushes a vmap's lines when it is torn down) move them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "../core/rawmem.h"
#include "soc_internal.h"

static u8 *dram(struct dk_soc *soc, phys_addr_t pa)
{
	int i = dk_ram_find(soc, pa, 1);

	return soc->banks[i].mem + (pa - soc->banks[i].b.base);
}

void *dk_vipt_vmap(struct dk_soc *soc, struct dk_alias *a,
		   const phys_addr_t *pages, size_t n)
{
	u64 size = n * DK_PAGE_SIZE;
	u8 *va, *last;
	size_t i;

	va = mmap(NULL, size, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	last = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (va == MAP_FAILED || last == MAP_FAILED) {
		if (va != MAP_FAILED)
			munmap(va, size);
		if (last != MAP_FAILED)
			munmap(last, size);
		dk_err(-ENOMEM, "dk_sim_vmap: out of memory");
		return NULL;
	}
	/* The first accesses fill the lines with what the CPU sees now. */
	pthread_mutex_lock(&soc->lock);
	for (i = 0; i < n; i++) {
		int k = dk_ram_find(soc, pages[i], DK_PAGE_SIZE);
		const u8 *cpu = soc->banks[k].cpu +
				(pages[i] - soc->banks[k].b.base);

		dk_raw_copy(va + i * DK_PAGE_SIZE, cpu, DK_PAGE_SIZE);
		dk_raw_copy(last + i * DK_PAGE_SIZE, cpu, DK_PAGE_SIZE);
	}
	a->last = last;
	soc->nvipt++;
	pthread_mutex_unlock(&soc->lock);
	return va;
}

/* Line @o of @a: written back if dirty, then (if @drop) refilled from
 * DRAM. soc->lock is held. */
static void line_op(struct dk_soc *soc, struct dk_alias *a, u64 o,
		    bool clean, bool drop)
{
	u8 *va = (u8 *)a->va + o, *mem;
	u32 l = soc->cache.line;

	mem = dram(soc, a->pages[o / DK_PAGE_SIZE] + o % DK_PAGE_SIZE);
	if (clean && dk_raw_cmp(va, a->last + o, l)) {
		dk_raw_copy(mem, va, l);
		dk_raw_copy(a->last + o, va, l);
	}
	if (drop) {
		dk_raw_copy(va, mem, l);
		dk_raw_copy(a->last + o, mem, l);
	}
}

void dk_vipt_unmap(struct dk_soc *soc, struct dk_alias *a)
{
	u64 o;

	pthread_mutex_lock(&soc->lock);
	for (o = 0; o < a->size; o += soc->cache.line)
		line_op(soc, a, o, true, false);
	soc->nvipt--;
	pthread_mutex_unlock(&soc->lock);
	munmap(a->last, a->size);
	a->last = NULL;
}

/*
 * A device reads [off, off + len) of @b: the observer hears of each line a
 * vmap holds dirty, since the device gets DRAM without those stores. Only
 * on an aliasing cache with such vmaps live; soc->lock is held.
 */
void dk_vipt_device_read(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
			 size_t len)
{
	phys_addr_t lo = b->b.base + off, hi = lo + len;
	u32 l = soc->cache.line;
	struct dk_alias *a;
	u64 pg, o;

	if (!soc->ev_log)
		return;
	for (a = soc->aliases; a; a = a->next) {
		if (!a->last)
			continue;
		for (pg = 0; pg < a->size / DK_PAGE_SIZE; pg++) {
			phys_addr_t pa = a->pages[pg];

			if (pa + DK_PAGE_SIZE <= lo || pa >= hi)
				continue;
			for (o = 0; o < DK_PAGE_SIZE; o += l) {
				u64 at = pg * DK_PAGE_SIZE + o;

				if (pa + o + l > lo && pa + o < hi &&
				    dk_raw_cmp((u8 *)a->va + at, a->last + at, l))
					dk_ev_note(soc, DK_EV_VMAP_DIRTY, pa + o,
						   l);
			}
		}
	}
}

int dk_sim_vmap_sync(struct dk_soc *soc, const void *va, size_t size,
		     bool flush)
{
	const u8 *p = va;
	struct dk_alias *a;
	u64 o, end, l;

	if (!dk_soc_ok(soc, "dk_sim_vmap_sync"))
		return -EINVAL;
	if (!va || !size)
		return dk_err(-EINVAL, "dk_sim_vmap_sync: NULL or empty range");
	l = soc->cache.line;
	pthread_mutex_lock(&soc->lock);
	a = dk_alias_at(soc, p);
	if (a && !a->last)
		a = NULL;
	if (!a || size > a->size - (u64)(p - (const u8 *)a->va)) {
		pthread_mutex_unlock(&soc->lock);
		return 0;	/* not an aliasing vmap, or past its end */
	}
	o = dk_align_down(p - (const u8 *)a->va, l);
	end = dk_align_down(p - (const u8 *)a->va + size - 1, l) + l;
	for (; o < end; o += l)
		line_op(soc, a, o, flush, true);
	pthread_mutex_unlock(&soc->lock);
	return 1;
}
