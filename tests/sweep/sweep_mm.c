// SPDX-License-Identifier: MIT
/* Sweep cases: pages, kmalloc, vmalloc, scatterlists, errors. */
#include <errno.h>
#include <limits.h>

#include <dmakit/err.h>
#include <dmakit/gfp.h>
#include <dmakit/scatterlist.h>
#include <dmakit/slab.h>
#include <dmakit/vmalloc.h>

#include "sweep.h"

static u8 not_ram[8192] __attribute__((aligned(4096)));

/* ---- pages */

SWEEP(alloc_pages, "before any machine", W_NONE)
{
	EXPECT(!alloc_pages(GFP_KERNEL, 0));
	EXPECT_ERR("no machine booted");
	return 0;
}

SWEEP(alloc_pages, "order past MAX_ORDER and UINT_MAX", W_MACHINE)
{
	EXPECT(!alloc_pages(GFP_KERNEL, 64));
	EXPECT(!alloc_pages(GFP_KERNEL, UINT_MAX));
	EXPECT_ERR("MAX_ORDER");
	return 0;
}

SWEEP(alloc_page, "before any machine", W_NONE)
{
	EXPECT(!alloc_page(GFP_KERNEL));
	return 0;
}

SWEEP(__free_pages, "NULL, stray pointer, wrong order, twice, other machine", W_MACHINE)
{
	struct page *pg = alloc_pages(GFP_KERNEL, 1);

	__free_pages(NULL, 0);
	__free_pages((struct page *)not_ram, 0);
	__free_pages(pg, 3);
	__free_pages(pg, 1);
	__free_pages(pg, 1);
	EXPECT_LOG("not a live block of that order");
	dk_machine_set_current(e->om);
	pg = alloc_page(GFP_KERNEL);
	dk_machine_set_current(e->m);
	__free_pages(pg, 0);
	return 0;
}

SWEEP(__free_pages, "before any machine", W_NONE)
{
	__free_pages((struct page *)not_ram, 0);
	return 0;
}

SWEEP(__free_page, "stray pointer", W_MACHINE)
{
	__free_page((struct page *)not_ram);
	EXPECT_LOG("not a live block");
	return 0;
}

SWEEP(__get_free_pages, "order UINT_MAX, before any machine", W_NONE)
{
	EXPECT(__get_free_pages(GFP_KERNEL, UINT_MAX) == 0);
	return 0;
}

SWEEP(free_pages, "an address that is no page", W_MACHINE)
{
	free_pages((unsigned long)not_ram, 0);
	EXPECT_LOG("not the address of a page of the machine");
	free_pages((unsigned long)e->buf + 8, 0);
	free_pages(~0UL, 0);
	return 0;
}

SWEEP(free_pages, "before any machine", W_NONE)
{
	free_pages((unsigned long)not_ram, 0);
	EXPECT_ERR("not the address of a page");
	return 0;
}

SWEEP(get_order, "0 and ULONG_MAX", W_NONE)
{
	EXPECT(get_order(0) >= 0);
	EXPECT(get_order(ULONG_MAX) >= 0);
	return 0;
}

SWEEP(page_address, "NULL and stray pointer", W_MACHINE)
{
	EXPECT(!page_address(NULL));
	EXPECT(!page_address((struct page *)not_ram));
	return 0;
}

SWEEP(page_address, "before any machine", W_NONE)
{
	EXPECT(!page_address((struct page *)not_ram));
	return 0;
}

SWEEP(page_to_phys, "NULL and stray pointer", W_MACHINE)
{
	EXPECT(page_to_phys(NULL) == 0);
	EXPECT(page_to_phys((struct page *)not_ram) == 0);
	return 0;
}

SWEEP(page_to_pfn, "stray pointer, before any machine", W_NONE)
{
	EXPECT(page_to_pfn((struct page *)not_ram) == 0);
	return 0;
}

SWEEP(pfn_to_page, "ULONG_MAX and 0", W_MACHINE)
{
	EXPECT(!pfn_to_page(ULONG_MAX));
	EXPECT(!pfn_to_page(0));
	return 0;
}

SWEEP(phys_to_page, "top address, before any machine", W_NONE)
{
	EXPECT(!phys_to_page(~0ULL));
	return 0;
}

SWEEP(virt_to_page, "NULL, malloc memory, another machine's", W_MACHINE)
{
	EXPECT(!virt_to_page(NULL));
	EXPECT(!virt_to_page(not_ram));
	EXPECT(!virt_to_page(e->obuf));
	return 0;
}

