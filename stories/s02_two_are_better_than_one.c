// SPDX-License-Identifier: MIT
/*
 * Talk 000, "Two are better than one": the first TFTP download after boot
 * has a different checksum than every later one. The MACB driver did its
 * dma_sync_single_for_cpu() before reading each packet, but it had handed
 * the MAC virt_to_phys() of its RX buffers and never mapped them, so
 * ownership never went to the device. The buffers were recycled memory
 * whose previous user left dirty cache lines; evicted after the MAC wrote
 * a packet, they land on top of it. The fix maps the buffers with
 * dma_map_single(), which writes those lines back before the MAC owns them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/models/macb.h>

#include <dmakit/io.h>

#include "story.h"

#define RX_RING		4
#define RX_BUF		1536
#define RX_SIZE		(RX_RING * RX_BUF)
#define FILE_LEN	3500
#define BLOCK		1024		/* TFTP data per frame */
#define TRANSFERS	3

struct macb {
	struct device *dev;
	struct dk_simdev *sd;
	bool fixed;
	bool up;			/* probe succeeded */
	u8 *ring;			/* RX descriptors, coherent */
	dma_addr_t ring_dma;
	u8 *rx_buffer;
	dma_addr_t rx_buffer_phys;	/* what the MAC is told */
	unsigned int rx_tail;
	u8 *file;			/* what net_receive() assembles */
	size_t got;
};

static struct macb bp;

static u32 macb_readl(u32 reg)
{
	return dk_dev_mmio_read32(bp.sd, reg);
}

static void macb_writel(u32 reg, u32 val)
{
	story_writel(bp.sd, reg, val);
}

/* Descriptor words; the ring is little-endian and so is every host. */
static u32 desc_get(unsigned int i, unsigned int word)
{
	u32 v;

	memcpy(&v, bp.ring + i * DK_MACB_DESC_SIZE + word * 4, 4);
	return v;
}

static void desc_set(unsigned int i, unsigned int word, u32 v)
{
	memcpy(bp.ring + i * DK_MACB_DESC_SIZE + word * 4, &v, 4);
}

/* The talk compares md5sums; 32-bit FNV-1a tells the same story. */
static u32 checksum(const u8 *p, size_t n)
{
	u32 h = 0x811c9dc5u;

	while (n--)
		h = (h ^ *p++) * 0x01000193u;
	return h;
}

static void net_receive(const u8 *pkt, size_t len)
{
	if (len > FILE_LEN - bp.got)
		len = FILE_LEN - bp.got;
	memcpy(bp.file + bp.got, pkt, len);
	bp.got += len;
}

static void macb_interrupt(int irq, void *arg)
{
	u32 isr = macb_readl(DK_MACB_ISR);

	(void)irq;
	(void)arg;
	macb_writel(DK_MACB_ISR, isr);
	while (desc_get(bp.rx_tail, 0) & DK_MACB_RX_USED) {
		u32 length = desc_get(bp.rx_tail, 1) & DK_MACB_RX_LEN_MASK;
		dma_addr_t buffer = bp.rx_buffer_phys + bp.rx_tail * RX_BUF;

		/* What the talk's driver did, and was right to do. */
		dma_sync_single_for_cpu(bp.dev, buffer, length, DMA_FROM_DEVICE);
		net_receive(bp.rx_buffer + bp.rx_tail * RX_BUF, length);
		dma_sync_single_for_device(bp.dev, buffer, length,
					   DMA_FROM_DEVICE);
		desc_set(bp.rx_tail, 0,
			 desc_get(bp.rx_tail, 0) & ~DK_MACB_RX_USED);
		bp.rx_tail = (bp.rx_tail + 1) % RX_RING;
	}
	/* The descriptors given back reach the ring before the MAC polls
	 * it again, as macb's receive path orders them. */
	wmb();
}

