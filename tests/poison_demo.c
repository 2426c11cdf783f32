// SPDX-License-Identifier: MIT
/*
 * A driver that writes into a receive buffer while the device owns it.
 * tests/poison.sh runs it under AddressSanitizer and under Valgrind and
 * expects each to stop at the write and name the mapping that owns the
 * buffer; without either, the checker reports the dirty line at unmap.
 * With "coherent-uaf" it writes through a dma_alloc_coherent address
 * after freeing it instead, which ASan and Valgrind must stop too.
 */
#include <stdio.h>
#include <string.h>

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

/* The bug: a store through the uncached alias after dma_free_coherent. */
static int coherent_use_after_free(struct device *dev)
{
	volatile unsigned char *p;
	dma_addr_t h;

	p = dma_alloc_coherent(dev, 4096, &h, GFP_KERNEL);
	if (!p)
		return 1;
	p[0] = 1;
	dma_free_coherent(dev, 4096, (void *)p, h);
	p[10] = 0x42;
	return 0;
}

int main(int argc, char **argv)
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
	if (argc > 1 && !strcmp(argv[1], "coherent-uaf"))
		return coherent_use_after_free(dev);
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
