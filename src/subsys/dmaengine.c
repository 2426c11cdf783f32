// SPDX-License-Identifier: MIT
/*
 * dmaengine: providers, exclusive channel requests, and the provider
 * driver for the "dmakit,m2m-dma" engine. The API is described in
 * include/dmakit/dmaengine.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/dmaengine.h>
#include <dmakit/interrupt.h>
#include <dmakit/io.h>
#include <dmakit/models/m2m_dma.h>
#include <dmakit/soc.h>

#include "../core/dk_internal.h"
#include "../core/objreg.h"
#include "dmaengine_internal.h"

/* Providers of every machine; each lookup filters by machine. */
static pthread_mutex_t dma_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dma_device *providers;
static int next_dev_id;

/* The types a provider's ops imply join its cap_mask; a type it claims
 * without the op is refused, as Linux's registration does. */
static int add_caps(struct dma_device *d)
{
	static const struct {
		enum dma_transaction_type type;
		const char *name;
	} types[] = {
		{ DMA_MEMCPY, "DMA_MEMCPY" }, { DMA_MEMSET, "DMA_MEMSET" },
		{ DMA_XOR, "DMA_XOR" }, { DMA_PQ, "DMA_PQ" },
		{ DMA_SLAVE, "DMA_SLAVE" }, { DMA_CYCLIC, "DMA_CYCLIC" },
	};
	const bool has[] = {
		d->device_prep_dma_memcpy, d->device_prep_dma_memset,
		d->device_prep_dma_xor, d->device_prep_dma_pq,
		d->device_prep_slave_sg, d->device_prep_dma_cyclic,
	};
	unsigned int i;

	for (i = 0; i < sizeof(has) / sizeof(has[0]); i++) {
		if (dma_has_cap(types[i].type, d->cap_mask) && !has[i])
			return dk_err(-EIO, "%s: %s set but no prep op for it",
				      dev_name(d->dev), types[i].name);
		if (has[i])
			dma_cap_set(types[i].type, d->cap_mask);
	}
	return 0;
}

void dk_dma_link_channels(struct dma_device *d, struct dma_chan *chans,
			  unsigned int n)
{
	struct list_head *tail = &d->channels;
	unsigned int i;

	for (i = 0; i < n; i++) {
		chans[i].device_node.prev = tail;
		tail->next = &chans[i].device_node;
		tail = &chans[i].device_node;
	}
	tail->next = &d->channels;
	d->channels.prev = tail;
}

/* A list set up with INIT_LIST_HEAD() and at least one channel on it (a
 * provider left zeroed has none). */
static bool has_channels(const struct dma_device *d)
{
	return d->channels.next && d->channels.next != &d->channels;
}

int dma_async_device_register(struct dma_device *device)
{
	struct dma_device *d;
	struct dma_chan *c;
	unsigned int i = 0;

	if (!device || !device->dev || !has_channels(device) ||
	    !(device->device_prep_dma_memcpy ||
	      device->device_prep_slave_sg ||
	      device->device_prep_dma_cyclic) ||
	    !device->device_tx_status || !device->device_issue_pending)
		return dk_err(-EINVAL,
			      "dma_async_device_register: needs a device, channels, a prep op, tx_status and issue_pending");
	if (add_caps(device))
		return -EIO;
	pthread_mutex_lock(&dma_lock);
	for (d = providers; d && d != device; d = d->dk_next)
		;
	if (d) {
		pthread_mutex_unlock(&dma_lock);
		return dk_err(-EBUSY, "%s: DMA provider already registered",
			      dev_name(device->dev));
	}
	device->dev_id = next_dev_id++;
	dk_for_each_chan(c, device) {
		snprintf(c->dk_name, sizeof(c->dk_name), "dma%dchan%u",
			 device->dev_id, i);
		c->device = device;
		c->chan_id = (int)i++;
		/* A driver that set its cookies (dma_cookie_init(), as
		 * Linux's do) keeps them. */
		if (!c->cookie && !c->completed_cookie)
			c->cookie = c->completed_cookie = DMA_MIN_COOKIE - 1;
		c->slave = NULL;
		c->client_count = 0;
	}
	device->chancnt = i;
	device->dk_next = providers;
	providers = device;
	pthread_mutex_unlock(&dma_lock);
	return 0;
}

