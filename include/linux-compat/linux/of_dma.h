/* SPDX-License-Identifier: MIT */
/*
 * <linux/of_dma.h> for driver code built against dmakit: a DMA
 * controller driver registers how the cells of its consumers' "dmas"
 * entries name a channel; dma_request_chan(consumer, "tx") then asks it.
 */
#ifndef DMAKIT_COMPAT_LINUX_OF_DMA_H
#define DMAKIT_COMPAT_LINUX_OF_DMA_H

#include <linux/dmaengine.h>
#include <linux/list.h>
#include <linux/of.h>

#ifdef __cplusplus
extern "C" {
#endif

/** struct of_dma - one controller's registration. */
struct of_dma {
	/** @of_dma_controllers: the registry's link */
	struct list_head of_dma_controllers;
	/** @of_node: the controller's node */
	struct device_node *of_node;
	/** @of_dma_xlate: the channel a "dmas" entry names, taken (NULL or
	 * an error pointer if none) */
	struct dma_chan *(*of_dma_xlate)(struct of_phandle_args *dma_spec,
					 struct of_dma *ofdma);
	/** @of_dma_data: what the driver registered with it */
	void *of_dma_data;
};

/** struct of_dma_filter_info - of_dma_simple_xlate()'s data. */
struct of_dma_filter_info {
	/** @dma_cap: the transfer types a channel must offer */
	dma_cap_mask_t dma_cap;
	/** @filter_fn: asked of each candidate with &args[0] */
	dma_filter_fn filter_fn;
};

/**
 * of_dma_controller_register() - have @of_dma_xlate answer for the
 * "dmas" entries that point at @np: dma_request_chan() of a consumer
 * calls it with the entry's cells before the provider's own lookup (as
 * Linux, a controller registered twice answers with the first).
 * @np: the controller's node (its dev->of_node).
 * @of_dma_xlate: the translation; of_dma_xlate_by_chan_id() and
 *                of_dma_simple_xlate() are Linux's usual ones.
 * @data: kept in of_dma_data (a struct dma_device * for
 *        of_dma_xlate_by_chan_id()).
 *
 * Return: 0, -EINVAL (NULL @np or @of_dma_xlate: "not enough
 * information provided"), -ENOMEM.
 */
int of_dma_controller_register(struct device_node *np,
			       struct dma_chan *(*of_dma_xlate)(struct of_phandle_args *,
								struct of_dma *),
			       void *data);

/**
 * of_dma_controller_free() - undo of_dma_controller_register().
 * @np: the node; one never registered, or NULL, does nothing.
 */
void of_dma_controller_free(struct device_node *np);

/**
 * of_dma_xlate_by_chan_id() - the translation whose one cell is the
 * channel's chan_id in the provider @ofdma->of_dma_data.
 * @dma_spec: the entry.
 * @ofdma: the registration.
 *
 * Return: the channel, taken with dma_get_slave_channel(); NULL if the
 * entry has not exactly one cell, no such channel or it is held.
 */
struct dma_chan *of_dma_xlate_by_chan_id(struct of_phandle_args *dma_spec,
					 struct of_dma *ofdma);

/**
 * of_dma_simple_xlate() - the translation that asks each free channel of
 * the machine offering @ofdma->of_dma_data's (struct of_dma_filter_info)
 * dma_cap its filter_fn with the entry's one cell.
 * @dma_spec: the entry.
 * @ofdma: the registration.
 *
 * Return: the channel the filter took, or NULL (no info or filter, not
 * exactly one cell, none accepted).
 */
struct dma_chan *of_dma_simple_xlate(struct of_phandle_args *dma_spec,
				     struct of_dma *ofdma);

#ifdef __cplusplus
}
#endif

#endif
