// SPDX-License-Identifier: MIT
/*
 * struct pages for program memory (src/mm/user_memmap.c), shown on the
 * simulator given the host platform's seam: a user_to_phys op that puts
 * memory dmakit did not allocate in a window of "physical" addresses
 * above RAM, and a phys_to_virt that knows the window.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <dmakit/machine.h>
#include <dmakit/scatterlist.h>
#include <dmakit/soc.h>

#include "harness.h"

#define WINDOW (1ULL << 48)
#define SECTION (2UL << 20)

static struct dk_platform_ops ops;
static void *(*sim_phys_to_virt)(void *ctx, phys_addr_t pa);

static int window_of(void *ctx, const void *va, size_t size, phys_addr_t *pa)
{
	(void)ctx;
	if (!va || !size)
		return -EINVAL;
	*pa = WINDOW + (uintptr_t)va;
	return 0;
}

static void *window_va(void *ctx, phys_addr_t pa)
{
	return pa >= WINDOW ? (void *)(uintptr_t)(pa - WINDOW) :
			      sim_phys_to_virt(ctx, pa);
}

TEST(program_memory_gets_struct_pages_across_sections)
{
	struct dk_machine_opts mo = { 0 };
	struct dk_machine *m = NULL;
	struct dk_platform pl;
	struct dk_soc *soc = NULL;
	struct page *pages[2], *a, *b, fake;
	struct sg_table t;
	u8 *buf = aligned_alloc(SECTION, 2 * SECTION), *end;

	CHECK(buf != NULL);
	CHECK_EQ(dk_soc_load_default(NULL, &soc), 0);
	dk_platform_sim(soc, &pl);
	ops = *pl.ops;
	sim_phys_to_virt = ops.phys_to_virt;
	ops.user_to_phys = window_of;
	ops.phys_to_virt = window_va;
	pl.ops = &ops;
	CHECK_EQ(dk_machine_boot(&pl, &mo, &m), 0);
	/* The last page of one section and the first of the next. */
	end = buf + SECTION - PAGE_SIZE;
	a = virt_to_page(end);
	b = virt_to_page(buf + SECTION);
	CHECK(a != NULL && b != NULL);
	CHECK_EQ(page_to_phys(a), WINDOW + (uintptr_t)end);
	CHECK_EQ(page_to_phys(b), WINDOW + (uintptr_t)(buf + SECTION));
	CHECK(virt_to_page(end + 100) == a);
	CHECK(virt_to_page(end - PAGE_SIZE) == a - 1);
	CHECK(pfn_to_page(page_to_pfn(b)) == b);
	CHECK(page_address(a) == end);
	CHECK_EQ(page_to_phys(&fake), 0);
	/* Two pages of one section are one entry, its address the
	 * window's. */
	pages[0] = a - 1;
	pages[1] = a;
	CHECK_EQ(sg_alloc_table_from_pages(&t, pages, 2, 8, 2 * PAGE_SIZE - 16,
					   GFP_KERNEL), 0);
	CHECK_EQ(t.orig_nents, 1);
	CHECK_EQ(sg_phys(t.sgl), WINDOW + (uintptr_t)(end - PAGE_SIZE) + 8);
	CHECK(sg_virt(t.sgl) == end - PAGE_SIZE + 8);
	CHECK_EQ(t.sgl->length, 2 * PAGE_SIZE - 16);
	sg_free_table(&t);
	dk_machine_shutdown(m);
	dk_soc_free(soc);
	free(buf);
}
