// SPDX-License-Identifier: MIT
/* Sweep cases: <dmakit/soc.h>, the simulated memory, devices, IOMMU and
 * device models. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include <dmakit/models/crypto.h>
#include <dmakit/models/dwc3.h>
#include <dmakit/models/macb.h>
#include <dmakit/models/sdhci_adma2.h>
#include <dmakit/models/stall.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_iommu.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>

#include "sweep.h"

#define RAM 0x80000000ULL

static void nop_event(struct dk_soc *soc, void *arg)
{
	(void)soc;
	(void)arg;
}

static void nop_irq(int irq, void *arg)
{
	(void)irq;
	(void)arg;
}

/* ---- loading */

SWEEP(dk_soc_opts_init, "NULL", W_NONE)
{
	dk_soc_opts_init(NULL);
	return 0;
}

SWEEP(dk_soc_load, "NULL path and result, a missing file", W_NONE)
{
	struct dk_soc *soc = (struct dk_soc *)1;

	EXPECT(dk_soc_load(NULL, NULL, &soc) == -EINVAL);
	EXPECT(soc == NULL);
	EXPECT(dk_soc_load("/nonexistent.dtb", NULL, NULL) == -EINVAL);
	EXPECT(dk_soc_load("/nonexistent.dtb", NULL, &soc) == -ENOENT);
	return 0;
}

SWEEP(dk_soc_load_blob, "NULL, length 0 and SIZE_MAX, garbage", W_NONE)
{
	static const u8 junk[64] = { 0xd0, 0x0d, 0xfe, 0xed, 0xff, 0xff };
	struct dk_soc *soc;

	EXPECT(dk_soc_load_blob(NULL, 64, NULL, &soc) == -EINVAL);
	EXPECT(dk_soc_load_blob(junk, 0, NULL, &soc) == -EINVAL);
	EXPECT(dk_soc_load_blob(junk, sizeof(junk), NULL, &soc) == -EINVAL);
	EXPECT(dk_soc_load_blob(junk, SIZE_MAX, NULL, &soc) == -EINVAL);
	EXPECT(dk_soc_load_blob(junk, 64, NULL, NULL) == -EINVAL);
	return 0;
}

SWEEP(dk_soc_load_default, "bad options", W_NONE)
{
	struct dk_soc_opts o;
	struct dk_soc *soc;

	dk_soc_opts_init(&o);
	o.policy = 99;
	EXPECT(dk_soc_load_default(&o, &soc) == -EINVAL);
	dk_soc_opts_init(&o);
	o.rate = INT_MAX;
	EXPECT(dk_soc_load_default(&o, &soc) == -EINVAL);
	EXPECT(dk_soc_load_default(NULL, NULL) == -EINVAL);
	return 0;
}

SWEEP(dk_dtb_from_file, "NULL arguments and a missing file", W_NONE)
{
	void *dtb;
	size_t len;

	EXPECT(dk_dtb_from_file(NULL, &dtb, &len) == -EINVAL);
	EXPECT(dk_dtb_from_file("/nonexistent.dts", NULL, &len) == -EINVAL);
	EXPECT(dk_dtb_from_file("/nonexistent.dtb", &dtb, &len) == -ENOENT);
	return 0;
}

SWEEP(dk_soc_default_dtb, "NULL length", W_NONE)
{
	EXPECT(dk_soc_default_dtb(NULL) != NULL);
	return 0;
}

SWEEP(dk_soc_free, "NULL, twice, a stray pointer", W_NONE)
{
	static char stray[256];
	struct dk_soc *soc;

	dk_soc_free(NULL);
	EXPECT(!dk_soc_load_default(NULL, &soc));
	dk_soc_free(soc);
	dk_soc_free(soc);
	EXPECT_LOG("is not live");
	dk_soc_free((struct dk_soc *)stray);
	return 0;
}

SWEEP(dk_soc_free, "a SoC a machine still runs on", W_MACHINE)
{
	dk_soc_free(e->soc);
	EXPECT_LOG("a machine still runs on SoC");
	EXPECT(kmalloc(16, GFP_KERNEL) != NULL);
	return 0;
}

/* ---- the getters: NULL and freed SoCs, indexes out of range */

SWEEP(dk_soc_model, "NULL and freed SoC", W_MACHINE)
{
	EXPECT(!dk_soc_model(NULL));
	EXPECT(!dk_soc_model(sweep_freed_soc(e)));
	return 0;
}

SWEEP(dk_soc_nbanks, "freed SoC", W_MACHINE)
{
	EXPECT(dk_soc_nbanks(sweep_freed_soc(e)) == 0);
	return 0;
}

SWEEP(dk_soc_bank, "freed SoC, index -1 and INT_MAX", W_MACHINE)
{
	EXPECT(!dk_soc_bank(sweep_freed_soc(e), 0));
	EXPECT(!dk_soc_bank(e->soc, -1));
	EXPECT(!dk_soc_bank(e->soc, INT_MAX));
	return 0;
}

