// SPDX-License-Identifier: MIT
/*
 * The interconnect path: wired-bit truncation, dma-ranges, firewall and
 * missing memory, with the faults recorded field by field.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>

#include "harness.h"
#include "testsoc.h"

#define LOW 0x80000000ULL
#define HIGH 0x10080000000ULL	/* 1 TiB + 2 GiB */

static const char tree[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <2>; #size-cells = <2>;\n"
	"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"	memory@10080000000 { device_type = \"memory\"; reg = <0x100 0x80000000 0 0x1000000>; };\n"
	"	firewall { compatible = \"dmakit,firewall\";\n"
	"		dmakit,secure-ranges = <0 0x80f00000 0 0x100000>; };\n"
	"	soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"		mmc { compatible = \"dmakit,generic-master\"; dmakit,address-bits = <40>; };\n"
	"		full { compatible = \"dmakit,generic-master\"; };\n"
	"		sec { compatible = \"dmakit,generic-master\"; dmakit,secure-master; };\n"
	"		offbus { compatible = \"simple-bus\"; #address-cells = <1>; #size-cells = <1>;\n"
	"			ranges = <0x0 0x0 0x10000000 0x100000>;\n"
	"			dma-ranges = <0x0 0x0 0x80000000 0x800000>;\n"
	"			ofs { compatible = \"dmakit,generic-master\"; reg = <0x1000 0x100>; };\n"
	"		};\n"
	"	};\n"
	"};\n";

static struct dk_soc *load(void)
{
	struct dk_soc_opts o = testsoc_policy(DK_EVICT_NEVER, 1, 0);

	return testsoc_load(tree, &o);
}

TEST(bus_truncation_aliases_high_ram_to_low)
{
	struct dk_soc *soc = load();
	struct dk_simdev *mmc = dk_soc_find_dev(soc, "mmc");
	struct dk_simdev *full = dk_soc_find_dev(soc, "full");
	u8 *low = dk_sim_dram_ptr(soc, LOW), *high = dk_sim_dram_ptr(soc, HIGH);
	u8 pkt[32];
	phys_addr_t pa;

	memset(pkt, 0x3c, sizeof(pkt));
	/* The driver thinks the buffer is above 1 TiB; 40 wires say not. */
	CHECK_EQ(dk_dev_dma_write(mmc, HIGH + 0x1000, pkt, 32), 0);
	CHECK_EQ(low[0x1000], 0x3c);
	CHECK_EQ(low[0x101f], 0x3c);
	CHECK_EQ(high[0x1000], 0x00);
	CHECK_EQ(dk_dev_translate(mmc, HIGH + 0x1000, 32, true, &pa), 0);
	CHECK_EQ(pa, LOW + 0x1000);
	/* A master with all 64 bits wired reaches the high bank. */
	CHECK_EQ(dk_dev_dma_write(full, HIGH + 0x1000, pkt, 32), 0);
	CHECK_EQ(high[0x1000], 0x3c);
	CHECK_EQ(dk_soc_nfaults(soc), 0);
	dk_soc_free(soc);
}

TEST(bus_dma_ranges_offset_and_window_fault)
{
	struct dk_soc *soc = load();
	struct dk_simdev *ofs = dk_soc_find_dev(soc, "ofs");
	const struct dk_devdesc *d = dk_simdev_desc(ofs);
	u8 *low = dk_sim_dram_ptr(soc, LOW), v = 0x5e;
	const struct dk_fault *f;

	CHECK_EQ(d->reg, 0x10001000);	/* reg translated through ranges */
	CHECK_EQ(d->n_dma_ranges, 1);
	CHECK_EQ(d->dma_ranges[0].bus, 0);
	CHECK_EQ(d->dma_ranges[0].cpu, LOW);
	CHECK_EQ(dk_dev_dma_write(ofs, 0x2000, &v, 1), 0);
	CHECK_EQ(low[0x2000], 0x5e);
	/* Bus address 0x80002000 is outside the 8 MiB window. */
	CHECK_EQ(dk_dev_dma_write(ofs, LOW + 0x2000, &v, 1), -EFAULT);
	CHECK_STR(dk_last_error(), "outside every dma-ranges window");
	CHECK_EQ(dk_soc_nfaults(soc), 1);
	f = dk_soc_fault(soc, 0);
	CHECK(f && !strcmp(f->device, "/soc/offbus/ofs"));
	CHECK_EQ(f->dev_addr, LOW + 0x2000);
	CHECK_EQ(f->reason, DK_FAULT_NO_WINDOW);
	CHECK(f->write);
	CHECK_EQ(f->len, 1);
	CHECK(!dk_soc_fault(soc, 1));
	dk_soc_free(soc);
}

TEST(bus_firewall_denies_nonsecure_master)
{
	struct dk_soc *soc = load();
	struct dk_simdev *full = dk_soc_find_dev(soc, "full");
	struct dk_simdev *sec = dk_soc_find_dev(soc, "sec");
	u8 *secret = dk_sim_dram_ptr(soc, 0x80f00000), buf[64], key[64];
	const struct dk_fault *f;

	memset(key, 0x4b, sizeof(key));
	memcpy(secret, key, sizeof(key));
	memset(buf, 0, sizeof(buf));
	/* Reading across the edge into secure memory is refused whole. */
	CHECK_EQ(dk_dev_dma_read(full, 0x80f00000 - 32, buf, 64), -EFAULT);
	CHECK(buf[40] == 0);
	CHECK_EQ(dk_dev_dma_write(full, 0x80f00010, buf, 16), -EFAULT);
	CHECK_MEM(secret, key, sizeof(key));
	CHECK_EQ(dk_soc_nfaults(soc), 2);
	f = dk_soc_fault(soc, 0);
	CHECK_EQ(f->reason, DK_FAULT_FIREWALL);
	CHECK(!f->write);
	CHECK_EQ(f->phys, 0x80f00000 - 32);
	CHECK(!strcmp(f->device, "/soc/full"));
	CHECK(dk_soc_fault(soc, 1)->write);
	/* The secure master gets through. */
	CHECK_EQ(dk_dev_dma_read(sec, 0x80f00000, buf, 64), 0);
	CHECK_MEM(buf, key, 64);
	dk_soc_clear_faults(soc);
	CHECK_EQ(dk_soc_nfaults(soc), 0);
	dk_soc_free(soc);
}

TEST(bus_no_memory_fault_and_partial_refusal)
{
	struct dk_soc *soc = load();
	struct dk_simdev *full = dk_soc_find_dev(soc, "full");
	u8 *end = dk_sim_dram_ptr(soc, HIGH + 0x1000000 - 16), buf[32];

	memset(buf, 0x61, sizeof(buf));
	CHECK_EQ(dk_dev_dma_write(full, 0x40, buf, 4), -EFAULT);
	CHECK_EQ(dk_soc_fault(soc, 0)->reason, DK_FAULT_NO_MEMORY);
	/* Runs off the end of the bank: nothing is written at all. */
	CHECK_EQ(dk_dev_dma_write(full, HIGH + 0x1000000 - 16, buf, 32),
		 -EFAULT);
	CHECK_EQ(end[0], 0);
	CHECK_EQ(dk_soc_fault(soc, 1)->phys, HIGH + 0x1000000);
	CHECK_STR(dk_last_error(), "no memory at that address");
	dk_soc_free(soc);
}

TEST(bus_bad_arguments)
{
	struct dk_soc *soc = load();
	struct dk_simdev *full = dk_soc_find_dev(soc, "full");
	u8 b;
	phys_addr_t pa;

	CHECK_EQ(dk_dev_dma_read(NULL, LOW, &b, 1), -EINVAL);
	CHECK_EQ(dk_dev_dma_read(full, LOW, NULL, 1), -EINVAL);
	CHECK_EQ(dk_dev_dma_write(full, ~0ULL - 1, &b, 4), -EINVAL);
	CHECK_STR(dk_last_error(), "overflows");
	CHECK_EQ(dk_dev_dma_read(full, LOW, &b, 0), 0);
	CHECK_EQ(dk_dev_translate(full, 0x40, 1, false, &pa),
		 -1 - DK_FAULT_NO_MEMORY);
	CHECK_EQ(dk_soc_nfaults(soc), 0);	/* translate records nothing */
	CHECK(!dk_soc_find_dev(soc, "nonexistent"));
	CHECK_EQ(dk_dev_mmio_write32(full, 0, 1), -EINVAL);
	dk_soc_free(soc);
}

/* A RAM bank above 1 TiB costs no host memory until touched. */
TEST(bus_big_high_bank_is_sparse)
{
	static const char big[] =
		"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
		"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x80000000>; };\n"
		"memory@10080000000 { device_type = \"memory\"; reg = <0x100 0x80000000 0x4 0x0>; };\n"
		"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
		"	m { compatible = \"dmakit,generic-master\"; }; };\n"
		"};\n";
	struct dk_soc *soc = testsoc_load(big, NULL);
	struct dk_simdev *m = dk_soc_find_dev(soc, "m");
	u64 before, after;
	u8 v = 0x7e, *p;

	CHECK_EQ(dk_soc_bank(soc, 1)->size, 16ULL << 30);
	before = dk_sim_resident_bytes(soc);
	CHECK(before < (1 << 20));
	p = dk_sim_cpu_ptr(soc, HIGH + (8ULL << 30));
	p[0] = 1;
	dk_sim_cache_clean(soc, HIGH + (8ULL << 30), 1);
	CHECK_EQ(dk_dev_dma_write(m, HIGH + (15ULL << 30), &v, 1), 0);
	CHECK_EQ(*(u8 *)dk_sim_dram_ptr(soc, HIGH + (15ULL << 30)), 0x7e);
	after = dk_sim_resident_bytes(soc);
	CHECK(after - before <= 64 * 4096);
	dk_soc_free(soc);
}
