// SPDX-License-Identifier: MIT
/*
 * The tracer: a small scripted run (map FROM_DEVICE, a CPU store into the
 * device's buffer, a device write under the adversarial policy, unmap)
 * must come out as exactly these columns, with each line's state before
 * and after the write-back, and the SVG must draw them where they are.
 */
#include <errno.h>
#include <stdlib.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>

#include "../src/trace/trace.h"
#include "harness.h"
#include "testsoc.h"

struct rig {
	struct testmachine t;
	struct device *dev;
	struct dk_simdev *hw;
	FILE *sink;
};

static struct rig rig(int policy)
{
	struct dk_soc_opts so = testsoc_policy(policy, 1, 50);
	struct rig r = { .t = testmachine_boot(NULL, &so, NULL) };

	r.dev = dk_machine_find_device(r.t.m, "master@10010000");
	r.hw = dk_soc_find_dev(r.t.soc, "master@10010000");
	r.sink = testdebug_start();
	dma_set_mask_and_coherent(r.dev, DMA_BIT_MASK(64));
	return r;
}

static void done(struct rig *r)
{
	dk_trace_clear();
	testmachine_shutdown(&r->t);
	testdebug_end(r->sink);
}

/* map, store into line 1, device writes all 4 lines, unmap. */
static void scripted(struct rig *r, phys_addr_t *pa)
{
	u8 *buf = kmalloc(256, GFP_KERNEL), pkt[256], b;
	dma_addr_t h;

	memset(pkt, 0xd7, sizeof(pkt));
	CHECK_EQ(dk_trace_begin(r->t.m, "scripted"), 0);
	h = dma_map_single(r->dev, buf, 256, DMA_FROM_DEVICE);
	CHECK(!dma_mapping_error(r->dev, h));
	CHECK_EQ(dk_sim_virt_to_phys(r->t.soc, buf, pa), 0);
	/* The bug: a store into a line the device owns (past the
	 * sanitizer's poisoning, which would stop it first). */
	dk_sim_peek(&b, buf + 64, 1);
	b ^= 0x5a;
	dk_sim_poke(buf + 64, &b, 1);
	CHECK_EQ(dk_dev_dma_write(r->hw, h, pkt, sizeof(pkt)), 0);
	dma_unmap_single(r->dev, h, 256, DMA_FROM_DEVICE);
	dk_trace_end();
	kfree(buf);
}

static const enum dk_trace_kind expected[] = {
	DK_TR_MAP, DK_TR_CPU_WRITE, DK_TR_DEV_WRITE, DK_TR_WRITEBACK,
	DK_TR_FINDING, DK_TR_UNMAP,
};

TEST(trace_writeback_over_device_data_in_its_column)
{
	struct rig r = rig(DK_EVICT_ADVERSARIAL);
	const struct dk_trace_panel *p;
	phys_addr_t pa = 0;
	u32 c, row;

	scripted(&r, &pa);
	dk_trace_lock();
	p = dk_trace_panel(0);
	CHECK(p != NULL);
	if (!p) {
		dk_trace_unlock();
		done(&r);
		return;
	}
	CHECK_EQ(p->nrows, 4);
	CHECK_EQ(p->ncols, DK_ARRAY_SIZE(expected));
	for (c = 0; c < p->ncols && c < DK_ARRAY_SIZE(expected); c++) {
		CHECK_EQ(p->cols[c].kind, expected[c]);
		/* The store found late still comes first in order. */
		CHECK_EQ(p->cols[c].seq, c);
	}
	for (row = 0; row < 4; row++)
		CHECK_EQ(p->rows[row], pa + row * 64);
	for (row = 0; row < 4; row++) {
		bool stored = row == 1;

		/* Mapped: the device owns all four lines, clean. */
		CHECK_EQ(dk_trace_cell(p, 0, row), DK_TS_DEVICE);
		CHECK_EQ(dk_trace_mark(p, 0, row), DK_TM_HIT);
		/* The store: line 1 dirty in the device's buffer. */
		CHECK_EQ(dk_trace_cell(p, 1, row),
			 stored ? DK_TS_CPU_DIRTY | DK_TS_DEVOWN : DK_TS_DEVICE);
		CHECK_EQ(dk_trace_mark(p, 1, row), stored ? DK_TM_HIT : 0);
		/* The device wrote DRAM; under line 1 a dirty line waits. */
		CHECK_EQ(dk_trace_cell(p, 2, row),
			 stored ? DK_TS_CONFLICT : DK_TS_DEV_WROTE);
		CHECK_EQ(dk_trace_mark(p, 2, row), DK_TM_HIT);
		/* The write-back of line 1 over the packet. */
		CHECK_EQ(dk_trace_cell(p, 3, row),
			 stored ? DK_TS_DEVICE : DK_TS_DEV_WROTE);
		CHECK_EQ(dk_trace_mark(p, 3, row),
			 stored ? DK_TM_HIT | DK_TM_WB_OVER_DEVICE : 0);
		/* Unmapped: invalidated, the CPU's again. */
		CHECK_EQ(dk_trace_cell(p, 5, row), DK_TS_CPU_CLEAN);
	}
	CHECK(strstr(p->cols[4].text, "checker: cpu-wrote-device-owned: ") ==
	      p->cols[4].text);
	dk_trace_unlock();
	done(&r);
}

