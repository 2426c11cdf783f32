// SPDX-License-Identifier: MIT
/*
 * Inputs that used to crash or hang the library: each is now refused with
 * an exact error (or message), and the objects involved stay usable.
 * The sweep over every public function (tests/sweep.c) finds the next
 * such input; these tests pin the behaviour each fix chose.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/dmapool.h>
#include <dmakit/error.h>
#include <dmakit/io.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

#define MASTER "master@10010000"

static struct device *master(struct testmachine *t)
{
	struct device *dev = dk_machine_find_device(t->m, MASTER);

	CHECK(dev);
	return dev;
}

TEST(hostile_map_single_without_dma_mask)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = master(&t);
	u64 *mask = dev->dma_mask;
	void *buf = kmalloc(64, GFP_KERNEL);
	char want[160];

	dev->dma_mask = NULL;
	CHECK_EQ(dma_map_single(dev, buf, 64, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	snprintf(want, sizeof(want), "/soc/%s: dma_map_single: device has no DMA mask",
		 MASTER);
	CHECK(err_is(want));
	dev->dma_mask = mask;
	kfree(buf);
	testmachine_shutdown(&t);
}

TEST(hostile_sg_count_beyond_the_list)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = master(&t);
	struct scatterlist sg[2];
	void *a = kmalloc(64, GFP_KERNEL), *b = kmalloc(64, GFP_KERNEL);
	struct capture cap;
	char out[512];

	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], a, 64);
	sg_set_buf(&sg[1], b, 64);
	CHECK_EQ(dma_map_sg(dev, sg, 3, DMA_TO_DEVICE), 0);
	CHECK(err_is("dma_map_sg: 3 entries asked, the list has 2"));
	cap = capture_start();
	dma_sync_sg_for_cpu(dev, NULL, 1, DMA_FROM_DEVICE);
	dma_sync_sg_for_device(dev, sg, 5, DMA_TO_DEVICE);
	capture_end(&cap, out, sizeof(out));
	CHECK_STR(out, "BUG: dma_sync_sg_for_cpu: empty list\n"
		       "BUG: dma_sync_sg_for_device: 5 entries asked, the list has 2\n");
	kfree(a);
	kfree(b);
	testmachine_shutdown(&t);
}

TEST(hostile_scatterlist_null_entries)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	u8 buf[8] = { 0 };
	struct capture cap;
	char out[512];

	cap = capture_start();
	sg_init_table(NULL, 4);
	sg_set_buf(NULL, buf, 8);
	capture_end(&cap, out, sizeof(out));
	CHECK_STR(out, "BUG: sg_init_table: NULL scatterlist\n"
		       "BUG: sg_set_buf: NULL scatterlist\n");
	CHECK(sg_next(NULL) == NULL);
	CHECK(sg_virt(NULL) == NULL);
	CHECK(err_is("sg_virt: NULL scatterlist"));
	CHECK_EQ(sg_copy_from_buffer(NULL, 1, buf, 8), 0);
	CHECK(err_is("sg_copy: NULL scatterlist"));
	testmachine_shutdown(&t);
}

TEST(hostile_sg_alloc_table_huge_count_fails_fast)
{
	struct sg_table sgt;

	CHECK_EQ(sg_alloc_table(&sgt, UINT_MAX, GFP_KERNEL), -ENOMEM);
	CHECK(err_is("sg_alloc_table: 4294967295 entries is over the limit of 16777216"));
	CHECK(sgt.sgl == NULL);
}

TEST(hostile_io_block_copies_with_null)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	u8 buf[4] = { 1, 2, 3, 4 };
	struct capture cap;
	char out[512];

	cap = capture_start();
	memcpy_toio(NULL, buf, 4);
	memcpy_fromio(buf, NULL, 4);
	memset_io(NULL, 0, 4);
	capture_end(&cap, out, sizeof(out));
	CHECK_STR(out, "memcpy_toio((nil), 4 bytes): NULL I/O address\n"
		       "memcpy_fromio((nil), 4 bytes): NULL I/O address\n"
		       "memset_io((nil), 4 bytes): NULL I/O address\n");
	CHECK_EQ(buf[0], 1);
	testmachine_shutdown(&t);
}

TEST(hostile_soc_show_null_stream_is_stdout)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	FILE *tmp = tmpfile();
	char line[128] = "";
	int saved = dup(1);

	CHECK(tmp && saved >= 0);
	fflush(stdout);
	dup2(fileno(tmp), 1);
	dk_soc_show(t.soc, NULL);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(tmp);
	CHECK(fgets(line, sizeof(line), tmp) != NULL);
	CHECK_STR(line, "SoC: ");
	fclose(tmp);
	testmachine_shutdown(&t);
}

TEST(hostile_drvdata_of_null_device)
{
	CHECK(dev_get_drvdata(NULL) == NULL);
	CHECK(err_is("dev_get_drvdata: NULL device"));
}

TEST(hostile_pool_destroyed_twice_and_used_after)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct dma_pool *pool = dma_pool_create("p", master(&t), 64, 64, 0);
	dma_addr_t dma;
	struct capture cap;
	char out[512], want[512];

	CHECK(pool);
	dma_pool_destroy(pool);
	cap = capture_start();
	dma_pool_destroy(pool);
	capture_end(&cap, out, sizeof(out));
	snprintf(want, sizeof(want),
		 "BUG: dma_pool_destroy: pool %p is not live (destroyed twice?)\n",
		 (void *)pool);
	CHECK_STR(out, want);
	CHECK(dma_pool_alloc(pool, GFP_KERNEL, &dma) == NULL);
	snprintf(want, sizeof(want),
		 "dma_pool_alloc: pool %p is not live (freed, or not made by dmakit)",
		 (void *)pool);
	CHECK(err_is(want));
	testmachine_shutdown(&t);
}

TEST(hostile_soc_freed_under_its_machine_and_twice)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct capture cap;
	char out[512], want[512];
	void *p;

	cap = capture_start();
	dk_soc_free(t.soc);
	capture_end(&cap, out, sizeof(out));
	snprintf(want, sizeof(want),
		 "dk_soc_free: a machine still runs on SoC %p: dk_machine_shutdown() it first\n",
		 (void *)t.soc);
	CHECK_STR(out, want);
	/* Refused, so the machine still works and shuts down. */
	p = kmalloc(32, GFP_KERNEL);
	CHECK(p != NULL);
	kfree(p);
	dk_machine_shutdown(t.m);
	cap = capture_start();
	dk_machine_shutdown(t.m);
	capture_end(&cap, out, sizeof(out));
	snprintf(want, sizeof(want),
		 "dk_machine_shutdown: machine %p is not live (shut down twice?)\n",
		 (void *)t.m);
	CHECK_STR(out, want);
	dk_soc_free(t.soc);
	cap = capture_start();
	dk_soc_free(t.soc);
	capture_end(&cap, out, sizeof(out));
	snprintf(want, sizeof(want),
		 "dk_soc_free: SoC %p is not live (freed, or not made by dmakit) (freed twice?)\n",
		 (void *)t.soc);
	CHECK_STR(out, want);
}

