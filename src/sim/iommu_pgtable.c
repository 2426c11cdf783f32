// SPDX-License-Identifier: MIT
/*
 * The simulated IOMMU's page tables, held in the SoC's own RAM: 4 KiB
 * granule, 512 eight-byte descriptors per table, up to four levels (the
 * unit's input address size sets where the walk starts), 1 GiB blocks at
 * level 1 and 2 MiB blocks at level 2. Two sides, as on hardware:
 *
 * - the writer is the IOMMU's driver on the CPU (what io-pgtable is in
 *   Linux): it stores descriptors through the CPU's cached view and, for
 *   a walker that does not snoop, cleans each changed line to DRAM;
 * - the walker is the IOMMU: it reads descriptors through the
 *   interconnect, from DRAM, or from the CPU cache's dirty lines when the
 *   unit is dma-coherent. A descriptor the writer left in the cache is
 *   invisible to a non-coherent walker.
 *
 * Descriptors are read and stored as single atomic 8-byte accesses, since
 * a page's entry may change with no lock held (dk_iopt_*_fast()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iommu_internal.h"

#define LEVELS 4
#define PTES 512

static unsigned int lvl_shift(int l)
{
	return 12 + 9 * (3 - l);
}

static int start_level(const struct dk_iommu_unit *u)
{
	return u->ias > 39 ? 0 : u->ias > 30 ? 1 : 2;
}

static unsigned int index_at(const struct dk_iommu_unit *u, int l, u64 iova)
{
	unsigned int bits = l == start_level(u) ? u->ias - lvl_shift(l) : 9;

	return (iova >> lvl_shift(l)) & ((1U << bits) - 1);
}

static struct dk_ram_bank *bank_of(struct dk_soc *soc, phys_addr_t pa,
				   u64 *off)
{
	int i = dk_ram_find(soc, pa, sizeof(u64));

	if (i < 0)
		return NULL;
	*off = pa - soc->banks[i].b.base;
	return &soc->banks[i];
}

/* The descriptor at @off of one of a bank's copies. */
static u64 *desc(u8 *copy, u64 off)
{
	return (u64 *)(void *)(copy + off);
}

/* The writer's view: the CPU's cache. */
static u64 cpu_read(struct dk_soc *soc, phys_addr_t pa)
{
	u64 off;
	struct dk_ram_bank *b = bank_of(soc, pa, &off);

	return b ? __atomic_load_n(desc(b->cpu, off), __ATOMIC_RELAXED) : 0;
}

/* Table lines are cleaned at every change, so only this entry can differ
 * from DRAM: the clean amounts to storing it there too. @order: of the
 * store the walker reads, sequentially consistent for an unmap with no
 * lock, whose look at the IOTLB comes after it (iotlb.c). */
static inline void clean_entry(struct dk_ram_bank *b, u64 off, u64 v,
			       int order)
{
	__atomic_store_n(desc(b->mem, off), v, order);
	__atomic_store_n(desc(b->last, off), v, __ATOMIC_RELAXED);
}

static void cpu_store(struct dk_soc *soc, const struct dk_iommu_pt *c,
		      struct dk_ram_bank *b, u64 off, u64 v)
{
	__atomic_store_n(desc(b->cpu, off), v, __ATOMIC_RELAXED);
	/* What Linux's io-pgtable does for a walker that cannot snoop. */
	if (c->unit->coherent || c->unit->forget_clean)
		return;
	if (c->unit->forgot_clean) {
		dk_line_clean(soc, b, dk_align_down(off, soc->cache.line));
		return;
	}
	clean_entry(b, off, v, __ATOMIC_RELEASE);
}

static void cpu_write(struct dk_soc *soc, const struct dk_iommu_pt *c,
		      phys_addr_t pa, u64 v)
{
	u64 off;
	struct dk_ram_bank *b = bank_of(soc, pa, &off);

	if (b)
		cpu_store(soc, c, b, off, v);
}

