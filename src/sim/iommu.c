// SPDX-License-Identifier: MIT
/*
 * The simulated IOMMU's units and contexts: one unit per IOMMU node (its
 * input address size, walker coherence and IOTLB), one context per
 * (unit, stream ID), found by the unit's node path once per master and
 * kept in the master. A context walks its own tables, or those of the
 * domain it is attached to (dk_sim_iommu_pt_*: tables a domain owns, as
 * Linux's io-pgtable, tagged in the IOTLB as an ASID is, so one
 * invalidation reaches every context that walks them). A translation is
 * an IOTLB probe; only a miss walks the tables in RAM (iommu_pgtable.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iommu_internal.h"

#define DEFAULT_IAS 48

int dk_iommu_unit_add(struct dk_soc *soc, const char *path, unsigned int ias,
		      bool coherent)
{
	struct dk_iommu_unit *u = calloc(1, sizeof(*u));

	if (u) {
		u->path = strdup(path);
		u->tlb = calloc(DK_IOTLB_ENTRIES, sizeof(*u->tlb));
	}
	if (!u || !u->path || !u->tlb) {
		if (u) {
			free(u->path);
			free(u->tlb);
		}
		free(u);
		return dk_err(-ENOMEM, "IOMMU %s: out of memory", path);
	}
	u->ias = ias;
	u->coherent = coherent;
	atomic_init(&u->busy, false);
	u->next = soc->iommu_units;
	soc->iommu_units = u;
	return 0;
}

struct dk_iommu_unit *dk_iommu_unit_get(struct dk_soc *soc, const char *path)
{
	struct dk_iommu_unit *u;

	for (u = soc->iommu_units; u; u = u->next)
		if (!strcmp(u->path, path))
			return u;
	/* An "iommus" target the tree gave no IOMMU compatible: defaults. */
	if (dk_iommu_unit_add(soc, path, DEFAULT_IAS, false))
		return NULL;
	return soc->iommu_units;
}

static u32 stream_of(const struct dk_devdesc *d)
{
	return d->n_iommu_args ? d->iommu_args[0] : 0;
}

/* @dev's context, made on first use; NULL when out of memory. */
static struct dk_iommu_ctx *ctx_of(struct dk_simdev *dev)
{
	struct dk_soc *soc = dev->soc;
	struct dk_iommu_ctx *c;
	u32 stream;

	if (dev->iommu_ctx)
		return dev->iommu_ctx;
	stream = stream_of(&dev->d);
	for (c = soc->iommu_ctxs; c; c = c->next)
		if (c->stream == stream && !strcmp(c->unit->path, dev->d.iommu))
			return dev->iommu_ctx = c;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->unit = dk_iommu_unit_get(soc, dev->d.iommu);
	if (!c->unit) {
		free(c);
		return NULL;
	}
	c->stream = stream;
	c->own.unit = c->unit;
	__atomic_store_n(&c->own.tag, ++c->unit->last_tag, __ATOMIC_SEQ_CST);
	c->pt = &c->own;
	c->next = soc->iommu_ctxs;
	soc->iommu_ctxs = c;
	return dev->iommu_ctx = c;
}

struct dk_iommu_ctx *dk_iommu_active(struct dk_simdev *dev)
{
	struct dk_iommu_ctx *c = dev->iommu_ctx;
	u32 stream;

	if (c || !dev->d.iommu)
		return c && c->enabled ? c : NULL;
	/* Look only: a stream nobody configured bypasses. */
	stream = stream_of(&dev->d);
	for (c = dev->soc->iommu_ctxs; c; c = c->next)
		if (c->stream == stream && !strcmp(c->unit->path, dev->d.iommu)) {
			dev->iommu_ctx = c;
			return c->enabled ? c : NULL;
		}
	return NULL;
}

