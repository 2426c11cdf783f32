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

/*
 * dk_sim_iommu_enable - switch translation on (true) or back to bypass
 * for @dev's stream. Returns 0, -ENODEV if @dev has no "iommus",
 * -ENOMEM.
 */
int dk_sim_iommu_enable(struct dk_simdev *dev, bool on);

/*
 * dk_sim_iommu_map - make [@iova, @iova + @size) of @dev's stream
 * translate to [@pa, ...) with @prot (DK_IOMMU_READ | DK_IOMMU_WRITE).
 * All three must be page aligned; an already mapped page gives -EEXIST
 * and maps nothing; the range may not wrap nor exceed 64 GiB (-EINVAL).
 * 0 or -errno.
 */
int dk_sim_iommu_map(struct dk_simdev *dev, u64 iova, phys_addr_t pa,
		     u64 size, int prot);

/* dk_sim_iommu_unmap - unmap pages of the range; returns bytes unmapped. */
u64 dk_sim_iommu_unmap(struct dk_simdev *dev, u64 iova, u64 size);

/* dk_sim_iommu_iova_to_phys - 0 and *@pa, or -ENOENT if not mapped. */
int dk_sim_iommu_iova_to_phys(struct dk_simdev *dev, u64 iova,
			      phys_addr_t *pa);

#ifdef __cplusplus
}
#endif

#endif
