// SPDX-License-Identifier: MIT
/*
 * The simulated user address space: anonymous memory and copies in and
 * out of it, DMA straight into pinned user pages, a driver's
 * remap_pfn_range() mapping that get_user_pages() refuses, and a
 * fault-handler mapping of memremap()ed reserved memory that it accepts.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/io.h>
#include <dmakit/mm.h>
#include <dmakit/models/spi.h>
#include <dmakit/scatterlist.h>
#include <dmakit/sim_device.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

#define NIC "master@10010000"
#define RSV 0xb0000000ULL	/* RAM nobody allocates in this test */

static void fill(u8 *p, size_t n, int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (u8)(i * 29 + seed);
}

static bool filled(const u8 *p, size_t n, int seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (u8)(i * 29 + seed))
			return false;
	return true;
}

TEST(uaccess_anon_copies_and_dma_into_pinned_pages)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, NIC);
	struct dk_simdev *sd = dk_soc_find_dev(t.soc, NIC);
	u8 *u = dk_user_mmap_anon(2 * PAGE_SIZE), k[300], in[2 * PAGE_SIZE];
	struct page *pages[2];
	struct sg_table sgt;
	struct scatterlist *sg;
	unsigned int i;
	size_t off = 0;

	CHECK(u != NULL);
	CHECK_EQ(u[0], 0);			/* zeroed */
	fill(k, sizeof(k), 1);
	CHECK_EQ(copy_to_user(u + 4000, k, sizeof(k)), 0);
	CHECK(filled(u + 4000, sizeof(k), 1));	/* across the page edge */
	memset(k, 0, sizeof(k));
	CHECK_EQ(copy_from_user(k, u + 4000, sizeof(k)), 0);
	CHECK(filled(k, sizeof(k), 1));
	CHECK_EQ(copy_to_user(u + 2 * PAGE_SIZE - 10, k, 11), 11);
	CHECK_STR(dk_last_error(), "are not user memory");
	CHECK_EQ(copy_from_user(k, k, 1), 1);	/* kernel memory */
	CHECK_EQ(pin_user_pages_fast((unsigned long)u, 2, FOLL_WRITE, pages), 2);
	CHECK(filled((u8 *)page_address(pages[0]) + 4000, 96, 1));
	CHECK_EQ(sg_alloc_table_from_pages(&sgt, pages, 2, 0, 2 * PAGE_SIZE,
					   GFP_KERNEL), 0);
	CHECK_EQ(dma_map_sgtable(dev, &sgt, DMA_FROM_DEVICE, 0), 0);
	fill(in, sizeof(in), 7);
	for_each_sgtable_dma_sg(&sgt, sg, i) {
		CHECK_EQ(dk_dev_dma_write(sd, sg_dma_address(sg), in + off,
					  sg_dma_len(sg)), 0);
		off += sg_dma_len(sg);
	}
	CHECK_EQ(off, sizeof(in));
	dma_unmap_sgtable(dev, &sgt, DMA_FROM_DEVICE, 0);
	sg_free_table(&sgt);
	unpin_user_pages(pages, 2);
	CHECK(filled(u, sizeof(in), 7));	/* the program sees it */
	CHECK_EQ(dk_user_munmap(u), 0);
	CHECK_EQ(dk_user_munmap(u), -EINVAL);
	CHECK_EQ(copy_to_user(u, k, 1), 1);
	testmachine_shutdown(&t);
}

static int remap_mmap(void *priv, struct vm_area_struct *vma)
{
	return vm_iomap_memory(vma, *(phys_addr_t *)priv, 4 * PAGE_SIZE);
}

