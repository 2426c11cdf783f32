// SPDX-License-Identifier: MIT
/*
 * Talk 000, "The Buffer Shambler": an SPI controller driver maps the
 * buffer it is given with dma_map_single(), and UBIFS hands it a vmalloc
 * buffer. The fix maps the buffer's pages as a scatterlist and keeps the
 * vmap alias coherent with flush_kernel_vmap_range().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/error.h>

#include <dmakit/vmalloc.h>

#include "story.h"

#define LEN (4 * PAGE_SIZE)

/* The "controller" reads the transfer; returns bytes that arrived right. */
static bool transmit_single(struct story_env *env, struct device *dev,
			    struct dk_simdev *sd, u8 *buf, u8 *got)
{
	dma_addr_t h = dma_map_single(dev, buf, LEN, DMA_TO_DEVICE);

	if (dma_mapping_error(dev, h)) {
		story_say(env, "dma_map_single of the vmalloc buffer failed: %s",
			  dk_last_error());
		return false;
	}
	dk_dev_dma_read(sd, h, got, LEN);
	dma_unmap_single(dev, h, LEN, DMA_TO_DEVICE);
	return true;
}

static bool transmit_sg(struct story_env *env, struct device *dev,
			struct dk_simdev *sd, u8 *buf, u8 *got)
{
	struct page *pages[LEN / PAGE_SIZE];
	struct sg_table sgt;
	struct scatterlist *sg;
	unsigned int i;
	size_t off = 0;

	for (i = 0; i < LEN / PAGE_SIZE; i++)
		pages[i] = vmalloc_to_page(buf + i * PAGE_SIZE);
	flush_kernel_vmap_range(buf, LEN);
	if (sg_alloc_table_from_pages(&sgt, pages, LEN / PAGE_SIZE, 0, LEN,
				      GFP_KERNEL) ||
	    dma_map_sgtable(dev, &sgt, DMA_TO_DEVICE, 0))
		return false;
	story_say(env, "the vmalloc buffer is %u physically separate pieces",
		  sgt.nents);
	for_each_sgtable_dma_sg(&sgt, sg, i) {
		dk_dev_dma_read(sd, sg_dma_address(sg), got + off,
				sg_dma_len(sg));
		off += sg_dma_len(sg);
	}
	dma_unmap_sgtable(dev, &sgt, DMA_TO_DEVICE, 0);
	sg_free_table(&sgt);
	return true;
}

static int run(struct story_env *env)
{
	struct device *dev = story_dev(env, "master@10010000");
	struct dk_simdev *sd = story_simdev(env, "master@10010000");
	u8 *buf = vmalloc(LEN), *got = calloc(1, LEN);
	bool sent;

	if (!buf || !got)
		return -ENOMEM;
	story_fill(buf, LEN, 10);
	story_say(env, "UBIFS hands the SPI driver a %lu-byte vmalloc buffer",
		  (unsigned long)LEN);
	sent = env->fixed ? transmit_sg(env, dev, sd, buf, got) :
			    transmit_single(env, dev, sd, buf, got);
	env->data_ok = sent && story_check(got, LEN, 10);
	snprintf(env->note, sizeof(env->note), "%s, %zu of %lu bytes wrong on the wire",
		 sent ? "sent" : "not sent", story_diff(got, LEN, 10),
		 (unsigned long)LEN);
	vfree(buf);
	free(got);
	return 0;
}

const struct story story_buffer_shambler = {
	.name = "buffer-shambler",
	.title = "The Buffer Shambler",
	.from = &story_talk_fatoum,
	.slide = "The Buffer Shambler",
	.bug = "maps a vmalloc buffer with dma_map_single(): it is not physically contiguous",
	.fix = "maps the buffer's pages as a scatterlist, with flush_kernel_vmap_range() first",
	.bug_code =
		"buf = vmalloc(len);\n"
		"/* one handle for pages that are\n"
		" * not physically contiguous */\n"
		"h = dma_map_single(dev, buf, len,\n"
		"\tDMA_TO_DEVICE);\n",
	.fix_code =
		"buf = vmalloc(len);\n"
		"flush_kernel_vmap_range(buf, len);\n"
		"/* one sg entry per page */\n"
		"sg_set_page(sg, vmalloc_to_page(p), ...);\n"
		"dma_map_sgtable(dev, &sgt, DMA_TO_DEVICE, 0);\n",
	.run = run,
};
