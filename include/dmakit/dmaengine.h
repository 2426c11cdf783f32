/* SPDX-License-Identifier: MIT */
/*
 * dmaengine: DMA controllers (providers) offer channels, and drivers
 * (consumers) take them exclusively, queue memcpy or slave (peripheral)
 * transactions on them and learn of completion by callback or by polling.
 * Linux names and semantics for what it has; what differs is said where
 * it differs. Slave transfers: take the channel, dmaengine_slave_config()
 * it with the peripheral's FIFO address, width and burst, map the buffer
 * for dmaengine_get_dma_device() (the controller does the DMA, not the
 * peripheral), prep, set the callback, submit, dma_async_issue_pending(),
 * then start the peripheral.
 *
 * Channel lookup. dma_request_chan(dev, "rx") resolves the name as Linux
 * does, through the consumer's "dmas" and "dma-names" in the tree: every
 * entry named so is tried in order (Linux starts at a rotating index),
 * the provider whose node the entry names translates its argument cells
 * (its "#dma-cells") to a channel, and the first channel that is free is
 * taken. A channel has at most one consumer at a time: that is the point
 * (talk 000, "Corrupted SD-Cards": a second user of a running channel
 * corrupts the first one's transfer). When every entry's channel is held
 * the answer is -ENODEV, as in Linux; when an entry's provider has no
 * driver yet it is -EPROBE_DEFER.
 *
 * A name that is no "dma-names" entry of the consumer names the channel
 * directly (dmakit's own syntax, for consumers the tree does not wire):
 *   "<provider>:<n>"  channel n of the provider, e.g. "dma@10000000:1";
 *   "<provider>"      the first free channel of the provider.
 * <provider> is the provider device's node path or node name. Taking a
 * channel someone holds this way fails with -EBUSY.
 *
 * Time. On the simulated SoC a provider's engine runs on the event loop;
 * nothing here runs it. A consumer that polls dmaengine_tx_status() must
 * let simulated time pass in between: dma_sync_wait() does, through the
 * platform's CPU-idle op (on the simulator: the next event).
 *
 * The built-in providers are the drivers for "dmakit,m2m-dma"
 * (dk_m2m_dma_driver below, memcpy) and "dmakit,slave-dma"
 * (dk_slave_dma_driver, the slave API: peripheral transfers paced by the
 * peripheral's request line, include/dmakit/models/slave_dma.h).
 *
 * Callbacks. A provider calls a descriptor's callback_result (or, without
 * one, its callback) once the transaction completed, or for cyclic
 * transfers once per period, from its interrupt handler: on the simulated
 * SoC that is while simulated time passes (a driver waiting for a
 * completion, polling a register or calling dma_sync_wait()). Terminated
 * transactions get no callback.
 */
#ifndef DMAKIT_DMAENGINE_H
#define DMAKIT_DMAENGINE_H

#include <errno.h>

#include <dmakit/device.h>
#include <dmakit/err.h>
#include <dmakit/types.h>

