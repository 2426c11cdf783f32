/* SPDX-License-Identifier: MIT */
/* What dmaengine providers share: calling a descriptor's callback. */
#ifndef DMAKIT_SUBSYS_DMAENGINE_INTERNAL_H
#define DMAKIT_SUBSYS_DMAENGINE_INTERNAL_H

#include <stddef.h>

#include <dmakit/dmaengine.h>

/* Call @tx's callback_result with @result and @residue, or else its
 * callback; nothing if it has neither. */
void dk_dma_run_callback(struct dma_async_tx_descriptor *tx,
			 enum dmaengine_tx_result result, u32 residue);

/* Make @d's channel list the @n channels of @chans, in order (what a
 * Linux provider does with INIT_LIST_HEAD() and list_add_tail()). */
void dk_dma_link_channels(struct dma_device *d, struct dma_chan *chans,
			  unsigned int n);

/* Take @c for @consumer (NULL: a consumer named later) as a request
 * does: 0, -EBUSY if held, or the provider's alloc_chan_resources error. */
int dk_dma_take_chan(struct dma_chan *c, struct device *consumer);

/*
 * What <linux/of_dma.h>'s registry (src/linux/of_dma.c) sets: the channel
 * that the xlate a controller registered for its node gives for "dmas"
 * entry @s of @consumer, taken; NULL with *@err set otherwise: -ENOENT
 * when that node registered no xlate (the provider's own lookup then
 * applies), -ENODEV when the xlate found no free channel, or its error.
 */
typedef struct dma_chan *(*dk_dma_of_xlate_fn)(struct device *consumer,
					       const struct dk_dma_spec *s,
					       int *err);
void dk_dmaengine_set_of_xlate(dk_dma_of_xlate_fn fn);

/* The channel a list link of a provider's channels is in. */
#define dk_chan_of(link) \
	((struct dma_chan *)((char *)(link) - offsetof(struct dma_chan, device_node)))

/* Each channel @c of provider @d, in list order. */
#define dk_for_each_chan(c, d)						\
	for ((c) = dk_chan_of((d)->channels.next);			\
	     &(c)->device_node != &(d)->channels;			\
	     (c) = dk_chan_of((c)->device_node.next))

#endif
