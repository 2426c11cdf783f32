// SPDX-License-Identifier: MIT
/* The dmaengine, I2C target and SPI limit calls upstream drivers and
 * the kernel's dmatest use, against hostile input. */
#include <errno.h>

#include <dmakit/dmaengine.h>
#include <dmakit/i2c.h>
#include <dmakit/spi.h>

#include "sweep.h"

SWEEP(dma_cap_set, "types at both ends of the set", W_NONE)
{
	dma_cap_mask_t m;

	dma_cap_zero(m);
	dma_cap_set(DMA_MEMCPY, m);
	dma_cap_set(DMA_TX_TYPE_END - 1, m);
	EXPECT(dma_has_cap(DMA_MEMCPY, m) && dma_has_cap(DMA_LOAD_EOT, m));
	EXPECT(!dma_has_cap(DMA_SLAVE, m));
	return 0;
}

SWEEP(dma_cap_clear, "a type not in the set", W_NONE)
{
	dma_cap_mask_t m;

	dma_cap_zero(m);
	dma_cap_clear(DMA_PQ, m);
	dma_cap_set(DMA_XOR, m);
	dma_cap_clear(DMA_XOR, m);
	EXPECT(m.bits[0] == 0);
	return 0;
}

SWEEP(dma_cap_zero, "a set with every type", W_NONE)
{
	dma_cap_mask_t m = { { ~0UL } };

	dma_cap_zero(m);
	EXPECT(!dma_has_cap(DMA_MEMCPY, m));
	return 0;
}

SWEEP(dma_has_cap, "an empty set", W_NONE)
{
	dma_cap_mask_t m = { { 0 } };

	EXPECT(!dma_has_cap(DMA_MEMCPY, m) && !dma_has_cap(DMA_CYCLIC, m));
	return 0;
}

SWEEP(dma_maxpq, "NULL provider", W_NONE)
{
	EXPECT(dma_maxpq(NULL, DMA_PREP_INTERRUPT) == 0);
	return 0;
}

SWEEP(__dma_request_channel, "NULL mask, no machine", W_NONE)
{
	dma_cap_mask_t m = { { 0 } };

	EXPECT(!__dma_request_channel(NULL, NULL, NULL, NULL));
	EXPECT(!__dma_request_channel(&m, NULL, NULL, NULL));
	return 0;
}

static bool refuse_all(struct dma_chan *chan, void *param)
{
	(void)chan;
	(void)param;
	return false;
}

SWEEP(dma_request_channel, "a type nobody offers, a filter refusing all", W_MACHINE)
{
	dma_cap_mask_t m;

	dma_cap_zero(m);
	dma_cap_set(DMA_PQ, m);
	EXPECT(!dma_request_channel(m, NULL, NULL));
	dma_cap_zero(m);
	dma_cap_set(DMA_MEMCPY, m);
	EXPECT(!dma_request_channel(m, refuse_all, NULL));
	return 0;
}

SWEEP(dmaengine_get_unmap_data, "NULL device, no or too many entries", W_MACHINE)
{
	EXPECT(!dmaengine_get_unmap_data(NULL, 2, 0));
	EXPECT(!dmaengine_get_unmap_data(e->dev, 0, 0));
	EXPECT(!dmaengine_get_unmap_data(e->dev, -1, 0));
	EXPECT(!dmaengine_get_unmap_data(e->dev, 65536, 0));
	return 0;
}

SWEEP(dmaengine_unmap_get, "NULL", W_NONE)
{
	dmaengine_unmap_get(NULL);
	return 0;
}

SWEEP(dmaengine_unmap_put, "NULL, and a record with nothing mapped", W_MACHINE)
{
	struct dmaengine_unmap_data *u = dmaengine_get_unmap_data(e->dev, 3, 0);

	dmaengine_unmap_put(NULL);
	EXPECT(u != NULL);
	dmaengine_unmap_get(u);
	dmaengine_unmap_put(u);
	dmaengine_unmap_put(u);	/* the last reference: nothing to unmap */
	return 0;
}

SWEEP(i2c_slave_register, "NULL client or callback, no adapter", W_NONE)
{
	struct i2c_client c = { .addr = 0x50 };

	EXPECT(i2c_slave_register(NULL, NULL) == -EINVAL);
	EXPECT(i2c_slave_register(ERR_PTR(-ENODEV), NULL) == -EINVAL);
	EXPECT(i2c_slave_register(&c, NULL) == -EINVAL);
	return 0;
}

SWEEP(i2c_slave_unregister, "NULL, an error pointer, not registered", W_NONE)
{
	struct i2c_client c = { .addr = 0x50 };

	EXPECT(i2c_slave_unregister(NULL) == -EINVAL);
	EXPECT(i2c_slave_unregister(ERR_PTR(-EIO)) == -EINVAL);
	EXPECT(i2c_slave_unregister(&c) == -EINVAL);
	return 0;
}

SWEEP(i2c_slave_event, "NULL, a client not registered", W_NONE)
{
	struct i2c_client c = { .addr = 0x50 };
	u8 v = 0;

	EXPECT(i2c_slave_event(NULL, I2C_SLAVE_STOP, &v) == -EINVAL);
	EXPECT(i2c_slave_event(&c, I2C_SLAVE_WRITE_RECEIVED, NULL) == -EINVAL);
	return 0;
}

SWEEP(spi_max_transfer_size, "NULL device, device without controller", W_NONE)
{
	struct spi_device s = { .max_speed_hz = 1 };

	EXPECT(spi_max_transfer_size(NULL) == SIZE_MAX);
	EXPECT(spi_max_transfer_size(&s) == SIZE_MAX);
	return 0;
}

SWEEP(spi_max_message_size, "NULL device, device without controller", W_NONE)
{
	struct spi_device s = { .max_speed_hz = 1 };

	EXPECT(spi_max_message_size(NULL) == SIZE_MAX);
	EXPECT(spi_max_message_size(&s) == SIZE_MAX);
	return 0;
}

SWEEP(spi_controller_xfer_timeout, "NULL, no speed, a huge transfer", W_NONE)
{
	struct spi_transfer t = { .len = ~0u, .speed_hz = 1 };

	EXPECT(spi_controller_xfer_timeout(NULL, NULL) == 500);
	EXPECT(spi_controller_xfer_timeout(NULL, &t) == UINT_MAX);
	t.speed_hz = 0;
	EXPECT(spi_controller_xfer_timeout(NULL, &t) == 500);
	return 0;
}
