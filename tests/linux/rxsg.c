// SPDX-License-Identifier: MIT
/*
 * A receive path over a scatter-gather table, in the style of upstream
 * drivers: <linux/...> includes only, and int loop counters over the
 * table's unsigned entry counts, which must build clean with -Wextra
 * (tests/test_linux_sg.c drives it). No <linux/errno.h>: as in Linux,
 * <linux/dma-mapping.h> brings the error numbers.
 */
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>

#include "rxsg.h"

/* Map @sgt for the device to fill; describe each DMA segment. */
int rxsg_start(struct device *dev, struct sg_table *sgt, u64 *addr, u32 *len,
	       int max)
{
	struct scatterlist *sg;
	int i, ret;

	if (max < 1)
		return -EINVAL;
	ret = dma_map_sgtable(dev, sgt, DMA_FROM_DEVICE, 0);
	if (ret)
		return ret;
	for_each_sgtable_dma_sg(sgt, sg, i) {
		if (i == max)
			break;
		addr[i] = sg_dma_address(sg);
		len[i] = sg_dma_len(sg);
	}
	return i;
}

/* Give the buffers back to the CPU; return the bytes they hold. */
size_t rxsg_finish(struct device *dev, struct sg_table *sgt)
{
	struct scatterlist *sg;
	size_t bytes = 0;
	int i;

	dma_unmap_sgtable(dev, sgt, DMA_FROM_DEVICE, 0);
	for_each_sgtable_sg(sgt, sg, i)
		bytes += sg->length;
	return bytes;
}
