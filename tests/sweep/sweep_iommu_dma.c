// SPDX-License-Identifier: MIT
/* Hostile input to iommu-dma's controls and the two-step IOVA API. */
#include <errno.h>

#include <dmakit/iommu-dma.h>
#include <dmakit/slab.h>

#include "sweep.h"

/* The built-in SoC's MMC host maps through the SMMU (iommu-dma). */
static struct device *behind(struct sweep_env *e)
{
	return sweep_dev(e, "mmc@10110000");
}

SWEEP(dk_iommu_dma_set_strict, "NULL, dead, and a device without IOMMU",
      W_MACHINE)
{
	EXPECT(dk_iommu_dma_set_strict(NULL, true) == -EINVAL);
	EXPECT(dk_iommu_dma_set_strict(sweep_dead_device(e), true) == -EINVAL);
	EXPECT(dk_iommu_dma_set_strict(e->dev, false) == -ENODEV);
	EXPECT(dk_iommu_dma_set_strict(behind(e), false) == 0);
	EXPECT(!dk_iommu_dma_is_strict(behind(e)));
	return 0;
}

SWEEP(dk_iommu_dma_is_strict, "NULL, dead, and a device without IOMMU",
      W_MACHINE)
{
	EXPECT(dk_iommu_dma_is_strict(NULL));
	EXPECT(dk_iommu_dma_is_strict(sweep_dead_device(e)));
	EXPECT(dk_iommu_dma_is_strict(e->dev));
	return 0;
}

SWEEP(dk_iommu_dma_flush_queue, "NULL, dead, and a device without IOMMU",
      W_MACHINE)
{
	dk_iommu_dma_flush_queue(NULL);
	dk_iommu_dma_flush_queue(sweep_dead_device(e));
	dk_iommu_dma_flush_queue(e->dev);
	return 0;
}

SWEEP(dk_iommu_dma_stats, "NULL arguments, a device without IOMMU",
      W_MACHINE)
{
	struct dk_iommu_dma_stats st;

	EXPECT(dk_iommu_dma_stats(NULL, &st) == -EINVAL);
	EXPECT(dk_iommu_dma_stats(behind(e), NULL) == -EINVAL);
	EXPECT(dk_iommu_dma_stats(sweep_dead_device(e), &st) == -EINVAL);
	EXPECT(dk_iommu_dma_stats(e->dev, &st) == -ENODEV);
	return 0;
}

SWEEP(dma_iova_try_alloc, "NULL, size 0, no IOMMU, a size past the mask",
      W_MACHINE)
{
	struct dma_iova_state s;

	EXPECT(!dma_iova_try_alloc(NULL, &s, 0, 4096));
	EXPECT(!dma_iova_try_alloc(behind(e), NULL, 0, 4096));
	EXPECT(!dma_iova_try_alloc(behind(e), &s, 0, 0) && !dma_use_iova(&s));
	EXPECT(!dma_iova_try_alloc(e->dev, &s, 0, 4096) && !dma_use_iova(&s));
	EXPECT(!dma_iova_try_alloc(sweep_dead_device(e), &s, 0, 4096));
	EXPECT(!dma_iova_try_alloc(behind(e), &s, 0, SIZE_MAX));
	EXPECT(!dma_use_iova(&s));
	return 0;
}

SWEEP(dma_use_iova, "a zeroed state", W_NONE)
{
	struct dma_iova_state s = { 0 };

	EXPECT(!dma_use_iova(&s));
	return 0;
}