SWEEP(virt_to_phys, "NULL and malloc memory", W_MACHINE)
{
	EXPECT(virt_to_phys(NULL) == 0);
	EXPECT(virt_to_phys(not_ram) == 0);
	return 0;
}

SWEEP(phys_to_virt, "top address and 0", W_MACHINE)
{
	EXPECT(!phys_to_virt(~0ULL));
	EXPECT(!phys_to_virt(0));
	return 0;
}

SWEEP(virt_addr_valid, "NULL, before any machine", W_NONE)
{
	EXPECT(!virt_addr_valid(NULL));
	EXPECT(!virt_addr_valid(not_ram));
	return 0;
}

/* ---- kmalloc */

SWEEP(kmalloc, "before any machine", W_NONE)
{
	EXPECT(!kmalloc(64, GFP_KERNEL));
	EXPECT_ERR("no machine booted");
	return 0;
}

SWEEP(kmalloc, "0 and SIZE_MAX", W_MACHINE)
{
	EXPECT(!kmalloc(0, GFP_KERNEL));
	EXPECT(!kmalloc(SIZE_MAX, GFP_KERNEL));
	EXPECT(!kmalloc(SIZE_MAX / 2, GFP_KERNEL));
	return 0;
}

SWEEP(kzalloc, "SIZE_MAX", W_MACHINE)
{
	EXPECT(!kzalloc(SIZE_MAX, GFP_KERNEL));
	return 0;
}

SWEEP(kcalloc, "a product that overflows", W_MACHINE)
{
	EXPECT(!kcalloc(SIZE_MAX / 2, 4, GFP_KERNEL));
	EXPECT(!kcalloc(SIZE_MAX, SIZE_MAX, GFP_KERNEL));
	return 0;
}

SWEEP(krealloc, "stray pointer, SIZE_MAX, freed object", W_MACHINE)
{
	void *p = kmalloc(32, GFP_KERNEL);

	EXPECT(!krealloc(not_ram, 64, GFP_KERNEL));
	EXPECT(!krealloc(e->buf, SIZE_MAX, GFP_KERNEL));
	kfree(p);
	EXPECT(!krealloc(p, 64, GFP_KERNEL));
	return 0;
}

SWEEP(kfree, "twice, stray, interior and another machine's pointer", W_MACHINE)
{
	void *p = kmalloc(32, GFP_KERNEL);

	kfree(p);
	kfree(p);
	EXPECT_LOG("not a live kmalloc object");
	kfree(not_ram);
	kfree((u8 *)e->buf + 1);
	kfree(e->obuf);
	return 0;
}

SWEEP(kfree, "a buffer still mapped", W_MACHINE)
{
	dma_addr_t d = dma_map_single(e->dev, e->buf, 64, DMA_TO_DEVICE);

	(void)d;
	kfree(e->buf);
	EXPECT_FINDING(DK_CHK_FREE_MAPPED);
	return 0;
}

SWEEP(kfree, "before any machine", W_NONE)
{
	kfree(not_ram);
	return 0;
}

SWEEP(ksize, "stray and freed pointer", W_MACHINE)
{
	void *p = kmalloc(32, GFP_KERNEL);

	kfree(p);
	EXPECT(ksize(p) == 0);
	EXPECT(ksize(not_ram) == 0);
	EXPECT(ksize(NULL) == 0);
	return 0;
}

SWEEP(dk_kmalloc_minalign, "before any machine", W_NONE)
{
	EXPECT(dk_kmalloc_minalign() == 0);
	return 0;
}

SWEEP(dk_is_kmalloc_addr, "NULL outputs, stray and freed pointer", W_MACHINE)
{
	void *p = kmalloc(32, GFP_KERNEL);

	EXPECT(dk_is_kmalloc_addr(e->buf, NULL, NULL));
	kfree(p);
	EXPECT(!dk_is_kmalloc_addr(p, NULL, NULL));
	EXPECT(!dk_is_kmalloc_addr(not_ram, NULL, NULL));
	EXPECT(!dk_is_kmalloc_addr(NULL, NULL, NULL));
	return 0;
}

/* ---- vmalloc */

SWEEP(vmalloc, "0, ULONG_MAX, before any machine", W_NONE)
{
	EXPECT(!vmalloc(0));
	EXPECT(!vmalloc(ULONG_MAX));
	return 0;
}

