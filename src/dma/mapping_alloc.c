// SPDX-License-Identifier: MIT
/*
 * The front end's allocation entry points: coherent, non-coherent and
 * non-contiguous memory, user mappings and page tables of it. Each checks
 * its arguments, allocates through the device's backend (its dma_map_ops,
 * or the direct backend's allocator in coherent.c) and tells the checker
 * what the backend made. A backend may build one allocation from pages
 * scattered in RAM (iommu-dma does); the checker follows memory by
 * physical address, so it is told of each physically contiguous piece.
 */
#include <errno.h>
#include <stdlib.h>

#include <dmakit/dma-map-ops.h>
#include <dmakit/dma-mapping.h>

#include "../mm/mm.h"
#include "../core/objreg.h"
#include "../debug/debug.h"
#include "../debug/user_map.h"
#include "../kernel/kernel.h"
#include "../trace/trace.h"
#include "../dma_direct/direct.h"
#include "dma.h"

/* One physically contiguous piece of a CPU mapping: bytes [off, off+len)
 * of it are RAM at pa. */
typedef void (*piece_fn)(struct device *dev, size_t off, phys_addr_t pa,
			 size_t len, void *arg);

static bool cpu_phys(struct dk_machine *m, const void *p, phys_addr_t *pa)
{
	return !m->pl.ops->virt_to_phys(m->pl.ctx, p, pa);
}

/*
 * Call @fn on each piece of [@cpu, +@size) (a page cookie for
 * DMA_ATTR_NO_KERNEL_MAPPING: one piece, its block is contiguous).
 * Returns false, calling nothing, if @cpu is not the machine's memory.
 */
static bool for_each_piece(struct device *dev, const void *cpu, size_t size,
			   unsigned long attrs, piece_fn fn, void *arg)
{
	struct dk_machine *m = dev->machine;
	phys_addr_t start, pa;
	size_t off, at = 0;

	if (attrs & DMA_ATTR_NO_KERNEL_MAPPING && dk_page_valid(m, cpu)) {
		fn(dev, 0, dk_page_to_phys(m, cpu), size, arg);
		return true;
	}
	if (!cpu_phys(m, cpu, &start))
		return false;
	/* Allocations are whole pages: anything else is the checker's to
	 * judge as it stands. A page that is no memory ends the walk. */
	for (off = PAGE_SIZE; !(start % PAGE_SIZE) && off < size;
	     off += PAGE_SIZE) {
		if (!cpu_phys(m, (const u8 *)cpu + off, &pa))
			break;
		if (pa == start + (off - at))
			continue;
		fn(dev, at, start, off - at, arg);
		at = off;
		start = pa;
	}
	fn(dev, at, start, size - at, arg);
	return true;
}

struct piece_arg {
	const u8 *cpu;
	dma_addr_t dma;
	size_t size;
	enum dma_data_direction dir;
	unsigned long attrs;
	enum dk_map_type type;
	phys_addr_t first;
	bool cookie;		/* @cpu is a page cookie: one piece */
};

static void piece_map(struct device *dev, size_t off, phys_addr_t pa,
		      size_t len, void *arg)
{
	struct piece_arg *a = arg;
	const void *ptr = a->cookie ? a->cpu : a->cpu + off;

	if (!off)
		a->first = pa;
	dk_dbg_map(dev, a->type, ptr, pa, a->dma + off, len, a->dir, a->attrs,
		   0, 0);
}

static void piece_unmap(struct device *dev, size_t off, phys_addr_t pa,
			size_t len, void *arg)
{
	struct piece_arg *a = arg;
	const void *ptr = a->cookie ? a->cpu : a->cpu + off;

	if (!off)
		a->first = pa;
	dk_dbg_unmap(dev, a->type, a->dma + off, len, a->dir, -1, ptr);
	/* The whole pages: a user mapping of the tail counts too. */
	dk_dbg_free_user_mapped(dev, a->dma + off, len, pa, PAGE_ALIGN(len));
}