TEST(trace_policy_never_keeps_the_store_dirty_over_the_device_data)
{
	static const enum dk_trace_kind never[] = {
		DK_TR_MAP, DK_TR_CPU_WRITE, DK_TR_DEV_WRITE, DK_TR_FINDING,
		DK_TR_UNMAP,
	};
	struct rig r = rig(DK_EVICT_NEVER);
	const struct dk_trace_panel *p;
	phys_addr_t pa = 0;
	u32 c;

	scripted(&r, &pa);
	dk_trace_lock();
	p = dk_trace_panel(0);
	CHECK(p && p->ncols == DK_ARRAY_SIZE(never));
	for (c = 0; p && c < p->ncols && c < DK_ARRAY_SIZE(never); c++)
		CHECK_EQ(p->cols[c].kind, never[c]);
	if (p && p->ncols == DK_ARRAY_SIZE(never)) {
		CHECK_EQ(dk_trace_cell(p, 2, 1), DK_TS_CONFLICT);
		/* The unmap's invalidate found the line dirty: the checker
		 * said so, and the CPU's store is gone. */
		CHECK(strstr(p->cols[3].text, "cpu-wrote-device-owned"));
		CHECK_EQ(dk_trace_cell(p, 4, 1), DK_TS_CPU_CLEAN);
	}
	dk_trace_unlock();
	done(&r);
}

/* What @write puts out, as a string to free(). */
static char *text_of(int (*write)(FILE *))
{
	char *s = NULL;
	size_t len;
	FILE *f = open_memstream(&s, &len);

	CHECK(f != NULL);
	if (!f)
		return NULL;
	CHECK_EQ(write(f), 0);
	fclose(f);
	return s;
}

