// SPDX-License-Identifier: MIT
/*
 * Talk 000's slide "Permissible memory for DMA", one rule broken per
 * story: the buffer's start and size on cache-line boundaries; physically
 * contiguous when there is no IOMMU; addressable by the device through
 * its own view of the bus; and no uncached alias used beside the
 * cacheable one.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/scatterlist.h>

#include "story.h"

#define NIC "master@10010000"

/* ---- start and size line-aligned */

struct rx_ctx {
	u32 seq;		/* the driver's bookkeeping, before... */
	u8 rx[100];
	u32 frames;		/* ...and after the buffer */
};

static int run_aligned(struct story_env *env)
{
	struct device *dev = story_dev(env, NIC);
	struct dk_simdev *sd = story_simdev(env, NIC);
	struct rx_ctx *c = kzalloc(sizeof(*c), GFP_KERNEL);
	u8 *rx = env->fixed ? kmalloc(sizeof(c->rx), GFP_KERNEL) : NULL;
	u8 frame[sizeof(c->rx)];
	dma_addr_t h;

	if (!c || (env->fixed && !rx))
		return -ENOMEM;
	if (!env->fixed)
		rx = c->rx;
	h = dma_map_single(dev, rx, sizeof(frame), DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, h))
		return -ENOMEM;
	/* While the frame arrives the driver counts. */
	c->seq++;
	c->frames++;
	story_fill(frame, sizeof(frame), 100);
	if (dk_dev_dma_write(sd, h, frame, sizeof(frame)))
		return -EIO;
	dma_unmap_single(dev, h, sizeof(frame), DMA_FROM_DEVICE);
	env->data_ok = story_check(rx, sizeof(frame), 100) && c->seq == 1 &&
		       c->frames == 1;
	snprintf(env->note, sizeof(env->note),
		 "%zu of %zu received bytes wrong; counters %u/%u (want 1/1)",
		 story_diff(rx, sizeof(frame), 100), sizeof(frame), c->seq,
		 c->frames);
	if (env->fixed)
		kfree(rx);
	kfree(c);
	return 0;
}

const struct story story_permissible_aligned = {
	.name = "permissible-line-aligned",
	.title = "Permissible memory: start and size line-aligned",
	.from = &story_talk_fatoum,
	.slide = "Permissible memory for DMA",
	.bug = "receives into an array between two fields of its struct: the first line shares the field before, the last the field after",
	.fix = "the receive buffer is a kmalloc object of its own",
	.bug_code =
		"struct rx_ctx {\n"
		"\tu32 seq;\n"
		"\tu8 rx[100];\t/* mapped */\n"
		"\tu32 frames;\n"
		"};\n",
	.fix_code =
		"struct rx_ctx {\n"
		"\tu32 seq;\n"
		"\tu8 *rx;\t/* kmalloc(100) */\n"
		"\tu32 frames;\n"
		"};\n",
	.run = run_aligned,
};

/* ---- physically contiguous without an IOMMU */

static int run_contiguous(struct story_env *env)
{
	struct device *dev = story_dev(env, NIC);
	struct dk_simdev *sd = story_simdev(env, NIC);
	struct page *a = alloc_page(GFP_KERNEL), *gap = alloc_page(GFP_KERNEL);
	struct page *b = alloc_page(GFP_KERNEL);
	u8 frame[2 * PAGE_SIZE], *pa, *pb, *pg;
	size_t bad;

	if (!a || !gap || !b)
		return -ENOMEM;
	pa = page_address(a);
	pb = page_address(b);
	pg = page_address(gap);
	story_fill(pg, PAGE_SIZE, 111);	/* someone else's page */
	story_fill(frame, sizeof(frame), 110);
	if (!env->fixed) {
		/* "Two pages make a buffer": the second is not the next one. */
		dma_addr_t h = dma_map_single(dev, pa, sizeof(frame),
					      DMA_FROM_DEVICE);

		if (dma_mapping_error(dev, h))
			return -ENOMEM;
		if (dk_dev_dma_write(sd, h, frame, sizeof(frame)))
			return -EIO;
		dma_unmap_single(dev, h, sizeof(frame), DMA_FROM_DEVICE);
	} else {
		struct sg_table sgt;

		if (sg_alloc_table(&sgt, 2, GFP_KERNEL))
			return -ENOMEM;
		sg_set_page(sgt.sgl, a, PAGE_SIZE, 0);
		sg_set_page(sg_next(sgt.sgl), b, PAGE_SIZE, 0);
		if (dma_map_sgtable(dev, &sgt, DMA_FROM_DEVICE, 0))
			return -ENOMEM;
		if (story_sg_xfer(sd, &sgt, frame, true) != sizeof(frame))
			return -EIO;
		dma_unmap_sgtable(dev, &sgt, DMA_FROM_DEVICE, 0);
		sg_free_table(&sgt);
	}
	bad = story_diff(pa, PAGE_SIZE, 110);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		bad += pb[i] != frame[PAGE_SIZE + i];
	env->data_ok = !bad && story_check(pg, PAGE_SIZE, 111);
	snprintf(env->note, sizeof(env->note),
		 "%zu of %zu received bytes wrong; the page between: %zu bytes overwritten",
		 bad, sizeof(frame), story_diff(pg, PAGE_SIZE, 111));
	__free_page(a);
	__free_page(gap);
	__free_page(b);
	return 0;
}