TEST(uaccess_remap_pfn_range_is_pfnmap_and_gup_refuses_it)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	phys_addr_t pa = RSV;
	struct vm_area_struct bare = { .vm_end = PAGE_SIZE };
	const struct vm_area_struct *vma;
	struct page *pg[1];
	u8 *u, *k = memremap(RSV, 4 * PAGE_SIZE, MEMREMAP_WB), b[8];

	CHECK(k != NULL);
	fill(k + PAGE_SIZE, 64, 3);
	CHECK_EQ(dk_user_mmap(remap_mmap, &pa, 2 * PAGE_SIZE, 1, (void **)&u),
		 0);
	vma = dk_user_vma(u + 100);
	CHECK(vma != NULL);
	CHECK_EQ(vma->vm_flags & (VM_IO | VM_PFNMAP), VM_IO | VM_PFNMAP);
	CHECK_EQ(vma->vm_end - vma->vm_start, 2 * PAGE_SIZE);
	CHECK(filled(u, 64, 3));		/* page offset 1 */
	CHECK_EQ(copy_from_user(b, u + 8, 8), 0);
	CHECK(filled(b, 8, 3 + 8 * 29));
	CHECK_EQ(get_user_pages_fast((unsigned long)u, 1, 0, pg), -EFAULT);
	CHECK_STR(dk_last_error(), "VM_IO | VM_PFNMAP mapping");
	CHECK_EQ(dk_user_munmap(u), 0);
	/* A window past the region; a call outside a handler; MMIO. */
	CHECK_EQ(dk_user_mmap(remap_mmap, &pa, 2 * PAGE_SIZE, 3, (void **)&u),
		 -EINVAL);
	CHECK_STR(dk_last_error(), "does not fit");
	CHECK_EQ(remap_pfn_range(&bare, 0, RSV >> PAGE_SHIFT, PAGE_SIZE, 0),
		 -EINVAL);
	pa = 0x10000000;
	CHECK_EQ(dk_user_mmap(remap_mmap, &pa, PAGE_SIZE, 0, (void **)&u),
		 -EINVAL);
	CHECK_STR(dk_last_error(), "is not RAM");
	CHECK(!memremap(0x10000000, 64, MEMREMAP_WB));
	memunmap(k);
	testmachine_shutdown(&t);
}

static u8 *rsv_base;

static vm_fault_t rsv_fault(struct vm_fault *vmf)
{
	if (vmf->pgoff >= 4)
		return VM_FAULT_SIGBUS;
	vmf->page = virt_to_page(rsv_base + vmf->pgoff * PAGE_SIZE);
	get_page(vmf->page);
	return 0;
}

static const struct vm_operations_struct rsv_ops = { .fault = rsv_fault };

static int fault_mmap(void *priv, struct vm_area_struct *vma)
{
	(void)priv;
	vma->vm_ops = &rsv_ops;
	return 0;
}

static int nothing_mmap(void *priv, struct vm_area_struct *vma)
{
	(void)priv;
	(void)vma;
	return 0;
}

TEST(uaccess_fault_handler_mapping_has_struct_pages)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct page *pg[2];
	u8 *u;

	rsv_base = memremap(RSV, 4 * PAGE_SIZE, MEMREMAP_WB);
	CHECK(rsv_base != NULL);
	fill(rsv_base + 2 * PAGE_SIZE, PAGE_SIZE, 5);
	CHECK_EQ(dk_user_mmap(fault_mmap, NULL, 2 * PAGE_SIZE, 2, (void **)&u),
		 0);
	CHECK(!(dk_user_vma(u)->vm_flags & VM_PFNMAP));
	CHECK(filled(u, PAGE_SIZE, 5));
	CHECK_EQ(get_user_pages_fast((unsigned long)u, 2, 0, pg), 2);
	CHECK(page_address(pg[0]) == rsv_base + 2 * PAGE_SIZE);
	CHECK_EQ(pg[0]->refcount, 2);		/* the mapping's and ours */
	put_page(pg[0]);
	put_page(pg[1]);
	CHECK_EQ(dk_user_munmap(u), 0);
	CHECK_EQ(pg[0]->refcount, 0);		/* reserved: not freed */
	CHECK(filled(rsv_base + 2 * PAGE_SIZE, PAGE_SIZE, 5));
	CHECK_EQ(dk_user_mmap(fault_mmap, NULL, 2 * PAGE_SIZE, 3, (void **)&u),
		 -EFAULT);
	CHECK_STR(dk_last_error(), "SIGBUS");
	CHECK_EQ(dk_user_mmap(nothing_mmap, NULL, PAGE_SIZE, 0, (void **)&u),
		 -EINVAL);
	testmachine_shutdown(&t);
}