SWEEP(vmalloc, "ULONG_MAX", W_MACHINE)
{
	EXPECT(!vmalloc(ULONG_MAX));
	EXPECT(!vmalloc(ULONG_MAX - 4095));
	return 0;
}

SWEEP(vzalloc, "ULONG_MAX", W_MACHINE)
{
	EXPECT(!vzalloc(ULONG_MAX));
	return 0;
}

SWEEP(vfree, "twice, stray and interior pointer", W_MACHINE)
{
	u8 *p = vmalloc(8192);

	vfree(p + 4096);
	vfree(p);
	vfree(p);
	vfree(not_ram);
	EXPECT_LOG("not a vmalloc area");
	return 0;
}

SWEEP(is_vmalloc_addr, "NULL and freed area", W_MACHINE)
{
	void *p = vmalloc(4096);

	vfree(p);
	EXPECT(!is_vmalloc_addr(p));
	EXPECT(!is_vmalloc_addr(NULL));
	return 0;
}

SWEEP(vmalloc_to_page, "NULL, stray and freed area", W_MACHINE)
{
	void *p = vmalloc(4096);

	vfree(p);
	EXPECT(!vmalloc_to_page(p));
	EXPECT(!vmalloc_to_page(not_ram));
	EXPECT(!vmalloc_to_page(NULL));
	return 0;
}

SWEEP(vmap, "NULL array, count 0 and UINT_MAX, stray pages", W_MACHINE)
{
	struct page *pages[2] = { (struct page *)not_ram, NULL };

	EXPECT(!vmap(NULL, 1, 0, 0));
	EXPECT(!vmap(pages, 0, 0, 0));
	EXPECT(!vmap(pages, 2, 0, 0));
	EXPECT(!vmap(pages, 1, 0, 0));
	return 0;
}

SWEEP(vunmap, "NULL, stray and twice", W_MACHINE)
{
	struct page *pg = alloc_page(GFP_KERNEL);
	void *v = vmap(&pg, 1, 0, 0);

	EXPECT(v);
	vunmap(v);
	vunmap(v);
	vunmap(not_ram);
	vunmap(NULL);
	return 0;
}

SWEEP(flush_kernel_vmap_range, "NULL, negative size, stray address", W_MACHINE)
{
	void *p = vmalloc(4096);

	flush_kernel_vmap_range(NULL, 64);
	flush_kernel_vmap_range(p, -1);
	flush_kernel_vmap_range(p, INT_MAX);
	flush_kernel_vmap_range(not_ram, 64);
	return 0;
}

SWEEP(invalidate_kernel_vmap_range, "NULL, negative size, freed area", W_MACHINE)
{
	void *p = vmalloc(4096);

	invalidate_kernel_vmap_range(NULL, 64);
	invalidate_kernel_vmap_range(p, INT_MIN);
	vfree(p);
	invalidate_kernel_vmap_range(p, 64);
	return 0;
}

/* ---- scatterlists */

SWEEP(sg_init_table, "NULL", W_NONE)
{
	sg_init_table(NULL, 4);
	EXPECT_ERR("sg_init_table: NULL scatterlist");
	return 0;
}

SWEEP(sg_init_one, "NULL entry, stray buffer", W_MACHINE)
{
	struct scatterlist sg;

	sg_init_one(NULL, e->buf, 64);
	EXPECT_ERR("NULL scatterlist");
	sg_init_one(&sg, not_ram, 64);
	EXPECT(!sg_page(&sg));
	return 0;
}

SWEEP(sg_set_page, "NULL entry", W_NONE)
{
	sg_set_page(NULL, NULL, 64, 0);
	EXPECT_ERR("sg_set_page: NULL scatterlist");
	return 0;
}

SWEEP(sg_set_buf, "NULL entry and NULL buffer", W_MACHINE)
{
	struct scatterlist sg;

	sg_set_buf(NULL, e->buf, 64);
	EXPECT_ERR("sg_set_buf: NULL scatterlist");
	sg_init_table(&sg, 1);
	sg_set_buf(&sg, NULL, 64);
	EXPECT(!sg_page(&sg));
	return 0;
}

SWEEP(sg_mark_end, "NULL", W_NONE)
{
	sg_mark_end(NULL);
	EXPECT_ERR("sg_mark_end: NULL scatterlist");
	return 0;
}

SWEEP(sg_chain, "NULL and a list of 0 entries", W_NONE)
{
	struct scatterlist a[2], b[2];

	sg_chain(NULL, 2, b);
	sg_chain(a, 2, NULL);
	sg_chain(a, 0, b);
	EXPECT_ERR("0 entries");
	return 0;
}

