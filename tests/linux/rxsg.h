/* SPDX-License-Identifier: MIT */
/* What the test drives of the <linux/...>-only driver rxsg.c. */
#ifndef DMAKIT_TESTS_LINUX_RXSG_H
#define DMAKIT_TESTS_LINUX_RXSG_H

#include <stddef.h>
#include <stdint.h>

struct device;
struct sg_table;

int rxsg_start(struct device *dev, struct sg_table *sgt, uint64_t *addr,
	       uint32_t *len, int max);
size_t rxsg_finish(struct device *dev, struct sg_table *sgt);

#endif
