/* SPDX-License-Identifier: MIT */
/*
 * tests/linux/vdmaq.c: a dmaengine provider written as Linux's are, for
 * tests/test_linux_vdma.c.
 */
#ifndef DMAKIT_TESTS_LINUX_VDMAQ_H
#define DMAKIT_TESTS_LINUX_VDMAQ_H

#include <stddef.h>

struct vdmaq_stats {
	int irqs;		/* interrupts handled */
	int tasklet_runs;	/* completion tasklet runs */
	int freed;		/* descriptors freed */
	char irq_name[32];	/* the devm_kasprintf()'d interrupt name */
};
extern struct vdmaq_stats vdmaq;

struct dma_chan;
/* dma_get_any_slave_channel() of @held's provider: the chan_id it took
 * (given back at once), or -1. */
int vdmaq_any_free_chan_id(struct dma_chan *held);
/* dma_async_is_complete() == DMA_COMPLETE. */
int vdmaq_cookie_order(int cookie, int last, int used);
/* is_slave_direction() of MEM_TO_DEV, DEV_TO_MEM, MEM_TO_MEM, DEV_TO_DEV
 * as bits 0..3. */
int vdmaq_slave_directions(void);
/* struct_size() of the driver's state with @n channels. */
size_t vdmaq_struct_size(size_t n);

#endif