/*
 * The checker and tracer hear of a new allocation (@gone false) or of one
 * about to be freed, before the backend frees it.
 */
static void tell(struct device *dev, bool gone, enum dk_map_type type,
		 const void *cpu, dma_addr_t dma, size_t size,
		 enum dma_data_direction dir, unsigned long attrs)
{
	struct piece_arg a = { cpu, dma, size, dir, attrs, type, 0, false };
	bool ok;

	if (!dk_dbg_on() && !dk_tracing())
		return;
	a.cookie = attrs & DMA_ATTR_NO_KERNEL_MAPPING &&
		   dk_page_valid(dev->machine, cpu);
	ok = for_each_piece(dev, cpu, size, attrs,
			    gone ? piece_unmap : piece_map, &a);
	/* Memory the machine does not have: the checker says what it is. */
	if (!ok && gone)
		dk_dbg_unmap(dev, type, dma, size, dir, -1, cpu);
	if (dk_tracing())
		dk_trace_api(dev, gone ? DK_TR_FREE :
			     type == DK_MAP_COHERENT ? DK_TR_ALLOC :
						       DK_TR_ALLOC_NC,
			     a.first, ~0ULL, dma, size, dir);
}

static bool bad_args(struct device *dev, size_t size, const void *handle,
		     const char *fn)
{
	if (!dk_dev_live(dev)) {
		dk_err(-EINVAL, "%s: NULL device", fn);
		return true;
	}
	/* One message per cause: "size 4096 or NULL dma_handle" left the
	 * user to guess which. */
	if (!handle) {
		dk_err(-EINVAL, "%s: %s: dma_handle is NULL: pass a dma_addr_t * for the device address",
		       dev_name(dev), fn);
		return true;
	}
	if (!size) {
		dk_err(-EINVAL, "%s: %s: size 0", dev_name(dev), fn);
		return true;
	}
	if (PAGE_ALIGN(size) < size) {
		dk_err(-EINVAL, "%s: %s: size %zu is too large to round up to a page",
		       dev_name(dev), fn, size);
		return true;
	}
	return false;
}

void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle,
		      gfp_t gfp, unsigned long attrs)
{
	const struct dma_map_ops *ops;
	void *cpu;

	if (bad_args(dev, size, dma_handle, "dma_alloc_attrs"))
		return NULL;
	if (attrs & DMA_ATTR_NON_CONSISTENT)
		return dma_alloc_noncoherent(dev, size, dma_handle,
					     DMA_BIDIRECTIONAL, gfp);
	ops = dev->dma_ops;
	if (!ops) {
		cpu = dk_direct_alloc(dev, size, dma_handle, gfp, attrs);
	} else if (ops->alloc) {
		dk_err(-ENOMEM, "%s: dma_alloc_attrs: its dma_map_ops allocated nothing",
		       dev_name(dev));
		cpu = ops->alloc(dev, size, dma_handle, gfp, attrs);
	} else {
		dk_err(-EOPNOTSUPP, "%s: dma_alloc_attrs: its dma_map_ops cannot do that",
		       dev_name(dev));
		cpu = NULL;
	}
	if (!cpu) {
		if (!(attrs & DMA_ATTR_NO_WARN))
			dk_warn("%s", dk_last_error());
		return NULL;
	}
	tell(dev, false, DK_MAP_COHERENT, cpu, *dma_handle, size,
		  DMA_BIDIRECTIONAL, attrs);
	return cpu;
}

void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr,
		    dma_addr_t dma_handle, unsigned long attrs)
{
	const struct dma_map_ops *ops;

	if (attrs & DMA_ATTR_NON_CONSISTENT) {
		dma_free_noncoherent(dev, size, cpu_addr, dma_handle,
				     DMA_BIDIRECTIONAL);
		return;
	}
	if (!dk_dev_live(dev) || !cpu_addr) {
		dk_warn("BUG: dma_free_attrs(%s, %p): NULL argument",
			dev_name(dev), cpu_addr);
		return;
	}
	tell(dev, true, DK_MAP_COHERENT, cpu_addr, dma_handle, size,
		DMA_BIDIRECTIONAL, attrs);
	ops = dev->dma_ops;
	if (!ops)
		dk_direct_free(dev, size, cpu_addr, dma_handle, attrs);
	else if (ops->free)
		ops->free(dev, size, cpu_addr, dma_handle, attrs);
}

