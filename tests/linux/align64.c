// SPDX-License-Identifier: MIT
/*
 * A driver built for a SoC class with 64-byte DMA alignment, booted on the
 * 128-byte default SoC: registering warns at probe. Its DMA-safe members
 * use talk 001's names; the layout they give is asserted at compile time.
 * Only <linux/...> includes.
 */
#define ARCH_DMA_MINALIGN 64

#include <linux/cache.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/stddef.h>

#include "align64.h"

struct align64_priv {
	u32 ctrl;
	__dma_from_device_group_begin(rx);
	u8 rx[16];
	__dma_from_device_group_end(rx);
	u32 after;
	u8 tx[8] ____cacheline_aligned;
};

_Static_assert(offsetof(struct align64_priv, rx) == ARCH_DMA_MINALIGN,
	       "the group starts on a line of its own");
_Static_assert(offsetof(struct align64_priv, after) == 2 * ARCH_DMA_MINALIGN,
	       "nothing shares the group's last line");
_Static_assert(offsetof(struct align64_priv, tx) % SMP_CACHE_BYTES == 0,
	       "____cacheline_aligned");

int align64_probed;

static int align64_probe(struct platform_device *pdev)
{
	align64_probed++;
	return 0;
}

static const struct of_device_id align64_ids[] = {
	{ .compatible = "acme,align64" },
	{ }
};

static struct platform_driver align64_driver = {
	.probe = align64_probe,
	.driver = { .name = "align64", .of_match_table = align64_ids },
};
module_platform_driver(align64_driver);
