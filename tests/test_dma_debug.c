// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
/*
 * The checker: one test per check that triggers exactly that finding and
 * asserts its fields, and a large clean workload that must produce none.
 */
#include <errno.h>
#include <pthread.h>
#include <unistd.h>

#include <valgrind/valgrind.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/error.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>
#include <dmakit/vmalloc.h>

#include "harness.h"
#include "testsoc.h"

struct rig {
	struct testmachine t;
	struct device *dev, *dev2, *coh;
	struct dk_simdev *sdev, *sdev2;
	FILE *sink;
};

static struct rig rig(void)
{
	struct rig r = { .t = testmachine_boot(NULL, NULL, NULL) };

	r.dev = dk_machine_find_device(r.t.m, "master@10010000");
	r.dev2 = dk_machine_find_device(r.t.m, "master32@10020000");
	r.coh = dk_machine_find_device(r.t.m, "coherent-master@10030000");
	r.sdev = dk_soc_find_dev(r.t.soc, "master@10010000");
	r.sdev2 = dk_soc_find_dev(r.t.soc, "master32@10020000");
	/* Reports still print in tests, but not in the middle of the
	 * harness output. */
	r.sink = fopen("/dev/null", "w");
	dk_dma_debug_set_output(r.sink);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	dk_dma_debug_clear();
	return r;
}

static void done(struct rig *r)
{
	testmachine_shutdown(&r->t);
	dk_dma_debug_set_output(NULL);
	fclose(r->sink);
	dk_dma_debug_clear();
}

/* Exactly one finding, of class @c, whose message contains @text. */
#define ONLY(c, text)                                                      \
	do {                                                               \
		const struct dk_dma_finding *_f = dk_dma_debug_finding(0); \
		CHECK_EQ(dk_dma_debug_nfindings(), 1);                     \
		CHECK(_f && _f->check == (c));                             \
		if (_f) {                                                  \
			CHECK_STR(_f->message, text);                      \
			CHECK_STR(_f->device, "/soc/");                    \
		}                                                          \
	} while (0)

static dma_addr_t map(struct device *dev, void *p, size_t n,
		      enum dma_data_direction dir)
{
	dma_addr_t h = dma_map_single(dev, p, n, dir);

	dma_mapping_error(dev, h);
	return h;
}

