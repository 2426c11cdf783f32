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
 * clean, kmalloc aligns to 8 bytes and keeps its bookkeeping in the
 * memory (a header before each object, as barebox's malloc does), and
 * there is no swiotlb to bounce small buffers (Linux's way out on
 * arm64). A 20-byte receive buffer is mapped; the TFTP client then
 * allocates its state, whose header lands in the buffer's last line; the
 * invalidate after the receive throws that header away, and freeing the
 * state later finds the allocator's bookkeeping corrupted. The fix,
 * kmalloc as memalign(DMA_ALIGNMENT), gives every object (and the header
 * before it) lines of their own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/error.h>

#include "story.h"

#define NIC "master@10010000"
#define LEN 20			/* a short reply */
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
	o->kmalloc_header = true;
	/* The fix: kmalloc as memalign(DMA_ALIGNMENT), the default. */
	o->kmalloc_minalign = fixed ? 0 : 8;
}

/* A receive buffer that starts its cache line's second object slot: the
 * next object's header then shares the buffer's line. */
static u8 *rx_buffer(u32 line)
{
	u8 *p[NOBJ], *rx = NULL;
	int i;

	for (i = 0; i < NOBJ; i++) {
		p[i] = kmalloc(LEN, GFP_KERNEL);
		if (p[i] && !rx && (virt_to_phys(p[i]) % line < line / 2 ||
				    dk_kmalloc_minalign() >= line))
			rx = p[i];
	}
	for (i = 0; i < NOBJ; i++)
		if (p[i] != rx)
			kfree(p[i]);
	return rx;
}

static int run(struct story_env *env)
{
	struct device *dev = story_dev(env, NIC);
	struct dk_simdev *sd = story_simdev(env, NIC);
	u32 line = dk_soc_cache(env->soc)->line;
	u8 frame[LEN], *rx = rx_buffer(line), *state;
	bool books;
	dma_addr_t h;

	if (!rx)
		return -ENOMEM;
	h = dma_map_single(dev, rx, LEN, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, h)) {
		kfree(rx);
		return -ENOMEM;
	}
	/* While the reply arrives, the TFTP client allocates its state. */
	state = kmalloc(LEN, GFP_KERNEL);
	if (!state)
		return -ENOMEM;
	story_fill(state, LEN, 6);
	story_say(env, "kmalloc aligns to %u bytes: the receive buffer is at 0x%llx, the state's header at 0x%llx: %s",
		  dk_kmalloc_minalign(), (unsigned long long)virt_to_phys(rx),
		  (unsigned long long)virt_to_phys(state) - 8,
		  virt_to_phys(rx) / line == (virt_to_phys(state) - 8) / line ?
			  "the same cache line" : "different cache lines");
	story_fill(frame, LEN, 23);
	if (dk_dev_dma_write(sd, h, frame, LEN))
		return -EIO;
	dma_unmap_single(dev, h, LEN, DMA_FROM_DEVICE);
	books = ksize(state) != 0;
	story_say(env, "after the invalidate: %zu bytes of the reply wrong; the state's allocator header %s",
		  story_diff(rx, LEN, 23), books ? "intact" : "corrupted");
	env->data_ok = story_check(rx, LEN, 23) && books &&
		       story_check(state, LEN, 6);
	snprintf(env->note, sizeof(env->note),
		 "reply: %zu of %d bytes wrong; the next object's allocator bookkeeping %s",
		 story_diff(rx, LEN, 23), LEN,
		 books ? "intact" : "corrupted (kfree refuses it)");
	kfree(state);
	kfree(rx);
	return 0;
}

const struct story story_not_this_tall = {
	.name = "not-this-tall-to-ride",
	.title = "Not this tall to ride (2: kmalloc not DMA-aligned)",
	.from = &story_talk_fatoum,
	.slide = "Not this tall to ride",
	.bug = "receives into a small kmalloc buffer; the next object's allocator header, written meanwhile into the buffer's last line, is thrown away by the edge invalidate (DC IVAC)",
	.fix = "kmalloc aligns every object to ARCH_DMA_MINALIGN (kmalloc as memalign(DMA_ALIGNMENT)): no object shares a line",
	.bug_code =
		"/* kmalloc aligns to 8 bytes: the\n"
		" * next chunk's header shares the\n"
		" * RX buffer's last line */\n"
		"buf = kmalloc(20, GFP_KERNEL);\n",
	.fix_code =
		"/* kmalloc aligns to ARCH_DMA_MINALIGN:\n"
		" * no object shares a cache line */\n"
		"buf = kmalloc(20, GFP_KERNEL);\n",
	.patch_tree = patch,
	.machine_opts = opts,
	.run = run,
};
