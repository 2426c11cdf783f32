/* SPDX-License-Identifier: MIT */
/*
 * The simulated IOMMU's private state, shared by iommu.c (units,
 * contexts, the public calls), iommu_pgtable.c (the tables in simulated
 * RAM and the hardware walker) and iotlb.c (the translation cache).
 * Units and contexts come and go under soc->lock; a unit's tables (every
 * dk_iommu_pt of it, and the RAM lines they sit in), its IOTLB and its
 * counters are its own lock's (dk_iommu_unit_lock()), taken after
 * soc->lock when both are: so maps and unmaps over a domain's tables do
 * not wait on the rest of the SoC, and a device's walk, which holds both,
 * sees a table no writer is halfway through.
 *
 * But for the common case, one page in a leaf table a thread's writer
 * slot already knows (dk_iopt_*_fast()), which takes only its slot's
 * lock: as in Linux's io-pgtable, where leaf updates of disjoint IOVAs
 * take no lock, each entry is changed with one atomic operation, and
 * only what unlinks or frees a table waits for every slot
 * (dk_iopt_quiesce()). The IOTLB stays the unit's lock's, but an
 * invalidation that finds no entry of its tag where one would be takes
 * no lock: a walk re-reads its leaf after its fill, so one of the two
 * sees the other (dk_iotlb_may_hold()).
 */
#ifndef DMAKIT_SIM_IOMMU_INTERNAL_H
#define DMAKIT_SIM_IOMMU_INTERNAL_H

#include <dmakit/sim_iommu.h>

#include "../core/spin.h"
#include "../core/thread_no.h"
#include "soc_internal.h"

/* Descriptor bits (docs/soc-bindings.md, "IOMMU page tables"). */
#define DK_PTE_VALID		(1ULL << 0)
#define DK_PTE_TABLE		(1ULL << 1)	/* table, or page at level 3 */
#define DK_PTE_PROT_SHIFT	2		/* DK_IOMMU_* << 2 */
#define DK_PTE_ADDR_MASK	0x000ffffffffff000ULL

#define DK_IOTLB_ENTRIES	2048		/* per unit, a power of two */

/* Writer slots per set of tables (core/thread_no.h picks one). */
#define DK_IOPT_SLOTS		8

struct dk_iotlb_entry {
	u64 ctx;		/* the context's tag; 0: empty (atomic) */
	u8 shift;		/* 12, 21 or 30: the leaf's size */
	u8 prot;
	u64 va;			/* aligned to 1 << shift */
	u64 pa;
};

struct dk_iommu_unit {
	struct dk_iommu_unit *next;
	char *path;
	unsigned int ias;	/* input address bits */
	bool coherent;		/* the walker snoops the CPU cache */
	bool forget_clean;	/* bug injection: the writer skips its clean */
	bool forgot_clean;	/* it did once: table lines may be dirty */
	struct dk_iotlb_entry *tlb;
	u8 tlb_sizes;		/* bit i: an entry of iotlb.c's size i made */
	u64 last_tag;		/* the last context tag given out */
	struct dk_sim_iommu_stats stats;	/* but invalidations: */
	char pad[64];		/* the fields above are read by every slot */
	struct {
		_Atomic u64 n;	/* one line each: writers of two slots */
		char pad[120];	/* share none */
	} invals[DK_IOPT_SLOTS];
	atomic_bool busy;	/* the unit's lock */
	/* Its holder holds soc->lock too, so a table page may be taken
	 * from RAM; else the writer asks for it (want_page). */
	bool may_alloc;
};

/* The unit's lock: a spin lock, its sections being short (one table
 * entry, one IOTLB probe). */
static inline void dk_iommu_unit_lock(struct dk_iommu_unit *u)
{
	dk_spin_lock(&u->busy);
}

static inline void dk_iommu_unit_unlock(struct dk_iommu_unit *u)
{
	dk_spin_unlock(&u->busy);
}

