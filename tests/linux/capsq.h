/* SPDX-License-Identifier: MIT */
/* tests/linux/capsq.c: a driver asking its slave channel what it offers. */
#ifndef DMAKIT_TESTS_LINUX_CAPSQ_H
#define DMAKIT_TESTS_LINUX_CAPSQ_H

struct device;

struct capsq_result {
	int r;			/* dma_get_slave_caps() */
	unsigned int widths, directions, max_burst;
	int pause, terminate, granularity_burst;
	int r_null;		/* with NULL caps */
};

/* Take @dev's "tx" channel, ask it, release it. */
int capsq_run(struct device *dev, struct capsq_result *r);

#endif
