// SPDX-License-Identifier: MIT
/*
 * The I2C core (adapters, clients, transfers, DMA-safe message buffers)
 * and the bus driver for the "dmakit,i2c" controller. The API is described
 * in include/dmakit/i2c.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/i2c.h>
#include <dmakit/io.h>
#include <dmakit/mm.h>
#include <dmakit/models/i2c.h>
#include <dmakit/slab.h>

#include "../core/dk_internal.h"

static pthread_mutex_t adap_lock = PTHREAD_MUTEX_INITIALIZER;
static struct i2c_adapter *adapters;

int i2c_add_adapter(struct i2c_adapter *adap)
{
	struct i2c_adapter *a;
	int nr = 0;

	if (!adap || !adap->dev.parent || !adap->algo ||
	    !adap->algo->master_xfer)
		return dk_err(-EINVAL,
			      "i2c_add_adapter: needs dev.parent and master_xfer");
	pthread_mutex_lock(&adap_lock);
	for (a = adapters; a; a = a->dk_next) {
		if (a == adap) {
			pthread_mutex_unlock(&adap_lock);
			return dk_err(-EBUSY, "i2c_add_adapter: %s already added",
				      adap->name);
		}
		if (a->nr >= nr)
			nr = a->nr + 1;
	}
	adap->nr = nr;
	if (!adap->timeout)
		adap->timeout = DK_I2C_DEFAULT_TIMEOUT;
	if (!adap->name[0])
		snprintf(adap->name, sizeof(adap->name), "i2c-%d", nr);
	pthread_mutex_init(&adap->dk_lock, NULL);
	adap->dk_next = adapters;
	adapters = adap;
	pthread_mutex_unlock(&adap_lock);
	return 0;
}

void i2c_del_adapter(struct i2c_adapter *adap)
{
	struct i2c_adapter **pp;
	bool found = false;

	if (!adap)
		return;
	pthread_mutex_lock(&adap_lock);
	for (pp = &adapters; *pp; pp = &(*pp)->dk_next)
		if (*pp == adap) {
			*pp = adap->dk_next;
			found = true;
			break;
		}
	pthread_mutex_unlock(&adap_lock);
	if (found)
		pthread_mutex_destroy(&adap->dk_lock);
}

struct i2c_adapter *i2c_get_adapter(int nr)
{
	struct i2c_adapter *a;

	pthread_mutex_lock(&adap_lock);
	for (a = adapters; a && a->nr != nr; a = a->dk_next)
		;
	pthread_mutex_unlock(&adap_lock);
	return a;
}

/* Run @fn on @adap with its bus locked, when it is added (an adapter
 * never added has no bus lock yet, and nobody can be transferring). */
static void with_bus_locked(struct i2c_adapter *adap,
			    void (*fn)(struct i2c_adapter *adap))
{
	struct i2c_adapter *a;

	pthread_mutex_lock(&adap_lock);
	for (a = adapters; a && a != adap; a = a->dk_next)
		;
	if (a)
		pthread_mutex_lock(&adap->dk_lock);
	pthread_mutex_unlock(&adap_lock);
	fn(adap);
	if (a)
		pthread_mutex_unlock(&adap->dk_lock);
}

static void set_suspended(struct i2c_adapter *adap)
{
	adap->locked_flags |= 1UL << I2C_ALF_IS_SUSPENDED;
}

static void clear_suspended(struct i2c_adapter *adap)
{
	adap->locked_flags &= ~(1UL << I2C_ALF_IS_SUSPENDED |
				1UL << I2C_ALF_SUSPEND_REPORTED);
}

void i2c_mark_adapter_suspended(struct i2c_adapter *adap)
{
	if (adap)
		with_bus_locked(adap, set_suspended);
}

void i2c_mark_adapter_resumed(struct i2c_adapter *adap)
{
	if (adap)
		with_bus_locked(adap, clear_suspended);
}

/* Linux's check, with the bus locked: a suspended adapter's controller
 * may be unclocked, so the transfer must not reach its driver. */