/* Leaf tables a writer slot remembers: a thread whose IOVAs span two
 * 2 MiB ranges (a lazy flush queue's worth may) finds both. Two, so a
 * slot stays 128 bytes: at 256 the single thread's map+unmap took 25%
 * longer in dmakit bench (the layout, not the work: one kept there was
 * as slow). */
#define DK_IOPT_LEAVES		2

/*
 * A writer slot of a set of tables: the writer's shortcuts past the
 * upper levels (iommu_pgtable.c), the last level-3 tables maps and
 * unmaps of the slot's threads went through, one per 2 MiB range modulo
 * DK_IOPT_LEAVES, and their count of leaves. 128 bytes, so two slots'
 * fields never share a line.
 */
struct dk_iopt_slot {
	atomic_bool busy;	/* its lock (core/spin.h) */
	_Atomic long leaves;	/* leaves made less those cleared */
	struct {
		u64 span;	/* the IOVAs it covers, >> 21 */
		struct dk_ram_bank *bank;
		u64 off;	/* where it is in the bank */
		unsigned int gen;	/* set for this dk_iommu_pt.gen */
		bool ok;
	} leaf[DK_IOPT_LEAVES];
	char pad[128 - 16 - 32 * DK_IOPT_LEAVES];
};
_Static_assert(sizeof(struct dk_iopt_slot) == 128, "a slot is 128 bytes");

/*
 * A set of page tables and its IOTLB tag (an ASID): a context's own, or
 * one a domain owns (iommu.c's dk_sim_iommu_pt_*), which every context
 * attached to it walks, so one invalidation of the tag reaches them all.
 */
struct dk_iommu_pt {
	struct dk_iommu_pt *next;	/* the SoC's list of domains' tables */
	struct dk_iommu_unit *unit;
	u64 tag;		/* IOTLB tag, unique in the unit (atomic) */
	phys_addr_t root;	/* top-level table; 0 before the first map */
	phys_addr_t *tables;	/* every table page, to free them */
	size_t ntables, cap;
	/* A map or unmap stopped for a table page it could not take (the
	 * unit's may_alloc was false): run it again with it true. */
	bool want_page;
	/* Bumped, every slot held, when a level-3 table is unlinked or
	 * freed: the slots' shortcuts to it are stale then. */
	atomic_uint gen;
	char pad[64];		/* the fields above are read by every slot */
	struct dk_iopt_slot slot[DK_IOPT_SLOTS];
};

struct dk_iommu_ctx {
	struct dk_iommu_ctx *next;
	struct dk_iommu_unit *unit;
	u32 stream;
	bool enabled;
	struct dk_iommu_pt *pt;	/* the tables it walks: &own or a domain's */
	struct dk_iommu_pt own;
};

/* iommu.c: the unit at @path, made with the defaults if the tree did not
 * describe it; NULL when out of memory. */
struct dk_iommu_unit *dk_iommu_unit_get(struct dk_soc *soc, const char *path);

/* iommu_pgtable.c: what the IOMMU's driver does to the tables (through
 * the CPU's view, cleaned for a non-coherent walker), the unit's lock
 * held: a map that needs a table page the unit may not take returns
 * -EAGAIN having changed nothing, an unmap stops short, and both set
 * want_page... */
int dk_iopt_map(struct dk_soc *soc, struct dk_iommu_pt *c, u64 iova,
		phys_addr_t pa, u64 size, int prot);
u64 dk_iopt_unmap(struct dk_soc *soc, struct dk_iommu_pt *c, u64 iova,
		  u64 size);
/* The leaf covering @iova as the CPU sees the tables; 0 if none. */
u64 dk_iopt_lookup(struct dk_soc *soc, const struct dk_iommu_pt *c,
		   u64 iova, unsigned int *shift);
