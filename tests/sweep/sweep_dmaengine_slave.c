// SPDX-License-Identifier: MIT
/* The dmaengine slave API and the request-line helpers of device models
 * against hostile input. */
#include <errno.h>

#include <dmakit/dmaengine.h>
#include <dmakit/i2c.h>
#include <dmakit/models/dreq.h>
#include <dmakit/scatterlist.h>
#include <dmakit/spi.h>

#include "sweep.h"

SWEEP(dma_chan_name, "NULL and an error pointer", W_NONE)
{
	EXPECT(!strcmp(dma_chan_name(NULL), "(no channel)"));
	EXPECT(!strcmp(dma_chan_name(ERR_PTR(-ENODEV)), "(no channel)"));
	return 0;
}

SWEEP(dmaengine_get_dma_device, "NULL and an error pointer", W_NONE)
{
	EXPECT(!dmaengine_get_dma_device(NULL));
	EXPECT(!dmaengine_get_dma_device(ERR_PTR(-ENODEV)));
	return 0;
}

SWEEP(dma_request_slave_channel, "NULL, dead, a device without dmas", W_MACHINE)
{
	EXPECT(!dma_request_slave_channel(NULL, "tx"));
	EXPECT(!dma_request_slave_channel(e->dev, NULL));
	EXPECT(!dma_request_slave_channel(e->dev, "tx"));
	EXPECT(!dma_request_slave_channel(sweep_dead_device(e), "tx"));
	return 0;
}

SWEEP(dmaengine_slave_config, "NULL channel and config", W_NONE)
{
	struct dma_slave_config c = { 0 };

	EXPECT(dmaengine_slave_config(NULL, &c) == -EINVAL);
	EXPECT(dmaengine_slave_config(ERR_PTR(-EBUSY), NULL) == -EINVAL);
	return 0;
}

SWEEP(dmaengine_prep_slave_sg, "NULL channel, bad direction", W_NONE)
{
	struct scatterlist sg;

	EXPECT(!dmaengine_prep_slave_sg(NULL, &sg, 1, DMA_MEM_TO_DEV, 0));
	EXPECT(!dmaengine_prep_slave_sg(ERR_PTR(-EINVAL), NULL, 0,
					(enum dma_transfer_direction)77, 0));
	return 0;
}

SWEEP(dmaengine_prep_slave_single, "NULL channel, huge length", W_NONE)
{
	EXPECT(!dmaengine_prep_slave_single(NULL, 0, 64, DMA_DEV_TO_MEM, 0));
	EXPECT(!dmaengine_prep_slave_single(NULL, 0, ~(size_t)0,
					    DMA_DEV_TO_MEM, 0));
	return 0;
}

SWEEP(dmaengine_prep_dma_cyclic, "NULL channel, zero period", W_NONE)
{
	EXPECT(!dmaengine_prep_dma_cyclic(NULL, 0, 64, 16, DMA_DEV_TO_MEM, 0));
	EXPECT(!dmaengine_prep_dma_cyclic(NULL, 0, 64, 0, DMA_MEM_TO_MEM, 0));
	return 0;
}

SWEEP(dmaengine_pause, "NULL and an error pointer", W_NONE)
{
	EXPECT(dmaengine_pause(NULL) == -EINVAL);
	EXPECT(dmaengine_pause(ERR_PTR(-EIO)) == -EINVAL);
	return 0;
}

SWEEP(dmaengine_resume, "NULL and an error pointer", W_NONE)
{
	EXPECT(dmaengine_resume(NULL) == -EINVAL);
	EXPECT(dmaengine_resume(ERR_PTR(-EIO)) == -EINVAL);
	return 0;
}

SWEEP(dmaengine_terminate_async, "NULL and an error pointer", W_NONE)
{
	EXPECT(dmaengine_terminate_async(NULL) == -EINVAL);
	EXPECT(dmaengine_terminate_async(ERR_PTR(-EIO)) == -EINVAL);
	return 0;
}

