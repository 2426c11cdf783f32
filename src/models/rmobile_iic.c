// SPDX-License-Identifier: MIT
/*
 * "renesas,rmobile-iic": the SH-Mobile / R-Car IIC controller, byte by
 * byte with its WAIT handshake, and an EEPROM behind it. The interface
 * is described in include/dmakit/models/rmobile_iic.h.
 */
#include <errno.h>
#include <stdlib.h>

#include <dmakit/models/i2c.h>
#include <dmakit/models/rmobile_iic.h>
#include <dmakit/sim_device.h>

#include "../core/dk_internal.h"
#include "model_util.h"

/* The status bits each ICIC enable bit lets interrupt (same positions). */
#define IRQ_BITS (DK_RIIC_ICSR_DTE | DK_RIIC_ICSR_WAIT | DK_RIIC_ICSR_TACK | \
		  DK_RIIC_ICSR_AL)
#define CLEARABLE IRQ_BITS

enum cond { C_NONE, C_START, C_STOP };
enum event { EV_NONE, EV_START, EV_BYTE, EV_STOP };

struct riic {
	struct dk_simdev *dev;
	u8 iccr, icsr, icic, iccl, icch, icdr;
	u8 shift;		/* the byte on the wire, or held in WAIT */
	bool first;		/* the next byte sent is an address */
	bool addr_byte;		/* the byte on the wire is one */
	bool rx_byte;		/* the byte on the wire is received */
	bool acked;		/* its ACK */
	bool selected;		/* the EEPROM answered the address */
	bool reading;		/* ... with the read bit */
	bool ptr_set;		/* this write message set the word address */
	int tx_pending;		/* a byte to send after the WAIT, or -1 */
	enum cond cond;		/* a START or STOP after the byte */
	enum event ev;		/* what the scheduled event will do */
	bool irq_level, irq_sched;
	u8 mem[DK_I2C_EEPROM_SIZE];
	u8 ptr;
};

static bool irq_pending(const struct riic *c)
{
	return c->icsr & c->icic & IRQ_BITS;
}

static void irq_event(struct dk_soc *soc, void *arg)
{
	struct riic *c = arg;
	int irq = dk_simdev_desc(c->dev)->irq;

	c->irq_sched = false;
	if (irq_pending(c) && irq >= 0)
		dk_soc_raise_irq(soc, irq);
}

/* The line rises when an enabled status bit does: one interrupt per
 * rise, as the driver's handler expects a cause each time it runs. */
static void update_irq(struct riic *c)
{
	bool level = irq_pending(c);

	if (level && !c->irq_level && !c->irq_sched) {
		c->irq_sched = true;
		dk_soc_schedule(dk_simdev_soc(c->dev), 1, irq_event, c);
	}
	c->irq_level = level;
}

static void after(struct riic *c, enum event ev, u64 cycles, dk_event_fn fn)
{
	c->ev = ev;
	dk_soc_schedule(dk_simdev_soc(c->dev), cycles, fn, c);
}

static void start_done(struct dk_soc *soc, void *arg);
static void stop_done(struct dk_soc *soc, void *arg);
static void byte_done(struct dk_soc *soc, void *arg);

static void send(struct riic *c, u8 b)
{
	c->shift = b;
	c->addr_byte = c->first;
	c->rx_byte = false;
	c->first = false;
	after(c, EV_BYTE, DK_I2C_BYTE_CYCLES, byte_done);
}

static void receive(struct riic *c)
{
	/* Nobody drives SDA for a target that did not answer: all ones. */
	c->shift = c->selected && c->reading ? c->mem[c->ptr++] : 0xff;
	c->addr_byte = false;
	c->rx_byte = true;
	after(c, EV_BYTE, DK_I2C_BYTE_CYCLES, byte_done);
}

static void start_done(struct dk_soc *soc, void *arg)
{
	struct riic *c = arg;

	(void)soc;
	if (c->ev != EV_START)
		return;
	c->ev = EV_NONE;
	c->icsr |= DK_RIIC_ICSR_BUSY | DK_RIIC_ICSR_DTE;
	c->first = true;
	c->selected = false;
	if (c->tx_pending >= 0) {
		c->icsr &= ~DK_RIIC_ICSR_DTE;
		send(c, (u8)c->tx_pending);
		c->tx_pending = -1;
	}
	update_irq(c);
}

