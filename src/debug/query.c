// SPDX-License-Identifier: MIT
/* Questions a driver or a test may ask the checker. */
#include <stdio.h>

#include <dmakit/slab.h>

#include "../mm/mm.h"
#include "../dma_direct/direct.h"
#include "area.h"
#include "entry.h"

static void dump_one(struct dk_dbg_entry *e, void *arg)
{
	FILE *f = arg;

	fprintf(f, "%s %s: [device address=0x%016llx] [size=%llu bytes] [%s] [%s]\n",
		e->dev->driver ? e->dev->driver->name : "(no driver)",
		dev_name(e->dev), (unsigned long long)e->dma,
		(unsigned long long)e->size, dk_dbg_type_name(e->type),
		dk_dbg_dir_name(e->dir));
}

void dk_dma_debug_dump(struct device *dev, FILE *f)
{
	dk_dbg_entry_each(dev, dump_one, f ? f : stderr);
}

const char *dk_dma_safety_name(enum dk_dma_safety s)
{
	static const char *const n[] = {
		"safe", "on the stack", "in text or rodata", "vmalloc memory",
		"not RAM of the machine (malloc, an alias, unmapped)",
		"shares a cache line with other data",
		"beyond the device's DMA mask (would bounce)",
	};

	return (unsigned int)s < sizeof(n) / sizeof(n[0]) ? n[s] : "?";
}

enum dk_dma_safety dk_dma_buffer_is_safe(const void *ptr, size_t len,
					 struct device *dev)
{
	struct dk_machine *m = dev ? dev->machine : dk_machine_current();
	u32 align = m ? m->minalign : 128;
	const void *obj;
	size_t osz;
	phys_addr_t pa;

	switch (dk_area_of(m, ptr)) {
	case DK_AREA_STACK:
		return DK_DMA_UNSAFE_STACK;
	case DK_AREA_RODATA:
		return DK_DMA_UNSAFE_RODATA;
	case DK_AREA_VMALLOC:
		return DK_DMA_UNSAFE_VMALLOC;
	case DK_AREA_OTHER:
	case DK_AREA_USER:
		return DK_DMA_UNSAFE_NOT_RAM;
	case DK_AREA_LINEAR:
		break;
	}
	/* In integers: a length that wraps is no pointer arithmetic. */
	if (!len || (uintptr_t)ptr + len - 1 < (uintptr_t)ptr ||
	    !dk_linear_to_phys(m, (const void *)((uintptr_t)ptr + len - 1), &pa))
		return DK_DMA_UNSAFE_NOT_RAM;
	dk_linear_to_phys(m, ptr, &pa);
	/* A partial edge line is safe only if no other object lives in it:
	 * the buffer starts its kmalloc object and the object owns whole
	 * lines. What follows the buffer in its own object is the driver's
	 * slack, as the checker's FROM_DEVICE rule treats it. */
	if ((pa | len) % align) {
		if (!dk_is_kmalloc_addr(ptr, &osz, &obj) || obj != ptr ||
		    osz % align)
			return DK_DMA_UNSAFE_SHARES_LINE;
	}
	if (dev && !dk_dma_capable(dev, phys_to_dma(dev, pa), len, false))
		return DK_DMA_UNSAFE_BEYOND_MASK;
	return DK_DMA_SAFE;
}
