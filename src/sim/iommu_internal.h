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
 */
#ifndef DMAKIT_SIM_IOMMU_INTERNAL_H
#define DMAKIT_SIM_IOMMU_INTERNAL_H

#include <dmakit/sim_iommu.h>

#include "../core/spin.h"
#include "soc_internal.h"

/* Descriptor bits (docs/soc-bindings.md, "IOMMU page tables"). */
#define DK_PTE_VALID		(1ULL << 0)
#define DK_PTE_TABLE		(1ULL << 1)	/* table, or page at level 3 */
#define DK_PTE_PROT_SHIFT	2		/* DK_IOMMU_* << 2 */
#define DK_PTE_ADDR_MASK	0x000ffffffffff000ULL

#define DK_IOTLB_ENTRIES	2048		/* per unit, a power of two */

struct dk_iotlb_entry {
	u64 ctx;		/* the context's tag; 0: empty */
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
	struct dk_sim_iommu_stats stats;
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

/*
 * A set of page tables and its IOTLB tag (an ASID): a context's own, or
 * one a domain owns (iommu.c's dk_sim_iommu_pt_*), which every context
 * attached to it walks, so one invalidation of the tag reaches them all.
 */
struct dk_iommu_pt {
	struct dk_iommu_pt *next;	/* the SoC's list of domains' tables */
	struct dk_iommu_unit *unit;
	u64 tag;		/* IOTLB tag, unique in the unit */
	phys_addr_t root;	/* top-level table; 0 before the first map */
	phys_addr_t *tables;	/* every table page, to free them */
	size_t ntables, cap;
	u64 leaves;		/* live leaf entries */
	/* The writer's shortcut past the upper levels (iommu_pgtable.c):
	 * the last level-3 table a map or unmap went through. */
	bool leaf_ok;
	u64 leaf_span;		/* the IOVAs it covers, >> 21 */
	struct dk_ram_bank *leaf_bank;
	u64 leaf_off;		/* where it is in the bank */
	/* A map or unmap stopped for a table page it could not take (the
	 * unit's may_alloc was false): run it again with it true. */
	bool want_page;
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
/* ...and the hardware walk, through the interconnect with the unit's
 * coherence: 0 and the leaf, or 1 + the fault reason. */
int dk_iopt_walk(struct dk_soc *soc, const struct dk_iommu_pt *c, u64 iova,
		 struct dk_iotlb_entry *leaf);

/* iotlb.c */
const struct dk_iotlb_entry *dk_iotlb_find(struct dk_iommu_unit *u, u64 ctx,
					   u64 iova);
void dk_iotlb_fill(struct dk_iommu_unit *u, const struct dk_iotlb_entry *e);
/* Drop @ctx's entries overlapping [iova, iova + size); size 0: all. */
void dk_iotlb_inval(struct dk_iommu_unit *u, u64 ctx, u64 iova, u64 size);
/* Drop every entry of the tables @t, by giving them a tag no entry has. */
void dk_iotlb_inval_all(struct dk_iommu_pt *t);

#endif