/* ---- silent acceptance: now a finding or an error */

static const struct dk_dma_finding *only_finding(enum dk_dma_check check)
{
	CHECK_EQ(dk_dma_debug_nfindings(), 1);
	if (dk_dma_debug_nfindings() != 1)
		return NULL;
	CHECK_EQ(dk_dma_debug_finding(0)->check, check);
	return dk_dma_debug_finding(0);
}

TEST(hostile_map_of_freed_and_overrun_kmalloc_objects)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = master(&t);
	u8 *a = kmalloc(128, GFP_KERNEL), *b = kmalloc(128, GFP_KERNEL);
	const struct dk_dma_finding *f;
	char want[256];
	dma_addr_t d;

	dk_dma_debug_clear();
	kfree(a);
	d = dma_map_single(dev, a, 64, DMA_TO_DEVICE);
	f = only_finding(DK_CHK_MAP_FREED);
	snprintf(want, sizeof(want),
		 "device driver maps freed kmalloc memory [addr=%p] [len=64]",
		 (void *)a);
	CHECK(f && !strcmp(f->message, want));
	dma_unmap_single(dev, d, 64, DMA_TO_DEVICE);

	dk_dma_debug_clear();
	d = dma_map_single(dev, b + 64, 128, DMA_TO_DEVICE);
	f = only_finding(DK_CHK_MAP_BEYOND_OBJECT);
	snprintf(want, sizeof(want),
		 "device driver maps memory beyond its kmalloc object [addr=%p] [len=128] [object=%p] [object size=128]",
		 (void *)(b + 64), (void *)b);
	CHECK(f && !strcmp(f->message, want));
	dma_unmap_single(dev, d, 128, DMA_TO_DEVICE);
	CHECK_STR(dk_dma_check_name(DK_CHK_MAP_FREED), "map-freed-object");
	CHECK_STR(dk_dma_check_name(DK_CHK_MAP_BEYOND_OBJECT), "map-beyond-object");

	/* The whole object, and an object in use, are fine. */
	dk_dma_debug_clear();
	d = dma_map_single(dev, b, 128, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(dev, d));
	dma_unmap_single(dev, d, 128, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	kfree(b);
	testmachine_shutdown(&t);
}