TEST(debug_map_stack)
{
	struct rig r = rig();
	u8 buf[64];

	CHECK_EQ(dma_map_single(r.dev, buf, 64, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	ONLY(DK_CHK_MAP_STACK, "device driver maps memory from stack [addr=0x");
	/* No mapping exists to point at: the caller's chain instead. */
	CHECK_STR(dk_dma_debug_finding(0)->backtrace,
		  " debug_map_stack (tests/test_dma_debug.c:");
	done(&r);
}

TEST(debug_map_rodata)
{
	static const u8 table[64] = { 1 };
	struct rig r = rig();

	dma_map_single(r.dev, (void *)table, 64, DMA_TO_DEVICE);
	ONLY(DK_CHK_MAP_RODATA, "maps memory from kernel text or rodata");
	CHECK_STR(dk_dma_debug_finding(0)->message, "[len=64]");
	done(&r);
}

TEST(debug_map_vmalloc)
{
	struct rig r = rig();
	void *v = vmalloc(4096);

	dma_map_single(r.dev, v, 100, DMA_TO_DEVICE);
	ONLY(DK_CHK_MAP_VMALLOC, "maps memory from vmalloc area");
	vfree(v);
	done(&r);
}

TEST(debug_map_invalid)
{
	struct rig r = rig();
	void *m = malloc(64);

	dma_map_single(r.dev, m, 64, DMA_TO_DEVICE);
	ONLY(DK_CHK_MAP_INVALID, "maps memory from invalid area");
	free(m);
	done(&r);
}

static void sg_one(struct rig *r, void *buf, unsigned int off,
		   unsigned int len)
{
	struct scatterlist sg;

	sg_init_table(&sg, 1);
	sg_set_buf(&sg, (u8 *)buf + off, len);
	CHECK_EQ(dma_map_sg(r->dev, &sg, 1, DMA_TO_DEVICE), 1);
	dma_unmap_sg(r->dev, &sg, 1, DMA_TO_DEVICE);
}

TEST(debug_sg_segment_too_long)
{
	struct rig r = rig();
	u8 *buf = kmalloc(8192, GFP_KERNEL);

	dma_set_max_seg_size(r.dev, 4096);
	sg_one(&r, buf, 0, 8192);
	ONLY(DK_CHK_SG_SEG_TOO_LONG,
	     "mapping sg segment longer than device claims to support [len=8192] [max=4096]");
	done(&r);
}

TEST(debug_sg_segment_boundary)
{
	struct rig r = rig();
	u8 *buf = kmalloc(8192, GFP_KERNEL);

	dma_set_seg_boundary(r.dev, 0xfff);
	sg_one(&r, buf, 3000, 2000);
	ONLY(DK_CHK_SG_SEG_BOUNDARY, "mapping sg segment across boundary");
	CHECK_STR(dk_dma_debug_finding(0)->message, "[boundary=0x0000000000001000]");
	done(&r);
}

TEST(debug_free_not_allocated)
{
	struct rig r = rig();
	u8 *buf = kmalloc(64, GFP_KERNEL);

	dma_unmap_single(r.dev, virt_to_phys(buf), 64, DMA_FROM_DEVICE);
	ONLY(DK_CHK_FREE_NOT_ALLOCATED,
	     "device driver tries to free DMA memory it has not allocated");
	CHECK_EQ(dk_dma_debug_finding(0)->dev_addr, virt_to_phys(buf));
	done(&r);
}

TEST(debug_free_invalid_address)
{
	struct rig r = rig();

	dma_unmap_single(r.dev, DMA_MAPPING_ERROR, 64, DMA_TO_DEVICE);
	ONLY(DK_CHK_FREE_INVALID_ADDR,
	     "device driver tries to free an invalid DMA memory address");
	done(&r);
}

TEST(debug_free_different_size)
{
	struct rig r = rig();
	u8 *buf = kmalloc(128, GFP_KERNEL);
	dma_addr_t h = map(r.dev, buf, 128, DMA_TO_DEVICE);

	dma_unmap_single(r.dev, h, 64, DMA_TO_DEVICE);
	ONLY(DK_CHK_FREE_SIZE, "[map size=128 bytes] [unmap size=64 bytes]");
	done(&r);
}

TEST(debug_free_wrong_function)
{
	struct rig r = rig();
	u8 *buf = kmalloc(128, GFP_KERNEL);
	dma_addr_t h = map(r.dev, buf, 128, DMA_TO_DEVICE);

	dma_unmap_page(r.dev, h, 128, DMA_TO_DEVICE);
	ONLY(DK_CHK_FREE_WRONG_FUNC, "[mapped as single] [unmapped as page]");
	CHECK(!strcmp(dk_dma_debug_finding(0)->map_type, "single"));
	/* Symbolized: function and file:line, static functions too. */
	CHECK_STR(dk_dma_debug_finding(0)->backtrace,
		  "#0 dma_map_single_attrs (src/dma/");
	CHECK_STR(dk_dma_debug_finding(0)->backtrace,
		  " debug_free_wrong_function (tests/test_dma_debug.c:");
	done(&r);
}

TEST(debug_free_different_cpu_address)
{
	struct rig r = rig();
	dma_addr_t h;
	u8 *p = dma_alloc_coherent(r.dev, 4096, &h, GFP_KERNEL);

	dma_free_coherent(r.dev, 4096, p + 64, h);
	ONLY(DK_CHK_FREE_CPU_ADDR, "frees DMA memory with different CPU address");
	done(&r);
}

TEST(debug_free_sg_count)
{
	struct rig r = rig();
	struct scatterlist sg[2];
	u8 *a = kmalloc(256, GFP_KERNEL), *b = kmalloc(256, GFP_KERNEL);

	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], a, 256);
	sg_set_buf(&sg[1], b, 256);
	CHECK_EQ(dma_map_sg(r.dev, sg, 2, DMA_TO_DEVICE), 2);
	dma_unmap_sg(r.dev, sg, 1, DMA_TO_DEVICE);
	ONLY(DK_CHK_FREE_SG_COUNT, "[map count=2] [unmap count=1]");
	done(&r);
}

TEST(debug_free_different_direction)
{
	struct rig r = rig();
	u8 *buf = kmalloc(128, GFP_KERNEL);
	dma_addr_t h = map(r.dev, buf, 128, DMA_TO_DEVICE);

	dma_unmap_single(r.dev, h, 128, DMA_BIDIRECTIONAL);
	ONLY(DK_CHK_FREE_DIR,
	     "[mapped with DMA_TO_DEVICE] [unmapped with DMA_BIDIRECTIONAL]");
	done(&r);
}

TEST(debug_map_error_not_checked)
{
	struct rig r = rig();
	u8 *buf = kmalloc(128, GFP_KERNEL);
	dma_addr_t h = dma_map_single(r.dev, buf, 128, DMA_TO_DEVICE);

	dma_unmap_single(r.dev, h, 128, DMA_TO_DEVICE);
	ONLY(DK_CHK_MAP_ERR_UNCHECKED,
	     "device driver failed to check map error [device address=0x");
	done(&r);
}

/*
 * A plain device (direct backend, no offset) maps by the front end's
 * fast path with the checker on too: each check still sees the map, the
 * object it came from and the unmap, and names where the map was made.
 */
static int check_at(int i)
{
	const struct dk_dma_finding *f = dk_dma_debug_finding(i);

	return f ? (int)f->check : -1;
}

static const char *text_at(int i, bool bt)
{
	const struct dk_dma_finding *f = dk_dma_debug_finding(i);

	return !f ? NULL : bt ? f->backtrace : f->message;
}

