// SPDX-License-Identifier: MIT
/*
 * Loads satisfied early. Without a read barrier, a CPU load may be
 * satisfied before an earlier one in program order: a driver that reads
 * a descriptor's DONE bit and then the data it covers may get the data as
 * it was before the device wrote it, though the device wrote the data
 * first. rmb()/dma_rmb() (and mb(), readl()) order the loads.
 *
 * The seam: CPU loads are plain host loads of the bufferable (Normal
 * non-cacheable) mappings, which show DRAM itself, so the model cannot
 * make one load early. It makes the device's writes late instead, which
 * the CPU cannot tell apart: a device model's write to bufferable memory
 * is held back from DRAM as a record (the bytes before and after), and
 * devices read through the records. Held writes reach DRAM on the CPU's
 * read barriers, before an interrupt handler runs (taking an interrupt
 * orders what was written before it was raised), before the library's
 * own stores (not cache maintenance: the DMA API promises no ordering of
 * coherent memory, as for the write buffer), and otherwise one at a time, newest
 * first, as the CPU waits: a driver polling a DONE bit sees the last
 * write (the DONE bit) while what the device wrote before it is still
 * held, so the data it reads next is stale unless dma_rmb() comes first.
 * A byte the CPU stored meanwhile is kept (its store came later).
 *
 * Which policy holds what: never, nothing; adversarial, every such write
 * of a device model (not the program's own dk_dev_dma_write() calls,
 * which it sees complete); random, each write at the seeded rate. Not in
 * threaded mode, where the CPU runs beside the models.
 *
 * Under every policy a record stays, landed, until the next read barrier
 * (or interrupt): it is a device write the CPU's loads are not yet
 * ordered after. When a device reads bytes of such a write that the CPU
 * has changed since (a descriptor handed back), and the device wrote
 * something before it, the CPU acted on the later write without ordering
 * its loads of the earlier one: the observer hears DK_EV_LOADS_UNORDERED.
 */
#include <stdlib.h>
#include <string.h>

#include "../core/rawmem.h"
#include "soc_internal.h"

#include <dmakit/io.h>

/* Every SoC's records (held or not yet ordered): lets a read barrier
 * skip its call while there are none. */
unsigned long dk_io_loads_held;

#define LB_MAX 64		/* records held at most */
#define LB_MAX_LEN 65536	/* a longer write is not held */

struct dk_lb_rec {
	struct dk_ram_bank *b;
	u64 off;
	size_t len;
	u8 *old, *new;		/* DRAM before, what the device wrote */
	bool held;		/* not in DRAM yet */
};

static bool overlaps(const struct dk_lb_rec *r, const struct dk_ram_bank *b,
		     u64 off, size_t len)
{
	return r->b == b && off < r->off + r->len && r->off < off + len;
}

/* Record @r reaches DRAM; soc->lock held. */
static void land(struct dk_lb_rec *r)
{
	u8 *mem = r->b->mem + r->off;
	size_t k;

	if (!r->held)
		return;
	r->held = false;
	for (k = 0; k < r->len; k++) {
		if (mem[k] != r->old[k])
			continue;	/* a CPU store since: it is newer */
		mem[k] = r->new[k];
		if (r->b->drained)
			r->b->drained[r->off + k] = r->new[k];
	}
}

/* Records [0, @n) land and go; soc->lock held. */
static void drop(struct dk_soc *soc, size_t n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n; i++) {
		land(&soc->lb[i]);
		free(soc->lb[i].old);
	}
	memmove(soc->lb, soc->lb + n, (soc->nlb - n) * sizeof(*soc->lb));
	__atomic_store_n(&soc->nlb, soc->nlb - n, __ATOMIC_RELEASE);
	__atomic_sub_fetch(&dk_io_loads_held, n, __ATOMIC_RELEASE);
}

static void drop_one(struct dk_soc *soc, size_t i)
{
	struct dk_lb_rec r = soc->lb[i];

	land(&r);
	free(r.old);
	memmove(soc->lb + i, soc->lb + i + 1,
		(soc->nlb - i - 1) * sizeof(*soc->lb));
	__atomic_store_n(&soc->nlb, soc->nlb - 1, __ATOMIC_RELEASE);
	__atomic_sub_fetch(&dk_io_loads_held, 1, __ATOMIC_RELEASE);
}