int dk_iommu_translate(struct dk_soc *soc, struct dk_iommu_ctx *c, u64 bus,
		       bool write, phys_addr_t *pa, u64 *room, bool *coherent)
{
	const struct dk_iotlb_entry *e;
	struct dk_iotlb_entry leaf;
	phys_addr_t at;

	/* Held from the probe to the fill: no locked unmap and
	 * invalidation of the entry walked can come in between; a
	 * lock-free one looks at the IOTLB after its change, this looks at
	 * the leaf again after the fill, so one of them drops the entry. */
	dk_iommu_unit_lock(c->unit);
	e = dk_iotlb_find(c->unit, c->pt->tag, bus);
	if (!e) {
		int r = dk_iopt_walk(soc, c->pt, bus, &leaf, &at);

		if (r) {
			dk_iommu_unit_unlock(c->unit);
			return r;
		}
		dk_iotlb_fill(c->unit, &leaf);
		if (dk_iopt_leaf_changed(soc, c->pt, at, &leaf))
			dk_iotlb_drop(c->unit, &leaf);
		e = &leaf;
	} else {
		leaf = *e;
		e = &leaf;
	}
	dk_iommu_unit_unlock(c->unit);
	/* The model's masters are unprivileged: PRIV entries refuse them. */
	if (!(e->prot & (write ? DK_IOMMU_WRITE : DK_IOMMU_READ)) ||
	    e->prot & DK_IOMMU_PRIV)
		return 1 + DK_FAULT_IOMMU_PERMISSION;
	*pa = e->pa + (bus - e->va);
	*room = e->va + ((1ULL << e->shift) - 1) - bus + 1;
	if (e->prot & DK_IOMMU_MMIO)
		*coherent = false;
	else if (e->prot & DK_IOMMU_CACHE)
		*coherent = true;
	return 0;
}

void dk_iommu_fini(struct dk_soc *soc)
{
	struct dk_iommu_ctx *c, *n;
	struct dk_iommu_unit *u, *un;
	struct dk_iommu_pt *t, *tn;

	for (c = soc->iommu_ctxs; c; c = n) {
		n = c->next;
		free(c->own.tables);
		free(c);
	}
	soc->iommu_ctxs = NULL;
	for (t = soc->iommu_pts; t; t = tn) {
		tn = t->next;
		free(t->tables);
		free(t);
	}
	soc->iommu_pts = NULL;
	for (u = soc->iommu_units; u; u = un) {
		un = u->next;
		free(u->path);
		free(u->tlb);
		free(u);
	}
	soc->iommu_units = NULL;
}

/* @dev's context with the lock taken, or NULL and *@err set (out of
 * memory): for a master known to have "iommus". */
static struct dk_iommu_ctx *lock_ctx(struct dk_simdev *dev, int *err)
{
	struct dk_iommu_ctx *c;

	pthread_mutex_lock(&dev->soc->lock);
	c = ctx_of(dev);
	if (!c) {
		pthread_mutex_unlock(&dev->soc->lock);
		*err = dk_err(-ENOMEM, "IOMMU: out of memory");
		return NULL;
	}
	dk_iommu_unit_lock(c->unit);
	c->unit->may_alloc = true;
	return c;
}

/* Give back what lock_ctx() took. */
static void unlock_ctx(struct dk_soc *soc, struct dk_iommu_ctx *c)
{
	c->unit->may_alloc = false;
	dk_iommu_unit_unlock(c->unit);
	pthread_mutex_unlock(&soc->lock);
}

/* Whether @dev is a live master with "iommus"; else *@err and a message. */
static bool check(struct dk_simdev *dev, const char *fn, int *err)
{
	*err = -EINVAL;
	if (!dev) {
		dk_err(-EINVAL, "%s: NULL device", fn);
		return false;
	}
	if (!dk_simdev_ok(dev, fn))
		return false;
	if (!dev->d.iommu) {
		*err = dk_err(-ENODEV, "%s has no \"iommus\"", dev->d.name);
		return false;
	}
	return true;
}

