/* SPDX-License-Identifier: MIT */
/* What dmaengine providers share: calling a descriptor's callback. */
#ifndef DMAKIT_SUBSYS_DMAENGINE_INTERNAL_H
#define DMAKIT_SUBSYS_DMAENGINE_INTERNAL_H

#include <dmakit/dmaengine.h>

/* Call @tx's callback_result with @result and @residue, or else its
 * callback; nothing if it has neither. */
void dk_dma_run_callback(struct dma_async_tx_descriptor *tx,
			 enum dmaengine_tx_result result, u32 residue);

#endif
