/* SPDX-License-Identifier: MIT */
/*
 * The SPI subsystem: controllers, devices on their chip selects, messages
 * made of transfers, with Linux's names.
 *
 * SPI's DMA rule (talk 001) is the opposite of I2C's: transfer buffers must
 * be DMA-safe, always. The core maps the buffers of every transfer the
 * controller's can_dma() accepts, and because dmakit can tell, it checks
 * each one with dk_dma_buffer_is_safe() first: a buffer on the stack, in
 * rodata, in vmalloc space, outside RAM or sharing a cache line with other
 * data makes spi_sync() fail with -EINVAL and an error naming the reason,
 * instead of corrupting memory later. (A buffer that is only beyond the
 * device's DMA mask is mapped: the DMA API bounces it.) Callers with
 * buffers of unknown origin bounce them themselves, as Linux's spi-nor
 * does with its bounce buffer.
 *
 * Differences from Linux: a controller and a device refer to the controller
 * through a struct device pointer instead of embedding one; transfers are
 * chained through a private pointer instead of a list_head; set_cs() is
 * given the logical state (true = selected), not the line level; there are
 * no asynchronous messages (spi_async) and no spi-mem layer.
 */
#ifndef DMAKIT_SPI_H
#define DMAKIT_SPI_H

#include <pthread.h>

#include <dmakit/device.h>
#include <dmakit/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct spi_controller;
struct spi_device;

struct spi_transfer {
	const void *tx_buf;	/* NULL: the controller sends filler */
	void *rx_buf;		/* NULL: what comes back is dropped */
	unsigned int len;
	/* Set by the core when it mapped the buffers for this transfer. */
	dma_addr_t tx_dma;
	dma_addr_t rx_dma;
	/* Deselect the device after this transfer (before the next one). */
	unsigned int cs_change:1;
	/* private to the core */
	bool dk_dma_mapped;
	struct spi_transfer *dk_next;
};

struct spi_message {
	struct spi_device *spi;
	int status;			/* 0 or -errno, set by spi_sync() */
	unsigned int actual_length;	/* bytes transferred */
	unsigned int frame_length;	/* bytes in all transfers */
	/* private to the core */
	struct spi_transfer *dk_first, *dk_last;
};

struct spi_device {
	struct spi_controller *controller;
	u32 max_speed_hz;
	u8 chip_select;
	u32 mode;
	char modalias[32];
	void *dk_drvdata;	/* for the client driver */
};

struct spi_board_info {
	char modalias[32];
	u32 max_speed_hz;
	u16 chip_select;
	u32 mode;
};

/*
 * A controller, filled by its driver. transfer_one and set_cs are required;
 * can_dma is optional (no DMA without it). transfer_one finds in
 * spi_xfer_is_dma_mapped() whether the core mapped the transfer (then
 * tx_dma/rx_dma hold the device addresses of the buffers that are not
 * NULL), and returns 0 or -errno once the transfer is complete.
 */
struct spi_controller {
	struct device *dev;
	s16 bus_num;			/* set by spi_register_controller */
	u16 num_chipselect;
	bool (*can_dma)(struct spi_controller *ctlr, struct spi_device *spi,
			struct spi_transfer *xfer);
	int (*transfer_one)(struct spi_controller *ctlr,
			    struct spi_device *spi, struct spi_transfer *xfer);
	void (*set_cs)(struct spi_device *spi, bool selected);
	void *priv;			/* the driver's */
	/* dmakit: what the core did with each transfer */
	unsigned long dk_pio_xfers;
	unsigned long dk_dma_xfers;
	unsigned long dk_rejected_xfers;	/* unsafe buffers refused */
	/* private to the core */
	pthread_mutex_t dk_lock;
	struct spi_controller *dk_next;
};

/*
 * spi_register_controller - make @ctlr usable (bus_num from 0 up, listed
 * for dk_spi_controller_of()). 0, -EINVAL (no dev, transfer_one or set_cs)
 * or -EBUSY (already registered).
 */
int spi_register_controller(struct spi_controller *ctlr);
void spi_unregister_controller(struct spi_controller *ctlr);

/* dk_spi_controller_of - the controller the driver of @dev registered. */
struct spi_controller *dk_spi_controller_of(struct device *dev);

