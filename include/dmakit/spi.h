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
 * Differences from Linux: a device refers to its controller only (it
 * embeds no struct device), and a controller's embedded dev is not a
 * registered device (dev.parent is what messages and mappings name);
 * transfers are chained through a private pointer instead of a
 * list_head; there are no asynchronous messages
 * (spi_async) and no spi-mem layer.
 */
#ifndef DMAKIT_SPI_H
#define DMAKIT_SPI_H

#include <limits.h>
#include <pthread.h>
#include <stdint.h>

#include <dmakit/device.h>
#include <dmakit/scatterlist.h>
#include <dmakit/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct spi_controller;
struct spi_device;

/**
 * struct spi_transfer - one transfer of a message; zero-initialise it and
 * set the buffers, len and cs_change.
 */
struct spi_transfer {
	/** @tx_buf: the bytes to send; NULL: the controller sends filler */
	const void *tx_buf;
	/** @rx_buf: where received bytes go; NULL: they are dropped */
	void *rx_buf;
	/** @len: bytes in each direction */
	unsigned int len;
	/** @speed_hz: clock for this transfer; 0: the device's max_speed_hz
	 * (spi_sync() fills it in, clamped to the controller's max) */
	u32 speed_hz;
	/** @effective_speed_hz: what the controller's driver achieved */
	u32 effective_speed_hz;
	/** @bits_per_word: word size; 0: the device's (8 unless set) */
	u8 bits_per_word;
	/** @tx_nbits: data lines for sending, SPI_NBITS_*; 0: single */
	unsigned int tx_nbits:4;
	/** @rx_nbits: data lines for receiving, SPI_NBITS_*; 0: single */
	unsigned int rx_nbits:4;
	/* Set by the core when it mapped the buffers for this transfer;
	 * tx_sg/rx_sg are the same mappings as scatterlists (one entry),
	 * what drivers hand to dmaengine_prep_slave_sg(). */
	dma_addr_t tx_dma;
	dma_addr_t rx_dma;
	struct sg_table tx_sg;
	struct sg_table rx_sg;
	/* Deselect the device after this transfer (before the next one). */
	unsigned int cs_change:1;
	/* private to the core */
	bool dk_dma_mapped;
	struct scatterlist dk_tx_sgl, dk_rx_sgl;
	struct scatterlist *dk_tx_sgv, *dk_rx_sgv;	/* > 1 entry */
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
	/* A device of the machine from spi_new_device() to
	 * spi_unregister_device(), named "spiB.C" (bus and chip select),
	 * its parent the controller's device: a client driver's devm_*()
	 * on it is freed with it, dev_err() and drvdata work. */
	struct device dev;
	/* Linux's drivers before 6.x name it master. */
	union {
		struct spi_controller *controller;
		struct spi_controller *master;
	};
	u32 max_speed_hz;
	u8 chip_select;
	/* 8 unless set; the default of a transfer's bits_per_word */
	u8 bits_per_word;
	u32 mode;
	char modalias[32];
	void *dk_drvdata;	/* for the client driver */
	char dk_name[24];	/* dev's name */
};

/**
 * struct spi_board_info - what spi_new_device() creates a device from.
 */
struct spi_board_info {
	/** @modalias: the device's name */
	char modalias[32];
	/** @max_speed_hz: its clock limit, copied into the device */
	u32 max_speed_hz;
	/** @chip_select: below the controller's num_chipselect */
	u16 chip_select;
	/** @mode: SPI mode bits, copied into the device */
	u32 mode;
};

/* Mode bits of spi_device.mode / spi_controller.mode_bits. */
#define SPI_CPHA		0x01
#define SPI_CPOL		0x02
#define SPI_MODE_0		0
#define SPI_MODE_1		SPI_CPHA
#define SPI_MODE_2		SPI_CPOL
#define SPI_MODE_3		(SPI_CPOL | SPI_CPHA)
#define SPI_CS_HIGH		0x04
#define SPI_LSB_FIRST		0x08
#define SPI_3WIRE		0x10	/* one data line, both ways */
#define SPI_LOOP		0x20
#define SPI_NO_CS		0x40
#define SPI_READY		0x80
#define SPI_TX_DUAL		0x100
#define SPI_TX_QUAD		0x200
#define SPI_RX_DUAL		0x400
#define SPI_RX_QUAD		0x800
#define SPI_CS_WORD		0x1000
#define SPI_TX_OCTAL		0x2000
#define SPI_RX_OCTAL		0x4000
#define SPI_3WIRE_HIZ		0x8000
/* bits_per_word_mask bit for a word size */
#define SPI_BPW_MASK(bits)	(1u << ((bits) - 1))
/* spi_transfer.tx_nbits / rx_nbits */
#define SPI_NBITS_SINGLE	0x01
#define SPI_NBITS_DUAL		0x02
#define SPI_NBITS_QUAD		0x04
#define SPI_NBITS_OCTAL		0x08