TEST(trace_svg_draws_each_cell_in_its_row_and_column)
{
	struct rig r = rig(DK_EVICT_ADVERSARIAL);
	phys_addr_t pa = 0;
	char want[256], *s;

	scripted(&r, &pa);
	s = text_of(dk_trace_write_svg);
	if (s) {
		CHECK(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
		CHECK(!strstr(s, "<script"));
		/* Display rows: line 0, line 1, lines 2-3 merged (x2). */
		snprintf(want, sizeof(want),
			 "data-row=\"1\" data-pa=\"0x%llx\" data-lines=\"1\"",
			 (unsigned long long)pa + 64);
		CHECK(strstr(s, want));
		snprintf(want, sizeof(want),
			 "data-row=\"2\" data-pa=\"0x%llx\" data-lines=\"2\"",
			 (unsigned long long)pa + 128);
		CHECK(strstr(s, want));
		CHECK(strstr(s, "<g class=\"event\" data-col=\"3\" data-kind=\"writeback\""));
		CHECK(strstr(s, "data-row=\"1\" data-col=\"2\" data-state=\"dirty-over-device-data\""));
		CHECK(strstr(s, "data-row=\"1\" data-col=\"3\" data-state=\"device-owned\""));
		CHECK(strstr(s, "data-row=\"1\" data-col=\"3\" data-mark=\"written-back-over-device-data\""));
		CHECK(strstr(s, "data-row=\"2\" data-col=\"3\" data-state=\"device-wrote-dram\""));
		CHECK(!strstr(s, "data-row=\"0\" data-col=\"3\" data-mark="));
		/* The cells' x: the grid's left edge plus 18 per column. */
		CHECK(strstr(s, "data-row=\"1\" data-col=\"3\" data-state=\"device-owned\" x=\"244\""));
	}
	free(s);
	done(&r);
}

TEST(trace_json_has_a_track_per_line_and_an_event_per_column)
{
	struct rig r = rig(DK_EVICT_ADVERSARIAL);
	phys_addr_t pa = 0;
	char *s, want[200];

	scripted(&r, &pa);
	s = text_of(dk_trace_write_json);
	if (!s) {
		done(&r);
		return;
	}
	CHECK(strncmp(s, "{\"displayTimeUnit\"", 18) == 0);
	CHECK(strstr(s, "\"traceEvents\":["));
	snprintf(want, sizeof(want),
		 "\"name\":\"dirty-over-device-data\",\"args\":{\"line\":\"0x%llx\",\"from_event\":2}",
		 (unsigned long long)pa + 64);
	CHECK(strstr(s, want));
	CHECK(strstr(s, "{\"ph\":\"X\",\"pid\":1,\"tid\":4,\"ts\":30,\"dur\":10,\"cat\":\"writeback\""));
	CHECK(strstr(s, "\"cat\":\"data-lost\",\"name\":\"written-back-over-device-data\""));
	free(s);
	done(&r);
}

TEST(trace_off_records_nothing_and_refuses_twice)
{
	struct rig r = rig(DK_EVICT_ADVERSARIAL);
	u8 *buf = kmalloc(64, GFP_KERNEL);
	dma_addr_t h = dma_map_single(r.dev, buf, 64, DMA_TO_DEVICE);

	dma_unmap_single(r.dev, h, 64, DMA_TO_DEVICE);
	dk_trace_lock();
	CHECK_EQ(dk_trace_npanels(), 0);
	dk_trace_unlock();
	CHECK_EQ(dk_trace_write("/tmp/never-written.svg"), -ENODATA);
	kfree(buf);
	CHECK_EQ(dk_trace_begin(r.t.m, "a"), 0);
	CHECK_EQ(dk_trace_begin(r.t.m, "b"), -EBUSY);
	CHECK(err_is("dk_trace_begin: panel \"a\" is recording"));
	dk_trace_end();
	done(&r);
}

struct fills {
	int fills, writes;
};

static void count(void *arg, const struct dk_dma_event *ev)
{
	struct fills *f = arg;

	f->fills += ev->type == DK_EV_FILL;
	f->writes += ev->type == DK_EV_DEVICE_WRITE;
}

/* Two device writes: before the second, the cache refills the stale lines. */
static void write_twice(struct rig *r, struct fills *f, bool observe)
{
	const struct dk_platform_ops *o = r->t.pl.ops;
	u8 *buf = kmalloc(128, GFP_KERNEL), pkt[128];
	dma_addr_t h = dma_map_single(r->dev, buf, 128, DMA_FROM_DEVICE);

	CHECK(!dma_mapping_error(r->dev, h));
	o->set_dma_observer(r->t.pl.ctx, count, f);
	o->observe_fills(r->t.pl.ctx, observe);
	memset(pkt, 1, sizeof(pkt));
	CHECK_EQ(dk_dev_dma_write(r->hw, h, pkt, sizeof(pkt)), 0);
	memset(pkt, 2, sizeof(pkt));
	CHECK_EQ(dk_dev_dma_write(r->hw, h, pkt, sizeof(pkt)), 0);
	o->observe_fills(r->t.pl.ctx, false);
	o->set_dma_observer(r->t.pl.ctx, NULL, NULL);
	dma_unmap_single(r->dev, h, 128, DMA_FROM_DEVICE);
	kfree(buf);
}

TEST(trace_speculative_fills_are_heard_only_when_asked)
{
	struct rig r = rig(DK_EVICT_ADVERSARIAL);
	struct fills quiet = { 0 }, heard = { 0 };

	write_twice(&r, &quiet, false);
	write_twice(&r, &heard, true);
	CHECK_EQ(quiet.writes, 2);
	CHECK_EQ(quiet.fills, 0);
	CHECK_EQ(heard.writes, 2);
	/* One run of two lines, before the second write only. */
	CHECK_EQ(heard.fills, 1);
	done(&r);
}

TEST(trace_draws_the_fill_before_the_second_write)
{
	static const enum dk_trace_kind want[] = {
		DK_TR_MAP, DK_TR_DEV_WRITE, DK_TR_DEV_WRITE, DK_TR_FILL,
		DK_TR_UNMAP,
	};
	struct rig r = rig(DK_EVICT_ADVERSARIAL);
	u8 *buf = kmalloc(128, GFP_KERNEL), pkt[128];
	const struct dk_trace_panel *p;
	dma_addr_t h;
	u32 c;

	CHECK_EQ(dk_trace_begin(r.t.m, "fills"), 0);
	h = dma_map_single(r.dev, buf, 128, DMA_FROM_DEVICE);
	CHECK(!dma_mapping_error(r.dev, h));
	memset(pkt, 1, sizeof(pkt));
	CHECK_EQ(dk_dev_dma_write(r.hw, h, pkt, sizeof(pkt)), 0);
	memset(pkt, 2, sizeof(pkt));
	CHECK_EQ(dk_dev_dma_write(r.hw, h, pkt, sizeof(pkt)), 0);
	dma_unmap_single(r.dev, h, 128, DMA_FROM_DEVICE);
	dk_trace_end();
	kfree(buf);
	dk_trace_lock();
	p = dk_trace_panel(0);
	CHECK(p && p->ncols == DK_ARRAY_SIZE(want));
	for (c = 0; p && c < p->ncols && c < DK_ARRAY_SIZE(want); c++)
		CHECK_EQ(p->cols[c].kind, want[c]);
	if (p && p->ncols == DK_ARRAY_SIZE(want)) {
		CHECK_EQ(dk_trace_cell(p, 1, 0), DK_TS_DEV_WROTE);
		CHECK_EQ(dk_trace_mark(p, 3, 0), DK_TM_HIT);
		CHECK_EQ(dk_trace_mark(p, 3, 1), DK_TM_HIT);
		CHECK_EQ(dk_trace_cell(p, 4, 0), DK_TS_CPU_CLEAN);
	}
	dk_trace_unlock();
	done(&r);
}
