// SPDX-License-Identifier: MIT
/*
 * The IOMMU API over the platform's IOMMU hardware ops: domains, mapping
 * and the IOTLB. Where the platform lets a domain own page tables (the
 * simulator), they are the mappings' only record (domain_pt.c). Else (VFIO)
 * a domain keeps its mappings as ranges in a tree (found in O(log n) of
 * the live ones, see range_tree.h) so it can program every device
 * attached to it, now and when one attaches later. The hardware caches
 * translations until the API invalidates them (iommu_unmap() at once,
 * iommu_unmap_fast() when the gather is synced).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/scatterlist.h>

#include "iommu_internal.h"
#include "iommu_dma.h"

#define IOMMU_PAGE 4096UL
#define PROT_ALL (IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE | IOMMU_NOEXEC | \
		  IOMMU_MMIO | IOMMU_PRIV)

static const struct dk_platform_ops *ops(struct dk_domain *d)
{
	return d->m->pl.ops;
}

bool device_iommu_mapped(struct device *dev)
{
	return dev && dev->iommu;
}

/* The aperture spans the IOMMU's valid IOVA ranges, when it says which
 * (VFIO does); the holes between them are iommu-dma's to keep out. */
static void set_aperture(struct dk_domain *d, struct device *dev)
{
	const struct dk_platform_ops *o = dev->machine->pl.ops;
	u64 start, end, lo = ~0ULL, hi = 0;
	int i;

	if (!o->iommu_range)
		return;
	for (i = 0; !o->iommu_range(dev->machine->pl.ctx, dev->dma_master, i,
				    &start, &end); i++) {
		if (start < lo)
			lo = start;
		if (end > hi)
			hi = end;
	}
	if (i && hi < d->pub.geometry.aperture_end)
		d->pub.geometry.aperture_end = hi;
	if (i && lo > d->pub.geometry.aperture_start)
		d->pub.geometry.aperture_start = lo;
}

struct iommu_domain *iommu_paging_domain_alloc(struct device *dev)
{
	const struct dk_platform_ops *o;
	unsigned int bits = DK_IOMMU_INPUT_BITS;
	unsigned long sizes = IOMMU_PAGE;
	struct dk_domain *d;

	if (!dk_dev_live(dev) || !dev->iommu) {
		dk_err(-ENODEV, "iommu_paging_domain_alloc: %s is behind no IOMMU",
		       dev_name(dev));
		return NULL;
	}
	o = dev->machine->pl.ops;
	if (!o->iommu_map) {
		dk_err(-ENODEV, "the %s platform has no IOMMU", o->name);
		return NULL;
	}
	if (o->iommu_info &&
	    o->iommu_info(dev->machine->pl.ctx, dev->dma_master, &bits, &sizes))
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d) {
		dk_err(-ENOMEM, "out of memory");
		return NULL;
	}
	d->m = dev->machine;
	d->unit = dev->iommu;
	d->pub.pgsize_bitmap = sizes;
	d->pub.geometry = (struct iommu_domain_geometry){
		.aperture_end = DMA_BIT_MASK(bits),
		.force_aperture = true,
	};
	set_aperture(d, dev);
	if (dk_domain_pt_new(d, dev)) {
		free(d);
		return NULL;
	}
	pthread_mutex_init(&d->lock, NULL);
	if (o->set_iommu_fault_handler)
		o->set_iommu_fault_handler(d->m->pl.ctx, dk_iommu_on_fault, d->m);
	return &d->pub;
}

struct iommu_domain *iommu_domain_alloc(const struct bus_type *bus)
{
	struct dk_machine *m = dk_machine_of();
	int i;

	(void)bus;
	if (!m)
		return NULL;
	for (i = 0; i < m->ndevs; i++)
		if (dk_mdev(m, i)->iommu)
			return iommu_paging_domain_alloc(dk_mdev(m, i));
	dk_err(-ENODEV, "iommu_domain_alloc: no device of the machine is behind an IOMMU");
	return NULL;
}