TEST(debug_checked_fast_path_keeps_every_check)
{
	struct rig r = rig();
	struct device *devs[2] = { r.coh, r.dev };
	char want[160];
	int i;

	for (i = 0; i < 2; i++) {
		u8 *buf = kmalloc(128, GFP_KERNEL);
		dma_addr_t h;

		dk_dma_debug_clear();
		h = dma_map_single(devs[i], buf, 128, DMA_TO_DEVICE);
		CHECK(h != DMA_MAPPING_ERROR);
		dma_unmap_single(devs[i], h, 64, DMA_TO_DEVICE);
		CHECK_EQ(dk_dma_debug_nfindings(), 2);
		CHECK_EQ(check_at(0), DK_CHK_FREE_SIZE);
		CHECK_STR(text_at(0, false),
			  "[map size=128 bytes] [unmap size=64 bytes]");
		CHECK_STR(text_at(0, true), "#0 dma_map_single_attrs (src/dma/");
		CHECK_EQ(check_at(1), DK_CHK_MAP_ERR_UNCHECKED);
		/* The entry went with the unmap. */
		dma_unmap_single(devs[i], h, 128, DMA_TO_DEVICE);
		CHECK_EQ(dk_dma_debug_nfindings(), 3);
		CHECK_EQ(check_at(2), DK_CHK_FREE_NOT_ALLOCATED);
		kfree(buf);

		dk_dma_debug_clear();
		h = map(devs[i], buf, 64, DMA_TO_DEVICE);
		snprintf(want, sizeof(want),
			 "device driver maps freed kmalloc memory [addr=%p] [len=64]",
			 (void *)buf);
		ONLY(DK_CHK_MAP_FREED, want);
		dma_unmap_single(devs[i], h, 64, DMA_TO_DEVICE);
		CHECK_EQ(dk_dma_debug_nfindings(), 1);
	}
	done(&r);
}

/*
 * Two live mappings at one address: an unmap takes the one it matches,
 * not simply the newest, and each mapping-error check marks one.
 */
