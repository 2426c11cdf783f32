// SPDX-License-Identifier: MIT
/*
 * Talk 000, "Kernel hang on boot", the handoff: the driver stops its
 * receive DMA at remove, but kexec (like a bootloader starting Linux)
 * never calls remove: it calls shutdown, which this driver does not have.
 * The second kernel boots on the same SoC with the engine still writing
 * packets into what is now its own memory. No CPU store made those bytes,
 * so KASAN and memory watchpoints have nothing to trace; only the data
 * looks "partially like network packets". The fix quiesces the device in
 * shutdown as well as in remove.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/models/m2m_dma.h>

#include "story.h"

#define ENGINE "dma@10000000"
#define LEN 2048
#define NBUF 8			/* the new kernel's first slab */
#define CH(r) (DK_M2M_CHAN(0) + (r))

static struct dk_simdev *eng;
static bool has_shutdown;
static struct rx {
	struct dk_m2m_desc *ring;
	dma_addr_t ring_dma;
	u8 *wire, *buf;
	dma_addr_t wire_dma, buf_dma;
} rx0;

static int rx_probe(struct device *dev)
{
	struct rx *rx = &rx0;

	rx->buf = devm_kmalloc(dev, LEN, GFP_KERNEL);
	rx->ring = dmam_alloc_coherent(dev, 4096, &rx->ring_dma, GFP_KERNEL);
	rx->wire = dmam_alloc_coherent(dev, LEN, &rx->wire_dma, GFP_KERNEL);
	if (!rx->ring || !rx->wire || !rx->buf)
		return -ENOMEM;
	memset(rx->wire, 0xee, LEN);	/* what arrives: packet bytes */
	rx->buf_dma = dma_map_single(dev, rx->buf, LEN, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, rx->buf_dma))
		return -ENOMEM;
	/* Two descriptors chasing each other: receive until stopped. */
	rx->ring[0] = (struct dk_m2m_desc){ rx->wire_dma, rx->buf_dma, LEN, 0,
					    rx->ring_dma + 32 };
	rx->ring[1] = (struct dk_m2m_desc){ rx->wire_dma, rx->buf_dma, LEN, 0,
					    rx->ring_dma };
	story_writel(eng, CH(DK_M2M_DESC_LO), (u32)rx->ring_dma);
	story_writel(eng, CH(DK_M2M_DESC_HI), rx->ring_dma >> 32);
	story_writel(eng, CH(DK_M2M_CTRL), DK_M2M_CTRL_START);
	return 0;
}

static void rx_quiesce(struct device *dev)
{
	(void)dev;
	story_writel(eng, CH(DK_M2M_CTRL), DK_M2M_CTRL_STOP);
	while (dk_dev_mmio_read32(eng, CH(DK_M2M_STATUS)) & DK_M2M_ST_BUSY)
		if (!dk_soc_step(dk_simdev_soc(eng)))
			break;
}

static void rx_remove(struct device *dev)
{
	rx_quiesce(dev);
	dma_unmap_single(dev, rx0.buf_dma, LEN, DMA_FROM_DEVICE);
}

static void rx_shutdown(struct device *dev)
{
	if (has_shutdown)
		rx_quiesce(dev);
}

static const struct of_device_id ids[] = {
	{ .compatible = "dmakit,m2m-dma" },
	{ }
};

static int run(struct story_env *env)
{
	struct device_driver drv = { .name = "rxring", .of_match_table = ids,
				     .probe = rx_probe, .remove = rx_remove,
				     .shutdown = rx_shutdown };
	struct dk_machine *next;
	u8 *mem[NBUF];
	size_t bad = 0;
	int i, r, hit = 0;

	memset(&rx0, 0, sizeof(rx0));
	eng = story_simdev(env, ENGINE);
	has_shutdown = env->fixed;
	r = driver_register(&drv);
	if (r)
		return r;
	dk_soc_run(env->soc, 20);	/* packets arrive */
	story_say(env, "kexec: the driver's shutdown %s",
		  env->fixed ? "stops the receive DMA" :
			       "does not exist; remove, which would stop it, is not called");
	r = dk_machine_kexec(env->m, NULL, &next);
	if (r)
		return r;
	env->m = next;
	/* The second kernel takes its memory into use. Its cache turns
	 * over as it boots: what it wrote reaches DRAM, and what it reads
	 * back later comes from DRAM (the evictions made explicit). */
	for (i = 0; i < NBUF; i++) {
		if (!(mem[i] = kmalloc(LEN, GFP_KERNEL)))
			return -ENOMEM;
		story_fill(mem[i], LEN, 60 + i);
		dk_sim_cache_evict(env->soc, virt_to_phys(mem[i]), LEN);
	}
	story_say(env, "the old kernel's ring is at 0x%llx, its receive buffer at 0x%llx; the new kernel's buffers at 0x%llx..0x%llx",
		  (unsigned long long)rx0.ring_dma,
		  (unsigned long long)rx0.buf_dma,
		  (unsigned long long)virt_to_phys(mem[0]),
		  (unsigned long long)virt_to_phys(mem[NBUF - 1]) + LEN);
	dk_soc_run(env->soc, 20);	/* it boots on */
	for (i = 0; i < NBUF; i++) {
		size_t d;

		dk_sim_cache_evict(env->soc, virt_to_phys(mem[i]), LEN);
		d = story_diff(mem[i], LEN, 60 + i);

		bad += d;
		hit += d != 0;
		kfree(mem[i]);
	}
	story_say(env, "the new kernel finds %zu bytes in %d of its buffers overwritten with 0xee, by no CPU store a watchpoint could catch",
		  bad, hit);
	env->data_ok = !bad;
	snprintf(env->note, sizeof(env->note),
		 "new kernel: %zu bytes in %d of its %d buffers overwritten by packet data",
		 bad, hit, NBUF);
	return 0;
}

const struct story story_kernel_hang_kexec = {
	.name = "kernel-hang-on-boot-kexec",
	.title = "Kernel hang on boot (the kexec handoff)",
	.from = &story_talk_fatoum,
	.slide = "Kernel hang on boot",
	.bug = "the driver stops its DMA in remove only; kexec calls shutdown, so the second kernel boots with the engine still receiving into its memory",
	.fix = "shutdown quiesces the device too, so the next kernel gets it idle",
	.bug_code =
		"static struct platform_driver rx = {\n"
		"\t.probe = rx_probe,\n"
		"\t.remove = rx_remove,\n"
		"\t/* no .shutdown: kexec leaves\n"
		"\t * the engine running */\n"
		"};\n",
	.fix_code =
		"static struct platform_driver rx = {\n"
		"\t.probe = rx_probe,\n"
		"\t.remove = rx_remove,\n"
		"\t.shutdown = rx_quiesce,\n"
		"};\n",
	.run = run,
};