/* Five bytes in the SPI controller's RX FIFO: 0xff and the NOR's ID. */
static void fill_rx_fifo(struct dk_soc *soc, struct dk_simdev *d)
{
	dk_dev_mmio_write32(d, DK_SPI_REG_CS, DK_SPI_CS_NOR | DK_SPI_CS_ACTIVE);
	dk_dev_mmio_write32(d, DK_SPI_REG_LEN, 5);
	dk_dev_mmio_write32(d, DK_SPI_REG_TXFIFO, DK_SPI_NOR_RDID);
	for (int i = 0; i < 4; i++)
		dk_dev_mmio_write32(d, DK_SPI_REG_TXFIFO, 0);
	dk_dev_mmio_write32(d, DK_SPI_REG_CTRL, DK_SPI_CTRL_START |
			    DK_SPI_CTRL_TX_EN | DK_SPI_CTRL_RX_EN);
	dk_soc_run(soc, 0);
}

/* copy_to_user() straight from registers is a plain copy: backwards,
 * each word twice, so the FIFO loses a byte; memcpy_fromio() does not. */
TEST(uaccess_copy_to_user_from_mmio_is_a_plain_copy)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct dk_simdev *d = dk_soc_find_dev(t.soc, "spi@10190000");
	u8 __iomem *regs = ioremap(0x10190000, 0x1000);
	u8 *u = dk_user_mmap_anon(PAGE_SIZE), k[12];
	u32 w[3];

	fill_rx_fifo(t.soc, d);
	CHECK_EQ(copy_to_user(u, regs + DK_SPI_REG_TXFIFO, 12), 0);
	memcpy(w, u, 12);
	CHECK_EQ(w[1], DK_SPI_NOR_JEDEC0);	/* 0xff was read and lost */
	CHECK_EQ(w[2], 5);			/* LEVEL read before the pops */
	CHECK_EQ(readl(regs + DK_SPI_REG_LEVEL), 3);
	CHECK_EQ(readl(regs + DK_SPI_REG_RXFIFO), DK_SPI_NOR_JEDEC1);
	dk_dev_mmio_write32(d, DK_SPI_REG_CS, 0);
	dk_dev_mmio_write32(d, DK_SPI_REG_STATUS, DK_SPI_ST_DONE);
	while (readl(regs + DK_SPI_REG_LEVEL))
		readl(regs + DK_SPI_REG_RXFIFO);
	fill_rx_fifo(t.soc, d);
	memcpy_fromio(k, regs + DK_SPI_REG_TXFIFO, 12);
	CHECK_EQ(copy_to_user(u, k, 12), 0);
	memcpy(w, u, 12);
	CHECK_EQ(w[1], 0xff);
	CHECK_EQ(w[2], 4);
	CHECK_EQ(readl(regs + DK_SPI_REG_RXFIFO), DK_SPI_NOR_JEDEC0);
	/* Writes: a partial word is merged, each word written twice. */
	memset(u, 0x12, 2);
	CHECK_EQ(copy_from_user(regs + DK_SPI_REG_LEN, u, 2), 0);
	CHECK_EQ(readl(regs + DK_SPI_REG_LEN), 0x1212);
	/* Past the window's end: refused, nothing copied. */
	CHECK_EQ(copy_to_user(u, regs + 0xffc, 8), 8);
	CHECK_STR(dk_last_error(), "run out of an ioremap() window");
	iounmap(regs);
	testmachine_shutdown(&t);
}
