// SPDX-License-Identifier: MIT
/*
 * Talk 000, "Kernel hang on boot": a bootloader (or a kernel before kexec)
 * leaves a receive DMA running; the next user of the memory finds it
 * overwritten with what looks like network packets. Drivers that start
 * DMA must stop it at remove/shutdown.
 *
 * The same driver once more with the DMA engine behind the SMMU
 * (kernel-hang-on-boot-iommu): remove() unmaps what the channel uses, so
 * its next descriptor fetch faults at the SMMU and the channel stops with
 * an error instead of writing into the next user's memory. The fault is
 * the bug made visible; quiescing first still is the fix.
 *
 * And once more with lazy invalidation (stale-iotlb): the unmaps only
 * clear the SMMU's page tables and queue their IOVAs for the next IOTLB
 * flush (the queue's timer makes it within 10 ms of simulated time), so
 * until then the engine goes on through the translations its IOTLB still
 * holds, into the receive buffer the next user now owns. The checker's
 * device-side view sees a device write memory no mapping of it covers.
 */
#include <errno.h>
#include <string.h>

#include <libfdt.h>

#include <dmakit/models/m2m_dma.h>

#include "story.h"

#define LEN 2048

struct rx {
	struct device *dev;
	struct dk_simdev *sd;
	struct dk_m2m_desc *ring;	/* two descriptors chasing each other */
	dma_addr_t ring_dma;
	u8 *wire;			/* where "packets" come from */
	dma_addr_t wire_dma;
	u8 *buf;
	dma_addr_t buf_dma;
	bool quiesce;
};

static struct rx rx;

static int rx_probe(struct device *dev)
{
	rx.dev = dev;
	rx.ring = dma_alloc_coherent(dev, 4096, &rx.ring_dma, GFP_KERNEL);
	rx.wire = dma_alloc_coherent(dev, LEN, &rx.wire_dma, GFP_KERNEL);
	rx.buf = kmalloc(LEN, GFP_KERNEL);
	if (!rx.ring || !rx.wire || !rx.buf)
		return -ENOMEM;
	memset(rx.wire, 0xee, LEN);	/* packet bytes */
	rx.buf_dma = dma_map_single(dev, rx.buf, LEN, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, rx.buf_dma))
		return -ENOMEM;
	/* A ring: receive forever until told to stop. */
	rx.ring[0] = (struct dk_m2m_desc){ rx.wire_dma, rx.buf_dma, LEN, 0,
					   rx.ring_dma + 32 };
	rx.ring[1] = (struct dk_m2m_desc){ rx.wire_dma, rx.buf_dma, LEN, 0,
					   rx.ring_dma };
	story_writel(rx.sd, DK_M2M_CHAN(0) + DK_M2M_DESC_LO,
		     (u32)rx.ring_dma);
	story_writel(rx.sd, DK_M2M_CHAN(0) + DK_M2M_DESC_HI,
		     rx.ring_dma >> 32);
	story_writel(rx.sd, DK_M2M_CHAN(0) + DK_M2M_CTRL,
		     DK_M2M_CTRL_START);
	return 0;
}

static void rx_remove(struct device *dev)
{
	struct dk_soc *soc = dk_simdev_soc(rx.sd);

	if (rx.quiesce) {
		/* Stop the channel and wait until it is idle. */
		story_writel(rx.sd, DK_M2M_CHAN(0) + DK_M2M_CTRL,
			     DK_M2M_CTRL_STOP);
		while (dk_dev_mmio_read32(rx.sd, DK_M2M_CHAN(0) + DK_M2M_STATUS) &
		       DK_M2M_ST_BUSY)
			if (!dk_soc_step(soc))
				break;
	}
	dma_unmap_single(dev, rx.buf_dma, LEN, DMA_FROM_DEVICE);
	kfree(rx.buf);
	dma_free_coherent(dev, LEN, rx.wire, rx.wire_dma);
	dma_free_coherent(dev, 4096, rx.ring, rx.ring_dma);
}

static const struct of_device_id ids[] = {
	{ .compatible = "dmakit,m2m-dma" },
	{ }
};

static int run(struct story_env *env)
{
	struct device_driver drv = { .name = "rxring", .of_match_table = ids,
				     .probe = rx_probe, .remove = rx_remove };
	struct dk_soc *soc = env->soc;
	u8 *next;
	int r;

	memset(&rx, 0, sizeof(rx));
	rx.sd = story_simdev(env, "dma@10000000");
	rx.quiesce = env->fixed;
	r = driver_register(&drv);
	if (r)
		return r;
	dk_soc_run(soc, 20);		/* a few packets arrive */
	story_say(env, "the driver is removed %s stopping its receive DMA",
		  env->fixed ? "after" : "without");
	driver_unregister(&drv);
	/* The next user gets the same memory and fills it. */
	next = kmalloc(LEN, GFP_KERNEL);
	story_fill(next, LEN, 7);
	story_say(env, "the next user's buffer is %s the old receive buffer",
		  next == rx.buf ? "exactly" : "not");
	dk_soc_run(soc, 20);		/* time passes */
	env->data_ok = story_check(next, LEN, 7);
	snprintf(env->note, sizeof(env->note),
		 "%zu of %d bytes of the next user's data overwritten",
		 story_diff(next, LEN, 7), LEN);
	kfree(next);
	return 0;
}