static int check_suspended(struct i2c_adapter *adap)
{
	if (!(adap->locked_flags & 1UL << I2C_ALF_IS_SUSPENDED))
		return 0;
	if (!(adap->locked_flags & 1UL << I2C_ALF_SUSPEND_REPORTED)) {
		adap->locked_flags |= 1UL << I2C_ALF_SUSPEND_REPORTED;
		dev_err(adap->dev.parent, "%s: Transfer while suspended",
			adap->name);
	}
	return dk_err(-ESHUTDOWN, "%s: i2c_transfer: transfer while suspended",
		      adap->name);
}

void i2c_put_adapter(struct i2c_adapter *adap)
{
	(void)adap;
}

struct i2c_adapter *dk_i2c_adapter_of(struct device *dev)
{
	struct i2c_adapter *a;

	pthread_mutex_lock(&adap_lock);
	for (a = adapters; a && (!dev || a->dev.parent != dev); a = a->dk_next)
		;
	pthread_mutex_unlock(&adap_lock);
	return a;
}

struct i2c_client *i2c_new_dummy_device(struct i2c_adapter *adap,
					u16 address)
{
	struct i2c_client *c;

	if (!adap || address > 0x7f)
		return ERR_PTR(dk_err(-EINVAL,
				      "i2c_new_dummy_device: %s adapter, address 0x%x",
				      adap ? "an" : "no", address));
	c = calloc(1, sizeof(*c));
	if (!c)
		return ERR_PTR(dk_err(-ENOMEM, "i2c_new_dummy_device: out of memory"));
	c->addr = address;
	c->adapter = adap;
	snprintf(c->name, sizeof(c->name), "dummy");
	return c;
}

void i2c_unregister_device(struct i2c_client *client)
{
	if (!IS_ERR_OR_NULL(client))
		free(client);
}

/* Linux's rule for an address a client may have: 7 bits, or 10 when
 * flagged, and not the general call. */
static bool addr_valid(const struct i2c_client *c)
{
	return c->flags & I2C_M_TEN ? c->addr <= 0x3ff :
				      c->addr >= 0x01 && c->addr <= 0x7f;
}

int i2c_slave_register(struct i2c_client *client, i2c_slave_cb_t slave_cb)
{
	struct i2c_adapter *adap;
	int r;

	if (IS_ERR_OR_NULL(client) || !slave_cb || !client->adapter)
		return dk_err(-EINVAL, "i2c_slave_register: NULL client, callback or adapter");
	adap = client->adapter;
	if (!addr_valid(client))
		return dk_err(-EINVAL, "%s: i2c_slave_register: invalid address 0x%x",
			      adap->name, client->addr);
	if (!adap->algo || !adap->algo->reg_slave) {
		dev_err(adap->dev.parent, "%s: target mode is not supported by the adapter",
			adap->name);
		return dk_err(-EOPNOTSUPP, "%s: i2c_slave_register: target mode is not supported by the adapter",
			      adap->name);
	}
	pthread_mutex_lock(&adap->dk_lock);
	if (client->slave_cb) {
		pthread_mutex_unlock(&adap->dk_lock);
		return dk_err(-EINVAL, "%s: i2c_slave_register: 0x%x is already registered",
			      adap->name, client->addr);
	}
	client->slave_cb = slave_cb;
	r = adap->algo->reg_slave(client);
	if (r)
		client->slave_cb = NULL;
	pthread_mutex_unlock(&adap->dk_lock);
	if (r)
		return dk_err(r, "%s: i2c_slave_register: the bus driver refused 0x%x: %d",
			      adap->name, client->addr, r);
	return 0;
}

int i2c_slave_unregister(struct i2c_client *client)
{
	struct i2c_adapter *adap;
	int r;

	if (IS_ERR_OR_NULL(client) || !client->adapter || !client->slave_cb)
		return dk_err(-EINVAL, "i2c_slave_unregister: not a registered target");
	adap = client->adapter;
	if (!adap->algo || !adap->algo->unreg_slave)
		return dk_err(-EOPNOTSUPP, "%s: i2c_slave_unregister: target mode is not supported by the adapter",
			      adap->name);
	pthread_mutex_lock(&adap->dk_lock);
	r = adap->algo->unreg_slave(client);
	if (!r)
		client->slave_cb = NULL;
	pthread_mutex_unlock(&adap->dk_lock);
	return r ? dk_err(r, "%s: i2c_slave_unregister: the bus driver refused: %d",
			  adap->name, r) : 0;
}

