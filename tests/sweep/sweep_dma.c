// SPDX-License-Identifier: MIT
/* Sweep cases: <dmakit/dma-mapping.h>. */
#include <errno.h>

#include <dmakit/slab.h>

#include <dmakit/dma-map-ops.h>

#include "sweep.h"

#define TO DMA_TO_DEVICE
#define BAD_DIR ((enum dma_data_direction)7)
#define ERRADDR DMA_MAPPING_ERROR

/* ---- masks and limits: NULL and dead devices */

SWEEP(dma_set_mask, "NULL device", W_NONE)
{
	EXPECT(dma_set_mask(NULL, DMA_BIT_MASK(32)) == -EINVAL);
	return 0;
}

SWEEP(dma_set_mask, "dead device", W_MACHINE)
{
	EXPECT(dma_set_mask(sweep_dead_device(e), DMA_BIT_MASK(32)) == -EINVAL);
	return 0;
}

SWEEP(dma_set_mask, "mask 0", W_MACHINE)
{
	EXPECT(dma_set_mask(e->dev, 0) == -EIO);
	return 0;
}

SWEEP(dma_set_coherent_mask, "dead device", W_MACHINE)
{
	EXPECT(dma_set_coherent_mask(sweep_dead_device(e), ~0ULL) == -EINVAL);
	return 0;
}

SWEEP(dma_set_mask_and_coherent, "NULL device", W_NONE)
{
	EXPECT(dma_set_mask_and_coherent(NULL, ~0ULL) == -EINVAL);
	return 0;
}

SWEEP(dma_set_mask_and_coherent, "dead device", W_MACHINE)
{
	EXPECT(dma_set_mask_and_coherent(sweep_dead_device(e), ~0ULL) == -EINVAL);
	return 0;
}

SWEEP(dma_get_mask, "NULL and dead device", W_MACHINE)
{
	EXPECT(dma_get_mask(NULL) == DMA_BIT_MASK(32));
	EXPECT(dma_get_mask(sweep_dead_device(e)) == DMA_BIT_MASK(32));
	return 0;
}

SWEEP(dma_supported, "NULL and dead device", W_MACHINE)
{
	EXPECT(dma_supported(NULL, ~0ULL) == 0);
	EXPECT(dma_supported(sweep_dead_device(e), ~0ULL) == 0);
	return 0;
}

SWEEP(dma_addressing_limited, "NULL and dead device", W_MACHINE)
{
	EXPECT(!dma_addressing_limited(NULL));
	EXPECT(!dma_addressing_limited(sweep_dead_device(e)));
	return 0;
}

SWEEP(dma_max_mapping_size, "NULL and dead device", W_MACHINE)
{
	EXPECT(dma_max_mapping_size(NULL) == SIZE_MAX);
	EXPECT(dma_max_mapping_size(sweep_dead_device(e)) == SIZE_MAX);
	return 0;
}

SWEEP(dma_opt_mapping_size, "NULL and dead device", W_MACHINE)
{
	EXPECT(dma_opt_mapping_size(NULL) == SIZE_MAX);
	EXPECT(dma_opt_mapping_size(sweep_dead_device(e)) == SIZE_MAX);
	return 0;
}

SWEEP(dma_get_cache_alignment, "before any machine", W_NONE)
{
	EXPECT(dma_get_cache_alignment() >= 1);
	return 0;
}

SWEEP(dma_get_max_seg_size, "NULL and dead device", W_MACHINE)
{
	EXPECT(dma_get_max_seg_size(NULL) == 65536);
	EXPECT(dma_get_max_seg_size(sweep_dead_device(e)) == 65536);
	return 0;
}

SWEEP(dma_set_max_seg_size, "NULL and dead device", W_MACHINE)
{
	EXPECT(dma_set_max_seg_size(NULL, 4096) == -EIO);
	EXPECT(dma_set_max_seg_size(sweep_dead_device(e), 4096) == -EIO);
	return 0;
}

SWEEP(dma_get_seg_boundary, "NULL and dead device", W_MACHINE)
{
	unsigned long def = dma_get_seg_boundary(NULL);

	EXPECT(dma_get_seg_boundary(sweep_dead_device(e)) == def);
	return 0;
}

SWEEP(dma_set_seg_boundary, "NULL and dead device", W_MACHINE)
{
	EXPECT(dma_set_seg_boundary(NULL, 0xfff) == -EIO);
	EXPECT(dma_set_seg_boundary(sweep_dead_device(e), 0xfff) == -EIO);
	return 0;
}

SWEEP(dma_set_min_align_mask, "NULL and dead device", W_MACHINE)
{
	dma_set_min_align_mask(NULL, 0xfff);
	dma_set_min_align_mask(sweep_dead_device(e), 0xfff);
	EXPECT_ERR("dma_set_min_align_mask");
	return 0;
}

SWEEP(get_dma_ops, "NULL and dead device", W_MACHINE)
{
	EXPECT(!get_dma_ops(NULL));
	EXPECT(!get_dma_ops(sweep_dead_device(e)));
	EXPECT(!get_dma_ops(e->dev));	/* the direct backend */
	return 0;
}

