// SPDX-License-Identifier: MIT
/*
 * The cache-model matrix: every rule of DESIGN.md's memory and cache model
 * with exact bytes, for non-coherent, coherent and write-allocating
 * devices, under never, adversarial and random.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>

#include "harness.h"
#include "testsoc.h"

#define BASE 0x80000000ULL
#define L 64

static const char tree[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <2>; #size-cells = <2>;\n"
	"	model = \"cache matrix\";\n"
	"	cpus { #address-cells = <1>; #size-cells = <0>;\n"
	"		cpu@0 { device_type = \"cpu\"; reg = <0>; d-cache-line-size = <64>; }; };\n"
	"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"	soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"		nc { compatible = \"dmakit,generic-master\"; };\n"
	"		coh { compatible = \"dmakit,generic-master\"; dma-coherent; };\n"
	"		wa { compatible = \"dmakit,generic-master\"; dmakit,hw-coherent; dmakit,write-allocate; };\n"
	"	};\n"
	"};\n";

struct rig {
	struct dk_soc *soc;
	u8 *cpu, *dram;
	struct dk_simdev *nc, *coh, *wa;
};

static struct rig rig(int policy, int edge)
{
	struct dk_soc_opts o = testsoc_policy(policy, 42, 50);
	struct rig r = { 0 };

	o.edge = edge;
	r.soc = testsoc_load(tree, &o);
	if (!r.soc)
		return r;
	r.cpu = dk_sim_cpu_ptr(r.soc, BASE);
	r.dram = dk_sim_dram_ptr(r.soc, BASE);
	r.nc = dk_soc_find_dev(r.soc, "nc");
	r.coh = dk_soc_find_dev(r.soc, "coh");
	r.wa = dk_soc_find_dev(r.soc, "wa");
	return r;
}

static void fill(u8 *p, int v, size_t n)
{
	memset(p, v, n);
}

static bool all(const u8 *p, int v, size_t n)
{
	while (n--)
		if (*p++ != (u8)v)
			return false;
	return true;
}

#define FOR_EACH_POLICY(p) for (int p = DK_EVICT_NEVER; p <= DK_EVICT_RANDOM; p++)

TEST(cache_cpu_write_dirties_line_until_clean)
{
	FOR_EACH_POLICY(p) {
		struct rig r = rig(p, -1);

		CHECK(!dk_sim_line_dirty(r.soc, BASE));
		r.cpu[5] = 0xaa;
		CHECK(dk_sim_line_dirty(r.soc, BASE));
		CHECK(!dk_sim_line_dirty(r.soc, BASE + L));
		CHECK_EQ(r.dram[5], 0);
		CHECK_EQ(dk_sim_cache_clean(r.soc, BASE + 5, 1), 0);
		CHECK_EQ(r.dram[5], 0xaa);
		CHECK(!dk_sim_line_dirty(r.soc, BASE));
		/* The clean wrote the whole line, not just byte 5. */
		r.cpu[0] = 0x01;
		r.dram[1] = 0x77;	/* stale in cpu: clean overwrites it */
		dk_sim_cache_clean(r.soc, BASE, 1);
		CHECK_EQ(r.dram[0], 0x01);
		CHECK_EQ(r.dram[1], 0x00);
		dk_soc_free(r.soc);
	}
}

TEST(cache_invalidate_discards_dirty_data)
{
	FOR_EACH_POLICY(p) {
		struct rig r = rig(p, -1);

		fill(r.dram, 0x11, L);
		fill(r.cpu, 0x22, L);
		CHECK_EQ(dk_sim_cache_inval(r.soc, BASE, L), 0);
		CHECK(all(r.cpu, 0x11, L));
		CHECK(all(r.dram, 0x11, L));
		CHECK(!dk_sim_line_dirty(r.soc, BASE));
		dk_soc_free(r.soc);
	}
}

TEST(cache_clean_invalidate_keeps_cpu_data)
{
	FOR_EACH_POLICY(p) {
		struct rig r = rig(p, -1);

		fill(r.cpu, 0x33, 2 * L);
		CHECK_EQ(dk_sim_cache_clean_inval(r.soc, BASE, 2 * L), 0);
		CHECK(all(r.dram, 0x33, 2 * L));
		CHECK(all(r.cpu, 0x33, 2 * L));
		/* A clean line after clean+inval re-reads DRAM. */
		fill(r.dram, 0x44, L);
		dk_sim_cache_clean_inval(r.soc, BASE, L);
		CHECK(all(r.cpu, 0x44, L));
		dk_soc_free(r.soc);
	}
}