SWEEP(dk_soc_nrmem, "freed SoC", W_MACHINE)
{
	EXPECT(dk_soc_nrmem(sweep_freed_soc(e)) == 0);
	return 0;
}

SWEEP(dk_soc_rmem, "freed SoC, index out of range", W_MACHINE)
{
	EXPECT(!dk_soc_rmem(sweep_freed_soc(e), 0));
	EXPECT(!dk_soc_rmem(e->soc, INT_MIN));
	return 0;
}

SWEEP(dk_soc_nsecure, "freed SoC", W_MACHINE)
{
	EXPECT(dk_soc_nsecure(sweep_freed_soc(e)) == 0);
	return 0;
}

SWEEP(dk_soc_secure, "freed SoC, index out of range", W_MACHINE)
{
	EXPECT(!dk_soc_secure(sweep_freed_soc(e), 0));
	EXPECT(!dk_soc_secure(e->soc, INT_MAX));
	return 0;
}

SWEEP(dk_soc_ndevs, "freed SoC", W_MACHINE)
{
	EXPECT(dk_soc_ndevs(sweep_freed_soc(e)) == 0);
	return 0;
}

SWEEP(dk_soc_dev, "freed SoC, index out of range", W_MACHINE)
{
	EXPECT(!dk_soc_dev(sweep_freed_soc(e), 0));
	EXPECT(!dk_soc_dev(e->soc, -1));
	return 0;
}

SWEEP(dk_soc_find_dev, "NULL name, freed SoC, no such node", W_MACHINE)
{
	EXPECT(!dk_soc_find_dev(e->soc, NULL));
	EXPECT(!dk_soc_find_dev(sweep_freed_soc(e), "master@10010000"));
	EXPECT(!dk_soc_find_dev(e->soc, "nothing"));
	EXPECT_ERR("no device \"nothing\"");
	return 0;
}

SWEEP(dk_simdev_desc, "NULL and dead device", W_MACHINE)
{
	EXPECT(!dk_simdev_desc(NULL));
	EXPECT(!dk_simdev_desc(sweep_dead_simdev(e)));
	return 0;
}

SWEEP(dk_soc_cache, "freed SoC", W_MACHINE)
{
	EXPECT(!dk_soc_cache(sweep_freed_soc(e)));
	return 0;
}

SWEEP(dk_evict_policy_name, "out of range", W_NONE)
{
	EXPECT(!strcmp(dk_evict_policy_name((enum dk_evict_policy)-1), "?"));
	return 0;
}

SWEEP(dk_evict_policy_parse, "NULL and unknown", W_NONE)
{
	EXPECT(dk_evict_policy_parse(NULL) == -EINVAL);
	EXPECT(dk_evict_policy_parse("") == -EINVAL);
	return 0;
}

SWEEP(dk_edge_policy_name, "out of range", W_NONE)
{
	EXPECT(!strcmp(dk_edge_policy_name((enum dk_edge_policy)99), "?"));
	return 0;
}

SWEEP(dk_edge_policy_parse, "NULL", W_NONE)
{
	EXPECT(dk_edge_policy_parse(NULL) == -EINVAL);
	return 0;
}

SWEEP(dk_soc_show, "NULL stream and NULL or freed SoC", W_MACHINE)
{
	FILE *f = tmpfile();

	dk_soc_show(NULL, f);
	dk_soc_show(sweep_freed_soc(e), f);
	EXPECT_LOG("is not live");
	dk_soc_show(e->soc, f);
	fclose(f);
	return 0;
}

SWEEP(dk_fault_reason_name, "out of range", W_NONE)
{
	EXPECT(dk_fault_reason_name((enum dk_fault_reason)1000) != NULL);
	return 0;
}

SWEEP(dk_soc_nfaults, "NULL and freed SoC", W_MACHINE)
{
	EXPECT(dk_soc_nfaults(NULL) == 0);
	EXPECT(dk_soc_nfaults(sweep_freed_soc(e)) == 0);
	return 0;
}

SWEEP(dk_soc_fault, "freed SoC, index SIZE_MAX", W_MACHINE)
{
	EXPECT(!dk_soc_fault(sweep_freed_soc(e), 0));
	EXPECT(!dk_soc_fault(e->soc, SIZE_MAX));
	return 0;
}

SWEEP(dk_soc_clear_faults, "NULL and freed SoC", W_MACHINE)
{
	dk_soc_clear_faults(NULL);
	dk_soc_clear_faults(sweep_freed_soc(e));
	return 0;
}

/* ---- events and interrupts */

SWEEP(dk_soc_now, "NULL and freed SoC", W_MACHINE)
{
	EXPECT(dk_soc_now(NULL) == 0);
	EXPECT(dk_soc_now(sweep_freed_soc(e)) == 0);
	return 0;
}