TEST(debug_unmap_takes_the_matching_one_of_two_at_an_address)
{
	struct rig r = rig();
	u8 *buf = kmalloc(256, GFP_KERNEL);
	dma_addr_t a = map(r.coh, buf, 256, DMA_TO_DEVICE);
	dma_addr_t b = map(r.coh, buf, 128, DMA_TO_DEVICE);

	CHECK_EQ(a, b);
	dma_unmap_single(r.coh, a, 256, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	dma_unmap_single(r.coh, b, 128, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	dma_unmap_single(r.coh, b, 128, DMA_TO_DEVICE);
	ONLY(DK_CHK_FREE_NOT_ALLOCATED, "[size=128 bytes]");
	kfree(buf);
	done(&r);
}

TEST(debug_sync_not_allocated)
{
	struct rig r = rig();
	u8 *buf = kmalloc(128, GFP_KERNEL);

	dma_sync_single_for_cpu(r.dev, virt_to_phys(buf), 64, DMA_FROM_DEVICE);
	ONLY(DK_CHK_SYNC_NOT_ALLOCATED,
	     "device driver tries to sync DMA memory it has not allocated");
	done(&r);
}

TEST(debug_sync_out_of_range)
{
	struct rig r = rig();
	u8 *buf = kmalloc(256, GFP_KERNEL);
	dma_addr_t h = map(r.dev, buf, 256, DMA_FROM_DEVICE);

	dma_sync_single_range_for_cpu(r.dev, h, 200, 100, DMA_FROM_DEVICE);
	ONLY(DK_CHK_SYNC_OUT_OF_RANGE,
	     "[allocation size=256 bytes] [sync offset+size=300]");
	dma_unmap_single(r.dev, h, 256, DMA_FROM_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 1);
	done(&r);
}

TEST(debug_sync_different_direction)
{
	struct rig r = rig();
	u8 *buf = kmalloc(256, GFP_KERNEL);
	dma_addr_t h = map(r.dev, buf, 256, DMA_TO_DEVICE);

	dma_sync_single_for_cpu(r.dev, h, 256, DMA_TO_DEVICE);
	dma_sync_single_for_device(r.dev, h, 256, DMA_FROM_DEVICE);
	ONLY(DK_CHK_SYNC_DIR,
	     "[mapped with DMA_TO_DEVICE] [synced with DMA_FROM_DEVICE]");
	done(&r);
}

/* Linux lets a zero-size sync through; it touches no line of the
 * mapping (it crashed the checker). */
TEST(debug_sync_of_zero_bytes)
{
	struct rig r = rig();
	u8 *buf = kmalloc(256, GFP_KERNEL), v = 1;
	dma_addr_t h = map(r.dev, buf, 256, DMA_FROM_DEVICE);

	dma_sync_single_for_cpu(r.dev, h, 0, DMA_FROM_DEVICE);
	dma_sync_single_for_device(r.dev, h + 64, 0, DMA_FROM_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	/* The device still owns every line: the CPU's write is found (past
	 * the poisoning, which would stop it under ASan). */
	dk_sim_poke(buf + 200, &v, 1);
	dma_unmap_single(r.dev, h, 256, DMA_FROM_DEVICE);
	ONLY(DK_CHK_CPU_TOUCH_DEVICE_OWNED, "CPU wrote to 1 cache line(s) the device owns");
	kfree(buf);
	done(&r);
}

TEST(debug_sync_read_only_for_cpu)
{
	struct rig r = rig();
	u8 *buf = kmalloc(256, GFP_KERNEL);
	dma_addr_t h = map(r.dev, buf, 256, DMA_TO_DEVICE);

	dma_sync_single_for_cpu(r.dev, h, 256, DMA_FROM_DEVICE);
	ONLY(DK_CHK_SYNC_RO_FOR_CPU,
	     "device driver syncs device read-only DMA memory for cpu");
	done(&r);
}

TEST(debug_sync_write_only_to_device)
{
	struct rig r = rig();
	u8 *buf = kmalloc(256, GFP_KERNEL);
	dma_addr_t h = map(r.dev, buf, 256, DMA_FROM_DEVICE);

	dma_sync_single_for_cpu(r.dev, h, 256, DMA_FROM_DEVICE);
	dma_sync_single_for_device(r.dev, h, 256, DMA_TO_DEVICE);
	ONLY(DK_CHK_SYNC_WO_TO_DEVICE,
	     "device driver syncs device write-only DMA memory to device");
	done(&r);
}

TEST(debug_sync_sg_count)
{
	struct rig r = rig();
	struct scatterlist sg[2];
	u8 *a = kmalloc(256, GFP_KERNEL), *b = kmalloc(256, GFP_KERNEL);

	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], a, 256);
	sg_set_buf(&sg[1], b, 256);
	dma_map_sg(r.dev, sg, 2, DMA_FROM_DEVICE);
	dma_sync_sg_for_cpu(r.dev, sg, 1, DMA_FROM_DEVICE);
	ONLY(DK_CHK_SYNC_SG_COUNT, "[map count=2] [sync count=1]");
	done(&r);
}

TEST(debug_cacheline_overlap)
{
	struct rig r = rig();
	u8 *buf = kmalloc(256, GFP_KERNEL);

	map(r.dev, buf, 256, DMA_FROM_DEVICE);
	map(r.dev2, buf, 256, DMA_FROM_DEVICE);
	ONLY(DK_CHK_CACHELINE_OVERLAP,
	     "cacheline tracking EEXIST, overlapping mappings aren't supported");
	done(&r);
}

TEST(debug_cacheline_overlap_limit)
{
	struct rig r = rig();
	u8 *buf = kmalloc(128, GFP_KERNEL);
	int i;

	for (i = 0; i < 8; i++)
		map(r.dev, buf, 128, DMA_FROM_DEVICE);
	CHECK_EQ(dk_dma_debug_count(DK_CHK_CACHELINE_OVERLAP), 6);
	CHECK_EQ(dk_dma_debug_count(DK_CHK_CACHELINE_MAX), 1);
	CHECK_EQ(dk_dma_debug_nfindings(), 7);
	CHECK_STR(dk_dma_debug_finding(6)->message,
		  "exceeded 7 overlapping mappings of cacheline");
	done(&r);
}

/* Not static, not inlined: the mapping's call chain names them. */
dma_addr_t bt_mapper(struct device *dev, void *p);
void *bt_thread(void *arg);

__attribute__((noinline)) dma_addr_t bt_mapper(struct device *dev, void *p)
{
	dma_addr_t h = dma_map_single(dev, p, 128, DMA_TO_DEVICE);

	dma_mapping_error(dev, h);	/* also keeps the call no tail call */
	return h;
}

struct bt_arg {
	struct device *dev;
	void *buf;
	dma_addr_t h;
};

__attribute__((noinline)) void *bt_thread(void *arg)
{
	struct bt_arg *a = arg;

	a->h = bt_mapper(a->dev, a->buf);
	__asm__ volatile("" ::: "memory");
	return NULL;
}

/* The finding of a wrong-size unmap of @h, with its call chain. */
static const char *bt_of(struct rig *r, dma_addr_t h)
{
	dk_dma_debug_clear();
	dma_unmap_single(r->dev, h, 64, DMA_TO_DEVICE);
	return dk_dma_debug_nfindings() == 1 ?
		       dk_dma_debug_finding(0)->backtrace : "(no finding)";
}

/*
 * Every way of recording a mapping's call chain names the entry point
 * and its callers, on the main thread and on another; off records none.
 */
TEST(debug_backtrace_modes_name_the_call_chain)
{
	static const enum dk_dma_debug_bt modes[] = {
		DK_DMA_DEBUG_BT_FRAMES, DK_DMA_DEBUG_BT_FULL
	};
	struct rig r = rig();
	struct bt_arg a = { r.dev, kmalloc(128, GFP_KERNEL), 0 };
	pthread_t t;
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		const char *bt;

		dk_dma_debug_set_backtrace_mode(modes[i]);
		CHECK_STR(bt_of(&r, bt_mapper(r.dev, a.buf)),
			  "#0 dma_map_single_attrs (");
		CHECK_STR(bt_of(&r, bt_mapper(r.dev, a.buf)), " bt_mapper (");
		CHECK_EQ(pthread_create(&t, NULL, bt_thread, &a), 0);
		pthread_join(t, NULL);
		bt = bt_of(&r, a.h);
		CHECK(strstr(bt, " bt_mapper (") && strstr(bt, " bt_thread (") &&
		      strstr(bt, " bt_mapper (") < strstr(bt, " bt_thread ("));
	}
	dk_dma_debug_set_backtrace_mode(DK_DMA_DEBUG_BT_OFF);
	CHECK_EQ(strlen(bt_of(&r, bt_mapper(r.dev, a.buf))), 0);
	dk_dma_debug_set_backtrace_mode(99);	/* ignored */
	CHECK_EQ(strlen(bt_of(&r, bt_mapper(r.dev, a.buf))), 0);
	dk_dma_debug_set_backtrace(true);
	CHECK_STR(bt_of(&r, bt_mapper(r.dev, a.buf)), " bt_mapper (");
	kfree(a.buf);
	done(&r);
}