/* The context of @dev with the lock taken, or NULL and *@err set. */
static struct dk_iommu_ctx *get(struct dk_simdev *dev, const char *fn,
				int *err)
{
	return check(dev, fn, err) ? lock_ctx(dev, err) : NULL;
}

/* A context's own tables with nothing left in them go back to RAM once
 * translation is off: a live context keeps its (empty) tables for the
 * next map. A domain's go with the domain. */
static void maybe_free_tables(struct dk_soc *soc, struct dk_iommu_ctx *c)
{
	if (!c->enabled && c->pt == &c->own && !dk_iopt_leaves(&c->own) &&
	    c->own.root)
		dk_iopt_free(soc, &c->own);
}

int dk_sim_iommu_enable(struct dk_simdev *dev, bool on)
{
	int err;
	struct dk_iommu_ctx *c = get(dev, "dk_sim_iommu_enable", &err);

	if (!c)
		return err;
	c->enabled = on;
	maybe_free_tables(dev->soc, c);
	unlock_ctx(dev->soc, c);
	return 0;
}

/* The IOTLB entries of @t over [@iova, @iova + @size), all for size 0. */
static void tlb_inval(struct dk_iommu_pt *t, u64 iova, u64 size)
{
	if (size)
		dk_iotlb_inval(t->unit, t->tag, iova, size);
	else
		dk_iotlb_inval_all(t);
}

/* 0, or -EINVAL and a message for a map the hardware cannot take. */
static int map_args(u64 iova, phys_addr_t pa, u64 size, int prot)
{
	/* One call maps at most 64 GiB: a bigger one would only spin. */
	if ((iova | pa | size) % DK_IOMMU_PAGE || !size ||
	    size > (1ULL << 36) || iova + size - 1 < iova ||
	    pa + size - 1 < pa || prot & ~DK_IOMMU_PROT_MASK)
		return dk_err(-EINVAL,
			      "IOMMU map of 0x%llx -> 0x%llx + 0x%llx: not whole pages, wraps, or bad permissions",
			      (unsigned long long)iova, (unsigned long long)pa,
			      (unsigned long long)size);
	return 0;
}

int dk_sim_iommu_map_dev(struct dk_simdev *dev, u64 iova, phys_addr_t pa,
			 u64 size, int prot)
{
	struct dk_iommu_ctx *c;
	int r = map_args(iova, pa, size, prot);

	if (r)
		return r;
	c = lock_ctx(dev, &r);
	if (!c)
		return r;
	r = dk_iopt_map(dev->soc, c->pt, iova, pa, size, prot);
	unlock_ctx(dev->soc, c);
	if (r == -EEXIST)
		return dk_err(-EEXIST, "%s: IOVA range 0x%llx + 0x%llx is already mapped in part",
			      dev->d.name, (unsigned long long)iova,
			      (unsigned long long)size);
	return r;
}

int dk_sim_iommu_map(struct dk_simdev *dev, u64 iova, phys_addr_t pa,
		     u64 size, int prot)
{
	int r = map_args(iova, pa, size, prot);

	if (r || !check(dev, "dk_sim_iommu_map", &r))
		return r;
	return dk_sim_iommu_map_dev(dev, iova, pa, size, prot);
}

/* Unmap whole pages of @t, soc->lock held; a range running past 2^64
 * stops there. */
static u64 unmap_locked(struct dk_soc *soc, struct dk_iommu_pt *t, u64 iova,
			u64 size, bool inval)
{
	u64 len = size + (DK_IOMMU_PAGE - 1) < size ? ~0ULL - iova :
		(size + DK_IOMMU_PAGE - 1) & ~(DK_IOMMU_PAGE - 1);
	u64 done = dk_iopt_unmap(soc, t, iova, len);

	if (inval)
		tlb_inval(t, iova, size);
	return done;
}