/*
 * spi_controller.flags, as Linux defines them. HALF_DUPLEX (and a device
 * in SPI_3WIRE mode): a transfer with both buffers is refused; NO_TX /
 * NO_RX there: a transfer with that buffer is refused (spi_sync()
 * returns -EINVAL, naming the transfer). MUST_TX / MUST_RX: the
 * controller cannot run without both buffers, so for each transfer
 * without one the core hands transfer_one a zeroed buffer of the
 * transfer's length (DMA-safe, mapped like the caller's when the
 * transfer goes by DMA), and gives the caller's transfer back as it
 * was afterwards. The controller's driver sends the zeroes; what it
 * receives into the dummy buffer is dropped.
 */
#define SPI_CONTROLLER_HALF_DUPLEX	0x01
#define SPI_CONTROLLER_NO_RX		0x02
#define SPI_CONTROLLER_NO_TX		0x04
#define SPI_CONTROLLER_MUST_RX		0x08
#define SPI_CONTROLLER_MUST_TX		0x10
#define SPI_MASTER_HALF_DUPLEX		SPI_CONTROLLER_HALF_DUPLEX
#define SPI_MASTER_NO_RX		SPI_CONTROLLER_NO_RX
#define SPI_MASTER_NO_TX		SPI_CONTROLLER_NO_TX
#define SPI_MASTER_MUST_RX		SPI_CONTROLLER_MUST_RX
#define SPI_MASTER_MUST_TX		SPI_CONTROLLER_MUST_TX

struct dma_chan;

/*
 * A controller, embedded in its driver's state or allocated with
 * devm_spi_alloc_host(). dev.parent is the controller's device (the one
 * its driver bound). transfer_one and set_cs are required; can_dma is
 * optional (no DMA by the core without it). transfer_one finds in
 * spi_xfer_is_dma_mapped() whether the core mapped the transfer (then
 * tx_dma/rx_dma hold the device addresses of the buffers that are not
 * NULL, mapped for dma_tx's / dma_rx's DMA device when the driver set
 * them, else for the controller; tx_sg/rx_sg hold them as scatterlists),
 * and returns 0 or -errno once the transfer is complete, or 1 when it
 * is still in flight: it then calls spi_finalize_current_transfer() when
 * it completes (from a DMA callback, say), and the core waits for that,
 * letting simulated time pass, for up to DK_SPI_XFER_TIMEOUT_NS. set_cs is given the chip-select line level, as
 * in Linux: false asserts an active-low chip select (SPI_CS_HIGH in the
 * device's mode flips it).
 */
struct spi_controller {
	struct device dev;		/* dev.parent: the controller */
	s16 bus_num;			/* set by spi_register_controller */
	u16 num_chipselect;
	u32 mode_bits;			/* accepted, unused */
	u32 bits_per_word_mask;		/* accepted; 8-bit words only */
	u32 min_speed_hz, max_speed_hz;	/* 0: no limit */
	u16 flags;			/* SPI_CONTROLLER_* */
	bool auto_runtime_pm;
	bool use_gpio_descriptors;	/* accepted; chip selects are native */
	/* The longest DMA segment the controller's DMA takes: the core
	 * splits each mapped buffer's tx_sg/rx_sg into entries of at most
	 * this many bytes (and of at most the mapping device's
	 * dma_get_max_seg_size()); 0: no limit. */
	size_t max_dma_len;
	/* Limits the driver reports to clients (spi_max_transfer_size(),
	 * spi_max_message_size()); optional. As in Linux, the core does
	 * not split transfers by them. */
	size_t (*max_transfer_size)(struct spi_device *spi);
	size_t (*max_message_size)(struct spi_device *spi);
	struct dma_chan *dma_tx, *dma_rx;	/* the driver's, if it has */
	bool (*can_dma)(struct spi_controller *ctlr, struct spi_device *spi,
			struct spi_transfer *xfer);
	int (*transfer_one)(struct spi_controller *ctlr,
			    struct spi_device *spi, struct spi_transfer *xfer);
	void (*set_cs)(struct spi_device *spi, bool enable);
	void *priv;			/* the driver's */
	/* dmakit: what the core did with each transfer */
	unsigned long dk_pio_xfers;
	unsigned long dk_dma_xfers;
	unsigned long dk_rejected_xfers;	/* unsafe buffers refused */
	/* private to the core */
	pthread_mutex_t dk_lock;
	bool dk_finalized;		/* spi_finalize_current_transfer() */
	struct spi_controller *dk_next;
};