const struct story story_permissible_contiguous = {
	.name = "permissible-contiguous",
	.title = "Permissible memory: physically contiguous",
	.from = &story_talk_fatoum,
	.slide = "Permissible memory for DMA",
	.bug = "maps two separately allocated pages as one 8 KiB buffer: the device writes its second half into whatever page follows the first",
	.fix = "a two-entry scatterlist, one entry per page",
	.bug_code =
		"a = alloc_page(GFP_KERNEL);\n"
		"b = alloc_page(GFP_KERNEL);\n"
		"h = dma_map_single(dev, page_address(a),\n"
		"\t\t   2 * PAGE_SIZE, dir);\n",
	.fix_code =
		"sg_set_page(&sg[0], a, PAGE_SIZE, 0);\n"
		"sg_set_page(&sg[1], b, PAGE_SIZE, 0);\n"
		"dma_map_sgtable(dev, &sgt, dir, 0);\n",
	.run = run_contiguous,
};

/* ---- addressable: the device's view is not the CPU's */

#define OFS_BUS "/soc/bus@10400000"
#define OFS_DEV OFS_BUS "/usb@0"

static int patch_offset_master(void *fdt, size_t cap, bool fixed)
{
	(void)cap;
	(void)fixed;
	/* A plain bus master on the bus whose masters see bank0 at 0. */
	return story_set_prop(fdt, OFS_DEV, "compatible",
			      "dmakit,generic-master",
			      sizeof("dmakit,generic-master"));
}

static int run_addressable(struct story_env *env)
{
	struct device *dev = story_dev(env, OFS_DEV);
	struct dk_simdev *sd = story_simdev(env, OFS_DEV);
	u8 *buf = kmalloc(256, GFP_KERNEL), frame[256];
	dma_addr_t h;
	int r;

	if (!buf)
		return -ENOMEM;
	story_fill(frame, sizeof(frame), 120);
	if (env->fixed) {
		h = dma_map_single(dev, buf, sizeof(frame), DMA_FROM_DEVICE);
		if (dma_mapping_error(dev, h))
			return -ENOMEM;
	} else {
		h = virt_to_phys(buf);	/* "the bus address" */
	}
	story_say(env, "the buffer is at CPU physical 0x%llx; the driver gives the device 0x%llx",
		  (unsigned long long)virt_to_phys(buf), (unsigned long long)h);
	r = dk_dev_dma_write(sd, h, frame, sizeof(frame));
	if (env->fixed)
		dma_unmap_single(dev, h, sizeof(frame), DMA_FROM_DEVICE);
	env->data_ok = !r && story_check(buf, sizeof(frame), 120);
	snprintf(env->note, sizeof(env->note),
		 "device write to 0x%llx %s; %zu of %zu bytes received wrong",
		 (unsigned long long)h, r ? "refused" : "done",
		 story_diff(buf, sizeof(frame), 120), sizeof(frame));
	kfree(buf);
	return 0;
}

const struct story story_permissible_addressable = {
	.name = "permissible-addressable",
	.title = "Permissible memory: addressable by the device",
	.from = &story_talk_fatoum,
	.slide = "Permissible memory for DMA",
	.bug = "gives the device virt_to_phys() of its buffer, but the device's bus sees RAM at another address (dma-ranges): not a 1:1 view",
	.fix = "dma_map_single() translates through the device's dma-ranges",
	.bug_code =
		"buf = kmalloc(256, GFP_KERNEL);\n"
		"h = virt_to_phys(buf);\n",
	.fix_code =
		"buf = kmalloc(256, GFP_KERNEL);\n"
		"h = dma_map_single(dev, buf, 256, dir);\n"
		"if (dma_mapping_error(dev, h))\n"
		"\treturn -ENOMEM;\n",
	.patch_tree = patch_offset_master,
	.run = run_addressable,
};

/* ---- no uncached alias beside the cacheable one */

static int run_alias(struct story_env *env)
{
	struct device *dev = story_dev(env, NIC);
	struct dk_simdev *sd = story_simdev(env, NIC);
	dma_addr_t h;
	u32 *st = dma_alloc_coherent(dev, 64, &h, GFP_KERNEL), *view, done;
	const u32 ready = 0xc0de0001;

	if (!st)
		return -ENOMEM;
	/* The buggy driver reads the status through the linear map. */
	view = env->fixed ? st : phys_to_virt(dma_to_phys(dev, h));
	story_say(env, "the status word is read through %s",
		  env->fixed ? "the coherent (uncached) mapping" :
			       "a cacheable alias of the same memory");
	done = *(volatile u32 *)view;	/* idle: 0 */
	if (dk_dev_dma_write(sd, h, &ready, sizeof(ready)))
		return -EIO;
	done = *(volatile u32 *)view;
	env->data_ok = done == ready;
	snprintf(env->note, sizeof(env->note),
		 "status word read 0x%08x after the device wrote 0x%08x", done,
		 ready);
	dma_free_coherent(dev, 64, st, h);
	return 0;
}

const struct story story_permissible_alias = {
	.name = "permissible-no-alias",
	.title = "Permissible memory: no uncached alias beside a cached one",
	.from = &story_talk_fatoum,
	.slide = "Permissible memory for DMA",
	.bug = "reads a coherent buffer's status through the cacheable linear map as well: the line it filled once stays stale",
	.fix = "reads it only through the pointer dma_alloc_coherent() returned",
	.bug_code =
		"st = dma_alloc_coherent(dev, 64, &h, GFP_KERNEL);\n"
		"view = phys_to_virt(h);\t/* cached */\n"
		"while (!READ_ONCE(*view))\n",
	.fix_code =
		"st = dma_alloc_coherent(dev, 64, &h, GFP_KERNEL);\n"
		"while (!READ_ONCE(*st))\t/* uncached */\n",
	.run = run_alias,
};
