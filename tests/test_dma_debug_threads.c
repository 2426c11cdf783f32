// SPDX-License-Identifier: MIT
/*
 * The checker's indexes with many live mappings, and with two threads
 * driving two devices at once (the ThreadSanitizer stage of make check
 * runs the tests named threads_*).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/sim_device.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

struct rig {
	struct testmachine t;
	struct device *dev[2];
	struct dk_simdev *sdev[2];
	FILE *sink;
};

static const char *const names[2] = { "master@10010000",
				      "master32@10020000" };

static struct rig rig(void)
{
	struct rig r = { .t = testmachine_boot(NULL, NULL, NULL) };
	int i;

	for (i = 0; i < 2; i++) {
		r.dev[i] = dk_machine_find_device(r.t.m, names[i]);
		r.sdev[i] = dk_soc_find_dev(r.t.soc, names[i]);
	}
	r.sink = testdebug_start();
	return r;
}

static void done(struct rig *r)
{
	testmachine_shutdown(&r->t);
	testdebug_end(r->sink);
}

#define NMAP 3000
#define SLOT 128

/*
 * Thousands of live mappings of one device, made in shuffled order, with
 * those of another device in between: every device access, sync and
 * unmap finds its own mapping, and each mistake is found exactly once.
 */
TEST(debug_index_thousands_of_mappings)
{
	struct rig r = rig();
	u8 *buf = kmalloc(NMAP * SLOT, GFP_KERNEL), pkt[64];
	u8 *other = kmalloc(NMAP * SLOT, GFP_KERNEL);
	static dma_addr_t h[NMAP], ho[NMAP];
	static int order[NMAP];
	struct dk_dma_debug_stats st;
	const struct dk_dma_finding *f;
	unsigned int seed = 1;
	char want[160];
	int i, j, t;

	for (i = 0; i < NMAP; i++)
		order[i] = i;
	for (i = NMAP - 1; i > 0; i--) {
		j = rand_r(&seed) % (i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < NMAP; i++) {
		int k = order[i];

		h[k] = dma_map_single(r.dev[0], buf + k * SLOT, SLOT,
				      DMA_FROM_DEVICE);
		dma_mapping_error(r.dev[0], h[k]);
		ho[k] = dma_map_single(r.dev[1], other + k * SLOT, SLOT,
				       DMA_TO_DEVICE);
		dma_mapping_error(r.dev[1], ho[k]);
	}
	dk_dma_debug_stats(&st);
	CHECK_EQ(st.live_entries, 2 * NMAP);
	for (i = 0; i < NMAP; i += 7) {
		memset(pkt, i, sizeof(pkt));
		CHECK_EQ(dk_dev_dma_write(r.sdev[0], h[i] + 32, pkt, 64), 0);
		dma_sync_single_range_for_cpu(r.dev[0], h[i], 32, 64,
					      DMA_FROM_DEVICE);
		CHECK_MEM(buf + i * SLOT + 32, pkt, 64);
		dma_sync_single_range_for_device(r.dev[0], h[i], 32, 64,
						 DMA_FROM_DEVICE);
		CHECK_EQ(dk_dev_dma_read(r.sdev[1], ho[i], pkt, 64), 0);
	}
	CHECK_EQ(dk_dma_debug_nfindings(), 0);

	/* Past the end of one mapping, into the next: out of range, and the
	 * report names the mapping the sync started in. */
	dma_sync_single_for_cpu(r.dev[0], h[1000] + 64, SLOT, DMA_FROM_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 1);
	f = dk_dma_debug_finding(0);
	CHECK(f && f->check == DK_CHK_SYNC_OUT_OF_RANGE);
	CHECK_EQ(f ? f->dev_addr : 0, h[1000] + 64);
	snprintf(want, sizeof(want),
		 "[device address=0x%016llx] [allocation size=128 bytes] [sync offset+size=192]",
		 (unsigned long long)h[1000]);
	CHECK_STR(f ? f->message : NULL, want);

	/* The other device's mappings do not cover this one's access. */
	dma_unmap_single(r.dev[0], h[2000], SLOT, DMA_FROM_DEVICE);
	dk_dev_dma_write(r.sdev[0], h[2000], pkt, 64);
	CHECK_EQ(dk_dma_debug_nfindings(), 2);
	f = dk_dma_debug_finding(1);
	CHECK(f && f->check == DK_CHK_DEVICE_UNMAPPED_ACCESS);
	dk_dev_dma_read(r.sdev[0], ho[5], pkt, 64);
	CHECK_EQ(dk_dma_debug_nfindings(), 3);

	for (i = 0; i < NMAP; i++) {
		int k = order[NMAP - 1 - i];

		if (k != 2000)
			dma_unmap_single(r.dev[0], h[k], SLOT, DMA_FROM_DEVICE);
		dma_unmap_single(r.dev[1], ho[k], SLOT, DMA_TO_DEVICE);
	}
	CHECK_EQ(dk_dma_debug_nfindings(), 3);
	dk_dma_debug_stats(&st);
	CHECK_EQ(st.live_entries, 0);
	kfree(buf);
	kfree(other);
	done(&r);
}

#define ITER 150
#define LEN 512

struct worker {
	struct device *dev;
	struct dk_simdev *sdev;
	u8 tag;
	int bad_bytes, failed_calls;
};

static void fill(u8 *p, u8 tag, int round, int salt)
{
	int i;

	for (i = 0; i < LEN; i++)
		p[i] = (u8)(tag * 31 + round * 7 + salt * 3 + i);
}

/* One driver's life: send a buffer, receive one, synced in halves. */
static void *work(void *arg)
{
	struct worker *w = arg;
	u8 want[LEN], got[LEN];
	int n;

	for (n = 0; n < ITER; n++) {
		u8 *buf = kmalloc(LEN, GFP_KERNEL);
		dma_addr_t h;

		if (!buf) {
			w->failed_calls++;
			continue;
		}
		fill(buf, w->tag, n, 0);
		h = dma_map_single(w->dev, buf, LEN, DMA_TO_DEVICE);
		if (dma_mapping_error(w->dev, h)) {
			w->failed_calls++;
			kfree(buf);
			continue;
		}
		w->failed_calls += dk_dev_dma_read(w->sdev, h, got, LEN) != 0;
		fill(want, w->tag, n, 0);
		w->bad_bytes += memcmp(got, want, LEN) != 0;
		dma_unmap_single(w->dev, h, LEN, DMA_TO_DEVICE);

		h = dma_map_single(w->dev, buf, LEN, DMA_FROM_DEVICE);
		if (dma_mapping_error(w->dev, h)) {
			w->failed_calls++;
			kfree(buf);
			continue;
		}
		fill(want, w->tag, n, 1);
		w->failed_calls += dk_dev_dma_write(w->sdev, h, want, LEN) != 0;
		dma_sync_single_for_cpu(w->dev, h, LEN, DMA_FROM_DEVICE);
		w->bad_bytes += memcmp(buf, want, LEN) != 0;
		dma_sync_single_for_device(w->dev, h, LEN, DMA_FROM_DEVICE);
		fill(want, w->tag, n, 2);
		w->failed_calls += dk_dev_dma_write(w->sdev, h + LEN / 2,
						    want + LEN / 2,
						    LEN / 2) != 0;
		dma_unmap_single(w->dev, h, LEN, DMA_FROM_DEVICE);
		w->bad_bytes += memcmp(buf + LEN / 2, want + LEN / 2,
				       LEN / 2) != 0;
		kfree(buf);
	}
	return NULL;
}

/*
 * Two workers at once, the second on device @second (1: each its own
 * device; 0: both on the first), the checker on or off: every byte
 * arrives, and a checker finds nothing and keeps no entry.
 */
static void two_workers(int second, bool checked)
{
	struct rig r = rig();
	struct worker w[2];
	struct dk_dma_debug_stats st;
	pthread_t tid[2];
	int i, d;

	if (!checked)
		dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	for (i = 0; i < 2; i++) {
		d = i ? second : 0;
		w[i] = (struct worker){ r.dev[d], r.sdev[d], (u8)(i + 1), 0, 0 };
		CHECK_EQ(pthread_create(&tid[i], NULL, work, &w[i]), 0);
	}
	for (i = 0; i < 2; i++) {
		pthread_join(tid[i], NULL);
		CHECK_EQ(w[i].bad_bytes, 0);
		CHECK_EQ(w[i].failed_calls, 0);
	}
	if (checked) {
		CHECK_EQ(dk_dma_debug_nfindings(), 0);
		dk_dma_debug_stats(&st);
		CHECK_EQ(st.live_entries, 0);
	}
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	done(&r);
}

/*
 * Two threads, each the driver of its own device, map, sync and unmap
 * with the checker on while their devices move data.
 */
TEST(threads_two_devices_checked_map_sync_unmap)
{
	two_workers(1, true);
}

/*
 * The same with the checker off: the maps and unmaps take the front
 * end's own direct path on both threads at once (the TSan stage runs
 * this), and every byte still arrives.
 */
TEST(threads_two_devices_unchecked_map_sync_unmap)
{
	two_workers(1, false);
}

/*
 * Two threads drive one device: each keeps its mappings in its own lane
 * of the checker's table (the TSan stage runs this: a lane shared
 * without its lock would be a race).
 */
TEST(threads_one_device_checked_map_sync_unmap)
{
	two_workers(0, true);
}

struct mapper {
	struct device *dev;
	u8 *buf[2];
	dma_addr_t h[2];
};

/* A thread that maps for a device and leaves the rest to another: the
 * first buffer TO_DEVICE, checked; the second FROM_DEVICE, unchecked. */
static void *map_two(void *arg)
{
	struct mapper *p = arg;

	p->h[0] = dma_map_single(p->dev, p->buf[0], 128, DMA_TO_DEVICE);
	if (dma_mapping_error(p->dev, p->h[0]))
		p->h[0] = 0;
	p->h[1] = dma_map_single(p->dev, p->buf[1], 128, DMA_FROM_DEVICE);
	return NULL;
}

static int cmp_dma(const void *a, const void *b)
{
	dma_addr_t x = *(const dma_addr_t *)a, y = *(const dma_addr_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Mappings two threads made for one device, in their own lanes, as a
 * third thread finds them: its sync and unmaps reach them, its mistakes
 * are reported against them exactly, and the dump lists every live
 * mapping in order of device address, whichever lane holds it.
 */
TEST(threads_one_device_mappings_of_other_threads)
{
	struct rig r = rig();
	struct mapper p[2];
	u8 *b[5];
	dma_addr_t mine, all[5];
	pthread_t tid[2];
	char *text = NULL, want[1024] = "", line[160];
	size_t n = 0, off = 0;
	FILE *f;
	int i, k;

	/* Interleaved: a lane's walk alone would list them out of order. */
	for (i = 0; i < 5; i++) {
		b[i] = kmalloc(128, GFP_KERNEL);
		CHECK(b[i] != NULL);
	}
	for (i = 0; i < 2; i++) {
		p[i].dev = r.dev[0];
		p[i].buf[0] = b[i];
		p[i].buf[1] = b[i + 2];
	}
	/* One after the other: consecutive threads get different lanes. */
	for (i = 0; i < 2; i++) {
		CHECK_EQ(pthread_create(&tid[i], NULL, map_two, &p[i]), 0);
		pthread_join(tid[i], NULL);
		CHECK(p[i].h[0] != 0);
	}
	mine = dma_map_single(r.dev[0], b[4], 128, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(r.dev[0], mine));

	/* The dump: five mappings of three threads, by address. */
	for (i = 0, k = 0; i < 2; i++) {
		all[k++] = p[i].h[0];
		all[k++] = p[i].h[1];
	}
	all[k++] = mine;
	qsort(all, 5, sizeof(all[0]), cmp_dma);
	for (i = 0; i < 5; i++) {
		bool from = all[i] == p[0].h[1] || all[i] == p[1].h[1];

		snprintf(line, sizeof(line),
			 "(no driver) %s: [device address=0x%016llx] [size=128 bytes] [single] [%s]\n",
			 dev_name(r.dev[0]), (unsigned long long)all[i],
			 from ? "DMA_FROM_DEVICE" : "DMA_TO_DEVICE");
		off += snprintf(want + off, sizeof(want) - off, "%s", line);
	}
	f = open_memstream(&text, &n);
	CHECK(f != NULL);
	dk_dma_debug_dump(r.dev[0], f);
	fclose(f);
	CHECK_STR(text, want);
	free(text);

	/* A sync of the other thread's FROM_DEVICE mapping: nothing wrong. */
	dma_sync_single_for_cpu(r.dev[0], p[0].h[1], 128, DMA_FROM_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	/* Unmapped with the wrong direction: one finding, of that mapping. */
	dma_unmap_single(r.dev[0], p[0].h[1], 128, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_count(DK_CHK_FREE_DIR), 1);
	CHECK_EQ(dk_dma_debug_finding(0)->dev_addr, p[0].h[1]);
	/* Its map error was never checked, nor that of the other thread's
	 * FROM_DEVICE mapping, checked here now. */
	CHECK_EQ(dk_dma_debug_count(DK_CHK_MAP_ERR_UNCHECKED), 1);
	CHECK(!dma_mapping_error(r.dev[0], p[1].h[1]));
	for (i = 0; i < 2; i++)
		dma_unmap_single(r.dev[0], p[i].h[0], 128, DMA_TO_DEVICE);
	dma_unmap_single(r.dev[0], p[1].h[1], 128, DMA_FROM_DEVICE);
	dma_unmap_single(r.dev[0], mine, 128, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 2);
	/* Nothing of the five is left in any lane. */
	dma_unmap_single(r.dev[0], mine, 128, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_count(DK_CHK_FREE_NOT_ALLOCATED), 1);
	for (i = 0; i < 5; i++)
		kfree(b[i]);
	done(&r);
}
