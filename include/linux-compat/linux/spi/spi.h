/* SPDX-License-Identifier: MIT */
/* <linux/spi/spi.h> for driver code built against dmakit: SPI. */
#ifndef DMAKIT_COMPAT_LINUX_SPI_SPI_H
#define DMAKIT_COMPAT_LINUX_SPI_SPI_H

#include <linux/compiler.h>
#include <linux/bits.h>
#include <dmakit/spi.h>

/* Words of @min to @max bits (spi_controller.bits_per_word_mask). */
#define SPI_BPW_RANGE_MASK(min, max)	GENMASK((max) - 1, (min) - 1)

/*
 * The controller names before Linux 6.x called it host, or master; many
 * drivers still use them. A controller here is always device-managed:
 * spi_alloc_host() is devm_spi_alloc_host() (freed when the controller's
 * driver unbinds, so an allocation outside probe fails), and
 * spi_controller_put() drops nothing.
 */
#define spi_master			spi_controller
#define spi_alloc_host(dev, size)	devm_spi_alloc_host(dev, size)
#define spi_alloc_master(dev, size)	devm_spi_alloc_host(dev, size)
#define spi_controller_put(ctlr)	((void)(ctlr))
#define spi_master_put(ctlr)		spi_controller_put(ctlr)
#define spi_master_get_devdata(ctlr)	spi_controller_get_devdata(ctlr)
#define spi_master_set_devdata(ctlr, data) spi_controller_set_devdata(ctlr, data)
#define devm_spi_register_master(dev, ctlr) devm_spi_register_controller(dev, ctlr)
#define spi_register_master(ctlr)	spi_register_controller(ctlr)
#define spi_unregister_master(ctlr)	spi_unregister_controller(ctlr)

#endif
