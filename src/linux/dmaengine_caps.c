// SPDX-License-Identifier: MIT
/* A slave channel's capabilities, as its provider declares them
 * (<linux/dmaengine.h>, dma_get_slave_caps()). */
#include <string.h>

#include <linux/dmaengine.h>

#include "linux.h"

int dma_get_slave_caps(struct dma_chan *chan, struct dma_slave_caps *caps)
{
	struct dma_device *d;

	if (!chan || !caps || !chan->device)
		return dk_err(-EINVAL, "dma_get_slave_caps: NULL channel or caps");
	d = chan->device;
	if (!d->directions)
		return dk_err(-ENXIO, "dma_get_slave_caps: %s is not a slave channel",
			      dma_chan_name(chan));
	memset(caps, 0, sizeof(*caps));
	caps->src_addr_widths = d->src_addr_widths;
	caps->dst_addr_widths = d->dst_addr_widths;
	caps->directions = d->directions;
	caps->max_burst = d->max_burst;
	/* Pause is only worth advertising with a resume to undo it. */
	caps->cmd_pause = d->device_pause && d->device_resume;
	caps->cmd_resume = d->device_resume != NULL;
	caps->cmd_terminate = d->device_terminate_all != NULL;
	caps->residue_granularity = d->residue_granularity;
	caps->descriptor_reuse = d->descriptor_reuse;
	return 0;
}