TEST(hostile_kfree_of_a_mapped_buffer)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = master(&t);
	u8 *a = kmalloc(256, GFP_KERNEL);
	const struct dk_dma_finding *f;
	char want[256];
	dma_addr_t d = dma_map_single(dev, a, 256, DMA_FROM_DEVICE);

	dk_dma_debug_clear();
	kfree(a);
	f = only_finding(DK_CHK_FREE_MAPPED);
	snprintf(want, sizeof(want),
		 "device driver frees kmalloc memory it still has mapped for DMA [addr=%p] [size=256]",
		 (void *)a);
	CHECK(f && !strcmp(f->message, want));
	CHECK(f && f->dev_addr == d);
	CHECK_STR(dk_dma_check_name(DK_CHK_FREE_MAPPED), "free-while-mapped");
	dma_unmap_single(dev, d, 256, DMA_FROM_DEVICE);
	testmachine_shutdown(&t);
}

TEST(hostile_kfree_of_a_bounced_mapped_buffer)
{
	struct dk_machine_opts o = { .swiotlb_force = true };
	struct testmachine t = testmachine_boot(NULL, NULL, &o);
	struct device *dev = master(&t);
	u8 *a = kmalloc(256, GFP_KERNEL);
	dma_addr_t d = dma_map_single(dev, a, 64, DMA_TO_DEVICE);

	CHECK(!dma_mapping_error(dev, d));
	dk_dma_debug_clear();
	kfree(a);
	CHECK(only_finding(DK_CHK_FREE_MAPPED) != NULL);
	dma_unmap_single(dev, d, 64, DMA_TO_DEVICE);
	testmachine_shutdown(&t);
}

TEST(hostile_map_page_offset_beyond_its_block)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = master(&t);
	struct page *one = alloc_pages(GFP_KERNEL, 0);
	struct page *four = alloc_pages(GFP_KERNEL, 2);
	dma_addr_t d;
	char want[256];

	CHECK_EQ(dma_map_page(dev, one, 4096, 16, DMA_TO_DEVICE),
		 DMA_MAPPING_ERROR);
	snprintf(want, sizeof(want),
		 "/soc/%s: dma_map_page: offset 0x1000 is beyond the page (%p, 4096 bytes)",
		 MASTER, (void *)one);
	CHECK(err_is(want));
	/* Inside a block of four pages is where a driver may point. */
	d = dma_map_page(dev, four, 3 * 4096, 64, DMA_TO_DEVICE);
	CHECK(d != DMA_MAPPING_ERROR);
	dma_unmap_page(dev, d, 64, DMA_TO_DEVICE);
	CHECK_EQ(dma_map_page(dev, four, 4 * 4096, 64, DMA_TO_DEVICE),
		 DMA_MAPPING_ERROR);
	__free_pages(one, 0);
	__free_pages(four, 2);
	testmachine_shutdown(&t);
}