SWEEP(dk_soc_schedule, "NULL function, freed SoC, delay that wraps", W_MACHINE)
{
	EXPECT(dk_soc_schedule(e->soc, 1, NULL, NULL) == -EINVAL);
	EXPECT(dk_soc_schedule(sweep_freed_soc(e), 1, nop_event, NULL) ==
	       -EINVAL);
	EXPECT(dk_soc_schedule(NULL, 1, nop_event, NULL) == -EINVAL);
	EXPECT(dk_soc_schedule(e->soc, ~0ULL, nop_event, NULL) == 0);
	EXPECT(dk_soc_run(e->soc, 0) == 1);
	return 0;
}

SWEEP(dk_soc_step, "NULL and freed SoC", W_MACHINE)
{
	EXPECT(dk_soc_step(NULL) == 0);
	EXPECT(dk_soc_step(sweep_freed_soc(e)) == 0);
	return 0;
}

SWEEP(dk_soc_run, "NULL and freed SoC", W_MACHINE)
{
	EXPECT(dk_soc_run(NULL, 0) == 0);
	EXPECT(dk_soc_run(sweep_freed_soc(e), 0) == 0);
	return 0;
}

SWEEP(dk_soc_start_thread, "NULL, freed SoC, twice", W_MACHINE)
{
	EXPECT(dk_soc_start_thread(NULL) == -EINVAL);
	EXPECT(dk_soc_start_thread(sweep_freed_soc(e)) == -EINVAL);
	EXPECT(dk_soc_start_thread(e->soc) == 0);
	EXPECT(dk_soc_start_thread(e->soc) == -EBUSY);
	dk_soc_stop_thread(e->soc);
	return 0;
}

SWEEP(dk_soc_stop_thread, "NULL, freed SoC, not running", W_MACHINE)
{
	dk_soc_stop_thread(NULL);
	dk_soc_stop_thread(sweep_freed_soc(e));
	dk_soc_stop_thread(e->soc);
	return 0;
}

SWEEP(dk_soc_request_irq, "NULL handler, irq -1 and 256, taken line", W_MACHINE)
{
	EXPECT(dk_soc_request_irq(e->soc, 200, NULL, NULL) == -EINVAL);
	EXPECT(dk_soc_request_irq(e->soc, -1, nop_irq, NULL) == -EINVAL);
	EXPECT(dk_soc_request_irq(e->soc, DK_MAX_IRQ, nop_irq, NULL) == -EINVAL);
	EXPECT(dk_soc_request_irq(sweep_freed_soc(e), 200, nop_irq, NULL) ==
	       -EINVAL);
	EXPECT(dk_soc_request_irq(e->soc, 200, nop_irq, NULL) == 0);
	EXPECT(dk_soc_request_irq(e->soc, 200, nop_irq, NULL) == -EBUSY);
	return 0;
}

SWEEP(dk_soc_free_irq, "irq out of range, freed SoC, twice", W_MACHINE)
{
	dk_soc_free_irq(e->soc, -1);
	dk_soc_free_irq(e->soc, INT_MAX);
	dk_soc_free_irq(sweep_freed_soc(e), 3);
	dk_soc_free_irq(e->soc, 201);
	dk_soc_free_irq(NULL, 1);
	return 0;
}

SWEEP(dk_soc_raise_irq, "irq out of range, freed SoC", W_MACHINE)
{
	dk_soc_raise_irq(e->soc, -5);
	dk_soc_raise_irq(e->soc, INT_MAX);
	dk_soc_raise_irq(sweep_freed_soc(e), 1);
	dk_soc_raise_irq(NULL, 1);
	return 0;
}

SWEEP(dk_soc_spurious_irqs, "NULL and freed SoC", W_MACHINE)
{
	EXPECT(dk_soc_spurious_irqs(NULL) == 0);
	EXPECT(dk_soc_spurious_irqs(sweep_freed_soc(e)) == 0);
	return 0;
}

/* ---- simulated memory */

SWEEP(dk_sim_cpu_ptr, "not RAM, freed SoC", W_MACHINE)
{
	EXPECT(!dk_sim_cpu_ptr(e->soc, 0));
	EXPECT(!dk_sim_cpu_ptr(e->soc, ~0ULL));
	EXPECT(!dk_sim_cpu_ptr(sweep_freed_soc(e), RAM));
	EXPECT(!dk_sim_cpu_ptr(NULL, RAM));
	return 0;
}

SWEEP(dk_sim_dram_ptr, "not RAM, freed SoC", W_MACHINE)
{
	EXPECT(!dk_sim_dram_ptr(e->soc, ~0ULL));
	EXPECT(!dk_sim_dram_ptr(sweep_freed_soc(e), RAM));
	return 0;
}