/* How long the core waits for spi_finalize_current_transfer(). */
#define DK_SPI_XFER_TIMEOUT_NS	200000000ULL

/**
 * spi_finalize_current_transfer() - a transfer that transfer_one() left in
 * flight (it returned 1) is complete.
 * @ctlr: its controller; NULL does nothing.
 *
 * Context: any, a DMA callback or an interrupt handler included.
 */
void spi_finalize_current_transfer(struct spi_controller *ctlr);

/**
 * devm_spi_alloc_host() - a zeroed controller with @size bytes of driver
 * data after it, freed when @dev's driver unbinds.
 * @dev: the controller's device (becomes dev.parent).
 * @size: bytes of driver data (spi_controller_get_devdata()).
 *
 * Return: the controller, or NULL (-ENOMEM, or a NULL or dead @dev).
 */
struct spi_controller *devm_spi_alloc_host(struct device *dev,
					   unsigned int size);

/**
 * devm_spi_alloc_master() - the older name of devm_spi_alloc_host().
 * @dev: as there.
 * @size: as there.
 *
 * Return: as devm_spi_alloc_host().
 */
static inline struct spi_controller *devm_spi_alloc_master(struct device *dev,
							   unsigned int size)
{
	return devm_spi_alloc_host(dev, size);
}

/**
 * spi_controller_get_devdata() - the driver data of a controller.
 * @ctlr: the controller.
 *
 * Return: devm_spi_alloc_host()'s driver data, or what
 * spi_controller_set_devdata() stored; NULL for a NULL controller.
 */
static inline void *spi_controller_get_devdata(struct spi_controller *ctlr)
{
	return ctlr ? ctlr->dev.driver_data : NULL;
}

/**
 * spi_controller_set_devdata() - set the driver data of a controller.
 * @ctlr: the controller; NULL does nothing.
 * @data: the pointer.
 */
static inline void spi_controller_set_devdata(struct spi_controller *ctlr,
					      void *data)
{
	if (ctlr)
		ctlr->dev.driver_data = data;
}

/**
 * devm_spi_register_controller() - spi_register_controller(), undone
 * when @dev's driver unbinds.
 * @dev: the controller's device.
 * @ctlr: the controller.
 *
 * Return: as spi_register_controller(), or -ENOMEM.
 */
int devm_spi_register_controller(struct device *dev,
				 struct spi_controller *ctlr);

/**
 * spi_get_chipselect() - a device's chip select.
 * @spi: the device.
 * @idx: 0 (one chip select per device here).
 *
 * Return: its chip select; 0 for a NULL device.
 */
static inline u8 spi_get_chipselect(const struct spi_device *spi, u8 idx)
{
	(void)idx;
	return spi ? spi->chip_select : 0;
}

/**
 * spi_register_controller() - make a controller usable: bus_num from 0
 * up, listed for dk_spi_controller_of().
 * @ctlr: filled in by its driver; it must stay valid until
 *        spi_unregister_controller().
 *
 * Return: 0, -EINVAL (no dev.parent, transfer_one or set_cs) or -EBUSY
 * (already registered).
 */
int spi_register_controller(struct spi_controller *ctlr);
/**
 * spi_unregister_controller() - undo spi_register_controller().
 * @ctlr: the controller; NULL, or one never registered, does nothing.
 */
void spi_unregister_controller(struct spi_controller *ctlr);

/**
 * dk_spi_controller_of() - the controller the driver of a device
 * registered.
 * @dev: the controller's device; NULL for the first one registered.
 *
 * Return: the controller, or NULL if none was registered for @dev.
 */
struct spi_controller *dk_spi_controller_of(struct device *dev);

/**
 * spi_new_device() - a device on a chip select of a controller.
 * @ctlr: the controller.
 * @chip: its chip select, mode, speed and modalias (copied).
 *
 * Return: the device, added to the current machine (free it with
 * spi_unregister_device()), or NULL (chip select out of range, out of
 * memory, no machine; message in dk_last_error()).
 */