void dma_async_device_unregister(struct dma_device *device)
{
	struct dma_device **pp;
	struct dma_chan *c;
	bool found = false;

	if (!device)
		return;
	pthread_mutex_lock(&dma_lock);
	for (pp = &providers; *pp; pp = &(*pp)->dk_next)
		if (*pp == device) {
			*pp = device->dk_next;
			found = true;
			break;
		}
	pthread_mutex_unlock(&dma_lock);
	if (!found)
		return;
	dk_for_each_chan(c, device)
		if (c->client_count)
			dev_warn(device->dev,
				 "unregistering while channel %d is held by %s",
				 c->chan_id, dev_name(c->slave));
}

/* Channel @idx of @d, or NULL. */
static struct dma_chan *chan_at(struct dma_device *d, unsigned long idx)
{
	struct dma_chan *c;

	dk_for_each_chan(c, d)
		if (!idx--)
			return c;
	return NULL;
}

/* The provider whose device @name names, among @m's. Lock held. */
static struct dma_device *find_provider(struct dk_machine *m,
					const char *name, size_t len)
{
	struct dma_device *d;

	for (d = providers; d; d = d->dk_next) {
		const char *full = dev_name(d->dev), *base = strrchr(full, '/');

		if (d->dev->machine != m)
			continue;
		base = base ? base + 1 : full;
		if ((strlen(full) == len && !strncmp(full, name, len)) ||
		    (strlen(base) == len && !strncmp(base, name, len)))
			return d;
	}
	return NULL;
}

/* Parse "<provider>[:<n>]": the provider part's length and n, or -1. */
static int parse_name(const char *name, size_t *plen, long *idx)
{
	const char *colon = strrchr(name, ':');
	char *end;

	*idx = -1;
	*plen = strlen(name);
	if (!colon)
		return *plen ? 0 : -EINVAL;
	*plen = colon - name;
	if (!*plen || !colon[1])
		return -EINVAL;
	*idx = strtol(colon + 1, &end, 10);
	return *end || *idx < 0 ? -EINVAL : 0;
}

static int take(struct dma_chan *c, struct device *dev)
{
	int r = 0;

	if (c->client_count)
		return -EBUSY;
	c->client_count = 1;
	c->slave = dev;
	if (c->device->device_alloc_chan_resources)
		r = c->device->device_alloc_chan_resources(c);
	if (r < 0) {
		c->client_count = 0;
		c->slave = NULL;
	}
	return r < 0 ? r : 0;
}

/* The registered provider of @m whose device is the node @path. */
static struct dma_device *provider_of_node(struct dk_machine *m,
					   const char *path)
{
	struct dma_device *d;

	for (d = providers; d; d = d->dk_next)
		if (d->dev->machine == m && !strcmp(d->dev->init_name, path))
			return d;
	return NULL;
}

/* The channel one "dmas" entry names, if free. Lock held. */
static struct dma_chan *xlate(struct dma_device *d,
			      const struct dk_dma_spec *s)
{
	struct dma_chan *c;

	if (d->dk_xlate)
		return d->dk_xlate(d, s);
	c = s->nargs < 1 ? NULL : chan_at(d, s->args[0]);
	return !c || c->client_count ? NULL : c;
}

int dk_dma_take_chan(struct dma_chan *c, struct device *consumer)
{
	int r;

	pthread_mutex_lock(&dma_lock);
	r = take(c, consumer);
	pthread_mutex_unlock(&dma_lock);
	return r;
}

static _Atomic dk_dma_of_xlate_fn of_xlate;

void dk_dmaengine_set_of_xlate(dk_dma_of_xlate_fn fn)
{
	of_xlate = fn;
}

/* The channel the controller's registered of_dma xlate gives, taken for
 * @dev; -ENOENT in *@r when it registered none. Lock held; the xlate
 * runs without it (it takes the channel through dk_dma_take_chan()). */
static struct dma_chan *by_of_xlate(struct device *dev,
				    const struct dk_dma_spec *s, int *r)
{
	dk_dma_of_xlate_fn fn = of_xlate;
	struct dma_chan *c;

	*r = -ENOENT;
	if (!fn)
		return NULL;
	pthread_mutex_unlock(&dma_lock);
	c = fn(dev, s, r);
	pthread_mutex_lock(&dma_lock);
	if (c)
		c->slave = dev;
	return c;
}

