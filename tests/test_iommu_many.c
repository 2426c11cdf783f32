// SPDX-License-Identifier: MIT
/*
 * A domain with many live mappings, against a page-by-page reference:
 * overlaps refused, unmaps (splitting ranges) reporting exactly what was
 * mapped, iova_to_phys exact, and attach programming every range.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/iommu.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>

#include "harness.h"
#include "testsoc.h"

#define PG 4096UL
#define NPAGES 65536UL		/* the IOVA pages the test uses */
#define BASE 0x100000000UL	/* their first IOVA */
#define RAM 0x80000000ULL

/* Each IOVA page's physical page in the reference, or 0. */
static phys_addr_t *ref;

TEST(iommu_many_live_mappings_exact_overlap_unmap_and_lookup)
{
	struct dk_machine_opts mo = { .iommu_passthrough = true };
	struct testmachine t = testmachine_boot(testsoc_iommu_tree, NULL, &mo);
	struct device *gpu = dk_machine_find_device(t.m, "gpu");
	struct dk_simdev *sgpu = dk_soc_find_dev(t.soc, "gpu");
	struct iommu_domain *d = iommu_paging_domain_alloc(gpu);
	unsigned long i, p, n, live = 0, bad = 0;
	u64 s = 0x2545f4914f6cdd1dULL;
	u8 *ram = dk_sim_dram_ptr(t.soc, RAM), got[4];

	ref = calloc(NPAGES, sizeof(*ref));
	CHECK(d != NULL && ref != NULL);
	/* Mapped while no device is attached: the domain's ranges alone. */
	for (i = 0; i < 60000; i++) {
		p = test_rnd(&s) % (NPAGES - 4);
		n = 1 + test_rnd(&s) % 4;
		if (test_rnd(&s) % 4) {
			phys_addr_t pa = RAM + (test_rnd(&s) % 1024) * PG;
			bool ok = iova_ref_free(ref, p, n);
			int r = iommu_map(d, BASE + p * PG, pa, n * PG,
					  IOMMU_READ, GFP_KERNEL);

			bad += r != (ok ? 0 : -EEXIST);
			for (unsigned long k = 0; ok && k < n; k++)
				ref[p + k] = pa + k * PG;
		} else {
			size_t want = iova_ref_unmap(ref, p, n);

			bad += iommu_unmap(d, BASE + p * PG, n * PG) != want;
		}
	}
	CHECK_EQ(bad, 0);
	for (p = 0; p < NPAGES; p++) {
		phys_addr_t pa = iommu_iova_to_phys(d, BASE + p * PG + 0x123);

		bad += pa != (ref[p] ? ref[p] + 0x123 : 0);
		live += !!ref[p];
	}
	CHECK_EQ(bad, 0);
	CHECK(live > 20000);		/* many live pages, in many ranges */
	CHECK_EQ(iommu_iova_to_phys(d, BASE - PG), 0);
	CHECK_EQ(iommu_iova_to_phys(d, BASE + NPAGES * PG), 0);
	/* Attach programs every range, in the hardware too. The accesses
	 * are through no DMA API mapping: the checker is not the point. */
	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	for (i = 0; i < 1024; i++)
		ram[i * PG] = (u8)(i * 7 + 1);
	CHECK_EQ(iommu_attach_device(d, gpu), 0);
	for (p = 0; p < NPAGES; p += 97) {
		int r = dk_dev_dma_read(sgpu, BASE + p * PG, got, 1);

		if (ref[p])
			bad += r || got[0] != ram[ref[p] - RAM];
		else
			bad += r != -EFAULT;
	}
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	CHECK_EQ(bad, 0);
	/* Everything out in one unmap: exactly the live bytes. */
	CHECK_EQ(iommu_unmap(d, BASE, NPAGES * PG), live * PG);
	CHECK_EQ(iommu_iova_to_phys(d, BASE + (NPAGES / 2) * PG), 0);
	iommu_detach_device(d, gpu);
	iommu_domain_free(d);
	free(ref);
	testmachine_shutdown(&t);
}
