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

/**
 * iommu_paging_domain_alloc() - an empty translation domain for devices
 * behind the same IOMMU as a device.
 * @dev: a device with an "iommus" property.
 *
 * Return: the domain (free it with iommu_domain_free()) or NULL (-ENODEV
 * if @dev has no "iommus" or the platform no IOMMU, -ENOMEM; message in
 * dk_last_error()).
 */
struct iommu_domain *iommu_paging_domain_alloc(struct device *dev);

/**
 * iommu_domain_free() - free a domain.
 * @domain: a domain no device is attached to; NULL does nothing, one with
 *          devices attached is refused with a "BUG:" line.
 */
void iommu_domain_free(struct iommu_domain *domain);

/**
 * iommu_attach_device() - translate a device's accesses through a domain
 * from now on; the domain's mappings are programmed for it.
 * @domain: the domain.
 * @dev: a device behind the domain's IOMMU.
 *
 * Return: 0, -EINVAL (NULL), -ENODEV (no IOMMU), -EBUSY (already attached
 * somewhere), -ENOSPC (domain full of devices).
 */
int iommu_attach_device(struct iommu_domain *domain, struct device *dev);

/**
 * iommu_detach_device() - stop translating a device's accesses: its
 * mappings are cleared and it bypasses the IOMMU again.
 * @domain: the domain it is attached to.
 * @dev: the device; NULL arguments do nothing, a device not attached to
 *       @domain is refused with a "BUG:" line.
 */
void iommu_detach_device(struct iommu_domain *domain, struct device *dev);

/**
 * iommu_map() - map an IOVA range of a domain to physical memory, for
 * every device attached (and any attached later).
 * @domain: the domain.
 * @iova: the first IOVA, page aligned.
 * @paddr: the physical address it maps to, page aligned.
 * @size: bytes, whole pages.
 * @prot: IOMMU_READ | IOMMU_WRITE: what the device may do.
 * @gfp: accepted; the page tables come from the IOMMU's own memory.
 *
 * Return: 0, -EINVAL (NULL domain, not whole pages, a range that wraps,
 * other @prot bits), -EEXIST (overlaps an existing mapping; nothing is
 * mapped), -ENOMEM, or the IOMMU's error (undone on every device).
 */
int iommu_map(struct iommu_domain *domain, unsigned long iova,
	      phys_addr_t paddr, size_t size, int prot, gfp_t gfp);

/**
 * iommu_unmap() - unmap the pages of an IOVA range that are mapped.
 * Mappings are split where the range cuts them.
 * @domain: the domain.
 * @iova: the first IOVA, page aligned.
 * @size: bytes, rounded up to pages.
 *
 * Return: how many bytes were mapped and are not any more; 0 for NULL,
 * size 0 or an unaligned @iova.
 */
size_t iommu_unmap(struct iommu_domain *domain, unsigned long iova,
		   size_t size);

/**
 * iommu_iova_to_phys() - the physical address an IOVA of a domain maps to.
 * @domain: the domain.
 * @iova: any byte address.
 *
 * Return: the physical address, or 0 if @iova is not mapped or @domain is
 * NULL.
 */
phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova);

/**
 * iommu_set_fault_handler() - call a function on each fault of a device
 * attached to the domain.
 * @domain: the domain; NULL does nothing.
 * @handler: called with the domain, device, IOVA, IOMMU_FAULT_READ or
 *           IOMMU_FAULT_WRITE and @token; NULL for none.
 * @token: its last argument.
 */
void iommu_set_fault_handler(struct iommu_domain *domain,
			     iommu_fault_handler_t handler, void *token);

/**
 * device_iommu_mapped() - whether a device sits behind an IOMMU.
 * @dev: a device.
 *
 * Return: true if its tree node has "iommus", false otherwise or for NULL.
 */
bool device_iommu_mapped(struct device *dev);

#ifdef __cplusplus
}
#endif

#endif
