/* SPDX-License-Identifier: MIT */
/* What the test drives of the <linux/...>-only driver txd.c. */
#ifndef DMAKIT_TESTS_LINUX_TXD_H
#define DMAKIT_TESTS_LINUX_TXD_H

#include <stddef.h>
#include <stdint.h>

struct device;
struct device_driver;

extern struct device_driver txd_driver;
unsigned long long txd_ring_dma(struct device *dev);	/* a dma_addr_t */
int txd_send(struct device *dev, void *buf, size_t len);
void txd_complete(struct device *dev, unsigned int i);
int txd_send_from_stack(struct device *dev, const void *data, size_t len);

#endif
