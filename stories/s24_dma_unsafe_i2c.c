// SPDX-License-Identifier: MIT
/*
 * Talk 001, "DMA safety in buffers for Linux kernel device drivers":
 * client drivers hand bus drivers buffers from the stack, from rodata and
 * from inside their private structs, and nothing at runtime says whether
 * a buffer may be mapped for DMA. I2C made DMA opt-in (I2C_M_DMA_SAFE,
 * i2c_get_dma_safe_msg_buf() bouncing everything else); SPI requires
 * DMA-safe buffers, and dmakit's SPI core checks them.
 *
 * The buggy clients mark every buffer DMA-safe (I2C) and pass any buffer
 * straight to the controller (SPI): the stack and rodata buffers cannot be
 * mapped, and the buffer inside a struct shares its cache line with a
 * counter another CPU updates during the transfer. The fixed clients ask
 * dk_dma_buffer_is_safe(), the runtime check the talk wished for: they set
 * I2C_M_DMA_SAFE only for a buffer that is safe and let the I2C core bounce
 * the others, and bounce unsafe SPI buffers themselves as spi-nor does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/i2c.h>
#include <dmakit/models/i2c.h>
#include <dmakit/models/spi.h>
#include <dmakit/spi.h>

#include "story.h"

#define I2C_DEV "i2c@10180000"
#define SPI_DEV "spi@10190000"
#define RD 32			/* EEPROM reads */
#define SRD 64			/* flash reads */
#define OTHER_CPU_AT 1000	/* cycles into a transfer */

/* Rodata: a page of defaults and a flash banner. */
static const char ee_defaults[1 + DK_I2C_EEPROM_PAGE] = "\x80" "dmakit-eeprom-v1";
static const char banner[] = "dmakit: DMA safety in buffers for Linux kernel drivers";

/* A client driver's private data, with its transfer buffer inside. */
struct client_priv {
	u32 reads;		/* updated by another CPU */
	char name[12];
	u8 buf[SRD];
};

static struct story_env *cur;
static int failures;

static void fail(const char *what, int r)
{
	failures++;
	story_say(cur, "%s failed: %d (%s)", what, r, dk_last_error());
}

static void other_cpu(struct dk_soc *soc, void *arg)
{
	struct client_priv *p = arg;

	(void)soc;
	p->reads++;
}

/* ---- I2C: the EEPROM client */

static bool mark_safe(struct i2c_client *c, const void *buf, int n)
{
	/* The buggy client "knows" its buffers are fine. */
	if (!cur->fixed)
		return true;
	return dk_dma_buffer_is_safe(buf, n, c->adapter->dev.parent) == DK_DMA_SAFE;
}

static int ee_read(struct i2c_client *c, u8 off, u8 *buf, int n)
{
	u8 *o = kmalloc(1, GFP_KERNEL);
	struct i2c_msg msgs[2] = {
		{ c->addr, I2C_M_DMA_SAFE, 1, o },
		{ c->addr, I2C_M_RD, (u16)n, buf },
	};
	int r;

	if (!o)
		return -ENOMEM;
	*o = off;
	if (mark_safe(c, buf, n))
		msgs[1].flags |= I2C_M_DMA_SAFE;
	r = i2c_transfer(c->adapter, msgs, 2);
	kfree(o);
	return r == 2 ? 0 : r;
}

static int ee_write(struct i2c_client *c, const char *buf, int n)
{
	int r = mark_safe(c, buf, n) ? i2c_master_send_dmasafe(c, buf, n) :
				       i2c_master_send(c, buf, n);

	return r == n ? 0 : r;
}

static bool ee_expect(const u8 *buf, u8 off, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (buf[i] != DK_I2C_EEPROM_INIT((u8)(off + i)))
			return false;
	return true;
}