SWEEP(dk_sim_virt_to_phys, "NULL pointer and result, freed SoC", W_MACHINE)
{
	phys_addr_t pa;

	EXPECT(dk_sim_virt_to_phys(e->soc, NULL, &pa) == -EFAULT);
	EXPECT(dk_sim_virt_to_phys(e->soc, e->buf, NULL) == -EINVAL);
	EXPECT(dk_sim_virt_to_phys(sweep_freed_soc(e), e->buf, &pa) == -EINVAL);
	EXPECT(dk_sim_virt_to_phys(e->soc, e->obuf, &pa) == -EFAULT);
	return 0;
}

SWEEP(dk_sim_is_cacheable, "NULL and freed SoC", W_MACHINE)
{
	EXPECT(!dk_sim_is_cacheable(e->soc, NULL));
	EXPECT(!dk_sim_is_cacheable(sweep_freed_soc(e), e->buf));
	return 0;
}

SWEEP(dk_sim_map_alias, "size 0 and SIZE_MAX, not RAM, freed SoC", W_MACHINE)
{
	EXPECT(!dk_sim_map_alias(e->soc, RAM, 0, DK_ALIAS_UNCACHED));
	EXPECT(!dk_sim_map_alias(e->soc, RAM, SIZE_MAX & ~0xfffUL,
				 DK_ALIAS_UNCACHED));
	EXPECT(!dk_sim_map_alias(e->soc, ~0xfffULL, 4096, DK_ALIAS_UNCACHED));
	EXPECT(!dk_sim_map_alias(e->soc, RAM, 4096, (enum dk_alias_type)99));
	EXPECT(!dk_sim_map_alias(sweep_freed_soc(e), RAM, 4096,
				 DK_ALIAS_UNCACHED));
	return 0;
}

SWEEP(dk_sim_export_fd, "NULL outputs, not RAM, freed SoC", W_MACHINE)
{
	int fd;
	u64 off;

	EXPECT(dk_sim_export_fd(e->soc, RAM, DK_ALIAS_UNCACHED, NULL, &off) ==
	       -EINVAL);
	EXPECT(dk_sim_export_fd(e->soc, ~0ULL, DK_ALIAS_UNCACHED, &fd, &off) ==
	       -EINVAL);
	EXPECT(dk_sim_export_fd(sweep_freed_soc(e), RAM, DK_ALIAS_UNCACHED, &fd,
				&off) == -EINVAL);
	return 0;
}

SWEEP(dk_sim_vmap, "NULL array, 0 and SIZE_MAX pages, unaligned page", W_MACHINE)
{
	phys_addr_t pages[2] = { RAM + 1, ~0ULL };

	EXPECT(!dk_sim_vmap(e->soc, NULL, 1, DK_ALIAS_CACHED));
	EXPECT(!dk_sim_vmap(e->soc, pages, 0, DK_ALIAS_CACHED));
	EXPECT(!dk_sim_vmap(e->soc, pages, SIZE_MAX, DK_ALIAS_CACHED));
	EXPECT(!dk_sim_vmap(e->soc, pages, 2, DK_ALIAS_CACHED));
	EXPECT(!dk_sim_vmap(sweep_freed_soc(e), pages, 1, DK_ALIAS_CACHED));
	return 0;
}

SWEEP(dk_sim_vmap_remap, "NULL, unaligned, not RAM, uncached, in no vmap, freed SoC", W_MACHINE)
{
	phys_addr_t pg = RAM;
	void *c = dk_sim_vmap(e->soc, &pg, 1, DK_ALIAS_CACHED);
	void *u = dk_sim_vmap(e->soc, &pg, 1, DK_ALIAS_UNCACHED);

	EXPECT(c && u);
	EXPECT(dk_sim_vmap_remap(e->soc, NULL, RAM) == -EINVAL);
	EXPECT(dk_sim_vmap_remap(e->soc, (u8 *)c + 1, RAM) == -EINVAL);
	EXPECT(dk_sim_vmap_remap(e->soc, c, RAM + 1) == -EINVAL);
	EXPECT(dk_sim_vmap_remap(e->soc, c, ~0ULL & ~4095ULL) == -EINVAL);
	EXPECT(dk_sim_vmap_remap(e->soc, u, RAM) == -EOPNOTSUPP);
	EXPECT(dk_sim_vmap_remap(e->soc, e->buf, RAM) == -EINVAL);
	EXPECT(dk_sim_vmap_remap(e->soc, c, RAM + 4096) == 0);
	EXPECT(dk_sim_vmap_remap(sweep_freed_soc(e), c, RAM) == -EINVAL);
	dk_sim_unmap_alias(e->soc, c);
	dk_sim_unmap_alias(e->soc, u);
	return 0;
}