static void *leak;

/* Not static: the mapping's backtrace names it. */
int leaky_probe(struct device *dev);

int leaky_probe(struct device *dev)
{
	dma_addr_t h = dma_map_single(dev, leak, 512, DMA_FROM_DEVICE);

	return dma_mapping_error(dev, h);
}

static const struct of_device_id leaky_ids[] = {
	{ .compatible = "dmakit,m2m-dma" },
	{ }
};

TEST(debug_pending_at_unbind)
{
	struct rig r = rig();
	struct device_driver drv = { .name = "leaky", .probe = leaky_probe,
				     .of_match_table = leaky_ids };
	struct device *dma = dk_machine_find_device(r.t.m, "dma@10000000");
	const struct dk_dma_finding *f;

	leak = kmalloc(512, GFP_KERNEL);
	CHECK_EQ(driver_register(&drv), 0);
	device_release_driver(dma);
	ONLY(DK_CHK_PENDING_AT_UNBIND,
	     "device driver has pending DMA allocations while released from device [count=1]");
	f = dk_dma_debug_finding(0);
	CHECK(!strcmp(f->driver, "leaky"));
	CHECK(!strcmp(f->device, "/soc/dma@10000000"));
	CHECK_STR(f->message, "[size=512 bytes] [mapped with DMA_FROM_DEVICE] [mapped as single]");
	CHECK_STR(f->backtrace, "leaky_probe");
	driver_unregister(&drv);
	done(&r);
}

TEST(debug_cpu_wrote_device_owned_lines)
{
	struct rig r = rig();
	u8 *buf = kmalloc(512, GFP_KERNEL), v = 1;
	dma_addr_t h = map(r.dev, buf, 512, DMA_FROM_DEVICE);

	/* A stray write while the device owns the buffer (ASan and Valgrind
	 * would stop it at once; this is what a plain build catches). */
	dk_sim_poke(buf + 130, &v, 1);
	dma_unmap_single(r.dev, h, 512, DMA_FROM_DEVICE);
	ONLY(DK_CHK_CPU_TOUCH_DEVICE_OWNED,
	     "CPU wrote to 1 cache line(s) the device owns, first at 0x");
	CHECK_STR(dk_dma_debug_finding(0)->message, "[mapped with DMA_FROM_DEVICE]");
	done(&r);
}

TEST(debug_sync_for_device_of_device_owned)
{
	struct rig r = rig();
	u8 *buf = kmalloc(512, GFP_KERNEL);
	dma_addr_t h = map(r.dev, buf, 512, DMA_FROM_DEVICE);

	dma_sync_single_for_device(r.dev, h, 512, DMA_FROM_DEVICE);
	ONLY(DK_CHK_SYNC_DEVICE_TWICE,
	     "sync_for_device of memory the device already owns");
	done(&r);
}

TEST(debug_sync_for_cpu_of_cpu_owned)
{
	struct rig r = rig();
	u8 *buf = kmalloc(512, GFP_KERNEL);
	dma_addr_t h = map(r.dev, buf, 512, DMA_FROM_DEVICE);

	dma_sync_single_for_cpu(r.dev, h, 512, DMA_FROM_DEVICE);
	dma_sync_single_for_cpu(r.dev, h, 512, DMA_FROM_DEVICE);
	ONLY(DK_CHK_SYNC_CPU_TWICE, "sync_for_cpu of memory the CPU already owns");
	done(&r);
}

/* Talk 000's "Two are better than one": virt_to_phys instead of a map. */
TEST(debug_device_access_unmapped)
{
	struct rig r = rig();
	u8 *buf = kmalloc(256, GFP_KERNEL), pkt[64] = { 0 };

	CHECK_EQ(dk_dev_dma_write(r.sdev, virt_to_phys(buf), pkt, 64), 0);
	ONLY(DK_CHK_DEVICE_UNMAPPED_ACCESS,
	     "device wrote 64 bytes at physical 0x");
	CHECK_STR(dk_dma_debug_finding(0)->message,
		  "that no live mapping or allocation of it covers");
	done(&r);
}

static int quiet_probe(struct device *dev)
{
	(void)dev;
	return 0;
}

TEST(debug_dma_after_unbind)
{
	struct rig r = rig();
	static const struct of_device_id ids[] = {
		{ .compatible = "dmakit,generic-master" }, { }
	};
	struct device_driver drv = { .name = "quiet", .probe = quiet_probe,
				     .of_match_table = ids };
	u8 pkt[16] = { 0 };
	dma_addr_t h;
	void *p;

	driver_register(&drv);
	p = dma_alloc_coherent(r.dev, 4096, &h, GFP_KERNEL);
	dma_free_coherent(r.dev, 4096, p, h);
	device_release_driver(r.dev);
	dk_dev_dma_write(r.sdev, h, pkt, sizeof(pkt));	/* not quiesced */
	ONLY(DK_CHK_DMA_AFTER_UNBIND,
	     "device wrote 16 bytes at 0x");
	CHECK_STR(dk_dma_debug_finding(0)->message,
		  "after its driver was unbound (not quiesced)");
	driver_unregister(&drv);
	done(&r);
}