TEST(cache_evict_dirty_writes_back_clean_refetches)
{
	FOR_EACH_POLICY(p) {
		struct rig r = rig(p, -1);

		fill(r.cpu, 0x55, L);			/* dirty line 0 */
		fill(r.dram + L, 0x66, L);		/* line 1 clean, DRAM newer */
		CHECK_EQ(dk_sim_cache_evict(r.soc, BASE, 2 * L), 0);
		CHECK(all(r.dram, 0x55, L));
		CHECK(all(r.cpu + L, 0x66, L));
		CHECK(!dk_sim_line_dirty(r.soc, BASE));
		dk_soc_free(r.soc);
	}
}

TEST(cache_speculative_fill_only_touches_clean_lines)
{
	FOR_EACH_POLICY(p) {
		struct rig r = rig(p, -1);

		fill(r.cpu, 0x77, L);			/* dirty */
		fill(r.dram, 0x01, 2 * L);		/* DRAM changed under both */
		CHECK_EQ(dk_sim_cache_speculate(r.soc, BASE, 2 * L), 0);
		CHECK(all(r.cpu, 0x77, L));		/* dirty kept */
		CHECK(all(r.cpu + L, 0x01, L));		/* clean refilled */
		CHECK(dk_sim_line_dirty(r.soc, BASE));
		dk_soc_free(r.soc);
	}
}

/* The correct streaming protocol gives the same bytes under every policy. */
TEST(cache_correct_driver_same_bytes_every_policy)
{
	static const unsigned long long seeds[] = { 1, 2, 99 };

	FOR_EACH_POLICY(p) {
		for (size_t s = 0; s < 3; s++) {
			struct dk_soc_opts o = testsoc_policy(p, seeds[s], 50);
			struct dk_soc *soc = testsoc_load(tree, &o);
			struct dk_simdev *nc = dk_soc_find_dev(soc, "nc");
			u8 *cpu = dk_sim_cpu_ptr(soc, BASE), got[256], in[256];
			int i;

			for (i = 0; i < 256; i++) {
				cpu[i] = i;
				in[i] = 255 - i;
			}
			cpu[300] = 0x99;	/* unrelated dirty data nearby */
			/* TO_DEVICE: clean, device reads. */
			dk_sim_cache_clean(soc, BASE, 256);
			CHECK_EQ(dk_dev_dma_read(nc, BASE, got, 256), 0);
			for (i = 0; i < 256; i++)
				CHECK_EQ(got[i], i);
			/* FROM_DEVICE: invalidate, device writes, invalidate. */
			dk_sim_cache_inval(soc, BASE, 256);
			CHECK_EQ(dk_dev_dma_write(nc, BASE, in, 256), 0);
			dk_sim_cache_inval(soc, BASE, 256);
			CHECK_MEM(cpu, in, 256);
			CHECK_EQ(cpu[300], 0x99);
			dk_soc_free(soc);
		}
	}
}

TEST(cache_noncoherent_device_sees_dram_only)
{
	FOR_EACH_POLICY(p) {
		struct rig r = rig(p, -1);
		u8 got[L], in[L];

		/* Read: a dirty line the driver did not clean stays unseen
		 * under never and adversarial. */
		fill(r.cpu, 0xab, L);
		CHECK_EQ(dk_dev_dma_read(r.nc, BASE, got, L), 0);
		if (p != DK_EVICT_RANDOM)
			CHECK(all(got, 0x00, L));
		/* Write: goes to DRAM; the CPU keeps its stale copy. */
		dk_sim_cache_clean_inval(r.soc, BASE + L, L);
		fill(in, 0xcd, L);
		CHECK_EQ(dk_dev_dma_write(r.nc, BASE + L, in, L), 0);
		CHECK(all(r.dram + L, 0xcd, L));
		CHECK(all(r.cpu + L, 0x00, L));
		dk_sim_cache_inval(r.soc, BASE + L, L);
		CHECK(all(r.cpu + L, 0xcd, L));
		dk_soc_free(r.soc);
	}
}