static int macb_probe(struct device *dev)
{
	unsigned int i;

	bp.dev = dev;
	bp.ring = dma_alloc_coherent(dev, RX_RING * DK_MACB_DESC_SIZE,
				     &bp.ring_dma, GFP_KERNEL);
	if (!bp.ring)
		return -ENOMEM;
	bp.rx_buffer = kmalloc(RX_SIZE, GFP_KERNEL);
	if (!bp.rx_buffer)
		goto err_ring;
	if (bp.fixed) {
		bp.rx_buffer_phys = dma_map_single(dev, bp.rx_buffer, RX_SIZE,
						   DMA_FROM_DEVICE);
		if (dma_mapping_error(dev, bp.rx_buffer_phys))
			goto err_buffer;
	} else {
		bp.rx_buffer_phys = virt_to_phys(bp.rx_buffer);
	}
	for (i = 0; i < RX_RING; i++) {
		dma_addr_t a = bp.rx_buffer_phys + i * RX_BUF;

		desc_set(i, 0, ((u32)a & DK_MACB_RX_ADDR_MASK) |
			       (i == RX_RING - 1 ? DK_MACB_RX_WRAP : 0));
		desc_set(i, 1, 0);
		desc_set(i, 2, a >> 32);
		desc_set(i, 3, 0);
	}
	bp.rx_tail = 0;
	macb_writel(DK_MACB_RXBUFSZ, RX_BUF);
	macb_writel(DK_MACB_RBQP_LO, (u32)bp.ring_dma);
	macb_writel(DK_MACB_RBQP_HI, bp.ring_dma >> 32);
	if (dk_soc_request_irq(dk_simdev_soc(bp.sd), dev->irq, macb_interrupt,
			       NULL))
		goto err_map;
	macb_writel(DK_MACB_IER, DK_MACB_INT_RCOMP);
	macb_writel(DK_MACB_NCR, DK_MACB_NCR_RE);
	bp.up = true;
	return 0;

err_map:
	if (bp.fixed)
		dma_unmap_single(dev, bp.rx_buffer_phys, RX_SIZE,
				 DMA_FROM_DEVICE);
err_buffer:
	kfree(bp.rx_buffer);
err_ring:
	dma_free_coherent(dev, RX_RING * DK_MACB_DESC_SIZE, bp.ring,
			  bp.ring_dma);
	return -ENOMEM;
}

static void macb_remove(struct device *dev)
{
	macb_writel(DK_MACB_NCR, 0);
	macb_writel(DK_MACB_IDR, ~0u);
	dk_soc_free_irq(dk_simdev_soc(bp.sd), dev->irq);
	if (bp.fixed)
		dma_unmap_single(dev, bp.rx_buffer_phys, RX_SIZE,
				 DMA_FROM_DEVICE);
	kfree(bp.rx_buffer);
	dma_free_coherent(dev, RX_RING * DK_MACB_DESC_SIZE, bp.ring,
			  bp.ring_dma);
}

static const struct of_device_id macb_ids[] = {
	{ .compatible = "dmakit,macb" },
	{ }
};

/* Earlier in boot, someone used and freed a buffer of the same size. */
static void earlier_user(struct story_env *env, u8 **was)
{
	u8 *scratch = kmalloc(RX_SIZE, GFP_KERNEL);

	if (!scratch)
		return;
	story_fill(scratch, RX_SIZE, 99);	/* dirty, never written back */
	*was = scratch;
	kfree(scratch);
	story_say(env, "an earlier user filled a %d-byte kmalloc buffer at 0x%llx and freed it",
		  RX_SIZE, (unsigned long long)virt_to_phys(scratch));
}

static unsigned int dirty_lines(struct story_env *env)
{
	phys_addr_t pa = virt_to_phys(bp.rx_buffer);
	u32 line = dk_soc_cache(env->soc)->line;
	unsigned int n = 0, i;

	for (i = 0; i < RX_SIZE / line; i++)
		n += dk_sim_line_dirty(env->soc, pa + i * line);
	return n;
}