/* What Linux's wrappers turn __GFP_NOWARN into. */
static unsigned long nowarn(gfp_t gfp)
{
	return gfp & __GFP_NOWARN ? DMA_ATTR_NO_WARN : 0;
}

void *dma_alloc_coherent(struct device *dev, size_t size,
			 dma_addr_t *dma_handle, gfp_t gfp)
{
	return dma_alloc_attrs(dev, size, dma_handle, gfp, nowarn(gfp));
}

void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr,
		       dma_addr_t dma_handle)
{
	dma_free_attrs(dev, size, cpu_addr, dma_handle, 0);
}

void *dma_alloc_wc(struct device *dev, size_t size, dma_addr_t *dma_handle,
		   gfp_t gfp)
{
	return dma_alloc_attrs(dev, size, dma_handle, gfp,
			       DMA_ATTR_WRITE_COMBINE | nowarn(gfp));
}

void dma_free_wc(struct device *dev, size_t size, void *cpu_addr,
		 dma_addr_t dma_handle)
{
	dma_free_attrs(dev, size, cpu_addr, dma_handle, DMA_ATTR_WRITE_COMBINE);
}

struct dmam_res {
	struct device *dev;
	size_t size;
	void *vaddr;
	dma_addr_t handle;
	unsigned long attrs;
};

static void dmam_release(void *p)
{
	struct dmam_res *r = p;

	dma_free_attrs(r->dev, r->size, r->vaddr, r->handle, r->attrs);
	free(r);
}

void *dmam_alloc_coherent(struct device *dev, size_t size,
			  dma_addr_t *dma_handle, gfp_t gfp)
{
	return dmam_alloc_attrs(dev, size, dma_handle, gfp, nowarn(gfp));
}

void *dmam_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle,
		       gfp_t gfp, unsigned long attrs)
{
	struct dmam_res *r = calloc(1, sizeof(*r));
	void *v;

	if (!r) {
		dk_err(-ENOMEM, "out of memory");
		return NULL;
	}
	v = dma_alloc_attrs(dev, size, dma_handle, gfp, attrs);
	if (!v) {
		free(r);
		return NULL;
	}
	*r = (struct dmam_res){ dev, size, v, *dma_handle, attrs };
	if (dk_devres_add(dev, dmam_release, free, r)) {
		dmam_release(r);
		return NULL;
	}
	return v;
}

static bool dmam_match(void *data, void *vaddr)
{
	return ((struct dmam_res *)data)->vaddr == vaddr;
}

void dmam_free_coherent(struct device *dev, size_t size, void *vaddr,
			dma_addr_t dma_handle)
{
	struct dmam_res *r = dk_devres_take(dev, dmam_release, dmam_match,
					    vaddr);
	unsigned long attrs = r ? r->attrs : 0;

	/* Taken off the list first so unbind does not free it again. */
	free(r);
	dma_free_attrs(dev, size, vaddr, dma_handle, attrs);
}

/* ---- user mappings */

static void piece_user(struct device *dev, size_t off, phys_addr_t pa,
		       size_t len, void *arg)
{
	dk_dbg_user_map(dev, pa, len, *(unsigned long *)arg + off);
}

/* The checker hears of a user mapping piece by piece, as it follows RAM. */
static void user_mapped(struct device *dev, struct vm_area_struct *vma)
{
	unsigned long start = vma->vm_start;

	if (dk_dbg_on())
		for_each_piece(dev, (void *)vma->vm_start,
			       vma->vm_end - vma->vm_start, 0, piece_user,
			       &start);
}