u64 dk_sim_iommu_unmap_dev(struct dk_simdev *dev, u64 iova, u64 size,
			   bool inval)
{
	struct dk_iommu_ctx *c;
	u64 done;
	int err;

	if (iova % DK_IOMMU_PAGE || !size)
		return 0;
	c = lock_ctx(dev, &err);
	if (!c)
		return 0;
	done = unmap_locked(dev->soc, c->pt, iova, size, inval);
	maybe_free_tables(dev->soc, c);
	unlock_ctx(dev->soc, c);
	return done;
}

u64 dk_sim_iommu_unmap(struct dk_simdev *dev, u64 iova, u64 size)
{
	if (!dk_simdev_ok(dev, "dk_sim_iommu_unmap") || !dev->d.iommu)
		return 0;
	return dk_sim_iommu_unmap_dev(dev, iova, size, false);
}

int dk_sim_iommu_tlb_inval(struct dk_simdev *dev, u64 iova, u64 size)
{
	int err;
	struct dk_iommu_ctx *c = get(dev, "dk_sim_iommu_tlb_inval", &err);

	if (!c)
		return err;
	tlb_inval(c->pt, iova, size);
	unlock_ctx(dev->soc, c);
	return 0;
}

/* Where @t translates @iova to (soc->lock held); -ENOENT if nowhere. */
static int lookup_locked(struct dk_soc *soc, struct dk_iommu_pt *t, u64 iova,
			 phys_addr_t *pa)
{
	unsigned int shift = 12;
	u64 pte = dk_iopt_lookup(soc, t, iova, &shift);

	if (!pte || !pa)
		return -ENOENT;
	*pa = (pte & DK_PTE_ADDR_MASK & ~((1ULL << shift) - 1)) +
	      (iova & ((1ULL << shift) - 1));
	return 0;
}

int dk_sim_iommu_iova_to_phys(struct dk_simdev *dev, u64 iova,
			      phys_addr_t *pa)
{
	int r;
	struct dk_iommu_ctx *c = get(dev, "dk_sim_iommu_iova_to_phys", &r);

	if (!c)
		return r;
	r = lookup_locked(dev->soc, c->pt, iova, pa);
	unlock_ctx(dev->soc, c);
	return r;
}

int dk_sim_iommu_table_base(struct dk_simdev *dev, phys_addr_t *pa)
{
	int r;
	struct dk_iommu_ctx *c;

	if (!pa)
		return dk_err(-EINVAL, "dk_sim_iommu_table_base: NULL result");
	c = get(dev, "dk_sim_iommu_table_base", &r);
	if (!c)
		return r;
	*pa = c->pt->root;
	unlock_ctx(dev->soc, c);
	return *pa ? 0 : -ENOENT;
}

int dk_sim_iommu_stats(struct dk_simdev *dev, struct dk_sim_iommu_stats *out)
{
	int r, i;
	struct dk_iommu_ctx *c;

	if (!out)
		return dk_err(-EINVAL, "dk_sim_iommu_stats: NULL result");
	c = get(dev, "dk_sim_iommu_stats", &r);
	if (!c)
		return r;
	*out = c->unit->stats;
	for (i = 0; i < DK_IOPT_SLOTS; i++)
		out->invalidations += atomic_load_explicit(&c->unit->invals[i].n,
							   memory_order_relaxed);
	unlock_ctx(dev->soc, c);
	return 0;
}

/* Wait for the fast writers of @u's tables (soc->lock held): those that
 * come after take the locked path if the unit's writer changed. */
static void quiesce_unit(struct dk_soc *soc, struct dk_iommu_unit *u)
{
	struct dk_iommu_ctx *c;
	struct dk_iommu_pt *t;

	for (c = soc->iommu_ctxs; c; c = c->next)
		if (c->unit == u)
			dk_iopt_quiesce(&c->own, false);
	for (t = soc->iommu_pts; t; t = t->next)
		if (t->unit == u)
			dk_iopt_quiesce(t, false);
}