TEST(cache_coherent_device_snoops)
{
	FOR_EACH_POLICY(p) {
		struct rig r = rig(p, -1);
		u8 got[2 * L], in[L / 2];

		/* Read returns the CPU's dirty line, DRAM for a clean one. */
		fill(r.cpu, 0x12, L);
		fill(r.dram + L, 0x34, L);
		CHECK_EQ(dk_dev_dma_read(r.coh, BASE, got, 2 * L), 0);
		CHECK(all(got, 0x12, L));
		CHECK(all(got + L, 0x34, L));
		/* Write merges with a dirty half line; both copies agree. */
		fill(r.cpu + 2 * L, 0x56, L / 2);
		fill(in, 0x78, L / 2);
		CHECK_EQ(dk_dev_dma_write(r.coh, BASE + 2 * L + L / 2, in,
					  L / 2), 0);
		CHECK(all(r.cpu + 2 * L, 0x56, L / 2));
		CHECK(all(r.cpu + 2 * L + L / 2, 0x78, L / 2));
		CHECK_MEM(r.dram + 2 * L, r.cpu + 2 * L, L);
		CHECK(!dk_sim_line_dirty(r.soc, BASE + 2 * L));
		dk_soc_free(r.soc);
	}
}

/* "Flunking the self-test": the write lands in the cache; an invalidate
 * issued because the tree says non-coherent throws it away. */
TEST(cache_write_allocate_lost_by_invalidate)
{
	FOR_EACH_POLICY(p) {
		struct rig r = rig(p, -1);
		u8 in[L];

		fill(in, 0x5a, L);
		CHECK_EQ(dk_dev_dma_write(r.wa, BASE, in, L), 0);
		CHECK(all(r.cpu, 0x5a, L));
		CHECK(all(r.dram, 0x00, L));
		CHECK(dk_sim_line_dirty(r.soc, BASE));
		dk_sim_cache_inval(r.soc, BASE, L);
		CHECK(all(r.cpu, 0x00, L));
		/* Written back instead, it survives. */
		dk_dev_dma_write(r.wa, BASE + L, in, L);
		dk_sim_cache_clean(r.soc, BASE + L, L);
		CHECK(all(r.dram + L, 0x5a, L));
		dk_soc_free(r.soc);
	}
}

/* "Two are better than one": a dirty line from the buffer's previous life
 * is written back over the packet. */
TEST(cache_adversarial_evicts_stale_dirty_over_device_data)
{
	int expect_dram[] = { 0xee, 0x11, 0xee };
	int expect_cpu[] = { 0x11, 0x11, 0x11 };

	FOR_EACH_POLICY(p) {
		/* rate 100 makes random take the early-eviction branch. */
		struct dk_soc_opts o = testsoc_policy(p, 5, 100);
		struct dk_soc *soc = testsoc_load(tree, &o);
		struct dk_simdev *nc = dk_soc_find_dev(soc, "nc");
		u8 *cpu = dk_sim_cpu_ptr(soc, BASE);
		u8 *dram = dk_sim_dram_ptr(soc, BASE), pkt[L];

		fill(cpu, 0x11, L);	/* stale dirty data, never cleaned */
		fill(pkt, 0xee, L);
		CHECK_EQ(dk_dev_dma_write(nc, BASE, pkt, L), 0);
		CHECK(all(dram, expect_dram[p], L));
		CHECK(all(cpu, expect_cpu[p], L));
		/* An invalidate before reading shows whatever DRAM holds. */
		dk_sim_cache_inval(soc, BASE, L);
		CHECK(all(cpu, expect_dram[p], L));
		dk_soc_free(soc);
	}
}

TEST(cache_adversarial_speculative_fill_before_device_write)
{
	struct rig r = rig(DK_EVICT_ADVERSARIAL, -1);
	u8 b[L], c[L];

	fill(b, 0xb0, L);
	fill(c, 0xc0, L);
	dk_dev_dma_write(r.nc, BASE, b, L);
	CHECK(all(r.cpu, 0x00, L));
	/* Before the second write the CPU prefetched the first one. */
	dk_dev_dma_write(r.nc, BASE, c, L);
	CHECK(all(r.cpu, 0xb0, L));
	CHECK(all(r.dram, 0xc0, L));
	dk_soc_free(r.soc);

	r = rig(DK_EVICT_NEVER, -1);
	dk_dev_dma_write(r.nc, BASE, b, L);
	dk_dev_dma_write(r.nc, BASE, c, L);
	CHECK(all(r.cpu, 0x00, L));
	dk_soc_free(r.soc);
}

