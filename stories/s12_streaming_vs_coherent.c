// SPDX-License-Identifier: MIT
/*
 * Talk 002, streaming vs coherent mappings: memory the CPU and the device
 * use at the same time (a descriptor ring) belongs in a coherent
 * allocation; a bulk buffer handed over and back belongs in a streaming
 * mapping, and when two devices share it the second mapping may skip the
 * cache work the first already did (DMA_ATTR_SKIP_CPU_SYNC).
 */
#include <errno.h>
#include <string.h>

#include <dmakit/io.h>

#include "story.h"

#define NDESC 8
#define LEN 4096

static int run(struct story_env *env)
{
	struct device *a = story_dev(env, "master@10010000");
	struct device *b = story_dev(env, "master32@10020000");
	struct dk_simdev *sa = story_simdev(env, "master@10010000");
	struct dk_simdev *sb = story_simdev(env, "master32@10020000");
	u8 *data = kmalloc(LEN, GFP_KERNEL), got[LEN];
	u32 *ring, seen[NDESC];
	dma_addr_t ring_dma, ha, hb;
	size_t bad = 0;
	int i;

	if (!data)
		return -ENOMEM;
	if (env->fixed) {
		ring = dma_alloc_coherent(a, NDESC * 4, &ring_dma, GFP_KERNEL);
	} else {
		/* The ring in a streaming mapping, used as if coherent. */
		ring = kzalloc(NDESC * 4, GFP_KERNEL);
		ring_dma = dma_map_single(a, ring, NDESC * 4, DMA_TO_DEVICE);
		if (dma_mapping_error(a, ring_dma))
			return -ENOMEM;
	}
	story_fill(data, LEN, 12);
	ha = dma_map_single(a, data, LEN, DMA_TO_DEVICE);
	hb = dma_map_single_attrs(b, data, LEN, DMA_TO_DEVICE,
				  DMA_ATTR_SKIP_CPU_SYNC);
	if (dma_mapping_error(a, ha) || dma_mapping_error(b, hb))
		return -ENOMEM;
	story_say(env, "the data buffer is mapped for both devices, the second without cache work");
	for (i = 0; i < NDESC; i++) {
		/* The CPU posts descriptor i while the device reads the ring. */
		ring[i] = 0xd0000000u | i;
		/* Out of the write buffer before the polling device looks:
		 * coherent memory is Normal non-cacheable. */
		dma_wmb();
		dk_dev_dma_read(sa, ring_dma + 4 * i, &seen[i], 4);
		bad += seen[i] != (0xd0000000u | i);
	}
	story_say(env, "the device saw %zu of %d descriptors wrong", bad, NDESC);
	dk_dev_dma_read(sa, ha, got, LEN);
	bad += story_diff(got, LEN, 12);
	dk_dev_dma_read(sb, hb, got, LEN);
	bad += story_diff(got, LEN, 12);
	dma_unmap_single_attrs(b, hb, LEN, DMA_TO_DEVICE,
			       DMA_ATTR_SKIP_CPU_SYNC);
	dma_unmap_single(a, ha, LEN, DMA_TO_DEVICE);
	if (env->fixed) {
		dma_free_coherent(a, NDESC * 4, ring, ring_dma);
	} else {
		dma_unmap_single(a, ring_dma, NDESC * 4, DMA_TO_DEVICE);
		kfree(ring);
	}
	kfree(data);
	env->data_ok = !bad;
	snprintf(env->note, sizeof(env->note), "%zu bytes/descriptors wrong", bad);
	return 0;
}

const struct story story_streaming_vs_coherent = {
	.name = "streaming-vs-coherent",
	.title = "Streaming vs coherent, and SKIP_CPU_SYNC",
	.from = &story_talk_pinchart,
	.slide = "DMA Mapping API",
	.bug = "a descriptor ring the CPU updates while the device reads it lives in a streaming mapping",
	.fix = "the ring comes from dma_alloc_coherent; the shared data buffer stays streaming",
	.bug_code =
		"ring = kmalloc(RING_SIZE, GFP_KERNEL);\n"
		"ring_dma = dma_map_single(dev, ring,\n"
		"\tRING_SIZE, DMA_BIDIRECTIONAL);\n"
		"/* the CPU updates entries while the\n"
		" * device owns the mapping */\n",
	.fix_code =
		"ring = dma_alloc_coherent(dev, RING_SIZE,\n"
		"\t&ring_dma, GFP_KERNEL);\n"
		"/* both may touch it at any time;\n"
		" * the data buffer stays streaming */\n",
	.run = run,
};