/* The DMA engine behind the built-in tree's SMMU, as stream 0x30. */
static int behind_smmu(void *fdt, size_t cap, bool fixed)
{
	int smmu = fdt_path_offset(fdt, "/soc/iommu@10300000");
	fdt32_t cells[2];

	(void)cap;
	(void)fixed;
	if (smmu < 0 || !fdt_get_phandle(fdt, smmu))
		return -1;
	cells[0] = cpu_to_fdt32(fdt_get_phandle(fdt, smmu));
	cells[1] = cpu_to_fdt32(0x30);
	return story_set_prop(fdt, "/soc/dma@10000000", "iommus", cells,
			      sizeof(cells));
}

static int run_iommu(struct story_env *env)
{
	size_t n;
	int r = run(env);
	u32 st = dk_dev_mmio_read32(rx.sd, DK_M2M_CHAN(0) + DK_M2M_STATUS);

	story_say(env, "the SMMU recorded %zu fault%s; the channel %s",
		  dk_soc_nfaults(env->soc),
		  dk_soc_nfaults(env->soc) == 1 ? "" : "s",
		  st & DK_M2M_ST_ERROR ? "stopped with an error" :
		  st & DK_M2M_ST_BUSY ? "still runs" : "is idle");
	n = strlen(env->note);
	snprintf(env->note + n, sizeof(env->note) - n, "; %zu SMMU faults",
		 dk_soc_nfaults(env->soc));
	return r;
}

const struct story story_kernel_hang_on_boot_iommu = {
	.name = "kernel-hang-on-boot-iommu",
	.title = "Kernel hang on boot, behind an IOMMU",
	.from = &story_talk_fatoum,
	.slide = "Kernel hang on boot",
	.bug = "remove() unmaps and frees the receive buffers but leaves the DMA running; behind the SMMU its next access faults",
	.fix = "remove() stops the channel and waits for it to go idle first: no fault",
	.bug_code =
		"static void rx_remove(struct device *dev)\n"
		"{\n"
		"\t/* the engine keeps going: its next\n"
		"\t * fetch faults at the SMMU */\n"
		"\tdma_unmap_single(...);\n"
		"}\n",
	.fix_code =
		"static void rx_remove(struct device *dev)\n"
		"{\n"
		"\twritel(CTRL_STOP, ch + CTRL);\n"
		"\twhile (readl(ch + STATUS) & BUSY)\n"
		"\t\tcpu_relax();\n"
		"\tdma_unmap_single(...);\n"
		"}\n",
	.patch_tree = behind_smmu,
	.run = run_iommu,
};

/* Linux's iommu.strict=0 (domain type DMA_FQ), the default on x86. */
static void lazy(struct dk_machine_opts *o, bool fixed)
{
	(void)fixed;
	o->iommu_lazy = true;
}

const struct story story_stale_iotlb = {
	.name = "stale-iotlb",
	.title = "A stale IOTLB entry after a lazy unmap",
	.from = &story_talk_pinchart,
	.slide = "IOMMU API",
	.bug = "remove() unmaps and frees the receive buffer with the DMA still running; the unmap only queues the IOTLB invalidation (made within 10 ms), so meanwhile the engine's cached translation carries its writes into the next user's memory",
	.fix = "remove() stops the channel and waits for it to go idle before it unmaps: nothing is left to use a stale entry",
	.bug_code =
		"static void rx_remove(struct device *dev)\n"
		"{\n"
		"\t/* lazy: the IOTLB keeps the entry\n"
		"\t * until the queue's flush (10 ms) */\n"
		"\tdma_unmap_single(...);\n"
		"\tkfree(rx_buffer);\n"
		"}\n",
	.fix_code =
		"static void rx_remove(struct device *dev)\n"
		"{\n"
		"\twritel(CTRL_STOP, ch + CTRL);\n"
		"\twhile (readl(ch + STATUS) & BUSY)\n"
		"\t\tcpu_relax();\n"
		"\tdma_unmap_single(...);\n"
		"\tkfree(rx_buffer);\n"
		"}\n",
	.patch_tree = behind_smmu,
	.machine_opts = lazy,
	.run = run_iommu,
};

const struct story story_kernel_hang_on_boot = {
	.name = "kernel-hang-on-boot",
	.title = "Kernel hang on boot",
	.from = &story_talk_fatoum,
	.slide = "Kernel hang on boot",
	.bug = "remove() frees the receive buffers but leaves the DMA running",
	.fix = "remove() stops the channel and waits for it to go idle first",
	.bug_code =
		"static void rx_remove(struct device *dev)\n"
		"{\n"
		"\t/* the engine keeps writing */\n"
		"\tkfree(rx_buffers);\n"
		"}\n",
	.fix_code =
		"static void rx_remove(struct device *dev)\n"
		"{\n"
		"\t/* stop the channel, wait till idle */\n"
		"\twritel(CTRL_STOP, ch + CTRL);\n"
		"\twhile (readl(ch + STATUS) & BUSY)\n"
		"\t\tcpu_relax();\n"
		"\tkfree(rx_buffers);\n"
		"}\n",
	.run = run,
};
