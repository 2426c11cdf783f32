/* SPDX-License-Identifier: MIT */
/* What tests/test_linux_i2c_dma.c asks of tests/linux/acme_i2c.c. */
#ifndef DMAKIT_TESTS_LINUX_ACME_I2C_H
#define DMAKIT_TESTS_LINUX_ACME_I2C_H

#include <stdbool.h>

struct device;

/* Map msg->buf as it comes instead of a DMA-safe buffer (the bug). */
void acme_i2c_inject_stack_bug(bool on);
/* Messages the driver bound to @dev moved by DMA and by PIO. */
void acme_i2c_counts(struct device *dev, unsigned int *dma,
		     unsigned int *pio);

#endif