void iommu_domain_free(struct iommu_domain *domain)
{
	struct dk_domain *d = dk_to_domain(domain);

	if (!d)
		return;
	if (d->ndevs) {
		dk_warn("BUG: iommu_domain_free: %d device(s) still attached",
			d->ndevs);
		return;
	}
	pthread_mutex_destroy(&d->lock);
	dk_domain_pt_free(d);
	dk_range_free_all(d->map);
	while (d->spare) {
		struct dk_iommu_range *n = d->spare;

		d->spare = n->kid[0];
		free(n);
	}
	free(d);
}

/*
 * Whether device @k of @d is the first with its stream: devices with the
 * same stream (a group, a driver's child device) share one hardware
 * context, which is programmed once.
 */
static bool first_of_stream(struct dk_domain *d, int k)
{
	int j;

	for (j = 0; j < k; j++)
		if (d->devs[j]->iommu_stream == d->devs[k]->iommu_stream)
			return false;
	return true;
}

/* Whether a device attached to @d other than @dev has @dev's stream. */
static bool stream_shared(struct dk_domain *d, struct device *dev)
{
	int j;

	for (j = 0; j < d->ndevs; j++)
		if (d->devs[j] != dev &&
		    d->devs[j]->iommu_stream == dev->iommu_stream)
			return true;
	return false;
}

static void tlb_inval(struct dk_domain *d, struct device *dev,
		      unsigned long iova, size_t size)
{
	if (ops(d)->iommu_tlb_inval)
		ops(d)->iommu_tlb_inval(d->m->pl.ctx, dev->dma_master, iova,
					size);
}

/* @dev's handle, when the platform has the three handle ops, or NULL
 * (the ops by name are used). */
static void *hw_of(struct dk_domain *d, struct device *dev)
{
	const struct dk_platform_ops *o = ops(d);

	if (!o->iommu_hw || !o->iommu_map_hw || !o->iommu_unmap_hw)
		return NULL;
	return o->iommu_hw(d->m->pl.ctx, dev->dma_master);
}

/*
 * Map on device @k's hardware: through the handle the platform gave at
 * attach (no look-up by name, no second check of what the API checked),
 * else by name.
 */
static int hw_map(struct dk_domain *d, int k, unsigned long iova,
		  phys_addr_t pa, size_t size, int prot)
{
	if (d->hw[k])
		return ops(d)->iommu_map_hw(d->m->pl.ctx, d->hw[k], iova, pa,
					    size, prot);
	return ops(d)->iommu_map(d->m->pl.ctx, d->devs[k]->dma_master, iova,
				 pa, size, prot);
}

/* Unmap on device @k's hardware, and with @inval drop its IOTLB entries
 * of the range as well. */
static void hw_unmap(struct dk_domain *d, int k, unsigned long iova,
		     size_t size, bool inval)
{
	if (d->hw[k]) {
		ops(d)->iommu_unmap_hw(d->m->pl.ctx, d->hw[k], iova, size,
				       inval);
		return;
	}
	ops(d)->iommu_unmap(d->m->pl.ctx, d->devs[k]->dma_master, iova, size);
	if (inval)
		tlb_inval(d, d->devs[k], iova, size);
}

struct program_arg {
	struct dk_domain *d;
	struct device *dev;
	bool on;
};

static int program_one(struct dk_iommu_range *g, void *arg)
{
	struct program_arg *a = arg;
	struct dk_domain *d = a->d;

	if (!a->on) {
		ops(d)->iommu_unmap(d->m->pl.ctx, a->dev->dma_master, g->iova,
				    g->size);
		return 0;
	}
	return ops(d)->iommu_map(d->m->pl.ctx, a->dev->dma_master, g->iova,
				 g->pa, g->size, g->prot);
}

/* Program (or clear) every mapping of @d into @dev's translation. */
static int program(struct dk_domain *d, struct device *dev, bool on)
{
	struct program_arg a = { d, dev, on };

	return dk_range_walk(d->map, program_one, &a);
}

