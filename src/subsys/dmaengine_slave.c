// SPDX-License-Identifier: MIT
/*
 * The dmaengine consumer calls that go straight to the provider: slave
 * configuration, the slave prep calls, pause/resume and termination. The
 * API is described in include/dmakit/dmaengine.h.
 */
#include <errno.h>

#include <dmakit/dmaengine.h>
#include <dmakit/platform.h>
#include <dmakit/scatterlist.h>

#include "../core/dk_internal.h"
#include "dmaengine_internal.h"

void dk_dma_run_callback(struct dma_async_tx_descriptor *tx,
			 enum dmaengine_tx_result result, u32 residue)
{
	struct dmaengine_result res = { result, residue };

	if (tx->callback_result)
		tx->callback_result(tx->callback_param, &res);
	else if (tx->callback)
		tx->callback(tx->callback_param);
}

static bool chan_ok(struct dma_chan *chan, const char *fn)
{
	if (!IS_ERR_OR_NULL(chan) && chan->device)
		return true;
	dk_err(-EINVAL, "%s: NULL channel", fn);
	return false;
}

int dmaengine_terminate_async(struct dma_chan *chan)
{
	if (!chan_ok(chan, "dmaengine_terminate_async"))
		return -EINVAL;
	if (!chan->device->device_terminate_all)
		return dk_err(-ENOSYS, "%s: the provider cannot terminate",
			      dma_chan_name(chan));
	return chan->device->device_terminate_all(chan);
}

void dmaengine_synchronize(struct dma_chan *chan)
{
	if (!IS_ERR_OR_NULL(chan) && chan->device &&
	    chan->device->device_synchronize)
		chan->device->device_synchronize(chan);
}

int dmaengine_terminate_sync(struct dma_chan *chan)
{
	int r;

	if (!chan_ok(chan, "dmaengine_terminate_sync"))
		return -EINVAL;
	/* A provider that cannot terminate has nothing to stop. */
	if (!chan->device->device_terminate_all)
		return 0;
	r = chan->device->device_terminate_all(chan);
	if (!r)
		dmaengine_synchronize(chan);
	return r;
}

int dmaengine_slave_config(struct dma_chan *chan,
			   struct dma_slave_config *config)
{
	if (!chan_ok(chan, "dmaengine_slave_config"))
		return -EINVAL;
	if (!config)
		return dk_err(-EINVAL, "dmaengine_slave_config(%s): NULL config",
			      dma_chan_name(chan));
	if (!chan->device->device_config)
		return dk_err(-ENOSYS, "%s: the provider has no slave transfers",
			      dma_chan_name(chan));
	return chan->device->device_config(chan, config);
}

static bool slave_dir(struct dma_chan *chan, enum dma_transfer_direction dir,
		      const char *fn)
{
	if (dir == DMA_MEM_TO_DEV || dir == DMA_DEV_TO_MEM)
		return true;
	dk_err(-EINVAL, "%s(%s): direction %d is not MEM_TO_DEV or DEV_TO_MEM",
	       fn, dma_chan_name(chan), dir);
	return false;
}

struct dma_async_tx_descriptor *
dmaengine_prep_slave_sg(struct dma_chan *chan, struct scatterlist *sgl,
			unsigned int sg_len, enum dma_transfer_direction dir,
			unsigned long flags)
{
	if (!chan_ok(chan, "dmaengine_prep_slave_sg") ||
	    !slave_dir(chan, dir, "dmaengine_prep_slave_sg"))
		return NULL;
	if (!sgl || !sg_len) {
		dk_err(-EINVAL, "dmaengine_prep_slave_sg(%s): empty list",
		       dma_chan_name(chan));
		return NULL;
	}
	if (!chan->device->device_prep_slave_sg) {
		dk_err(-ENOSYS, "%s: the provider has no slave transfers",
		       dma_chan_name(chan));
		return NULL;
	}
	return chan->device->device_prep_slave_sg(chan, sgl, sg_len, dir,
						  flags, NULL);
}

struct dma_async_tx_descriptor *
dmaengine_prep_slave_single(struct dma_chan *chan, dma_addr_t buf, size_t len,
			    enum dma_transfer_direction dir,
			    unsigned long flags)
{
	struct scatterlist sg;

	if (len > 0xffffffffUL) {
		dk_err(-EINVAL, "dmaengine_prep_slave_single: %zu bytes", len);
		return NULL;
	}
	sg_init_table(&sg, 1);
	sg_dma_address(&sg) = buf;
	sg_dma_len(&sg) = (unsigned int)len;
	return dmaengine_prep_slave_sg(chan, &sg, 1, dir, flags);
}

struct dma_async_tx_descriptor *
dmaengine_prep_dma_cyclic(struct dma_chan *chan, dma_addr_t buf_addr,
			  size_t buf_len, size_t period_len,
			  enum dma_transfer_direction dir, unsigned long flags)
{
	if (!chan_ok(chan, "dmaengine_prep_dma_cyclic") ||
	    !slave_dir(chan, dir, "dmaengine_prep_dma_cyclic"))
		return NULL;
	if (!period_len || !buf_len || buf_len % period_len) {
		dk_err(-EINVAL,
		       "dmaengine_prep_dma_cyclic(%s): %zu bytes is no whole number of %zu-byte periods",
		       dma_chan_name(chan), buf_len, period_len);
		return NULL;
	}
	if (!chan->device->device_prep_dma_cyclic) {
		dk_err(-ENOSYS, "%s: the provider has no cyclic transfers",
		       dma_chan_name(chan));
		return NULL;
	}
	return chan->device->device_prep_dma_cyclic(chan, buf_addr, buf_len,
						    period_len, dir, flags);
}

int dmaengine_pause(struct dma_chan *chan)
{
	if (!chan_ok(chan, "dmaengine_pause"))
		return -EINVAL;
	if (!chan->device->device_pause)
		return dk_err(-ENOSYS, "%s: the provider cannot pause",
			      dma_chan_name(chan));
	return chan->device->device_pause(chan);
}

int dmaengine_resume(struct dma_chan *chan)
{
	if (!chan_ok(chan, "dmaengine_resume"))
		return -EINVAL;
	if (!chan->device->device_resume)
		return dk_err(-ENOSYS, "%s: the provider cannot resume",
			      dma_chan_name(chan));
	return chan->device->device_resume(chan);
}
