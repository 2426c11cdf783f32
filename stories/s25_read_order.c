// SPDX-License-Identifier: MIT
/*
 * Loads satisfied early. A driver polls a descriptor in coherent memory
 * for the DONE bit the engine writes back after the data, then reads the
 * data, also in coherent memory. Where coherent memory is Normal
 * non-cacheable (arm64 Linux's mapping: "reads and writes may pass each
 * other"), the CPU may satisfy the data load before the status load, so
 * the driver sees DONE and the data from before the copy. dma_rmb()
 * between the two orders them. Reported by the checker when the engine
 * fetches the descriptor the driver handed back with no read barrier.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/io.h>
#include <dmakit/models/m2m_dma.h>

#include "story.h"

#define LEN 512
#define ROUNDS 4
#define POLL_CYCLES 200

struct rx {
	struct device *dev;
	struct story_env *env;
	void __iomem *ch;
	struct dk_m2m_desc *desc;
	dma_addr_t desc_dma;
	u8 *src, *dst;		/* dst: coherent, where the driver reads */
	dma_addr_t dst_dma;
};

static struct rx rx;

static int rx_probe(struct device *dev)
{
	void __iomem *regs = devm_ioremap(dev, 0x10000000, 0x1000);

	rx.dev = dev;
	rx.dst = dma_alloc_coherent(dev, LEN, &rx.dst_dma, GFP_KERNEL);
	rx.desc = dma_alloc_coherent(dev, sizeof(*rx.desc), &rx.desc_dma,
				     GFP_KERNEL);
	rx.src = kmalloc(LEN, GFP_KERNEL);
	if (!regs || !rx.desc || !rx.dst || !rx.src)
		return -ENOMEM;
	rx.ch = (u8 __iomem *)regs + DK_M2M_CHAN(0);
	return 0;
}

static void rx_remove(struct device *dev)
{
	dma_free_coherent(dev, sizeof(*rx.desc), rx.desc, rx.desc_dma);
	dma_free_coherent(dev, LEN, rx.dst, rx.dst_dma);
	kfree(rx.src);
}

static const struct of_device_id ids[] = {
	{ .compatible = "dmakit,m2m-dma" },
	{ }
};

/* One transfer, polled; the bytes the driver got wrong. */
static size_t transfer_once(unsigned int seed, bool ordered)
{
	volatile u32 *flags = &rx.desc->flags;
	u8 got[LEN];
	dma_addr_t s;
	int i;

	story_fill(rx.src, LEN, seed);
	s = dma_map_single(rx.dev, rx.src, LEN, DMA_TO_DEVICE);
	if (dma_mapping_error(rx.dev, s))
		return LEN;
	rx.desc->src = s;
	rx.desc->dst = rx.dst_dma;
	rx.desc->len = LEN;
	*flags = DK_M2M_DESC_LAST;
	writel(lower_32_bits(rx.desc_dma), rx.ch + DK_M2M_DESC_LO);
	writel(upper_32_bits(rx.desc_dma), rx.ch + DK_M2M_DESC_HI);
	writel(DK_M2M_CTRL_START, rx.ch + DK_M2M_CTRL);
	/* Poll the descriptor, not a register: no barrier on the way. */
	for (i = 0; i < 100 && !(*flags & DK_M2M_DESC_DONE); i++)
		rx.env->pl.ops->cpu_wait(rx.env->pl.ctx, POLL_CYCLES, NULL,
					 NULL);
	if (ordered)
		dma_rmb();	/* the status before the data */
	memcpy(got, rx.dst, LEN);
	/* No register read: its barrier would order the loads. */
	dma_unmap_single(rx.dev, s, LEN, DMA_TO_DEVICE);
	story_say(rx.env, "transfer %u: flags 0x%08x, %zu of %d bytes wrong",
		  seed, *flags, story_diff(got, LEN, seed), LEN);
	return *flags & DK_M2M_DESC_DONE ? story_diff(got, LEN, seed) : LEN;
}

static int run(struct story_env *env)
{
	struct device_driver drv = { .name = "m2m-rx", .of_match_table = ids,
				     .probe = rx_probe, .remove = rx_remove };
	size_t bad = 0, wrong = 0, b;
	unsigned int i;
	int r;

	memset(&rx, 0, sizeof(rx));
	rx.env = env;
	r = driver_register(&drv);
	if (r)
		return r;
	story_say(env, "the driver polls the descriptor's DONE bit, then reads the data %s",
		  env->fixed ? "after dma_rmb()" : "with no barrier");
	for (i = 1; i <= ROUNDS; i++) {
		b = transfer_once(i, env->fixed);
		bad += b;
		wrong += b != 0;
	}
	driver_unregister(&drv);
	env->data_ok = !bad;
	snprintf(env->note, sizeof(env->note),
		 "%zu of %d transfers read stale data, %zu bytes wrong", wrong,
		 ROUNDS, bad);
	return 0;
}

const struct story story_read_order = {
	.name = "weakly-ordered-reads",
	.title = "Weakly ordered: the data read before the status",
	.from = &story_talk_pinchart,
	.slide = "Weakly Ordered",
	.bug = "the driver polls a descriptor in coherent (Normal non-cacheable) memory until the engine has written DONE, then reads the data the engine wrote before it, with no read barrier: the data load is satisfied before the status load and sees the buffer as it was",
	.fix = "dma_rmb() after seeing DONE, before reading the data",
	.bug_code =
		"while (!(READ_ONCE(desc->flags) & DONE))\n"
		"\tudelay(1);\n"
		"memcpy(buf, rx_buf, len);\n",
	.fix_code =
		"while (!(READ_ONCE(desc->flags) & DONE))\n"
		"\tudelay(1);\n"
		"dma_rmb();  /* status before data */\n"
		"memcpy(buf, rx_buf, len);\n",
	/* The built-in SoC maps coherent memory as arm64 Linux does. */
	.run = run,
};
