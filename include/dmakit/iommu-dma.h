/* SPDX-License-Identifier: MIT */
/*
 * iommu-dma's controls: how a device's unmaps reach the IOMMU's IOTLB.
 * Strict (Linux's iommu.strict=1, domain type DMA): every unmap
 * invalidates the IOTLB before it returns, so the device loses the pages
 * at once. Lazy (iommu.strict=0, domain type DMA_FQ): unmaps clear the
 * page tables and queue their IOVAs; one IOTLB invalidation for the whole
 * queue is made when it is full, when its oldest entry is older than the
 * timeout on the platform's clock (checked at each map and unmap), or on
 * dk_iommu_dma_flush_queue(). Until then the IOVAs are not reused, so a
 * stale IOTLB entry can only reach the page it did before; that window is
 * the price of fewer invalidations. dk_machine_opts.iommu_lazy picks the
 * boot default for every device but untrusted ones, which stay strict.
 */
#ifndef DMAKIT_IOMMU_DMA_H
#define DMAKIT_IOMMU_DMA_H

#include <dmakit/device.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Entries a flush queue holds before it flushes itself, as Linux's. */
#define DK_IOMMU_FQ_SIZE	256
/* The queue's timeout, in clock cycles: 10 ms of a 1 GHz clock. With a
 * platform timer (the simulator has one) the queue flushes when the clock
 * passes it, during any CPU wait; without, at the next map or unmap. */
#define DK_IOMMU_FQ_TIMEOUT	10000000ULL

/**
 * dk_iommu_dma_set_strict() - choose strict or lazy invalidation for the
 * domain a device maps through iommu-dma; switching to strict flushes
 * the queue first.
 * @dev: a device behind an IOMMU with iommu-dma.
 * @strict: true: strict; false: the flush queue.
 *
 * Context: any thread.
 * Return: 0, -EINVAL (not a live device), -ENODEV (it does not map
 * through iommu-dma), -EPERM (lazy for a "dmakit,untrusted" device,
 * which is always strict, as Linux keeps untrusted devices); message in
 * dk_last_error().
 */
int dk_iommu_dma_set_strict(struct device *dev, bool strict);

/**
 * dk_iommu_dma_is_strict() - whether a device's unmaps are strict.
 * @dev: a device.
 *
 * Return: true when strict or not behind iommu-dma (nothing is queued).
 */
bool dk_iommu_dma_is_strict(struct device *dev);

/**
 * dk_iommu_dma_flush_queue() - invalidate the IOTLB for everything a
 * device's flush queue holds and free those IOVAs now.
 * @dev: a device; one not behind iommu-dma (or strict) has nothing queued.
 *
 * Context: any thread.
 */
void dk_iommu_dma_flush_queue(struct device *dev);

/**
 * struct dk_iommu_dma_stats - what a device's flush queue did.
 */
struct dk_iommu_dma_stats {
	/** @queued: ranges waiting for the next flush now */
	unsigned long queued;
	/** @flushes: IOTLB invalidations the queue made */
	unsigned long flushes;
	/** @full_flushes: of those, because it was full */
	unsigned long full_flushes;
	/** @timeout_flushes: of those, because its oldest entry timed out */
	unsigned long timeout_flushes;
};

/**
 * dk_iommu_dma_stats() - a device's flush-queue counters.
 * @dev: a device behind iommu-dma.
 * @st: filled in.
 *
 * Return: 0, -EINVAL (NULL), -ENODEV (not behind iommu-dma).
 */
int dk_iommu_dma_stats(struct device *dev, struct dk_iommu_dma_stats *st);

#ifdef __cplusplus
}
#endif

#endif
