// SPDX-License-Identifier: MIT
/*
 * The write-back CPU cache, line by line, exactly as DESIGN.md states it:
 * dirty <=> cpu != last-filled; clean writes the write-back granule around
 * a dirty line to DRAM; invalidate refetches DRAM and loses dirty data.
 */
#include <errno.h>
#include <string.h>

#include "../core/rawmem.h"
#include "soc_internal.h"

bool dk_line_is_dirty(const struct dk_soc *soc, const struct dk_ram_bank *b,
		      u64 off)
{
	return dk_raw_cmp(b->cpu + off, b->last + off, soc->cache.line) != 0;
}

/*
 * A write-back moves a whole granule: clean-but-stale lines sharing the
 * granule with a dirty one go to DRAM too, as on hardware whose CWG is
 * larger than its line.
 */
void dk_line_clean(struct dk_soc *soc, struct dk_ram_bank *b, u64 off)
{
	u64 g = soc->cache.granule, start;

	if (!dk_line_is_dirty(soc, b, off))
		return;
	start = dk_align_down(off, g);
	if (start + g > b->b.size)
		g = b->b.size - start;
	dk_raw_copy(b->mem + start, b->cpu + start, g);
	dk_raw_copy(b->last + start, b->cpu + start, g);
}

void dk_line_inval(struct dk_soc *soc, struct dk_ram_bank *b, u64 off)
{
	u32 l = soc->cache.line;

	dk_raw_copy(b->cpu + off, b->mem + off, l);
	dk_raw_copy(b->last + off, b->mem + off, l);
}

/*
 * Resolve [pa, pa + size) to a bank and the line-aligned offsets covering
 * it. Returns 0 or -EINVAL with a message.
 */
int dk_cache_range(struct dk_soc *soc, phys_addr_t pa, size_t size,
		   struct dk_ram_bank **bank, u64 *first, u64 *end)
{
	int i;
	u64 l;

	if (!dk_soc_ok(soc, "cache maintenance"))
		return -EINVAL;
	if (!size || pa + size - 1 < pa)
		return dk_err(-EINVAL,
			      "cache maintenance: range 0x%llx + 0x%zx is empty or overflows",
			      (unsigned long long)pa, size);
	i = dk_ram_find(soc, pa, size);
	if (i < 0)
		return dk_err(-EINVAL,
			      "cache maintenance: 0x%llx + 0x%zx is not inside one RAM bank",
			      (unsigned long long)pa, size);
	l = soc->cache.line;
	*bank = &soc->banks[i];
	*first = dk_align_down(pa - (*bank)->b.base, l);
	*end = dk_align_down(pa - (*bank)->b.base + size - 1, l) + l;
	return 0;
}

enum op { CLEAN, INVAL, CLEAN_INVAL, EVICT, SPECULATE };

static void line_op(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		    enum op op)
{
	switch (op) {
	case CLEAN:
		dk_line_clean(soc, b, off);
		break;
	case INVAL:
		dk_line_inval(soc, b, off);
		break;
	case CLEAN_INVAL:
	case EVICT:
		/* An evicted dirty line is written back; either way the next
		 * CPU access misses and reads DRAM. */
		dk_line_clean(soc, b, off);
		dk_line_inval(soc, b, off);
		break;
	case SPECULATE:
		if (!dk_line_is_dirty(soc, b, off))
			dk_line_inval(soc, b, off);
		break;
	}
}

static int range_op(struct dk_soc *soc, phys_addr_t pa, size_t size,
		    enum op op)
{
	struct dk_ram_bank *b;
	u64 first, end, off, l, start;
	int r;

	r = dk_cache_range(soc, pa, size, &b, &first, &end);
	if (r)
		return r;
	l = soc->cache.line;
	start = pa - b->b.base;
	pthread_mutex_lock(&soc->lock);
	for (off = first; off < end; off += l) {
		enum op o = op;
		bool partial = (off < start) || (off + l > start + size);

		/* Linux protects a neighbour's data in a shared edge line. */
		if (op == INVAL && partial && soc->cache.edge == DK_EDGE_CLEAN_INV)
			o = CLEAN_INVAL;
		line_op(soc, b, off, o);
	}
	pthread_mutex_unlock(&soc->lock);
	return 0;
}

int dk_sim_cache_clean(struct dk_soc *soc, phys_addr_t pa, size_t size)
{
	return range_op(soc, pa, size, CLEAN);
}

int dk_sim_cache_inval(struct dk_soc *soc, phys_addr_t pa, size_t size)
{
	return range_op(soc, pa, size, INVAL);
}

int dk_sim_cache_clean_inval(struct dk_soc *soc, phys_addr_t pa, size_t size)
{
	return range_op(soc, pa, size, CLEAN_INVAL);
}

int dk_sim_cache_evict(struct dk_soc *soc, phys_addr_t pa, size_t size)
{
	return range_op(soc, pa, size, EVICT);
}

int dk_sim_cache_speculate(struct dk_soc *soc, phys_addr_t pa, size_t size)
{
	return range_op(soc, pa, size, SPECULATE);
}

bool dk_sim_line_dirty(struct dk_soc *soc, phys_addr_t pa)
{
	int i = dk_soc_ok(soc, "dk_sim_line_dirty") ? dk_ram_find(soc, pa, 1) : -1;
	bool d;

	if (i < 0)
		return false;
	pthread_mutex_lock(&soc->lock);
	d = dk_line_is_dirty(soc, &soc->banks[i],
			     dk_align_down(pa - soc->banks[i].b.base,
					   soc->cache.line));
	pthread_mutex_unlock(&soc->lock);
	return d;
}
