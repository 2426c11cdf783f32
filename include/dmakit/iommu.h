/* SPDX-License-Identifier: MIT */
/*
 * The IOMMU API with Linux's names: a driver allocates a paging domain,
 * attaches its device (or the device's group), and maps IOVA ranges to
 * physical memory itself (what GPU, VFIO and remoteproc drivers do). Once
 * attached, the device's every access is translated by the IOMMU named by
 * its "iommus"; an access no mapping allows faults, the fault is recorded
 * in the domain and its fault handler hears of it. Pages are 4 KiB;
 * iommu_map() uses 2 MiB and 1 GiB blocks where the alignment allows.
 *
 * The IOTLB: iommu_unmap() invalidates what it unmapped before it
 * returns (strict). iommu_unmap_fast() only clears the page tables and
 * adds the range to a struct iommu_iotlb_gather; the IOMMU may go on
 * translating through cached entries until iommu_iotlb_sync() on that
 * gather or iommu_flush_iotlb_all() (lazy: batch the invalidations, and
 * do not reuse the IOVAs before the flush).
 *
 * Groups: devices behind the same IOMMU with the same stream ID cannot be
 * told apart by the IOMMU, so they form one iommu_group and share one
 * domain; iommu_attach_group() attaches them together, and
 * iommu_attach_device() refuses a device that shares its group.
 *
 * Unless booted with dk_machine_opts.iommu_passthrough, a machine gives
 * every group a default domain and maps its devices' DMA API through it
 * (iommu-dma). As in Linux, a driver may still attach a group (or a
 * device alone in its group) to a domain of its own; detaching it puts
 * the group back in its default domain.
 */
#ifndef DMAKIT_IOMMU_H
#define DMAKIT_IOMMU_H

#include <sys/types.h>

#include <dmakit/device.h>
#include <dmakit/gfp.h>
#include <dmakit/platform.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Protection flags. What each does on the simulated IOMMU (the details
 * are in <dmakit/sim_iommu.h>): READ/WRITE allow device reads/writes;
 * CACHE makes the accesses cache-coherent (they snoop the CPU cache);
 * MMIO marks the target device memory (never snooped); NOEXEC is kept
 * and refuses nothing (masters fetch no instructions); PRIV restricts
 * the mapping to privileged transactions, which the model's masters
 * never issue, so they fault on it.
 */
#define IOMMU_READ	(1 << 0)
#define IOMMU_WRITE	(1 << 1)
#define IOMMU_CACHE	(1 << 2)
#define IOMMU_NOEXEC	(1 << 3)
#define IOMMU_MMIO	(1 << 4)
#define IOMMU_PRIV	(1 << 5)

#define IOMMU_FAULT_READ	0x0
#define IOMMU_FAULT_WRITE	0x1

/* The input address size of dmakit's simulated IOMMU when the tree does
 * not set one ("dmakit,input-address-bits"), in bits. */
#define DK_IOMMU_INPUT_BITS	48