#ifdef __cplusplus
extern "C" {
#endif


/* Transaction identifiers: positive and increasing per channel. */
typedef s32 dma_cookie_t;
#define DMA_MIN_COOKIE 1

/**
 * dma_submit_error() - whether dmaengine_submit() failed.
 * @cookie: what it returned.
 *
 * Return: the negative errno of a failed submission, or 0.
 */
static inline int dma_submit_error(dma_cookie_t cookie)
{
	return cookie < 0 ? cookie : 0;
}

enum dma_status {
	DMA_COMPLETE,
	DMA_IN_PROGRESS,
	DMA_PAUSED,
	DMA_ERROR,
};

/*
 * Flags for the prep calls; accepted. Both providers call a descriptor's
 * callback whether or not DMA_PREP_INTERRUPT is set (as Linux's virt-dma
 * providers do), and never reuse descriptors (DMA_CTRL_ACK).
 */
enum dma_ctrl_flags {
	DMA_PREP_INTERRUPT = 1 << 0,
	DMA_CTRL_ACK = 1 << 1,
};

/* Which way a slave transfer goes. */
enum dma_transfer_direction {
	DMA_MEM_TO_MEM,
	DMA_MEM_TO_DEV,
	DMA_DEV_TO_MEM,
	DMA_DEV_TO_DEV,
	DMA_TRANS_NONE,
};

/* Width of one access to the peripheral's register, in bytes. */
enum dma_slave_buswidth {
	DMA_SLAVE_BUSWIDTH_UNDEFINED = 0,
	DMA_SLAVE_BUSWIDTH_1_BYTE = 1,
	DMA_SLAVE_BUSWIDTH_2_BYTES = 2,
	DMA_SLAVE_BUSWIDTH_3_BYTES = 3,
	DMA_SLAVE_BUSWIDTH_4_BYTES = 4,
	DMA_SLAVE_BUSWIDTH_8_BYTES = 8,
	DMA_SLAVE_BUSWIDTH_16_BYTES = 16,
	DMA_SLAVE_BUSWIDTH_32_BYTES = 32,
	DMA_SLAVE_BUSWIDTH_64_BYTES = 64,
	DMA_SLAVE_BUSWIDTH_128_BYTES = 128,
};

/**
 * struct dma_slave_config - the peripheral side of a slave channel, set
 * with dmaengine_slave_config() before the prep calls.
 */
struct dma_slave_config {
	/** @direction: deprecated in Linux (the prep call says it); ignored */
	enum dma_transfer_direction direction;
	/** @src_addr: DEV_TO_MEM: the peripheral's FIFO register (physical) */
	phys_addr_t src_addr;
	/** @dst_addr: MEM_TO_DEV: the peripheral's FIFO register */
	phys_addr_t dst_addr;
	/** @src_addr_width: DEV_TO_MEM: width of each FIFO read */
	enum dma_slave_buswidth src_addr_width;
	/** @dst_addr_width: MEM_TO_DEV: width of each FIFO write */
	enum dma_slave_buswidth dst_addr_width;
	/** @src_maxburst: DEV_TO_MEM: accesses per request (0: 1) */
	u32 src_maxburst;
	/** @dst_maxburst: MEM_TO_DEV: accesses per request (0: 1) */
	u32 dst_maxburst;
	/** @src_port_window_size: accepted, unused */
	u32 src_port_window_size;
	/** @dst_port_window_size: accepted, unused */
	u32 dst_port_window_size;
	/** @device_fc: the peripheral is the flow controller (refused) */
	bool device_fc;
	/** @peripheral_config: provider-specific; unused */
	void *peripheral_config;
	/** @peripheral_size: its size */
	size_t peripheral_size;
};

/* How a transaction ended, for callback_result. */
enum dmaengine_tx_result {
	DMA_TRANS_NOERROR = 0,
	DMA_TRANS_READ_FAILED,	/* a read (of memory or the FIFO) faulted */
	DMA_TRANS_WRITE_FAILED,	/* a write faulted */
	DMA_TRANS_ABORTED,	/* someone else reprogrammed the channel */
};

struct dmaengine_result {
	enum dmaengine_tx_result result;
	u32 residue;		/* bytes that did not move */
};

/* How finely a provider's residue is known. */
enum dma_residue_granularity {
	DMA_RESIDUE_GRANULARITY_DESCRIPTOR = 0,
	DMA_RESIDUE_GRANULARITY_SEGMENT = 1,
	DMA_RESIDUE_GRANULARITY_BURST = 2,
};

typedef void (*dma_async_tx_callback)(void *dma_async_param);
typedef void (*dma_async_tx_callback_result)(
	void *dma_async_param, const struct dmaengine_result *result);

/*
 * One transaction. The provider allocates it in a prep call; the consumer
 * may set callback/callback_param, then submits it. The descriptor belongs
 * to the provider from submission on and is freed once it completed (or
 * was terminated): do not touch it after dmaengine_submit().
 */
struct dma_async_tx_descriptor {
	dma_cookie_t cookie;
	enum dma_ctrl_flags flags;
	struct dma_chan *chan;
	dma_cookie_t (*tx_submit)(struct dma_async_tx_descriptor *tx);
	/* The memcpy provider calls them from dmaengine_tx_status() when it
	 * finds the transaction done; the slave one from its interrupt. */
	dma_async_tx_callback callback;
	dma_async_tx_callback_result callback_result;
	void *callback_param;
	/* A provider that lets descriptors be reused (DMA_CTRL_REUSE, see
	 * <linux/dmaengine.h>) frees one here; optional. */
	int (*desc_free)(struct dma_async_tx_descriptor *tx);
};

struct dma_tx_state {
	dma_cookie_t last;	/* last completed cookie */
	dma_cookie_t used;	/* last cookie handed out */
	u32 residue;		/* bytes left of the cookie asked about */
};

struct dma_device;

#ifndef DK_STRUCT_LIST_HEAD
#define DK_STRUCT_LIST_HEAD
/* Linux's list link; <linux/list.h> has the operations on it. */
struct list_head {
	struct list_head *next, *prev;
};
#endif

struct dma_chan {
	struct dma_device *device;
	struct list_head device_node;	/* in device->channels */
	int chan_id;			/* index in the provider */
	dma_cookie_t cookie;		/* last cookie handed out */
	dma_cookie_t completed_cookie;	/* last cookie completed */
	struct device *slave;		/* the consumer holding it, or NULL */
	int client_count;		/* 0 or 1: channels are exclusive */
	char dk_name[24];		/* dma_chan_name(): "dma<dev_id>chan<id>" */
#ifdef __cplusplus
	void *private_;			/* Linux's name is a C++ keyword */
#else
	void *private;			/* the provider's */
#endif
};

struct scatterlist;
struct dk_dma_spec;

/*
 * What a provider can do, as Linux names it (dma_device.cap_mask); the
 * transfer types a consumer asks dma_request_channel() for.
 */
enum dma_transaction_type {
	DMA_MEMCPY,
	DMA_XOR,
	DMA_PQ,
	DMA_XOR_VAL,
	DMA_PQ_VAL,
	DMA_MEMSET,
	DMA_MEMSET_SG,
	DMA_INTERRUPT,
	DMA_PRIVATE,
	DMA_ASYNC_TX,
	DMA_SLAVE,
	DMA_CYCLIC,
	DMA_INTERLEAVE,
	DMA_COMPLETION_NO_ORDER,
	DMA_REPEAT,
	DMA_LOAD_EOT,
	DMA_TX_TYPE_END,
};

/* A set of enum dma_transaction_type. */
typedef struct {
	unsigned long bits[1];
} dma_cap_mask_t;

/**
 * dma_cap_set() - add a transfer type to a set.
 * @tx: the enum dma_transaction_type.
 * @mask: the dma_cap_mask_t (not a pointer).
 */
#define dma_cap_set(tx, mask)	((mask).bits[0] |= 1UL << (tx))
/**
 * dma_cap_clear() - remove a transfer type from a set.
 * @tx: the enum dma_transaction_type.
 * @mask: the dma_cap_mask_t.
 */
#define dma_cap_clear(tx, mask)	((mask).bits[0] &= ~(1UL << (tx)))
/**
 * dma_cap_zero() - empty a set.
 * @mask: the dma_cap_mask_t.
 */
#define dma_cap_zero(mask)	((mask).bits[0] = 0)
/**
 * dma_has_cap() - whether a set has a transfer type.
 * @tx: the enum dma_transaction_type.
 * @mask: the dma_cap_mask_t.
 *
 * Return: 1 or 0.
 */
#define dma_has_cap(tx, mask)	(((mask).bits[0] >> (tx)) & 1)

/* Alignment a provider needs of addresses and lengths, as a power of
 * two (dma_device.copy_align...). */
enum dmaengine_alignment {
	DMAENGINE_ALIGN_1_BYTE = 0,
	DMAENGINE_ALIGN_2_BYTES = 1,
	DMAENGINE_ALIGN_4_BYTES = 2,
	DMAENGINE_ALIGN_8_BYTES = 3,
	DMAENGINE_ALIGN_16_BYTES = 4,
	DMAENGINE_ALIGN_32_BYTES = 5,
	DMAENGINE_ALIGN_64_BYTES = 6,
	DMAENGINE_ALIGN_128_BYTES = 7,
	DMAENGINE_ALIGN_256_BYTES = 8,
};

/*
 * A provider. It fills dev, channels and the ops, as in Linux: channels
 * is a list (INIT_LIST_HEAD() it, then list_add_tail() each channel's
 * device_node); dma_async_device_register() numbers the channels chan_id
 * 0, 1... in list order, sets their device and sets chancnt. tx_status
 * and issue_pending are required, and at least one prep op.
 */
struct dma_device {
	struct device *dev;
	struct list_head channels;
	unsigned int chancnt;		/* set by registration */
	int dev_id;			/* set by registration, from 0 up */

	/* What the slave provider offers (for dma_get_slave_caps-minded
	 * drivers): BIT(enum dma_transfer_direction), BIT(width in bytes). */
	u32 directions;
	u32 src_addr_widths;
	u32 dst_addr_widths;
	u32 max_burst;
	enum dma_residue_granularity residue_granularity;
	/* Descriptors may be submitted again (DMA_CTRL_REUSE). */
	bool descriptor_reuse;

	/* The transfer types it offers (DMA_MEMCPY, DMA_SLAVE...).
	 * dma_async_device_register() adds those its prep ops imply and
	 * refuses a type set without its op. */
	dma_cap_mask_t cap_mask;
	/* What its memcpy, xor, pq and memset need aligned. */
	enum dmaengine_alignment copy_align, xor_align, pq_align, fill_align;
	/* Sources of one xor / pq operation. */
	unsigned int max_xor;
	unsigned short max_pq;

	/* Called when a consumer takes / releases a channel; optional. */
	int (*device_alloc_chan_resources)(struct dma_chan *chan);
	void (*device_free_chan_resources)(struct dma_chan *chan);
	struct dma_async_tx_descriptor *(*device_prep_dma_memcpy)(
		struct dma_chan *chan, dma_addr_t dst, dma_addr_t src,
		size_t len, unsigned long flags);
	/* memset, xor and p+q; optional (no dmakit model offers them). */
	struct dma_async_tx_descriptor *(*device_prep_dma_memset)(
		struct dma_chan *chan, dma_addr_t dest, int value, size_t len,
		unsigned long flags);
	struct dma_async_tx_descriptor *(*device_prep_dma_xor)(
		struct dma_chan *chan, dma_addr_t dst, dma_addr_t *src,
		unsigned int src_cnt, size_t len, unsigned long flags);
	struct dma_async_tx_descriptor *(*device_prep_dma_pq)(
		struct dma_chan *chan, dma_addr_t *dst, dma_addr_t *src,
		unsigned int src_cnt, const unsigned char *scf, size_t len,
		unsigned long flags);
	struct dma_async_tx_descriptor *(*device_prep_slave_sg)(
		struct dma_chan *chan, struct scatterlist *sgl,
		unsigned int sg_len, enum dma_transfer_direction direction,
		unsigned long flags, void *context);
	struct dma_async_tx_descriptor *(*device_prep_dma_cyclic)(
		struct dma_chan *chan, dma_addr_t buf_addr, size_t buf_len,
		size_t period_len, enum dma_transfer_direction direction,
		unsigned long flags);
	int (*device_config)(struct dma_chan *chan,
			     struct dma_slave_config *config);
	int (*device_pause)(struct dma_chan *chan);
	int (*device_resume)(struct dma_chan *chan);
	int (*device_terminate_all)(struct dma_chan *chan);
	void (*device_synchronize)(struct dma_chan *chan);
	enum dma_status (*device_tx_status)(struct dma_chan *chan,
					    dma_cookie_t cookie,
					    struct dma_tx_state *txstate);
	void (*device_issue_pending)(struct dma_chan *chan);

	/* dmakit: the channel a consumer's "dmas" entry names, if free
	 * (client_count 0), else NULL; called with the dmaengine lock held.
	 * Optional: without it the first argument cell is the channel. */
	struct dma_chan *(*dk_xlate)(struct dma_device *device,
				     const struct dk_dma_spec *spec);
	struct dma_device *dk_next;
};

/**
 * dma_async_device_register() - offer a provider's channels to consumers.
 * @device: the provider, filled in as described at struct dma_device; it
 *          must stay valid until dma_async_device_unregister().
 *
 * Return: 0, -EINVAL (no dev, no channels or a required op missing) or
 * -EBUSY (already registered). Sets dev_id, chancnt, and each channel's
 * device, chan_id and name.
 */
int dma_async_device_register(struct dma_device *device);

/**
 * dma_maxpq() - the most sources one p+q operation of @dma takes.
 * @dma: the provider.
 * @flags: the operation's flags (accepted).
 *
 * Return: its max_pq; 0 for NULL.
 */
static inline int dma_maxpq(struct dma_device *dma, enum dma_ctrl_flags flags)
{
	(void)flags;
	return dma ? dma->max_pq : 0;
}

/**
 * dma_async_device_unregister() - withdraw a provider's channels.
 * @device: a registered provider. A channel a consumer still holds is
 *          reported and forgotten: the consumer must not use it any more.
 */
void dma_async_device_unregister(struct dma_device *device);

/**
 * dma_request_chan() - take a channel for a consumer, exclusively, by the
 * name described at the top of this file.
 * @dev: the consumer.
 * @name: a "dma-names" entry of @dev ("tx", "rx"), or "<provider>:<n>" or
 *        "<provider>" as described there.
 *
 * Return: the channel (give it back with dma_release_channel()), or an
 * error pointer (test with IS_ERR()), the reason also in dk_last_error():
 * -EINVAL for a NULL or dead @dev, a NULL @name or a malformed name;
 * for a "dma-names" entry, -ENODEV when every channel the entries name is
 * held (as Linux) and -EPROBE_DEFER when an entry's provider has no
 * driver bound yet; for
 * a provider name, -ENODEV when no registered provider of @dev's machine
 * has that name or no such channel, -EBUSY when the channel (or, without
 * ":<n>", every channel) is held; or the error of the provider's
 * device_alloc_chan_resources().
 */
struct dma_chan *dma_request_chan(struct device *dev, const char *name);

/**
 * dma_request_slave_channel() - dma_request_chan() with NULL for every
 * failure, as Linux's older name.
 * @dev: the consumer.
 * @name: as for dma_request_chan().
 *
 * Return: the channel or NULL.
 */
static inline struct dma_chan *dma_request_slave_channel(struct device *dev,
							 const char *name)
{
	struct dma_chan *c = dma_request_chan(dev, name);

	return IS_ERR(c) ? NULL : c;
}

/**
 * dma_chan_name() - a channel's name for messages.
 * @chan: a registered channel.
 *
 * Return: "dma<provider>chan<channel>", as Linux names them;
 * "(no channel)" for NULL or an error pointer.
 */
static inline const char *dma_chan_name(struct dma_chan *chan)
{
	return IS_ERR_OR_NULL(chan) ? "(no channel)" : chan->dk_name;
}

/**
 * dmaengine_get_dma_device() - the device that performs the channel's
 * DMA: map buffers for it (not for the peripheral).
 * @chan: a channel.
 *
 * Return: the provider's device; NULL for NULL or an error pointer.
 */
static inline struct device *dmaengine_get_dma_device(struct dma_chan *chan)
{
	return IS_ERR_OR_NULL(chan) || !chan->device ? NULL : chan->device->dev;
}

/* A consumer's choice among channels (dma_request_channel()). */
typedef bool (*dma_filter_fn)(struct dma_chan *chan, void *filter_param);

/**
 * __dma_request_channel() - take the first free channel, among the
 * providers of the current machine, whose provider offers every type in
 * @mask and that @fn accepts, as Linux's dma_request_channel() does.
 * @mask: the transfer types (dma_cap_set()).
 * @fn: the consumer's filter, called with each candidate (a lock held:
 *      it must not take channels); NULL accepts any.
 * @fn_param: @fn's argument.
 * @np: accepted (NULL); the tree is not consulted.
 *
 * Return: the channel, held until dma_release_channel() (with no
 * consumer device), or NULL when no channel fits, none is free, or
 * there is no machine.
 */
struct dma_chan *__dma_request_channel(const dma_cap_mask_t *mask,
				       dma_filter_fn fn, void *fn_param,
				       void *np);
/**
 * dma_request_channel() - __dma_request_channel() of a dma_cap_mask_t.
 * @mask: the dma_cap_mask_t (not a pointer).
 * @fn: the filter, or NULL.
 * @param: its argument.
 *
 * Return: as __dma_request_channel().
 */
#define dma_request_channel(mask, fn, param)				\
	__dma_request_channel(&(mask), fn, param, NULL)

/**
 * struct dmaengine_unmap_data - the mappings of one operation's buffers,
 * unmapped together when its last reference goes (dmaengine_unmap_put()):
 * addr[0..to_cnt) DMA_TO_DEVICE, then from_cnt DMA_FROM_DEVICE, then
 * bidi_cnt DMA_BIDIRECTIONAL (of these, an address of 0 is taken as a
 * slot left unmapped and skipped), each of len bytes, for dev.
 */
struct dmaengine_unmap_data {
	u16 map_cnt;		/* entries of addr[] */
	u8 to_cnt;
	u8 from_cnt;
	u8 bidi_cnt;
	struct device *dev;
	int dk_refs;
	size_t len;
	dma_addr_t addr[];
};

/**
 * dmaengine_get_unmap_data() - room for @nr mappings of @dev, counts 0,
 * one reference.
 * @dev: the device the buffers are mapped for.
 * @nr: entries of addr[]; 1..65535.
 * @flags: GFP flags (accepted).
 *
 * Return: the record, or NULL (no memory, @nr out of range, NULL @dev).
 */
struct dmaengine_unmap_data *dmaengine_get_unmap_data(struct device *dev,
						      int nr, gfp_t flags);

/**
 * dmaengine_unmap_get() - take another reference.
 * @unmap: the record.
 */
void dmaengine_unmap_get(struct dmaengine_unmap_data *unmap);

/**
 * dmaengine_unmap_put() - drop a reference; the last one unmaps the
 * buffers as described at struct dmaengine_unmap_data and frees it.
 * @unmap: the record; NULL does nothing.
 */
void dmaengine_unmap_put(struct dmaengine_unmap_data *unmap);

/**
 * dma_release_channel() - give a channel back, terminating what was
 * queued on it first (see dmaengine_terminate_sync()).
 * @chan: from dma_request_chan(); NULL and error pointers are ignored.
 */
void dma_release_channel(struct dma_chan *chan);

/**
 * dmaengine_terminate_async() - stop a channel: the running transaction
 * stops at the next burst boundary, and every transaction queued on the
 * channel is dropped, without callbacks. dmaengine_tx_status() reports a
 * terminated transaction as DMA_ERROR with the bytes that did not move as
 * its residue (Linux providers differ there).
 * @chan: a held channel.
 *
 * Return: 0, -EBUSY when the engine is still running a chain it cannot
 * abort (the m2m engine cannot: poll dmaengine_tx_status() until it
 * completes), -ENOSYS for a provider that cannot terminate, -EINVAL for
 * a NULL channel.
 */
int dmaengine_terminate_async(struct dma_chan *chan);

/**
 * dmaengine_synchronize() - wait until no callback of the channel runs
 * any more and the hardware no longer touches terminated buffers: after
 * it the consumer may free or unmap them.
 * @chan: a held channel; NULL does nothing.
 *
 * Context: may sleep (lets simulated time pass).
 */
void dmaengine_synchronize(struct dma_chan *chan);

/**
 * dmaengine_terminate_sync() - dmaengine_terminate_async(), then
 * dmaengine_synchronize().
 * @chan: a held channel.
 *
 * Return: as dmaengine_terminate_async().
 */
int dmaengine_terminate_sync(struct dma_chan *chan);

/**
 * dmaengine_terminate_all() - Linux's deprecated name of
 * dmaengine_terminate_sync().
 * @chan: a held channel.
 *
 * Return: as dmaengine_terminate_sync().
 */
static inline int dmaengine_terminate_all(struct dma_chan *chan)
{
	return dmaengine_terminate_sync(chan);
}

/**
 * dmaengine_slave_config() - set the peripheral side of a slave channel.
 * @chan: a held channel.
 * @config: FIFO addresses, widths and bursts; copied.
 *
 * Return: 0, -EINVAL for a NULL channel or configuration or one the
 * provider cannot do (a width or burst it lacks, device_fc), -ENOSYS for
 * a provider without slave transfers.
 */
int dmaengine_slave_config(struct dma_chan *chan,
			   struct dma_slave_config *config);

/**
 * dmaengine_prep_slave_sg() - a transaction moving a mapped scatterlist to
 * or from the configured peripheral.
 * @chan: a held, configured channel.
 * @sgl: the list, mapped for dmaengine_get_dma_device(@chan); its
 *       sg_dma_address()/sg_dma_len() are used.
 * @sg_len: the number of mapped entries (what dma_map_sg() returned).
 * @dir: DMA_MEM_TO_DEV or DMA_DEV_TO_MEM.
 * @flags: enum dma_ctrl_flags.
 *
 * Return: the descriptor, or NULL (no slave support, not configured, a bad
 * direction, an entry whose length is not a multiple of the width).
 */
struct dma_async_tx_descriptor *
dmaengine_prep_slave_sg(struct dma_chan *chan, struct scatterlist *sgl,
			unsigned int sg_len, enum dma_transfer_direction dir,
			unsigned long flags);

/**
 * dmaengine_prep_slave_single() - dmaengine_prep_slave_sg() of one
 * buffer.
 * @chan: a held, configured channel.
 * @buf: its device address, mapped for dmaengine_get_dma_device(@chan).
 * @len: bytes.
 * @dir: DMA_MEM_TO_DEV or DMA_DEV_TO_MEM.
 * @flags: enum dma_ctrl_flags.
 *
 * Return: as dmaengine_prep_slave_sg().
 */
struct dma_async_tx_descriptor *
dmaengine_prep_slave_single(struct dma_chan *chan, dma_addr_t buf, size_t len,
			    enum dma_transfer_direction dir,
			    unsigned long flags);

/**
 * dmaengine_prep_dma_cyclic() - a transaction that goes round a ring
 * buffer until terminated, calling the callback after every period.
 * @chan: a held, configured channel.
 * @buf_addr: the ring's device address.
 * @buf_len: its bytes, a multiple of @period_len.
 * @period_len: bytes per period.
 * @dir: DMA_MEM_TO_DEV or DMA_DEV_TO_MEM.
 * @flags: enum dma_ctrl_flags.
 *
 * Return: the descriptor, or NULL as dmaengine_prep_slave_sg().
 */
struct dma_async_tx_descriptor *
dmaengine_prep_dma_cyclic(struct dma_chan *chan, dma_addr_t buf_addr,
			  size_t buf_len, size_t period_len,
			  enum dma_transfer_direction dir, unsigned long flags);

/**
 * dmaengine_pause() - stop a channel at the next burst boundary, keeping
 * its transaction: dmaengine_tx_status() then says DMA_PAUSED with a
 * residue that no longer changes.
 * @chan: a held channel.
 *
 * Return: 0, -ENOSYS for a provider that cannot, -EINVAL for NULL.
 */
int dmaengine_pause(struct dma_chan *chan);

/**
 * dmaengine_resume() - go on with a paused transaction where it stopped.
 * @chan: a held channel.
 *
 * Return: 0, -ENOSYS for a provider that cannot, -EINVAL for NULL.
 */
int dmaengine_resume(struct dma_chan *chan);

/**
 * dmaengine_prep_dma_memcpy() - a transaction copying @len bytes from
 * device address @src to @dst, both mapped for the provider's device
 * (chan->device->dev).
 * @chan: a held channel.
 * @dst: the destination's device address.
 * @src: the source's device address.
 * @len: bytes.
 * @flags: enum dma_ctrl_flags; accepted.
 *
 * Return: the descriptor (set its callback if wanted, then
 * dmaengine_submit() it), or NULL on failure (bad arguments, no
 * descriptor free, a provider without the op).
 */
static inline struct dma_async_tx_descriptor *
dmaengine_prep_dma_memcpy(struct dma_chan *chan, dma_addr_t dst,
			  dma_addr_t src, size_t len, unsigned long flags)
{
	if (!chan || !chan->device || !chan->device->device_prep_dma_memcpy)
		return NULL;
	return chan->device->device_prep_dma_memcpy(chan, dst, src, len,
						    flags);
}

/**
 * dmaengine_submit() - queue a prepared transaction on its channel.
 * Nothing starts until dma_async_issue_pending(); the descriptor is the
 * provider's from now on.
 * @desc: from a prep call; NULL gives -EINVAL.
 *
 * Return: its cookie, or a negative errno (test with dma_submit_error()).
 */
static inline dma_cookie_t
dmaengine_submit(struct dma_async_tx_descriptor *desc)
{
	return desc ? desc->tx_submit(desc) : -EINVAL;
}

/**
 * dma_async_issue_pending() - start what was submitted on a channel.
 * @chan: a held channel; NULL does nothing.
 */
static inline void dma_async_issue_pending(struct dma_chan *chan)
{
	if (chan && chan->device)
		chan->device->device_issue_pending(chan);
}

/**
 * dmaengine_tx_status() - where a transaction is. Polling it is what makes
 * the polled providers notice completion, run callbacks and start the
 * next queued chain.
 * @chan: the channel it was submitted on.
 * @cookie: what dmaengine_submit() returned.
 * @state: filled in when not NULL.
 *
 * Return: DMA_COMPLETE, DMA_IN_PROGRESS, DMA_PAUSED or DMA_ERROR; DMA_ERROR
 * for a NULL or error-pointer channel.
 */
static inline enum dma_status dmaengine_tx_status(struct dma_chan *chan,
						  dma_cookie_t cookie,
						  struct dma_tx_state *state)
{
	if (IS_ERR_OR_NULL(chan) || !chan->device ||
	    !chan->device->device_tx_status)
		return DMA_ERROR;
	return chan->device->device_tx_status(chan, cookie, state);
}

/**
 * dma_sync_wait() - poll a transaction until it completes or fails,
 * letting the devices run in between.
 * @chan: the channel it was submitted on.
 * @cookie: what dmaengine_submit() returned.
 *
 * Context: runs the SoC's devices (its event loop) on this thread while
 * it waits.
 * Return: DMA_COMPLETE or DMA_ERROR; DMA_ERROR also when nothing more can
 * happen (the transaction was never issued, or the engine stopped), with
 * a message, where Linux would time out after five seconds.
 */
enum dma_status dma_sync_wait(struct dma_chan *chan, dma_cookie_t cookie);

/**
 * dma_async_is_tx_complete() - dmaengine_tx_status(), with the channel's
 * last completed and last used cookies.
 * @chan: as for dmaengine_tx_status().
 * @cookie: as for dmaengine_tx_status().
 * @last: set to the last completed cookie when not NULL.
 * @used: set to the last cookie handed out when not NULL.
 *
 * Return: as dmaengine_tx_status().
 */
static inline enum dma_status dma_async_is_tx_complete(struct dma_chan *chan,
						       dma_cookie_t cookie,
						       dma_cookie_t *last,
						       dma_cookie_t *used)
{
	struct dma_tx_state st = { 0, 0, 0 };
	enum dma_status s = dmaengine_tx_status(chan, cookie, &st);

	if (last)
		*last = st.last;
	if (used)
		*used = st.used;
	return s;
}

/*
 * The dmaengine driver for "dmakit,m2m-dma" (include/dmakit/models/
 * m2m_dma.h): register it with driver_register() on a machine and every
 * such controller becomes a provider, one dmaengine channel per hardware
 * channel, each with a ring of DK_M2M_DMAENGINE_RING descriptors in
 * coherent memory. It polls: completion is found by dmaengine_tx_status().
 * A channel that reports REPROGRAMMED (its registers were written while it
 * ran, by someone who did not own it) completes its transactions with
 * DMA_ERROR and a warning. One machine at a time may have it registered.
 */
#define DK_M2M_DMAENGINE_RING 64
extern struct device_driver dk_m2m_dma_driver;

/*
 * The dmaengine driver for "dmakit,slave-dma": one channel per hardware
 * channel, the slave API (slave_config, prep_slave_sg/single,
 * prep_dma_cyclic, pause/resume, terminate, residue by burst) and its
 * completion interrupt. "#dma-cells" = <1>: the cell is the request line
 * and the first free channel in "dma-channel-mask" serves it; <2>: the
 * request line, then the channel. A transaction whose channel was
 * reprogrammed behind the driver's back (START while it ran) ends with
 * DMA_ERROR, DMA_TRANS_ABORTED and a warning.
 */
extern struct device_driver dk_slave_dma_driver;

#ifdef __cplusplus
}
#endif

#endif