TEST(hostile_unmap_null_device_and_free_pages_of_no_page)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	static u8 not_ram[8192];
	struct capture cap;
	char out[512], want[256];

	cap = capture_start();
	dma_unmap_single(NULL, 0x1000, 64, DMA_TO_DEVICE);
	free_pages((unsigned long)not_ram, 0);
	capture_end(&cap, out, sizeof(out));
	snprintf(want, sizeof(want),
		 "BUG: dma_unmap_single: NULL device\n"
		 "BUG: free_pages(0x%lx, 0): not the address of a page of the machine\n",
		 (unsigned long)not_ram);
	CHECK_STR(out, want);
	testmachine_shutdown(&t);
}

TEST(hostile_device_of_a_machine_that_was_shut_down)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = master(&t);
	struct testmachine t2;
	u8 *buf;
	char want[256];

	testmachine_shutdown(&t);
	CHECK_STR(dev_name(dev), "(device not live)");
	t2 = testmachine_boot(NULL, NULL, NULL);
	buf = kmalloc(64, GFP_KERNEL);
	CHECK_EQ(dma_map_single(dev, buf, 64, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	snprintf(want, sizeof(want),
		 "dma_map_single: device %p is not live (its machine was shut down, or it was unregistered)",
		 (void *)dev);
	CHECK(err_is(want));
	kfree(buf);
	testmachine_shutdown(&t2);
}

TEST(hostile_second_boot_on_a_busy_platform)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct dk_machine *m2 = (struct dk_machine *)1;
	char want[256];
	void *p;

	CHECK_EQ(dk_machine_boot(&t.pl, NULL, &m2), -EBUSY);
	CHECK(m2 == NULL);
	snprintf(want, sizeof(want),
		 "dk_machine_boot: the platform already runs machine %p; shut it down first",
		 (void *)t.m);
	CHECK(err_is(want));
	/* The first machine is untouched. */
	p = alloc_pages(GFP_KERNEL, 0);
	CHECK(p != NULL);
	__free_pages(p, 0);
	testmachine_shutdown(&t);
}

TEST(hostile_dma_debug_environment_any_case_and_unknown)
{
	struct testmachine t;
	struct capture cap;
	char out[512];

	setenv("DMAKIT_DMA_DEBUG", "OFF", 1);
	t = testmachine_boot(NULL, NULL, NULL);
	CHECK_EQ(dk_dma_debug_get_mode(), DK_DMA_DEBUG_OFF);
	testmachine_shutdown(&t);
	setenv("DMAKIT_DMA_DEBUG", "First", 1);
	t = testmachine_boot(NULL, NULL, NULL);
	CHECK_EQ(dk_dma_debug_get_mode(), DK_DMA_DEBUG_FIRST);
	testmachine_shutdown(&t);
	setenv("DMAKIT_DMA_DEBUG", "loud", 1);
	cap = capture_start();
	t = testmachine_boot(NULL, NULL, NULL);
	capture_end(&cap, out, sizeof(out));
	CHECK_STR(out, "DMAKIT_DMA_DEBUG=loud is not a mode (off, first, all or abort, in any case): the checker's mode stays first\n");
	CHECK_EQ(dk_dma_debug_get_mode(), DK_DMA_DEBUG_FIRST);
	testmachine_shutdown(&t);
	unsetenv("DMAKIT_DMA_DEBUG");
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
}