/* The calling thread's writer slot of @c. */
static struct dk_iopt_slot *my_slot(struct dk_iommu_pt *c)
{
	return &c->slot[dk_thread_no() % DK_IOPT_SLOTS];
}

/*
 * The level-3 table holding @iova's entry when it is the one the last
 * map or unmap of writer slot @ws in its 2 MiB range (modulo
 * DK_IOPT_LEAVES) went through, so the writer need not walk to it again:
 * its level-2 entry still points to it, since only a block replacing a
 * table or freeing every table unlinks one, and both make the slots
 * forget it (dk_iopt_quiesce()). The entry's bank and offset, or NULL.
 * The slot's lock held. Level 3 never starts a walk: its index is 9 bits.
 */
static inline __attribute__((always_inline)) struct dk_ram_bank *
slot_leaf(struct dk_iommu_pt *c, struct dk_iopt_slot *ws, u64 iova, u64 *off)
{
	u64 span = iova >> lvl_shift(2);
	unsigned int k = span % DK_IOPT_LEAVES;

	if (!ws->leaf[k].ok || span != ws->leaf[k].span ||
	    ws->leaf[k].gen != atomic_load_explicit(&c->gen,
						    memory_order_relaxed))
		return NULL;
	*off = ws->leaf[k].off + 8 * (iova >> lvl_shift(3) & (PTES - 1));
	return ws->leaf[k].bank;
}

/* slot_leaf() of the calling thread's slot. */
static struct dk_ram_bank *leaf_entry(struct dk_iommu_pt *c, u64 iova,
				      u64 *off)
{
	return slot_leaf(c, my_slot(c), iova, off);
}

/* Remember the level-3 table holding the entry at @at, for @iova. */
static void leaf_remember(struct dk_soc *soc, struct dk_iommu_pt *c,
			  u64 iova, phys_addr_t at)
{
	u64 span = iova >> lvl_shift(2);
	struct dk_iopt_slot *ws = my_slot(c);
	unsigned int k = span % DK_IOPT_LEAVES;

	ws->leaf[k].bank = bank_of(soc, at & ~(DK_PAGE_SIZE - 1),
				   &ws->leaf[k].off);
	ws->leaf[k].span = span;
	ws->leaf[k].gen = atomic_load_explicit(&c->gen, memory_order_relaxed);
	ws->leaf[k].ok = ws->leaf[k].bank != NULL;
}

/* One more (@d 1) or one less (-1) leaf, counted in slot @ws (its lock
 * held). */
static inline void slot_count(struct dk_iopt_slot *ws, long d)
{
	atomic_store_explicit(&ws->leaves,
			      atomic_load_explicit(&ws->leaves,
						   memory_order_relaxed) + d,
			      memory_order_relaxed);
}

/* ...in the calling thread's slot. */
static void count_leaf(struct dk_iommu_pt *c, long d)
{
	slot_count(my_slot(c), d);
}

long dk_iopt_leaves(struct dk_iommu_pt *c)
{
	long n = 0;
	int i;

	for (i = 0; i < DK_IOPT_SLOTS; i++)
		n += atomic_load_explicit(&c->slot[i].leaves,
					  memory_order_relaxed);
	return n;
}

/* Every slot of @c but @held (the caller's, or NULL) locked and let go
 * again: no fast writer is halfway through then; with @stale, none uses
 * its shortcut any more. */
static void quiesce_but(struct dk_iommu_pt *c, struct dk_iopt_slot *held,
			bool stale)
{
	int i;

	for (i = 0; i < DK_IOPT_SLOTS; i++)
		if (&c->slot[i] != held)
			dk_spin_lock(&c->slot[i].busy);
	if (stale)
		atomic_fetch_add_explicit(&c->gen, 1, memory_order_relaxed);
	for (i = DK_IOPT_SLOTS; i-- > 0;)
		if (&c->slot[i] != held)
			dk_spin_unlock(&c->slot[i].busy);
}

