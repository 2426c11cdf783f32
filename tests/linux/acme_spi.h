/* SPDX-License-Identifier: MIT */
/* What tests/test_linux_spi_dma.c asks of tests/linux/acme_spi.c. */
#ifndef DMAKIT_TESTS_LINUX_ACME_SPI_H
#define DMAKIT_TESTS_LINUX_ACME_SPI_H

#include <stdbool.h>

struct device;

/* Leave the receive buffer mapped after a DMA transfer (the bug). */
void acme_spi_inject_unmap_bug(bool on);
/* Transfers the driver bound to @dev moved by DMA and by PIO. */
void acme_spi_counts(struct device *dev, unsigned int *dma,
		     unsigned int *pio);

#endif
