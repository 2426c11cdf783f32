// SPDX-License-Identifier: MIT
/*
 * Talk 000, "More RAM = More Crashes": an MMC host driver works until the
 * board gets more RAM, then ADMA errors and SMMU faults appear. The
 * controller's capabilities say it addresses 64 bits, so the driver sets a
 * 64-bit DMA mask; the SoC wires only 40 of them, and the host sits behind
 * the SMMU. With a 64-bit mask iommu-dma hands out IOVAs from the top of
 * the SMMU's 48-bit input range; the wires drop the bits above 40, so
 * what reaches the SMMU is an address nothing maps there: a context fault
 * for the descriptor fetch, an ADMA error for the driver, no data. The
 * fix: dma_set_mask_and_coherent(dev, DMA_BIT_MASK(40)), after which every
 * IOVA fits the wires.
 */
#include <errno.h>
#include <string.h>

#include <libfdt.h>

#include <dmakit/models/sdhci_adma2.h>

#include "story.h"

#define HIGH_RAM	0x10080000000ULL	/* the upgrade: 1 GiB at 1 TiB + 2 GiB */
#define HIGH_SIZE	0x40000000ULL
#define NPAGES		4
#define NBLOCKS		((int)(NPAGES * PAGE_SIZE / DK_SDHCI_BLOCK_SIZE))
#define LBA		16
#define WIRED_BITS	40

struct sdhci_host {
	struct device *dev;
	struct dk_simdev *sd;
	struct dk_soc *soc;
	bool fixed;
	u8 *adma_table;
	dma_addr_t adma_addr;
	u32 status;			/* what the interrupts reported */
};

static struct sdhci_host host;

static u32 sdhci_readl(u32 reg)
{
	return dk_dev_mmio_read32(host.sd, reg);
}

static void sdhci_writel(u32 reg, u32 val)
{
	story_writel(host.sd, reg, val);
}

static void sdhci_irq(int irq, void *arg)
{
	u32 st = sdhci_readl(DK_SDHCI_INT_STATUS);

	(void)irq;
	(void)arg;
	sdhci_writel(DK_SDHCI_INT_STATUS, st);
	host.status |= st;
}

static int sdhci_probe(struct device *dev)
{
	u32 caps = sdhci_readl(DK_SDHCI_CAPS);
	int r;

	host.dev = dev;
	/*
	 * The controller can generate 64-bit addresses; whether the SoC
	 * routes all of them is not something it can tell the driver.
	 */
	if (host.fixed)
		r = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(WIRED_BITS));
	else
		r = dma_set_mask_and_coherent(dev, caps & DK_SDHCI_CAPS_64BIT ?
						   DMA_BIT_MASK(64) :
						   DMA_BIT_MASK(32));
	if (r)
		return r;
	host.adma_table = dma_alloc_coherent(dev, (NPAGES + 1) *
					     DK_SDHCI_DESC_SIZE,
					     &host.adma_addr, GFP_KERNEL);
	if (!host.adma_table)
		return -ENOMEM;
	if (dk_soc_request_irq(host.soc, dev->irq, sdhci_irq, NULL)) {
		dma_free_coherent(dev, (NPAGES + 1) * DK_SDHCI_DESC_SIZE,
				  host.adma_table, host.adma_addr);
		return -EBUSY;
	}
	sdhci_writel(DK_SDHCI_HOST_CTRL, DK_SDHCI_CTRL_ADMA64);
	sdhci_writel(DK_SDHCI_INT_SIGNAL, DK_SDHCI_INT_XFER_COMPLETE |
			     DK_SDHCI_INT_ERROR);
	return 0;
}

static void sdhci_remove(struct device *dev)
{
	sdhci_writel(DK_SDHCI_INT_SIGNAL, 0);
	dk_soc_free_irq(host.soc, dev->irq);
	dma_free_coherent(dev, (NPAGES + 1) * DK_SDHCI_DESC_SIZE,
			  host.adma_table, host.adma_addr);
}

static void put_le(u8 *p, u64 v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = v >> (8 * i);
}

/* One ADMA2 transfer descriptor per DMA segment, END on the last. */
static void adma_table_fill(struct scatterlist *sgl, int n)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, n, i) {
		u8 *d = host.adma_table + i * DK_SDHCI_DESC_SIZE;

		put_le(d, DK_SDHCI_DESC_VALID | DK_SDHCI_DESC_TRAN |
			  (i == n - 1 ? DK_SDHCI_DESC_END : 0), 2);
		put_le(d + 2, sg_dma_len(sg) & 0xffff, 2);
		put_le(d + 4, sg_dma_address(sg), 8);
		put_le(d + 12, 0, 4);
	}
}