/* Talk 001: a receive buffer embedded in a struct after a header. */
TEST(debug_from_device_buffer_embedded_in_struct)
{
	struct rig r = rig();
	struct msg {
		u32 seq;
		u8 rx[60];
	} *m = kzalloc(sizeof(*m), GFP_KERNEL);
	dma_addr_t h = map(r.dev, m->rx, sizeof(m->rx), DMA_FROM_DEVICE);

	ONLY(DK_CHK_FROM_DEVICE_SHARED_LINE,
	     "DMA_FROM_DEVICE buffer [addr=0x");
	CHECK_STR(dk_dma_debug_finding(0)->message,
		  "is embedded 4 bytes into kmalloc object");
	dma_unmap_single(r.dev, h, sizeof(m->rx), DMA_FROM_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 1);
	done(&r);
}

TEST(debug_buffer_is_safe_answers_talk_001)
{
	struct rig r = rig();
	static const u8 ro[64] = { 1 };
	u8 stack[64];
	u8 *k = kmalloc(256, GFP_KERNEL);
	void *v = vmalloc(4096), *m = malloc(64);
	phys_addr_t pa;

	CHECK_EQ(dk_dma_buffer_is_safe(k, 256, r.dev), DK_DMA_SAFE);
	CHECK_EQ(dk_dma_buffer_is_safe(k, 100, r.dev), DK_DMA_SAFE);
	CHECK_EQ(dk_dma_buffer_is_safe(k + 4, 60, r.dev),
		 DK_DMA_UNSAFE_SHARES_LINE);
	CHECK_EQ(dk_dma_buffer_is_safe(stack, 64, r.dev), DK_DMA_UNSAFE_STACK);
	CHECK_EQ(dk_dma_buffer_is_safe(ro, 64, r.dev), DK_DMA_UNSAFE_RODATA);
	CHECK_EQ(dk_dma_buffer_is_safe(v, 64, r.dev), DK_DMA_UNSAFE_VMALLOC);
	CHECK_EQ(dk_dma_buffer_is_safe(m, 64, r.dev), DK_DMA_UNSAFE_NOT_RAM);
	/* Above 4 GiB with the default 32-bit mask: it would bounce. */
	r.t.pl.ops->alloc_pages(r.t.pl.ctx, 1, 1, 0x100000000ULL, ~0ULL, &pa);
	CHECK_EQ(dk_dma_buffer_is_safe(phys_to_virt(pa), 4096, r.dev),
		 DK_DMA_UNSAFE_BEYOND_MASK);
	CHECK_STR(dk_dma_safety_name(DK_DMA_UNSAFE_STACK), "stack");
	CHECK_EQ(dk_dma_debug_nfindings(), 0);	/* asking reports nothing */
	free(m);
	vfree(v);
	done(&r);
}

