// SPDX-License-Identifier: MIT
/* The old names of include/dmakit/dma-legacy.h, on today's mechanisms. */
#include <errno.h>

#include <dmakit/dma-legacy.h>
#include <dmakit/err.h>

#include "../mm/mm.h"
#include "../dma_direct/direct.h"
#include "../kernel/kernel.h"

unsigned long virt_to_bus(const void *addr)
{
	struct dk_machine *m = dk_machine_of();
	phys_addr_t pa;

	if (!m)
		return 0;
	if (!dk_linear_to_phys(m, addr, &pa)) {
		dk_err_log(-EINVAL, "BUG: virt_to_bus(%p): not a linear-map address",
			   addr);
		return 0;
	}
	return (unsigned long)pa;
}

void *bus_to_virt(unsigned long addr)
{
	struct dk_machine *m = dk_machine_of();

	if (!m)
		return NULL;
	if (!dk_phys_to_page(m, addr)) {
		dk_err_log(-EINVAL, "BUG: bus_to_virt(0x%lx): not RAM", addr);
		return NULL;
	}
	return dk_phys_to_virt(m, addr);
}

void *dma_alloc_writecombine(struct device *dev, size_t size,
			     dma_addr_t *dma_handle, gfp_t gfp)
{
	return dma_alloc_wc(dev, size, dma_handle, gfp);
}

void dma_free_writecombine(struct device *dev, size_t size, void *cpu_addr,
			   dma_addr_t dma_handle)
{
	dma_free_wc(dev, size, cpu_addr, dma_handle);
}

int dma_mmap_writecombine(struct device *dev, struct vm_area_struct *vma,
			  void *cpu_addr, dma_addr_t dma_addr, size_t size)
{
	return dma_mmap_wc(dev, vma, cpu_addr, dma_addr, size);
}

int dk_dma_declare_coherent_memory_flags(struct device *dev,
					 phys_addr_t phys_addr,
					 dma_addr_t device_addr, size_t size,
					 int flags)
{
	int r;

	if (!(flags & DMA_MEMORY_MAP) ||
	    flags & ~(DMA_MEMORY_MAP | DMA_MEMORY_EXCLUSIVE))
		return dk_err(-EINVAL, "dma_declare_coherent_memory: flags 0x%x: only DMA_MEMORY_MAP, optionally with DMA_MEMORY_EXCLUSIVE (DMA_MEMORY_IO and DMA_MEMORY_INCLUDES_CHILDREN were never supported)",
			      flags);
	r = dma_declare_coherent_memory(dev, phys_addr, device_addr, size);
	if (!r && flags & DMA_MEMORY_EXCLUSIVE)
		dk_dma_declare_exclusive(dev, true);
	return r;
}

void dma_release_declared_memory(struct device *dev)
{
	dma_release_coherent_memory(dev);
}

void *dma_mark_declared_memory_occupied(struct device *dev,
					dma_addr_t device_addr, size_t size)
{
	struct dma_coherent_mem *mem = dk_dev_live(dev) ? dev->dma_mem : NULL;
	unsigned long first, n;

	if (!mem || !mem->declared) {
		dk_err(-EINVAL, "dma_mark_declared_memory_occupied: no declared memory");
		return ERR_PTR(-EINVAL);
	}
	if (!size || device_addr < mem->dev_base ||
	    device_addr - mem->dev_base >= mem->size ||
	    size > mem->size - (device_addr - mem->dev_base)) {
		dk_err(-EINVAL, "%s: 0x%llx + 0x%zx is outside the declared memory",
		       dev_name(dev), (unsigned long long)device_addr, size);
		return ERR_PTR(-EINVAL);
	}
	first = (device_addr - mem->dev_base) / PAGE_SIZE;
	n = (device_addr - mem->dev_base + size - 1) / PAGE_SIZE - first + 1;
	if (dk_coherent_pool_take(mem, first, n)) {
		dk_err(-EBUSY, "%s: part of 0x%llx + 0x%zx is allocated already",
		       dev_name(dev), (unsigned long long)device_addr, size);
		return ERR_PTR(-EBUSY);
	}
	return dk_phys_to_virt(dev->machine,
			       mem->phys + (device_addr - mem->dev_base));
}