SWEEP(set_dma_ops, "NULL and dead device, an empty table", W_MACHINE)
{
	static const struct dma_map_ops empty;
	u8 *p = e->buf;
	dma_addr_t h;

	set_dma_ops(NULL, &empty);
	set_dma_ops(sweep_dead_device(e), &empty);
	set_dma_ops(e->dev, &empty);
	EXPECT(get_dma_ops(e->dev) == &empty);
	/* Every call of a table with no operations fails cleanly. */
	h = dma_map_single(e->dev, p, 64, DMA_TO_DEVICE);
	EXPECT(dma_mapping_error(e->dev, h));
	EXPECT_ERR("its dma_map_ops cannot do that");
	dma_sync_single_for_cpu(e->dev, 0x80000000, 64, DMA_TO_DEVICE);
	dma_unmap_single(e->dev, 0x80000000, 64, DMA_TO_DEVICE);
	set_dma_ops(e->dev, NULL);
	EXPECT(!get_dma_ops(e->dev));
	return 0;
}

SWEEP(dev_is_dma_coherent, "NULL and dead device", W_MACHINE)
{
	EXPECT(!dev_is_dma_coherent(NULL));
	EXPECT(!dev_is_dma_coherent(sweep_dead_device(e)));
	return 0;
}

/* ---- coherent allocations */

SWEEP(dma_alloc_attrs, "NULL, dead device, size 0 and SIZE_MAX", W_MACHINE)
{
	dma_addr_t d;

	EXPECT(!dma_alloc_attrs(NULL, 64, &d, GFP_KERNEL, 0));
	EXPECT(!dma_alloc_attrs(sweep_dead_device(e), 64, &d, GFP_KERNEL, 0));
	EXPECT(!dma_alloc_attrs(e->dev, 0, &d, GFP_KERNEL, 0));
	EXPECT(!dma_alloc_attrs(e->dev, SIZE_MAX, &d, GFP_KERNEL, 0));
	EXPECT(!dma_alloc_attrs(e->dev, 64, NULL, GFP_KERNEL, 0));
	return 0;
}

SWEEP(dma_alloc_attrs, "before any machine", W_NONE)
{
	dma_addr_t d;

	EXPECT(!dma_alloc_attrs(NULL, 64, &d, GFP_KERNEL, 0));
	return 0;
}

SWEEP(dma_free_attrs, "NULL, dead device, twice, other device", W_MACHINE)
{
	dma_addr_t d;
	void *p = dma_alloc_attrs(e->dev, 64, &d, GFP_KERNEL, 0);

	EXPECT(p);
	dma_free_attrs(NULL, 64, p, d, 0);
	dma_free_attrs(sweep_dead_device(e), 64, p, d, 0);
	dma_free_attrs(e->odev, 64, p, d, 0);
	dma_free_attrs(e->dev, 64, NULL, d, 0);
	dma_free_attrs(e->dev, 64, p, d, 0);
	dma_free_attrs(e->dev, 64, p, d, 0);
	EXPECT_LOG("dma_free_attrs(");
	EXPECT_LOG("memory it has not allocated");
	return 0;
}

SWEEP(dma_alloc_coherent, "dead device and SIZE_MAX", W_MACHINE)
{
	dma_addr_t d;

	EXPECT(!dma_alloc_coherent(sweep_dead_device(e), 64, &d, GFP_KERNEL));
	EXPECT(!dma_alloc_coherent(e->dev, SIZE_MAX, &d, GFP_KERNEL));
	return 0;
}

SWEEP(dma_free_coherent, "a pointer it did not allocate", W_MACHINE)
{
	dma_free_coherent(e->dev, 64, e->buf, 0x1000);
	dma_free_coherent(NULL, 64, e->buf, 0x1000);
	EXPECT_LOG("NULL argument");
	EXPECT_LOG("memory it has not allocated");
	return 0;
}

SWEEP(dma_alloc_wc, "dead device and SIZE_MAX", W_MACHINE)
{
	dma_addr_t d;

	EXPECT(!dma_alloc_wc(sweep_dead_device(e), 64, &d, GFP_KERNEL));
	EXPECT(!dma_alloc_wc(e->dev, SIZE_MAX, &d, GFP_KERNEL));
	return 0;
}

SWEEP(dma_free_wc, "NULL and stray pointers", W_MACHINE)
{
	dma_free_wc(NULL, 64, NULL, 0);
	dma_free_wc(e->dev, 64, e->buf, 0);
	EXPECT_LOG("memory it has not allocated");
	return 0;
}

SWEEP(dmam_alloc_coherent, "NULL, dead device and SIZE_MAX", W_MACHINE)
{
	dma_addr_t d;

	EXPECT(!dmam_alloc_coherent(NULL, 64, &d, GFP_KERNEL));
	EXPECT(!dmam_alloc_coherent(sweep_dead_device(e), 64, &d, GFP_KERNEL));
	EXPECT(!dmam_alloc_coherent(e->dev, SIZE_MAX, &d, GFP_KERNEL));
	return 0;
}

