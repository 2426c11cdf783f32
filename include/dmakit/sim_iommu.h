/* SPDX-License-Identifier: MIT */
/*
 * The simulated IOMMU: the translation step of the interconnect path for
 * masters whose node has "iommus". Each (IOMMU unit, stream ID) has a
 * context: while it is enabled, every access of its masters is looked up
 * page by page (4 KiB) in the context's page table, with read and write
 * permissions; a miss or a refused access is a fault (dk_soc_fault())
 * and moves nothing. A disabled context bypasses: the device address goes
 * on through dma-ranges as for a master without an IOMMU. Masters that
 * share a stream ID share a context, as on an SMMU.
 */
#ifndef DMAKIT_SIM_IOMMU_H
#define DMAKIT_SIM_IOMMU_H

#include <dmakit/sim_device.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DK_IOMMU_READ	(1 << 0)
#define DK_IOMMU_WRITE	(1 << 1)
#define DK_IOMMU_PAGE	4096UL

/**
 * dk_sim_iommu_enable() - switch translation of a master's stream on, or
 * back to bypass.
 * @dev: a master with "iommus".
 * @on: true to translate.
 *
 * Return: 0, -ENODEV if @dev has no "iommus", -ENOMEM.
 */
int dk_sim_iommu_enable(struct dk_simdev *dev, bool on);

/**
 * dk_sim_iommu_map() - make an IOVA range of a master's stream translate
 * to physical memory.
 * @dev: a master with "iommus".
 * @iova: the first IOVA, page aligned.
 * @pa: where it lands, page aligned.
 * @size: bytes, whole pages, at most 64 GiB.
 * @prot: DK_IOMMU_READ | DK_IOMMU_WRITE.
 *
 * Return: 0; -EEXIST if a page is already mapped (nothing is mapped);
 * -EINVAL for unaligned values, size 0, other @prot bits or a range that
 * wraps or exceeds 64 GiB; -ENODEV without "iommus"; -ENOMEM.
 */
int dk_sim_iommu_map(struct dk_simdev *dev, u64 iova, phys_addr_t pa,
		     u64 size, int prot);

/**
 * dk_sim_iommu_unmap() - unmap the mapped pages of a range.
 * @dev: a master with "iommus".
 * @iova: the first IOVA, page aligned.
 * @size: bytes.
 *
 * Return: the bytes unmapped; 0 for an unaligned @iova or a master
 * without "iommus".
 */
u64 dk_sim_iommu_unmap(struct dk_simdev *dev, u64 iova, u64 size);

/**
 * dk_sim_iommu_iova_to_phys() - where an IOVA of a master's stream lands.
 * @dev: a master with "iommus".
 * @iova: any byte address.
 * @pa: set to the physical address when mapped.
 *
 * Return: 0; -ENOENT if not mapped (or @pa is NULL); -ENODEV without
 * "iommus"; -EINVAL for a device of a SoC not live.
 */
int dk_sim_iommu_iova_to_phys(struct dk_simdev *dev, u64 iova,
			      phys_addr_t *pa);

#ifdef __cplusplus
}
#endif

#endif
