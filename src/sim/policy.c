// SPDX-License-Identifier: MIT
/*
 * What the cache does on its own around a non-coherent device access.
 *
 * adversarial is chosen so that each classic bug shows in the data:
 *  - before a device write, clean lines are speculatively refilled, so the
 *    CPU holds the old data until the driver invalidates;
 *  - after a device write, dirty lines are written back on top of what the
 *    device wrote (the "Two are better than one" corruption);
 *  - a device read sees DRAM only: a driver that forgot to clean sends the
 *    stale bytes.
 * random does each of these to each touched line with a seeded probability.
 */
#include "../core/rawmem.h"
#include "soc_internal.h"

/* xorshift64*: small, fast and the same everywhere for the same seed. */
static u64 next_rand(struct dk_soc *soc)
{
	u64 x = soc->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	soc->rng = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static bool chance(struct dk_soc *soc)
{
	return next_rand(soc) % 100 < soc->cache.rate;
}

bool dk_policy_chance(struct dk_soc *soc)
{
	return chance(soc);
}

static void each_line(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		      size_t len, void (*fn)(struct dk_soc *,
					     struct dk_ram_bank *, u64))
{
	u64 l = soc->cache.line, o;

	for (o = dk_align_down(off, l); o < off + len; o += l)
		fn(soc, b, o);
}

/* A write-back the cache chose: the observer hears of each dirty line. */
static void evict(struct dk_soc *soc, struct dk_ram_bank *b, u64 o)
{
	if (!dk_line_is_dirty(soc, b, o))
		return;
	dk_ev_note(soc, DK_EV_WRITEBACK, b->b.base + o, soc->cache.line);
	dk_line_clean(soc, b, o);
}

/*
 * A fill the observer hears of: only one that changes what the CPU reads
 * (a clean line whose DRAM moved on), and only when someone listens.
 */
static void note_fill(struct dk_soc *soc, struct dk_ram_bank *b, u64 o)
{
	if (soc->ev_log && soc->observe_fills &&
	    !dk_line_is_dirty(soc, b, o) &&
	    dk_raw_cmp(b->cpu + o, b->mem + o, soc->cache.line))
		dk_ev_note(soc, DK_EV_FILL, b->b.base + o, soc->cache.line);
}

/* Line-aligned [*first, *end) covering [off, off + len). */
static void span(const struct dk_soc *soc, u64 off, size_t len, u64 *first,
		 u64 *end)
{
	u64 l = soc->cache.line;

	*first = dk_align_down(off, l);
	*end = dk_align_down(off + len - 1, l) + l;
}

/* Every dirty line of the range written back, in line order. */
static void evict_dirty(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
			size_t len)
{
	u64 first, end, o, l = soc->cache.line;

	span(soc, off, len, &first, &end);
	for (o = dk_next_dirty(soc, b, first, end); o < end;
	     o = dk_next_dirty(soc, b, o + l, end))
		evict(soc, b, o);
}

static void random_before(struct dk_soc *soc, struct dk_ram_bank *b, u64 o)
{
	if (!chance(soc))
		return;
	if (dk_line_is_dirty(soc, b, o)) {
		evict(soc, b, o);		/* early eviction */
	} else {
		note_fill(soc, b, o);
		dk_line_inval(soc, b, o);	/* speculative fill */
	}
}

static void random_after(struct dk_soc *soc, struct dk_ram_bank *b, u64 o)
{
	if (chance(soc))
		evict(soc, b, o);		/* late eviction */
}

void dk_policy_before(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		      size_t len, bool write)
{
	switch (soc->cache.policy) {
	case DK_EVICT_NEVER:
		break;
	case DK_EVICT_ADVERSARIAL:
		if (write) {
			u64 first, end;

			span(soc, off, len, &first, &end);
			if (unlikely(soc->ev_log && soc->observe_fills))
				each_line(soc, b, off, len, note_fill);
			dk_range_speculate(soc, b, first, end);
		}
		break;
	case DK_EVICT_RANDOM:
		each_line(soc, b, off, len, random_before);
		break;
	}
}

void dk_policy_after(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		     size_t len, bool write)
{
	if (!write)
		return;
	switch (soc->cache.policy) {
	case DK_EVICT_NEVER:
		break;
	case DK_EVICT_ADVERSARIAL:
		evict_dirty(soc, b, off, len);
		break;
	case DK_EVICT_RANDOM:
		each_line(soc, b, off, len, random_after);
		break;
	}
}