SWEEP(dmam_free_coherent, "NULL, dead device and stray pointer", W_MACHINE)
{
	dmam_free_coherent(NULL, 64, e->buf, 0);
	dmam_free_coherent(sweep_dead_device(e), 64, e->buf, 0);
	dmam_free_coherent(e->dev, 64, e->buf, 0);
	return 0;
}

SWEEP(dma_mmap_attrs, "NULL vma, dead device, window past the buffer", W_MACHINE)
{
	struct vm_area_struct vma = { .vm_end = SIZE_MAX & ~0xfffUL };
	dma_addr_t d;
	void *p = dma_alloc_coherent(e->dev, 4096, &d, GFP_KERNEL);

	EXPECT(p);
	EXPECT(dma_mmap_attrs(e->dev, NULL, p, d, 4096, 0) == -EINVAL);
	EXPECT(dma_mmap_attrs(sweep_dead_device(e), &vma, p, d, 4096, 0) ==
	       -EINVAL);
	EXPECT(dma_mmap_attrs(e->dev, &vma, p, d, 4096, 0) == -ENXIO);
	vma.vm_end = 4096;
	vma.vm_pgoff = ~0UL;
	EXPECT(dma_mmap_attrs(e->dev, &vma, p, d, 4096, 0) == -ENXIO);
	vma.vm_pgoff = 0;
	EXPECT(dma_mmap_attrs(e->dev, &vma, p, d, SIZE_MAX, 0) < 0);
	return 0;
}

SWEEP(dma_mmap_coherent, "not an allocation", W_MACHINE)
{
	struct vm_area_struct vma = { .vm_end = 4096 };

	EXPECT(dma_mmap_coherent(e->dev, &vma, e->buf, 0, 4096) == -EINVAL);
	EXPECT(dma_mmap_coherent(NULL, &vma, e->buf, 0, 4096) == -EINVAL);
	return 0;
}

SWEEP(dma_mmap_wc, "not an allocation", W_MACHINE)
{
	struct vm_area_struct vma = { .vm_end = 4096 };

	EXPECT(dma_mmap_wc(e->dev, &vma, e->buf, 0, 4096) == -EINVAL);
	return 0;
}

SWEEP(dk_munmap, "NULL, unmapped and twice", W_MACHINE)
{
	struct vm_area_struct vma = { .vm_start = 0x1000, .vm_end = 0x2000 };

	EXPECT(dk_munmap(NULL) == -EINVAL);
	EXPECT(dk_munmap(&vma) == -EINVAL);
	return 0;
}

SWEEP(dk_munmap, "before any machine", W_NONE)
{
	struct vm_area_struct vma = { .vm_start = 0x1000, .vm_end = 0x2000 };

	EXPECT(dk_munmap(&vma) == -EINVAL);
	return 0;
}

SWEEP(dk_dma_mmap_fd, "NULL outputs, stray pointer, dead device", W_MACHINE)
{
	int fd;
	u64 off;

	EXPECT(dk_dma_mmap_fd(e->dev, e->buf, 0, 0, NULL, &off) == -EINVAL);
	EXPECT(dk_dma_mmap_fd(e->dev, e->buf, 0, 0, &fd, &off) == -EINVAL);
	EXPECT(dk_dma_mmap_fd(sweep_dead_device(e), e->buf, 0, 0, &fd, &off) ==
	       -EINVAL);
	return 0;
}

SWEEP(dma_get_sgtable_attrs, "NULL table, stray pointer, SIZE_MAX", W_MACHINE)
{
	struct sg_table sgt;
	dma_addr_t d;
	void *p = dma_alloc_coherent(e->dev, 4096, &d, GFP_KERNEL);

	EXPECT(dma_get_sgtable_attrs(e->dev, NULL, p, d, 4096, 0) == -EINVAL);
	EXPECT(dma_get_sgtable_attrs(e->dev, &sgt, e->buf, d, 4096, 0) == -ENXIO);
	EXPECT(dma_get_sgtable_attrs(e->dev, &sgt, p, d, SIZE_MAX, 0) == -ENXIO);
	EXPECT(dma_get_sgtable_attrs(sweep_dead_device(e), &sgt, p, d, 4096, 0) ==
	       -EINVAL);
	return 0;
}

SWEEP(dma_get_sgtable, "NULL device", W_NONE)
{
	struct sg_table sgt;

	EXPECT(dma_get_sgtable(NULL, &sgt, NULL, 0, 4096) == -EINVAL);
	return 0;
}

SWEEP(dma_declare_coherent_memory, "not RAM, overflowing, dead device", W_MACHINE)
{
	EXPECT(dma_declare_coherent_memory(NULL, 0x80000000, 0, 4096) == -EINVAL);
	EXPECT(dma_declare_coherent_memory(e->dev, 0x1000, 0x1000, 4096) == -EINVAL);
	EXPECT(dma_declare_coherent_memory(e->dev, ~0xfffULL, 0, SIZE_MAX) ==
	       -EINVAL);
	EXPECT(dma_declare_coherent_memory(e->dev, 0x80000000, 0, 0) == -EINVAL);
	EXPECT(dma_declare_coherent_memory(sweep_dead_device(e), 0x80000000, 0,
					   4096) == -EINVAL);
	return 0;
}