struct spi_device *spi_new_device(struct spi_controller *ctlr,
				  const struct spi_board_info *chip);
/**
 * spi_unregister_device() - delete a device from spi_new_device(),
 * releasing what was devm_*()'d on it; freed when its last reference
 * (get_device()) goes.
 * @spi: the device; NULL does nothing.
 */
void spi_unregister_device(struct spi_device *spi);

/*
 * The helpers below do nothing (or return NULL/false) for a NULL device,
 * message or transfer, and spi_message_init_with_transfers() adds no
 * transfer from a NULL array.
 */
/**
 * spi_set_drvdata() - store the client driver's pointer.
 * @spi: the device.
 * @data: the pointer.
 */
static inline void spi_set_drvdata(struct spi_device *spi, void *data)
{
	if (spi)
		spi->dk_drvdata = data;
}

/**
 * spi_get_drvdata() - the client driver's pointer.
 * @spi: the device.
 *
 * Return: what spi_set_drvdata() stored, NULL for none or a NULL device.
 */
static inline void *spi_get_drvdata(struct spi_device *spi)
{
	return spi ? spi->dk_drvdata : NULL;
}

/**
 * spi_message_init() - an empty message.
 * @m: the message to reset.
 */
static inline void spi_message_init(struct spi_message *m)
{
	if (!m)
		return;
	m->spi = NULL;
	m->status = 0;
	m->actual_length = m->frame_length = 0;
	m->dk_first = m->dk_last = NULL;
}

/**
 * spi_message_add_tail() - append a transfer to a message.
 * @t: the transfer; it must stay valid until spi_sync() returns.
 * @m: the message.
 */
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

/**
 * spi_message_init_with_transfers() - a message of an array of transfers.
 * @m: the message to reset.
 * @xfers: the transfers, in order.
 * @num: how many.
 */
static inline void spi_message_init_with_transfers(struct spi_message *m,
						   struct spi_transfer *xfers,
						   unsigned int num)
{
	unsigned int i;

	spi_message_init(m);
	for (i = 0; m && xfers && i < num; i++)
		spi_message_add_tail(&xfers[i], m);
}

/**
 * spi_xfer_is_dma_mapped() - whether the core mapped a transfer's buffers
 * for DMA, so transfer_one must use tx_dma/rx_dma.
 * @ctlr: the controller (unused).
 * @spi: the device (unused).
 * @xfer: the transfer.
 *
 * Return: true if mapped; false for PIO or NULL.
 */
static inline bool spi_xfer_is_dma_mapped(struct spi_controller *ctlr,
					  struct spi_device *spi,
					  struct spi_transfer *xfer)
{
	(void)ctlr;
	(void)spi;
	return xfer && xfer->dk_dma_mapped;
}

/**
 * spi_max_transfer_size() - the longest transfer a device's controller
 * takes, as its driver reports it (the smaller of its max_transfer_size()
 * and max_message_size()).
 * @spi: the device.
 *
 * Return: bytes; SIZE_MAX when the driver reports no limit or @spi is
 * NULL.
 */
static inline size_t spi_max_transfer_size(struct spi_device *spi)
{
	struct spi_controller *c = spi ? spi->controller : NULL;
	size_t t = c && c->max_transfer_size ? c->max_transfer_size(spi) :
					       SIZE_MAX;
	size_t m = c && c->max_message_size ? c->max_message_size(spi) :
					      SIZE_MAX;

	return t < m ? t : m;
}

/**
 * spi_max_message_size() - the longest message a device's controller
 * takes, as its driver reports it.
 * @spi: the device.
 *
 * Return: bytes; SIZE_MAX when the driver reports no limit or @spi is
 * NULL.
 */
static inline size_t spi_max_message_size(struct spi_device *spi)
{
	struct spi_controller *c = spi ? spi->controller : NULL;

	return c && c->max_message_size ? c->max_message_size(spi) : SIZE_MAX;
}

/**
 * spi_controller_xfer_timeout() - how long a driver should wait for a
 * transfer, in milliseconds: twice its time on the wire at its speed_hz
 * (as spi_sync() filled it in), and at least 500 ms.
 * @ctlr: the controller (unused).
 * @xfer: the transfer.
 *
 * Return: milliseconds; 500 for a NULL transfer or one with no speed.
 */
static inline unsigned int spi_controller_xfer_timeout(struct spi_controller *ctlr,
						       struct spi_transfer *xfer)
{
	unsigned long long ms;