SWEEP(dmaengine_terminate_all, "NULL and an error pointer", W_NONE)
{
	EXPECT(dmaengine_terminate_all(NULL) == -EINVAL);
	EXPECT(dmaengine_terminate_all(ERR_PTR(-EIO)) == -EINVAL);
	return 0;
}

SWEEP(dmaengine_synchronize, "NULL and an error pointer", W_NONE)
{
	dmaengine_synchronize(NULL);
	dmaengine_synchronize(ERR_PTR(-EIO));
	return 0;
}

SWEEP(dk_simdev_dma_request, "NULL, dead device, no dmas", W_MACHINE)
{
	EXPECT(!dk_simdev_dma_request(NULL, "tx", true));
	EXPECT(!dk_simdev_dma_request(e->sdev, NULL, true));
	EXPECT(!dk_simdev_dma_request(e->sdev, "tx", true));
	EXPECT(!dk_simdev_dma_request(sweep_dead_simdev(e), "tx", false));
	return 0;
}

SWEEP(dk_bus_mmio_read32, "NULL, dead master, no register", W_MACHINE)
{
	u32 v;

	EXPECT(dk_bus_mmio_read32(NULL, 0x10000000, &v) == -EFAULT);
	EXPECT(dk_bus_mmio_read32(e->sdev, 0x10000000, NULL) == -EFAULT);
	EXPECT(dk_bus_mmio_read32(e->sdev, 0x1000, &v) == -EFAULT);
	EXPECT(dk_bus_mmio_read32(e->sdev, 0x10000002, &v) == -EFAULT);
	EXPECT(dk_bus_mmio_read32(sweep_dead_simdev(e), 0x10000000, &v) ==
	       -EFAULT);
	return 0;
}

SWEEP(dk_bus_mmio_write32, "NULL, dead master, no register", W_MACHINE)
{
	EXPECT(dk_bus_mmio_write32(NULL, 0x10000000, 1) == -EFAULT);
	EXPECT(dk_bus_mmio_write32(e->sdev, ~0ULL, 1) == -EFAULT);
	EXPECT(dk_bus_mmio_write32(e->sdev, 0x10010000, 1) == -EFAULT);
	EXPECT(dk_bus_mmio_write32(sweep_dead_simdev(e), 0x10000000, 1) ==
	       -EFAULT);
	return 0;
}

/* ---- the Linux-shaped I2C adapter and SPI controller helpers */

SWEEP(i2c_set_adapdata, "NULL adapter", W_NONE)
{
	i2c_set_adapdata(NULL, e);
	return 0;
}

SWEEP(i2c_get_adapdata, "NULL adapter", W_NONE)
{
	EXPECT(!i2c_get_adapdata(NULL));
	return 0;
}

SWEEP(spi_controller_set_devdata, "NULL controller", W_NONE)
{
	spi_controller_set_devdata(NULL, e);
	return 0;
}

SWEEP(spi_controller_get_devdata, "NULL controller", W_NONE)
{
	EXPECT(!spi_controller_get_devdata(NULL));
	return 0;
}

SWEEP(spi_get_chipselect, "NULL device", W_NONE)
{
	EXPECT(spi_get_chipselect(NULL, 0) == 0);
	return 0;
}

SWEEP(devm_spi_alloc_host, "NULL and dead device", W_MACHINE)
{
	EXPECT(!devm_spi_alloc_host(NULL, 16));
	EXPECT(!devm_spi_alloc_host(sweep_dead_device(e), 16));
	return 0;
}

SWEEP(devm_spi_alloc_master, "NULL device", W_MACHINE)
{
	EXPECT(!devm_spi_alloc_master(NULL, 16));
	return 0;
}

SWEEP(devm_spi_register_controller, "NULL controller, no parent", W_MACHINE)
{
	static struct spi_controller c;

	EXPECT(devm_spi_register_controller(e->dev, NULL) == -EINVAL);
	EXPECT(devm_spi_register_controller(NULL, &c) == -EINVAL);
	return 0;
}

SWEEP(spi_finalize_current_transfer, "NULL controller", W_NONE)
{
	spi_finalize_current_transfer(NULL);
	return 0;
}
