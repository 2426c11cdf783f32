// SPDX-License-Identifier: MIT
/*
 * Stores that wait in the CPU's write buffer. A driver fills a descriptor
 * in dma_alloc_coherent() memory and rings the doorbell with
 * writel_relaxed(). Where coherent memory is Normal non-cacheable, as
 * arm64 Linux maps it, the descriptor may still sit in the write buffer
 * when the engine fetches it: the engine runs a stale descriptor. A
 * dma_wmb() before the doorbell (or writel(), which has one built in)
 * drains the buffer. barebox maps coherent memory strongly ordered, which
 * is never buffered: the same barrier-less driver is correct there.
 * Write-combine memory (a frame buffer from dma_alloc_wc()) is buffered
 * whatever coherent memory is: the pixels need a wmb() before the device
 * is told to read them. A coherent engine needs the barrier too: its
 * coherent memory is cacheable and it snoops the cache, but the stores
 * reach the cache through the same buffer.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/io.h>
#include <dmakit/models/m2m_dma.h>

#include "story.h"

#define ENGINE "dma@10000000"
#define LEN 1024
#define ROUNDS 3

struct ring {
	struct device *dev;
	void __iomem *ch;
	struct dk_m2m_desc *desc;
	dma_addr_t desc_dma;
	u8 *src, *dst;
	dma_addr_t src_dma;	/* wc: the frame buffer's handle */
	bool barrier;
	bool wc;		/* the source is a dma_alloc_wc() frame buffer */
};

static struct ring rg;

static int ring_probe(struct device *dev)
{
	void __iomem *regs = devm_ioremap(dev, 0x10000000, 0x1000);

	if (!regs)
		return -ENOMEM;
	rg.dev = dev;
	rg.ch = (u8 __iomem *)regs + DK_M2M_CHAN(0);
	rg.desc = dma_alloc_coherent(dev, sizeof(*rg.desc), &rg.desc_dma,
				     GFP_KERNEL);
	rg.src = rg.wc ? dma_alloc_wc(dev, LEN, &rg.src_dma, GFP_KERNEL) :
			 kmalloc(LEN, GFP_KERNEL);
	rg.dst = kmalloc(LEN, GFP_KERNEL);
	return rg.desc && rg.src && rg.dst ? 0 : -ENOMEM;
}

static void ring_remove(struct device *dev)
{
	dma_free_coherent(dev, sizeof(*rg.desc), rg.desc, rg.desc_dma);
	if (rg.wc)
		dma_free_wc(dev, LEN, rg.src, rg.src_dma);
	else
		kfree(rg.src);
	kfree(rg.dst);
}

static const struct of_device_id ids[] = {
	{ .compatible = "dmakit,m2m-dma" },
	{ }
};

/* One copy of LEN bytes through the descriptor; the bytes that came out
 * wrong (LEN if the engine failed). */
static size_t copy_once(struct story_env *env, unsigned int seed)
{
	dma_addr_t s, d;
	size_t bad;
	u32 st;

	story_fill(rg.src, LEN, seed);
	memset(rg.dst, 0, LEN);
	s = rg.wc ? rg.src_dma :
		    dma_map_single(rg.dev, rg.src, LEN, DMA_TO_DEVICE);
	d = dma_map_single(rg.dev, rg.dst, LEN, DMA_FROM_DEVICE);
	if (dma_mapping_error(rg.dev, s) || dma_mapping_error(rg.dev, d))
		return LEN;
	rg.desc->src = s;
	rg.desc->dst = d;
	rg.desc->len = LEN;
	rg.desc->flags = DK_M2M_DESC_LAST;
	rg.desc->next = 0;
	if (rg.barrier && rg.wc)
		wmb();		/* the pixels before the doorbell */
	else if (rg.barrier)
		dma_wmb();	/* the descriptor before the doorbell */
	writel_relaxed(lower_32_bits(rg.desc_dma), rg.ch + DK_M2M_DESC_LO);
	writel_relaxed(upper_32_bits(rg.desc_dma), rg.ch + DK_M2M_DESC_HI);
	writel_relaxed(DK_M2M_CTRL_START, rg.ch + DK_M2M_CTRL);
	dk_soc_run(env->soc, 0);
	st = readl(rg.ch + DK_M2M_STATUS);
	writel(st, rg.ch + DK_M2M_STATUS);
	dma_unmap_single(rg.dev, d, LEN, DMA_FROM_DEVICE);
	if (!rg.wc)
		dma_unmap_single(rg.dev, s, LEN, DMA_TO_DEVICE);
	bad = st & DK_M2M_ST_DONE ? story_diff(rg.dst, LEN, seed) : LEN;
	story_say(env, "copy %u: status 0x%x, %zu of %d bytes wrong", seed, st,
		  bad, LEN);
	return bad;
}

