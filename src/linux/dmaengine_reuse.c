// SPDX-License-Identifier: MIT
/* Descriptors a consumer submits more than once (<linux/dmaengine.h>,
 * DMA_CTRL_REUSE): allowed only by a provider that declares it. */
#include <linux/dmaengine.h>

#include "linux.h"

int dmaengine_desc_set_reuse(struct dma_async_tx_descriptor *tx)
{
	struct dma_slave_caps caps;
	int r;

	if (!tx)
		return dk_err(-EINVAL, "dmaengine_desc_set_reuse: NULL descriptor");
	r = dma_get_slave_caps(tx->chan, &caps);
	if (r)
		return r;
	if (!caps.descriptor_reuse)
		return dk_err(-EPERM, "dmaengine_desc_set_reuse: %s does not reuse descriptors",
			      dma_chan_name(tx->chan));
	tx->flags = (enum dma_ctrl_flags)(tx->flags | DMA_CTRL_REUSE);
	return 0;
}

int dmaengine_desc_free(struct dma_async_tx_descriptor *tx)
{
	if (!tx || !dmaengine_desc_test_reuse(tx))
		return dk_err(-EPERM, "dmaengine_desc_free: not a reusable descriptor");
	if (!tx->desc_free)
		return dk_err(-EPERM, "dmaengine_desc_free: %s cannot free descriptors",
			      tx->chan ? dma_chan_name(tx->chan) : "(no channel)");
	return tx->desc_free(tx);
}
