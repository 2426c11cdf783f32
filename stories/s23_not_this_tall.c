// SPDX-License-Identifier: MIT
/*
 * Talk 000, "Not this tall to ride", second half (the first is
 * not-this-tall-off-by-one): barebox's invalidate routine stopped one
 * byte short, and fixing it so the last partial line is invalidated
 * too broke other things: drivers ported from Linux receive into kmalloc
 * buffers, barebox's kmalloc did not align them to cache lines, and the
 * now complete invalidate (DC IVAC on the edge lines, no clean) threw away
 * what the CPU had just written to the unrelated object sharing the
 * buffer's last line. The fix was not in the cache code: kmalloc became
 * memalign(DMA_ALIGNMENT), so no object shares a line with another.
 *
 * The machine here is barebox's: edge lines are invalidated without a
 * clean, kmalloc aligns to 8 bytes, and there is no swiotlb to bounce
 * small buffers (Linux's way out on arm64). dmakit's kmalloc rounds sizes
 * to powers of two and keeps its bookkeeping outside the objects, so the
 * victim is the neighbouring object's data rather than allocator metadata,
 * and the receive buffer must be smaller than a line to have a neighbour
 * in it: a 28-byte ARP reply next to the TFTP client's state.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/error.h>

#include "story.h"

#define NIC "master@10010000"
#define LEN 28			/* an ARP reply's payload */
#define STATE LEN		/* the TFTP client's state */
#define NOBJ 4

static int patch(void *fdt, size_t cap, bool fixed)
{
	(void)cap;
	(void)fixed;
	/* The cache routine is the corrected one in both variants. */
	return story_set_prop(fdt, "/dmakit", "edge-policy", "invalidate",
			      sizeof("invalidate"));
}

static void opts(struct dk_machine_opts *o, bool fixed)
{
	o->swiotlb_size = -1;
	/* The fix: kmalloc as memalign(DMA_ALIGNMENT), the default. */
	o->kmalloc_minalign = fixed ? 0 : 8;
}

static int run(struct story_env *env)
{
	struct device *dev = story_dev(env, NIC);
	struct dk_simdev *sd = story_simdev(env, NIC);
	u32 line = dk_soc_cache(env->soc)->line;
	u8 frame[LEN], *rx, *state, *obj[NOBJ];
	phys_addr_t rpa, spa;
	dma_addr_t h;
	int i, pick = 0;

	/* Whatever kmalloc handed out before: take two neighbours. */
	for (i = 0; i < NOBJ; i++)
		if (!(obj[i] = kmalloc(LEN, GFP_KERNEL)))
			return -ENOMEM;
	for (i = NOBJ - 2; i >= 0; i--)
		if (virt_to_phys(obj[i]) / line ==
		    virt_to_phys(obj[i + 1]) / line)
			pick = i;
	rx = obj[pick];
	state = obj[pick + 1];
	for (i = 0; i < NOBJ; i++)
		if (i != pick && i != pick + 1)
			kfree(obj[i]);
	rpa = virt_to_phys(rx);
	spa = virt_to_phys(state);
	story_say(env, "kmalloc aligns to %u bytes: the %d-byte receive buffer is at 0x%llx, the TFTP state at 0x%llx: %s",
		  dk_kmalloc_minalign(), LEN, (unsigned long long)rpa,
		  (unsigned long long)spa,
		  rpa / line == spa / line ? "the same cache line" :
					     "different cache lines");
	story_fill(state, STATE, 5);
	h = dma_map_single(dev, rx, LEN, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, h)) {
		/* dmakit's DMA layer may know better than barebox did. */
		story_say(env, "dma_map_single refused the buffer: %s",
			  dk_last_error());
		env->data_ok = false;
		snprintf(env->note, sizeof(env->note),
			 "no reply: the DMA layer refused to map a buffer sharing its line");
		kfree(rx);
		kfree(state);
		return 0;
	}
	/* The CPU goes on with its work while the reply arrives. */
	story_fill(state, STATE, 6);
	story_fill(frame, LEN, 23);
	if (dk_dev_dma_write(sd, h, frame, LEN))
		return -EIO;
	dma_unmap_single(dev, h, LEN, DMA_FROM_DEVICE);
	story_say(env, "after the invalidate: %zu bytes of the reply and %zu bytes of the TFTP state are wrong",
		  story_diff(rx, LEN, 23), story_diff(state, STATE, 6));
	env->data_ok = story_check(rx, LEN, 23) && story_check(state, STATE, 6);
	snprintf(env->note, sizeof(env->note),
		 "reply: %zu of %d bytes wrong; neighbour object: %zu of %d bytes wrong",
		 story_diff(rx, LEN, 23), LEN, story_diff(state, STATE, 6),
		 STATE);
	kfree(rx);
	kfree(state);
	return 0;
}

const struct story story_not_this_tall = {
	.name = "not-this-tall-to-ride",
	.title = "Not this tall to ride (2: kmalloc not DMA-aligned)",
	.from = &story_talk_fatoum,
	.slide = "Not this tall to ride",
	.bug = "receives into a small kmalloc buffer that shares a cache line with another object; invalidating the edge line (DC IVAC) drops the neighbour's new data",
	.fix = "kmalloc aligns every object to ARCH_DMA_MINALIGN (kmalloc as memalign(DMA_ALIGNMENT)): no object shares a line",
	.bug_code =
		"/* kmalloc aligns to 8 bytes: a\n"
		" * 100-byte RX buffer shares its last\n"
		" * line with the next object */\n"
		"buf = kmalloc(100, GFP_KERNEL);\n",
	.fix_code =
		"/* kmalloc aligns to ARCH_DMA_MINALIGN:\n"
		" * no object shares a cache line */\n"
		"buf = kmalloc(100, GFP_KERNEL);\n",
	.patch_tree = patch,
	.machine_opts = opts,
	.run = run,
};