int dk_sim_iommu_forget_clean(struct dk_simdev *dev, bool forget)
{
	int r;
	struct dk_iommu_ctx *c = get(dev, "dk_sim_iommu_forget_clean", &r);

	if (!c)
		return r;
	__atomic_store_n(&c->unit->forget_clean, forget, __ATOMIC_RELAXED);
	__atomic_store_n(&c->unit->forgot_clean,
			 c->unit->forgot_clean || forget, __ATOMIC_RELAXED);
	quiesce_unit(dev->soc, c->unit);
	unlock_ctx(dev->soc, c);
	return 0;
}

/* For the platform ops: the input size and page sizes. */
int dk_sim_iommu_info(struct dk_simdev *dev, unsigned int *bits)
{
	int r;
	struct dk_iommu_ctx *c = get(dev, "iommu_info", &r);

	if (!c)
		return r;
	*bits = c->unit->ias;
	unlock_ctx(dev->soc, c);
	return 0;
}

/*
 * A writer of @t (its unit's lock held) that needs a table page: with @on,
 * soc->lock is taken too, in the lock order (the unit's lock given back
 * first, so what the writer saw may have changed: it runs again), and
 * pages may be taken; without, back to the unit's lock alone.
 */
static void with_soc(struct dk_soc *soc, struct dk_iommu_pt *t, bool on)
{
	if (on) {
		t->want_page = false;
		dk_iommu_unit_unlock(t->unit);
		pthread_mutex_lock(&soc->lock);
		dk_iommu_unit_lock(t->unit);
		t->unit->may_alloc = true;
		return;
	}
	t->unit->may_alloc = false;
	t->want_page = false;
	pthread_mutex_unlock(&soc->lock);
}

struct dk_iommu_pt *dk_sim_iommu_pt_new(struct dk_simdev *dev)
{
	struct dk_iommu_pt *t;
	struct dk_iommu_ctx *c;
	int err;

	if (!check(dev, "iommu_pt_new", &err))
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t) {
		dk_err(-ENOMEM, "IOMMU: out of memory");
		return NULL;
	}
	c = lock_ctx(dev, &err);
	if (!c) {
		free(t);
		return NULL;
	}
	t->unit = c->unit;
	__atomic_store_n(&t->tag, ++c->unit->last_tag, __ATOMIC_SEQ_CST);
	t->next = dev->soc->iommu_pts;
	dev->soc->iommu_pts = t;
	unlock_ctx(dev->soc, c);
	return t;
}

void dk_sim_iommu_pt_free(struct dk_soc *soc, struct dk_iommu_pt *t)
{
	struct dk_iommu_pt **p;
	struct dk_iommu_ctx *c;

	if (!t)
		return;
	pthread_mutex_lock(&soc->lock);
	dk_iommu_unit_lock(t->unit);
	t->unit->may_alloc = true;
	for (c = soc->iommu_ctxs; c; c = c->next) {
		if (c->pt == t) {
			c->pt = &c->own;
			c->enabled = false;
		}
	}
	for (p = &soc->iommu_pts; *p && *p != t; p = &(*p)->next)
		;
	if (*p)
		*p = t->next;
	dk_iopt_free(soc, t);
	t->unit->may_alloc = false;
	dk_iommu_unit_unlock(t->unit);
	pthread_mutex_unlock(&soc->lock);
	free(t);
}

int dk_sim_iommu_pt_exists(struct dk_iommu_pt *t, u64 iova, u64 size)
{
	return dk_err(-EEXIST, "IOMMU %s: IOVA range 0x%llx + 0x%llx is already mapped in part",
		      t->unit->path, (unsigned long long)iova,
		      (unsigned long long)size);
}

