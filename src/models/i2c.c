// SPDX-License-Identifier: MIT
/*
 * "dmakit,i2c": I2C controller with a PIO FIFO and DMA, and the EEPROM
 * behind it. The register interface, the EEPROM and the cost model are in
 * include/dmakit/models/i2c.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/models/dreq.h>
#include <dmakit/models/i2c.h>
#include <dmakit/models/stall.h>
#include <dmakit/sim_device.h>

#include "../core/dk_internal.h"
#include "model_util.h"

struct eeprom {
	u8 mem[DK_I2C_EEPROM_SIZE];
	u8 ptr;
};

struct i2c {
	struct dk_simdev *dev;
	u32 status, addr, len, ctrl;
	u64 dma;
	u8 fifo[DK_I2C_FIFO_DEPTH];
	unsigned int level;
	u8 *data;		/* the message's bytes while it runs */
	u32 pos;		/* DREQ: bytes across the wire */
	u32 moved;		/* DREQ: bytes into (write) or out of the FIFO */
	bool waiting;		/* DREQ: the wire waits for the FIFO */
	struct eeprom ee;
};

static unsigned int lines_of(struct i2c *c)
{
	const struct dk_devdesc *d = dk_simdev_desc(c->dev);
	u32 l = dk_soc_cache(dk_simdev_soc(c->dev))->line;

	if (d->coherent || !c->len)
		return 0;
	return (c->dma + c->len - 1) / l - c->dma / l + 1;
}

static void finish(struct i2c *c, u32 bit)
{
	struct dk_soc *soc = dk_simdev_soc(c->dev);
	int irq = dk_simdev_desc(c->dev)->irq;

	free(c->data);
	c->data = NULL;
	c->status = (c->status & ~DK_I2C_ST_BUSY) | bit;
	if (c->ctrl & DK_I2C_CTRL_IRQEN && irq >= 0)
		dk_soc_raise_irq(soc, irq);
}

static void done(struct dk_soc *soc, void *arg)
{
	(void)soc;
	finish(arg, DK_I2C_ST_DONE);
}

static void eeprom_write(struct eeprom *e, const u8 *b, u32 n)
{
	u32 i;

	if (!n)
		return;
	e->ptr = b[0];
	for (i = 1; i < n; i++) {
		e->mem[e->ptr] = b[i];
		/* Page writes wrap inside the page, as on 24Cxx parts. */
		e->ptr = (e->ptr & ~(DK_I2C_EEPROM_PAGE - 1)) |
			 ((e->ptr + 1) & (DK_I2C_EEPROM_PAGE - 1));
	}
}

static void eeprom_read(struct eeprom *e, u8 *b, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		b[i] = e->mem[e->ptr++];
}

static bool dreq_mode(const struct i2c *c)
{
	return c->ctrl & DK_I2C_CTRL_DREQ;
}

static u32 min_u32(u32 a, u32 b)
{
	return a < b ? a : b;
}

/* Assert the request lines the FIFO's state calls for. */
static void update_dreq(struct i2c *c)
{
	bool rd = c->ctrl & DK_I2C_CTRL_READ, tx = false, rx = false;

	if (!dreq_mode(c))
		return;
	if (!rd)
		tx = c->status & DK_I2C_ST_BUSY && c->moved < c->len &&
		     DK_I2C_FIFO_DEPTH - c->level >=
			     min_u32(DK_I2C_DMA_WATERMARK, c->len - c->moved);
	else
		rx = c->level && c->level >= min_u32(DK_I2C_DMA_WATERMARK,
						      c->len - c->moved);
	dk_simdev_dma_request(c->dev, "tx", tx);
	dk_simdev_dma_request(c->dev, "rx", rx);
}

/* DREQ: one byte crosses the wire, or the wire waits for the FIFO. */
static void dreq_byte(struct dk_soc *soc, void *arg)
{
	struct i2c *c = arg;
	bool rd = c->ctrl & DK_I2C_CTRL_READ;

	if (!(c->status & DK_I2C_ST_BUSY))
		return;
	if (rd ? c->level == DK_I2C_FIFO_DEPTH : !c->level) {
		c->waiting = true;
		return;
	}
	if (rd) {
		c->fifo[c->level++] = c->data[c->pos++];
	} else {
		c->data[c->pos++] = c->fifo[0];
		memmove(c->fifo, c->fifo + 1, --c->level);
	}
	if (c->pos == c->len) {
		if (!rd)
			eeprom_write(&c->ee, c->data, c->len);
		finish(c, DK_I2C_ST_DONE);
	} else {
		dk_soc_schedule(soc, DK_I2C_BYTE_CYCLES, dreq_byte, c);
	}
	update_dreq(c);
}

