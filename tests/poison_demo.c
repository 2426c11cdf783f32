// SPDX-License-Identifier: MIT
/*
 * A driver that writes into a receive buffer while the device owns it.
 * tests/poison.sh runs it under AddressSanitizer and under Valgrind and
 * expects each to stop at the write and name the mapping that owns the
 * buffer; without either, the checker reports the dirty line at unmap.
 */
#include <stdio.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/machine.h>
#include <dmakit/platform.h>
#include <dmakit/slab.h>
#include <dmakit/soc.h>

/* Not static: the reports name it as where the mapping was made. */
dma_addr_t poison_demo_map(struct device *dev, void *buf, size_t len);

__attribute__((noinline)) dma_addr_t poison_demo_map(struct device *dev,
						     void *buf, size_t len)
{
	return dma_map_single(dev, buf, len, DMA_FROM_DEVICE);
}

int main(void)
{
	struct dk_soc *soc;
	struct dk_platform pl;
	struct dk_machine *m;
	struct device *dev;
	volatile unsigned char *buf;
	dma_addr_t h;

	if (dk_soc_load_default(NULL, &soc) || dk_platform_sim(soc, &pl) ||
	    dk_machine_boot(&pl, NULL, &m)) {
		fprintf(stderr, "poison_demo: %s\n", dk_last_error());
		return 1;
	}
	dev = dk_machine_find_device(m, "master@10010000");
	buf = kmalloc(256, GFP_KERNEL);
	h = poison_demo_map(dev, (void *)buf, 256);
	if (dma_mapping_error(dev, h))
		return 1;
	buf[10] = 0x42;		/* the bug: the device owns this buffer */
	dma_unmap_single(dev, h, 256, DMA_FROM_DEVICE);
	dk_machine_shutdown(m);
	dk_soc_free(soc);
	return 0;
}