SWEEP(dk_sim_unmap_alias, "NULL, stray address, twice, freed SoC", W_MACHINE)
{
	void *a = dk_sim_map_alias(e->soc, RAM, 4096, DK_ALIAS_UNCACHED);

	EXPECT(a);
	EXPECT(dk_sim_unmap_alias(e->soc, NULL) == -EINVAL);
	EXPECT(dk_sim_unmap_alias(e->soc, e->buf) == -EINVAL);
	EXPECT(dk_sim_unmap_alias(e->soc, a) == 0);
	EXPECT(dk_sim_unmap_alias(e->soc, a) == -EINVAL);
	EXPECT(dk_sim_unmap_alias(sweep_freed_soc(e), a) == -EINVAL);
	return 0;
}

SWEEP(dk_sim_cache_clean, "SIZE_MAX, not RAM, freed SoC", W_MACHINE)
{
	EXPECT(dk_sim_cache_clean(e->soc, RAM, SIZE_MAX) == -EINVAL);
	EXPECT(dk_sim_cache_clean(e->soc, ~0ULL, 64) == -EINVAL);
	EXPECT(dk_sim_cache_clean(sweep_freed_soc(e), RAM, 64) == -EINVAL);
	return 0;
}

SWEEP(dk_sim_cache_inval, "overflowing range", W_MACHINE)
{
	EXPECT(dk_sim_cache_inval(e->soc, ~0ULL - 8, 64) == -EINVAL);
	EXPECT(dk_sim_cache_inval(NULL, RAM, 64) == -EINVAL);
	return 0;
}

SWEEP(dk_sim_cache_clean_inval, "size 0 and SIZE_MAX", W_MACHINE)
{
	EXPECT(dk_sim_cache_clean_inval(e->soc, RAM, SIZE_MAX) == -EINVAL);
	EXPECT(dk_sim_cache_clean_inval(sweep_freed_soc(e), RAM, 64) == -EINVAL);
	return 0;
}

SWEEP(dk_sim_cache_evict, "SIZE_MAX and freed SoC", W_MACHINE)
{
	EXPECT(dk_sim_cache_evict(e->soc, RAM, SIZE_MAX) == -EINVAL);
	EXPECT(dk_sim_cache_evict(sweep_freed_soc(e), RAM, 64) == -EINVAL);
	return 0;
}

SWEEP(dk_sim_cache_speculate, "SIZE_MAX and freed SoC", W_MACHINE)
{
	EXPECT(dk_sim_cache_speculate(e->soc, RAM, SIZE_MAX) == -EINVAL);
	EXPECT(dk_sim_cache_speculate(sweep_freed_soc(e), RAM, 64) == -EINVAL);
	return 0;
}

SWEEP(dk_sim_line_dirty, "not RAM and freed SoC", W_MACHINE)
{
	EXPECT(!dk_sim_line_dirty(e->soc, ~0ULL));
	EXPECT(!dk_sim_line_dirty(sweep_freed_soc(e), RAM));
	EXPECT(!dk_sim_line_dirty(NULL, RAM));
	return 0;
}

SWEEP(dk_sim_first_dirty, "not RAM, empty, overflowing, NULL and freed SoC",
      W_MACHINE)
{
	phys_addr_t line;

	EXPECT(dk_sim_first_dirty(e->soc, ~0ULL, 64, &line) == -EINVAL);
	EXPECT(dk_sim_first_dirty(e->soc, RAM, 0, &line) == -EINVAL);
	EXPECT(dk_sim_first_dirty(e->soc, RAM, SIZE_MAX, &line) == -EINVAL);
	EXPECT(dk_sim_first_dirty(e->soc, RAM, 64, NULL) == -EINVAL);
	EXPECT(dk_sim_first_dirty(sweep_freed_soc(e), RAM, 64, &line) ==
	       -EINVAL);
	EXPECT(dk_sim_first_dirty(NULL, RAM, 64, &line) == -EINVAL);
	return 0;
}

SWEEP(dk_sim_peek, "NULL with a count, and 0 bytes", W_NONE)
{
	u8 b[4] = { 0 };

	dk_sim_peek(NULL, b, 0);
	dk_sim_peek(b, NULL, 4);
	dk_sim_peek(NULL, b, 4);
	return 0;
}

SWEEP(dk_sim_poke, "NULL with a count", W_NONE)
{
	u8 b[4] = { 0 };

	dk_sim_poke(NULL, b, 4);
	dk_sim_poke(b, NULL, 4);
	return 0;
}

SWEEP(dk_sim_resident_bytes, "NULL and freed SoC", W_MACHINE)
{
	EXPECT(dk_sim_resident_bytes(NULL) == 0);
	EXPECT(dk_sim_resident_bytes(sweep_freed_soc(e)) == 0);
	return 0;
}

SWEEP(dk_platform_sim, "NULL and freed SoC", W_MACHINE)
{
	struct dk_platform pl;

	EXPECT(dk_platform_sim(NULL, &pl) == -EINVAL);
	EXPECT(dk_platform_sim(e->soc, NULL) == -EINVAL);
	EXPECT(dk_platform_sim(sweep_freed_soc(e), &pl) == -EINVAL);
	return 0;
}

/* ---- simulated devices */