void dk_iopt_quiesce(struct dk_iommu_pt *c, bool stale)
{
	quiesce_but(c, NULL, stale);
}

/* The walker's view: DRAM, or the CPU's dirty line when it snoops. */
static bool hw_read(struct dk_soc *soc, const struct dk_iommu_unit *u,
		    phys_addr_t pa, u64 *v)
{
	u64 off;
	struct dk_ram_bank *b = bank_of(soc, pa, &off);
	const u8 *src;

	if (!b)
		return false;
	/* A coherent unit's writers all hold its lock (no fast path), so
	 * the line is compared with no entry of it changing. */
	src = u->coherent && dk_line_is_dirty(soc, b, dk_align_down(off,
							soc->cache.line)) ?
		      b->cpu : b->mem;
	*v = __atomic_load_n(desc((u8 *)src, off), __ATOMIC_SEQ_CST);
	return true;
}

/* A zeroed table page, in DRAM and the cache alike. */
static int new_table(struct dk_soc *soc, struct dk_iommu_pt *c,
		     phys_addr_t *pa)
{
	u64 off;
	struct dk_ram_bank *b;

	if (c->ntables == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		phys_addr_t *n = realloc(c->tables, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		c->tables = n;
		c->cap = cap;
	}
	if (!c->unit->may_alloc) {
		c->want_page = true;
		return -EAGAIN;
	}
	if (dk_pages_take_locked(soc, pa))
		return -ENOMEM;
	b = bank_of(soc, *pa, &off);
	memset(b->cpu + off, 0, DK_PAGE_SIZE);
	memset(b->mem + off, 0, DK_PAGE_SIZE);
	memset(b->last + off, 0, DK_PAGE_SIZE);
	c->tables[c->ntables++] = *pa;
	return 0;
}

void dk_iopt_free(struct dk_soc *soc, struct dk_iommu_pt *c)
{
	size_t i;

	/* No writer may be in a table that goes back to RAM. */
	dk_iopt_quiesce(c, true);
	for (i = 0; i < c->ntables; i++)
		dk_pages_put_locked(soc, c->tables[i]);
	free(c->tables);
	c->tables = NULL;
	c->ntables = c->cap = 0;
	c->root = 0;
	for (i = 0; i < DK_IOPT_SLOTS; i++)
		atomic_store_explicit(&c->slot[i].leaves, 0,
				      memory_order_relaxed);
}

/*
 * Descend the CPU's view of the tables towards @iova. Stops at the first
 * entry that is not a table (or at level 3): returns where that entry
 * sits, with its level in *@lvl and its value in *@pte (0: invalid).
 */
static phys_addr_t descend(struct dk_soc *soc, const struct dk_iommu_pt *c,
			   u64 iova, int *lvl, u64 *pte)
{
	phys_addr_t tbl = c->root, at = 0;
	int l;

	*pte = 0;
	for (l = start_level(c->unit); l < LEVELS; l++) {
		at = tbl + 8 * index_at(c->unit, l, iova);
		*pte = cpu_read(soc, at);
		*lvl = l;
		if (!(*pte & DK_PTE_VALID) || l == 3 || !(*pte & DK_PTE_TABLE))
			break;
		tbl = *pte & DK_PTE_ADDR_MASK;
	}
	return at;
}

u64 dk_iopt_lookup(struct dk_soc *soc, const struct dk_iommu_pt *c,
		   u64 iova, unsigned int *shift)
{
	u64 pte;
	int l = 0;

	if (!c->root || iova >> c->unit->ias)
		return 0;
	descend(soc, c, iova, &l, &pte);
	if (!(pte & DK_PTE_VALID) || (l == 3) != !!(pte & DK_PTE_TABLE))
		return 0;
	*shift = lvl_shift(l);
	return pte;
}

/* The first IOVA after @iova's entry at level @l. */
static u64 entry_end(u64 iova, int l)
{
	return (iova | ((1ULL << lvl_shift(l)) - 1)) + 1;
}

static u64 leaf_of(phys_addr_t pa, int prot, int l)
{
	return pa | (u64)prot << DK_PTE_PROT_SHIFT | DK_PTE_VALID |
	       (l == 3 ? DK_PTE_TABLE : 0);
}

/* Point the entry at @at (level @l) to a new next-level table. */
static int link_table(struct dk_soc *soc, struct dk_iommu_pt *c,
		      phys_addr_t at, phys_addr_t *tbl)
{
	int r = new_table(soc, c, tbl);

	if (!r)
		cpu_write(soc, c, at, *tbl | DK_PTE_TABLE | DK_PTE_VALID);
	return r;
}

/* Whether anything in [iova, iova + size) is mapped. */
static bool any_mapped(struct dk_soc *soc, const struct dk_iommu_pt *c,
		       u64 iova, u64 size)
{
	u64 end = iova + size, pte;	/* below 2^ias: no overflow */
	int l = 0;

	while (iova < end) {
		descend(soc, c, iova, &l, &pte);
		if (pte & DK_PTE_VALID)
			return true;
		iova = entry_end(iova, l);
	}
	return false;
}

/* A page at @iova in the table the last map or unmap used: 1 if that is
 * not where it goes, else 0 or -EEXIST. */
static int install_page_near(struct dk_soc *soc, struct dk_iommu_pt *c,
			     u64 iova, phys_addr_t pa, int prot)
{
	u64 off, pte;
	struct dk_ram_bank *b = leaf_entry(c, iova, &off);

	if (!b)
		return 1;
	pte = __atomic_load_n(desc(b->cpu, off), __ATOMIC_RELAXED);
	if (pte & DK_PTE_VALID)
		return -EEXIST;
	cpu_store(soc, c, b, off, leaf_of(pa, prot, 3));
	count_leaf(c, 1);
	return 0;
}

/* One leaf at level @target; -EEXIST if anything is mapped there. */
static int install(struct dk_soc *soc, struct dk_iommu_pt *c, u64 iova,
		   phys_addr_t pa, int prot, int target)
{
	phys_addr_t tbl = c->root, at;
	u64 pte;
	int l, r;

	if (target == 3) {
		r = install_page_near(soc, c, iova, pa, prot);
		if (r <= 0)
			return r;
	}
	for (l = start_level(c->unit); l < target; l++) {
		at = tbl + 8 * index_at(c->unit, l, iova);
		pte = cpu_read(soc, at);
		if (!(pte & DK_PTE_VALID)) {
			r = link_table(soc, c, at, &tbl);
			if (r)
				return r;
		} else if (pte & DK_PTE_TABLE) {
			tbl = pte & DK_PTE_ADDR_MASK;
		} else {
			return -EEXIST;		/* inside a bigger block */
		}
	}
	at = tbl + 8 * index_at(c->unit, target, iova);
	pte = cpu_read(soc, at);
	/* A block may replace a table whose leaves were all unmapped (the
	 * table page is kept until the tables are freed). */
	if (pte & DK_PTE_VALID &&
	    (target == 3 || !(pte & DK_PTE_TABLE) ||
	     any_mapped(soc, c, iova, 1ULL << lvl_shift(target))))
		return -EEXIST;
	/* A table is unlinked: no slot may write into it any more. */
	if (target < 3 && pte & DK_PTE_VALID)
		quiesce_but(c, my_slot(c), true);
	cpu_write(soc, c, at, leaf_of(pa, prot, target));
	count_leaf(c, 1);
	if (target == 3)
		leaf_remember(soc, c, iova, at);
	return 0;
}

/* The biggest leaf that fits at @iova -> @pa with @size left. */
static int leaf_level(const struct dk_iommu_unit *u, u64 iova, phys_addr_t pa,
		      u64 size)
{
	int l;

	if (size < 1ULL << lvl_shift(2))
		return 3;	/* smaller than any block */
	for (l = 1; l < 3; l++)
		if (l >= start_level(u) && !((iova | pa) % (1ULL << lvl_shift(l))) &&
		    size >= 1ULL << lvl_shift(l))
			return l;
	return 3;
}

static u64 unmap_locked(struct dk_soc *soc, struct dk_iommu_pt *c, u64 iova,
			u64 size);

/* dk_iopt_map() with the calling thread's slot held. */
static int map_locked(struct dk_soc *soc, struct dk_iommu_pt *c, u64 iova,
		      phys_addr_t pa, u64 size, int prot)
{
	u64 done = 0;
	int r = 0;

	if ((iova + size - 1) >> c->unit->ias)
		return dk_err(-ERANGE,
			      "IOMMU map of 0x%llx + 0x%llx: beyond the %u-bit input address size of %s",
			      (unsigned long long)iova, (unsigned long long)size,
			      c->unit->ias, c->unit->path);
	if (!c->root && (r = new_table(soc, c, &c->root)))
		return r == -EAGAIN ? r :
			dk_err(-ENOMEM, "IOMMU: no page for a table");
	/* The common case, a page beside the last one, in one step. */
	if (size == DK_PAGE_SIZE) {
		r = install_page_near(soc, c, iova, pa, prot);
		if (r <= 0)
			return r;
		r = 0;
	}
	while (!r && done < size) {
		int l = leaf_level(c->unit, iova + done, pa + done, size - done);

		r = install(soc, c, iova + done, pa + done, prot, l);
		if (!r)
			done += 1ULL << lvl_shift(l);
	}
	if (r) {
		/* Leave nothing half done. */
		unmap_locked(soc, c, iova, done);
		return r == -EEXIST || r == -EAGAIN ? r :
			dk_err(-ENOMEM, "IOMMU: no page for a table");
	}
	return 0;
}

int dk_iopt_map(struct dk_soc *soc, struct dk_iommu_pt *c, u64 iova,
		phys_addr_t pa, u64 size, int prot)
{
	struct dk_iopt_slot *ws = my_slot(c);
	int r;

	dk_spin_lock(&ws->busy);
	r = map_locked(soc, c, iova, pa, size, prot);
	dk_spin_unlock(&ws->busy);
	return r;
}

/* Replace the block at @at (level @l) by a table of the same mapping. */
static int split(struct dk_soc *soc, struct dk_iommu_pt *c, phys_addr_t at,
		 u64 blk, int l)
{
	phys_addr_t tbl, pa = blk & DK_PTE_ADDR_MASK;
	int prot = blk >> DK_PTE_PROT_SHIFT & DK_IOMMU_PROT_MASK, i;
	int r = new_table(soc, c, &tbl);

	if (r)
		return r;
	for (i = 0; i < PTES; i++)
		cpu_write(soc, c, tbl + 8 * i,
			  leaf_of(pa + ((u64)i << lvl_shift(l + 1)), prot,
				  l + 1));
	cpu_write(soc, c, at, tbl | DK_PTE_TABLE | DK_PTE_VALID);
	count_leaf(c, PTES - 1);
	return 0;
}

/* The common case, one page in the table the last map or unmap used
 * (its level-2 entry points to it: no block covers the page): true and
 * *@done, else false. */
static bool unmap_page_near(struct dk_soc *soc, struct dk_iommu_pt *c,
			    u64 iova, u64 *done)
{
	u64 off, pte;
	struct dk_ram_bank *b = leaf_entry(c, iova, &off);

	if (!b)
		return false;
	pte = __atomic_load_n(desc(b->cpu, off), __ATOMIC_RELAXED);
	*done = 0;
	if (pte & DK_PTE_VALID) {
		cpu_store(soc, c, b, off, 0);
		count_leaf(c, -1);
		*done = DK_PAGE_SIZE;
	}
	return true;
}

/* Unmap [@iova, @end), a range below 2^ias. */
static u64 unmap_walk(struct dk_soc *soc, struct dk_iommu_pt *c, u64 iova,
		      u64 end)
{
	u64 done = 0, pte;
	int l = 0;

	while (c->root && iova < end) {
		phys_addr_t at;
		u64 base, next;

		if (unmap_page_near(soc, c, iova, &next)) {
			done += next;
			iova = (iova | (DK_PAGE_SIZE - 1)) + 1;
			continue;
		}
		at = descend(soc, c, iova, &l, &pte);
		base = iova & ~((1ULL << lvl_shift(l)) - 1);
		next = entry_end(iova, l);
		if (l == 3)
			leaf_remember(soc, c, iova, at);

		if (!(pte & DK_PTE_VALID)) {
			iova = next;
			continue;
		}
		if (base < iova || next > end) {
			/* Part of a block: split it and look again. */
			if (split(soc, c, at, pte, l))
				break;
			continue;
		}
		cpu_write(soc, c, at, 0);
		count_leaf(c, -1);
		done += next - base;
		iova = next;
	}
	return done;
}

/* dk_iopt_unmap() with the calling thread's slot held. */
static u64 unmap_locked(struct dk_soc *soc, struct dk_iommu_pt *c, u64 iova,
			u64 size)
{
	u64 end = iova + size, lim = 1ULL << c->unit->ias, done;

	if (size == DK_PAGE_SIZE && unmap_page_near(soc, c, iova, &done))
		return done;
	if (end < iova || end > lim)
		end = lim;
	return unmap_walk(soc, c, iova, end);
}

u64 dk_iopt_unmap(struct dk_soc *soc, struct dk_iommu_pt *c, u64 iova,
		  u64 size)
{
	struct dk_iopt_slot *ws = my_slot(c);
	u64 done;

	dk_spin_lock(&ws->busy);
	done = unmap_locked(soc, c, iova, size);
	dk_spin_unlock(&ws->busy);
	return done;
}

/*
 * The fast path's entry for @iova: the calling thread's slot, locked, in
 * *@slot and the entry's bank and offset, when the fast path serves @c
 * -- a walker that does not snoop (a snooping one compares whole lines,
 * so its writers keep to the unit's lock) and a writer that cleans each
 * entry it changes -- and the slot knows @iova's table (slot_leaf()).
 * NULL, nothing locked: take the locked path, as also when the slot is
 * busy (a thread sharing it, or every slot held while a table goes), so
 * only the locked path ever waits for it.
 */
static inline __attribute__((always_inline)) struct dk_ram_bank *
fast_entry(struct dk_iommu_pt *c, u64 iova, struct dk_iopt_slot **slot,
	   u64 *off)
{
	const struct dk_iommu_unit *u = c->unit;
	unsigned int no = dk_thread_no_tls;
	struct dk_iopt_slot *ws;
	struct dk_ram_bank *b;

	/* forgot_clean: set with forget_clean, and kept. A thread yet
	 * without a number gets one on the locked path: no call here. */
	if (u->coherent || __atomic_load_n(&u->forgot_clean, __ATOMIC_RELAXED) ||
	    no == ~0U)
		return NULL;
	ws = &c->slot[no % DK_IOPT_SLOTS];
	if (atomic_exchange_explicit(&ws->busy, true, memory_order_acquire))
		return NULL;
	b = slot_leaf(c, ws, iova, off);
	if (!b)
		dk_spin_unlock(&ws->busy);
	*slot = ws;
	return b;
}

int dk_iopt_map_fast(struct dk_soc *soc, struct dk_iommu_pt *c, u64 iova,
		     phys_addr_t pa, int prot)
{
	struct dk_iopt_slot *ws;
	struct dk_ram_bank *b;
	u64 off, old = 0, pte = leaf_of(pa, prot, 3);

	b = fast_entry(c, iova, &ws, &off);
	if (!b)
		return dk_sim_iommu_pt_map_locked(soc, c, iova, pa,
						  DK_PAGE_SIZE, prot);
	/* One compare-and-swap: of two maps of one page, one wins. */
	if (!__atomic_compare_exchange_n(desc(b->cpu, off), &old, pte, false,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
		dk_spin_unlock(&ws->busy);
		if (old & DK_PTE_VALID)
			return dk_sim_iommu_pt_exists(c, iova, DK_PAGE_SIZE);
		return dk_sim_iommu_pt_map_locked(soc, c, iova, pa,
						  DK_PAGE_SIZE, prot);
	}
	clean_entry(b, off, pte, __ATOMIC_RELEASE);
	slot_count(ws, 1);
	dk_spin_unlock(&ws->busy);
	return 0;
}

u64 dk_iopt_unmap_fast(struct dk_soc *soc, struct dk_iommu_pt *c, u64 iova,
		       u64 size, bool inval)
{
	struct dk_iopt_slot *ws;
	struct dk_ram_bank *b;
	u64 off, old, done = 0;

	b = fast_entry(c, iova, &ws, &off);
	if (!b)
		return dk_sim_iommu_pt_unmap_locked(soc, c, iova, size, inval);
	old = __atomic_exchange_n(desc(b->cpu, off), 0, __ATOMIC_RELAXED);
	if (old & DK_PTE_VALID) {
		clean_entry(b, off, 0, __ATOMIC_SEQ_CST);
		slot_count(ws, -1);
		done = DK_PAGE_SIZE;
	}
	dk_spin_unlock(&ws->busy);
	return inval ? dk_iotlb_inval_unmapped(c, iova, done) : done;
}

bool dk_iopt_leaf_changed(struct dk_soc *soc, const struct dk_iommu_pt *c,
			  phys_addr_t at, const struct dk_iotlb_entry *leaf)
{
	u64 pte;

	if (!hw_read(soc, c->unit, at, &pte))
		return true;
	return !(pte & DK_PTE_VALID) ||
	       (pte & DK_PTE_ADDR_MASK & ~((1ULL << leaf->shift) - 1)) !=
		       leaf->pa ||
	       (pte >> DK_PTE_PROT_SHIFT & DK_IOMMU_PROT_MASK) != leaf->prot;
}

int dk_iopt_walk(struct dk_soc *soc, const struct dk_iommu_pt *c, u64 iova,
		 struct dk_iotlb_entry *leaf, phys_addr_t *at)
{
	const struct dk_iommu_unit *u = c->unit;
	phys_addr_t tbl = c->root;
	u64 pte;
	int l;

	if (iova >> u->ias)
		return 1 + DK_FAULT_IOMMU_ADDRESS_SIZE;
	if (!tbl)
		return 1 + DK_FAULT_IOMMU_UNMAPPED;
	c->unit->stats.walks++;
	for (l = start_level(u); l < LEVELS; l++) {
		*at = tbl + 8 * index_at(u, l, iova);
		if (!hw_read(soc, u, *at, &pte) || !(pte & DK_PTE_VALID))
			return 1 + DK_FAULT_IOMMU_UNMAPPED;
		if (l < 3 && (pte & DK_PTE_TABLE)) {
			tbl = pte & DK_PTE_ADDR_MASK;
			continue;
		}
		/* A page without its page bit, or a level-0 block: reserved. */
		if ((l == 3) != !!(pte & DK_PTE_TABLE) || l == 0)
			return 1 + DK_FAULT_IOMMU_UNMAPPED;
		break;
	}
	leaf->ctx = __atomic_load_n(&c->tag, __ATOMIC_RELAXED);
	leaf->shift = lvl_shift(l);
	leaf->prot = pte >> DK_PTE_PROT_SHIFT & DK_IOMMU_PROT_MASK;
	leaf->va = iova & ~((1ULL << leaf->shift) - 1);
	leaf->pa = pte & DK_PTE_ADDR_MASK & ~((1ULL << leaf->shift) - 1);
	return 0;
}