SWEEP(dma_release_coherent_memory, "NULL, dead and none declared", W_MACHINE)
{
	dma_release_coherent_memory(NULL);
	dma_release_coherent_memory(sweep_dead_device(e));
	dma_release_coherent_memory(e->dev);
	return 0;
}

SWEEP(dk_dma_declare_exclusive, "NULL, dead and none declared", W_MACHINE)
{
	dk_dma_declare_exclusive(NULL, true);
	dk_dma_declare_exclusive(sweep_dead_device(e), true);
	dk_dma_declare_exclusive(e->dev, true);
	return 0;
}

/* ---- non-coherent allocations */

SWEEP(dma_alloc_noncoherent, "NULL, dead device, SIZE_MAX, bad direction", W_MACHINE)
{
	dma_addr_t d;

	EXPECT(!dma_alloc_noncoherent(NULL, 64, &d, TO, GFP_KERNEL));
	EXPECT(!dma_alloc_noncoherent(sweep_dead_device(e), 64, &d, TO, GFP_KERNEL));
	EXPECT(!dma_alloc_noncoherent(e->dev, SIZE_MAX, &d, TO, GFP_KERNEL));
	EXPECT(!dma_alloc_noncoherent(e->dev, 64, &d, BAD_DIR, GFP_KERNEL));
	EXPECT(!dma_alloc_noncoherent(e->dev, 64, NULL, TO, GFP_KERNEL));
	return 0;
}

SWEEP(dma_free_noncoherent, "stray pointer, twice", W_MACHINE)
{
	dma_addr_t d;
	void *p = dma_alloc_noncoherent(e->dev, 64, &d, TO, GFP_KERNEL);

	dma_free_noncoherent(e->dev, 64, e->buf, d, TO);
	dma_free_noncoherent(NULL, 64, p, d, TO);
	dma_free_noncoherent(e->dev, 64, p, d, TO);
	dma_free_noncoherent(e->dev, 64, p, d, TO);
	return 0;
}

SWEEP(dma_alloc_pages, "NULL, dead device, SIZE_MAX", W_MACHINE)
{
	dma_addr_t d;

	EXPECT(!dma_alloc_pages(NULL, 64, &d, TO, GFP_KERNEL));
	EXPECT(!dma_alloc_pages(sweep_dead_device(e), 64, &d, TO, GFP_KERNEL));
	EXPECT(!dma_alloc_pages(e->dev, SIZE_MAX, &d, TO, GFP_KERNEL));
	EXPECT(!dma_alloc_pages(e->dev, 64, NULL, TO, GFP_KERNEL));
	return 0;
}

SWEEP(dma_free_pages, "NULL page, stray page pointer, twice", W_MACHINE)
{
	dma_addr_t d;
	struct page *pg = dma_alloc_pages(e->dev, 4096, &d, TO, GFP_KERNEL);

	dma_free_pages(e->dev, 4096, NULL, d, TO);
	dma_free_pages(e->dev, 4096, (struct page *)e->buf, d, TO);
	dma_free_pages(NULL, 4096, pg, d, TO);
	dma_free_pages(e->dev, 4096, pg, d, TO);
	dma_free_pages(e->dev, 4096, pg, d, TO);
	return 0;
}

SWEEP(dma_mmap_pages, "NULL vma, stray page, SIZE_MAX", W_MACHINE)
{
	struct vm_area_struct vma = { .vm_end = 4096 };
	dma_addr_t d;
	struct page *pg = dma_alloc_pages(e->dev, 4096, &d, TO, GFP_KERNEL);

	EXPECT(dma_mmap_pages(e->dev, NULL, 4096, pg) == -EINVAL);
	EXPECT(dma_mmap_pages(e->dev, &vma, 4096, NULL) == -EINVAL);
	EXPECT(dma_mmap_pages(e->dev, &vma, 4096, (struct page *)e->buf) < 0);
	EXPECT(dma_mmap_pages(e->dev, &vma, SIZE_MAX, pg) < 0);
	EXPECT(dma_mmap_pages(sweep_dead_device(e), &vma, 4096, pg) == -EINVAL);
	return 0;
}

SWEEP(dma_alloc_noncontiguous, "NULL, dead device, SIZE_MAX", W_MACHINE)
{
	EXPECT(!dma_alloc_noncontiguous(NULL, 8192, TO, GFP_KERNEL, 0));
	EXPECT(!dma_alloc_noncontiguous(sweep_dead_device(e), 8192, TO, GFP_KERNEL, 0));
	EXPECT(!dma_alloc_noncontiguous(e->dev, SIZE_MAX, TO, GFP_KERNEL, 0));
	EXPECT(!dma_alloc_noncontiguous(e->dev, 0, TO, GFP_KERNEL, 0));
	return 0;
}

SWEEP(dma_free_noncontiguous, "NULL and a table it did not allocate", W_MACHINE)
{
	struct sg_table sgt = { 0 };

	dma_free_noncontiguous(e->dev, 8192, NULL, TO);
	dma_free_noncontiguous(NULL, 8192, &sgt, TO);
	dma_free_noncontiguous(e->dev, 8192, &sgt, TO);
	EXPECT_LOG("not a table from dma_alloc_noncontiguous()");
	return 0;
}

