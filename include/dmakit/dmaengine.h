/* SPDX-License-Identifier: MIT */
/*
 * A minimal dmaengine: DMA controllers (providers) offer channels, and
 * drivers (consumers) take them exclusively, queue memcpy transactions on
 * them and poll for completion. Linux names and semantics for what it has;
 * what differs is said where it differs.
 *
 * Channel lookup. Linux resolves dma_request_chan(dev, "rx") through the
 * consumer's "dmas" and "dma-names" properties. The platform does not give
 * the kernel layer a node's arbitrary properties, so dmakit names the
 * channel directly:
 *   "<provider>:<n>"  channel n of the provider, e.g. "dma@10000000:1";
 *   "<provider>"      the first free channel of the provider.
 * <provider> is the provider device's node path or node name. A channel has
 * at most one consumer at a time: that is the point (talk 000, "Corrupted
 * SD-Cards": a second user of a running channel corrupts the first one's
 * transfer). Taking a channel someone holds fails with -EBUSY; the caller
 * takes another one.
 *
 * Time. On the simulated SoC a provider's engine runs on the event loop;
 * nothing here runs it. A consumer that polls dmaengine_tx_status() must
 * let simulated time pass in between: dma_sync_wait() does, through the
 * platform's CPU-idle op (on the simulator: the next event).
 *
 * The built-in provider is the driver for "dmakit,m2m-dma"
 * (dk_m2m_dma_driver below).
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

/* dma_submit_error - the errno a failed dmaengine_submit() returned, or 0. */
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

/* Flags for the prep calls; accepted, the polled providers need neither. */
enum dma_ctrl_flags {
	DMA_PREP_INTERRUPT = 1 << 0,
	DMA_CTRL_ACK = 1 << 1,
};

typedef void (*dma_async_tx_callback)(void *dma_async_param);

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
	/* Called from dmaengine_tx_status() when the provider finds the
	 * transaction done (the providers here have no interrupt thread). */
	dma_async_tx_callback callback;
	void *callback_param;
};

struct dma_tx_state {
	dma_cookie_t last;	/* last completed cookie */
	dma_cookie_t used;	/* last cookie handed out */
	u32 residue;		/* bytes left of the cookie asked about */
};

struct dma_device;

struct dma_chan {
	struct dma_device *device;
	int chan_id;			/* index in the provider */
	dma_cookie_t cookie;		/* last cookie handed out */
	dma_cookie_t completed_cookie;	/* last cookie completed */
	struct device *slave;		/* the consumer holding it, or NULL */
	int client_count;		/* 0 or 1: channels are exclusive */
#ifdef __cplusplus
	void *private_;			/* Linux's name is a C++ keyword */
#else
	void *private;			/* the provider's */
#endif
};

/*
 * A provider. It fills dev, channels (an array of chancnt channels whose
 * device and chan_id dma_async_device_register() sets) and the ops.
 * prep_dma_memcpy, tx_status and issue_pending are required.
 */
struct dma_device {
	struct device *dev;
	struct dma_chan *channels;
	unsigned int chancnt;

	/* Called when a consumer takes / releases a channel; optional. */
	int (*device_alloc_chan_resources)(struct dma_chan *chan);
	void (*device_free_chan_resources)(struct dma_chan *chan);
	struct dma_async_tx_descriptor *(*device_prep_dma_memcpy)(
		struct dma_chan *chan, dma_addr_t dst, dma_addr_t src,
		size_t len, unsigned long flags);
	int (*device_terminate_all)(struct dma_chan *chan);
	enum dma_status (*device_tx_status)(struct dma_chan *chan,
					    dma_cookie_t cookie,
					    struct dma_tx_state *txstate);
	void (*device_issue_pending)(struct dma_chan *chan);

	/* dmakit */
	struct dma_device *dk_next;
};

/*
 * dma_async_device_register - offer @device's channels to consumers.
 * Returns 0, -EINVAL (no dev, no channels or a required op missing) or
 * -EBUSY (already registered).
 */
int dma_async_device_register(struct dma_device *device);

/*
 * dma_async_device_unregister - withdraw the channels. A channel a
 * consumer still holds is reported and forgotten: the consumer must not
 * use it any more.
 */
void dma_async_device_unregister(struct dma_device *device);

/*
 * dma_request_chan - take a channel for @dev, exclusively, by the name
 * described at the top of this file.
 * Returns the channel, or an error pointer (test with IS_ERR()):
 * -EINVAL for a NULL @dev or @name or a malformed name, -ENODEV when no
 * registered provider of @dev's machine has that name or no such channel,
 * -EBUSY when the channel (or, without ":<n>", every channel) is held,
 * or the error of the provider's device_alloc_chan_resources(). The
 * reason is also in dk_last_error().
 */
struct dma_chan *dma_request_chan(struct device *dev, const char *name);

/*
 * dma_release_channel - give the channel back, terminating what was queued
 * on it first (see dmaengine_terminate_sync()). NULL and error pointers
 * are ignored.
 */
void dma_release_channel(struct dma_chan *chan);

/*
 * dmaengine_terminate_sync - drop every transaction of @chan that the
 * engine has not started. Returns 0, or -EBUSY when the engine is still
 * running a chain it cannot abort (the m2m engine cannot): poll
 * dmaengine_tx_status() until it completes. -EINVAL for a NULL channel.
 */
int dmaengine_terminate_sync(struct dma_chan *chan);

/*
 * dmaengine_prep_dma_memcpy - a transaction copying @len bytes from device
 * address @src to @dst, both mapped for the provider's device
 * (chan->device->dev). NULL on failure (bad arguments, no descriptor free).
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

/*
 * dmaengine_submit - queue @desc on its channel. Returns its cookie, or a
 * negative errno (test with dma_submit_error()). Nothing starts until
 * dma_async_issue_pending().
 */
static inline dma_cookie_t
dmaengine_submit(struct dma_async_tx_descriptor *desc)
{
	return desc ? desc->tx_submit(desc) : -EINVAL;
}

/* dma_async_issue_pending - start what was submitted on @chan. */
static inline void dma_async_issue_pending(struct dma_chan *chan)
{
	if (chan && chan->device)
		chan->device->device_issue_pending(chan);
}

/*
 * dmaengine_tx_status - where transaction @cookie of @chan is; fills
 * @state when not NULL. Polling it is what makes the polled providers
 * notice completion, run callbacks and start the next queued chain.
 * DMA_ERROR for a NULL or error-pointer channel.
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

/*
 * dma_sync_wait - poll transaction @cookie until it completes or fails,
 * letting the devices run in between. Returns DMA_COMPLETE or DMA_ERROR;
 * DMA_ERROR also when nothing more can happen (the transaction was never
 * issued, or the engine stopped), with a message, where Linux would time
 * out after five seconds.
 */
enum dma_status dma_sync_wait(struct dma_chan *chan, dma_cookie_t cookie);

/* dma_async_is_tx_complete - the same, with the last/used cookies. */
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

#ifdef __cplusplus
}
#endif

#endif