int dk_sim_iommu_pt_map_locked(struct dk_soc *soc, struct dk_iommu_pt *t,
			       u64 iova, phys_addr_t pa, u64 size, int prot)
{
	int r = map_args(iova, pa, size, prot);

	if (r)
		return r;
	dk_iommu_unit_lock(t->unit);
	r = dk_iopt_map(soc, t, iova, pa, size, prot);
	if (r == -EAGAIN) {
		with_soc(soc, t, true);
		r = dk_iopt_map(soc, t, iova, pa, size, prot);
		with_soc(soc, t, false);
	}
	dk_iommu_unit_unlock(t->unit);
	return r == -EEXIST ? dk_sim_iommu_pt_exists(t, iova, size) : r;
}

/*
 * One page goes to the fast path (dk_iopt_map_fast()), after only the
 * tests of map_args() such a page can fail (beyond the input size its
 * table is none a slot knows); each way on is a jump.
 */
int dk_sim_iommu_pt_map(struct dk_soc *soc, struct dk_iommu_pt *t, u64 iova,
			phys_addr_t pa, u64 size, int prot)
{
	if (size == DK_IOMMU_PAGE && !((iova | pa) % DK_IOMMU_PAGE) &&
	    pa + (DK_IOMMU_PAGE - 1) > pa && !(prot & ~DK_IOMMU_PROT_MASK))
		return dk_iopt_map_fast(soc, t, iova, pa, prot);
	return dk_sim_iommu_pt_map_locked(soc, t, iova, pa, size, prot);
}

u64 dk_sim_iommu_pt_unmap_locked(struct dk_soc *soc, struct dk_iommu_pt *t,
				 u64 iova, u64 size, bool inval)
{
	u64 done;

	if (iova % DK_IOMMU_PAGE || !size)
		return 0;
	dk_iommu_unit_lock(t->unit);
	done = unmap_locked(soc, t, iova, size, false);
	if (t->want_page) {
		/* The rest of it: what is unmapped already counts nothing. */
		with_soc(soc, t, true);
		done += unmap_locked(soc, t, iova, size, false);
		with_soc(soc, t, false);
	}
	if (inval)
		tlb_inval(t, iova, size);
	dk_iommu_unit_unlock(t->unit);
	return done;
}

/* One page the fast way (dk_iopt_unmap_fast()), which drops its IOTLB
 * entries with no lock when none can be there. */
u64 dk_sim_iommu_pt_unmap(struct dk_soc *soc, struct dk_iommu_pt *t, u64 iova,
			  u64 size, bool inval)
{
	if (!(iova % DK_IOMMU_PAGE) && size - 1 < DK_IOMMU_PAGE)
		return dk_iopt_unmap_fast(soc, t, iova, size, inval);
	return dk_sim_iommu_pt_unmap_locked(soc, t, iova, size, inval);
}

void dk_sim_iommu_pt_inval(struct dk_soc *soc, struct dk_iommu_pt *t,
			   u64 iova, u64 size)
{
	(void)soc;
	dk_iommu_unit_lock(t->unit);
	tlb_inval(t, iova, size);
	dk_iommu_unit_unlock(t->unit);
}

int dk_sim_iommu_pt_lookup(struct dk_soc *soc, struct dk_iommu_pt *t,
			   u64 iova, phys_addr_t *pa)
{
	int r;

	dk_iommu_unit_lock(t->unit);
	r = lookup_locked(soc, t, iova, pa);
	dk_iommu_unit_unlock(t->unit);
	return r;
}

int dk_sim_iommu_pt_attach(struct dk_simdev *dev, struct dk_iommu_pt *t)
{
	int r;
	struct dk_iommu_ctx *c = get(dev, "iommu_pt_attach", &r);

	if (!c)
		return r;
	if (t && t->unit != c->unit) {
		unlock_ctx(dev->soc, c);
		return dk_err(-ENODEV, "%s is not behind the IOMMU %s",
			      dev->d.name, t->unit->path);
	}
	c->pt = t ? t : &c->own;
	maybe_free_tables(dev->soc, c);
	unlock_ctx(dev->soc, c);
	return 0;
}