SWEEP(dma_vmap_noncontiguous, "NULL and an empty table", W_MACHINE)
{
	struct sg_table sgt = { 0 };

	EXPECT(!dma_vmap_noncontiguous(e->dev, 8192, NULL));
	EXPECT(!dma_vmap_noncontiguous(e->dev, 8192, &sgt));
	EXPECT(!dma_vmap_noncontiguous(NULL, 8192, &sgt));
	return 0;
}

SWEEP(dma_vunmap_noncontiguous, "NULL and stray address", W_MACHINE)
{
	dma_vunmap_noncontiguous(e->dev, NULL);
	dma_vunmap_noncontiguous(e->dev, e->buf);
	dma_vunmap_noncontiguous(NULL, e->buf);
	return 0;
}

SWEEP(dma_mmap_noncontiguous, "NULL vma and empty table", W_MACHINE)
{
	struct vm_area_struct vma = { .vm_end = 4096 };
	struct sg_table sgt = { 0 };

	EXPECT(dma_mmap_noncontiguous(e->dev, NULL, 4096, &sgt) < 0);
	EXPECT(dma_mmap_noncontiguous(e->dev, &vma, 4096, NULL) < 0);
	EXPECT(dma_mmap_noncontiguous(e->dev, &vma, 4096, &sgt) < 0);
	return 0;
}

/* ---- streaming mappings */

SWEEP(dma_map_single, "NULL and dead device", W_MACHINE)
{
	EXPECT(dma_map_single(NULL, e->buf, 64, TO) == ERRADDR);
	EXPECT(dma_map_single(sweep_dead_device(e), e->buf, 64, TO) == ERRADDR);
	EXPECT_ERR("not live");
	return 0;
}

SWEEP(dma_map_single, "NULL pointer, size 0, SIZE_MAX, bad direction", W_MACHINE)
{
	EXPECT(dma_map_single(e->dev, NULL, 64, TO) == ERRADDR);
	EXPECT(dma_map_single(e->dev, e->buf, 0, TO) == ERRADDR);
	EXPECT(dma_map_single(e->dev, e->buf, SIZE_MAX, TO) == ERRADDR);
	EXPECT(dma_map_single(e->dev, e->buf, 64, BAD_DIR) == ERRADDR);
	EXPECT(dma_map_single(e->dev, e->buf, 64, DMA_NONE) == ERRADDR);
	return 0;
}

SWEEP(dma_map_single, "memory of another machine", W_MACHINE)
{
	EXPECT(dma_map_single(e->dev, e->obuf, 64, TO) == ERRADDR);
	EXPECT_ERR("not linear-map RAM");
	return 0;
}

SWEEP(dma_map_single, "device without a DMA mask", W_MACHINE)
{
	e->dev->dma_mask = NULL;
	EXPECT(dma_map_single(e->dev, e->buf, 64, TO) == ERRADDR);
	EXPECT_ERR("device has no DMA mask");
	return 0;
}

SWEEP(dma_map_single, "a freed kmalloc object", W_MACHINE)
{
	void *p = kmalloc(64, GFP_KERNEL);
	dma_addr_t d;

	kfree(p);
	d = dma_map_single(e->dev, p, 64, TO);
	EXPECT_FINDING(DK_CHK_MAP_FREED);
	dma_unmap_single(e->dev, d, 64, TO);
	return 0;
}

SWEEP(dma_unmap_single, "NULL, dead device, never mapped, twice", W_MACHINE)
{
	dma_addr_t d = dma_map_single(e->dev, e->buf, 64, TO);

	dma_unmap_single(NULL, d, 64, TO);
	dma_unmap_single(sweep_dead_device(e), d, 64, TO);
	dma_unmap_single(e->dev, 0x1234, 64, TO);
	dma_unmap_single(e->dev, ERRADDR, SIZE_MAX, TO);
	dma_unmap_single(e->dev, d, 64, TO);
	dma_unmap_single(e->dev, d, 64, TO);
	EXPECT(dk_dma_debug_count(DK_CHK_FREE_NOT_ALLOCATED) >= 2);
	return 0;
}

SWEEP(dma_map_single_attrs, "SIZE_MAX and unknown attributes", W_MACHINE)
{
	EXPECT(dma_map_single_attrs(e->dev, e->buf, SIZE_MAX, TO, ~0UL) == ERRADDR);
	EXPECT(dma_map_single_attrs(NULL, e->buf, 64, TO, 0) == ERRADDR);
	return 0;
}

SWEEP(dma_unmap_single_attrs, "NULL device", W_NONE)
{
	dma_unmap_single_attrs(NULL, 0, 64, TO, 0);
	EXPECT_ERR("NULL device");
	return 0;
}