SWEEP(sg_next, "NULL", W_NONE)
{
	EXPECT(!sg_next(NULL));
	return 0;
}

SWEEP(sg_nents, "NULL", W_NONE)
{
	EXPECT(sg_nents(NULL) == 0);
	return 0;
}

SWEEP(sg_virt, "NULL and an entry without a page", W_MACHINE)
{
	struct scatterlist sg;

	EXPECT(!sg_virt(NULL));
	sg_init_table(&sg, 1);
	EXPECT(!sg_virt(&sg));
	EXPECT_ERR("no page of the machine");
	return 0;
}

SWEEP(sg_phys, "NULL", W_NONE)
{
	EXPECT(sg_phys(NULL) == 0);
	return 0;
}

SWEEP(sg_is_chain, "NULL", W_NONE)
{
	EXPECT(!sg_is_chain(NULL));
	return 0;
}

SWEEP(sg_is_last, "NULL", W_NONE)
{
	EXPECT(!sg_is_last(NULL));
	return 0;
}

SWEEP(sg_page, "NULL", W_NONE)
{
	EXPECT(!sg_page(NULL));
	return 0;
}

SWEEP(sg_alloc_table, "NULL table, 0 and UINT_MAX entries", W_NONE)
{
	struct sg_table t;

	EXPECT(sg_alloc_table(NULL, 4, GFP_KERNEL) == -EINVAL);
	EXPECT(sg_alloc_table(&t, 0, GFP_KERNEL) == -EINVAL);
	EXPECT(sg_alloc_table(&t, UINT_MAX, GFP_KERNEL) == -ENOMEM);
	return 0;
}

SWEEP(sg_free_table, "NULL and empty table, twice", W_NONE)
{
	struct sg_table t = { 0 };

	sg_free_table(NULL);
	sg_free_table(&t);
	EXPECT(sg_alloc_table(&t, 300, GFP_KERNEL) == 0);
	sg_free_table(&t);
	sg_free_table(&t);
	return 0;
}

SWEEP(sg_alloc_table_from_pages_segment, "NULL, zero, overflowing size", W_MACHINE)
{
	struct page *pg = alloc_page(GFP_KERNEL);
	struct sg_table t;

	EXPECT(sg_alloc_table_from_pages_segment(NULL, &pg, 1, 0, 64, 0,
						 GFP_KERNEL) == -EINVAL);
	EXPECT(sg_alloc_table_from_pages_segment(&t, NULL, 1, 0, 64, 0,
						 GFP_KERNEL) == -EINVAL);
	EXPECT(sg_alloc_table_from_pages_segment(&t, &pg, 0, 0, 64, 0,
						 GFP_KERNEL) == -EINVAL);
	EXPECT(sg_alloc_table_from_pages_segment(&t, &pg, 1, 0, ULONG_MAX, 0,
						 GFP_KERNEL) == -EINVAL);
	EXPECT(sg_alloc_table_from_pages_segment(&t, &pg, 1, UINT_MAX, 64, 0,
						 GFP_KERNEL) == -EINVAL);
	EXPECT(sg_alloc_table_from_pages_segment(&t, &pg, UINT_MAX, 0, 64,
						 4096, GFP_KERNEL) == 0);
	sg_free_table(&t);
	return 0;
}

SWEEP(sg_alloc_table_from_pages, "NULL pages and size 0", W_NONE)
{
	struct sg_table t;

	EXPECT(sg_alloc_table_from_pages(&t, NULL, 1, 0, 64, GFP_KERNEL) ==
	       -EINVAL);
	return 0;
}

SWEEP(sg_copy_from_buffer, "NULL list and buffer, SIZE_MAX", W_MACHINE)
{
	struct scatterlist sg;

	EXPECT(sg_copy_from_buffer(NULL, 1, e->buf, 8) == 0);
	sg_init_one(&sg, e->buf, 64);
	EXPECT(sg_copy_from_buffer(&sg, 1, NULL, 8) == 0);
	EXPECT(sg_copy_from_buffer(&sg, UINT_MAX, e->obuf, 64) == 64);
	return 0;
}

SWEEP(sg_copy_to_buffer, "NULL list, entry without page", W_MACHINE)
{
	struct scatterlist sg;
	u8 out[64];

	EXPECT(sg_copy_to_buffer(NULL, 1, out, 8) == 0);
	sg_init_table(&sg, 1);
	sg.length = 64;
	EXPECT(sg_copy_to_buffer(&sg, 1, out, 64) == 0);
	return 0;
}