	(void)ctlr;
	if (!xfer || !xfer->speed_hz)
		return 500;
	ms = 2ULL * xfer->len * 8 * 1000 / xfer->speed_hz;
	return ms > 500 ? (ms > UINT_MAX ? UINT_MAX : (unsigned int)ms) : 500;
}

/**
 * spi_sync() - run a message with the chip select asserted from the first
 * transfer to the end (and between transfers marked cs_change),
 * serialised against other users of the controller. Nothing after a
 * failed transfer is sent.
 * @spi: the device.
 * @message: the transfers; status and actual_length are set.
 *
 * Context: the controller's transfer_one runs on this thread (the
 * "dmakit,spi" driver polls its controller, advancing the simulated clock).
 * Each transfer is checked and completed first, as Linux's core does: its
 * speed_hz defaults to the device's max_speed_hz and is clamped to the
 * controller's; bits_per_word defaults to the device's (8); tx_nbits and
 * rx_nbits of a buffer default to SPI_NBITS_SINGLE; the controller's
 * flags are applied (SPI_CONTROLLER_* above).
 * Return: 0 or -errno, also in message->status: -EINVAL (NULL arguments,
 * an empty message, a transfer with len > 0 and neither buffer, one the
 * controller's flags refuse, a word size outside bits_per_word_mask, a
 * speed below min_speed_hz, or a
 * buffer to be DMA'd that is not DMA-safe, see above), -ENOMEM (mapping
 * or a stand-in buffer failed), or the controller's error.
 */
int spi_sync(struct spi_device *spi, struct spi_message *message);

/**
 * spi_sync_transfer() - spi_sync() of an array of transfers.
 * @spi: the device.
 * @xfers: the transfers.
 * @num: how many.
 *
 * Return: as spi_sync(); -EINVAL for a NULL device, or NULL @xfers with
 * @num > 0.
 */
int spi_sync_transfer(struct spi_device *spi, struct spi_transfer *xfers,
		      unsigned int num);

/**
 * spi_write() - one transmit-only transfer.
 * @spi: the device.
 * @buf: the bytes; DMA-safe if the transfer is long enough for DMA.
 * @len: how many.
 *
 * Return: 0 or -errno as spi_sync().
 */
int spi_write(struct spi_device *spi, const void *buf, size_t len);
/**
 * spi_read() - one receive-only transfer.
 * @spi: the device.
 * @buf: where the bytes go; DMA-safe if the transfer is long enough for
 *       DMA.
 * @len: how many.
 *
 * Return: 0 or -errno as spi_sync().
 */
int spi_read(struct spi_device *spi, void *buf, size_t len);

/**
 * spi_write_then_read() - send bytes, then receive bytes, in one message.
 * Goes through a kmalloc'd copy, so any buffers are fine (as in Linux).
 * @spi: the device.
 * @txbuf: the bytes to send.
 * @n_tx: how many.
 * @rxbuf: where the reply goes.
 * @n_rx: how many.
 *
 * Return: 0 or -errno as spi_sync(); -ENOMEM for the copy.
 */
int spi_write_then_read(struct spi_device *spi, const void *txbuf,
			unsigned int n_tx, void *rxbuf, unsigned int n_rx);

/*
 * The driver for "dmakit,spi" (include/dmakit/models/spi.h): register it
 * with driver_register(); each controller then appears through
 * dk_spi_controller_of(). Its can_dma() accepts transfers of at least
 * DK_SPI_DMA_MIN_LEN bytes: the crossover of the model's cost constants
 * for full-duplex transfers, below which PIO is faster (the story
 * "dma-a-lot-vs-lots-of-dma" and tests/test_spi.c measure it). It waits
 * by polling the status register. One machine at a time may have it
 * registered.
 */
#define DK_SPI_DMA_MIN_LEN 28
extern struct device_driver dk_spi_driver;

/**
 * dk_spi_can_dma_default() - the "dmakit,spi" driver's can_dma(), for
 * drivers that replace it and want to fall back on it.
 * @ctlr: the controller (unused).
 * @spi: the device (unused).
 * @xfer: the transfer.
 *
 * Return: true for a transfer of at least DK_SPI_DMA_MIN_LEN bytes;
 * false otherwise or for NULL.
 */
bool dk_spi_can_dma_default(struct spi_controller *ctlr,
			    struct spi_device *spi, struct spi_transfer *xfer);

#ifdef __cplusplus
}
#endif

#endif
