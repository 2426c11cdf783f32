// SPDX-License-Identifier: MIT
/*
 * Talk 000, "The Cache Clash": instead of bouncing, DMA vmalloc memory
 * page by page through a scatterlist. On a CPU whose data cache is
 * virtually indexed and aliasing, the vmalloc mapping has cache lines of
 * its own, which the DMA API's maintenance (by physical address, through
 * the linear map) never touches: without flush_kernel_vmap_range() the
 * device reads what DRAM held before the CPU's stores, and without
 * invalidate_kernel_vmap_range() the CPU reads its stale lines instead
 * of what the device wrote. XFS makes both calls; MTD copies through a
 * kmalloc bounce buffer instead.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/vmalloc.h>

#include "story.h"

#define NPAGES 4
#define LEN (NPAGES * PAGE_SIZE)

enum fix { NONE, VMAP_RANGE, BOUNCE };

struct clash {
	struct story_env *env;
	struct device *dev;
	struct dk_simdev *sd;
	u8 *flash;		/* what the medium holds */
};

/* The controller moves the transfer between the medium and @buf's pages. */
static int transfer_sg(struct clash *c, u8 *buf, bool to_device)
{
	enum dma_data_direction dir = to_device ? DMA_TO_DEVICE :
						  DMA_FROM_DEVICE;
	struct page *pages[NPAGES];
	struct sg_table sgt;
	struct scatterlist *sg;
	size_t off = 0;
	unsigned int i;

	for (i = 0; i < NPAGES; i++)
		pages[i] = vmalloc_to_page(buf + i * PAGE_SIZE);
	if (sg_alloc_table_from_pages(&sgt, pages, NPAGES, 0, LEN, GFP_KERNEL))
		return -ENOMEM;
	if (dma_map_sgtable(c->dev, &sgt, dir, 0)) {
		sg_free_table(&sgt);
		return -ENOMEM;
	}
	for_each_sgtable_dma_sg(&sgt, sg, i) {
		if (to_device)
			dk_dev_dma_read(c->sd, sg_dma_address(sg),
					c->flash + off, sg_dma_len(sg));
		else
			dk_dev_dma_write(c->sd, sg_dma_address(sg),
					 c->flash + off, sg_dma_len(sg));
		off += sg_dma_len(sg);
	}
	dma_unmap_sgtable(c->dev, &sgt, dir, 0);
	sg_free_table(&sgt);
	return 0;
}

/* MTD's way: the controller only ever sees a kmalloc copy. */
static int transfer_bounce(struct clash *c, u8 *buf, bool to_device)
{
	enum dma_data_direction dir = to_device ? DMA_TO_DEVICE :
						  DMA_FROM_DEVICE;
	u8 *bounce = kmalloc(LEN, GFP_KERNEL);
	dma_addr_t h;

	if (!bounce)
		return -ENOMEM;
	if (to_device)
		memcpy(bounce, buf, LEN);
	h = dma_map_single(c->dev, bounce, LEN, dir);
	if (dma_mapping_error(c->dev, h)) {
		kfree(bounce);
		return -ENOMEM;
	}
	if (to_device)
		dk_dev_dma_read(c->sd, h, c->flash, LEN);
	else
		dk_dev_dma_write(c->sd, h, c->flash, LEN);
	dma_unmap_single(c->dev, h, LEN, dir);
	if (!to_device)
		memcpy(buf, bounce, LEN);
	kfree(bounce);
	return 0;
}

static int write_medium(struct clash *c, u8 *buf, enum fix fix)
{
	if (fix == BOUNCE)
		return transfer_bounce(c, buf, true);
	if (fix == VMAP_RANGE)
		flush_kernel_vmap_range(buf, LEN);
	return transfer_sg(c, buf, true);
}

static int read_medium(struct clash *c, u8 *buf, enum fix fix)
{
	int r;

	if (fix == BOUNCE)
		return transfer_bounce(c, buf, false);
	r = transfer_sg(c, buf, false);
	if (!r && fix == VMAP_RANGE)
		invalidate_kernel_vmap_range(buf, LEN);
	return r;
}

