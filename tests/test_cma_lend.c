// SPDX-License-Identifier: MIT
/*
 * CMA pages lent to movable allocations: user pages borrow free CMA
 * pages, move out (bytes and mapping) when a device claims them or a
 * long-term pin wants them, and a page someone holds stays put.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/mm.h>
#include <dmakit/sim_device.h>

#include "harness.h"
#include "testsoc.h"

/* A 16-page default CMA area at 0x88000000. */
static const char tree[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <2>; #size-cells = <2>;\n"
	"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x20000000>; };\n"
	"	dmakit { eviction-policy = \"adversarial\"; };\n"
	"	reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"		cma { compatible = \"shared-dma-pool\"; reusable; linux,cma-default;\n"
	"			reg = <0 0x88000000 0 0x10000>; };\n"
	"	};\n"
	"	soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"		cam { compatible = \"dmakit,generic-master\"; };\n"
	"	};\n"
	"};\n";

#define CMA_BASE 0x88000000ULL
#define CMA_PAGES 16

struct rig {
	struct testmachine t;
	struct device *cam;
};

static struct rig rig(void)
{
	struct rig r = { .t = testmachine_boot(tree, NULL, NULL) };

	r.cam = dk_machine_find_device(r.t.m, "cam");
	return r;
}

static bool in_cma(phys_addr_t pa)
{
	return pa >= CMA_BASE && pa < CMA_BASE + CMA_PAGES * PAGE_SIZE;
}

/* The physical address behind user page @i of @u. */
static phys_addr_t user_pa(u8 *u, int i)
{
	struct page *pg;
	phys_addr_t pa;

	if (get_user_pages_fast((unsigned long)u + i * PAGE_SIZE, 1, 0,
				&pg) != 1)
		return 0;
	pa = page_to_phys(pg);
	put_page(pg);
	return pa;
}

static void fill(u8 *u, int npages)
{
	size_t i;

	for (i = 0; i < npages * PAGE_SIZE; i++)
		u[i] = (u8)(i * 7 + i / PAGE_SIZE);
}

static bool intact(const u8 *u, int npages)
{
	size_t i;

	for (i = 0; i < npages * PAGE_SIZE; i++)
		if (u[i] != (u8)(i * 7 + i / PAGE_SIZE))
			return false;
	return true;
}

static struct dk_meminfo meminfo(struct rig *r)
{
	struct dk_meminfo mi = { 0 };

	CHECK_EQ(dk_machine_meminfo(r->t.m, &mi), 0);
	return mi;
}

TEST(cma_lend_user_pages_and_meminfo)
{
	struct rig r = rig();
	struct dk_meminfo mi = meminfo(&r);
	u8 *u;

	CHECK_EQ(mi.cma_total, 64);
	CHECK_EQ(mi.cma_free, 64);
	CHECK_EQ(mi.cma_lent, 0);
	u = dk_user_mmap_anon(3 * PAGE_SIZE);
	CHECK(u != NULL);
	/* Movable user pages borrow the lowest free CMA pages, zeroed. */
	CHECK_EQ(user_pa(u, 0), CMA_BASE);
	CHECK_EQ(user_pa(u, 1), CMA_BASE + PAGE_SIZE);
	CHECK_EQ(user_pa(u, 2), CMA_BASE + 2 * PAGE_SIZE);
	CHECK_EQ(u[0] | u[PAGE_SIZE + 5] | u[3 * PAGE_SIZE - 1], 0);
	mi = meminfo(&r);
	CHECK_EQ(mi.cma_free, 52);
	CHECK_EQ(mi.cma_lent, 12);
	CHECK_EQ(dk_user_munmap(u), 0);
	mi = meminfo(&r);
	CHECK_EQ(mi.cma_free, 64);
	CHECK_EQ(mi.cma_lent, 0);
	CHECK_EQ(dk_machine_meminfo(r.t.m, NULL), -EINVAL);
	testmachine_shutdown(&r.t);
}

TEST(cma_claim_migrates_user_pages_with_their_bytes)
{
	struct rig r = rig();
	u8 *u = dk_user_mmap_anon(CMA_PAGES * PAGE_SIZE), *buf;
	static u8 got[CMA_PAGES * PAGE_SIZE];
	dma_addr_t h;
	int i;

	CHECK(u != NULL);
	fill(u, CMA_PAGES);
	CHECK_EQ(meminfo(&r).cma_free, 0);
	/* Every CMA page is lent: the claim moves all of them out. */
	buf = dma_alloc_coherent(r.cam, CMA_PAGES * PAGE_SIZE, &h, GFP_KERNEL);
	CHECK(buf != NULL);
	CHECK_EQ(h, CMA_BASE);
	CHECK(intact(u, CMA_PAGES));
	for (i = 0; i < CMA_PAGES; i++)
		CHECK(!in_cma(user_pa(u, i)));
	/* The device's buffer and the user's pages are apart now. */
	memset(got, 0xa5, sizeof(got));
	CHECK_EQ(dk_dev_dma_write(dk_soc_find_dev(r.t.soc, "cam"), h, got,
				  sizeof(got)), 0);
	CHECK_EQ(buf[0], 0xa5);
	CHECK_EQ(buf[CMA_PAGES * PAGE_SIZE - 1], 0xa5);
	CHECK(intact(u, CMA_PAGES));
	CHECK_EQ(meminfo(&r).cma_free, 0);
	CHECK_EQ(meminfo(&r).cma_lent, 0);
	/* Copies to the user reach the new pages. */
	CHECK_EQ(copy_from_user(got, u + 5 * PAGE_SIZE, 4), 0);
	CHECK_MEM(got, u + 5 * PAGE_SIZE, 4);
	dma_free_coherent(r.cam, CMA_PAGES * PAGE_SIZE, buf, h);
	CHECK_EQ(meminfo(&r).cma_free, 64);
	CHECK_EQ(dk_user_munmap(u), 0);
	testmachine_shutdown(&r.t);
}

TEST(cma_pinned_page_diverts_the_claim)
{
	struct rig r = rig();
	u8 *u = dk_user_mmap_anon(CMA_PAGES * PAGE_SIZE), *a, *b;
	struct page *pin;
	dma_addr_t ha, hb;

	fill(u, CMA_PAGES);
	/* A short-term pin (no FOLL_LONGTERM) leaves the page in CMA. */
	CHECK_EQ(pin_user_pages_fast((unsigned long)u, 1, FOLL_WRITE, &pin), 1);
	CHECK_EQ(page_to_phys(pin), CMA_BASE);
	/* 8 pages aligned to 8: the run at the base holds the pinned page,
	 * so the claim takes the next one. */
	a = dma_alloc_coherent(r.cam, 8 * PAGE_SIZE, &ha, GFP_KERNEL);
	CHECK(a != NULL);
	CHECK_EQ(ha, CMA_BASE + 8 * PAGE_SIZE);
	CHECK_EQ(user_pa(u, 0), CMA_BASE);
	CHECK_EQ(user_pa(u, 1), CMA_BASE + PAGE_SIZE);
	CHECK(!in_cma(user_pa(u, 8)));
	CHECK(intact(u, CMA_PAGES));
	/* No run is left that the pin does not block: pages outside CMA. */
	b = dma_alloc_coherent(r.cam, 8 * PAGE_SIZE, &hb, GFP_KERNEL);
	CHECK(b != NULL);
	CHECK(!in_cma(hb));
	CHECK_EQ(meminfo(&r).cma_lent, 32);
	unpin_user_pages(&pin, 1);
	dma_free_coherent(r.cam, 8 * PAGE_SIZE, b, hb);
	/* Unpinned, the page moves again. */
	b = dma_alloc_coherent(r.cam, 8 * PAGE_SIZE, &hb, GFP_KERNEL);
	CHECK_EQ(hb, CMA_BASE);
	CHECK(intact(u, CMA_PAGES));
	CHECK_EQ(meminfo(&r).cma_free, 0);
	dma_free_coherent(r.cam, 8 * PAGE_SIZE, a, ha);
	dma_free_coherent(r.cam, 8 * PAGE_SIZE, b, hb);
	CHECK_EQ(dk_user_munmap(u), 0);
	testmachine_shutdown(&r.t);
}

TEST(cma_longterm_pin_moves_the_page_out_first)
{
	struct rig r = rig();
	u8 *u = dk_user_mmap_anon(2 * PAGE_SIZE), *buf;
	struct page *pins[2];
	dma_addr_t h;

	fill(u, 2);
	CHECK_EQ(user_pa(u, 0), CMA_BASE);
	CHECK_EQ(pin_user_pages_fast((unsigned long)u, 2,
				     FOLL_WRITE | FOLL_LONGTERM, pins), 2);
	CHECK(!in_cma(page_to_phys(pins[0])));
	CHECK(!in_cma(page_to_phys(pins[1])));
	CHECK(intact(u, 2));
	/* The kernel's view of the pinned pages is the user's. */
	CHECK_MEM(page_address(pins[1]), u + PAGE_SIZE, PAGE_SIZE);
	CHECK_EQ(meminfo(&r).cma_lent, 0);
	buf = dma_alloc_coherent(r.cam, CMA_PAGES * PAGE_SIZE, &h, GFP_KERNEL);
	CHECK_EQ(h, CMA_BASE);
	unpin_user_pages(pins, 2);
	dma_free_coherent(r.cam, CMA_PAGES * PAGE_SIZE, buf, h);
	CHECK_EQ(dk_user_munmap(u), 0);
	testmachine_shutdown(&r.t);
}

TEST(cma_movable_kernel_pages)
{
	struct rig r = rig();
	struct page *one = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0);
	struct page *two = alloc_pages(GFP_HIGHUSER_MOVABLE, 1);
	struct page *plain = alloc_page(GFP_KERNEL);
	dma_addr_t h;
	void *buf;

	/* One movable page is lent; a bigger block and others are not. */
	CHECK_EQ(page_to_phys(one), CMA_BASE);
	CHECK_EQ(((u8 *)page_address(one))[100], 0);
	CHECK(!in_cma(page_to_phys(two)));
	CHECK(!in_cma(page_to_phys(plain)));
	CHECK_EQ(meminfo(&r).cma_lent, 4);
	/* In no user mapping, it cannot move: the claim skips its run. */
	buf = dma_alloc_coherent(r.cam, CMA_PAGES * PAGE_SIZE, &h, GFP_KERNEL);
	CHECK(buf != NULL);
	CHECK(!in_cma(h));
	dma_free_coherent(r.cam, CMA_PAGES * PAGE_SIZE, buf, h);
	__free_pages(one, 0);
	CHECK_EQ(meminfo(&r).cma_free, 64);
	buf = dma_alloc_coherent(r.cam, CMA_PAGES * PAGE_SIZE, &h, GFP_KERNEL);
	CHECK_EQ(h, CMA_BASE);
	dma_free_coherent(r.cam, CMA_PAGES * PAGE_SIZE, buf, h);
	__free_pages(two, 1);
	__free_page(plain);
	testmachine_shutdown(&r.t);
}