int dma_mmap_attrs(struct device *dev, struct vm_area_struct *vma,
		   void *cpu_addr, dma_addr_t dma_addr, size_t size,
		   unsigned long attrs)
{
	const struct dma_map_ops *ops;
	int r;

	if (!dk_dev_live(dev) || !vma || !cpu_addr)
		return dk_err(-EINVAL, "dma_mmap_attrs: NULL argument");
	ops = dev->dma_ops;
	if (!ops)
		r = dk_direct_mmap(dev, vma, cpu_addr, dma_addr, size, attrs);
	else if (ops->mmap)
		r = ops->mmap(dev, vma, cpu_addr, dma_addr, size, attrs);
	else
		r = dk_err(-ENXIO, "%s: dma_mmap_attrs: its dma_map_ops cannot do that",
			   dev_name(dev));
	if (!r) {
		user_mapped(dev, vma);
		dk_dbg_mmap_attrs(dev, dma_addr, cpu_addr, attrs);
	}
	return r;
}

int dma_mmap_coherent(struct device *dev, struct vm_area_struct *vma,
		      void *cpu_addr, dma_addr_t dma_addr, size_t size)
{
	return dma_mmap_attrs(dev, vma, cpu_addr, dma_addr, size, 0);
}

int dma_mmap_wc(struct device *dev, struct vm_area_struct *vma,
		void *cpu_addr, dma_addr_t dma_addr, size_t size)
{
	return dma_mmap_attrs(dev, vma, cpu_addr, dma_addr, size,
			      DMA_ATTR_WRITE_COMBINE);
}

int dk_munmap(struct vm_area_struct *vma)
{
	struct dk_machine *m = dk_machine_current();
	int r;

	if (!vma || !m || !vma->vm_start)
		return dk_err(-EINVAL, "dk_munmap: nothing mapped");
	dk_dbg_user_unmap(m, vma->vm_start);
	r = m->pl.ops->unmap_alias(m->pl.ctx, (void *)vma->vm_start);
	if (!r)
		vma->vm_start = vma->vm_end = 0;
	return r;
}

int dma_get_sgtable_attrs(struct device *dev, struct sg_table *sgt,
			  void *cpu_addr, dma_addr_t dma_addr, size_t size,
			  unsigned long attrs)
{
	const struct dma_map_ops *ops;

	if (!dk_dev_live(dev) || !sgt || !cpu_addr)
		return dk_err(-EINVAL, "dma_get_sgtable: NULL argument");
	ops = dev->dma_ops;
	if (!ops)
		return dk_direct_get_sgtable(dev, sgt, cpu_addr, dma_addr, size,
					     attrs);
	if (ops->get_sgtable)
		return ops->get_sgtable(dev, sgt, cpu_addr, dma_addr, size,
					attrs);
	return dk_err(-ENXIO, "%s: dma_get_sgtable: its dma_map_ops cannot do that",
		      dev_name(dev));
}

int dma_get_sgtable(struct device *dev, struct sg_table *sgt, void *cpu_addr,
		    dma_addr_t dma_addr, size_t size)
{
	return dma_get_sgtable_attrs(dev, sgt, cpu_addr, dma_addr, size, 0);
}

/* ---- non-coherent allocations */

static int nc_args(struct device *dev, size_t size, dma_addr_t *dma_handle,
		   enum dma_data_direction dir, gfp_t gfp, const char *fn)
{
	if (bad_args(dev, size, dma_handle, fn))
		return -EINVAL;
	if (!dk_valid_dir(dir))
		return dk_err(-EINVAL, "%s: %s: direction %d is not a mapping direction (DMA_TO_DEVICE, DMA_FROM_DEVICE or DMA_BIDIRECTIONAL)",
			      dev_name(dev), fn, (int)dir);
	/* Linux WARNs and fails: the coherent mask picks the zone, and a
	 * driver that asks for one passes here but not there. */
	if (gfp & (__GFP_DMA | __GFP_DMA32)) {
		dk_err(-EINVAL, "%s: %s: GFP_DMA and GFP_DMA32 are not allowed; the coherent mask chooses the memory",
		       dev_name(dev), fn);
		dk_warn("WARNING: %s", dk_last_error());
		return -EINVAL;
	}
	return 0;
}