static int run_clash(struct story_env *env, enum fix fix)
{
	struct clash c = { env, story_dev(env, "master@10010000"),
			   story_simdev(env, "master@10010000"),
			   calloc(1, LEN) };
	u8 *out = vmalloc(LEN), *in = vzalloc(LEN);
	size_t wbad, rbad;
	int r = -ENOMEM;

	if (!c.flash || !out || !in)
		goto done;
	/* A write of @out to the medium... */
	story_fill(out, LEN, 26);
	r = write_medium(&c, out, fix);
	if (r)
		goto done;
	wbad = story_diff(c.flash, LEN, 26);
	story_say(env, "written: %zu of %lu bytes on the medium wrong", wbad,
		  (unsigned long)LEN);
	/* ...and a read of other data from it into @in. */
	story_fill(c.flash, LEN, 27);
	r = read_medium(&c, in, fix);
	if (r)
		goto done;
	rbad = story_diff(in, LEN, 27);
	story_say(env, "read back: %zu of %lu bytes the CPU sees wrong", rbad,
		  (unsigned long)LEN);
	env->data_ok = !wbad && !rbad;
	snprintf(env->note, sizeof(env->note),
		 "%zu bytes written wrong, %zu bytes read wrong", wbad, rbad);
done:
	vfree(out);
	vfree(in);
	free(c.flash);
	return r;
}

static int run(struct story_env *env)
{
	return run_clash(env, env->fixed ? VMAP_RANGE : NONE);
}

static int run_bounce(struct story_env *env)
{
	return run_clash(env, env->fixed ? BOUNCE : NONE);
}

/* An ARM core whose data cache is virtually indexed and aliasing. */
static int aliasing(void *fdt, size_t cap, bool fixed)
{
	(void)cap;
	(void)fixed;
	return story_set_prop(fdt, "/cpus/cpu@0", "dmakit,cache-aliasing",
			      NULL, 0);
}

#define CLASH_BUG_CODE							\
	"/* vmalloc memory, page by page */\n"				\
	"sg_set_page(sg, vmalloc_to_page(p), ...);\n"			\
	"dma_map_sgtable(dev, &sgt, dir, 0);\n"				\
	"/* ... the transfer ... */\n"					\
	"dma_unmap_sgtable(dev, &sgt, dir, 0);\n"

const struct story story_cache_clash = {
	.name = "cache-clash",
	.title = "The Cache Clash",
	.from = &story_talk_fatoum,
	.slide = "The Cache Clash",
	.bug = "DMAs vmalloc memory page by page through a scatterlist on an aliasing (virtually indexed) cache, with no maintenance of the vmalloc mapping's own lines",
	.fix = "flush_kernel_vmap_range() before the write to the device, invalidate_kernel_vmap_range() after the read from it, as XFS does",
	.bug_code = CLASH_BUG_CODE,
	.fix_code =
		"flush_kernel_vmap_range(buf, len);\n"
		"dma_map_sgtable(dev, &sgt, DMA_TO_DEVICE, 0);\n"
		"/* ... */\n"
		"dma_unmap_sgtable(dev, &sgt, DMA_FROM_DEVICE, 0);\n"
		"invalidate_kernel_vmap_range(buf, len);\n",
	.patch_tree = aliasing,
	.run = run,
};

const struct story story_cache_clash_bounce = {
	.name = "cache-clash-bounce",
	.title = "The Cache Clash, bounced as MTD does",
	.from = &story_talk_fatoum,
	.slide = "The Cache Clash",
	.bug = "DMAs vmalloc memory page by page through a scatterlist on an aliasing (virtually indexed) cache, with no maintenance of the vmalloc mapping's own lines",
	.fix = "copies through a kmalloc bounce buffer, as MTD does: the device only sees linear-map memory, the CPU only its own vmalloc lines",
	.bug_code = CLASH_BUG_CODE,
	.fix_code =
		"bounce = kmalloc(len, GFP_KERNEL);\n"
		"memcpy(bounce, buf, len);\n"
		"h = dma_map_single(dev, bounce, len,\n"
		"\tDMA_TO_DEVICE);\n"
		"/* reads: map FROM_DEVICE, unmap,\n"
		" * then memcpy(buf, bounce, len) */\n",
	.patch_tree = aliasing,
	.run = run_bounce,
};