SWEEP(dma_map_page, "NULL and stray page, offset past it, SIZE_MAX", W_MACHINE)
{
	struct page *pg = alloc_page(GFP_KERNEL);

	EXPECT(dma_map_page(e->dev, NULL, 0, 64, TO) == ERRADDR);
	EXPECT(dma_map_page(e->dev, (struct page *)e->buf, 0, 64, TO) == ERRADDR);
	EXPECT(dma_map_page(e->dev, pg, SIZE_MAX, 64, TO) == ERRADDR);
	EXPECT(dma_map_page(e->dev, pg, 0, SIZE_MAX, TO) == ERRADDR);
	EXPECT(dma_map_page(e->dev, pg, 4095, SIZE_MAX, TO) == ERRADDR);
	EXPECT(dma_map_page(sweep_dead_device(e), pg, 0, 64, TO) == ERRADDR);
	return 0;
}

SWEEP(dma_map_page, "a page of another machine", W_MACHINE)
{
	struct page *pg;

	dk_machine_set_current(e->om);
	pg = alloc_page(GFP_KERNEL);
	dk_machine_set_current(e->m);
	EXPECT(pg);
	EXPECT(dma_map_page(e->dev, pg, 0, 64, TO) == ERRADDR);
	return 0;
}

SWEEP(dma_unmap_page, "NULL device and never mapped", W_MACHINE)
{
	dma_unmap_page(NULL, 0x1000, 64, TO);
	dma_unmap_page(e->dev, 0x1000, 64, TO);
	return 0;
}

SWEEP(dma_map_page_attrs, "NULL device", W_NONE)
{
	EXPECT(dma_map_page_attrs(NULL, NULL, 0, 64, TO, 0) == ERRADDR);
	return 0;
}

SWEEP(dma_unmap_page_attrs, "dead device", W_MACHINE)
{
	dma_unmap_page_attrs(sweep_dead_device(e), 0x1000, 64, TO, 0);
	EXPECT_ERR("not live");
	return 0;
}

SWEEP(dma_map_resource, "NULL, dead device, size 0, overflowing", W_MACHINE)
{
	EXPECT(dma_map_resource(NULL, 0x10000000, 64, TO, 0) == ERRADDR);
	EXPECT(dma_map_resource(sweep_dead_device(e), 0x10000000, 64, TO, 0) ==
	       ERRADDR);
	EXPECT(dma_map_resource(e->dev, 0x10000000, 0, TO, 0) == ERRADDR);
	EXPECT(dma_map_resource(e->dev, ~0ULL, SIZE_MAX, TO, 0) == ERRADDR);
	return 0;
}

SWEEP(dma_unmap_resource, "NULL, dead device and never mapped", W_MACHINE)
{
	dma_unmap_resource(NULL, 0x1000, 64, TO, 0);
	dma_unmap_resource(sweep_dead_device(e), 0x1000, 64, TO, 0);
	dma_unmap_resource(e->dev, 0x1000, 64, TO, 0);
	return 0;
}

SWEEP(dma_mapping_error, "NULL and dead device", W_MACHINE)
{
	EXPECT(dma_mapping_error(NULL, ERRADDR) == -ENOMEM);
	EXPECT(dma_mapping_error(sweep_dead_device(e), ERRADDR) == -ENOMEM);
	EXPECT(dma_mapping_error(NULL, 0x1000) == 0);
	return 0;
}

/* ---- scatter-gather */

static void two_entries(struct sweep_env *e, struct scatterlist sg[2])
{
	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], e->buf, 64);
	sg_set_buf(&sg[1], (u8 *)e->buf + 128, 64);
}

SWEEP(dma_map_sg, "NULL list, count 0, count past the list", W_MACHINE)
{
	struct scatterlist sg[2];

	two_entries(e, sg);
	EXPECT(dma_map_sg(e->dev, NULL, 1, TO) == 0);
	EXPECT(dma_map_sg(e->dev, sg, 0, TO) == 0);
	EXPECT(dma_map_sg(e->dev, sg, -1, TO) == 0);
	EXPECT(dma_map_sg(e->dev, sg, 3, TO) == 0);
	EXPECT_ERR("3 entries asked, the list has 2");
	EXPECT(dma_map_sg(e->dev, sg, INT32_MAX, TO) == 0);
	return 0;
}

SWEEP(dma_map_sg, "NULL and dead device, entry without a page", W_MACHINE)
{
	struct scatterlist sg[2];

	two_entries(e, sg);
	EXPECT(dma_map_sg(NULL, sg, 2, TO) == 0);
	EXPECT(dma_map_sg(sweep_dead_device(e), sg, 2, TO) == 0);
	sg_init_table(sg, 2);
	EXPECT(dma_map_sg(e->dev, sg, 2, TO) == 0);
	return 0;
}

SWEEP(dma_unmap_sg, "NULL list, count past the list, dead device", W_MACHINE)
{
	struct scatterlist sg[2];

	two_entries(e, sg);
	EXPECT(dma_map_sg(e->dev, sg, 2, TO) == 2);
	dma_unmap_sg(e->dev, NULL, 2, TO);
	dma_unmap_sg(e->dev, sg, 5, TO);
	dma_unmap_sg(sweep_dead_device(e), sg, 2, TO);
	dma_unmap_sg(e->dev, sg, 2, TO);
	return 0;
}