static struct page *alloc_pages_nc(struct device *dev, size_t size,
				   dma_addr_t *dma_handle,
				   enum dma_data_direction dir, gfp_t gfp,
				   const char *fn)
{
	const struct dma_map_ops *ops;
	struct page *pg;

	if (nc_args(dev, size, dma_handle, dir, gfp, fn))
		return NULL;
	ops = dev->dma_ops;
	if (!ops) {
		pg = dk_direct_alloc_pages(dev, size, dma_handle, dir, gfp);
	} else if (ops->alloc_pages_op) {
		dk_err(-ENOMEM, "%s: %s: its dma_map_ops allocated nothing",
		       dev_name(dev), fn);
		pg = ops->alloc_pages_op(dev, size, dma_handle, dir, gfp);
	} else {
		dk_err(-EOPNOTSUPP, "%s: %s: its dma_map_ops cannot do that",
		       dev_name(dev), fn);
		pg = NULL;
	}
	if (pg)
		tell(dev, false, DK_MAP_NONCOHERENT, page_address(pg),
			  *dma_handle, size, dir, 0);
	return pg;
}

void *dma_alloc_noncoherent(struct device *dev, size_t size,
			    dma_addr_t *dma_handle,
			    enum dma_data_direction dir, gfp_t gfp)
{
	struct page *pg = alloc_pages_nc(dev, size, dma_handle, dir, gfp,
					 "dma_alloc_noncoherent");

	return pg ? page_address(pg) : NULL;
}

struct page *dma_alloc_pages(struct device *dev, size_t size,
			     dma_addr_t *dma_handle,
			     enum dma_data_direction dir, gfp_t gfp)
{
	return alloc_pages_nc(dev, size, dma_handle, dir, gfp,
			      "dma_alloc_pages");
}

static void free_pages_nc(struct device *dev, size_t size, struct page *page,
			  void *vaddr, dma_addr_t dma_handle,
			  enum dma_data_direction dir)
{
	const struct dma_map_ops *ops = dev->dma_ops;

	tell(dev, true, DK_MAP_NONCOHERENT, vaddr, dma_handle, size, dir, 0);
	if (!page) {
		dev_err(dev, "dma_free_noncoherent(%p): memory it has not allocated",
			vaddr);
		return;
	}
	if (!ops)
		dk_direct_free_pages(dev, size, page, dma_handle, dir);
	else if (ops->free_pages)
		ops->free_pages(dev, size, page, dma_handle, dir);
}

void dma_free_noncoherent(struct device *dev, size_t size, void *vaddr,
			  dma_addr_t dma_handle, enum dma_data_direction dir)
{
	phys_addr_t pa;

	if (!dk_dev_live(dev) || !vaddr) {
		dk_warn("BUG: dma_free_noncoherent(%s, %p): NULL argument",
			dev_name(dev), vaddr);
		return;
	}
	free_pages_nc(dev, size,
		      dk_linear_to_phys(dev->machine, vaddr, &pa) ?
			      dk_phys_to_page(dev->machine, pa) : NULL,
		      vaddr, dma_handle, dir);
}

void dma_free_pages(struct device *dev, size_t size, struct page *page,
		    dma_addr_t dma_handle, enum dma_data_direction dir)
{
	if (!dk_dev_live(dev) || !page || !dk_page_valid(dev->machine, page)) {
		dk_warn("BUG: dma_free_pages: NULL argument");
		return;
	}
	free_pages_nc(dev, size, page, page_address(page), dma_handle, dir);
}