SWEEP(for_each_sg, "a count past the list", W_MACHINE)
{
	struct scatterlist sgl[2], *sg;
	int i, n = 0;

	sg_init_table(sgl, 2);
	for_each_sg(sgl, sg, INT_MAX, i)
		n++;
	EXPECT(n == 2);
	for_each_sg(NULL, sg, 3, i)
		n++;
	EXPECT(n == 2);
	return 0;
}

SWEEP(for_each_sgtable_sg, "an empty table", W_NONE)
{
	struct sg_table t = { 0 };
	struct scatterlist *sg;
	unsigned int i, n = 0;

	t.orig_nents = 5;
	for_each_sgtable_sg(&t, sg, i)
		n++;
	EXPECT(n == 0);
	return 0;
}

SWEEP(for_each_sgtable_dma_sg, "nents past the list", W_NONE)
{
	struct scatterlist sgl[1], *sg;
	struct sg_table t = { sgl, 9, 1 };
	unsigned int i, n = 0;

	sg_init_table(sgl, 1);
	for_each_sgtable_dma_sg(&t, sg, i)
		n++;
	EXPECT(n == 1);
	return 0;
}

SWEEP(sg_dma_address, "an entry never mapped", W_NONE)
{
	struct scatterlist sg;

	sg_init_table(&sg, 1);
	EXPECT(sg_dma_address(&sg) == 0);
	return 0;
}

SWEEP(sg_dma_len, "an entry never mapped", W_NONE)
{
	struct scatterlist sg;

	sg_init_table(&sg, 1);
	EXPECT(sg_dma_len(&sg) == 0);
	return 0;
}

/* ---- error pointers and messages */

SWEEP(ERR_PTR, "0 and -MAX_ERRNO", W_NONE)
{
	EXPECT(!IS_ERR(ERR_PTR(0)));
	EXPECT(IS_ERR(ERR_PTR(-MAX_ERRNO)));
	return 0;
}

SWEEP(PTR_ERR, "NULL", W_NONE)
{
	EXPECT(PTR_ERR(NULL) == 0);
	return 0;
}

SWEEP(IS_ERR, "NULL and the last address", W_NONE)
{
	EXPECT(!IS_ERR(NULL));
	EXPECT(IS_ERR((void *)~0UL));
	return 0;
}

SWEEP(IS_ERR_OR_NULL, "NULL", W_NONE)
{
	EXPECT(IS_ERR_OR_NULL(NULL));
	return 0;
}

SWEEP(dk_last_error, "before anything failed", W_NONE)
{
	EXPECT(dk_last_error() != NULL && !dk_last_error()[0]);
	return 0;
}

SWEEP(dk_clear_error, "twice", W_NONE)
{
	dk_clear_error();
	dk_clear_error();
	EXPECT(!dk_last_error()[0]);
	return 0;
}

SWEEP(dk_log_set_output, "NULL is stderr", W_NONE)
{
	dk_log_set_output(NULL);
	EXPECT(dk_log_output() == stderr);
	return 0;
}

SWEEP(dk_log_output, "before any machine", W_NONE)
{
	EXPECT(dk_log_output() != NULL);
	return 0;
}

SWEEP(sg_alloc_append_table_from_pages, "NULL, zero, bad offset, foreign page", W_MACHINE)
{
	struct page *pg = alloc_page(GFP_KERNEL), *bad = (struct page *)8;
	struct sg_append_table t;

	memset(&t, 0, sizeof(t));
	EXPECT(sg_alloc_append_table_from_pages(NULL, &pg, 1, 0, 64, 4096, 0,
						GFP_KERNEL) == -EINVAL);
	EXPECT(sg_alloc_append_table_from_pages(&t, NULL, 1, 0, 64, 4096, 0,
						GFP_KERNEL) == -EINVAL);
	EXPECT(sg_alloc_append_table_from_pages(&t, &pg, 0, 0, 64, 4096, 0,
						GFP_KERNEL) == -EINVAL);
	EXPECT(sg_alloc_append_table_from_pages(&t, &pg, 1, UINT_MAX, 64, 4096,
						0, GFP_KERNEL) == -EINVAL);
	EXPECT(sg_alloc_append_table_from_pages(&t, &pg, 1, 0, ULONG_MAX, 4096,
						0, GFP_KERNEL) == -EINVAL);
	EXPECT(sg_alloc_append_table_from_pages(&t, &pg, 1, 0, 64, 0, 0,
						GFP_KERNEL) == -EINVAL);
	EXPECT(sg_alloc_append_table_from_pages(&t, &bad, 1, 0, 64, 4096, 0,
						GFP_KERNEL) == -EINVAL);
	EXPECT(sg_alloc_append_table_from_pages(&t, &pg, UINT_MAX, 0, 64,
						UINT_MAX, UINT_MAX, GFP_KERNEL) == 0);
	sg_free_append_table(&t);
	__free_page(pg);
	return 0;
}