void dk_lb_land_locked(struct dk_soc *soc, bool all)
{
	size_t i;

	if (all) {
		drop(soc, soc->nlb);
		return;
	}
	/* The newest write still held lands; its record stays. */
	for (i = soc->nlb; i-- > 0;)
		if (soc->lb[i].held) {
			land(&soc->lb[i]);
			break;
		}
}

void dk_lb_land(struct dk_soc *soc, bool all)
{
	if (!__atomic_load_n(&soc->nlb, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&soc->lock);
	dk_lb_land_locked(soc, all);
	pthread_mutex_unlock(&soc->lock);
}

/* Whether a device model's write is one to track (and which to hold). */
static bool tracked(struct dk_soc *soc, const struct dk_ram_bank *b,
		    u64 off, size_t len, bool *hold)
{
	u64 pg;

	if (soc->threaded || !dk_model_held() || len > LB_MAX_LEN)
		return false;
	for (pg = off / DK_PAGE_SIZE; pg <= (off + len - 1) / DK_PAGE_SIZE;
	     pg++)
		if (!b->wb_refs[pg])
			return false;
	*hold = soc->cache.policy == DK_EVICT_ADVERSARIAL ||
		(soc->cache.policy == DK_EVICT_RANDOM && dk_policy_chance(soc));
	return true;
}

bool dk_lb_hold(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		size_t len, const u8 *buf)
{
	struct dk_lb_rec *r;
	bool hold;
	size_t i;
	u8 *copy;

	if (!tracked(soc, b, off, len, &hold))
		return false;
	/* A later write to the same bytes: the earlier one has landed
	 * (writes to one location are seen in order). */
	for (i = soc->nlb; i-- > 0;)
		if (overlaps(&soc->lb[i], b, off, len))
			drop_one(soc, i);
	if (soc->nlb == LB_MAX)
		drop(soc, 1);
	if (soc->nlb == soc->cap_lb) {
		size_t cap = soc->cap_lb ? 2 * soc->cap_lb : 8;
		struct dk_lb_rec *n = realloc(soc->lb, cap * sizeof(*n));

		if (!n)
			return false;
		soc->lb = n;
		soc->cap_lb = cap;
	}
	copy = malloc(2 * len);
	if (!copy)
		return false;
	r = &soc->lb[soc->nlb];
	*r = (struct dk_lb_rec){ b, off, len, copy, copy + len, hold };
	dk_raw_copy(r->old, b->mem + off, len);
	memcpy(r->new, buf, len);
	__atomic_store_n(&soc->nlb, soc->nlb + 1, __ATOMIC_RELEASE);
	__atomic_add_fetch(&dk_io_loads_held, 1, __ATOMIC_RELEASE);
	return hold;
}

/* Whether the CPU changed bytes [lo, hi) of landed record @r. */
static bool cpu_changed(const struct dk_lb_rec *r, u64 lo, u64 hi)
{
	return !r->held && dk_raw_cmp(r->b->mem + lo, r->new + (lo - r->off),
				      hi - lo);
}

void dk_lb_device_read(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		       size_t len, u8 *buf)
{
	size_t i, k, told = 0;

	for (i = 0; i < soc->nlb; i++) {
		const struct dk_lb_rec *r = &soc->lb[i];
		u64 lo, hi;

		if (!overlaps(r, b, off, len))
			continue;
		lo = r->off > off ? r->off : off;
		hi = r->off + r->len < off + len ? r->off + r->len : off + len;
		if (i && cpu_changed(r, lo, hi)) {
			dk_ev_note(soc, DK_EV_LOADS_UNORDERED, b->b.base + lo,
				   hi - lo);
			told = i + 1;
		}
		if (!r->held)
			continue;
		/* The interconnect has the write; DRAM does not yet. */
		for (k = lo; k < hi; k++)
			if (b->mem[k] == r->old[k - r->off])
				buf[k - off] = r->new[k - r->off];
	}
	/* Told once: what came before is done with. */
	if (told)
		drop(soc, told);
}

void dk_lb_fini(struct dk_soc *soc)
{
	size_t i;

	for (i = 0; i < soc->nlb; i++)
		free(soc->lb[i].old);
	__atomic_sub_fetch(&dk_io_loads_held, soc->nlb, __ATOMIC_RELEASE);
	free(soc->lb);
	soc->lb = NULL;
	soc->nlb = soc->cap_lb = 0;
}