/* dma_request_chan() for a "dma-names" entry of @dev, as Linux's
 * of_dma_request_slave_channel(). */
static struct dma_chan *request_by_tree(struct device *dev, const char *name)
{
	struct dma_chan *c;
	struct dma_device *d;
	int i, r = -ENODEV, held = -1, defer = 0, xr;

	pthread_mutex_lock(&dma_lock);
	for (i = 0; i < dev->dk_n_dmas; i++) {
		const struct dk_dma_spec *s = &dev->dk_dmas[i];

		if (!s->name || strcmp(s->name, name))
			continue;
		c = by_of_xlate(dev, s, &xr);
		if (c) {
			pthread_mutex_unlock(&dma_lock);
			return c;
		}
		if (xr != -ENOENT) {
			/* As Linux, a failing entry leaves the next to try. */
			if (xr == -ENODEV)
				held = i;
			else
				r = xr;
			continue;
		}
		d = provider_of_node(dev->machine, s->provider);
		if (!d) {
			r = -EPROBE_DEFER;
			defer = i;
			continue;
		}
		c = xlate(d, s);
		if (!c) {
			held = i;
			continue;
		}
		r = take(c, dev);
		if (!r) {
			pthread_mutex_unlock(&dma_lock);
			return c;
		}
		break;
	}
	pthread_mutex_unlock(&dma_lock);
	if (r == -EPROBE_DEFER)
		return ERR_PTR(dk_err(-EPROBE_DEFER,
				      "dma_request_chan(%s, \"%s\"): DMA controller %s has no driver yet",
				      dev_name(dev), name,
				      dev->dk_dmas[defer].provider));
	if (r == -ENODEV && held >= 0)
		return ERR_PTR(dk_err(-ENODEV,
				      "dma_request_chan(%s, \"%s\"): every channel of %s that \"dmas\" entry %d can use is held",
				      dev_name(dev), name,
				      dev->dk_dmas[held].provider, held));
	return ERR_PTR(r);
}

static bool has_dma_name(const struct device *dev, const char *name)
{
	int i;

	for (i = 0; i < dev->dk_n_dmas; i++)
		if (dev->dk_dmas[i].name && !strcmp(dev->dk_dmas[i].name, name))
			return true;
	return false;
}

struct dma_chan *dma_request_chan(struct device *dev, const char *name)
{
	struct dma_device *d;
	struct dma_chan *c = NULL;
	size_t plen;
	long idx;
	int r;

	if (dev && !dk_obj_live(dev, DK_OBJ_DEVICE))
		return ERR_PTR(dk_err(-EINVAL, "dma_request_chan: %s",
				      dev_name(dev)));
	if (dev && name && has_dma_name(dev, name))
		return request_by_tree(dev, name);
	if (!dev || !name || parse_name(name, &plen, &idx))
		return ERR_PTR(dk_err(-EINVAL,
				      "dma_request_chan(%s, \"%s\"): want \"<provider>\" or \"<provider>:<channel>\"",
				      dev_name(dev), name ? name : "(null)"));
	pthread_mutex_lock(&dma_lock);
	d = find_provider(dev->machine, name, plen);
	if (!d) {
		pthread_mutex_unlock(&dma_lock);
		return ERR_PTR(dk_err(-ENODEV,
				      "dma_request_chan(%s, \"%s\"): no DMA provider \"%.*s\"",
				      dev_name(dev), name, (int)plen, name));
	}
	if (idx >= (long)d->chancnt) {
		pthread_mutex_unlock(&dma_lock);
		return ERR_PTR(dk_err(-ENODEV,
				      "dma_request_chan(%s, \"%s\"): %s has %u channels",
				      dev_name(dev), name, dev_name(d->dev),
				      d->chancnt));
	}
	if (idx >= 0) {
		c = chan_at(d, (unsigned long)idx);
		r = take(c, dev);
	} else {
		r = -EBUSY;
		dk_for_each_chan(c, d) {
			r = take(c, dev);
			if (r != -EBUSY)
				break;
		}
	}
	pthread_mutex_unlock(&dma_lock);
	if (r == -EBUSY && idx >= 0)
		return ERR_PTR(dk_err(-EBUSY,
				      "dma_request_chan(%s, \"%s\"): channel %ld of %s is held by %s",
				      dev_name(dev), name, idx, dev_name(d->dev),
				      dev_name(c->slave)));
	if (r == -EBUSY)
		return ERR_PTR(dk_err(-EBUSY,
				      "dma_request_chan(%s, \"%s\"): every channel of %s is held",
				      dev_name(dev), name, dev_name(d->dev)));
	if (r)
		return ERR_PTR(r);
	return c;
}