void dk_iopt_free(struct dk_soc *soc, struct dk_iommu_pt *c);
/* Live leaves of @c (its writers may be changing them). */
long dk_iopt_leaves(struct dk_iommu_pt *c);
/* Wait for every writer slot of @c to be out of its fast path; they
 * take the locked path from then on if @stale. */
void dk_iopt_quiesce(struct dk_iommu_pt *c, bool stale);
/*
 * Without the unit's lock: one page (@iova and @pa aligned, @prot valid),
 * in the level-3 table the calling thread's slot last went through.
 * When that is not where it goes (or the unit is one the fast path does
 * not serve), nothing changed here and the page goes the locked way
 * (dk_sim_iommu_pt_map_locked(), ..._unmap_locked()): what they return
 * is then what the whole map (0 or -errno) or unmap (the bytes unmapped;
 * with @inval the page's IOTLB entries dropped too) returns.
 */
int dk_iopt_map_fast(struct dk_soc *soc, struct dk_iommu_pt *c, u64 iova,
		     phys_addr_t pa, int prot);
u64 dk_iopt_unmap_fast(struct dk_soc *soc, struct dk_iommu_pt *c, u64 iova,
		       u64 size, bool inval);
/* ...and the hardware walk, through the interconnect with the unit's
 * coherence: 0 and the leaf, or 1 + the fault reason; *@at: where the
 * leaf's descriptor is, for dk_iopt_leaf_changed(). */
int dk_iopt_walk(struct dk_soc *soc, const struct dk_iommu_pt *c, u64 iova,
		 struct dk_iotlb_entry *leaf, phys_addr_t *at);
/* Whether the walker would now read another descriptor at @at than the
 * one @leaf was made from. */
bool dk_iopt_leaf_changed(struct dk_soc *soc, const struct dk_iommu_pt *c,
			  phys_addr_t at, const struct dk_iotlb_entry *leaf);

/* iotlb.c */
const struct dk_iotlb_entry *dk_iotlb_find(struct dk_iommu_unit *u, u64 ctx,
					   u64 iova);
void dk_iotlb_fill(struct dk_iommu_unit *u, const struct dk_iotlb_entry *e);
/* Drop @ctx's entries overlapping [iova, iova + size); size 0: all. */
void dk_iotlb_inval(struct dk_iommu_unit *u, u64 ctx, u64 iova, u64 size);
/* Drop every entry of the tables @t, by giving them a tag no entry has. */
void dk_iotlb_inval_all(struct dk_iommu_pt *t);
/* Without the lock, after a change of the tables: whether an entry of
 * @ctx may cover the page at @iova (false: none can, nor will a walk
 * under way leave one). */
bool dk_iotlb_may_hold(struct dk_iommu_unit *u, u64 ctx, u64 iova);
/* Drop the entry made from @e, if it is still there (no invalidation:
 * the walk that made it saw its leaf change). */
void dk_iotlb_drop(struct dk_iommu_unit *u, const struct dk_iotlb_entry *e);
/* Count one invalidation (the counter of the calling thread's slot). */
void dk_iotlb_count_inval(struct dk_iommu_unit *u);
/* After the page at @iova of @t was unmapped with no lock held: its
 * IOTLB entries dropped, the unit's lock taken only when one may be
 * there (dk_iotlb_may_hold()), the invalidation counted; @done back. */
u64 dk_iotlb_inval_unmapped(struct dk_iommu_pt *t, u64 iova, u64 done);

/* iommu.c: a map or unmap of @t the locked way; the message and
 * -EEXIST for a map that found [@iova, +@size) mapped in part. */
int dk_sim_iommu_pt_map_locked(struct dk_soc *soc, struct dk_iommu_pt *t,
			       u64 iova, phys_addr_t pa, u64 size, int prot);
int dk_sim_iommu_pt_exists(struct dk_iommu_pt *t, u64 iova, u64 size);
u64 dk_sim_iommu_pt_unmap_locked(struct dk_soc *soc, struct dk_iommu_pt *t,
				 u64 iova, u64 size, bool inval);

#endif
