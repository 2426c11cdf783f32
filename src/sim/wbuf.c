// SPDX-License-Identifier: MIT
/*
 * The CPU's write buffer in front of bufferable uncached memory (arm64's
 * Normal non-cacheable: dma_alloc_coherent() for a non-coherent device,
 * dma_alloc_wc()).
 *
 * The seam: such memory is a host mapping of DRAM itself, so a CPU store
 * through it lands in mem[] at once and the model cannot hold it back.
 * What it can do is choose what the interconnect delivers to a device.
 * Each bank keeps a second copy, drained[], of its bufferable pages: the
 * bytes as of the last drain (a barrier). A line whose mem[] differs from
 * drained[] holds CPU stores still in the write buffer. A device read of
 * such a line gets drained[] unless the policy lets the buffer empty
 * first; a barrier copies mem[] to drained[]. Pending stores are found by
 * comparison, as dirty lines are: a store of the value DRAM already holds
 * is invisible, and changes nothing a device could see either.
 *
 * Strongly-ordered memory is not bufferable and never registered here.
 * Which kind an uncached alias is, is the SoC's /dmakit coherent-mapping:
 * Normal non-cacheable as arm64 Linux maps coherent memory (the built-in
 * SoC's), or strongly ordered (barebox's choice, and the binding's
 * default for a tree that does not say).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../core/rawmem.h"
#include "soc_internal.h"

struct dk_wb_range {
	const void *va;		/* the alias that made it bufferable */
	int bank;
	u64 off, size;
};

