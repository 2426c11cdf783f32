/* SPDX-License-Identifier: MIT */
/* What the test drives of the <linux/...>-only driver rxsg.c. */
#ifndef DMAKIT_TESTS_LINUX_RXSG_H
#define DMAKIT_TESTS_LINUX_RXSG_H

#include <stddef.h>
#include <stdint.h>

struct device;
struct sg_table;

int rxsg_start(struct device *dev, struct sg_table *sgt,
	       unsigned long long *addr, uint32_t *len, int max);
size_t rxsg_finish(struct device *dev, struct sg_table *sgt);
/* 16-byte descriptors: le64 address, le32 length, be32 tag 0x5258000i. */
void rxsg_describe(void *ring, const unsigned long long *addr,
		   const uint32_t *len, int n);
/* The line a driver logs for a segment, printk-style ("%llx", "%lld"). */
int rxsg_format(char *buf, size_t n, unsigned long long addr,
		long long delta);

#endif