/* Every type of @mask is one @d offers. */
static bool has_caps(const struct dma_device *d, const dma_cap_mask_t *mask)
{
	return (d->cap_mask.bits[0] & mask->bits[0]) == mask->bits[0];
}

struct dma_chan *__dma_request_channel(const dma_cap_mask_t *mask,
				       dma_filter_fn fn, void *fn_param,
				       void *np)
{
	struct dk_machine *m = dk_machine_current();
	struct dma_device *d;

	(void)np;
	if (!mask || !m)
		return NULL;
	pthread_mutex_lock(&dma_lock);
	for (d = providers; d; d = d->dk_next) {
		if (d->dev->machine != m || !has_caps(d, mask))
			continue;
		struct dma_chan *c;

		dk_for_each_chan(c, d) {
			if (c->client_count || (fn && !fn(c, fn_param)))
				continue;
			if (!take(c, NULL)) {
				pthread_mutex_unlock(&dma_lock);
				return c;
			}
		}
	}
	pthread_mutex_unlock(&dma_lock);
	return NULL;
}

struct dmaengine_unmap_data *dmaengine_get_unmap_data(struct device *dev,
						      int nr, gfp_t flags)
{
	struct dmaengine_unmap_data *u;

	(void)flags;
	if (!dev || nr < 1 || nr > 65535)
		return NULL;
	u = calloc(1, sizeof(*u) + (size_t)nr * sizeof(u->addr[0]));
	if (!u)
		return NULL;
	u->map_cnt = (u16)nr;
	u->dev = dev;
	u->dk_refs = 1;
	return u;
}

void dmaengine_unmap_get(struct dmaengine_unmap_data *unmap)
{
	if (unmap)
		__atomic_add_fetch(&unmap->dk_refs, 1, __ATOMIC_RELAXED);
}

void dmaengine_unmap_put(struct dmaengine_unmap_data *u)
{
	static const enum dma_data_direction dirs[] = {
		DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_BIDIRECTIONAL,
	};
	unsigned int i = 0, k, end = 0;

	if (!u || __atomic_sub_fetch(&u->dk_refs, 1, __ATOMIC_ACQ_REL))
		return;
	for (k = 0; k < 3; k++) {
		end += k == 0 ? u->to_cnt : k == 1 ? u->from_cnt : u->bidi_cnt;
		for (; i < end && i < u->map_cnt; i++)
			/* A bidirectional slot may be left unmapped (0). */
			if (u->addr[i] || k != 2)
				dma_unmap_page(u->dev, u->addr[i], u->len,
					       dirs[k]);
	}
	free(u);
}

void dma_release_channel(struct dma_chan *chan)
{
	if (IS_ERR_OR_NULL(chan) || !chan->device)
		return;
	if (dmaengine_terminate_sync(chan))
		dev_warn(chan->device->dev,
			 "channel %d released by %s while its engine still runs",
			 chan->chan_id, dev_name(chan->slave));
	if (chan->device->device_free_chan_resources)
		chan->device->device_free_chan_resources(chan);
	pthread_mutex_lock(&dma_lock);
	chan->client_count = 0;
	chan->slave = NULL;
	pthread_mutex_unlock(&dma_lock);
}

/* ---- the provider driver for "dmakit,m2m-dma" */

struct m2m_tx {
	struct dma_async_tx_descriptor tx;
	dma_addr_t dst, src;
	size_t len;
	struct m2m_tx *next;
};

struct m2m_dev;

struct m2m_chan {
	struct m2m_dev *md;
	struct dma_chan *chan;
	void __iomem *regs;		/* this channel's registers */
	struct dk_m2m_desc *ring;	/* coherent: the engine reads it */
	dma_addr_t ring_dma;
	struct m2m_tx *queued, **queued_tail;	/* submitted */
	bool issued_pending;		/* issue_pending seen for them */
	struct m2m_tx *active;		/* the chain the engine runs */
	dma_cookie_t err_lo, err_hi;	/* cookies that ended in error */
};

