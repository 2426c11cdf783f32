// SPDX-License-Identifier: MIT
/*
 * A self-test in the shape of the kernel's own DMA-pool test, with only
 * <linux/...> includes: a bare struct device named with dev_set_name(),
 * registered, given the direct backend with set_dma_ops() and a 64-bit
 * mask, then pools of several block sizes filled and emptied; the device
 * is deleted and its last reference dropped, which calls ->release.
 */
#include <linux/device.h>
#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "pool_selftest.h"

#define NR_TESTS 32

static struct device test_dev;
static u64 dma_mask;
static int releases;

struct block {
	void *p;
	dma_addr_t dma;
};

static void pool_test_release(struct device *dev)
{
	releases++;
}

static int pool_test_blocks(size_t size, size_t align, size_t boundary)
{
	struct block *b = kcalloc(NR_TESTS, sizeof(*b), GFP_KERNEL);
	struct dma_pool *pool;
	int i, ret = 0;

	if (!b)
		return -ENOMEM;
	pool = dma_pool_create("pool-selftest", &test_dev, size, align,
			       boundary);
	if (!pool) {
		kfree(b);
		return -ENOMEM;
	}
	for (i = 0; i < NR_TESTS; i++) {
		b[i].p = dma_pool_alloc(pool, GFP_KERNEL, &b[i].dma);
		if (!b[i].p) {
			ret = -ENOMEM;
			break;
		}
		if ((align && (b[i].dma & (align - 1))) ||
		    (boundary && (b[i].dma & ~(boundary - 1)) !=
		     ((b[i].dma + size - 1) & ~(boundary - 1)))) {
			ret = -EINVAL;
			break;
		}
		memset(b[i].p, i, size);
	}
	while (i--)
		dma_pool_free(pool, b[i].p, b[i].dma);
	dma_pool_destroy(pool);
	kfree(b);
	return ret;
}

int pool_selftest(int *released)
{
	static const size_t sizes[][3] = {
		{ 16, 1, 0 }, { 64, 64, 0 }, { 256, 0, 0 }, { 1024, 0, 0 },
		{ 4096, 0, 0 }, { 68, 0, 4096 },
	};
	size_t i;
	int ret;

	releases = 0;
	memset(&test_dev, 0, sizeof(test_dev));
	ret = dev_set_name(&test_dev, "dmapool-test");
	if (ret)
		return ret;
	ret = device_register(&test_dev);
	if (ret)
		goto put_device;
	/* Cleanup is put_device()'s, through the release function. */
	test_dev.release = pool_test_release;
	set_dma_ops(&test_dev, NULL);
	test_dev.dma_mask = &dma_mask;
	ret = dma_set_mask_and_coherent(&test_dev, DMA_BIT_MASK(64));
	for (i = 0; !ret && i < ARRAY_SIZE(sizes); i++)
		ret = pool_test_blocks(sizes[i][0], sizes[i][1], sizes[i][2]);
	device_del(&test_dev);
put_device:
	put_device(&test_dev);
	*released = releases;
	return ret;
}

MODULE_LICENSE("Dual MIT/GPL");	/* the file is MIT */
