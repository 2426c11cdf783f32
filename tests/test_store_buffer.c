// SPDX-License-Identifier: MIT
/*
 * The store buffer in front of the cache, where it differs from the one
 * in front of bufferable memory (test_write_buffer.c runs the rules they
 * share over both): a snoop of a partly stored line, a write-allocated
 * device write, the property, and which pages are behind the buffer.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/io.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/trustzone.h>

#include "harness.h"
#include "testsoc.h"

#define TREE(knob)							\
	"/dts-v1/;\n"							\
	"/ {\n"								\
	"	#address-cells = <2>; #size-cells = <2>;\n"		\
	"	dmakit { eviction-policy = \"adversarial\"; " knob " };\n" \
	"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n" \
	"	soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n" \
	"		coh { compatible = \"dmakit,generic-master\"; dma-coherent; };\n" \
	"		wa { compatible = \"dmakit,generic-master\"; dma-coherent; dmakit,write-allocate; };\n" \
	"		nc { compatible = \"dmakit,generic-master\"; };\n"	\
	"	};\n"							\
	"};\n"

static const char buffered[] = TREE("cacheable-store-buffer;");
static const char in_order[] = TREE("");

TEST(sbuf_a_partly_stored_line_gives_the_cache_as_of_the_barrier)
{
	struct testrig r =
		testrig_boot(buffered, DK_EVICT_ADVERSARIAL, -1, "coh");
	dma_addr_t h;
	u8 *p = dma_alloc_coherent(r.dev, 4096, &h, GFP_KERNEL), got[64];
	u8 want[64];

	memset(p + 64, 0x11, 64);
	wmb();
	memset(p + 64 + 16, 0x22, 16);
	p[200] = 0x33;				/* a line further on */
	CHECK_EQ(dk_dev_dma_read(r.sd, h + 64 + 8, got, 48), 0);
	CHECK(bytes_are(got, 0x11, 48));
	CHECK_EQ(dk_dev_dma_read(r.sd, h + 192, got, 64), 0);
	CHECK(bytes_are(got, 0, 64));
	CHECK_EQ(dk_dma_debug_count(DK_CHK_DEVICE_READ_BUFFERED), 2);
	mb();
	CHECK_EQ(dk_dev_dma_read(r.sd, h + 64, got, 64), 0);
	memset(want, 0x11, 64);
	memset(want + 16, 0x22, 16);
	CHECK_MEM(got, want, 64);
	CHECK_EQ(dk_dev_dma_read(r.sd, h + 200, got, 1), 0);
	CHECK_EQ(got[0], 0x33);
	CHECK_EQ(dk_dma_debug_nfindings(), 2);
	dma_free_coherent(r.dev, 4096, p, h);
	testrig_done(&r);
}

TEST(sbuf_without_the_property_snoops_see_every_store)
{
	struct testrig r =
		testrig_boot(in_order, DK_EVICT_ADVERSARIAL, -1, "coh");
	dma_addr_t h;
	u8 *p = dma_alloc_coherent(r.dev, 4096, &h, GFP_KERNEL), got[64];

	memset(p, 0x42, 64);
	CHECK_EQ(dk_dev_dma_read(r.sd, h, got, 64), 0);
	CHECK(bytes_are(got, 0x42, 64));
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	/* Nothing to register: a no-op that still checks its range. */
	CHECK_EQ(dk_sim_store_buffer(r.t.soc, 0x80000000, 4096, true), 0);
	CHECK_EQ(dk_sim_store_buffer(r.t.soc, 0x80000000, 100, true),
		 -EINVAL);
	CHECK(err_is("dk_sim_store_buffer: 0x80000000 + 0x64 is not whole pages of one RAM bank"));
	dma_free_coherent(r.dev, 4096, p, h);
	testrig_done(&r);
}

/* A write-allocate master's write lands in the CPU's cache, where the
 * CPU's stores wait to go: the device's bytes are never pending. */