/* Read NBLOCKS from the card into @sgl: what the block layer asks. The
 * story looks at where the DMA went before sdhci_read_done() unmaps. */
static int sdhci_read_blocks(struct scatterlist *sgl)
{
	int n = dma_map_sg(host.dev, sgl, NPAGES, DMA_FROM_DEVICE);

	if (!n)
		return -EIO;
	adma_table_fill(sgl, n);
	sdhci_writel(DK_SDHCI_ADMA_LO, (u32)host.adma_addr);
	sdhci_writel(DK_SDHCI_ADMA_HI, host.adma_addr >> 32);
	sdhci_writel(DK_SDHCI_BLOCK,
		     DK_SDHCI_BLOCK_VAL(DK_SDHCI_BLOCK_SIZE, NBLOCKS));
	sdhci_writel(DK_SDHCI_ARGUMENT, LBA);
	host.status = 0;
	sdhci_writel(DK_SDHCI_COMMAND, DK_SDHCI_MODE_DMA | DK_SDHCI_CMD_DATA |
			  DK_SDHCI_CMD_INDEX(DK_SDHCI_CMD_READ_MULTIPLE));
	dk_soc_run(host.soc, 0);
	return 0;
}

static int sdhci_read_done(struct scatterlist *sgl)
{
	dma_unmap_sg(host.dev, sgl, NPAGES, DMA_FROM_DEVICE);
	return host.status & DK_SDHCI_INT_ERROR ? -EIO : 0;
}

static const struct of_device_id sdhci_ids[] = {
	{ .compatible = "dmakit,sdhci-adma2" },
	{ }
};

/* The RAM upgrade, for both drivers: a bank above 1 TiB. */
static int patch_tree(void *fdt, size_t cap, bool fixed)
{
	fdt32_t reg[4] = {
		cpu_to_fdt32(HIGH_RAM >> 32), cpu_to_fdt32((u32)HIGH_RAM),
		cpu_to_fdt32(HIGH_SIZE >> 32), cpu_to_fdt32((u32)HIGH_SIZE),
	};
	int node;

	(void)cap;
	(void)fixed;
	if (fdt_path_offset(fdt, "/memory@10080000000") >= 0)
		return 0;	/* a tree that has it already */
	node = fdt_add_subnode(fdt, 0, "memory@10080000000");
	if (node < 0 || fdt_setprop_string(fdt, node, "device_type", "memory") ||
	    fdt_setprop(fdt, node, "reg", reg, sizeof(reg)))
		return -1;
	return 0;
}

/* Bytes of low RAM (as DRAM holds them) that differ from @before. */
static size_t changed(struct story_env *env, phys_addr_t pa,
		      const u8 *before, size_t n)
{
	u8 now[PAGE_SIZE];
	size_t i, d = 0;

	dk_sim_peek(now, dk_sim_dram_ptr(env->soc, pa), n);
	for (i = 0; i < n; i++)
		d += now[i] != before[i];
	return d;
}

/*
 * Where the segment's DMA went, said for the first one; returns how many
 * bytes changed in memory that was not the buffer's (nor its bounce slot).
 * Behind the SMMU an address it has no translation for goes nowhere.
 */
static size_t landed(struct story_env *env, struct scatterlist *sg,
		     phys_addr_t page, const u8 *before, bool say)
{
	struct dk_swiotlb_stats st = { 0 };
	dma_addr_t dma = sg_dma_address(sg);
	phys_addr_t where;
	bool bounced, stray;

	if (!sg_dma_len(sg))
		return 0;
	if (dk_dev_translate(host.sd, dma, sg_dma_len(sg), true, &where)) {
		if (say)
			story_say(env, "IOVA 0x%llx reaches the SMMU as 0x%llx (%d wires): no translation there",
				  (unsigned long long)dma,
				  (unsigned long long)(dma &
						       DMA_BIT_MASK(WIRED_BITS)),
				  WIRED_BITS);
		return 0;
	}
	dk_swiotlb_stats(env->m, &st);
	bounced = where >= st.start && where < st.end;
	stray = !bounced && where != page;
	if (say)
		story_say(env, "device address 0x%llx lands at physical 0x%llx: %s",
			  (unsigned long long)dma, (unsigned long long)where,
			  stray ? "someone else's memory" :
			  bounced ? "its swiotlb bounce slot" :
				    "the page itself");
	return stray ? changed(env, where, before, PAGE_SIZE) : 0;
}