/*
 * spi_new_device - a device on @chip's chip select of @ctlr. Returns it or
 * NULL (chip select out of range, out of memory; message in
 * dk_last_error()). Free with spi_unregister_device().
 */
struct spi_device *spi_new_device(struct spi_controller *ctlr,
				  const struct spi_board_info *chip);
void spi_unregister_device(struct spi_device *spi);

/*
 * The helpers below do nothing (or return NULL/false) for a NULL device,
 * message or transfer, and spi_message_init_with_transfers() adds no
 * transfer from a NULL array.
 */
static inline void spi_set_drvdata(struct spi_device *spi, void *data)
{
	if (spi)
		spi->dk_drvdata = data;
}

static inline void *spi_get_drvdata(struct spi_device *spi)
{
	return spi ? spi->dk_drvdata : NULL;
}

static inline void spi_message_init(struct spi_message *m)
{
	if (!m)
		return;
	m->spi = NULL;
	m->status = 0;
	m->actual_length = m->frame_length = 0;
	m->dk_first = m->dk_last = NULL;
}

/* spi_message_add_tail - append @t; it must stay valid until spi_sync(). */
static inline void spi_message_add_tail(struct spi_transfer *t,
					struct spi_message *m)
{
	if (!t || !m)
		return;
	t->dk_next = NULL;
	if (m->dk_last)
		m->dk_last->dk_next = t;
	else
		m->dk_first = t;
	m->dk_last = t;
}

static inline void spi_message_init_with_transfers(struct spi_message *m,
						   struct spi_transfer *xfers,
						   unsigned int num)
{
	unsigned int i;

	spi_message_init(m);
	for (i = 0; m && xfers && i < num; i++)
		spi_message_add_tail(&xfers[i], m);
}

static inline bool spi_xfer_is_dma_mapped(struct spi_controller *ctlr,
					  struct spi_device *spi,
					  struct spi_transfer *xfer)
{
	(void)ctlr;
	(void)spi;
	return xfer && xfer->dk_dma_mapped;
}

/*
 * spi_sync - run @message on @spi with the chip select asserted from the
 * first transfer to the end (and between transfers marked cs_change),
 * serialised against other users of the controller. Returns 0 or -errno,
 * also in message->status: -EINVAL (NULL arguments, an empty message, a
 * transfer with len > 0 and neither buffer, or a buffer to be DMA'd that is
 * not DMA-safe, see above), -ENOMEM (mapping failed), or the controller's
 * error. Nothing after a failed transfer is sent.
 */
int spi_sync(struct spi_device *spi, struct spi_message *message);

/* spi_sync_transfer - spi_sync() of the @num transfers at @xfers. */
int spi_sync_transfer(struct spi_device *spi, struct spi_transfer *xfers,
		      unsigned int num);

/* spi_write / spi_read - one transfer of @len bytes. 0 or -errno. */
int spi_write(struct spi_device *spi, const void *buf, size_t len);
int spi_read(struct spi_device *spi, void *buf, size_t len);

/*
 * spi_write_then_read - send @n_tx bytes, then receive @n_rx, in one
 * message. Goes through a kmalloc'd copy, so any buffers are fine (as in
 * Linux). 0 or -errno.
 */
int spi_write_then_read(struct spi_device *spi, const void *txbuf,
			unsigned int n_tx, void *rxbuf, unsigned int n_rx);

/*
 * The driver for "dmakit,spi" (include/dmakit/models/spi.h): register it
 * with driver_register(); each controller then appears through
 * dk_spi_controller_of(). Its can_dma() accepts transfers of at least
 * DK_SPI_DMA_MIN_LEN bytes: the crossover of the model's cost constants
 * for full-duplex transfers, below which PIO is faster (the story
 * "dma-a-lot-vs-lots-of-dma" and tests/test_spi.c measure it). It waits by polling the status register. One machine at a
 * time may have it registered.
 */
#define DK_SPI_DMA_MIN_LEN 28
extern struct device_driver dk_spi_driver;

/* dk_spi_can_dma_default - that can_dma(), for drivers that replace it. */
bool dk_spi_can_dma_default(struct spi_controller *ctlr,
			    struct spi_device *spi, struct spi_transfer *xfer);

#ifdef __cplusplus
}
#endif

#endif