int dk_domain_attach_one(struct dk_domain *d, struct device *dev)
{
	int r;

	if (d->ndevs == DK_IOMMU_MAX_DEVS)
		return dk_err(-ENOSPC, "domain has %d devices already",
			      DK_IOMMU_MAX_DEVS);
	if (stream_shared(d, dev))
		goto done;
	if (d->pt) {
		r = dk_domain_pt_attach(d, dev, hw_of(d, dev));
		if (r)
			return r;
		goto done;
	}
	/* A new context for the stream: nothing cached may survive. */
	tlb_inval(d, dev, 0, 0);
	r = program(d, dev, true);
	if (!r)
		r = ops(d)->iommu_enable(d->m->pl.ctx, dev->dma_master, true);
	if (r) {
		program(d, dev, false);
		return r;
	}
done:
	d->hw[d->ndevs] = hw_of(d, dev);
	d->devs[d->ndevs++] = dev;
	dev->iommu_domain = &d->pub;
	return 0;
}

void dk_domain_detach_one(struct dk_domain *d, struct device *dev)
{
	void *hw;
	int i;

	for (i = 0; i < d->ndevs; i++)
		if (d->devs[i] == dev)
			break;
	if (i == d->ndevs)
		return;
	hw = d->hw[i];
	d->devs[i] = d->devs[--d->ndevs];
	d->hw[i] = d->hw[d->ndevs];
	dev->iommu_domain = NULL;
	/* What the platform kept mapped may not outlive the attachment. */
	dk_iommu_window_drop(dev);
	if (stream_shared(d, dev))
		return;
	if (d->pt) {
		dk_domain_pt_detach(d, dev, hw);
		return;
	}
	ops(d)->iommu_enable(d->m->pl.ctx, dev->dma_master, false);
	program(d, dev, false);
	tlb_inval(d, dev, 0, 0);
}

struct iommu_domain *iommu_get_domain_for_dev(struct device *dev)
{
	return dk_dev_live(dev) ? dev->iommu_domain : NULL;
}

/* Nodes freed by unmaps are kept for the next maps: a map+unmap pair then
 * costs no malloc. Up to this many. */
#define SPARE_MAX 64

static struct dk_iommu_range *node_get(struct dk_domain *d)
{
	struct dk_iommu_range *n = d->spare;

	if (!n)
		return malloc(sizeof(*n));
	d->spare = n->kid[0];
	d->nspare--;
	return n;
}

static void node_put(struct dk_domain *d, struct dk_iommu_range *n)
{
	if (d->nspare == SPARE_MAX) {
		free(n);
		return;
	}
	n->kid[0] = d->spare;
	d->spare = n;
	d->nspare++;
}

/* The mapping of @d overlapping [@iova, @last], the highest if several. */
static struct dk_iommu_range *overlap(struct dk_domain *d, unsigned long iova,
				      unsigned long last)
{
	struct dk_iommu_range *g = dk_range_floor(d->map, last);

	return g && g->iova + (g->size - 1) >= iova ? g : NULL;
}

int iommu_map(struct iommu_domain *domain, unsigned long iova,
	      phys_addr_t paddr, size_t size, int prot, gfp_t gfp)
{
	struct dk_domain *d = dk_to_domain(domain);
	const struct dk_iommu_range *o;
	struct dk_iommu_range *g;
	int k, r = 0;

	(void)gfp;
	if (!d || !size || (iova | paddr | size) % IOMMU_PAGE ||
	    iova + size - 1 < iova || prot & ~PROT_ALL)
		return dk_err(-EINVAL,
			      "iommu_map(0x%lx -> 0x%llx, 0x%zx): NULL domain, not whole pages, wraps or bad prot",
			      iova, (unsigned long long)paddr, size);
	if (d->pt)
		return dk_domain_pt_map(d, iova, paddr, size, prot);
	pthread_mutex_lock(&d->lock);
	o = overlap(d, iova, iova + size - 1);
	if (o) {
		unsigned long at = o->iova;

		pthread_mutex_unlock(&d->lock);
		return dk_err(-EEXIST,
			      "iommu_map: 0x%lx + 0x%zx overlaps the mapping at 0x%lx",
			      iova, size, at);
	}
	g = node_get(d);
	if (!g) {
		pthread_mutex_unlock(&d->lock);
		return dk_err(-ENOMEM, "out of memory");
	}
	for (k = 0; k < d->ndevs && !r; k++)
		if (first_of_stream(d, k))
			r = hw_map(d, k, iova, paddr, size, prot);
	if (r) {
		/* Undo on the devices already programmed. */
		for (k -= 2; k >= 0; k--)
			if (first_of_stream(d, k))
				hw_unmap(d, k, iova, size, false);
		node_put(d, g);
	} else {
		*g = (struct dk_iommu_range){ .iova = iova, .pa = paddr,
					      .size = size, .prot = prot };
		dk_range_insert(&d->map, g);
	}
	pthread_mutex_unlock(&d->lock);
	return r;
}