TEST(debug_modes_filter_and_stats)
{
	struct rig r = rig();
	struct dk_dma_debug_stats st;
	u8 *buf = kmalloc(128, GFP_KERNEL);
	dma_addr_t h;

	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	h = dma_map_single(r.dev, buf, 128, DMA_TO_DEVICE);
	dma_unmap_single(r.dev, h, 128, DMA_TO_DEVICE);	/* unchecked */
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	dk_dma_debug_set_driver_filter("somebody-else");
	dma_unmap_single(r.dev, DMA_MAPPING_ERROR, 8, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	dk_dma_debug_set_driver_filter(NULL);
	h = map(r.dev, buf, 128, DMA_TO_DEVICE);
	dk_dma_debug_stats(&st);
	CHECK_EQ(st.live_entries, 1);
	CHECK(st.peak_entries >= 1);
	dma_unmap_single(r.dev, h, 128, DMA_TO_DEVICE);
	dk_dma_debug_stats(&st);
	CHECK_EQ(st.live_entries, 0);
	CHECK_EQ(dk_dma_debug_get_mode(), DK_DMA_DEBUG_ALL);
	CHECK(!strcmp(dk_dma_check_name(DK_CHK_FREE_DIR), "free-different-direction"));
	done(&r);
}

/* Every mapping flavour, done right, under the adversarial policy. */
TEST(debug_clean_workload_has_no_findings)
{
	struct rig r = rig();
	u8 *big = kmalloc(64 * 1024, GFP_KERNEL), *line = kmalloc(128, GFP_KERNEL);
	u8 *a = kmalloc(4096, GFP_KERNEL), pkt[512];
	struct sg_table sgt;
	struct scatterlist *sg;
	struct page *pg = alloc_page(GFP_KERNEL);
	dma_addr_t h, h2, hc;
	unsigned int i;
	void *c;
	struct dk_dma_debug_stats st;

	/* One big chunk, the device fills it, the driver syncs pieces. */
	h = map(r.dev, big, 64 * 1024, DMA_FROM_DEVICE);
	for (i = 0; i < 16; i++) {
		memset(pkt, i, sizeof(pkt));
		dk_dev_dma_write(r.sdev, h + i * 4096, pkt, sizeof(pkt));
		dma_sync_single_range_for_cpu(r.dev, h, i * 4096, 4096,
					      DMA_FROM_DEVICE);
		CHECK_EQ(big[i * 4096 + 511], i);
		dma_sync_single_range_for_device(r.dev, h, i * 4096, 4096,
						 DMA_FROM_DEVICE);
	}
	dma_unmap_single(r.dev, h, 64 * 1024, DMA_FROM_DEVICE);

	/* One buffer, two devices, the second without cache work. */
	memset(a, 7, 4096);
	h = map(r.dev, a, 4096, DMA_TO_DEVICE);
	h2 = dma_map_single_attrs(r.dev2, a, 4096, DMA_TO_DEVICE,
				  DMA_ATTR_SKIP_CPU_SYNC);
	dma_mapping_error(r.dev2, h2);
	dk_dev_dma_read(r.sdev, h, pkt, 64);
	dk_dev_dma_read(r.sdev2, h2, pkt, 64);
	dma_unmap_single_attrs(r.dev2, h2, 4096, DMA_TO_DEVICE,
			       DMA_ATTR_SKIP_CPU_SYNC);
	dma_unmap_single(r.dev, h, 4096, DMA_TO_DEVICE);

	/* TO_DEVICE buffers sharing a line are fine. */
	h = map(r.dev, line, 64, DMA_TO_DEVICE);
	h2 = map(r.dev, line + 64, 64, DMA_TO_DEVICE);
	dma_unmap_single(r.dev, h2, 64, DMA_TO_DEVICE);
	dma_unmap_single(r.dev, h, 64, DMA_TO_DEVICE);

	/* Page, bidirectional, with a device round trip. */
	h = dma_map_page(r.dev, pg, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	dma_mapping_error(r.dev, h);
	dk_dev_dma_read(r.sdev, h, pkt, 512);
	dk_dev_dma_write(r.sdev, h, pkt, 512);
	dma_unmap_page(r.dev, h, PAGE_SIZE, DMA_BIDIRECTIONAL);

	/* Scatter-gather. */
	sg_alloc_table(&sgt, 4, GFP_KERNEL);
	for_each_sgtable_sg(&sgt, sg, i)
		sg_set_buf(sg, a + i * 1024, 1024);
	CHECK_EQ(dma_map_sgtable(r.dev, &sgt, DMA_FROM_DEVICE, 0), 0);
	for_each_sgtable_dma_sg(&sgt, sg, i)
		dk_dev_dma_write(r.sdev, sg_dma_address(sg), pkt, 256);
	dma_sync_sgtable_for_cpu(r.dev, &sgt, DMA_FROM_DEVICE);
	dma_sync_sgtable_for_device(r.dev, &sgt, DMA_FROM_DEVICE);
	dma_unmap_sgtable(r.dev, &sgt, DMA_FROM_DEVICE, 0);
	sg_free_table(&sgt);

	/* Coherent memory, a coherent device, a resource, a bounce. */
	c = dma_alloc_coherent(r.dev, 8192, &hc, GFP_KERNEL);
	dk_dev_dma_write(r.sdev, hc + 100, pkt, 100);
	dma_free_coherent(r.dev, 8192, c, hc);
	h = map(r.coh, a, 4096, DMA_BIDIRECTIONAL);
	dk_dev_dma_write(dk_soc_find_dev(r.t.soc, "coherent-master@10030000"),
			 h, pkt, 64);
	dma_unmap_single(r.coh, h, 4096, DMA_BIDIRECTIONAL);
	h = dma_map_resource(r.dev, 0x10000000, 0x100, DMA_BIDIRECTIONAL, 0);
	dma_mapping_error(r.dev, h);
	dma_unmap_resource(r.dev, h, 0x100, DMA_BIDIRECTIONAL, 0);
	{
		phys_addr_t pa;

		r.t.pl.ops->alloc_pages(r.t.pl.ctx, 1, 1, 0x100000000ULL,
					~0ULL, &pa);
		h = dma_map_page(r.dev2, phys_to_page(pa), 0, 4096,
				 DMA_FROM_DEVICE);
		dma_mapping_error(r.dev2, h);
		dk_dev_dma_write(r.sdev2, h, pkt, 512);
		dma_unmap_page(r.dev2, h, 4096, DMA_FROM_DEVICE);
	}
	/* Non-coherent allocation with its syncs. */
	c = dma_alloc_noncoherent(r.dev, 4096, &hc, DMA_FROM_DEVICE, GFP_KERNEL);
	dma_sync_single_for_device(r.dev, hc, 4096, DMA_FROM_DEVICE);
	dk_dev_dma_write(r.sdev, hc, pkt, 64);
	dma_sync_single_for_cpu(r.dev, hc, 4096, DMA_FROM_DEVICE);
	dma_free_noncoherent(r.dev, 4096, c, hc, DMA_FROM_DEVICE);

	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	for (i = 0; i < dk_dma_debug_nfindings(); i++)
		printf("    unexpected: %s\n", dk_dma_debug_finding(i)->message);
	dk_dma_debug_stats(&st);
	CHECK_EQ(st.live_entries, 0);
	done(&r);
}

TEST(debug_first_mode_prints_one_records_all)
{
	struct rig r = rig();
	FILE *f = tmpfile();
	char line[512];
	int printed = 0;

	dk_dma_debug_set_output(f);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_FIRST);
	dma_unmap_single(r.dev, DMA_MAPPING_ERROR, 8, DMA_TO_DEVICE);
	dma_unmap_single(r.dev, DMA_MAPPING_ERROR, 8, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 2);
	rewind(f);
	while (fgets(line, sizeof(line), f))
		printed += !strncmp(line, "DMA-API: ", 9);
	CHECK_EQ(printed, 1);
	fclose(f);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	done(&r);
}

/* The crypto engine of "Flunking the self-test": coherent in hardware,
 * not in the tree. */
TEST(debug_coherence_mismatch_hw_coherent)
{
	struct rig r = rig();
	struct device *crypto = dk_machine_find_device(r.t.m, "crypto@10120000");
	struct dk_simdev *scrypto = dk_soc_find_dev(r.t.soc, "crypto@10120000");
	u8 *buf = kmalloc(256, GFP_KERNEL), res[64] = { 1 };
	dma_addr_t h = map(crypto, buf, 256, DMA_FROM_DEVICE);

	dk_dev_dma_write(scrypto, h, res, sizeof(res));
	dk_dev_dma_write(scrypto, h + 64, res, sizeof(res));
	dma_unmap_single(crypto, h, 256, DMA_FROM_DEVICE);
	ONLY(DK_CHK_COHERENCE_MISMATCH,
	     "device snoops the CPU cache but its tree node does not say dma-coherent");
	done(&r);
}

TEST(debug_coherence_mismatch_tree_coherent)
{
	static const char tree[] =
		"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
		"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
		"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
		"	x86ish { compatible = \"dmakit,generic-master\"; dma-coherent; dmakit,hw-noncoherent; }; };\n"
		"};\n";
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "x86ish");
	u8 *buf = kmalloc(256, GFP_KERNEL), got[16];
	dma_addr_t h;
	FILE *sink = fopen("/dev/null", "w");

	dk_dma_debug_set_output(sink);
	dk_dma_debug_clear();
	h = map(dev, buf, 256, DMA_TO_DEVICE);
	dk_dev_dma_read(dk_soc_find_dev(t.soc, "x86ish"), h, got, 16);
	dma_unmap_single(dev, h, 256, DMA_TO_DEVICE);
	ONLY(DK_CHK_COHERENCE_MISMATCH,
	     "the tree says dma-coherent but the device does not snoop");
	testmachine_shutdown(&t);
	dk_dma_debug_set_output(NULL);
	fclose(sink);
	dk_dma_debug_clear();
}