/* DREQ: the FIFO changed; a waiting wire goes on. */
static void dreq_fifo(struct i2c *c)
{
	c->moved++;
	if (c->waiting) {
		c->waiting = false;
		dk_soc_schedule(dk_simdev_soc(c->dev), DK_I2C_BYTE_CYCLES,
				dreq_byte, c);
	}
	update_dreq(c);
}

/* The data bytes have crossed the wire. */
static void data_phase(struct dk_soc *soc, void *arg)
{
	struct i2c *c = arg;
	bool dma = c->ctrl & DK_I2C_CTRL_DMA;
	u64 tail;

	if (!(c->ctrl & DK_I2C_CTRL_READ)) {
		eeprom_write(&c->ee, c->data, c->len);
	} else {
		eeprom_read(&c->ee, c->data, c->len);
		if (!dma) {
			memcpy(c->fifo, c->data, c->len);
			c->level = c->len;
		} else if (dk_dev_dma_write(c->dev, c->dma, c->data, c->len)) {
			finish(c, DK_I2C_ST_ERROR);
			return;
		}
	}
	if (!dma) {
		finish(c, DK_I2C_ST_DONE);
		return;
	}
	tail = DK_I2C_IRQ_CYCLES;
	if (c->ctrl & DK_I2C_CTRL_READ)
		tail += (u64)lines_of(c) * DK_I2C_MAINT_CYCLES;
	dk_soc_schedule(soc, tail, done, c);
}

/* The address byte has crossed the wire: someone answers, or not. */
static void addr_phase(struct dk_soc *soc, void *arg)
{
	struct i2c *c = arg;

	if (c->addr != DK_I2C_EEPROM_ADDR) {
		finish(c, DK_I2C_ST_NACK);
		update_dreq(c);
		return;
	}
	if (dreq_mode(c)) {
		if (c->ctrl & DK_I2C_CTRL_READ)
			eeprom_read(&c->ee, c->data, c->len);
		dk_soc_schedule(soc, DK_I2C_BYTE_CYCLES, dreq_byte, c);
		return;
	}
	if (!(c->ctrl & DK_I2C_CTRL_READ) && c->ctrl & DK_I2C_CTRL_DMA &&
	    dk_dev_dma_read(c->dev, c->dma, c->data, c->len)) {
		finish(c, DK_I2C_ST_ERROR);
		return;
	}
	dk_soc_schedule(soc, (u64)c->len * DK_I2C_BYTE_CYCLES, data_phase, c);
}

static void start(struct i2c *c, u32 ctrl)
{
	struct dk_soc *soc = dk_simdev_soc(c->dev);
	bool dma = ctrl & DK_I2C_CTRL_DMA, rd = ctrl & DK_I2C_CTRL_READ;
	u64 delay = DK_I2C_BYTE_CYCLES;

	if (c->status & DK_I2C_ST_BUSY) {
		c->status |= DK_I2C_ST_ERROR;
		return;
	}
	c->ctrl = ctrl;
	c->status = DK_I2C_ST_BUSY;
	if (ctrl & DK_I2C_CTRL_DREQ) {
		dma = true;	/* the FIFO's old contents are not sent */
		c->level = c->pos = c->moved = 0;
		c->waiting = false;
	}
	if (c->len > DK_I2C_MAX_LEN || (dreq_mode(c) && !c->len) ||
	    (!dma && (c->len > DK_I2C_FIFO_DEPTH ||
		      (!rd && c->level < c->len)))) {
		finish(c, DK_I2C_ST_ERROR);
		return;
	}
	c->data = malloc(c->len ? c->len : 1);
	if (!c->data) {
		finish(c, DK_I2C_ST_ERROR);
		return;
	}
	if (!dma && !rd) {
		memcpy(c->data, c->fifo, c->len);
		memmove(c->fifo, c->fifo + c->len, c->level - c->len);
		c->level -= c->len;
	}
	if (!dma && rd)
		c->level = 0;
	if (dma && !dreq_mode(c))
		delay += DK_I2C_DMA_SETUP_CYCLES;
	dk_soc_schedule(soc, delay, addr_phase, c);
	update_dreq(c);
}

