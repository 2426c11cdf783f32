/* SPDX-License-Identifier: MIT */
/*
 * The simulated IOMMU: the translation step of the interconnect path for
 * masters whose node has "iommus". Each (IOMMU unit, stream ID) has a
 * context: while it is enabled, every access of its masters is translated
 * through the unit's IOTLB and, on a miss, by a walk of the context's page
 * tables, which live in the SoC's own RAM (4 KiB pages, 2 MiB and 1 GiB
 * blocks; layout in docs/soc-bindings.md). A refused access is a fault
 * (dk_soc_fault()) and moves nothing. A disabled context bypasses: the
 * device address goes on through dma-ranges as for a master without an
 * IOMMU. Masters that share a stream ID share a context, as on an SMMU.
 *
 * The unit's tree node sets its input address size
 * ("dmakit,input-address-bits", 32..48, default 48; an IOVA at or above
 * 2^bits is an address-size fault) and whether its walker snoops the CPU
 * cache ("dma-coherent"). dk_sim_iommu_map() and _unmap() write the
 * tables as the IOMMU's driver would, through the CPU's cache, cleaning
 * each changed line for a non-coherent walker. They do not touch the
 * IOTLB: a translation the IOTLB holds keeps working until
 * dk_sim_iommu_tlb_inval() drops it, as on hardware.
 *
 * Permissions (the IOMMU API's IOMMU_* flags have the same values):
 * READ and WRITE allow device reads and writes. CACHE makes accesses
 * through the entry cache-coherent (they snoop the CPU cache, as a
 * dma-coherent master's do) whatever the master's own coherence; MMIO
 * marks the output device memory: accesses never snoop, even with CACHE.
 * NOEXEC is kept in the entry; the model's masters fetch no instructions,
 * so it refuses nothing. PRIV makes the entry privileged-only: the
 * model's masters issue unprivileged transactions, so every access
 * through it is a permission fault.
 */
#ifndef DMAKIT_SIM_IOMMU_H
#define DMAKIT_SIM_IOMMU_H

#include <dmakit/sim_device.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DK_IOMMU_READ	(1 << 0)
#define DK_IOMMU_WRITE	(1 << 1)
#define DK_IOMMU_CACHE	(1 << 2)
#define DK_IOMMU_NOEXEC	(1 << 3)
#define DK_IOMMU_MMIO	(1 << 4)
#define DK_IOMMU_PRIV	(1 << 5)
#define DK_IOMMU_PROT_MASK	0x3f
#define DK_IOMMU_PAGE	4096UL
/* The page sizes a table maps: 4 KiB, 2 MiB, 1 GiB. */
#define DK_IOMMU_PGSIZES	(0x1000UL | 0x200000UL | 0x40000000UL)

/* What an IOMMU unit did since the SoC was made. */
struct dk_sim_iommu_stats {
	u64 tlb_hits;		/* translations found in the IOTLB */
	u64 tlb_misses;
	u64 walks;		/* table walks (each miss of a mapped stream) */
	u64 invalidations;	/* dk_sim_iommu_tlb_inval() calls */
};

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
 * to physical memory: the tables get the biggest leaves (1 GiB, 2 MiB,
 * 4 KiB) that the alignment of @iova and @pa and the size left allow.
 * Table pages are taken from the SoC's RAM page allocator.
 * @dev: a master with "iommus".
 * @iova: the first IOVA, page aligned.
 * @pa: where it lands, page aligned.
 * @size: bytes, whole pages, at most 64 GiB.
 * @prot: DK_IOMMU_* flags (DK_IOMMU_PROT_MASK).
 *
 * Return: 0; -EEXIST if a page is already mapped (nothing is mapped);
 * -EINVAL for unaligned values, size 0, other @prot bits or a range that
 * wraps or exceeds 64 GiB; -ERANGE past the unit's input address size;
 * -ENODEV without "iommus"; -ENOMEM (nothing is mapped).
 */
int dk_sim_iommu_map(struct dk_simdev *dev, u64 iova, phys_addr_t pa,
		     u64 size, int prot);

/**
 * dk_sim_iommu_unmap() - unmap the mapped pages of a range from the
 * tables; a block the range cuts is split first. The IOTLB is left as it
 * is (see dk_sim_iommu_tlb_inval()).
 * @dev: a master with "iommus".
 * @iova: the first IOVA, page aligned.
 * @size: bytes, rounded up to whole pages.
 *
 * Return: the bytes unmapped; 0 for an unaligned @iova or a master
 * without "iommus".
 */
u64 dk_sim_iommu_unmap(struct dk_simdev *dev, u64 iova, u64 size);

/**
 * dk_sim_iommu_tlb_inval() - drop the IOTLB entries of a master's stream
 * that overlap a range, so the next access walks the tables again.
 * @dev: a master with "iommus".
 * @iova: the first IOVA.
 * @size: bytes; 0 for every entry of the stream's context.
 *
 * Return: 0; -ENODEV without "iommus"; -EINVAL for a device of a SoC not
 * live.
 */
int dk_sim_iommu_tlb_inval(struct dk_simdev *dev, u64 iova, u64 size);

/**
 * dk_sim_iommu_table_base() - where the top-level table of a master's
 * stream is, for reading the descriptors from DRAM.
 * @dev: a master with "iommus".
 * @pa: set to the table's physical address.
 *
 * Return: 0; -ENOENT before anything was mapped; -ENODEV without
 * "iommus"; -EINVAL for NULL @pa or a device of a SoC not live.
 */
int dk_sim_iommu_table_base(struct dk_simdev *dev, phys_addr_t *pa);

/**
 * dk_sim_iommu_stats() - the counters of the IOMMU unit in front of a
 * master.
 * @dev: a master with "iommus".
 * @out: filled in.
 *
 * Return: 0; -ENODEV without "iommus"; -EINVAL for NULL @out or a device
 * of a SoC not live.
 */
int dk_sim_iommu_stats(struct dk_simdev *dev, struct dk_sim_iommu_stats *out);

/**
 * dk_sim_iommu_forget_clean() - bug injection: the table writer of the
 * unit in front of a master stops (or resumes) cleaning the lines it
 * changes, as a driver that forgets to for a non-coherent walker. The
 * new descriptors then sit in the CPU cache only, where a non-coherent
 * walker never sees them.
 * @dev: a master with "iommus".
 * @forget: true to skip the cleans.
 *
 * Return: 0; -ENODEV without "iommus"; -EINVAL for a device of a SoC not
 * live.
 */
int dk_sim_iommu_forget_clean(struct dk_simdev *dev, bool forget);

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