TEST(sbuf_a_write_allocated_device_write_is_not_pending)
{
	struct testrig r =
		testrig_boot(buffered, DK_EVICT_ADVERSARIAL, -1, "wa");
	dma_addr_t h;
	u8 *p = dma_alloc_coherent(r.dev, 4096, &h, GFP_KERNEL), got[64];
	u8 in[32], want[64];

	memset(in, 0x77, 32);
	memset(p, 0x11, 64);
	CHECK_EQ(dk_dev_dma_write(r.sd, h + 16, in, 32), 0);
	memset(want, 0x11, 64);
	memset(want + 16, 0x77, 32);
	CHECK_MEM(p, want, 64);
	CHECK_EQ(dk_dev_dma_read(r.sd, h, got, 64), 0);
	memset(want, 0, 64);
	memset(want + 16, 0x77, 32);
	CHECK_MEM(got, want, 64);
	CHECK_EQ(dk_dma_debug_count(DK_CHK_DEVICE_READ_BUFFERED), 1);
	dma_wmb();
	CHECK_EQ(dk_dev_dma_read(r.sd, h, got, 64), 0);
	CHECK_MEM(got, p, 64);
	CHECK_EQ(dk_dma_debug_nfindings(), 1);
	dma_free_coherent(r.dev, 4096, p, h);
	testrig_done(&r);
}

TEST(sbuf_pages_leave_the_buffer_with_their_allocation)
{
	struct testrig r =
		testrig_boot(buffered, DK_EVICT_ADVERSARIAL, -1, "coh");
	struct device *nc = dk_machine_find_device(r.t.m, "nc");
	dma_addr_t h, h2;
	u8 *p = dma_alloc_coherent(r.dev, 4096, &h, GFP_KERNEL), got[64];
	u8 *q;

	memset(p, 0x42, 64);
	dma_free_coherent(r.dev, 4096, p, h);
	/* The same page for a non-coherent device: its stores reach
	 * memory through the uncached alias, strongly ordered here. */
	q = dma_alloc_coherent(nc, 4096, &h2, GFP_KERNEL);
	CHECK_EQ(h2, h);
	memset(q, 0x24, 64);
	CHECK_EQ(dk_dev_dma_read(dk_soc_find_dev(r.t.soc, "nc"), h2, got, 64),
		 0);
	CHECK(bytes_are(got, 0x24, 64));
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	dma_free_coherent(nc, 4096, q, h2);
	/* Registrations nest, and a page is out with its last one. */
	CHECK_EQ(dk_sim_store_buffer(r.t.soc, h, 4096, true), 0);
	CHECK_EQ(dk_sim_store_buffer(r.t.soc, h, 8192, true), 0);
	CHECK_EQ(dk_sim_store_buffer(r.t.soc, h, 4096, false), 0);
	CHECK_EQ(dk_cpu_write(r.t.soc, h, "\x5a", 1), 0);
	CHECK_EQ(dk_dev_dma_read(r.sd, h, got, 1), 0);
	CHECK_EQ(got[0], 0x24);
	CHECK_EQ(dk_sim_store_buffer(r.t.soc, h, 8192, false), 0);
	CHECK_EQ(dk_dev_dma_read(r.sd, h, got, 1), 0);
	CHECK_EQ(got[0], 0x5a);
	CHECK_EQ(dk_dma_debug_count(DK_CHK_DEVICE_READ_BUFFERED), 1);
	CHECK_EQ(dk_sim_store_buffer(NULL, h, 4096, true), -EINVAL);
	testrig_done(&r);
}

TEST(sbuf_the_property_takes_no_value)
{
	struct dk_soc *soc = NULL;

	CHECK_EQ(testsoc_try(TREE("cacheable-store-buffer = <1>;"), NULL,
			     &soc), -EINVAL);
	CHECK(err_is("node /dmakit: property \"cacheable-store-buffer\": takes no value, has 4 bytes"));
	CHECK(soc == NULL);
}