struct m2m_dev {
	struct dma_device dd;
	void __iomem *base;
	/* recursive: callbacks submit again, and the completion interrupt
	 * may arrive while a register access of the holder stalls */
	pthread_mutex_t lock;
	u32 nchan;
	struct m2m_chan ch[DK_M2M_MAX_CHANNELS];
	struct dma_chan chans[DK_M2M_MAX_CHANNELS];
};

static struct m2m_chan *to_m2m(struct dma_chan *c)
{
	return c->private;
}

static dma_cookie_t m2m_submit(struct dma_async_tx_descriptor *tx)
{
	struct m2m_chan *mc = to_m2m(tx->chan);
	struct m2m_tx *t = (struct m2m_tx *)tx;

	dma_cookie_t c;

	pthread_mutex_lock(&mc->md->lock);
	c = tx->cookie = ++tx->chan->cookie;
	t->next = NULL;
	*mc->queued_tail = t;
	mc->queued_tail = &t->next;
	pthread_mutex_unlock(&mc->md->lock);
	return c;
}

static struct dma_async_tx_descriptor *
m2m_prep_memcpy(struct dma_chan *chan, dma_addr_t dst, dma_addr_t src,
		size_t len, unsigned long flags)
{
	struct m2m_tx *t;

	if (!len || len > 0xffffffffUL) {
		dk_err(-EINVAL, "m2m: memcpy of %zu bytes", len);
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		dk_err(-ENOMEM, "m2m: out of memory");
		return NULL;
	}
	t->tx.chan = chan;
	t->tx.flags = flags;
	t->tx.tx_submit = m2m_submit;
	t->dst = dst;
	t->src = src;
	t->len = len;
	return &t->tx;
}

/* Hand up to a ring's worth of queued transactions to the engine. */
static void m2m_start(struct m2m_chan *mc)
{
	struct m2m_tx *t, **tail = &mc->active;
	unsigned int n = 0;

	if (mc->active || !mc->queued || !mc->issued_pending)
		return;
	while (mc->queued && n < DK_M2M_DMAENGINE_RING) {
		t = mc->queued;
		mc->queued = t->next;
		t->next = NULL;
		*tail = t;
		tail = &t->next;
		mc->ring[n].src = t->src;
		mc->ring[n].dst = t->dst;
		mc->ring[n].len = (u32)t->len;
		mc->ring[n].flags = 0;
		mc->ring[n].next = mc->ring_dma + (n + 1) * sizeof(*mc->ring);
		n++;
	}
	mc->ring[n - 1].flags = DK_M2M_DESC_LAST;
	mc->ring[n - 1].next = 0;
	if (!mc->queued) {
		mc->queued_tail = &mc->queued;
		mc->issued_pending = false;
	}
	writel((u32)mc->ring_dma, mc->regs + DK_M2M_DESC_LO);
	writel(mc->ring_dma >> 32, mc->regs + DK_M2M_DESC_HI);
	/* The engine interrupts when the chain is done: callbacks run then,
	 * as Linux's providers run them, whether or not anyone polls. */
	writel(DK_M2M_CTRL_START | DK_M2M_CTRL_IRQEN, mc->regs + DK_M2M_CTRL);
}

static void m2m_issue_pending(struct dma_chan *chan)
{
	struct m2m_chan *mc = to_m2m(chan);

	pthread_mutex_lock(&mc->md->lock);
	if (mc->queued)
		mc->issued_pending = true;
	m2m_start(mc);
	pthread_mutex_unlock(&mc->md->lock);
}

