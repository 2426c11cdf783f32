// SPDX-License-Identifier: MIT
/*
 * Bare devices, as the kernel's own self-tests make them: device_register()
 * and friends, reference counts and ->release, and the DMA-pool self-test
 * shape (tests/linux/pool_selftest.c, only <linux/...> includes).
 */
#include <errno.h>
#include <string.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>

#include "harness.h"
#include "linux/pool_selftest.h"
#include "testsoc.h"

/* The Linux-only names this test calls, as <linux/device.h> has them. */
void device_initialize(struct device *dev);
int dev_set_name(struct device *dev, const char *fmt, ...);
int device_add(struct device *dev);
int device_register(struct device *dev);
void device_del(struct device *dev);
struct device *get_device(struct device *dev);
void put_device(struct device *dev);

static int released;

static void release(struct device *dev)
{
	(void)dev;
	released++;
}

TEST(linux_device_pool_selftest_shape_passes_and_releases_once)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	int rel = -1;

	CHECK_EQ(pool_selftest(&rel), 0);
	CHECK_EQ(rel, 1);
	testmachine_shutdown(&t);
}

TEST(linux_device_register_refcount_and_release)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device dev;
	struct capture c;
	char log[256];
	dma_addr_t h;
	void *p;

	memset(&dev, 0, sizeof(dev));
	released = 0;
	device_initialize(&dev);
	/* Not added: not a device DMA may use yet. */
	CHECK_EQ(device_add(&dev), -EINVAL);
	CHECK(err_is("device_add: device has no name (dev_set_name)"));
	CHECK_EQ(dev_set_name(&dev, "bare%d", 7), 0);
	CHECK(dma_alloc_coherent(&dev, 64, &h, GFP_KERNEL) == NULL);
	CHECK_EQ(device_add(&dev), 0);
	CHECK_STR(dev_name(&dev), "bare7");
	CHECK_EQ(device_add(&dev), -EBUSY);
	/* Added: Linux's defaults for a device no firmware describes. */
	CHECK_EQ(*dev.dma_mask, DMA_BIT_MASK(32));
	p = dma_alloc_coherent(&dev, 64, &h, GFP_KERNEL);
	CHECK(p != NULL);
	CHECK(h + 64 <= DMA_BIT_MASK(32) + 1);
	dma_free_coherent(&dev, 64, p, h);
	CHECK(get_device(&dev) == &dev);
	put_device(&dev);
	CHECK_EQ(released, 0);		/* the first reference remains */
	device_del(&dev);
	CHECK(dma_alloc_coherent(&dev, 64, &h, GFP_KERNEL) == NULL);
	CHECK_STR(dev_name(&dev), "(device not live)");
	c = capture_start();
	put_device(&dev);
	capture_end(&c, log, sizeof(log));
	CHECK(strstr(log, "Device 'bare7' does not have a release() function"));
	CHECK_EQ(released, 0);
	/* Again, with a release, left added at shutdown. */
	memset(&dev, 0, sizeof(dev));
	dev.release = release;
	CHECK_EQ(dev_set_name(&dev, "bare8"), 0);
	CHECK_EQ(device_register(&dev), 0);
	testmachine_shutdown(&t);
	CHECK_EQ(released, 0);		/* off the machine; still the owner's */
	put_device(&dev);
	CHECK_EQ(released, 1);
}

TEST(linux_device_put_without_release_is_reported)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct capture c = capture_start();
	struct device dev;
	char log[256];

	memset(&dev, 0, sizeof(dev));
	CHECK_EQ(dev_set_name(&dev, "norelease"), 0);
	CHECK_EQ(device_register(&dev), 0);
	put_device(&dev);	/* deletes it too */
	capture_end(&c, log, sizeof(log));
	CHECK_STR(log, "Device 'norelease' does not have a release() function, it is broken and must be fixed.\n");
	CHECK_EQ(dev_set_name(dk_machine_device(t.m, 0), "x"), -EINVAL);
	testmachine_shutdown(&t);
}