int dma_mmap_pages(struct device *dev, struct vm_area_struct *vma,
		   size_t size, struct page *page)
{
	phys_addr_t pa;
	int r;

	if (!dk_dev_live(dev) || !vma || !page)
		return dk_err(-EINVAL, "dma_mmap_pages: NULL argument");
	pa = dk_page_to_phys(dev->machine, page);
	if (!dk_phys_to_page(dev->machine, pa))
		return dk_err(-EINVAL, "dma_mmap_pages: not a page");
	r = dk_map_user(dev, vma, pa, PAGE_ALIGN(size) / PAGE_SIZE,
			DK_ALIAS_CACHED);
	if (!r)
		user_mapped(dev, vma);
	return r;
}

/* ---- non-contiguous allocations, as one chunk of pages */

struct sg_table *dma_alloc_noncontiguous(struct device *dev, size_t size,
					 enum dma_data_direction dir,
					 gfp_t gfp, unsigned long attrs)
{
	struct sg_table *sgt;
	dma_addr_t handle;
	struct page *pg;

	/* Linux WARNs and fails: no other attribute means anything here. */
	if (attrs & ~DMA_ATTR_ALLOC_SINGLE_PAGES) {
		dk_err(-EINVAL, "%s: dma_alloc_noncontiguous: attrs 0x%lx; only DMA_ATTR_ALLOC_SINGLE_PAGES is allowed",
		       dev_name(dev), attrs);
		dk_warn("WARNING: %s", dk_last_error());
		return NULL;
	}
	sgt = calloc(1, sizeof(*sgt));
	if (!sgt) {
		dk_err(-ENOMEM, "out of memory");
		return NULL;
	}
	/* One contiguous chunk, as Linux's alloc_single_sgt() hands out
	 * without an IOMMU; through one its pages are one IOVA range. */
	pg = dma_alloc_pages(dev, size, &handle, dir, gfp);
	if (!pg || sg_alloc_table(sgt, 1, gfp)) {
		if (pg)
			dma_free_pages(dev, size, pg, handle, dir);
		free(sgt);
		return NULL;
	}
	sg_set_page(sgt->sgl, pg, PAGE_ALIGN(size), 0);
	sg_dma_address(sgt->sgl) = handle;
	sg_dma_len(sgt->sgl) = size;
	sgt->nents = 1;
	if (dk_obj_add(sgt, DK_OBJ_SGTABLE, dev)) {
		dma_free_pages(dev, size, pg, handle, dir);
		sg_free_table(sgt);
		free(sgt);
		return NULL;
	}
	return sgt;
}

void dma_free_noncontiguous(struct device *dev, size_t size,
			    struct sg_table *sgt, enum dma_data_direction dir)
{
	if (!sgt)
		return;
	if (!dk_obj_del(sgt, DK_OBJ_SGTABLE)) {
		dk_err_log(-EINVAL, "BUG: dma_free_noncontiguous(%p): not a table from dma_alloc_noncontiguous()",
			   (void *)sgt);
		return;
	}
	dma_free_pages(dev, size, sg_page(sgt->sgl), sg_dma_address(sgt->sgl),
		       dir);
	sg_free_table(sgt);
	free(sgt);
}

void *dma_vmap_noncontiguous(struct device *dev, size_t size,
			     struct sg_table *sgt)
{
	(void)size;
	if (!dk_dev_ok(dev, "dma_vmap_noncontiguous") ||
	    !dk_obj_check(sgt, DK_OBJ_SGTABLE, "table", "dma_vmap_noncontiguous"))
		return NULL;
	return page_address(sg_page(sgt->sgl));
}

void dma_vunmap_noncontiguous(struct device *dev, void *vaddr)
{
	(void)dev;
	(void)vaddr;	/* the linear map needs no undoing */
}

int dma_mmap_noncontiguous(struct device *dev, struct vm_area_struct *vma,
			   size_t size, struct sg_table *sgt)
{
	if (!dk_obj_check(sgt, DK_OBJ_SGTABLE, "table", "dma_mmap_noncontiguous"))
		return -EINVAL;
	return dma_mmap_pages(dev, vma, size, sg_page(sgt->sgl));
}