/* If the engine finished the active chain, retire it and start the next. */
static void m2m_poll(struct m2m_chan *mc)
{
	struct m2m_tx *t, *next, *was = mc->active;
	u32 st;
	bool bad;

	if (!was)
		return;
	st = readl(mc->regs + DK_M2M_STATUS);
	/* The interrupt, taken while the read stalled, retired it. */
	if (mc->active != was || (st & DK_M2M_ST_BUSY))
		return;
	bad = st & (DK_M2M_ST_ERROR | DK_M2M_ST_REPROGRAMMED);
	if (st & DK_M2M_ST_REPROGRAMMED)
		dev_warn(mc->chan->device->dev,
			 "channel %d was reprogrammed while it ran: someone who does not own it wrote its registers",
			 mc->chan->chan_id);
	writel(DK_M2M_ST_DONE | DK_M2M_ST_ERROR | DK_M2M_ST_REPROGRAMMED,
	       mc->regs + DK_M2M_STATUS);
	/* Off the channel before any callback runs: a callback may start
	 * the next chain, and an interrupt a callback's register access
	 * takes must not retire this one again. */
	t = mc->active;
	mc->active = NULL;
	for (; t; t = next) {
		next = t->next;
		mc->chan->completed_cookie = t->tx.cookie;
		if (bad) {
			if (mc->err_hi < mc->err_lo)
				mc->err_lo = t->tx.cookie;
			mc->err_hi = t->tx.cookie;
		}
		dk_dma_run_callback(&t->tx, bad ? DMA_TRANS_ABORTED :
						  DMA_TRANS_NOERROR, 0);
		free(t);
	}
	m2m_start(mc);
}

static irqreturn_t m2m_irq(int irq, void *arg)
{
	struct m2m_dev *md = arg;
	u32 pend, i;

	(void)irq;
	pthread_mutex_lock(&md->lock);
	pend = readl(md->base + DK_M2M_REG_IRQSTAT);
	writel(pend, md->base + DK_M2M_REG_IRQSTAT);
	for (i = 0; i < md->nchan; i++)
		if (pend & 1u << i)
			m2m_poll(&md->ch[i]);
	pthread_mutex_unlock(&md->lock);
	return pend ? IRQ_HANDLED : IRQ_NONE;
}

static enum dma_status m2m_tx_status(struct dma_chan *chan,
				     dma_cookie_t cookie,
				     struct dma_tx_state *state)
{
	struct m2m_chan *mc = to_m2m(chan);
	struct m2m_tx *t;
	enum dma_status s;

	pthread_mutex_lock(&mc->md->lock);
	m2m_poll(mc);
	if (cookie <= chan->completed_cookie)
		s = cookie >= mc->err_lo && cookie <= mc->err_hi ? DMA_ERROR :
								  DMA_COMPLETE;
	else
		s = DMA_IN_PROGRESS;
	if (state) {
		state->last = chan->completed_cookie;
		state->used = chan->cookie;
		state->residue = 0;
		for (t = mc->active; t && s == DMA_IN_PROGRESS; t = t->next)
			if (t->tx.cookie == cookie)
				state->residue = (u32)t->len;
		for (t = mc->queued; t && s == DMA_IN_PROGRESS; t = t->next)
			if (t->tx.cookie == cookie)
				state->residue = (u32)t->len;
	}
	pthread_mutex_unlock(&mc->md->lock);
	return s;
}

static int m2m_terminate_all(struct dma_chan *chan)
{
	struct m2m_chan *mc = to_m2m(chan);
	struct m2m_tx *t;
	bool busy;

	pthread_mutex_lock(&mc->md->lock);
	m2m_poll(mc);
	while ((t = mc->queued)) {
		mc->queued = t->next;
		free(t);
	}
	mc->queued_tail = &mc->queued;
	mc->issued_pending = false;
	busy = mc->active;
	pthread_mutex_unlock(&mc->md->lock);
	if (busy)
		return dk_err(-EBUSY,
			      "m2m channel %d: the engine cannot abort the chain it runs",
			      chan->chan_id);
	return 0;
}

static void m2m_free_chan_resources(struct dma_chan *chan)
{
	struct m2m_chan *mc = to_m2m(chan);

	/* A chain the engine still runs stays until a later poll; the
	 * next owner's requests queue behind it. */
	mc->err_lo = 1;
	mc->err_hi = 0;
}

