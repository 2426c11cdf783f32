// SPDX-License-Identifier: MIT
/*
 * The old DMA API names (dma-legacy.h): virt_to_bus() is the physical
 * address and nothing more, the write-combine names are today's _wc
 * calls, and declared memory honours DMA_MEMORY_EXCLUSIVE, refuses the
 * flags Linux never supported, and can have parts marked occupied.
 */
#include <errno.h>

#include <dmakit/dma-legacy.h>
#include <dmakit/err.h>
#include <dmakit/error.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

#define NIC "master@10010000"
#define AREA 0xb0000000ULL

TEST(dma_legacy_virt_to_bus_is_the_physical_address)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	u8 *b = kmalloc(64, GFP_KERNEL), stack[4];

	CHECK_EQ(virt_to_bus(b), (unsigned long)virt_to_phys(b));
	CHECK(bus_to_virt(virt_to_bus(b + 8)) == b + 8);
	CHECK_EQ(virt_to_bus(stack), 0);
	CHECK_STR(dk_last_error(), "not a linear-map address");
	CHECK(!bus_to_virt(0x10000000));
	kfree(b);
	testmachine_shutdown(&t);
}

TEST(dma_legacy_writecombine_names)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, NIC);
	struct vm_area_struct vma = { .vm_end = 4096 };
	dma_addr_t h;
	u8 *p = dma_alloc_writecombine(dev, 4096, &h, GFP_KERNEL);

	CHECK(p != NULL);
	p[0] = 0x5a;
	CHECK_EQ(dma_mmap_writecombine(dev, &vma, p, h, 4096), 0);
	CHECK_EQ(((u8 *)vma.vm_start)[0], 0x5a);
	CHECK_EQ(dk_munmap(&vma), 0);
	dma_free_writecombine(dev, 4096, p, h);
	testmachine_shutdown(&t);
}

TEST(dma_legacy_declared_memory_flags_and_occupied_parts)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, NIC);
	dma_addr_t h, h2;
	void *p, *q;

	CHECK_EQ(dk_dma_declare_coherent_memory_flags(dev, AREA, 0x1000000,
						      4 * 4096, DMA_MEMORY_IO),
		 -EINVAL);
	CHECK_EQ(dk_dma_declare_coherent_memory_flags(dev, AREA, 0x1000000,
						      4 * 4096,
						      DMA_MEMORY_MAP |
						      DMA_MEMORY_INCLUDES_CHILDREN),
		 -EINVAL);
	CHECK_STR(dk_last_error(), "never supported");
	CHECK(IS_ERR(dma_mark_declared_memory_occupied(dev, 0x1000000, 1024)));
	CHECK_EQ(dk_dma_declare_coherent_memory_flags(dev, AREA, 0x1000000,
						      4 * 4096,
						      DMA_MEMORY_MAP |
						      DMA_MEMORY_EXCLUSIVE), 0);
	/* The NCR_Q720 way: keep the first kilobyte (its page) off limits. */
	p = dma_mark_declared_memory_occupied(dev, 0x1000000, 1024);
	CHECK(!IS_ERR(p));
	CHECK_EQ(virt_to_phys(p), AREA);
	CHECK_EQ(PTR_ERR(dma_mark_declared_memory_occupied(dev, 0x1000200, 8)),
		 -EBUSY);
	CHECK_EQ(PTR_ERR(dma_mark_declared_memory_occupied(dev, 0x1004000, 8)),
		 -EINVAL);
	q = dma_alloc_coherent(dev, 3 * 4096, &h, GFP_KERNEL);
	CHECK(q == NULL);		/* 3 pages: not aligned in 3 free */
	q = dma_alloc_coherent(dev, 4096, &h, GFP_KERNEL);
	CHECK(q != NULL);
	CHECK_EQ(h, 0x1001000);		/* not the occupied page */
	dma_free_coherent(dev, 4096, q, h);
	q = dma_alloc_coherent(dev, 2 * 4096, &h2, GFP_KERNEL);
	CHECK_EQ(h2, 0x1002000);
	/* Exclusive: no fallback once the area is full. */
	CHECK(!dma_alloc_coherent(dev, 2 * 4096, &h, GFP_KERNEL));
	dma_free_coherent(dev, 2 * 4096, q, h2);
	dma_release_declared_memory(dev);
	CHECK(IS_ERR(dma_mark_declared_memory_occupied(dev, 0x1000000, 1)));
	CHECK_EQ(dma_declare_coherent_memory(dev, AREA, 0x1000000, 4096), 0);
	dma_release_declared_memory(dev);
	testmachine_shutdown(&t);
}
