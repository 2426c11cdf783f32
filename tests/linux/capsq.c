// SPDX-License-Identifier: MIT
/*
 * The check a peripheral driver makes before it configures its slave
 * channel, with only <linux/...> includes (tests/test_linux_dma_caps.c).
 */
#include <linux/device.h>
#include <linux/dmaengine.h>
#include <linux/err.h>

#include "capsq.h"

int capsq_run(struct device *dev, struct capsq_result *r)
{
	struct dma_slave_caps caps;
	struct dma_chan *chan = dma_request_chan(dev, "tx");

	if (IS_ERR(chan))
		return (int)PTR_ERR(chan);
	r->r = dma_get_slave_caps(chan, &caps);
	if (!r->r) {
		r->widths = caps.dst_addr_widths;
		r->directions = caps.directions;
		r->max_burst = caps.max_burst;
		r->pause = caps.cmd_pause;
		r->terminate = caps.cmd_terminate;
		r->granularity_burst = caps.residue_granularity ==
				       DMA_RESIDUE_GRANULARITY_BURST;
	}
	r->r_null = dma_get_slave_caps(chan, NULL);
	dma_release_channel(chan);
	return 0;
}
