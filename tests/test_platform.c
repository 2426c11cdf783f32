// SPDX-License-Identifier: MIT
/* The platform ops of the simulated SoC, as the DMA layers will use them. */
#include <errno.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/platform.h>

#include "harness.h"
#include "testsoc.h"

TEST(platform_sim_geometry_and_ram)
{
	struct dk_soc *soc;
	struct dk_platform pl;
	phys_addr_t base;
	u64 size;

	CHECK_EQ(dk_soc_load_default(NULL, &soc), 0);
	CHECK_EQ(dk_platform_sim(soc, &pl), 0);
	CHECK_EQ(dk_platform_sim(NULL, &pl), -EINVAL);
	CHECK(!strcmp(pl.ops->name, "sim"));
	CHECK_EQ(pl.ops->cache_line_size(pl.ctx), 64);
	CHECK_EQ(pl.ops->writeback_granule(pl.ctx), 64);
	CHECK_EQ(pl.ops->dma_minalign(pl.ctx), 128);
	CHECK_EQ(pl.ops->ram_range(pl.ctx, 1, &base, &size), 0);
	CHECK_EQ(base, 0x100000000ULL);
	CHECK_EQ(size, 1ULL << 30);
	CHECK_EQ(pl.ops->ram_range(pl.ctx, 2, &base, &size), -ENOENT);
	dk_soc_free(soc);
}

TEST(platform_sim_page_allocator)
{
	struct dk_soc *soc;
	struct dk_platform pl;
	phys_addr_t a, b, c;
	const struct dk_rmem *cma, *pool;
	u64 lo = 0x80000000ULL, hi = 0xffffffffULL;

	CHECK_EQ(dk_soc_load_default(NULL, &soc), 0);
	dk_platform_sim(soc, &pl);
	CHECK_EQ(pl.ops->alloc_pages(pl.ctx, 1, 1, 0, ~0ULL, &a), 0);
	CHECK_EQ(a, 0x80000000ULL);	/* lowest first, deterministic */
	CHECK_EQ(pl.ops->alloc_pages(pl.ctx, 4, 4, 0, ~0ULL, &b), 0);
	CHECK_EQ(b, 0x80004000ULL);	/* aligned to 4 pages */
	CHECK_EQ(pl.ops->alloc_pages(pl.ctx, 1, 1, 0x100000000ULL, ~0ULL, &c), 0);
	CHECK_EQ(c, 0x100000000ULL);	/* window above 4 GiB */
	CHECK_EQ(pl.ops->free_pages(pl.ctx, a, 1), 0);
	CHECK_EQ(pl.ops->free_pages(pl.ctx, a, 1), -EINVAL);
	CHECK_STR(dk_last_error(), "was not allocated");
	CHECK_EQ(pl.ops->alloc_pages(pl.ctx, 0, 1, 0, ~0ULL, &a), -EINVAL);
	CHECK_EQ(pl.ops->alloc_pages(pl.ctx, 1, 3, 0, ~0ULL, &a), -EINVAL);
	/* No RAM below 2 GiB on this SoC. */
	CHECK_EQ(pl.ops->alloc_pages(pl.ctx, 1, 1, 0, 0x7fffffff, &a), -ENOMEM);
	/* Reserved regions are never handed out: fill low RAM page-run by
	 * page-run and check none lands in CMA or the coherent pool. */
	cma = dk_soc_rmem(soc, 0);
	pool = dk_soc_rmem(soc, 1);
	for (size_t n = 256; n; n /= 16) {
		while (!pl.ops->alloc_pages(pl.ctx, n, 1, lo, hi, &a)) {
			CHECK(a + n * DK_PAGE_SIZE <= cma->base ||
			      a >= cma->base + cma->size);
			CHECK(a + n * DK_PAGE_SIZE <= pool->base);
		}
	}
	CHECK_EQ(pl.ops->alloc_pages(pl.ctx, 1, 1, lo, hi, &a), -ENOMEM);
	CHECK_STR(dk_last_error(), "no 1 free contiguous pages");
	dk_soc_free(soc);
}

TEST(platform_sim_cache_ops_follow_sim)
{
	struct dk_soc *soc;
	struct dk_platform pl;
	u8 *p;
	phys_addr_t pa;

	CHECK_EQ(dk_soc_load_default(NULL, &soc), 0);
	dk_platform_sim(soc, &pl);
	p = pl.ops->phys_to_virt(pl.ctx, 0x80001000);
	CHECK_EQ(pl.ops->virt_to_phys(pl.ctx, p + 3, &pa), 0);
	CHECK_EQ(pa, 0x80001003);
	p[0] = 9;
	CHECK(dk_sim_line_dirty(soc, 0x80001000));
	CHECK_EQ(pl.ops->cache_clean(pl.ctx, 0x80001000, 1), 0);
	CHECK_EQ(*(u8 *)dk_sim_dram_ptr(soc, 0x80001000), 9);
	CHECK_EQ(pl.ops->cache_inval(pl.ctx, 0x40, 1), -EINVAL);
	p[0] = 10;
	CHECK_EQ(pl.ops->cache_clean_inval(pl.ctx, 0x80001000, 64), 0);
	CHECK_EQ(*(u8 *)dk_sim_dram_ptr(soc, 0x80001000), 10);
	p = pl.ops->map_alias(pl.ctx, 0x80002000, 4096, DK_ALIAS_UNCACHED);
	CHECK(p != NULL);
	CHECK_EQ(pl.ops->unmap_alias(pl.ctx, p), 0);
	dk_soc_free(soc);
}