static bool i2c_part(struct story_env *env, struct i2c_client *c)
{
	u8 id[RD], *safe = kmalloc(RD, GFP_KERNEL);
	struct client_priv *p = kzalloc(sizeof(*p), GFP_KERNEL);
	bool ok = true;
	int r;

	if (!safe || !p)
		return false;
	story_say(env, "EEPROM: read the board ID into a stack buffer");
	r = ee_read(c, 0x00, id, RD);
	if (r)
		fail("the stack read", r);
	ok &= !r && ee_expect(id, 0x00, RD);

	story_say(env, "EEPROM: write a page of defaults straight from rodata");
	r = ee_write(c, ee_defaults, sizeof(ee_defaults));
	if (r)
		fail("the rodata write", r);
	r = ee_read(c, 0x80, safe, DK_I2C_EEPROM_PAGE);
	ok &= !r && !memcmp(safe, ee_defaults + 1, DK_I2C_EEPROM_PAGE);

	story_say(env, "EEPROM: read into the buffer inside the driver's struct while another CPU counts reads");
	dk_soc_schedule(env->soc, OTHER_CPU_AT, other_cpu, p);
	r = ee_read(c, 0x40, p->buf, RD);
	if (r)
		fail("the embedded read", r);
	ok &= !r && ee_expect(p->buf, 0x40, RD) && p->reads == 1;
	if (!r)
		story_say(env, "  %s, the counter reads %u",
			  ee_expect(p->buf, 0x40, RD) ? "data right" : "data wrong",
			  p->reads);

	story_say(env, "EEPROM: read into a kmalloc'd buffer");
	r = ee_read(c, 0xa0, safe, RD);
	ok &= !r && ee_expect(safe, 0xa0, RD);
	story_say(env, "the I2C driver moved %lu messages by PIO, %lu by DMA, %lu of those through a bounce buffer",
		  c->adapter->dk_pio_msgs, c->adapter->dk_dma_msgs,
		  c->adapter->dk_bounced_msgs);
	kfree(safe);
	kfree(p);
	return ok;
}

/* ---- SPI: the NOR flash client */

/* One message of a command and optional data; unsafe buffers bounced in
 * the fixed client, as spi-nor's bounce buffer does. */
static int nor_op(struct spi_device *spi, const u8 *cmd, unsigned int ncmd,
		  const void *out, void *in, unsigned int n)
{
	struct device *dev = spi->controller->dev.parent;
	struct spi_transfer t[2] = { { .tx_buf = cmd, .len = ncmd },
				     { .tx_buf = out, .rx_buf = in, .len = n } };
	u8 *bc = NULL, *bd = NULL;
	int r = -ENOMEM;

	if (cur->fixed &&
	    dk_dma_buffer_is_safe(cmd, ncmd, dev) != DK_DMA_SAFE) {
		if (!(bc = kmalloc(ncmd, GFP_KERNEL)))
			goto out;
		memcpy(bc, cmd, ncmd);
		t[0].tx_buf = bc;
	}
	if (cur->fixed && n &&
	    dk_dma_buffer_is_safe(out ? out : in, n, dev) != DK_DMA_SAFE) {
		if (!(bd = kmalloc(n, GFP_KERNEL)))
			goto out;
		if (out) {
			memcpy(bd, out, n);
			t[1].tx_buf = bd;
		} else {
			t[1].rx_buf = bd;
		}
	}
	r = spi_sync_transfer(spi, t, n ? 2 : 1);
	if (!r && bd && in)
		memcpy(in, bd, n);
out:
	kfree(bc);
	kfree(bd);
	return r;
}

static int nor_cmd_addr(struct spi_device *spi, u8 op, u32 addr,
			const void *out, void *in, unsigned int n)
{
	u8 cmd[4] = { op, (u8)(addr >> 16), (u8)(addr >> 8), (u8)addr };

	return nor_op(spi, cmd, 4, out, in, n);
}

static int nor_wren(struct spi_device *spi)
{
	u8 op = DK_SPI_NOR_WREN;

	return nor_op(spi, &op, 1, NULL, NULL, 0);
}

static bool nor_expect(const u8 *buf, u32 addr, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (buf[i] != DK_SPI_NOR_INIT(addr + i))
			return false;
	return true;
}