/*
 * Keep what is left of @g outside [@lo, @hi]; @up is the node for the
 * part above @hi when there is also one below @lo.
 */
static void cut(struct dk_domain *d, struct dk_iommu_range *g,
		unsigned long lo, unsigned long hi, struct dk_iommu_range *up)
{
	unsigned long g_last = g->iova + (g->size - 1);
	bool below = g->iova < lo;

	if (hi < g_last) {
		if (!below) {
			up = g;
			dk_range_erase(&d->map, g);
		}
		*up = (struct dk_iommu_range){
			.iova = hi + 1, .pa = g->pa + (hi + 1 - g->iova),
			.size = g_last - hi, .prot = g->prot };
	} else {
		up = NULL;
	}
	if (below)
		g->size = lo - g->iova;	/* its key stays: no tree change */
	else if (up != g) {
		dk_range_erase(&d->map, g);
		node_put(d, g);
	}
	if (up)
		dk_range_insert(&d->map, up);
}

/*
 * iommu_unmap_fast() with the lock held; @strict: iommu_unmap(), where
 * an unmap of one mapped range only invalidates that range in the same
 * platform call (more ranges are gathered and synced by the caller, as
 * the span between them is).
 */
static size_t unmap_locked(struct dk_domain *d, unsigned long iova,
			   unsigned long last,
			   struct iommu_iotlb_gather *gather, bool strict)
{
	struct dk_iommu_range *g, *up;
	unsigned long lo, hi;
	size_t done = 0;
	bool inval;
	int k;

	g = overlap(d, iova, iova);
	if (!g)
		g = dk_range_ceil(d->map, iova);
	while (g && g->iova <= last) {
		unsigned long g_last = g->iova + (g->size - 1);

		lo = g->iova > iova ? g->iova : iova;
		hi = g_last < last ? g_last : last;
		/* Unmapping the middle of a range leaves two. */
		up = g->iova < lo && hi < g_last ? node_get(d) : NULL;
		if (g->iova < lo && hi < g_last && !up) {
			dk_err(-ENOMEM, "iommu_unmap: out of memory splitting the mapping at 0x%lx",
			       g->iova);
			break;
		}
		/* The first range reaching @last is the only one. */
		inval = strict && !done && hi == last;
		done += hi - lo + 1;
		for (k = 0; k < d->ndevs; k++)
			if (first_of_stream(d, k))
				hw_unmap(d, k, lo, hi - lo + 1, inval);
		if (gather && !inval)
			iommu_iotlb_gather_add_range(gather, lo, hi - lo + 1);
		cut(d, g, lo, hi, up);
		/* Nothing after @last is to be looked for. */
		g = hi >= last ? NULL : dk_range_ceil(d->map, hi + 1);
	}
	return done;
}

/* The inclusive last IOVA of an unmap of @size bytes from @iova (whole
 * pages; 2^64 - 1 if it would run past). */
static unsigned long unmap_last(unsigned long iova, size_t size)
{
	size_t pages = size / IOMMU_PAGE + !!(size % IOMMU_PAGE);
	unsigned long last = iova + pages * IOMMU_PAGE - 1;

	return pages > ~0UL / IOMMU_PAGE || last < iova ? ~0UL : last;
}

size_t iommu_unmap_fast(struct iommu_domain *domain, unsigned long iova,
			size_t size, struct iommu_iotlb_gather *gather)
{
	struct dk_domain *d = dk_to_domain(domain);
	size_t done;

	if (!d || !size || iova % IOMMU_PAGE)
		return 0;
	if (d->pt)
		return dk_domain_pt_unmap(d, iova, size, gather, false);
	pthread_mutex_lock(&d->lock);
	done = unmap_locked(d, iova, unmap_last(iova, size), gather, false);
	pthread_mutex_unlock(&d->lock);
	return done;
}