SWEEP(dma_map_sg_attrs, "NULL device", W_NONE)
{
	struct scatterlist sg;

	sg_init_table(&sg, 1);
	EXPECT(dma_map_sg_attrs(NULL, &sg, 1, TO, 0) == 0);
	return 0;
}

SWEEP(dma_unmap_sg_attrs, "NULL device and list", W_NONE)
{
	dma_unmap_sg_attrs(NULL, NULL, 1, TO, 0);
	EXPECT_ERR("empty list");
	return 0;
}

SWEEP(dma_map_sgtable, "NULL table, empty table, dead device", W_MACHINE)
{
	struct sg_table sgt = { 0 };
	struct scatterlist sg[2];

	EXPECT(dma_map_sgtable(e->dev, NULL, TO, 0) == -EINVAL);
	EXPECT(dma_map_sgtable(e->dev, &sgt, TO, 0) == -EINVAL);
	two_entries(e, sg);
	sgt.sgl = sg;
	sgt.orig_nents = 9;
	EXPECT(dma_map_sgtable(e->dev, &sgt, TO, 0) == -EINVAL);
	sgt.orig_nents = 2;
	EXPECT(dma_map_sgtable(sweep_dead_device(e), &sgt, TO, 0) == -EINVAL);
	return 0;
}

SWEEP(dma_unmap_sgtable, "NULL table and overlong count", W_MACHINE)
{
	struct sg_table sgt = { 0 };
	struct scatterlist sg[2];

	dma_unmap_sgtable(e->dev, NULL, TO, 0);
	two_entries(e, sg);
	sgt.sgl = sg;
	sgt.orig_nents = 9;
	dma_unmap_sgtable(e->dev, &sgt, TO, 0);
	return 0;
}

/* ---- syncs */

SWEEP(dma_sync_single_for_cpu, "NULL, dead device, SIZE_MAX, never mapped", W_MACHINE)
{
	dma_sync_single_for_cpu(NULL, 0x1000, 64, TO);
	dma_sync_single_for_cpu(sweep_dead_device(e), 0x1000, 64, TO);
	dma_sync_single_for_cpu(e->dev, 0x1000, SIZE_MAX, TO);
	dma_sync_single_for_cpu(e->dev, ~0ULL, 64, TO);
	return 0;
}

SWEEP(dma_sync_single_for_device, "NULL, dead device, overflowing", W_MACHINE)
{
	dma_sync_single_for_device(NULL, 0x1000, 64, TO);
	dma_sync_single_for_device(sweep_dead_device(e), 0x1000, 64, TO);
	dma_sync_single_for_device(e->dev, ~0ULL - 8, 64, TO);
	return 0;
}

SWEEP(dma_sync_single_range_for_cpu, "offset that wraps", W_MACHINE)
{
	dma_addr_t d = dma_map_single(e->dev, e->buf, 64, DMA_FROM_DEVICE);

	dma_sync_single_range_for_cpu(e->dev, d, ~0UL, 64, DMA_FROM_DEVICE);
	dma_sync_single_range_for_cpu(NULL, d, 0, 64, DMA_FROM_DEVICE);
	dma_unmap_single(e->dev, d, 64, DMA_FROM_DEVICE);
	return 0;
}

SWEEP(dma_sync_single_range_for_device, "offset past the mapping", W_MACHINE)
{
	dma_addr_t d = dma_map_single(e->dev, e->buf, 64, TO);

	dma_sync_single_range_for_device(e->dev, d, 1 << 20, 64, TO);
	dma_sync_single_range_for_device(NULL, d, 0, 64, TO);
	dma_unmap_single(e->dev, d, 64, TO);
	return 0;
}

SWEEP(dma_sync_sg_for_cpu, "NULL list and count past it", W_MACHINE)
{
	struct scatterlist sg[2];

	two_entries(e, sg);
	dma_sync_sg_for_cpu(e->dev, NULL, 1, TO);
	EXPECT_ERR("empty list");
	dma_sync_sg_for_cpu(e->dev, sg, 3, TO);
	EXPECT_ERR("3 entries asked, the list has 2");
	dma_sync_sg_for_cpu(NULL, sg, 2, TO);
	return 0;
}

SWEEP(dma_sync_sg_for_device, "NULL list and count past it", W_MACHINE)
{
	struct scatterlist sg[2];

	two_entries(e, sg);
	dma_sync_sg_for_device(e->dev, NULL, 1, TO);
	EXPECT_ERR("empty list");
	dma_sync_sg_for_device(e->dev, sg, INT32_MAX, TO);
	EXPECT_ERR("entries asked, the list has 2");
	return 0;
}

SWEEP(dma_sync_sgtable_for_cpu, "NULL table", W_MACHINE)
{
	dma_sync_sgtable_for_cpu(e->dev, NULL, TO);
	EXPECT_ERR("NULL table");
	return 0;
}

SWEEP(dma_sync_sgtable_for_device, "NULL table", W_NONE)
{
	dma_sync_sgtable_for_device(NULL, NULL, TO);
	EXPECT_ERR("NULL table");
	return 0;
}

/* ---- helpers */

