// SPDX-License-Identifier: MIT
/* Sweep cases: iommu-dma's controls and the two-step IOVA API. */
#include <errno.h>

#include <dmakit/iommu-dma.h>

#include "sweep.h"

/* The built-in tree's master behind the SMMU. */
static struct device *mapped(struct sweep_env *e)
{
	return dk_machine_find_device(e->m, "mmc@10110000");
}

SWEEP(dk_iommu_dma_set_strict, "NULL, dead, no IOMMU", W_MACHINE)
{
	EXPECT(dk_iommu_dma_set_strict(NULL, false) == -EINVAL);
	EXPECT(dk_iommu_dma_set_strict(sweep_dead_device(e), false) == -EINVAL);
	EXPECT(dk_iommu_dma_set_strict(e->dev, false) == -ENODEV);
	EXPECT(dk_iommu_dma_set_strict(mapped(e), false) == 0);
	return 0;
}

SWEEP(dk_iommu_dma_is_strict, "NULL, dead, no IOMMU", W_MACHINE)
{
	EXPECT(dk_iommu_dma_is_strict(NULL));
	EXPECT(dk_iommu_dma_is_strict(sweep_dead_device(e)));
	EXPECT(dk_iommu_dma_is_strict(e->dev));
	return 0;
}

SWEEP(dk_iommu_dma_flush_queue, "NULL, dead, no IOMMU, empty", W_MACHINE)
{
	dk_iommu_dma_flush_queue(NULL);
	dk_iommu_dma_flush_queue(sweep_dead_device(e));
	dk_iommu_dma_flush_queue(e->dev);
	dk_iommu_dma_flush_queue(mapped(e));
	return 0;
}

SWEEP(dk_iommu_dma_stats, "NULL arguments, no IOMMU", W_MACHINE)
{
	struct dk_iommu_dma_stats st;

	EXPECT(dk_iommu_dma_stats(NULL, &st) == -EINVAL);
	EXPECT(dk_iommu_dma_stats(mapped(e), NULL) == -EINVAL);
	EXPECT(dk_iommu_dma_stats(e->dev, &st) == -ENODEV);
	return 0;
}

SWEEP(dma_iova_try_alloc, "NULL, no IOMMU, size 0, SIZE_MAX", W_MACHINE)
{
	struct dma_iova_state s;

	EXPECT(!dma_iova_try_alloc(NULL, &s, 0, 4096));
	EXPECT(!dma_iova_try_alloc(mapped(e), NULL, 0, 4096));
	EXPECT(!dma_iova_try_alloc(e->dev, &s, 0, 4096) && !dma_use_iova(&s));
	EXPECT(!dma_iova_try_alloc(mapped(e), &s, 0, 0));
	EXPECT(!dma_iova_try_alloc(mapped(e), &s, 0, SIZE_MAX));
	EXPECT(!dma_iova_try_alloc(sweep_dead_device(e), &s, 0, 4096));
	return 0;
}

SWEEP(dma_use_iova, "a zeroed state", W_NONE)
{
	struct dma_iova_state s = { 0, 0 };

	EXPECT(!dma_use_iova(&s));
	return 0;
}

SWEEP(dma_iova_link, "unused state, outside, not RAM, bad direction", W_MACHINE)
{
	struct dma_iova_state s = { 0, 0 };
	phys_addr_t pa = 0x80000000;

	EXPECT(dma_iova_link(mapped(e), &s, pa, 0, 64, DMA_TO_DEVICE, 0) ==
	       -EINVAL);
	EXPECT(dma_iova_link(NULL, &s, pa, 0, 64, DMA_TO_DEVICE, 0) == -EINVAL);
	EXPECT(dma_iova_try_alloc(mapped(e), &s, pa, 4096));
	EXPECT(dma_iova_link(mapped(e), &s, pa, 4096, 64, DMA_TO_DEVICE, 0) ==
	       -EINVAL);
	EXPECT(dma_iova_link(mapped(e), &s, pa, SIZE_MAX, 2, DMA_TO_DEVICE,
			     0) == -EINVAL);
	EXPECT(dma_iova_link(mapped(e), &s, 0x1000, 0, 64, DMA_TO_DEVICE, 0) ==
	       -EINVAL);
	EXPECT(dma_iova_link(mapped(e), &s, pa, 0, 64, DMA_NONE, 0) == -EINVAL);
	EXPECT(dma_iova_link(mapped(e), &s, pa, 0, 0, DMA_TO_DEVICE, 0) ==
	       -EINVAL);
	dma_iova_free(mapped(e), &s);
	return 0;
}

SWEEP(dma_iova_sync, "NULL, unused state, outside", W_MACHINE)
{
	struct dma_iova_state s = { 0, 0 };

	EXPECT(dma_iova_sync(mapped(e), NULL, 0, 64) == -EINVAL);
	EXPECT(dma_iova_sync(mapped(e), &s, 0, 64) == -EINVAL);
	EXPECT(dma_iova_try_alloc(mapped(e), &s, 0x80000000, 4096));
	EXPECT(dma_iova_sync(mapped(e), &s, 4000, 200) == -EINVAL);
	EXPECT(dma_iova_sync(e->dev, &s, 0, 64) == -EINVAL);
	dma_iova_free(mapped(e), &s);
	return 0;
}

SWEEP(dma_iova_unlink, "unused state, nothing linked, size 0", W_MACHINE)
{
	struct dma_iova_state s = { 0, 0 };

	dma_iova_unlink(mapped(e), &s, 0, 64, DMA_TO_DEVICE, 0);
	dma_iova_unlink(NULL, NULL, 0, 64, DMA_TO_DEVICE, 0);
	EXPECT(dma_iova_try_alloc(mapped(e), &s, 0x80000000, 4096));
	dma_iova_unlink(mapped(e), &s, 0, 64, DMA_TO_DEVICE, 0);
	dma_iova_unlink(mapped(e), &s, 0, 0, DMA_TO_DEVICE, 0);
	dma_iova_unlink(mapped(e), &s, 0, 8192, DMA_TO_DEVICE, 0);
	dma_iova_free(mapped(e), &s);
	return 0;
}

SWEEP(dma_iova_free, "NULL, unused state, twice", W_MACHINE)
{
	struct dma_iova_state s = { 0, 0 };

	dma_iova_free(mapped(e), NULL);
	dma_iova_free(mapped(e), &s);
	EXPECT(dma_iova_try_alloc(mapped(e), &s, 0x80000000, 4096));
	dma_iova_free(mapped(e), &s);
	EXPECT(!dma_use_iova(&s));
	dma_iova_free(mapped(e), &s);
	return 0;
}

SWEEP(dma_iova_destroy, "unused state, more than linked", W_MACHINE)
{
	struct dma_iova_state s = { 0, 0 };

	dma_iova_destroy(mapped(e), &s, 64, DMA_TO_DEVICE, 0);
	EXPECT(dma_iova_try_alloc(mapped(e), &s, 0x80000000, 4096));
	EXPECT(dma_iova_link(mapped(e), &s, 0x80000000, 0, 64, DMA_TO_DEVICE,
			     0) == 0);
	dma_iova_destroy(mapped(e), &s, 4096, DMA_TO_DEVICE, 0);
	EXPECT(!dma_use_iova(&s));
	return 0;
}