SWEEP(dma_iova_link, "unused state, outside the range, not RAM, twice",
      W_MACHINE)
{
	struct device *d = behind(e);
	struct dma_iova_state s = { 0 }, none = { 0 };
	phys_addr_t pa = virt_to_phys(e->buf);

	EXPECT(dma_iova_link(d, &none, pa, 0, 64, DMA_TO_DEVICE, 0) ==
	       -EINVAL);
	EXPECT(dma_iova_try_alloc(d, &s, pa, 4096));
	EXPECT(dma_iova_link(NULL, &s, pa, 0, 64, DMA_TO_DEVICE, 0) ==
	       -EINVAL);
	EXPECT(dma_iova_link(d, NULL, pa, 0, 64, DMA_TO_DEVICE, 0) ==
	       -EINVAL);
	EXPECT(dma_iova_link(d, &s, pa, 1 << 20, 64, DMA_TO_DEVICE, 0) ==
	       -EINVAL);
	EXPECT(dma_iova_link(d, &s, pa, 0, SIZE_MAX, DMA_TO_DEVICE, 0) ==
	       -EINVAL);
	EXPECT(dma_iova_link(d, &s, 0x1000, 0, 64, DMA_TO_DEVICE, 0) ==
	       -EINVAL);
	EXPECT(dma_iova_link(d, &s, pa, 0, 64, 7, 0) == -EINVAL);
	EXPECT(dma_iova_link(d, &s, pa, 0, 64, DMA_TO_DEVICE, 0) == 0);
	EXPECT(dma_iova_link(d, &s, pa, 0, 64, DMA_TO_DEVICE, 0) == -EEXIST);
	EXPECT(dma_iova_sync(d, &s, 0, 64) == 0);
	dma_iova_destroy(d, &s, 64, DMA_TO_DEVICE, 0);
	EXPECT(!dma_use_iova(&s));
	return 0;
}

SWEEP(dma_iova_sync, "unused state, a span outside the range", W_MACHINE)
{
	struct device *d = behind(e);
	struct dma_iova_state s = { 0 }, none = { 0 };

	EXPECT(dma_iova_sync(d, &none, 0, 64) == -EINVAL);
	EXPECT(dma_iova_sync(d, NULL, 0, 64) == -EINVAL);
	EXPECT(dma_iova_try_alloc(d, &s, virt_to_phys(e->buf), 4096));
	EXPECT(dma_iova_sync(d, &s, 4096, 4096) == -EINVAL);
	EXPECT(dma_iova_sync(d, &s, SIZE_MAX, 2) == -EINVAL);
	dma_iova_free(d, &s);
	return 0;
}

SWEEP(dma_iova_unlink, "unused state, never linked, NULL", W_MACHINE)
{
	struct device *d = behind(e);
	struct dma_iova_state s = { 0 }, none = { 0 };

	dma_iova_unlink(d, &none, 0, 64, DMA_TO_DEVICE, 0);
	dma_iova_unlink(d, NULL, 0, 64, DMA_TO_DEVICE, 0);
	dma_iova_unlink(NULL, &none, 0, 64, DMA_TO_DEVICE, 0);
	EXPECT(dma_iova_try_alloc(d, &s, virt_to_phys(e->buf), 4096));
	dma_iova_unlink(d, &s, 0, 64, DMA_TO_DEVICE, 0);
	dma_iova_unlink(d, &s, SIZE_MAX, 2, DMA_TO_DEVICE, 0);
	dma_iova_free(d, &s);
	return 0;
}

SWEEP(dma_iova_free, "NULL, an unused state, twice", W_MACHINE)
{
	struct device *d = behind(e);
	struct dma_iova_state s = { 0 };

	dma_iova_free(NULL, &s);
	dma_iova_free(d, NULL);
	dma_iova_free(d, &s);
	EXPECT(dma_iova_try_alloc(d, &s, virt_to_phys(e->buf), 4096));
	dma_iova_free(d, &s);
	dma_iova_free(d, &s);
	EXPECT(!dma_use_iova(&s));
	return 0;
}

SWEEP(dma_iova_destroy, "NULL, an unused state, a length past the range",
      W_MACHINE)
{
	struct device *d = behind(e);
	struct dma_iova_state s = { 0 };

	dma_iova_destroy(NULL, &s, 0, DMA_TO_DEVICE, 0);
	dma_iova_destroy(d, NULL, 0, DMA_TO_DEVICE, 0);
	dma_iova_destroy(d, &s, 64, DMA_TO_DEVICE, 0);
	EXPECT(dma_iova_try_alloc(d, &s, virt_to_phys(e->buf), 4096));
	dma_iova_destroy(d, &s, SIZE_MAX, DMA_TO_DEVICE, 0);
	EXPECT(!dma_use_iova(&s));
	return 0;
}