static void *anon(u64 size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* The bank's drained copy and per-page counts, on its first buffered
 * page: sparse, so only pages ever buffered cost memory. */
static int bank_prepare(struct dk_ram_bank *b)
{
	if (b->wb_refs)
		return 0;
	b->drained = anon(b->b.size);
	b->wb_refs = anon(b->b.size / DK_PAGE_SIZE * sizeof(*b->wb_refs));
	if (b->drained && b->wb_refs)
		return 0;
	if (b->drained)
		munmap(b->drained, b->b.size);
	b->drained = NULL;
	if (b->wb_refs)
		munmap(b->wb_refs, b->b.size / DK_PAGE_SIZE *
					   sizeof(*b->wb_refs));
	b->wb_refs = NULL;
	return dk_err(-ENOMEM, "write buffer: no memory for a bank's copy");
}

bool dk_wb_bufferable(const struct dk_soc *soc, enum dk_alias_type type)
{
	return type == DK_ALIAS_WRITE_COMBINE ||
	       (type == DK_ALIAS_UNCACHED && soc->coherent_nc);
}

int dk_wb_add(struct dk_soc *soc, int bank, u64 off, u64 size,
	      const void *va)
{
	struct dk_ram_bank *b = &soc->banks[bank];
	u64 pg, end = (off + size) / DK_PAGE_SIZE;
	int r = 0;

	pthread_mutex_lock(&soc->lock);
	if (soc->nwb == soc->cap_wb) {
		size_t cap = soc->cap_wb ? 2 * soc->cap_wb : 8;
		struct dk_wb_range *n = realloc(soc->wb, cap * sizeof(*n));

		if (!n) {
			r = dk_err(-ENOMEM, "write buffer: out of memory");
			goto out;
		}
		soc->wb = n;
		soc->cap_wb = cap;
	}
	r = bank_prepare(b);
	if (r)
		goto out;
	/* A page that becomes bufferable starts with nothing pending. */
	for (pg = off / DK_PAGE_SIZE; pg < end; pg++)
		if (!b->wb_refs[pg]++)
			dk_raw_copy(b->drained + pg * DK_PAGE_SIZE,
				    b->mem + pg * DK_PAGE_SIZE, DK_PAGE_SIZE);
	soc->wb[soc->nwb] = (struct dk_wb_range){ va, bank, off, size };
	__atomic_store_n(&soc->nwb, soc->nwb + 1, __ATOMIC_RELEASE);
out:
	pthread_mutex_unlock(&soc->lock);
	return r;
}

void dk_wb_remove(struct dk_soc *soc, const void *va)
{
	size_t i;
	u64 pg;

	pthread_mutex_lock(&soc->lock);
	dk_lb_land_locked(soc, true);
	/* A vmap registered each of its pages under the same address. */
	for (i = 0; i < soc->nwb;) {
		struct dk_wb_range *w = &soc->wb[i];
		struct dk_ram_bank *b = &soc->banks[w->bank];

		if (w->va != va) {
			i++;
			continue;
		}
		/* Gone with its mapping: what it buffered has landed. */
		for (pg = w->off / DK_PAGE_SIZE;
		     pg < (w->off + w->size) / DK_PAGE_SIZE; pg++)
			b->wb_refs[pg]--;
		*w = soc->wb[soc->nwb - 1];
		__atomic_store_n(&soc->nwb, soc->nwb - 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&soc->lock);
}

/* Every buffered store reaches DRAM; soc->lock is held. */
static void drain_locked(struct dk_soc *soc)
{
	size_t i;

	for (i = 0; i < soc->nwb; i++) {
		const struct dk_wb_range *w = &soc->wb[i];
		struct dk_ram_bank *b = &soc->banks[w->bank];

		dk_raw_copy(b->drained + w->off, b->mem + w->off, w->size);
	}
}

int dk_sim_drain_writes(struct dk_soc *soc)
{
	if (!dk_soc_ok(soc, "dk_sim_drain_writes"))
		return -EINVAL;
	/* Nothing bufferable mapped: a barrier costs one load. */
	if (!__atomic_load_n(&soc->nwb, __ATOMIC_ACQUIRE))
		return 0;
	pthread_mutex_lock(&soc->lock);
	drain_locked(soc);
	pthread_mutex_unlock(&soc->lock);
	return 0;
}

static bool page_buffered(const struct dk_ram_bank *b, u64 off)
{
	return b->wb_refs[off / DK_PAGE_SIZE] != 0;
}

/*
 * A device read of [off, off + len) of @b has copied mem[] into @buf:
 * lines with stores still in the buffer deliver drained[] instead, unless
 * the policy empties the buffer for that line first. The observer hears
 * of every such line whatever the policy did, since a driver that relies
 * on the buffer emptying in time is wrong on every run.
 */
void dk_wb_device_read(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		       size_t len, u8 *buf)
{
	u64 l = soc->cache.line, o, end = off + len;

	for (o = dk_align_down(off, l); o < end; o += l) {
		u64 lo = o < off ? off : o, hi = o + l < end ? o + l : end;

		if (!page_buffered(b, o) ||
		    !dk_raw_cmp(b->mem + o, b->drained + o, l))
			continue;
		dk_ev_note(soc, DK_EV_WRITE_BUFFERED, b->b.base + o, l);
		if (soc->cache.policy == DK_EVICT_NEVER ||
		    (soc->cache.policy == DK_EVICT_RANDOM &&
		     dk_policy_chance(soc))) {
			dk_raw_copy(b->drained + o, b->mem + o, l);
			continue;
		}
		dk_raw_copy(buf + (lo - off), b->drained + lo, hi - lo);
	}
}

/* Bytes written to DRAM by anyone but a CPU store through a bufferable
 * mapping (a device, the library's own stores) are in drained[] too. */
void dk_wb_mirror(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		  size_t len)
{
	u64 o = off, end = off + len;

	(void)soc;
	while (o < end) {
		u64 next = dk_align_down(o, DK_PAGE_SIZE) + DK_PAGE_SIZE;
		u64 n = (next < end ? next : end) - o;

		if (page_buffered(b, o))
			dk_raw_copy(b->drained + o, b->mem + o, n);
		o += n;
	}
}

void dk_wb_fini(struct dk_soc *soc)
{
	int i;

	for (i = 0; i < soc->nbanks; i++) {
		struct dk_ram_bank *b = &soc->banks[i];

		if (b->drained)
			munmap(b->drained, b->b.size);
		if (b->wb_refs)
			munmap(b->wb_refs, b->b.size / DK_PAGE_SIZE *
						   sizeof(*b->wb_refs));
		b->drained = NULL;
		b->wb_refs = NULL;
	}
	free(soc->wb);
	soc->wb = NULL;
	soc->nwb = soc->cap_wb = 0;
}