static void stop_done(struct dk_soc *soc, void *arg)
{
	struct riic *c = arg;

	(void)soc;
	if (c->ev != EV_STOP)
		return;
	c->ev = EV_NONE;
	c->icsr &= ~DK_RIIC_ICSR_BUSY;
	/* Receiving, the last byte now waits in ICDR. */
	if (!(c->iccr & DK_RIIC_ICCR_TRS))
		c->icsr |= DK_RIIC_ICSR_DTE;
	c->selected = false;
	update_irq(c);
}

/* The EEPROM takes a written byte: the word address first, then data,
 * wrapping inside its page. */
static void eeprom_take(struct riic *c, u8 b)
{
	if (!c->ptr_set) {
		c->ptr = b;
		c->ptr_set = true;
		return;
	}
	c->mem[c->ptr] = b;
	c->ptr = (u8)((c->ptr & ~(DK_I2C_EEPROM_PAGE - 1)) |
		      ((c->ptr + 1) & (DK_I2C_EEPROM_PAGE - 1)));
}

/* The ACK clock after a byte, once the WAIT (if any) is released. */
static void release(struct riic *c)
{
	if (c->rx_byte)
		c->icdr = c->shift;
	/* A NACK is reported; the message goes on (the driver ends it). */
	if (!c->rx_byte && !c->acked)
		c->icsr |= DK_RIIC_ICSR_TACK;
	if (c->iccr & DK_RIIC_ICCR_TRS && c->tx_pending >= 0) {
		/* A byte written before the STOP or START was asked for
		 * goes first; the condition follows it. */
		u8 b = (u8)c->tx_pending;

		c->tx_pending = -1;
		send(c, b);
	} else if (c->cond != C_NONE) {
		enum cond cond = c->cond;

		c->cond = C_NONE;
		if (cond == C_STOP)
			after(c, EV_STOP, DK_RIIC_COND_CYCLES, stop_done);
		else
			after(c, EV_START, DK_RIIC_COND_CYCLES, start_done);
	} else if (c->iccr & DK_RIIC_ICCR_TRS) {
		c->icsr |= DK_RIIC_ICSR_DTE;
	} else {
		receive(c);
	}
	update_irq(c);
}

static void byte_done(struct dk_soc *soc, void *arg)
{
	struct riic *c = arg;

	(void)soc;
	if (c->ev != EV_BYTE)
		return;
	c->ev = EV_NONE;
	if (c->addr_byte) {
		c->selected = c->shift >> 1 == DK_I2C_EEPROM_ADDR;
		c->reading = c->shift & 1;
		c->ptr_set = false;
		c->acked = c->selected;
	} else if (!c->rx_byte) {
		c->acked = c->selected && !c->reading;
		if (c->acked)
			eeprom_take(c, c->shift);
	}
	if (c->icic & DK_RIIC_ICIC_WAITE) {
		c->icsr |= DK_RIIC_ICSR_WAIT;
		update_irq(c);
	} else {
		release(c);
	}
}

static bool on_wire(const struct riic *c)
{
	return c->ev == EV_BYTE || c->icsr & DK_RIIC_ICSR_WAIT;
}

static void reset(struct riic *c)
{
	c->icsr = 0;
	c->first = c->selected = false;
	c->cond = C_NONE;
	c->ev = EV_NONE;
	c->tx_pending = -1;
	update_irq(c);
}

/* ICCR with SCP clear: a START (BBSY 1) or a STOP (BBSY 0). */
static void condition(struct riic *c, bool start)
{
	if (on_wire(c))
		c->cond = start ? C_START : C_STOP;
	else if (start)
		after(c, EV_START, DK_RIIC_COND_CYCLES, start_done);
	else if (c->icsr & DK_RIIC_ICSR_BUSY)
		after(c, EV_STOP, DK_RIIC_COND_CYCLES, stop_done);
}