static int run_ring(struct story_env *env, bool barrier, bool wc)
{
	struct device_driver drv = { .name = "m2m-ring", .of_match_table = ids,
				     .probe = ring_probe,
				     .remove = ring_remove };
	size_t bad = 0, failed = 0, b;
	unsigned int i;
	int r;

	memset(&rg, 0, sizeof(rg));
	rg.barrier = barrier;
	rg.wc = wc;
	r = driver_register(&drv);
	if (r)
		return r;
	story_say(env, "the %s in %s memory; the doorbell is writel_relaxed() %s a barrier",
		  wc ? "frame lives" : "descriptor lives",
		  wc ? "write-combine" :
		  dev_is_dma_coherent(rg.dev) ? "coherent (cacheable, snooped)" :
						"coherent",
		  barrier ? "after" : "without");
	for (i = 1; i <= ROUNDS; i++) {
		b = copy_once(env, i);
		bad += b;
		failed += b == LEN;
	}
	driver_unregister(&drv);
	env->data_ok = !bad;
	snprintf(env->note, sizeof(env->note),
		 "%zu of %d copies failed, %zu bytes wrong", failed, ROUNDS,
		 bad);
	return 0;
}

static int run_wb(struct story_env *env)
{
	return run_ring(env, env->fixed, false);
}

const struct story story_write_buffer = {
	.name = "write-buffer",
	.title = "The write buffer: a descriptor the doorbell overtakes",
	.from = &story_talk_pinchart,
	.slide = "Write Buffer",
	.bug = "the driver fills a descriptor in coherent (Normal non-cacheable) memory and rings the doorbell with writel_relaxed(), no barrier: the engine fetches the descriptor while the stores still sit in the write buffer",
	.fix = "dma_wmb() between the descriptor and the doorbell (or writel(), whose barrier drains the buffer)",
	.bug_code =
		"desc->src = src_dma;\n"
		"desc->dst = dst_dma;\n"
		"desc->len = len;\n"
		"desc->flags = DESC_LAST;\n"
		"writel_relaxed(desc_dma, ch + DESC_LO);\n"
		"writel_relaxed(START, ch + CTRL);\n",
	.fix_code =
		"desc->src = src_dma;\n"
		"desc->dst = dst_dma;\n"
		"desc->len = len;\n"
		"desc->flags = DESC_LAST;\n"
		"dma_wmb();  /* or writel() below */\n"
		"writel_relaxed(desc_dma, ch + DESC_LO);\n"
		"writel_relaxed(START, ch + CTRL);\n",
	/* The built-in SoC maps coherent memory as arm64 Linux does. */
	.run = run_wb,
};

static int barebox_mapping(void *fdt, size_t cap, bool fixed)
{
	(void)cap;
	return story_coherent_mapping(fdt, fixed ? "strongly-ordered" :
						   "normal-nc");
}

static int run_barebox(struct story_env *env)
{
	return run_ring(env, false, false);
}