static void random_run(unsigned long long seed, u8 *out)
{
	struct dk_soc_opts o = testsoc_policy(DK_EVICT_RANDOM, seed, 50);
	struct dk_soc *soc = testsoc_load(tree, &o);
	struct dk_simdev *nc = dk_soc_find_dev(soc, "nc");
	u8 *cpu = dk_sim_cpu_ptr(soc, BASE), buf[64 * L];
	int i;

	for (i = 0; i < 64 * L; i++) {
		cpu[i] = i * 7;
		buf[i] = i * 13;
	}
	dk_dev_dma_write(nc, BASE, buf, sizeof(buf));
	dk_dev_dma_read(nc, BASE, buf, sizeof(buf));
	memcpy(out, cpu, 64 * L);
	memcpy(out + 64 * L, dk_sim_dram_ptr(soc, BASE), 64 * L);
	dk_soc_free(soc);
}

TEST(cache_random_policy_is_deterministic_per_seed)
{
	static u8 a[128 * L], b[128 * L], c[128 * L];

	random_run(1234, a);
	random_run(1234, b);
	random_run(4321, c);
	CHECK_MEM(a, b, sizeof(a));
	CHECK(memcmp(a, c, sizeof(a)) != 0);
}

/* The edge rule: Linux cleans+invalidates partial lines, IVAC does not. */
TEST(cache_edge_policy_partial_lines)
{
	for (int e = DK_EDGE_CLEAN_INV; e <= DK_EDGE_INV; e++) {
		struct rig r = rig(DK_EVICT_NEVER, e);
		u8 in[32];

		fill(r.cpu, 0x11, 16);		/* neighbour, dirty */
		fill(in, 0x22, sizeof(in));
		dk_dev_dma_write(r.nc, BASE + 16, in, 32);
		CHECK_EQ(dk_sim_cache_inval(r.soc, BASE + 16, 32), 0);
		if (e == DK_EDGE_CLEAN_INV) {
			/* Neighbour survives; the buffer's bytes in the
			 * shared line are overwritten by the write-back. */
			CHECK(all(r.cpu, 0x11, 16));
			CHECK(all(r.dram, 0x11, 16));
			CHECK(all(r.cpu + 16, 0x00, 32));
		} else {
			/* Buffer correct; the neighbour's data is gone. */
			CHECK(all(r.cpu, 0x00, 16));
			CHECK(all(r.cpu + 16, 0x22, 32));
		}
		dk_soc_free(r.soc);
	}
}

TEST(cache_writeback_granule_larger_than_line)
{
	static const char t2[] =
		"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
		"dmakit { writeback-granule = <128>; };\n"
		"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x100000>; };\n"
		"};\n";
	struct dk_soc *soc = testsoc_load(t2, NULL);
	u8 *cpu = dk_sim_cpu_ptr(soc, BASE), *dram = dk_sim_dram_ptr(soc, BASE);

	fill(dram + L, 0x99, L);	/* device data in line 1 */
	cpu[0] = 1;			/* line 0 dirty */
	dk_sim_cache_clean(soc, BASE, 1);
	CHECK_EQ(dram[0], 1);
	CHECK(all(dram + L, 0x00, L));	/* stale line 1 went along */
	CHECK_EQ(dk_soc_cache(soc)->granule, 128);
	dk_soc_free(soc);
}

