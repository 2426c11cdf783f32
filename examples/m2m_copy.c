// SPDX-License-Identifier: MIT
/*
 * Drive the simulated memcpy DMA engine like a driver: take pages from the
 * platform, build a descriptor, do the cache maintenance a non-coherent
 * SoC needs, ring the doorbell, wait for the interrupt, check the bytes.
 * Run it with "skip-clean" to watch the engine copy stale DRAM instead.
 *
 * Build: cc m2m_copy.c $(pkg-config --cflags --libs dmakit)
 */
#include <stdio.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/models/m2m_dma.h>
#include <dmakit/platform.h>
#include <dmakit/sim_device.h>
#include <dmakit/soc.h>

#define LEN 4096

static int done;

static void irq(int line, void *arg)
{
	struct dk_simdev *dma = arg;

	(void)line;
	dk_dev_mmio_write32(dma, DK_M2M_REG_IRQSTAT,
			    dk_dev_mmio_read32(dma, DK_M2M_REG_IRQSTAT));
	done = 1;
}

int main(int argc, char **argv)
{
	int skip_clean = argc > 1 && !strcmp(argv[1], "skip-clean");
	struct dk_soc *soc;
	struct dk_platform pl;
	struct dk_simdev *dma;
	phys_addr_t desc_pa, src_pa, dst_pa;
	struct dk_m2m_desc *desc;
	unsigned char *src, *dst;
	int i, bad = 0;

	if (dk_soc_load_default(NULL, &soc) || dk_platform_sim(soc, &pl)) {
		fprintf(stderr, "m2m_copy: %s\n", dk_last_error());
		return 1;
	}
	dma = dk_soc_find_dev(soc, "dma@10000000");
	if (!dma || dk_soc_request_irq(soc, dk_simdev_desc(dma)->irq, irq, dma) ||
	    pl.ops->alloc_pages(pl.ctx, 1, 1, 0, ~0ULL, &desc_pa) ||
	    pl.ops->alloc_pages(pl.ctx, 1, 1, 0, ~0ULL, &src_pa) ||
	    pl.ops->alloc_pages(pl.ctx, 1, 1, 0, ~0ULL, &dst_pa)) {
		fprintf(stderr, "m2m_copy: %s\n", dk_last_error());
		return 1;
	}
	desc = pl.ops->phys_to_virt(pl.ctx, desc_pa);
	src = pl.ops->phys_to_virt(pl.ctx, src_pa);
	dst = pl.ops->phys_to_virt(pl.ctx, dst_pa);
	for (i = 0; i < LEN; i++)
		src[i] = i * 7 + 1;
	*desc = (struct dk_m2m_desc){ .src = src_pa, .dst = dst_pa, .len = LEN,
				      .flags = DK_M2M_DESC_LAST };
	/* The engine reads the descriptor and the source from DRAM. */
	pl.ops->cache_clean(pl.ctx, desc_pa, sizeof(*desc));
	if (!skip_clean)
		pl.ops->cache_clean(pl.ctx, src_pa, LEN);
	pl.ops->cache_inval(pl.ctx, dst_pa, LEN);
	dk_dev_mmio_write32(dma, DK_M2M_CHAN(0) + DK_M2M_DESC_LO, (u32)desc_pa);
	dk_dev_mmio_write32(dma, DK_M2M_CHAN(0) + DK_M2M_DESC_HI, desc_pa >> 32);
	dk_dev_mmio_write32(dma, DK_M2M_CHAN(0) + DK_M2M_CTRL,
			    DK_M2M_CTRL_START | DK_M2M_CTRL_IRQEN);
	dk_soc_run(soc, 0);
	/* The CPU must drop its stale lines before it reads the result. */
	pl.ops->cache_inval(pl.ctx, dst_pa, LEN);
	for (i = 0; i < LEN; i++)
		bad += dst[i] != src[i];
	printf("interrupt: %s, status 0x%x, %zu fault(s), time %llu cycles\n",
	       done ? "yes" : "no",
	       dk_dev_mmio_read32(dma, DK_M2M_CHAN(0) + DK_M2M_STATUS),
	       dk_soc_nfaults(soc), (unsigned long long)dk_soc_now(soc));
	if (dk_soc_nfaults(soc))
		printf("fault: %s at 0x%llx: %s\n", dk_soc_fault(soc, 0)->device,
		       (unsigned long long)dk_soc_fault(soc, 0)->dev_addr,
		       dk_fault_reason_name(dk_soc_fault(soc, 0)->reason));
	printf("copied %d bytes: %s (%d differ)\n", LEN, bad ? "CORRUPT" : "ok",
	       bad);
	dk_soc_free(soc);
	return bad ? 2 : 0;
}