const struct story story_barebox_memory_mapping = {
	.name = "barebox-memory-mapping",
	.title = "barebox memory mapping: why barebox needs no barriers",
	.from = &story_talk_fatoum,
	.slide = "barebox memory mapping",
	.bug = "a barebox driver, with no barriers (writel_relaxed and writel are the same there), runs where coherent memory is Normal non-cacheable as Linux maps it: the descriptor is still buffered when the engine fetches it",
	.fix = "the same driver where coherent memory is strongly ordered, as barebox maps it: not bufferable, every store reaches memory in order",
	.bug_code =
		"/* coherent-mapping = \"normal-nc\" */\n"
		"desc->src = src_dma;\n"
		"desc->flags = DESC_LAST;\n"
		"writel_relaxed(START, ch + CTRL);\n",
	.fix_code =
		"/* coherent-mapping = \"strongly-ordered\" */\n"
		"desc->src = src_dma;\n"
		"desc->flags = DESC_LAST;\n"
		"writel_relaxed(START, ch + CTRL);\n",
	.patch_tree = barebox_mapping,
	.run = run_barebox,
};

static int run_wc(struct story_env *env)
{
	return run_ring(env, env->fixed, true);
}

const struct story story_write_combining = {
	.name = "write-combining",
	.title = "Write combining: pixels still in the write buffer",
	.from = &story_talk_pinchart,
	.slide = "Write Combining",
	.bug = "the CPU draws into a dma_alloc_wc() frame buffer and tells the engine to read it with writel_relaxed() and no barrier: the last pixels are still combining in the write buffer",
	.fix = "wmb() before telling the device to read the frame buffer (or writel(), which has it built in)",
	.bug_code =
		"fb = dma_alloc_wc(dev, len, &fb_dma,\n"
		"\tGFP_KERNEL);\n"
		"draw(fb);\n"
		"writel_relaxed(START, ch + CTRL);\n",
	.fix_code =
		"fb = dma_alloc_wc(dev, len, &fb_dma,\n"
		"\tGFP_KERNEL);\n"
		"draw(fb);\n"
		"wmb();  /* flush the write buffer */\n"
		"writel_relaxed(START, ch + CTRL);\n",
	/* The descriptor strongly ordered, so the pixels are all that
	 * waits: write-combine memory is bufferable on any mapping. */
	.patch_tree = story_strongly_ordered,
	.run = run_wc,
};

/* The engine snoops, and the store buffer sits in front of the cache
 * (the built-in SoC's engine is not coherent). */
static int snooping_engine(void *fdt, size_t cap, bool fixed)
{
	(void)cap;
	(void)fixed;
	return story_set_prop(fdt, "/soc/dma@10000000", "dma-coherent", NULL,
			      0) ||
	       story_set_prop(fdt, "/dmakit", "cacheable-store-buffer", NULL,
			      0) ? -1 : 0;
}

const struct story story_store_buffer_coherent = {
	.name = "store-buffer-coherent",
	.title = "The store buffer: a coherent engine snoops a stale descriptor",
	.from = &story_talk_pinchart,
	.slide = "Write Buffer",
	.bug = "the engine is cache-coherent, so its dma_alloc_coherent() descriptor is cacheable memory it snoops; the driver fills it and rings the doorbell with writel_relaxed(), no barrier: the stores are still in the CPU's store buffer, not yet in the cache the engine snoops",
	.fix = "dma_wmb() before the doorbell, as for a non-coherent engine: coherence makes cache maintenance unnecessary, not the barrier",
	.bug_code =
		"/* dma-coherent engine */\n"
		"desc->src = src_dma;\n"
		"desc->flags = DESC_LAST;\n"
		"writel_relaxed(START, ch + CTRL);\n",
	.fix_code =
		"/* dma-coherent engine */\n"
		"desc->src = src_dma;\n"
		"desc->flags = DESC_LAST;\n"
		"dma_wmb();\n"
		"writel_relaxed(START, ch + CTRL);\n",
	.patch_tree = snooping_engine,
	.run = run_wb,
};