/* One TFTP download of @src; returns the checksum of what arrived. */
static u32 download(struct story_env *env, const u8 *src)
{
	size_t off;

	bp.got = 0;
	memset(bp.file, 0, FILE_LEN);
	for (off = 0; off < FILE_LEN; off += BLOCK)
		dk_macb_inject_rx(bp.sd, src + off,
				  FILE_LEN - off < BLOCK ? FILE_LEN - off : BLOCK);
	dk_soc_run(env->soc, 0);
	return bp.got == FILE_LEN ? checksum(bp.file, FILE_LEN) : 0;
}

static int run(struct story_env *env)
{
	struct device_driver drv = { .name = "macb", .of_match_table = macb_ids,
				     .probe = macb_probe,
				     .remove = macb_remove };
	u8 *src = malloc(FILE_LEN), *was = NULL;
	u32 sent, sum[TRANSFERS];
	int r, t, bad = 0;

	memset(&bp, 0, sizeof(bp));
	bp.sd = story_simdev(env, "ethernet@10100000");
	bp.fixed = env->fixed;
	bp.file = malloc(FILE_LEN);
	if (!src || !bp.file || !bp.sd) {
		free(src);
		free(bp.file);
		return bp.sd ? -ENOMEM : -ENODEV;
	}
	story_fill(src, FILE_LEN, 2);
	sent = checksum(src, FILE_LEN);
	earlier_user(env, &was);
	r = driver_register(&drv);
	if (r || !bp.up) {
		driver_unregister(&drv);
		free(src);
		free(bp.file);
		return r ? r : -ENODEV;
	}
	story_say(env, "macb_init: rx_buffer at 0x%llx is %s memory, %u of its %d cache lines still dirty",
		  (unsigned long long)virt_to_phys(bp.rx_buffer),
		  bp.rx_buffer == was ? "the same" : "other",
		  dirty_lines(env), RX_SIZE / (int)dk_soc_cache(env->soc)->line);
	story_say(env, "the MAC is told 0x%llx, from %s",
		  (unsigned long long)bp.rx_buffer_phys,
		  bp.fixed ? "dma_map_single(DMA_FROM_DEVICE)" : "virt_to_phys()");
	for (t = 0; t < TRANSFERS; t++) {
		sum[t] = download(env, src);
		bad += sum[t] != sent;
		story_say(env, "md5sum /mnt/tftp/zImage -> %08x%s", sum[t],
			  sum[t] != sent ? "  (corrupt)" : "");
	}
	driver_unregister(&drv);
	env->data_ok = !bad;
	snprintf(env->note, sizeof(env->note),
		 "%d of %d downloads corrupt; checksums %08x %08x %08x, sent %08x",
		 bad, TRANSFERS, sum[0], sum[1], sum[2], sent);
	free(src);
	free(bp.file);
	return 0;
}

const struct story story_two_are_better_than_one = {
	.name = "two-are-better-than-one",
	.title = "Two are better than one",
	.from = &story_talk_fatoum,
	.slide = "Two are better than one",
	.bug = "gives the MAC virt_to_phys() of a recycled RX buffer, never mapped: the previous owner's dirty lines are evicted over the packets",
	.fix = "dma_map_single(DMA_FROM_DEVICE) of the RX buffers, checked with dma_mapping_error(): the stale lines are written back before the MAC owns them",
	.bug_code =
		"rx_buffer_phys = virt_to_phys(rx_buffer);\n"
		"/* never mapped: dirty lines of the\n"
		" * buffer's previous owner stay in the\n"
		" * cache and land on the packets */\n",
	.fix_code =
		"rx_buffer_phys = dma_map_single(dev,\n"
		"\trx_buffer, RX_SIZE, DMA_FROM_DEVICE);\n"
		"if (dma_mapping_error(dev, rx_buffer_phys))\n"
		"\treturn -EFAULT;\n",
	.run = run,
};