int i2c_slave_event(struct i2c_client *client, enum i2c_slave_event event,
		    u8 *val)
{
	if (IS_ERR_OR_NULL(client) || !client->slave_cb)
		return dk_err(-EINVAL, "i2c_slave_event: not a registered target");
	return client->slave_cb(client, event, val);
}

int i2c_transfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num)
{
	int i, r;

	if (!adap || !msgs || num < 1)
		return dk_err(-EINVAL, "i2c_transfer: no adapter, no messages");
	for (i = 0; i < num; i++) {
		if (msgs[i].len && !msgs[i].buf)
			return dk_err(-EINVAL,
				      "i2c_transfer: message %d has %u bytes and no buffer",
				      i, msgs[i].len);
		if (msgs[i].flags & I2C_M_TEN)
			return dk_err(-EOPNOTSUPP,
				      "i2c_transfer: 10-bit addresses are not supported");
	}
	pthread_mutex_lock(&adap->dk_lock);
	r = check_suspended(adap);
	if (!r)
		r = adap->algo->master_xfer(adap, msgs, num);
	pthread_mutex_unlock(&adap->dk_lock);
	return r;
}

int i2c_transfer_buffer_flags(const struct i2c_client *client, char *buf,
			      int count, u16 flags)
{
	struct i2c_msg msg;
	int r;

	if (!client || count < 0 || count > 0xffff)
		return dk_err(-EINVAL, "i2c transfer of %d bytes", count);
	msg.addr = client->addr;
	msg.flags = flags | (client->flags & I2C_M_TEN);
	msg.len = (u16)count;
	msg.buf = (u8 *)buf;
	r = i2c_transfer(client->adapter, &msg, 1);
	return r == 1 ? count : r;
}

int i2c_master_send(const struct i2c_client *client, const char *buf,
		    int count)
{
	return i2c_transfer_buffer_flags(client, (char *)buf, count, 0);
}

int i2c_master_recv(const struct i2c_client *client, char *buf, int count)
{
	return i2c_transfer_buffer_flags(client, buf, count, I2C_M_RD);
}

int i2c_master_send_dmasafe(const struct i2c_client *client, const char *buf,
			    int count)
{
	return i2c_transfer_buffer_flags(client, (char *)buf, count,
					 I2C_M_DMA_SAFE);
}

int i2c_master_recv_dmasafe(const struct i2c_client *client, char *buf,
			    int count)
{
	return i2c_transfer_buffer_flags(client, buf, count,
					 I2C_M_RD | I2C_M_DMA_SAFE);
}

u8 *i2c_get_dma_safe_msg_buf(struct i2c_msg *msg, unsigned int threshold)
{
	size_t align, size;
	u8 *b;

	if (!msg || !msg->buf || !msg->len || msg->len < threshold)
		return NULL;
	if (msg->flags & I2C_M_DMA_SAFE)
		return msg->buf;
	/* Whole lines, so the bounce buffer is safe whatever the machine's
	 * kmalloc alignment. */
	align = dma_get_cache_alignment();
	size = align ? (msg->len + align - 1) / align * align : msg->len;
	b = kmalloc(size, msg->flags & I2C_M_RD ? GFP_KERNEL | __GFP_ZERO :
						  GFP_KERNEL);
	if (!b)
		return NULL;
	if (!(msg->flags & I2C_M_RD))
		memcpy(b, msg->buf, msg->len);
	return b;
}

void i2c_put_dma_safe_msg_buf(u8 *buf, struct i2c_msg *msg, bool xferred)
{
	if (!buf || !msg || buf == msg->buf)
		return;
	if (xferred && msg->flags & I2C_M_RD)
		memcpy(msg->buf, buf, msg->len);
	kfree(buf);
}

void i2c_release_dma_safe_msg_buf(struct i2c_msg *msg, u8 *buf)
{
	i2c_put_dma_safe_msg_buf(buf, msg, true);
}

/* ---- i2c-dev: user messages, copied into DMA-safe kernel buffers */