static u32 i2c_read(struct dk_simdev *dev, u64 off)
{
	struct i2c *c = dk_simdev_priv(dev);
	u32 v;

	dk_simdev_stall(dev, DK_I2C_MMIO_CYCLES);
	switch (off) {
	case DK_I2C_REG_ID:
		return DK_I2C_ID;
	case DK_I2C_REG_STATUS:
		return c->status;
	case DK_I2C_REG_ADDR:
		return c->addr;
	case DK_I2C_REG_LEN:
		return c->len;
	case DK_I2C_REG_DMA_LO:
		return (u32)c->dma;
	case DK_I2C_REG_DMA_HI:
		return c->dma >> 32;
	case DK_I2C_REG_FIFO:
		if (!c->level)
			return 0;
		v = c->fifo[0];
		memmove(c->fifo, c->fifo + 1, --c->level);
		if (dreq_mode(c) && c->ctrl & DK_I2C_CTRL_READ)
			dreq_fifo(c);
		return v;
	case DK_I2C_REG_LEVEL:
		return c->level;
	}
	return 0;
}

static void i2c_write(struct dk_simdev *dev, u64 off, u32 val)
{
	struct i2c *c = dk_simdev_priv(dev);

	dk_simdev_stall(dev, DK_I2C_MMIO_CYCLES);
	switch (off) {
	case DK_I2C_REG_CTRL:
		if (!(val & DK_I2C_CTRL_START))
			break;
		if (val & DK_I2C_CTRL_DMA && !(val & DK_I2C_CTRL_DREQ) &&
		    !(c->status & DK_I2C_ST_BUSY))
			dk_simdev_stall(dev, (u64)lines_of(c) *
						     DK_I2C_MAINT_CYCLES);
		start(c, val);
		break;
	case DK_I2C_REG_STATUS:
		c->status &= ~(val & (DK_I2C_ST_DONE | DK_I2C_ST_NACK |
				      DK_I2C_ST_ERROR));
		break;
	case DK_I2C_REG_ADDR:
		c->addr = val & 0x7f;
		break;
	case DK_I2C_REG_LEN:
		c->len = val;
		break;
	case DK_I2C_REG_DMA_LO:
		c->dma = (c->dma & ~0xffffffffULL) | val;
		break;
	case DK_I2C_REG_DMA_HI:
		c->dma = (c->dma & 0xffffffffULL) | (u64)val << 32;
		break;
	case DK_I2C_REG_FIFO:
		if (c->level == DK_I2C_FIFO_DEPTH) {
			c->status |= DK_I2C_ST_ERROR;
			break;
		}
		c->fifo[c->level++] = (u8)val;
		if (dreq_mode(c) && !(c->ctrl & DK_I2C_CTRL_READ) &&
		    c->status & DK_I2C_ST_BUSY)
			dreq_fifo(c);
		break;
	}
}

static int i2c_probe(struct dk_simdev *dev)
{
	const struct dk_devdesc *d = dk_simdev_desc(dev);
	struct i2c *c;
	int i;

	if (d->reg_size < DK_I2C_REG_SIZE)
		return dk_model_small_window(d, DK_I2C_REG_SIZE);
	c = calloc(1, sizeof(*c));
	if (!c)
		return dk_err(-ENOMEM, "out of memory");
	c->dev = dev;
	for (i = 0; i < DK_I2C_EEPROM_SIZE; i++)
		c->ee.mem[i] = DK_I2C_EEPROM_INIT(i);
	dk_simdev_set_priv(dev, c);
	return 0;
}

static void i2c_remove(struct dk_simdev *dev)
{
	struct i2c *c = dk_simdev_priv(dev);

	free(c->data);
	free(c);
	dk_simdev_set_priv(dev, NULL);
}

const struct dk_model_ops dk_i2c_model = {
	.compatible = "dmakit,i2c",
	.summary = "I2C controller, PIO FIFO or DMA, with a 256-byte EEPROM at 0x50",
	.needs_reg = true,
	.probe = i2c_probe,
	.remove = i2c_remove,
	.mmio_read = i2c_read,
	.mmio_write = i2c_write,
};