TEST(cache_uncached_alias_shares_dram)
{
	struct rig r = rig(DK_EVICT_NEVER, -1);
	u8 *unc = dk_sim_map_alias(r.soc, BASE + 4096, 4096, DK_ALIAS_UNCACHED);
	u8 *wc = dk_sim_map_alias(r.soc, BASE + 4096, 4096,
				  DK_ALIAS_WRITE_COMBINE);
	u8 *cached = dk_sim_map_alias(r.soc, BASE + 4096, 4096,
				      DK_ALIAS_CACHED);
	u8 in[16], got[16];
	phys_addr_t pa = 0;

	CHECK(unc && wc && cached);
	fill(in, 0x42, 16);
	dk_dev_dma_write(r.nc, BASE + 4096, in, 16);
	CHECK(all(unc, 0x42, 16));	/* no maintenance needed */
	CHECK(all(wc, 0x42, 16));
	CHECK(all(cached, 0x00, 16));	/* the cached view is stale */
	unc[100] = 0x17;
	dk_dev_dma_read(r.nc, BASE + 4096 + 100, got, 1);
	CHECK_EQ(got[0], 0x17);
	cached[200] = 0x18;
	CHECK_EQ(r.cpu[4096 + 200], 0x18);	/* same cache view */
	CHECK_EQ(dk_sim_virt_to_phys(r.soc, unc + 7, &pa), 0);
	CHECK_EQ(pa, BASE + 4096 + 7);
	CHECK_EQ(dk_sim_virt_to_phys(r.soc, r.cpu + 9, &pa), 0);
	CHECK_EQ(pa, BASE + 9);
	CHECK(dk_sim_is_cacheable(r.soc, cached));
	CHECK(!dk_sim_is_cacheable(r.soc, unc));
	CHECK_EQ(dk_sim_virt_to_phys(r.soc, in, &pa), -EFAULT);
	CHECK_EQ(dk_sim_unmap_alias(r.soc, unc), 0);
	CHECK_EQ(dk_sim_unmap_alias(r.soc, unc), -EINVAL);
	CHECK(!dk_sim_map_alias(r.soc, BASE + 1, 4096, DK_ALIAS_UNCACHED));
	CHECK(!dk_sim_map_alias(r.soc, 0x1000, 4096, DK_ALIAS_UNCACHED));
	dk_soc_free(r.soc);
}

TEST(cache_bad_ranges_rejected)
{
	struct rig r = rig(DK_EVICT_NEVER, -1);

	CHECK_EQ(dk_sim_cache_clean(r.soc, BASE, 0), -EINVAL);
	CHECK_EQ(dk_sim_cache_inval(r.soc, ~0ULL - 4, 16), -EINVAL);
	CHECK_STR(dk_last_error(), "overflows");
	CHECK_EQ(dk_sim_cache_clean(r.soc, 0x1000, 64), -EINVAL);
	CHECK_STR(dk_last_error(), "not inside one RAM bank");
	CHECK_EQ(dk_sim_cache_clean_inval(r.soc, BASE + 0x1000000 - 32, 64),
		 -EINVAL);
	CHECK_EQ(dk_sim_cache_clean(NULL, BASE, 64), -EINVAL);
	CHECK(!dk_sim_cpu_ptr(r.soc, 0x10));
	CHECK(!dk_sim_line_dirty(r.soc, 0x10));
	dk_soc_free(r.soc);
}

/* The first dirty line of a range, in one look, and nothing else. */
TEST(cache_first_dirty_finds_the_first_dirty_line_only)
{
	struct rig r = rig(DK_EVICT_NEVER, -1);
	phys_addr_t line = 0;

	CHECK(!dk_sim_cpu_ptr(r.soc, 0x1000));	/* a known last error */
	r.cpu[2 * L + 5] ^= 1;
	r.cpu[5 * L] ^= 1;
	CHECK_EQ(dk_sim_first_dirty(r.soc, BASE, 8 * L, &line), 0);
	CHECK_EQ(line, BASE + 2 * L);
	CHECK_EQ(dk_sim_first_dirty(r.soc, BASE + 2 * L + 10, 1, &line), 0);
	CHECK_EQ(line, BASE + 2 * L);	/* the line holding the byte */
	CHECK_EQ(dk_sim_first_dirty(r.soc, BASE + 3 * L, 5 * L, &line), 0);
	CHECK_EQ(line, BASE + 5 * L);
	CHECK_EQ(dk_sim_first_dirty(r.soc, BASE + 6 * L, 2 * L, &line),
		 -ENOENT);
	CHECK_EQ(dk_sim_first_dirty(r.soc, BASE, 0, &line), -EINVAL);
	CHECK_EQ(dk_sim_first_dirty(r.soc, 0x1000, 64, &line), -EINVAL);
	CHECK_EQ(dk_sim_first_dirty(NULL, BASE, 64, &line), -EINVAL);
	CHECK_EQ(dk_sim_first_dirty(r.soc, BASE, 64, NULL), -EINVAL);
	CHECK_STR(dk_last_error(), "0x1000 is not RAM");	/* a query sets none */
	CHECK(dk_sim_line_dirty(r.soc, BASE + 5 * L));	/* nothing cleaned */
	dk_soc_free(r.soc);
}