/* A buffer on another thread's stack, mapped by this thread. */
struct other {
	pthread_mutex_t m;
	pthread_cond_t c;
	u8 *buf;
	bool done;
	pid_t tid;
};

static void *other_thread(void *p)
{
	struct other *o = p;
	u8 buf[256];

	pthread_mutex_lock(&o->m);
	o->tid = gettid();
	o->buf = buf;
	pthread_cond_signal(&o->c);
	while (!o->done)
		pthread_cond_wait(&o->c, &o->m);
	pthread_mutex_unlock(&o->m);
	return NULL;
}

TEST(debug_map_another_threads_stack)
{
	struct rig r = rig();
	struct other o = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
			   NULL, false, 0 };
	pthread_t t;

	/* Under Valgrind the kernel shows Valgrind's stack pointers, not the
	 * program's, so only native runs can find another thread's stack. */
	if (RUNNING_ON_VALGRIND) {
		done(&r);
		return;
	}
	pthread_create(&t, NULL, other_thread, &o);
	pthread_mutex_lock(&o.m);
	while (!o.buf)
		pthread_cond_wait(&o.c, &o.m);
	pthread_mutex_unlock(&o.m);
	/* The lender must be asleep in its wait, as a lender would be. */
	for (int i = 0; i < 1000; i++) {
		char path[64], state[16] = "";
		FILE *f;

		snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", o.tid);
		f = fopen(path, "r");
		if (f && fgets(state, sizeof(state), f) &&
		    strncmp(state, "running", 7)) {
			fclose(f);
			break;
		}
		if (f)
			fclose(f);
		usleep(1000);
	}
	CHECK_EQ(dma_map_single(r.dev, o.buf, 64, DMA_TO_DEVICE),
		 DMA_MAPPING_ERROR);
	ONLY(DK_CHK_MAP_STACK, "device driver maps memory from stack");
	CHECK_EQ(dk_dma_buffer_is_safe(o.buf, 64, r.dev), DK_DMA_UNSAFE_STACK);
	pthread_mutex_lock(&o.m);
	o.done = true;
	pthread_cond_signal(&o.c);
	pthread_mutex_unlock(&o.m);
	pthread_join(t, NULL);
	done(&r);
}

/* Two devices own one buffer; one lets go: the other still owns it. */
TEST(debug_poison_stays_while_another_mapping_owns)
{
	struct rig r = rig();
	u8 *buf = kmalloc(256, GFP_KERNEL);
	dma_addr_t a = map(r.dev, buf, 256, DMA_FROM_DEVICE);
	dma_addr_t b = map(r.dev2, buf, 256, DMA_FROM_DEVICE);

	CHECK_EQ(dk_dma_debug_count(DK_CHK_CACHELINE_OVERLAP), 1);
	dma_unmap_single(r.dev, a, 256, DMA_FROM_DEVICE);
#ifdef TEST_ASAN
	CHECK(__asan_address_is_poisoned(buf + 100));
#endif
	dma_unmap_single(r.dev2, b, 256, DMA_FROM_DEVICE);
#ifdef TEST_ASAN
	CHECK(!__asan_address_is_poisoned(buf + 100));
#endif
	CHECK_EQ(dk_dma_debug_nfindings(), 1);
	done(&r);
}