static bool spi_part(struct story_env *env, struct spi_device *nor)
{
	u8 sfdp[SRD], *safe = kmalloc(sizeof(banner), GFP_KERNEL);
	struct client_priv *p = kzalloc(sizeof(*p), GFP_KERNEL);
	bool ok = true;
	int r;

	if (!safe || !p)
		return false;
	story_say(env, "NOR flash: read %d bytes into a stack buffer", SRD);
	r = nor_cmd_addr(nor, DK_SPI_NOR_READ, 0x1000, NULL, sfdp, SRD);
	if (r)
		fail("the stack read", r);
	ok &= !r && nor_expect(sfdp, 0x1000, SRD);

	story_say(env, "NOR flash: program a banner straight from rodata");
	r = nor_wren(nor);
	if (!r)
		r = nor_cmd_addr(nor, DK_SPI_NOR_SE, 0x2000, NULL, NULL, 0);
	if (!r)
		r = nor_wren(nor);
	if (!r)
		r = nor_cmd_addr(nor, DK_SPI_NOR_PP, 0x2000, banner, NULL,
				 sizeof(banner));
	if (r)
		fail("the rodata program", r);
	r = nor_cmd_addr(nor, DK_SPI_NOR_READ, 0x2000, NULL, safe,
			 sizeof(banner));
	ok &= !r && !memcmp(safe, banner, sizeof(banner));

	story_say(env, "NOR flash: read into the buffer inside the driver's struct");
	r = nor_cmd_addr(nor, DK_SPI_NOR_READ, 0x3000, NULL, p->buf, SRD);
	if (r)
		fail("the embedded read", r);
	ok &= !r && nor_expect(p->buf, 0x3000, SRD);
	story_say(env, "the SPI core moved %lu transfers by PIO, %lu by DMA, and refused %lu unsafe buffers",
		  nor->controller->dk_pio_xfers, nor->controller->dk_dma_xfers,
		  nor->controller->dk_rejected_xfers);
	kfree(safe);
	kfree(p);
	return ok;
}

static int run(struct story_env *env)
{
	struct spi_board_info bi = { .modalias = "spi-nor",
				     .max_speed_hz = 50000000,
				     .chip_select = DK_SPI_CS_NOR };
	struct i2c_adapter *adap;
	struct spi_controller *ctlr;
	struct i2c_client *ee;
	struct spi_device *nor;
	bool i2c_ok, spi_ok;
	int r;

	cur = env;
	failures = 0;
	r = driver_register(&dk_i2c_driver);
	if (!r)
		r = driver_register(&dk_spi_driver);
	if (r)
		return r;
	adap = dk_i2c_adapter_of(story_dev(env, I2C_DEV));
	ctlr = dk_spi_controller_of(story_dev(env, SPI_DEV));
	if (!adap || !ctlr)
		return -ENODEV;
	ee = i2c_new_dummy_device(adap, DK_I2C_EEPROM_ADDR);
	nor = spi_new_device(ctlr, &bi);
	if (IS_ERR(ee) || !nor)
		return -ENOMEM;
	i2c_ok = i2c_part(env, ee);
	spi_ok = spi_part(env, nor);
	env->data_ok = i2c_ok && spi_ok;
	snprintf(env->note, sizeof(env->note),
		 "EEPROM data %s, flash data %s; %d transfers failed; I2C bounced %lu, SPI refused %lu",
		 i2c_ok ? "right" : "wrong", spi_ok ? "right" : "wrong",
		 failures, adap->dk_bounced_msgs, ctlr->dk_rejected_xfers);
	i2c_unregister_device(ee);
	spi_unregister_device(nor);
	return 0;
}

const struct story story_dma_unsafe_i2c = {
	.name = "dma-unsafe-i2c-buffers",
	.title = "DMA safety in buffers for Linux kernel device drivers",
	.from = &story_talk_sang,
	.slide = "The reality",
	.bug = "I2C and SPI clients pass stack, rodata and struct-embedded buffers to DMA (marked I2C_M_DMA_SAFE, or straight to the SPI core)",
	.fix = "I2C_M_DMA_SAFE only for buffers dk_dma_buffer_is_safe() accepts, the I2C core bounces the rest; unsafe SPI buffers are bounced by the client",
	.bug_code =
		"u8 buf[2];\t\t/* on the stack */\n"
		"msg.buf = buf;\n"
		"msg.flags = I2C_M_DMA_SAFE;\n"
		"i2c_transfer(adap, &msg, 1);\n",
	.fix_code =
		"u8 *buf = kmalloc(2, GFP_KERNEL);\n"
		"msg.buf = buf;\n"
		"msg.flags = I2C_M_DMA_SAFE;\n"
		"i2c_transfer(adap, &msg, 1);\n"
		"/* the rest: i2c_get_dma_safe_msg_buf() */\n",
	.run = run,
};