SWEEP(dk_dev_dma_read, "NULL buffer, SIZE_MAX, wrapping address, dead device", W_MACHINE)
{
	u8 b[64];

	EXPECT(dk_dev_dma_read(e->sdev, RAM, NULL, 64) == -EINVAL);
	EXPECT(dk_dev_dma_read(e->sdev, RAM, b, 0) == 0);
	EXPECT(dk_dev_dma_read(e->sdev, RAM, b, SIZE_MAX) < 0);
	EXPECT(dk_dev_dma_read(e->sdev, ~0ULL - 8, b, 64) < 0);
	EXPECT(dk_dev_dma_read(sweep_dead_simdev(e), RAM, b, 64) == -EINVAL);
	EXPECT(dk_dev_dma_read(NULL, RAM, b, 64) == -EINVAL);
	return 0;
}

SWEEP(dk_dev_dma_write, "NULL buffer, SIZE_MAX, dead device", W_MACHINE)
{
	u8 b[64] = { 0 };

	EXPECT(dk_dev_dma_write(e->sdev, RAM, NULL, 64) == -EINVAL);
	EXPECT(dk_dev_dma_write(e->sdev, RAM, b, SIZE_MAX) < 0);
	EXPECT(dk_dev_dma_write(sweep_dead_simdev(e), RAM, b, 64) == -EINVAL);
	return 0;
}

SWEEP(dk_dev_translate, "NULL result, 0 and SIZE_MAX bytes, dead device", W_MACHINE)
{
	phys_addr_t pa;

	EXPECT(dk_dev_translate(e->sdev, RAM, 64, false, NULL) == -EINVAL);
	EXPECT(dk_dev_translate(e->sdev, RAM, 0, false, &pa) == -EINVAL);
	EXPECT(dk_dev_translate(e->sdev, RAM, SIZE_MAX, false, &pa) < 0);
	EXPECT(dk_dev_translate(sweep_dead_simdev(e), RAM, 64, false, &pa) ==
	       -EINVAL);
	return 0;
}

SWEEP(dk_dev_mmio_read32, "offset past the window, unaligned, dead device", W_MACHINE)
{
	EXPECT(dk_dev_mmio_read32(e->sdev, ~0ULL - 3) == 0);
	EXPECT(dk_dev_mmio_read32(e->sdev, 2) == 0);
	EXPECT(dk_dev_mmio_read32(sweep_dead_simdev(e), 0) == 0);
	EXPECT(dk_dev_mmio_read32(NULL, 0) == 0);
	return 0;
}

SWEEP(dk_dev_mmio_read32, "a device whose model has no registers", W_MACHINE)
{
	EXPECT(dk_dev_mmio_read32(e->sdev, 0) == 0);
	EXPECT_ERR("is invalid");
	return 0;
}

SWEEP(dk_dev_mmio_write32, "offset that wraps, dead device", W_MACHINE)
{
	EXPECT(dk_dev_mmio_write32(e->sdev, ~0ULL - 3, 1) == -EINVAL);
	EXPECT(dk_dev_mmio_write32(sweep_dead_simdev(e), 0, 1) == -EINVAL);
	return 0;
}

SWEEP(dk_simdev_soc, "NULL and dead device", W_MACHINE)
{
	EXPECT(!dk_simdev_soc(NULL));
	EXPECT(!dk_simdev_soc(sweep_dead_simdev(e)));
	return 0;
}

SWEEP(dk_simdev_priv, "dead device", W_MACHINE)
{
	EXPECT(!dk_simdev_priv(sweep_dead_simdev(e)));
	return 0;
}

SWEEP(dk_simdev_set_priv, "NULL and dead device", W_MACHINE)
{
	dk_simdev_set_priv(NULL, e);
	dk_simdev_set_priv(sweep_dead_simdev(e), e);
	EXPECT_ERR("not live");
	return 0;
}

SWEEP(dk_models, "before any machine", W_NONE)
{
	EXPECT(dk_models() != NULL && dk_models()[0] != NULL);
	return 0;
}

SWEEP(dk_model_find, "NULL and unknown", W_NONE)
{
	EXPECT(!dk_model_find(NULL));
	EXPECT(!dk_model_find("nothing"));
	return 0;
}

SWEEP(dk_sim_iommu_enable, "a device without iommus, dead device", W_MACHINE)
{
	EXPECT(dk_sim_iommu_enable(e->sdev, true) == -ENODEV);
	EXPECT(dk_sim_iommu_enable(NULL, true) == -EINVAL);
	EXPECT(dk_sim_iommu_enable(sweep_dead_simdev(e), true) == -EINVAL);
	return 0;
}

