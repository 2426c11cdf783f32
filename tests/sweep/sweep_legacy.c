// SPDX-License-Identifier: MIT
/* Sweep cases: the old DMA API names (dma-legacy.h). */
#include <errno.h>
#include <limits.h>

#include <dmakit/dma-legacy.h>
#include <dmakit/err.h>

#include "sweep.h"

static u8 not_ram[64];

SWEEP(virt_to_bus, "NULL, not RAM; no machine", W_MACHINE)
{
	EXPECT(virt_to_bus(NULL) == 0);
	EXPECT(virt_to_bus(not_ram) == 0);
	EXPECT_LOG("not a linear-map address");
	return 0;
}

SWEEP(virt_to_bus, "before any machine", W_NONE)
{
	EXPECT(virt_to_bus(not_ram) == 0);
	EXPECT_ERR("no machine booted");
	return 0;
}

SWEEP(bus_to_virt, "0, MMIO, ULONG_MAX", W_MACHINE)
{
	EXPECT(!bus_to_virt(0));
	EXPECT(!bus_to_virt(0x10000000));
	EXPECT(!bus_to_virt(ULONG_MAX));
	return 0;
}

SWEEP(dma_alloc_writecombine, "NULL device, size 0", W_MACHINE)
{
	dma_addr_t h;

	EXPECT(!dma_alloc_writecombine(NULL, 4096, &h, GFP_KERNEL));
	EXPECT(!dma_alloc_writecombine(e->dev, 0, &h, GFP_KERNEL));
	return 0;
}

SWEEP(dma_free_writecombine, "NULL device and address, a stray pointer", W_MACHINE)
{
	dma_free_writecombine(NULL, 4096, NULL, 0);
	dma_free_writecombine(e->dev, 4096, not_ram, 0);
	return 0;
}

SWEEP(dma_mmap_writecombine, "NULL vma, a stray buffer", W_MACHINE)
{
	struct vm_area_struct vma = { .vm_end = 4096 };

	EXPECT(dma_mmap_writecombine(e->dev, NULL, not_ram, 0, 4096) ==
	       -EINVAL);
	EXPECT(dma_mmap_writecombine(e->dev, &vma, not_ram, 0, 4096) < 0);
	return 0;
}

SWEEP(dk_dma_declare_coherent_memory_flags, "no MAP, IO, CHILDREN, unknown bits, NULL device", W_MACHINE)
{
	EXPECT(dk_dma_declare_coherent_memory_flags(e->dev, 0xb0000000, 0,
						    4096, 0) == -EINVAL);
	EXPECT(dk_dma_declare_coherent_memory_flags(e->dev, 0xb0000000, 0,
						    4096, DMA_MEMORY_MAP |
						    DMA_MEMORY_IO) == -EINVAL);
	EXPECT(dk_dma_declare_coherent_memory_flags(e->dev, 0xb0000000, 0,
						    4096, INT_MIN) == -EINVAL);
	EXPECT(dk_dma_declare_coherent_memory_flags(NULL, 0xb0000000, 0, 4096,
						    DMA_MEMORY_MAP) == -EINVAL);
	return 0;
}

SWEEP(dma_release_declared_memory, "NULL, a device without an area", W_MACHINE)
{
	dma_release_declared_memory(NULL);
	dma_release_declared_memory(e->dev);
	return 0;
}

SWEEP(dma_mark_declared_memory_occupied, "NULL device, no area, wrapping range", W_MACHINE)
{
	EXPECT(PTR_ERR(dma_mark_declared_memory_occupied(NULL, 0, 1)) ==
	       -EINVAL);
	EXPECT(PTR_ERR(dma_mark_declared_memory_occupied(e->dev, 0, 1)) ==
	       -EINVAL);
	EXPECT(dma_declare_coherent_memory(e->dev, 0xb0000000, 0x1000, 8192) ==
	       0);
	EXPECT(PTR_ERR(dma_mark_declared_memory_occupied(e->dev, 0x1fff,
							 SIZE_MAX)) == -EINVAL);
	EXPECT(PTR_ERR(dma_mark_declared_memory_occupied(e->dev, 0x1000, 0)) ==
	       -EINVAL);
	EXPECT(PTR_ERR(dma_mark_declared_memory_occupied(e->dev, 0, 8)) ==
	       -EINVAL);
	dma_release_declared_memory(e->dev);
	return 0;
}