SWEEP(phys_to_dma, "NULL and dead device, top address", W_MACHINE)
{
	(void)phys_to_dma(NULL, 0x80000000);
	(void)phys_to_dma(sweep_dead_device(e), 0x80000000);
	(void)phys_to_dma(e->dev, ~0ULL);
	return 0;
}

SWEEP(dma_to_phys, "NULL and dead device, top address", W_MACHINE)
{
	(void)dma_to_phys(NULL, 0x80000000);
	(void)dma_to_phys(sweep_dead_device(e), 0x80000000);
	(void)dma_to_phys(e->dev, ~0ULL);
	return 0;
}

SWEEP(dk_swiotlb_stats, "NULL, dead machine", W_MACHINE)
{
	struct dk_swiotlb_stats st;

	EXPECT(dk_swiotlb_stats(NULL, &st) == -EINVAL);
	EXPECT(dk_swiotlb_stats(e->m, NULL) == -ENODEV);
	EXPECT(dk_swiotlb_stats(sweep_dead_machine(e), &st) == -EINVAL);
	return 0;
}

/* ---- queries and managed allocations */

SWEEP(dma_get_seg_boundary_nr_pages, "NULL, dead device, shift 63", W_MACHINE)
{
	EXPECT(dma_get_seg_boundary_nr_pages(NULL, 12) != 0);
	EXPECT(dma_get_seg_boundary_nr_pages(sweep_dead_device(e), 12) != 0);
	EXPECT(dma_get_seg_boundary_nr_pages(e->dev, 63) != 0);
	return 0;
}

SWEEP(dma_get_min_align_mask, "NULL and dead device", W_MACHINE)
{
	EXPECT(dma_get_min_align_mask(NULL) == 0);
	EXPECT(dma_get_min_align_mask(sweep_dead_device(e)) == 0);
	return 0;
}

SWEEP(dma_get_required_mask, "NULL and dead device", W_MACHINE)
{
	EXPECT(dma_get_required_mask(NULL) == DMA_BIT_MASK(32));
	EXPECT(dma_get_required_mask(sweep_dead_device(e)) == DMA_BIT_MASK(32));
	return 0;
}

SWEEP(dma_coerce_mask_and_coherent, "NULL and dead device, mask 0", W_MACHINE)
{
	EXPECT(dma_coerce_mask_and_coherent(NULL, ~0ULL) == -EINVAL);
	EXPECT(dma_coerce_mask_and_coherent(sweep_dead_device(e), ~0ULL) ==
	       -EINVAL);
	EXPECT(dma_coerce_mask_and_coherent(e->dev, 0) == -EIO);
	return 0;
}

SWEEP(dma_need_sync, "NULL, dead device, never mapped", W_MACHINE)
{
	EXPECT(dma_need_sync(NULL, 0x1000));
	EXPECT(dma_need_sync(sweep_dead_device(e), 0x1000));
	EXPECT(dma_need_sync(e->dev, ~0ULL));
	return 0;
}

SWEEP(dma_get_merge_boundary, "NULL and dead device", W_MACHINE)
{
	EXPECT(dma_get_merge_boundary(NULL) == 0);
	EXPECT(dma_get_merge_boundary(sweep_dead_device(e)) == 0);
	return 0;
}

SWEEP(dmam_alloc_attrs, "NULL, dead device, SIZE_MAX", W_MACHINE)
{
	dma_addr_t d;

	EXPECT(!dmam_alloc_attrs(NULL, 64, &d, GFP_KERNEL, 0));
	EXPECT(!dmam_alloc_attrs(sweep_dead_device(e), 64, &d, GFP_KERNEL, 0));
	EXPECT(!dmam_alloc_attrs(e->dev, SIZE_MAX, &d, GFP_KERNEL, 0));
	return 0;
}

SWEEP(dma_can_mmap, "NULL and dead device", W_MACHINE)
{
	EXPECT(!dma_can_mmap(NULL));
	EXPECT(!dma_can_mmap(sweep_dead_device(e)));
	return 0;
}

struct unmap_state {
	DEFINE_DMA_UNMAP_ADDR(addr);
	DEFINE_DMA_UNMAP_LEN(len);
};

SWEEP(dma_unmap_addr, "a state never set", W_NONE)
{
	struct unmap_state st = { 0, 0 };

	EXPECT(dma_unmap_addr(&st, addr) == 0);
	return 0;
}

SWEEP(dma_unmap_addr_set, "the error address", W_NONE)
{
	struct unmap_state st;

	dma_unmap_addr_set(&st, addr, DMA_MAPPING_ERROR);
	EXPECT(st.addr == DMA_MAPPING_ERROR);
	return 0;
}

SWEEP(dma_unmap_len, "a state never set", W_NONE)
{
	struct unmap_state st = { 0, 0 };

	EXPECT(dma_unmap_len(&st, len) == 0);
	return 0;
}

SWEEP(dma_unmap_len_set, "UINT32_MAX", W_NONE)
{
	struct unmap_state st;

	dma_unmap_len_set(&st, len, UINT32_MAX);
	EXPECT(st.len == UINT32_MAX);
	return 0;
}