static int run(struct story_env *env)
{
	struct device_driver drv = { .name = "sdhci", .of_match_table = sdhci_ids,
				     .probe = sdhci_probe,
				     .remove = sdhci_remove };
	const struct dk_platform_ops *ops = env->pl.ops;
	static u8 card[NBLOCKS * DK_SDHCI_BLOCK_SIZE], before[NPAGES][PAGE_SIZE];
	struct scatterlist sgl[NPAGES];
	phys_addr_t pa[NPAGES];
	size_t wrong = 0, clobbered = 0;
	int i, r, got = 0;

	memset(&host, 0, sizeof(host));
	host.sd = story_simdev(env, "mmc@10110000");
	host.soc = env->soc;
	host.fixed = env->fixed;
	if (!host.sd)
		return -ENODEV;
	story_fill(card, sizeof(card), 1);
	dk_sdhci_card_write(host.sd, LBA, card, NBLOCKS);
	r = driver_register(&drv);
	if (r || !host.adma_table) {
		driver_unregister(&drv);
		return r ? r : -ENODEV;
	}
	story_say(env, "CAPS says 64-bit DMA; the driver sets DMA_BIT_MASK(%d); %d address bits are wired",
		  host.fixed ? WIRED_BITS : 64, WIRED_BITS);
	/* After the upgrade the page cache hands out the new, high RAM. */
	sg_init_table(sgl, NPAGES);
	for (i = 0; i < NPAGES; i++, got++) {
		phys_addr_t low;

		if (ops->alloc_pages(env->pl.ctx, 1, 1, HIGH_RAM, ~0ULL, &pa[i]))
			break;
		sg_set_page(&sgl[i], phys_to_page(pa[i]), PAGE_SIZE, 0);
		low = pa[i] & DMA_BIT_MASK(WIRED_BITS);
		dk_sim_peek(before[i], dk_sim_dram_ptr(env->soc, low), PAGE_SIZE);
	}
	if (got < NPAGES) {
		r = -ENOMEM;
		goto out;
	}
	story_say(env, "the block layer reads %d blocks into pages at 0x%llx..., above 1 TiB",
		  NBLOCKS, (unsigned long long)pa[0]);
	r = sdhci_read_blocks(sgl);
	if (host.status & DK_SDHCI_INT_ADMA_ERROR)
		story_say(env, "the controller reports an ADMA error; the SMMU recorded %zu context fault%s",
			  dk_soc_nfaults(env->soc),
			  dk_soc_nfaults(env->soc) == 1 ? "" : "s");
	for (i = 0; !r && i < NPAGES; i++)
		clobbered += landed(env, &sgl[i], pa[i], before[i], i == 0);
	if (!r)
		r = sdhci_read_done(sgl);
	for (i = 0; i < NPAGES; i++) {
		const u8 *data = phys_to_virt(pa[i]);
		size_t j;

		for (j = 0; j < PAGE_SIZE; j++)
			wrong += data[j] != card[i * PAGE_SIZE + j];
	}
	env->data_ok = !r && !wrong;
	snprintf(env->note, sizeof(env->note),
		 "read %s, %zu of %lu bytes wrong, %zu bytes of other memory overwritten",
		 r ? "failed (ADMA error)" : "completed", wrong,
		 (unsigned long)(NPAGES * PAGE_SIZE), clobbered);
	/* A failed read is the story's outcome, not a failure to tell it. */
	r = 0;
out:
	for (i = 0; i < got; i++)
		ops->free_pages(env->pl.ctx, pa[i], 1);
	driver_unregister(&drv);
	return r;
}

const struct story story_more_ram_more_crashes = {
	.name = "more-ram-more-crashes",
	.title = "More RAM = More Crashes",
	.from = &story_talk_fatoum,
	.slide = "More RAM = More Crashes",
	.bug = "trusts the controller's 64-bit capability; the SoC wires 40 address bits, so the IOVAs iommu-dma gives a 64-bit mask lose their top bits on the way to the SMMU: context faults, ADMA errors",
	.fix = "dma_set_mask_and_coherent(dev, DMA_BIT_MASK(40)): every IOVA fits the 40 wires",
	.bug_code =
		"/* the controller can make 64-bit addresses */\n"
		"dma_set_mask_and_coherent(dev,\n"
		"\tDMA_BIT_MASK(64));\n"
		"/* the SoC wires 40 of them: IOVAs from\n"
		" * the SMMU's top reach it truncated */\n",
	.fix_code =
		"/* what the SoC routes, not what the IP\n"
		" * block can generate */\n"
		"dma_set_mask_and_coherent(dev,\n"
		"\tDMA_BIT_MASK(40));\n"
		"/* iommu-dma keeps IOVAs below 2^40 */\n",
	.patch_tree = patch_tree,
	.run = run,
};