static void dev_bufs_free(struct i2c_msg *k, int n)
{
	while (n--)
		kfree(k[n].buf);
	free(k);
}

int dk_i2c_dev_rdwr(struct i2c_adapter *adap, struct i2c_msg *msgs,
		    int nmsgs)
{
	size_t align = dma_get_cache_alignment();
	struct i2c_msg *k;
	int i, r;

	if (!adap || !msgs || nmsgs <= 0 || nmsgs > I2C_RDWR_IOCTL_MAX_MSGS)
		return dk_err(-EINVAL, "i2c-dev: I2C_RDWR of %d messages (1..%d)",
			      nmsgs, I2C_RDWR_IOCTL_MAX_MSGS);
	k = calloc(nmsgs, sizeof(*k));
	if (!k)
		return dk_err(-ENOMEM, "out of memory");
	for (i = 0; i < nmsgs; i++) {
		size_t len = msgs[i].len;

		if (len > DK_I2C_DEV_MAX_LEN) {
			dev_bufs_free(k, i);
			return dk_err(-EINVAL, "i2c-dev: message %d: %zu bytes is over %d",
				      i, len, DK_I2C_DEV_MAX_LEN);
		}
		k[i] = msgs[i];
		k[i].flags |= I2C_M_DMA_SAFE;
		/* Whole lines: safe whatever the kmalloc alignment. */
		k[i].buf = kzalloc(len ? (len + align - 1) / align * align : 1,
				   GFP_KERNEL);
		if (!k[i].buf ||
		    (!(msgs[i].flags & I2C_M_RD) &&
		     copy_from_user(k[i].buf, msgs[i].buf, len)) ||
		    /* a read's buffer must be writable user memory */
		    ((msgs[i].flags & I2C_M_RD) &&
		     copy_to_user(msgs[i].buf, k[i].buf, len))) {
			r = k[i].buf ? -EFAULT : -ENOMEM;
			dev_bufs_free(k, i + 1);
			return dk_err(r, "i2c-dev: message %d: %s", i,
				      r == -EFAULT ? "its buffer is not user memory" :
						     "out of memory");
		}
	}
	r = i2c_transfer(adap, k, nmsgs);
	for (i = 0; r > 0 && i < nmsgs; i++)
		if (msgs[i].flags & I2C_M_RD &&
		    copy_to_user(msgs[i].buf, k[i].buf, msgs[i].len))
			r = dk_err(-EFAULT, "i2c-dev: message %d: its buffer is not user memory",
				   i);
	dev_bufs_free(k, nmsgs);
	return r;
}

/* ---- the bus driver for "dmakit,i2c" */

/* Polls before a message counts as hung: longer than the longest one. */
#define POLL_LIMIT 1000000

struct dki2c {
	struct i2c_adapter adap;
	struct device *dev;
	void __iomem *base;
};

static int wait_msg(struct dki2c *c)
{
	u32 st = 0;
	long i;

	for (i = 0; i < POLL_LIMIT; i++) {
		st = readl(c->base + DK_I2C_REG_STATUS);
		if (st & (DK_I2C_ST_DONE | DK_I2C_ST_NACK | DK_I2C_ST_ERROR))
			break;
	}
	writel(st & (DK_I2C_ST_DONE | DK_I2C_ST_NACK | DK_I2C_ST_ERROR),
	       c->base + DK_I2C_REG_STATUS);
	if (st & DK_I2C_ST_DONE)
		return 0;
	if (st & DK_I2C_ST_NACK)
		return -ENXIO;
	if (st & DK_I2C_ST_ERROR)
		return dk_err(-EIO, "%s: controller error", dev_name(c->dev));
	return dk_err(-ETIMEDOUT, "%s: message did not complete",
		      dev_name(c->dev));
}

static u32 ctrl_of(const struct i2c_msg *msg, bool stop)
{
	return DK_I2C_CTRL_START | (msg->flags & I2C_M_RD ? DK_I2C_CTRL_READ : 0) |
	       (stop ? DK_I2C_CTRL_STOP : 0);
}

