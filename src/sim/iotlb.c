// SPDX-License-Identifier: MIT
/*
 * The IOTLB of an IOMMU unit: a direct-mapped cache of leaf translations
 * tagged by context, so a hit costs one probe per leaf size (4 KiB tried
 * first). An entry stays until it is invalidated or a newer translation
 * takes its slot: a table change alone never reaches it, which is what
 * makes a missing invalidation observable, as on hardware.
 *
 * Entries change under the unit's lock, their tag with an atomic store,
 * so a writer's lock-free look (dk_iotlb_may_hold()) can tell an empty
 * slot; the order of that look after its table change, and of the
 * walker's re-read of its leaf after its fill, is sequentially
 * consistent, so one of the two sees the other's store.
 */
#include "iommu_internal.h"

static const u8 shifts[] = { 12, 21, 30 };

static size_t slot(u64 ctx, u64 va, u8 shift)
{
	u64 h = ((va >> shift) ^ ((u64)ctx << 40) ^ shift) *
		0x9e3779b97f4a7c15ULL;

	return h >> 40 & (DK_IOTLB_ENTRIES - 1);
}

const struct dk_iotlb_entry *dk_iotlb_find(struct dk_iommu_unit *u, u64 ctx,
					   u64 iova)
{
	size_t i;

	for (i = 0; i < DK_ARRAY_SIZE(shifts); i++) {
		u8 s = shifts[i];
		u64 va = iova & ~((1ULL << s) - 1);
		const struct dk_iotlb_entry *e;

		/* No entry of this size was ever made: none to probe. */
		if (!(__atomic_load_n(&u->tlb_sizes, __ATOMIC_RELAXED) &
		      1U << i))
			continue;
		e = &u->tlb[slot(ctx, va, s)];
		if (e->ctx == ctx && e->shift == s && e->va == va) {
			u->stats.tlb_hits++;
			return e;
		}
	}
	u->stats.tlb_misses++;
	return NULL;
}

void dk_iotlb_fill(struct dk_iommu_unit *u, const struct dk_iotlb_entry *e)
{
	struct dk_iotlb_entry *to = &u->tlb[slot(e->ctx, e->va, e->shift)];
	size_t i;

	for (i = 0; i < DK_ARRAY_SIZE(shifts); i++)
		if (shifts[i] == e->shift)
			__atomic_fetch_or(&u->tlb_sizes, 1U << i,
					  __ATOMIC_SEQ_CST);
	to->shift = e->shift;
	to->prot = e->prot;
	to->va = e->va;
	to->pa = e->pa;
	__atomic_store_n(&to->ctx, e->ctx, __ATOMIC_SEQ_CST);
}

static void drop(struct dk_iotlb_entry *e, u64 ctx, u64 lo, u64 hi)
{
	/* [lo, hi] inclusive, so a range ending at 2^64 has no overflow. */
	if (e->ctx == ctx && e->va <= hi &&
	    lo <= e->va + ((1ULL << e->shift) - 1)) {
		__atomic_store_n(&e->ctx, 0, __ATOMIC_RELAXED);
	}
}

void dk_iotlb_drop(struct dk_iommu_unit *u, const struct dk_iotlb_entry *e)
{
	drop(&u->tlb[slot(e->ctx, e->va, e->shift)], e->ctx, e->va, e->va);
}

static inline void count_inval(struct dk_iommu_unit *u, unsigned int no)
{
	atomic_fetch_add_explicit(&u->invals[no % DK_IOPT_SLOTS].n, 1,
				  memory_order_relaxed);
}

void dk_iotlb_count_inval(struct dk_iommu_unit *u)
{
	count_inval(u, dk_thread_no());
}

static inline bool may_hold(struct dk_iommu_unit *u, u64 ctx, u64 iova)
{
	u8 sizes = __atomic_load_n(&u->tlb_sizes, __ATOMIC_SEQ_CST);
	size_t i;

	for (i = 0; i < DK_ARRAY_SIZE(shifts); i++) {
		u64 va = iova & ~((1ULL << shifts[i]) - 1);

		if (sizes & 1U << i &&
		    __atomic_load_n(&u->tlb[slot(ctx, va, shifts[i])].ctx,
				    __ATOMIC_SEQ_CST) == ctx)
			return true;
	}
	return false;
}

bool dk_iotlb_may_hold(struct dk_iommu_unit *u, u64 ctx, u64 iova)
{
	return may_hold(u, ctx, iova);
}

/* The page's entries dropped under the unit's lock (and counted). */
static __attribute__((noinline)) u64
inval_locked(struct dk_iommu_pt *t, u64 iova, u64 done)
{
	struct dk_iommu_unit *u = t->unit;

	dk_iommu_unit_lock(u);
	dk_iotlb_inval(u, t->tag, iova, DK_PAGE_SIZE);
	dk_iommu_unit_unlock(u);
	return done;
}

/* A thread yet without a number takes the lock: no call here. */
u64 dk_iotlb_inval_unmapped(struct dk_iommu_pt *t, u64 iova, u64 done)
{
	struct dk_iommu_unit *u = t->unit;
	unsigned int no = dk_thread_no_tls;

	if (no == ~0U ||
	    may_hold(u, __atomic_load_n(&t->tag, __ATOMIC_SEQ_CST), iova))
		return inval_locked(t, iova, done);
	count_inval(u, no);
	return done;
}

void dk_iotlb_inval(struct dk_iommu_unit *u, u64 ctx, u64 iova, u64 size)
{
	u64 hi = size ? iova + (size - 1) : ~0ULL, va;
	size_t i, k;

	if (hi < iova)
		hi = ~0ULL;
	dk_iotlb_count_inval(u);
	/* Probing each page's slots beats a scan only for small ranges. */
	if (!size || (hi - iova) >> 12 >= DK_IOTLB_ENTRIES / 4) {
		for (i = 0; i < DK_IOTLB_ENTRIES; i++)
			drop(&u->tlb[i], ctx, iova, hi);
		return;
	}
	for (k = 0; k < DK_ARRAY_SIZE(shifts); k++) {
		u8 s = shifts[k];

		if (!(__atomic_load_n(&u->tlb_sizes, __ATOMIC_RELAXED) &
		      1U << k))
			continue;
		for (va = iova & ~((1ULL << s) - 1); va <= hi; va += 1ULL << s) {
			drop(&u->tlb[slot(ctx, va, s)], ctx, iova, hi);
			if (va + (1ULL << s) < va)
				break;
		}
	}
}

/*
 * A whole set of tables at once: its entries keep their old tag, which
 * no lookup asks for any more, until newer ones take their slots. Tags
 * are 64-bit, so none comes round again.
 */
void dk_iotlb_inval_all(struct dk_iommu_pt *t)
{
	dk_iotlb_count_inval(t->unit);
	__atomic_store_n(&t->tag, ++t->unit->last_tag, __ATOMIC_SEQ_CST);
}