SWEEP(dk_sim_iommu_map, "unaligned, wrapping, dead device", W_MACHINE)
{
	EXPECT(dk_sim_iommu_map(e->sdev, 1, RAM, 4096, 3) < 0);
	EXPECT(dk_sim_iommu_map(e->sdev, ~0xfffULL, RAM, 8192, 3) < 0);
	EXPECT(dk_sim_iommu_map(e->sdev, 0, 0, 1ULL << 62, 3) == -EINVAL);
	EXPECT(dk_sim_iommu_map(sweep_dead_simdev(e), 0, RAM, 4096, 3) ==
	       -EINVAL);
	EXPECT(dk_sim_iommu_map(NULL, 0, RAM, 4096, 3) == -EINVAL);
	return 0;
}

SWEEP(dk_sim_iommu_unmap, "wrapping, dead device", W_MACHINE)
{
	EXPECT(dk_sim_iommu_unmap(e->sdev, ~0xfffULL, ~0ULL) == 0);
	EXPECT(dk_sim_iommu_unmap(e->sdev, 0, 1ULL << 62) == 0);
	EXPECT(dk_sim_iommu_unmap(sweep_dead_simdev(e), 0, 4096) == 0);
	EXPECT(dk_sim_iommu_unmap(NULL, 0, 4096) == 0);
	return 0;
}

SWEEP(dk_sim_iommu_iova_to_phys, "NULL result, dead device", W_MACHINE)
{
	phys_addr_t pa;

	EXPECT(dk_sim_iommu_iova_to_phys(e->sdev, 0, NULL) < 0);
	EXPECT(dk_sim_iommu_iova_to_phys(sweep_dead_simdev(e), 0, &pa) ==
	       -EINVAL);
	return 0;
}

SWEEP(dk_sim_iommu_tlb_inval, "no iommus, whole space, dead device", W_MACHINE)
{
	EXPECT(dk_sim_iommu_tlb_inval(e->sdev, 0, 0) == -ENODEV);
	EXPECT(dk_sim_iommu_tlb_inval(NULL, ~0ULL, ~0ULL) == -EINVAL);
	EXPECT(dk_sim_iommu_tlb_inval(sweep_dead_simdev(e), 0, 4096) ==
	       -EINVAL);
	return 0;
}

SWEEP(dk_sim_iommu_table_base, "NULL result, no iommus, dead device", W_MACHINE)
{
	phys_addr_t pa;

	EXPECT(dk_sim_iommu_table_base(e->sdev, NULL) == -EINVAL);
	EXPECT(dk_sim_iommu_table_base(e->sdev, &pa) == -ENODEV);
	EXPECT(dk_sim_iommu_table_base(sweep_dead_simdev(e), &pa) == -EINVAL);
	return 0;
}

SWEEP(dk_sim_iommu_stats, "NULL result, no iommus, dead device", W_MACHINE)
{
	struct dk_sim_iommu_stats st;

	EXPECT(dk_sim_iommu_stats(e->sdev, NULL) == -EINVAL);
	EXPECT(dk_sim_iommu_stats(e->sdev, &st) == -ENODEV);
	EXPECT(dk_sim_iommu_stats(sweep_dead_simdev(e), &st) == -EINVAL);
	return 0;
}

SWEEP(dk_sim_iommu_forget_clean, "no iommus, dead device", W_MACHINE)
{
	EXPECT(dk_sim_iommu_forget_clean(e->sdev, true) == -ENODEV);
	EXPECT(dk_sim_iommu_forget_clean(NULL, true) == -EINVAL);
	EXPECT(dk_sim_iommu_forget_clean(sweep_dead_simdev(e), false) ==
	       -EINVAL);
	return 0;
}

/* ---- device models: the wrong model, NULL data, SIZE_MAX */

SWEEP(dk_dwc3_queue_bulk_in, "another model, NULL data, dead device", W_MACHINE)
{
	u8 b[8] = { 0 };

	EXPECT(dk_dwc3_queue_bulk_in(e->sdev, b, 8) == -EINVAL);
	EXPECT(dk_dwc3_queue_bulk_in(NULL, b, 8) == -EINVAL);
	EXPECT(dk_dwc3_queue_bulk_in(sweep_dead_simdev(e), b, 8) == -EINVAL);
	return 0;
}

SWEEP(dk_macb_inject_rx, "another model, SIZE_MAX, dead device", W_MACHINE)
{
	struct dk_simdev *macb = sweep_simdev(e, "ethernet@10100000");
	u8 b[64] = { 0 };

	EXPECT(dk_macb_inject_rx(e->sdev, b, 64) == -EINVAL);
	EXPECT(macb && dk_macb_inject_rx(macb, b, SIZE_MAX) == -EINVAL);
	EXPECT(dk_macb_inject_rx(macb, NULL, 64) == -EINVAL);
	EXPECT(dk_macb_inject_rx(sweep_dead_simdev(e), b, 64) == -EINVAL);
	return 0;
}

