// SPDX-License-Identifier: MIT
/*
 * Talk 001, "It is subtle!": kmalloc() vs. devm_kmalloc() (and talk 000's
 * "Linux had similar problems with devm_kmalloc"). A managed allocation
 * used to be one kmalloc object holding the devres node and then the
 * buffer, so the buffer did not start on a cache line and its first line
 * held the node. The driver receives into such a buffer and, while the
 * device owns it, frees an older managed buffer: unlinking that one
 * writes the receive buffer's node. The unmap's clean+invalidate of the
 * shared edge line then writes the CPU's copy of that line, with the
 * buffer's stale first bytes, over what the device wrote. Linux now
 * aligns devres data as kmalloc aligns objects; the fix here is that.
 */
#include <errno.h>
#include <string.h>

#include "story.h"

#define NIC "master@10010000"
#define FW 4096
#define LEN 512

static struct dk_simdev *nic;
static struct device *nic_dev;
static char note[160];
static bool ok;

static void opts(struct dk_machine_opts *o, bool fixed)
{
	o->devm_kmalloc_header = !fixed;
}

static int rx_probe(struct device *dev)
{
	u8 *fw, *rx, frame[LEN];
	dma_addr_t h;

	if (dev != nic_dev)	/* the other generic masters */
		return -ENODEV;
	fw = devm_kmalloc(dev, FW, GFP_KERNEL);
	rx = devm_kmalloc(dev, LEN, GFP_KERNEL);
	if (!fw || !rx)
		return -ENOMEM;
	h = dma_map_single(dev, rx, LEN, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, h))
		return -ENOMEM;
	story_fill(frame, LEN, 90);
	if (dk_dev_dma_write(nic, h, frame, LEN))
		return -EIO;
	/* The firmware is loaded: its buffer can go. */
	devm_kfree(dev, fw);
	dma_unmap_single(dev, h, LEN, DMA_FROM_DEVICE);
	ok = story_check(rx, LEN, 90);
	snprintf(note, sizeof(note),
		 "received %zu of %d bytes wrong; the buffer starts %lu bytes into its cache line",
		 story_diff(rx, LEN, 90), LEN,
		 (unsigned long)(virt_to_phys(rx) % dma_get_cache_alignment()));
	return 0;
}

static const struct of_device_id ids[] = {
	{ .compatible = "dmakit,generic-master" },
	{ }
};

static int run(struct story_env *env)
{
	struct device_driver drv = { .name = "devm-rx", .of_match_table = ids,
				     .probe = rx_probe };
	int r;

	nic = story_simdev(env, NIC);
	nic_dev = story_dev(env, NIC);
	ok = false;
	note[0] = '\0';
	r = driver_register(&drv);
	if (r)
		return r;
	if (!nic_dev->driver) {
		driver_unregister(&drv);
		return -ENODEV;
	}
	driver_unregister(&drv);
	story_say(env, "%s", note);
	env->data_ok = ok;
	snprintf(env->note, sizeof(env->note), "%s", note);
	return 0;
}

const struct story story_devm_kmalloc = {
	.name = "devm-kmalloc-unaligned",
	.title = "kmalloc() vs. devm_kmalloc()",
	.from = &story_talk_sang,
	.slide = "It is subtle!",
	.bug = "receives into a devm_kmalloc buffer that follows its devres node in one object; freeing another managed buffer writes the node while the device owns the line",
	.fix = "devres data aligned like kmalloc objects (Linux today): the buffer owns its cache lines",
	.bug_code =
		"/* devres node, then the buffer:\n"
		" * 32 bytes into its object */\n"
		"rx = devm_kmalloc(dev, 512, GFP_KERNEL);\n"
		"h = dma_map_single(dev, rx, 512,\n"
		"\t\t   DMA_FROM_DEVICE);\n"
		"devm_kfree(dev, fw); /* writes rx's node */\n",
	.fix_code =
		"/* devres data ARCH_DMA_MINALIGN-\n"
		" * aligned: a line of its own */\n"
		"rx = devm_kmalloc(dev, 512, GFP_KERNEL);\n"
		"h = dma_map_single(dev, rx, 512,\n"
		"\t\t   DMA_FROM_DEVICE);\n"
		"devm_kfree(dev, fw);\n",
	.machine_opts = opts,
	.run = run,
};