struct iommu_group;
struct scatterlist;
struct bus_type;

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
 * iommu_domain_alloc() - the old way to get a paging domain: for the
 * IOMMU in front of the first device of this thread's machine that has
 * one.
 * @bus: accepted and not looked at (Linux took the device's bus); may
 *       be NULL.
 *
 * Return: the domain or NULL (-ENODEV if no device of the machine is
 * behind an IOMMU, or no machine; message in dk_last_error()).
 */
struct iommu_domain *iommu_domain_alloc(const struct bus_type *bus);

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
 * Return: 0, -EINVAL (NULL, or @dev shares its iommu_group with other
 * devices: attach the group), -ENODEV (no IOMMU, or another IOMMU than
 * the domain's), -EBUSY (attached to a domain other than its default
 * one, or to @domain already), -ENOSPC (domain full of devices), or the
 * IOMMU's error.
 */
int iommu_attach_device(struct iommu_domain *domain, struct device *dev);

/**
 * iommu_detach_device() - stop translating a device's accesses through
 * a domain: its mappings are cleared and its IOTLB entries dropped; it
 * goes back to its default domain, or without one bypasses the IOMMU.
 * @domain: the domain it is attached to.
 * @dev: the device; NULL arguments do nothing; a device not attached to
 *       @domain, or one sharing its group, is refused with a "BUG:" line.
 */
void iommu_detach_device(struct iommu_domain *domain, struct device *dev);

/**
 * iommu_get_domain_for_dev() - the domain a device is attached to.
 * @dev: a device; NULL gives NULL.
 *
 * Return: the domain, or NULL if none.
 */
struct iommu_domain *iommu_get_domain_for_dev(struct device *dev);

/**
 * iommu_group_get() - the group of a device: every device of the machine
 * behind the same IOMMU with the same stream ID (the same "iommus"
 * specifier). Take a reference; drop it with iommu_group_put().
 * @dev: a device.
 *
 * Return: the group, or NULL for NULL, a device behind no IOMMU, or no
 * memory.
 */
struct iommu_group *iommu_group_get(struct device *dev);

/**
 * iommu_group_put() - drop a reference from iommu_group_get().
 * @group: the group; NULL does nothing. Groups live as long as their
 *         machine.
 */
void iommu_group_put(struct iommu_group *group);

/**
 * iommu_group_id() - a group's number, unique in its machine.
 * @group: the group.
 *
 * Return: the number (0 and up), or -EINVAL for NULL.
 */
int iommu_group_id(struct iommu_group *group);

/**
 * iommu_attach_group() - attach every device of a group to a domain.
 * @domain: the domain.
 * @group: the group.
 *
 * Return: 0, -EINVAL (NULL), -ENODEV (another IOMMU than the domain's),
 * -EBUSY (the group is attached to a domain other than its default one,
 * or to @domain already), -ENOSPC, or the IOMMU's error (the group stays
 * where it was).
 */
int iommu_attach_group(struct iommu_domain *domain, struct iommu_group *group);

/**
 * iommu_detach_group() - detach every device of a group from a domain;
 * the group goes back to its default domain if it has one.
 * @domain: the domain the group is attached to.
 * @group: the group; NULL arguments do nothing, a group not attached to
 *         @domain is refused with a "BUG:" line.
 */
void iommu_detach_group(struct iommu_domain *domain, struct iommu_group *group);

/**
 * iommu_map() - map an IOVA range of a domain to physical memory, for
 * every device attached (and any attached later).
 * @domain: the domain.
 * @iova: the first IOVA, page aligned.
 * @paddr: the physical address it maps to, page aligned.
 * @size: bytes, whole pages.
 * @prot: IOMMU_READ, IOMMU_WRITE, IOMMU_CACHE, IOMMU_NOEXEC, IOMMU_MMIO,
 *        IOMMU_PRIV.
 * @gfp: accepted; the simulated IOMMU takes its table pages from the
 *       SoC's RAM.
 *
 * Return: 0, -EINVAL (NULL domain, not whole pages, a range that wraps,
 * other @prot bits), -EEXIST (overlaps an existing mapping; nothing is
 * mapped), -ENOMEM, or the IOMMU's error (-ERANGE past its input address
 * size; undone on every device).
 */
int iommu_map(struct iommu_domain *domain, unsigned long iova,
	      phys_addr_t paddr, size_t size, int prot, gfp_t gfp);

/**
 * iommu_map_sg() - map a scatterlist's pages at consecutive IOVAs.
 * @domain: the domain.
 * @iova: the first IOVA, page aligned.
 * @sg: the list; each entry's physical address and length page aligned
 *      (physically contiguous entries are mapped as one range).
 * @nents: its entries.
 * @prot: as for iommu_map().
 * @gfp: as for iommu_map().
 *
 * Return: the bytes mapped, or a negative errno as iommu_map() (-EINVAL
 * also for an unaligned entry); on an error nothing stays mapped.
 */
ssize_t iommu_map_sg(struct iommu_domain *domain, unsigned long iova,
		     struct scatterlist *sg, unsigned int nents, int prot,
		     gfp_t gfp);

/*
 * The IOVA range a run of iommu_unmap_fast() calls left for one IOTLB
 * invalidation: [start, end], empty while end is 0.
 */
struct iommu_iotlb_gather {
	unsigned long start;
	unsigned long end;
	size_t pgsize;
	bool queued;		/* for a flush queue's own use */
};

/**
 * iommu_iotlb_gather_init() - make a gather empty.
 * @gather: the gather.
 */
static inline void iommu_iotlb_gather_init(struct iommu_iotlb_gather *gather)
{
	*gather = (struct iommu_iotlb_gather){ .start = ~0UL };
}

/**
 * iommu_iotlb_gather_add_range() - widen a gather to cover a range too.
 * @gather: the gather.
 * @iova: the first IOVA.
 * @size: bytes, not 0.
 */
static inline void
iommu_iotlb_gather_add_range(struct iommu_iotlb_gather *gather,
			     unsigned long iova, size_t size)
{
	unsigned long end = iova + size - 1;

	if (iova < gather->start)
		gather->start = iova;
	if (end > gather->end)
		gather->end = end;
}

/**
 * iommu_unmap() - unmap the pages of an IOVA range that are mapped and
 * invalidate them in the IOTLB (Linux's strict unmap). Mappings are split
 * where the range cuts them.
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
 * iommu_unmap_fast() - iommu_unmap() without the IOTLB invalidation: the
 * range goes into @gather, and devices may still reach the pages through
 * cached translations until iommu_iotlb_sync(@gather) or
 * iommu_flush_iotlb_all().
 * @domain: the domain.
 * @iova: the first IOVA, page aligned.
 * @size: bytes, rounded up to pages.
 * @gather: from iommu_iotlb_gather_init(); NULL for none (then only
 *          iommu_flush_iotlb_all() reaches the IOTLB).
 *
 * Return: as iommu_unmap().
 */
size_t iommu_unmap_fast(struct iommu_domain *domain, unsigned long iova,
			size_t size, struct iommu_iotlb_gather *gather);

/**
 * iommu_iotlb_sync() - invalidate a gather's range in the IOTLB for every
 * device attached to the domain, and make the gather empty.
 * @domain: the domain; NULL does nothing.
 * @gather: the gather; NULL or empty does nothing.
 */
void iommu_iotlb_sync(struct iommu_domain *domain,
		      struct iommu_iotlb_gather *gather);

/**
 * iommu_flush_iotlb_all() - invalidate every IOTLB entry of the domain's
 * devices.
 * @domain: the domain; NULL does nothing.
 */
void iommu_flush_iotlb_all(struct iommu_domain *domain);

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
 *           IOMMU_FAULT_WRITE and @token, after the access was refused,
 *           with no lock held; NULL for none.
 * @token: its last argument.
 */
void iommu_set_fault_handler(struct iommu_domain *domain,
			     iommu_fault_handler_t handler, void *token);

/**
 * report_iommu_fault() - what an IOMMU driver calls on a fault: record it
 * in the domain (as a translation fault on the device's stream) and call
 * the domain's fault handler.
 * @domain: the domain the device is attached to.
 * @dev: the device.
 * @iova: the faulting address.
 * @flags: IOMMU_FAULT_READ or IOMMU_FAULT_WRITE.
 *
 * Return: the handler's return value, -ENOSYS if there is none, -EINVAL
 * for NULL arguments.
 */
int report_iommu_fault(struct iommu_domain *domain, struct device *dev,
		       unsigned long iova, int flags);

/**
 * dk_iommu_fault_count() - how many faults a domain heard of since it was
 * allocated (each refused access of an attached device, and each
 * report_iommu_fault()).
 * @domain: the domain.
 *
 * Return: the count; 0 for NULL.
 */
unsigned long dk_iommu_fault_count(struct iommu_domain *domain);

/**
 * dk_iommu_last_fault() - the domain's latest fault, with the device's
 * node path, stream ID, address, access and reason.
 * @domain: the domain.
 * @out: filled in; the device string lives as long as the machine.
 *
 * Return: 0; -ENOENT if there was none; -EINVAL for NULL.
 */
int dk_iommu_last_fault(struct iommu_domain *domain,
			struct dk_iommu_fault *out);

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
