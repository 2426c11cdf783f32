/* SPDX-License-Identifier: MIT */
/* <linux/spi/spi.h> for driver code built against dmakit: SPI. */
#ifndef DMAKIT_COMPAT_LINUX_SPI_SPI_H
#define DMAKIT_COMPAT_LINUX_SPI_SPI_H

#include <linux/compiler.h>
#include <dmakit/spi.h>

#endif
