/* SPDX-License-Identifier: MIT */
/*
 * The IOMMU API with Linux's names: a driver allocates a paging domain,
 * attaches its device, and maps IOVA ranges to physical memory itself
 * (what GPU, VFIO and remoteproc drivers do). Once attached, the device's
 * every access is translated by the IOMMU named by its "iommus"; an
 * access no mapping allows faults, and the domain's fault handler hears of
 * it. Pages are 4 KiB. A machine booted with dk_machine_opts.iommu_dma
 * attaches a default domain to every such device itself and maps the DMA
 * API through it (iommu-dma); then leave those devices' domains alone.
 */
#ifndef DMAKIT_IOMMU_H
#define DMAKIT_IOMMU_H

#include <dmakit/device.h>
#include <dmakit/gfp.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IOMMU_READ	(1 << 0)
#define IOMMU_WRITE	(1 << 1)

#define IOMMU_FAULT_READ	0x0
#define IOMMU_FAULT_WRITE	0x1

/* The input address size of dmakit's simulated IOMMU, in bits. */
#define DK_IOMMU_INPUT_BITS	48

/*
 * The IOVAs a domain can translate: [aperture_start, aperture_end], the
 * IOMMU's input address range; with force_aperture nothing outside it
 * reaches memory. iommu-dma allocates only inside it.
 */
struct iommu_domain_geometry {
	dma_addr_t aperture_start;
	dma_addr_t aperture_end;
	bool force_aperture;
};

/*
 * What a driver may read of a domain (as in Linux): the page sizes it
 * maps (one bit per size) and its aperture. The API keeps the rest.
 */
struct iommu_domain {
	unsigned long pgsize_bitmap;
	struct iommu_domain_geometry geometry;
};

/*
 * A fault handler returns 0 if it handled the fault; dmakit records every
 * fault either way (dk_soc_fault()).
 */
typedef int (*iommu_fault_handler_t)(struct iommu_domain *domain,
				     struct device *dev, unsigned long iova,
				     int flags, void *token);

/*
 * iommu_paging_domain_alloc - an empty translation domain for devices
 * behind the same IOMMU as @dev. Returns the domain or NULL (-ENODEV if
 * @dev has no "iommus" or the platform no IOMMU; message in
 * dk_last_error()).
 */
struct iommu_domain *iommu_paging_domain_alloc(struct device *dev);

/* iommu_domain_free - free a domain no device is attached to. */
void iommu_domain_free(struct iommu_domain *domain);

/*
 * iommu_attach_device - translate @dev's accesses through @domain from
 * now on. Returns 0, -EINVAL (NULL), -ENODEV (no IOMMU), -EBUSY (already
 * attached somewhere), -ENOSPC (domain full of devices).
 */
int iommu_attach_device(struct iommu_domain *domain, struct device *dev);

/* iommu_detach_device - stop translating: the device is blocked no more. */
void iommu_detach_device(struct iommu_domain *domain, struct device *dev);

/*
 * iommu_map - map [@iova, @iova + @size) to @paddr with @prot
 * (IOMMU_READ | IOMMU_WRITE). Page aligned; a range overlapping an
 * existing mapping gives -EEXIST and maps nothing. 0 or -errno.
 */
int iommu_map(struct iommu_domain *domain, unsigned long iova,
	      phys_addr_t paddr, size_t size, int prot, gfp_t gfp);

/*
 * iommu_unmap - unmap the pages of [@iova, @iova + @size) that are mapped;
 * returns how many bytes were. Mappings are split where the range cuts
 * them.
 */
size_t iommu_unmap(struct iommu_domain *domain, unsigned long iova,
		   size_t size);

/* iommu_iova_to_phys - the physical address behind @iova, or 0. */
phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova);

/* iommu_set_fault_handler - call @handler on each fault of the domain. */
void iommu_set_fault_handler(struct iommu_domain *domain,
			     iommu_fault_handler_t handler, void *token);

/* device_iommu_mapped - whether @dev sits behind an IOMMU. */
bool device_iommu_mapped(struct device *dev);

#ifdef __cplusplus
}
#endif

#endif
