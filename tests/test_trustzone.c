// SPDX-License-Identifier: MIT
/*
 * TrustZone worlds: normal-world CPU accesses to secure memory fault,
 * the secure world's do not; the TZASC's regions change through SMCs and
 * stay once locked; masters behind a gasket keep their world, aware ones
 * choose it per access, and the banked copy engine does it per bank. Each
 * refusal is checked as its exact fault record.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/models/tzasc.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/trustzone.h>

#include "harness.h"
#include "testsoc.h"

#define SEC 0x80f00000ULL	/* the TZASC's secure region 0, 1 MiB */
#define NORMAL 0x80100000ULL
#define TZASC_AT 0x10050000ULL

static const char tree[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <2>; #size-cells = <2>;\n"
	"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"	soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"		tzasc { compatible = \"dmakit,tzasc\"; reg = <0 0x10050000 0 0x1000>;\n"
	"			dmakit,secure-ranges = <0 0x80f00000 0 0x100000>; };\n"
	"		tzdma { compatible = \"dmakit,tz-dma\"; reg = <0 0x10060000 0 0x1000>; };\n"
	"		ns { compatible = \"dmakit,generic-master\"; };\n"
	"		sec { compatible = \"dmakit,generic-master\"; dmakit,secure-master; };\n"
	"		aware { compatible = \"dmakit,generic-master\"; dmakit,trustzone-aware; };\n"
	"	};\n"
	"};\n";

static struct dk_soc *load(void)
{
	struct dk_soc_opts o = testsoc_policy(DK_EVICT_NEVER, 1, 0);

	return testsoc_load(tree, &o);
}

static void check_fault(struct dk_soc *soc, size_t i, const char *dev,
			u64 addr, u64 phys, size_t len, bool write)
{
	const struct dk_fault *f = dk_soc_fault(soc, i);

	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_STR(f->device, dev);
	CHECK_EQ(strlen(f->device), strlen(dev));
	CHECK_EQ(f->dev_addr, addr);
	CHECK_EQ(f->phys, phys);
	CHECK_EQ(f->len, len);
	CHECK_EQ(f->write, write);
	CHECK_EQ(f->reason, DK_FAULT_TZASC);
}

/* A secure-world job run by a test monitor. */
struct job {
	enum dk_world seen;
	long (*fn)(struct dk_soc *soc, struct job *j);
	u8 buf[64];
	int r;
};

static long run_job(void *arg, struct dk_soc *soc, u32 fid, const u64 a[4])
{
	struct job *j = arg;

	(void)a;
	j->seen = dk_soc_cpu_world(soc);
	return fid == 1 ? j->fn(soc, j) : -EOPNOTSUPP;
}

static long secure_read(struct dk_soc *soc, struct job *j)
{
	return dk_cpu_read(soc, SEC + 0x100, j->buf, sizeof(j->buf));
}

TEST(tz_normal_world_cpu_faults_secure_world_reads)
{
	struct dk_soc *soc = load();
	u8 *secret = dk_sim_cpu_ptr(soc, SEC + 0x100), buf[32], key[64];
	struct job j = { .fn = secure_read };

	memset(key, 0x4b, sizeof(key));
	memcpy(secret, key, sizeof(key));
	memset(buf, 0xee, sizeof(buf));
	CHECK_EQ(dk_soc_cpu_world(soc), DK_WORLD_NONSECURE);
	/* Across the edge into secure memory: refused whole. */
	CHECK_EQ(dk_cpu_read(soc, SEC - 16, buf, 32), -EFAULT);
	CHECK_STR(dk_last_error(), "CPU (non-secure world) read of 32 bytes at 0x80effff0: secure memory at 0x80f00000");
	CHECK(mem_all(buf, 0xee, sizeof(buf)));
	CHECK_EQ(dk_cpu_write(soc, SEC + 0x100, buf, 16), -EFAULT);
	CHECK_MEM(secret, key, sizeof(key));
	CHECK_EQ(dk_soc_nfaults(soc), 2);
	check_fault(soc, 0, "cpu", SEC - 16, SEC, 32, false);
	check_fault(soc, 1, "cpu", SEC + 0x100, SEC + 0x100, 16, true);
	/* Normal memory answers as usual. */
	CHECK_EQ(dk_cpu_write(soc, NORMAL, key, 32), 0);
	CHECK_EQ(dk_cpu_read(soc, NORMAL, buf, 32), 0);
	CHECK_MEM(buf, key, 32);
	/* The secure world reads the secret. */
	CHECK_EQ(dk_soc_set_secure_monitor(soc, run_job, &j), 0);
	CHECK_EQ(dk_smc(soc, 1, 0, 0, 0, 0), 0);
	CHECK_EQ(j.seen, DK_WORLD_SECURE);
	CHECK_MEM(j.buf, key, sizeof(key));
	CHECK_EQ(dk_soc_cpu_world(soc), DK_WORLD_NONSECURE);
	CHECK_EQ(dk_soc_nfaults(soc), 2);
	CHECK_EQ(dk_cpu_read(soc, 0x90000000, buf, 4), -EINVAL);
	dk_soc_free(soc);
}

TEST(tz_gasket_masters_keep_their_world_aware_ones_choose)
{
	struct dk_soc *soc = load();
	struct dk_simdev *ns = dk_soc_find_dev(soc, "ns");
	struct dk_simdev *sec = dk_soc_find_dev(soc, "sec");
	struct dk_simdev *aware = dk_soc_find_dev(soc, "aware");
	u8 *secret = dk_sim_dram_ptr(soc, SEC), buf[64], key[64];

	memset(key, 0x5c, sizeof(key));
	memcpy(secret, key, sizeof(key));
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(dk_dev_dma_read(ns, SEC - 32, buf, 64), -EFAULT);
	CHECK_STR(dk_last_error(), "TZASC: non-secure access to a secure region");
	CHECK(mem_all(buf, 0, sizeof(buf)));
	check_fault(soc, 0, "/soc/ns", SEC - 32, SEC, 64, false);
	CHECK_EQ(dk_dev_dma_world(ns, DK_WORLD_SECURE, false, SEC, buf, 64),
		 -EPERM);
	CHECK_STR(dk_last_error(), "/soc/ns: not TrustZone-aware; its gasket makes every access non-secure");
	CHECK_EQ(dk_dev_dma_world(sec, DK_WORLD_NONSECURE, false, NORMAL, buf,
				  64), -EPERM);
	CHECK_STR(dk_last_error(), "gasket makes every access secure");
	CHECK_EQ(dk_dev_dma_read(sec, SEC, buf, 64), 0);
	CHECK_MEM(buf, key, 64);
	/* The aware master: its NS bit is what the access says. */
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(dk_dev_dma_world(aware, DK_WORLD_NONSECURE, false, SEC, buf,
				  64), -EFAULT);
	CHECK(mem_all(buf, 0, sizeof(buf)));
	CHECK_EQ(dk_dev_dma_world(aware, DK_WORLD_SECURE, false, SEC, buf, 64),
		 0);
	CHECK_MEM(buf, key, 64);
	CHECK_EQ(dk_dev_dma_read(aware, SEC, buf, 64), -EFAULT);
	CHECK_EQ(dk_soc_nfaults(soc), 3);
	check_fault(soc, 1, "/soc/aware", SEC, SEC, 64, false);
	dk_soc_free(soc);
}

static u32 rd(struct dk_soc *soc, u64 off)
{
	return dk_dev_mmio_read32(dk_soc_find_dev(soc, "tzasc"), off);
}

/* Firmware that ignores the lock and writes the registers itself. */
static long close_window(struct dk_soc *soc, struct job *j)
{
	struct dk_simdev *tz = dk_soc_find_dev(soc, "tzasc");

	(void)j;
	return dk_dev_mmio_write32(tz, DK_TZASC_REGION(1) + DK_TZASC_ATTR, 0);
}

TEST(tz_smc_opens_a_shared_window_until_the_boot_lock)
{
	struct dk_soc *soc = load();
	struct dk_simdev *ns = dk_soc_find_dev(soc, "ns");
	struct dk_simdev *tz = dk_soc_find_dev(soc, "tzasc");
	u64 win = SEC + 0x80000, r1 = DK_TZASC_REGION(1);
	u8 *mem = dk_sim_dram_ptr(soc, win - 0x10), buf[32];
	struct job j = { .fn = close_window };
	int i;

	for (i = 0; i < 0x1020; i++)
		mem[i] = (u8)i;
	/* The normal world cannot program the TZASC itself. */
	CHECK_EQ(dk_dev_mmio_write32(tz, r1 + DK_TZASC_ATTR,
				     DK_TZASC_ATTR_EN | DK_TZASC_ATTR_NS), 0);
	CHECK_EQ(rd(soc, r1 + DK_TZASC_ATTR), 0);
	CHECK_EQ(rd(soc, DK_TZASC_DENIED), 1);
	/* The secure world opens one page of its memory to both worlds. */
	CHECK_EQ(dk_smc(soc, DK_SMC_TZASC_REGION, 1, win, 0x1000,
			DK_TZASC_ATTR_EN | DK_TZASC_ATTR_NS), 0);
	CHECK_EQ(rd(soc, r1 + DK_TZASC_BASE_LO), (u32)win);
	CHECK_EQ(rd(soc, r1 + DK_TZASC_BASE_HI), 0);
	CHECK_EQ(rd(soc, r1 + DK_TZASC_SIZE_LO), 0x1000);
	CHECK_EQ(rd(soc, r1 + DK_TZASC_ATTR), 3);
	CHECK_EQ(dk_dev_dma_read(ns, win, buf, 32), 0);
	CHECK_MEM(buf, mem + 0x10, 32);
	CHECK_EQ(dk_cpu_read(soc, win + 0xff0, buf, 16), 0);
	/* Its edges: the byte before and the page after stay secure. */
	CHECK_EQ(dk_dev_dma_read(ns, win - 0x10, buf, 32), -EFAULT);
	CHECK_EQ(dk_dev_dma_read(ns, win + 0xff0, buf, 32), -EFAULT);
	CHECK_EQ(dk_soc_nfaults(soc), 2);
	check_fault(soc, 0, "/soc/ns", win - 0x10, win - 0x10, 32, false);
	check_fault(soc, 1, "/soc/ns", win + 0xff0, win + 0x1000, 32, false);
	/* Locked: the window stays and no SMC changes it any more. */
	CHECK_EQ(dk_smc(soc, DK_SMC_TZASC_LOCK, 0, 0, 0, 0), 0);
	CHECK_EQ(rd(soc, DK_TZASC_LOCK), 1);
	CHECK_EQ(dk_smc(soc, DK_SMC_TZASC_REGION, 1, win, 0x1000, 0), -EPERM);
	CHECK_STR(dk_last_error(), "SMC 0xc2000010: the TZASC is locked until reset");
	CHECK_EQ(dk_smc(soc, DK_SMC_TZASC_REGION, 0, SEC, 0x100000, 0),
		 -EPERM);
	CHECK_EQ(rd(soc, r1 + DK_TZASC_ATTR), 3);
	CHECK_EQ(rd(soc, DK_TZASC_REGION(0) + DK_TZASC_ATTR), 1);
	/* The controller itself holds: even secure writes are ignored. */
	CHECK_EQ(dk_soc_set_secure_monitor(soc, run_job, &j), 0);
	CHECK_EQ(dk_smc(soc, 1, 0, 0, 0, 0), 0);
	CHECK_EQ(rd(soc, r1 + DK_TZASC_ATTR), 3);
	CHECK_EQ(rd(soc, DK_TZASC_DENIED), 2);
	CHECK_EQ(dk_dev_dma_read(ns, win, buf, 32), 0);
	CHECK_MEM(buf, mem + 0x10, 32);
	CHECK_EQ(dk_dev_dma_read(ns, SEC, buf, 32), -EFAULT);
	dk_soc_free(soc);
}

static long nested_smc(struct dk_soc *soc, struct job *j)
{
	j->r = dk_soc_set_secure_monitor(soc, NULL, NULL);
	return dk_smc(soc, 1, 0, 0, 0, 0);
}

TEST(tz_smc_refusals)
{
	struct dk_soc *soc = load(), *bare;
	struct job j = { .fn = nested_smc };
	u32 both = DK_TZASC_ATTR_EN | DK_TZASC_ATTR_NS;

	CHECK_EQ(dk_smc(soc, DK_SMC_TZASC_REGION, 8, SEC, 0x1000, both),
		 -EINVAL);
	CHECK_STR(dk_last_error(), "8 regions");
	CHECK_EQ(dk_smc(soc, DK_SMC_TZASC_REGION, 2, SEC, 0x1000, 4), -EINVAL);
	CHECK_EQ(dk_smc(soc, DK_SMC_TZASC_REGION, 2, SEC + 0x10, 0x1000, both),
		 -EINVAL);
	CHECK_STR(dk_last_error(), "not 4 KiB aligned");
	CHECK_EQ(rd(soc, DK_TZASC_REGION(2) + DK_TZASC_ATTR), 0);
	CHECK_EQ(dk_smc(soc, 0x84000000, 0, 0, 0, 0), -EOPNOTSUPP);
	CHECK_EQ(dk_soc_set_secure_monitor(soc, run_job, &j), 0);
	CHECK_EQ(dk_smc(soc, 1, 0, 0, 0, 0), -EBUSY);
	CHECK_STR(dk_last_error(), "SMC 0x00000001 from the secure world");
	CHECK_EQ(j.r, -EBUSY);
	CHECK_EQ(dk_soc_cpu_world(soc), DK_WORLD_NONSECURE);
	dk_soc_free(soc);
	bare = testsoc_load("/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
			    "memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x100000>; }; };\n",
			    NULL);
	CHECK_EQ(dk_smc(bare, DK_SMC_TZASC_LOCK, 0, 0, 0, 0), -ENODEV);
	dk_soc_free(bare);
}

static void tzdma(struct dk_soc *soc, u64 src, u64 dst, u32 len)
{
	struct dk_simdev *d = dk_soc_find_dev(soc, "tzdma");

	dk_dev_mmio_write32(d, DK_TZDMA_SRC_LO, (u32)src);
	dk_dev_mmio_write32(d, DK_TZDMA_SRC_HI, (u32)(src >> 32));
	dk_dev_mmio_write32(d, DK_TZDMA_DST_LO, (u32)dst);
	dk_dev_mmio_write32(d, DK_TZDMA_DST_HI, (u32)(dst >> 32));
	dk_dev_mmio_write32(d, DK_TZDMA_LEN, len);
	dk_dev_mmio_write32(d, DK_TZDMA_CTRL, DK_TZDMA_CTRL_GO);
}

static long secure_copy(struct dk_soc *soc, struct job *j)
{
	struct dk_simdev *d = dk_soc_find_dev(soc, "tzdma");

	tzdma(soc, SEC, NORMAL + 0x1000, 64);
	j->r = (int)dk_dev_mmio_read32(d, DK_TZDMA_STATUS);
	return dk_dev_mmio_read32(d, DK_TZDMA_SRC_LO);
}

TEST(tz_dma_banked_registers_pick_the_ns_bit)
{
	struct dk_soc *soc = load();
	struct dk_simdev *d = dk_soc_find_dev(soc, "tzdma");
	u8 *secret = dk_sim_dram_ptr(soc, SEC), *dst, key[64];
	struct job j = { .fn = secure_copy };

	memset(key, 0x6d, sizeof(key));
	memcpy(secret, key, sizeof(key));
	dst = dk_sim_dram_ptr(soc, NORMAL + 0x1000);
	/* Programmed from the normal world: a non-secure transfer. */
	tzdma(soc, SEC, NORMAL + 0x1000, 64);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_TZDMA_STATUS), DK_TZDMA_ST_ERROR);
	CHECK(mem_all(dst, 0, 64));
	CHECK_EQ(dk_soc_nfaults(soc), 1);
	check_fault(soc, 0, "/soc/tzdma", SEC, SEC, 64, false);
	/* Programmed from the secure world: its own bank, a secure one. */
	dk_dev_mmio_write32(d, DK_TZDMA_SRC_LO, 0x12345678);
	CHECK_EQ(dk_soc_set_secure_monitor(soc, run_job, &j), 0);
	CHECK_EQ(dk_smc(soc, 1, 0, 0, 0, 0), (u32)SEC);
	CHECK_EQ(j.r, DK_TZDMA_ST_DONE);
	CHECK_MEM(dst, key, 64);
	CHECK_EQ(dk_soc_nfaults(soc), 1);
	/* The normal world still sees its own bank. */
	CHECK_EQ(dk_dev_mmio_read32(d, DK_TZDMA_SRC_LO), 0x12345678);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_TZDMA_STATUS), DK_TZDMA_ST_ERROR);
	dk_soc_free(soc);
}