/* iommu_iotlb_sync() with the lock held (none over tables of its own). */
static void sync_locked(struct dk_domain *d, struct iommu_iotlb_gather *gather)
{
	int k;

	if (!gather->end || gather->end < gather->start)
		return;
	if (d->pt) {
		/* The whole of 2^64 is one byte short: still every page. */
		dk_domain_pt_inval(d, gather->start,
				   gather->end - gather->start + 1 ?:
				   gather->end - gather->start);
		iommu_iotlb_gather_init(gather);
		return;
	}
	for (k = 0; k < d->ndevs; k++)
		if (first_of_stream(d, k))
			tlb_inval(d, d->devs[k], gather->start,
				  gather->end - gather->start + 1);
	iommu_iotlb_gather_init(gather);
}

/* Unmap and invalidate under one hold of the lock. */
size_t iommu_unmap(struct iommu_domain *domain, unsigned long iova, size_t size)
{
	struct dk_domain *d = dk_to_domain(domain);
	struct iommu_iotlb_gather g;
	size_t done;

	if (!d || !size || iova % IOMMU_PAGE)
		return 0;
	if (d->pt)
		return dk_domain_pt_unmap(d, iova, size, NULL, true);
	iommu_iotlb_gather_init(&g);
	pthread_mutex_lock(&d->lock);
	done = unmap_locked(d, iova, unmap_last(iova, size), &g, true);
	sync_locked(d, &g);
	pthread_mutex_unlock(&d->lock);
	return done;
}

void iommu_iotlb_sync(struct iommu_domain *domain,
		      struct iommu_iotlb_gather *gather)
{
	struct dk_domain *d = dk_to_domain(domain);

	if (!d || !gather)
		return;
	if (d->pt) {
		sync_locked(d, gather);
		return;
	}
	pthread_mutex_lock(&d->lock);
	sync_locked(d, gather);
	pthread_mutex_unlock(&d->lock);
}

void iommu_flush_iotlb_all(struct iommu_domain *domain)
{
	struct dk_domain *d = dk_to_domain(domain);
	int k;

	if (!d)
		return;
	if (d->pt) {
		dk_domain_pt_inval(d, 0, 0);
		return;
	}
	pthread_mutex_lock(&d->lock);
	for (k = 0; k < d->ndevs; k++)
		if (first_of_stream(d, k))
			tlb_inval(d, d->devs[k], 0, 0);
	pthread_mutex_unlock(&d->lock);
}

ssize_t iommu_map_sg(struct iommu_domain *domain, unsigned long iova,
		     struct scatterlist *sg, unsigned int nents, int prot,
		     gfp_t gfp)
{
	struct scatterlist *s;
	phys_addr_t start = 0;
	size_t run = 0, done = 0;
	unsigned int i;
	int r = 0;

	if (!domain || (!sg && nents))
		return dk_err(-EINVAL, "iommu_map_sg: NULL argument");
	/* Physically contiguous entries go down as one range. */
	for_each_sg(sg, s, nents, i) {
		phys_addr_t pa = sg_phys(s);

		if ((pa | s->length) % IOMMU_PAGE) {
			r = dk_err(-EINVAL,
				   "iommu_map_sg: entry %u (0x%llx + 0x%x) is not whole pages",
				   i, (unsigned long long)pa, s->length);
			break;
		}
		if (run && start + run == pa) {
			run += s->length;
			continue;
		}
		if (run && (r = iommu_map(domain, iova + done, start, run, prot,
					  gfp)))
			break;
		done += run;
		start = pa;
		run = s->length;
	}
	if (!r && run)
		r = iommu_map(domain, iova + done, start, run, prot, gfp);
	if (r) {
		if (done)
			iommu_unmap(domain, iova, done);
		return r;
	}
	return done + run;
}

phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	struct dk_domain *d = dk_to_domain(domain);
	const struct dk_iommu_range *g;
	phys_addr_t pa = 0;

	if (!d)
		return 0;
	if (d->pt)
		return dk_domain_pt_iova_to_phys(d, iova);
	pthread_mutex_lock(&d->lock);
	g = overlap(d, iova, iova);
	if (g)
		pa = g->pa + (iova - g->iova);
	pthread_mutex_unlock(&d->lock);
	return pa;
}