static void write_icdr(struct riic *c, u8 v)
{
	if (!(c->iccr & DK_RIIC_ICCR_TRS))
		return;
	c->icsr &= ~DK_RIIC_ICSR_DTE;
	if (c->ev == EV_NONE && !on_wire(c) && c->icsr & DK_RIIC_ICSR_BUSY &&
	    c->cond == C_NONE)
		send(c, v);
	else
		c->tx_pending = v;
	update_irq(c);
}

static void write_icsr(struct riic *c, u8 v)
{
	bool waited = c->icsr & DK_RIIC_ICSR_WAIT;

	c->icsr &= (u8)(v | ~CLEARABLE);
	/* The line falls with the bits cleared, so what the release sets
	 * raises it again. */
	update_irq(c);
	if (waited && !(c->icsr & DK_RIIC_ICSR_WAIT))
		release(c);
}

static u32 riic_read(struct dk_simdev *dev, u64 off)
{
	struct riic *c = dk_simdev_priv(dev);
	u8 v;

	switch (off) {
	case DK_RIIC_ICDR:
		v = c->icdr;
		/* Reading the last received byte empties ICDR. */
		if (!(c->iccr & DK_RIIC_ICCR_TRS) &&
		    c->icsr & DK_RIIC_ICSR_DTE) {
			c->icsr &= ~DK_RIIC_ICSR_DTE;
			update_irq(c);
		}
		return v;
	case DK_RIIC_ICCR:
		/* BBSY reads the bus state; SCP reads 1, so a
		 * read-modify-write never issues a condition. */
		return (c->iccr & ~(DK_RIIC_ICCR_BBSY | DK_RIIC_ICCR_SCP)) |
		       (c->icsr & DK_RIIC_ICSR_BUSY ? DK_RIIC_ICCR_BBSY : 0) |
		       DK_RIIC_ICCR_SCP;
	case DK_RIIC_ICSR:
		return c->icsr;
	case DK_RIIC_ICIC:
		return c->icic;
	case DK_RIIC_ICCL:
		return c->iccl;
	case DK_RIIC_ICCH:
		return c->icch;
	}
	return 0;
}

static void riic_write(struct dk_simdev *dev, u64 off, u32 val)
{
	struct riic *c = dk_simdev_priv(dev);
	u8 v = (u8)val;

	switch (off) {
	case DK_RIIC_ICDR:
		write_icdr(c, v);
		break;
	case DK_RIIC_ICCR:
		c->iccr = v;
		if (!(v & DK_RIIC_ICCR_ICE))
			reset(c);
		else if (!(v & DK_RIIC_ICCR_SCP))
			condition(c, v & DK_RIIC_ICCR_BBSY);
		break;
	case DK_RIIC_ICSR:
		write_icsr(c, v);
		break;
	case DK_RIIC_ICIC:
		c->icic = v;
		update_irq(c);
		break;
	case DK_RIIC_ICCL:
		c->iccl = v;
		break;
	case DK_RIIC_ICCH:
		c->icch = v;
		break;
	}
}

static int riic_probe(struct dk_simdev *dev)
{
	const struct dk_devdesc *d = dk_simdev_desc(dev);
	struct riic *c;
	int i;

	if (d->reg_size < DK_RIIC_REG_SIZE)
		return dk_model_small_window(d, DK_RIIC_REG_SIZE);
	c = calloc(1, sizeof(*c));
	if (!c)
		return dk_err(-ENOMEM, "out of memory");
	c->dev = dev;
	c->tx_pending = -1;
	for (i = 0; i < DK_I2C_EEPROM_SIZE; i++)
		c->mem[i] = DK_I2C_EEPROM_INIT(i);
	dk_simdev_set_priv(dev, c);
	return 0;
}

static void riic_remove(struct dk_simdev *dev)
{
	free(dk_simdev_priv(dev));
	dk_simdev_set_priv(dev, NULL);
}

const struct dk_model_ops dk_rmobile_iic_model = {
	.compatible = "renesas,rmobile-iic",
	.summary = "SH-Mobile/R-Car IIC controller (i2c-sh_mobile's), PIO, with a 256-byte EEPROM at 0x50",
	.needs_reg = true,
	.probe = riic_probe,
	.remove = riic_remove,
	.mmio_read = riic_read,
	.mmio_write = riic_write,
};