TEST(tz_tree_errors)
{
	static const char head[] =
		"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
		"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x100000>; };\n"
		"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n";
	char dts[1024];
	struct dk_soc *soc;

	snprintf(dts, sizeof(dts), "%s%s", head,
		 "t { compatible = \"dmakit,tzasc\"; reg = <0 0x1000 0 0x1000>;\n"
		 "dmakit,secure-ranges = <0 0x80000800 0 0x1000>; }; }; };\n");
	CHECK_EQ(testsoc_try(dts, NULL, &soc), -EINVAL);
	CHECK_STR(dk_last_error(), "range 0 (0x80000800, 0x1000) is not 4 KiB aligned");
	snprintf(dts, sizeof(dts), "%s%s", head,
		 "t { compatible = \"dmakit,tzasc\"; reg = <0 0x1000 0 0x1000>; };\n"
		 "u { compatible = \"dmakit,tzasc\"; reg = <0 0x2000 0 0x1000>; }; }; };\n");
	CHECK_EQ(testsoc_try(dts, NULL, &soc), -EINVAL);
	CHECK_STR(dk_last_error(), "a second TZASC (one per SoC)");
	snprintf(dts, sizeof(dts), "%s%s", head,
		 "m { compatible = \"dmakit,generic-master\"; dmakit,secure-master;\n"
		 "dmakit,trustzone-aware; }; }; };\n");
	CHECK_EQ(testsoc_try(dts, NULL, &soc), -EINVAL);
	CHECK_STR(dk_last_error(), "a gasket fixes the world");
}

TEST(tz_soc_show_lists_the_regions_as_they_are_now)
{
	struct dk_soc *soc = load();
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	CHECK_EQ(dk_smc(soc, DK_SMC_TZASC_REGION, 3, SEC + 0x10000, 0x2000,
			DK_TZASC_ATTR_EN | DK_TZASC_ATTR_NS), 0);
	CHECK_EQ(dk_smc(soc, DK_SMC_TZASC_LOCK, 0, 0, 0, 0), 0);
	dk_soc_show(soc, f);
	fclose(f);
	CHECK_STR(text, "TZASC (locked):\n"
			"  region0 (secure)       0x0000000080f00000-0x0000000080ffffff  1 MiB\n"
			"  region3 (shared)       0x0000000080f10000-0x0000000080f11fff  8 KiB\n"
			"devices (5):\n");
	CHECK_STR(text, "    wired address bits: 64, TrustZone-aware\n");
	free(text);
	dk_soc_free(soc);
}