SWEEP(sg_free_append_table, "NULL and an empty table", W_NONE)
{
	struct sg_append_table t;

	memset(&t, 0, sizeof(t));
	sg_free_append_table(NULL);
	sg_free_append_table(&t);
	EXPECT(!t.sgt.sgl);
	return 0;
}

SWEEP(__sg_page_iter_start, "NULL cursor and list", W_NONE)
{
	struct sg_page_iter pi;

	__sg_page_iter_start(NULL, NULL, 3, 0);
	__sg_page_iter_start(&pi, NULL, 3, ULONG_MAX);
	EXPECT(!__sg_page_iter_next(&pi));
	return 0;
}

SWEEP(__sg_page_iter_next, "NULL, zero entries", W_NONE)
{
	struct scatterlist sg;
	struct sg_page_iter pi;

	EXPECT(!__sg_page_iter_next(NULL));
	sg_init_table(&sg, 1);
	__sg_page_iter_start(&pi, &sg, 0, 0);
	EXPECT(!__sg_page_iter_next(&pi));
	__sg_page_iter_start(&pi, &sg, UINT_MAX, 0);
	EXPECT(!__sg_page_iter_next(&pi));	/* an empty entry */
	return 0;
}

SWEEP(sg_page_iter_page, "NULL and a finished cursor", W_NONE)
{
	struct sg_page_iter pi;

	EXPECT(sg_page_iter_page(NULL) == NULL);
	__sg_page_iter_start(&pi, NULL, 1, 0);
	EXPECT(sg_page_iter_page(&pi) == NULL);
	return 0;
}

SWEEP(for_each_sg_page, "NULL list, huge counts", W_NONE)
{
	struct sg_page_iter pi;
	int n = 0;

	for_each_sg_page(NULL, &pi, UINT_MAX, ULONG_MAX)
		n++;
	EXPECT(n == 0);
	return 0;
}

SWEEP(for_each_sgtable_page, "an empty table", W_NONE)
{
	struct sg_table t = { 0 };
	struct sg_page_iter pi;
	int n = 0;

	t.orig_nents = 4;
	for_each_sgtable_page(&t, &pi, 0)
		n++;
	EXPECT(n == 0);
	return 0;
}

SWEEP(sg_miter_start, "NULL cursor and list", W_NONE)
{
	struct sg_mapping_iter mi;

	sg_miter_start(NULL, NULL, 1, 0);
	sg_miter_start(&mi, NULL, UINT_MAX, ~0u);
	EXPECT(!sg_miter_next(&mi));
	return 0;
}

SWEEP(sg_miter_next, "NULL, a foreign page", W_MACHINE)
{
	struct scatterlist sg;
	struct sg_mapping_iter mi;

	EXPECT(!sg_miter_next(NULL));
	sg_init_table(&sg, 1);
	sg.page_link = 4096 | SG_END;	/* no page of the machine */
	sg.length = 64;
	sg_miter_start(&mi, &sg, 1, SG_MITER_FROM_SG);
	EXPECT(!sg_miter_next(&mi));
	return 0;
}

SWEEP(sg_miter_skip, "NULL, past the end", W_NONE)
{
	struct sg_mapping_iter mi;

	EXPECT(!sg_miter_skip(NULL, 1));
	sg_miter_start(&mi, NULL, 1, 0);
	EXPECT(!sg_miter_skip(&mi, LONG_MAX));
	EXPECT(sg_miter_skip(&mi, -1));
	return 0;
}

SWEEP(sg_miter_stop, "NULL, never started to map", W_NONE)
{
	struct sg_mapping_iter mi;

	sg_miter_stop(NULL);
	sg_miter_start(&mi, NULL, 0, 0);
	sg_miter_stop(&mi);
	EXPECT(!mi.addr);
	return 0;
}