SWEEP(dk_sdhci_card_read, "blocks past the card, another model", W_MACHINE)
{
	struct dk_simdev *mmc = sweep_simdev(e, "mmc@10110000");
	u8 b[512];

	EXPECT(mmc && dk_sdhci_card_read(mmc, UINT_MAX, b, 1) == -EINVAL);
	EXPECT(dk_sdhci_card_read(mmc, 0, b, UINT_MAX) == -EINVAL);
	EXPECT(dk_sdhci_card_read(mmc, 0, NULL, 1) == -EINVAL);
	EXPECT(dk_sdhci_card_read(e->sdev, 0, b, 1) == -EINVAL);
	EXPECT(dk_sdhci_card_read(sweep_dead_simdev(e), 0, b, 1) == -EINVAL);
	return 0;
}

SWEEP(dk_sdhci_card_write, "blocks past the card, NULL", W_MACHINE)
{
	struct dk_simdev *mmc = sweep_simdev(e, "mmc@10110000");
	u8 b[512] = { 0 };

	EXPECT(mmc && dk_sdhci_card_write(mmc, UINT_MAX - 1, b, 2) == -EINVAL);
	EXPECT(dk_sdhci_card_write(NULL, 0, b, 1) == -EINVAL);
	return 0;
}

SWEEP(dk_simdev_stall, "NULL, dead device, 0 cycles", W_MACHINE)
{
	dk_simdev_stall(NULL, 10);
	dk_simdev_stall(sweep_dead_simdev(e), 10);
	dk_simdev_stall(e->sdev, 0);
	return 0;
}

SWEEP(dk_crypto_fnv1a, "0 bytes", W_NONE)
{
	EXPECT(dk_crypto_fnv1a("", 0) == dk_crypto_fnv1a(NULL, 0));
	return 0;
}

SWEEP(dk_sim_vmap_sync, "NULL, empty, foreign pointer, freed SoC", W_MACHINE)
{
	u8 k[8] = { 0 };

	EXPECT(dk_sim_vmap_sync(NULL, k, 8, true) == -EINVAL);
	EXPECT(dk_sim_vmap_sync(e->soc, NULL, 8, true) == -EINVAL);
	EXPECT(dk_sim_vmap_sync(e->soc, k, 0, false) == -EINVAL);
	EXPECT(dk_sim_vmap_sync(e->soc, k, 8, false) == 0);
	EXPECT(dk_sim_vmap_sync(sweep_freed_soc(e), k, 8, true) == -EINVAL);
	return 0;
}

SWEEP(dk_sim_drain_writes, "NULL and freed SoC", W_MACHINE)
{
	EXPECT(dk_sim_drain_writes(NULL) == -EINVAL);
	EXPECT(dk_sim_drain_writes(sweep_freed_soc(e)) == -EINVAL);
	EXPECT(dk_sim_drain_writes(e->soc) == 0);
	return 0;
}

SWEEP(dk_sim_track_stores, "NULL and freed SoC", W_MACHINE)
{
	EXPECT(dk_sim_track_stores(NULL, true) == -EINVAL);
	EXPECT(dk_sim_track_stores(sweep_freed_soc(e), true) == -EINVAL);
	EXPECT(dk_sim_track_stores(e->soc, false) == 0);
	return 0;
}

SWEEP(dk_sim_store_buffer, "empty, unaligned, SIZE_MAX, beyond RAM, freed SoC",
      W_MACHINE)
{
	EXPECT(dk_sim_store_buffer(NULL, RAM, 4096, true) == -EINVAL);
	EXPECT(dk_sim_store_buffer(e->soc, RAM, 0, true) == -EINVAL);
	EXPECT(dk_sim_store_buffer(e->soc, RAM + 1, 4096, true) == -EINVAL);
	EXPECT(dk_sim_store_buffer(e->soc, RAM, SIZE_MAX, true) == -EINVAL);
	EXPECT(dk_sim_store_buffer(e->soc, ~0xfffULL, 4096, false) ==
	       -EINVAL);
	EXPECT(dk_sim_store_buffer(e->soc, 0, 4096, true) == -EINVAL);
	EXPECT(dk_sim_store_buffer(sweep_freed_soc(e), RAM, 4096, true) ==
	       -EINVAL);
	/* Taking out what was never put there changes nothing. */
	EXPECT(dk_sim_store_buffer(e->soc, RAM, 4096, false) == 0);
	return 0;
}

SWEEP(dk_sim_store, "empty, SIZE_MAX, overflowing, freed SoC", W_MACHINE)
{
	EXPECT(dk_sim_store(e->soc, RAM, NULL, 0) == -EINVAL);
	EXPECT(dk_sim_store(e->soc, RAM, NULL, SIZE_MAX) == -EINVAL);
	EXPECT(dk_sim_store(e->soc, ~0ULL - 8, NULL, 64) == -EINVAL);
	EXPECT(dk_sim_store(sweep_freed_soc(e), RAM, NULL, 64) == -EINVAL);
	EXPECT(dk_sim_store(NULL, RAM, NULL, 64) == -EINVAL);
	return 0;
}