static int m2m_driver_probe(struct device *dev)
{
	struct m2m_dev *md;
	pthread_mutexattr_t a;
	u32 i, n;
	int r;
	size_t ring = DK_M2M_DMAENGINE_RING * sizeof(struct dk_m2m_desc);
	u8 *mem;
	dma_addr_t mem_dma;

	md = devm_kzalloc(dev, sizeof(*md), GFP_KERNEL);
	if (!md)
		return -ENOMEM;
	md->base = devm_ioremap(dev, dev->reg, dev->reg_size);
	if (!md->base)
		return -ENOMEM;
	if (readl(md->base + DK_M2M_REG_ID) != DK_M2M_ID)
		return dk_err(-ENODEV, "%s: not a dmakit m2m engine",
			      dev_name(dev));
	n = readl(md->base + DK_M2M_REG_NCHAN);
	if (!n || n > DK_M2M_MAX_CHANNELS)
		return dk_err(-ENODEV, "%s: %u channels", dev_name(dev), n);
	mem = dmam_alloc_coherent(dev, n * ring, &mem_dma, GFP_KERNEL);
	if (!mem)
		return -ENOMEM;
	md->nchan = n;
	for (i = 0; i < n; i++) {
		struct m2m_chan *mc = &md->ch[i];

		mc->md = md;
		mc->regs = md->base + DK_M2M_CHAN(i);
		mc->ring = (struct dk_m2m_desc *)(mem + i * ring);
		mc->ring_dma = mem_dma + i * ring;
		mc->queued_tail = &mc->queued;
		mc->err_lo = 1;
		mc->chan = &md->chans[i];
		md->chans[i].private = mc;
	}
	md->dd.dev = dev;
	dk_dma_link_channels(&md->dd, md->chans, n);
	md->dd.device_free_chan_resources = m2m_free_chan_resources;
	md->dd.device_prep_dma_memcpy = m2m_prep_memcpy;
	md->dd.device_terminate_all = m2m_terminate_all;
	md->dd.device_tx_status = m2m_tx_status;
	md->dd.device_issue_pending = m2m_issue_pending;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&md->lock, &a);
	pthread_mutexattr_destroy(&a);
	dev_set_drvdata(dev, md);
	/* A tree without the engine's interrupt: callbacks run when the
	 * consumer polls (tx_status), as before. */
	r = dev->irq >= 0 ?
		devm_request_irq(dev, dev->irq, m2m_irq, 0, NULL, md) : 0;
	if (!r)
		r = dma_async_device_register(&md->dd);
	if (r)
		pthread_mutex_destroy(&md->lock);
	return r;
}

static void m2m_driver_remove(struct device *dev)
{
	struct m2m_dev *md = dev_get_drvdata(dev);
	struct m2m_tx *t;
	u32 i;

	dma_async_device_unregister(&md->dd);
	pthread_mutex_lock(&md->lock);
	for (i = 0; i < md->nchan; i++) {
		struct m2m_chan *mc = &md->ch[i];

		while ((t = mc->active)) {
			mc->active = t->next;
			free(t);
		}
		while ((t = mc->queued)) {
			mc->queued = t->next;
			free(t);
		}
	}
	/* Kept, not destroyed: the interrupt is released after this, with
	 * the driver's other resources, and finds nothing active. */
	pthread_mutex_unlock(&md->lock);
}

static const struct of_device_id m2m_ids[] = {
	{ "dmakit,m2m-dma", NULL },
	{ NULL, NULL },
};

struct device_driver dk_m2m_dma_driver = {
	.name = "dmakit-m2m-dma",
	.of_match_table = m2m_ids,
	.probe = m2m_driver_probe,
	.remove = m2m_driver_remove,
};

enum dma_status dma_sync_wait(struct dma_chan *chan, dma_cookie_t cookie)
{
	struct dk_machine *m;
	const struct dk_platform *pl;
	enum dma_status st;

	if (!chan || !chan->device || !chan->device->dev) {
		dk_err(-EINVAL, "dma_sync_wait: NULL channel");
		return DMA_ERROR;
	}
	m = chan->device->dev->machine;
	pl = dk_machine_platform(m);
	for (;;) {
		st = dmaengine_tx_status(chan, cookie, NULL);
		if (st == DMA_COMPLETE || st == DMA_ERROR)
			return st;
		if (!pl->ops->cpu_idle || !pl->ops->cpu_idle(pl->ctx)) {
			dk_err(-ETIMEDOUT,
			       "dma_sync_wait: transaction %d on channel %d can never complete: nothing is running",
			       cookie, chan->chan_id);
			return DMA_ERROR;
		}
	}
}