static int xfer_pio(struct dki2c *c, struct i2c_msg *msg, bool stop)
{
	u16 i;
	int r;

	if (msg->len > DK_I2C_FIFO_DEPTH)
		return dk_err(-ENOMEM,
			      "%s: %u-byte message needs DMA and no DMA-safe buffer was had",
			      dev_name(c->dev), msg->len);
	writel(msg->addr, c->base + DK_I2C_REG_ADDR);
	writel(msg->len, c->base + DK_I2C_REG_LEN);
	if (!(msg->flags & I2C_M_RD))
		for (i = 0; i < msg->len; i++)
			writel(msg->buf[i], c->base + DK_I2C_REG_FIFO);
	writel(ctrl_of(msg, stop), c->base + DK_I2C_REG_CTRL);
	r = wait_msg(c);
	if (!r && msg->flags & I2C_M_RD)
		for (i = 0; i < msg->len; i++)
			msg->buf[i] = (u8)readl(c->base + DK_I2C_REG_FIFO);
	c->adap.dk_pio_msgs++;
	return r;
}

static int xfer_dma(struct dki2c *c, struct i2c_msg *msg, u8 *buf, bool stop)
{
	enum dma_data_direction dir = msg->flags & I2C_M_RD ? DMA_FROM_DEVICE :
							      DMA_TO_DEVICE;
	dma_addr_t h = dma_map_single(c->dev, buf, msg->len, dir);
	int r;

	if (dma_mapping_error(c->dev, h)) {
		i2c_put_dma_safe_msg_buf(buf, msg, false);
		return -ENOMEM;
	}
	writel(msg->addr, c->base + DK_I2C_REG_ADDR);
	writel(msg->len, c->base + DK_I2C_REG_LEN);
	writel((u32)h, c->base + DK_I2C_REG_DMA_LO);
	writel(h >> 32, c->base + DK_I2C_REG_DMA_HI);
	writel(ctrl_of(msg, stop) | DK_I2C_CTRL_DMA, c->base + DK_I2C_REG_CTRL);
	r = wait_msg(c);
	dma_unmap_single(c->dev, h, msg->len, dir);
	c->adap.dk_dma_msgs++;
	if (buf != msg->buf)
		c->adap.dk_bounced_msgs++;
	i2c_put_dma_safe_msg_buf(buf, msg, !r);
	return r;
}

static int dki2c_xfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num)
{
	struct dki2c *c = adap->algo_data;
	int i, r;

	for (i = 0; i < num; i++) {
		bool stop = i == num - 1 || msgs[i].flags & I2C_M_STOP;
		u8 *buf = i2c_get_dma_safe_msg_buf(&msgs[i],
						   DK_I2C_DMA_THRESHOLD);

		r = buf ? xfer_dma(c, &msgs[i], buf, stop) :
			  xfer_pio(c, &msgs[i], stop);
		if (r)
			return r;
	}
	return num;
}

static const struct i2c_algorithm dki2c_algo = {
	.master_xfer = dki2c_xfer,
};

static int dki2c_probe(struct device *dev)
{
	struct dki2c *c = devm_kzalloc(dev, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	c->dev = dev;
	c->base = devm_ioremap(dev, dev->reg, dev->reg_size);
	if (!c->base)
		return -ENOMEM;
	if (readl(c->base + DK_I2C_REG_ID) != DK_I2C_ID)
		return dk_err(-ENODEV, "%s: not a dmakit I2C controller",
			      dev_name(dev));
	c->adap.algo = &dki2c_algo;
	c->adap.algo_data = c;
	c->adap.dev.parent = dev;
	snprintf(c->adap.name, sizeof(c->adap.name), "dmakit-i2c %s",
		 dev_name(dev));
	dev_set_drvdata(dev, c);
	return i2c_add_adapter(&c->adap);
}

static void dki2c_remove(struct device *dev)
{
	struct dki2c *c = dev_get_drvdata(dev);

	i2c_del_adapter(&c->adap);
}

static const struct of_device_id dki2c_ids[] = {
	{ "dmakit,i2c", NULL },
	{ NULL, NULL },
};

struct device_driver dk_i2c_driver = {
	.name = "dmakit-i2c",
	.of_match_table = dki2c_ids,
	.probe = dki2c_probe,
	.remove = dki2c_remove,
};
