// SPDX-License-Identifier: MIT
/*
 * Talk 000, "Not this tall to ride", first half: barebox sends a 129-byte
 * Ethernet frame and the other end sees its last byte wrong most of the
 * time. The cache routine took the end of its range as start + size - 1
 * and stopped before it, so the line that only the frame's last byte lies
 * in was never cleaned: the MAC read that byte from DRAM, whatever was
 * there before (or the right byte, when the line happened to be evicted
 * in time: hence "70 % of cases"). The fix is the one-character patch to
 * the routine; what it exposed next is the second half of the story
 * (not-this-tall-to-ride).
 */
#include <errno.h>
#include <string.h>

#include "story.h"

#define NIC "master@10010000"
#define LEN 129
#define NFRAMES 10

static void opts(struct dk_machine_opts *o, bool fixed)
{
	o->maint_end_minus_one = !fixed;
}

static int run(struct story_env *env)
{
	struct device *dev = story_dev(env, NIC);
	struct dk_simdev *sd = story_simdev(env, NIC);
	u8 *frame = kmalloc(LEN, GFP_KERNEL), wire[LEN];
	int i, bad = 0, last = 0;
	dma_addr_t h;

	if (!frame)
		return -ENOMEM;
	for (i = 0; i < NFRAMES; i++) {
		story_fill(frame, LEN, 40 + i);
		h = dma_map_single(dev, frame, LEN, DMA_TO_DEVICE);
		if (dma_mapping_error(dev, h)) {
			kfree(frame);
			return -ENOMEM;
		}
		/* The MAC fetches the frame and puts it on the wire. */
		if (dk_dev_dma_read(sd, h, wire, LEN)) {
			kfree(frame);
			return -EIO;
		}
		dma_unmap_single(dev, h, LEN, DMA_TO_DEVICE);
		if (!story_check(wire, LEN, 40 + i)) {
			bad++;
			last = story_diff(wire, LEN - 1, 40 + i) ? -1 : 1;
		}
	}
	story_say(env, "%d of %d frames of %d bytes arrived with their last byte wrong%s",
		  bad, NFRAMES, LEN,
		  last < 0 ? " (and other bytes too)" : "");
	env->data_ok = !bad;
	snprintf(env->note, sizeof(env->note),
		 "tcpdump: %d of %d 129-byte frames differ%s", bad, NFRAMES,
		 bad && last > 0 ? " in the last byte only" : "");
	kfree(frame);
	return 0;
}

const struct story story_not_this_tall_off_by_one = {
	.name = "not-this-tall-off-by-one",
	.title = "Not this tall to ride (1: the off-by-one)",
	.from = &story_talk_fatoum,
	.slide = "Not this tall to ride",
	.bug = "the cache routine ends at start + size - 1: a 129-byte frame's last byte, alone in its line, is never cleaned and the MAC sends DRAM's stale byte",
	.fix = "the routine ends at start + size: every line the frame touches is cleaned",
	.bug_code =
		"void dma_flush_range(void *ptr,\n"
		"\t\t     size_t size)\n"
		"{\n"
		"\tunsigned long start = (long)ptr;\n"
		"\tunsigned long end =\n"
		"\t\tstart + size - 1;\n"
		"\tv8_flush_dcache_range(start, end);\n"
		"}\n",
	.fix_code =
		"void dma_flush_range(void *ptr,\n"
		"\t\t     size_t size)\n"
		"{\n"
		"\tunsigned long start = (long)ptr;\n"
		"\tunsigned long end =\n"
		"\t\tstart + size;\n"
		"\tv8_flush_dcache_range(start, end);\n"
		"}\n",
	.machine_opts = opts,
	.run = run,
};
