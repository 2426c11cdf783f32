// SPDX-License-Identifier: MIT
/*
 * The I2C controller model and its EEPROM at register level, the cost
 * model's cycle counts, dk_simdev_stall(), and the I2C core on the default
 * SoC: DMA-safe message buffers (threshold, I2C_M_DMA_SAFE, bouncing),
 * transfers through the "dmakit,i2c" bus driver with exact bytes, and
 * what the checker says about unsafe buffers marked safe.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/error.h>
#include <dmakit/i2c.h>
#include <dmakit/mm.h>
#include <dmakit/models/i2c.h>
#include <dmakit/models/stall.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

#define I2C "i2c@10180000"
#define BUF 0x80200000ULL

static struct dk_simdev *i2c_dev(struct dk_soc *soc)
{
	return dk_soc_find_dev(soc, I2C);
}

/* Register-level: a message, then run the loop until it is over. */
static u32 wait_done(struct dk_soc *soc, struct dk_simdev *d)
{
	dk_soc_run(soc, 0);
	return dk_dev_mmio_read32(d, DK_I2C_REG_STATUS);
}

TEST(i2c_model_pio_write_then_read_exact_bytes)
{
	struct dk_soc *soc;
	struct dk_simdev *d;
	u32 st;

	CHECK_EQ(dk_soc_load_default(NULL, &soc), 0);
	d = i2c_dev(soc);
	CHECK(d != NULL);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_ID), DK_I2C_ID);
	/* Word address 0x10, then 0xa1 0xb2 0xc3 stored there. */
	dk_dev_mmio_write32(d, DK_I2C_REG_ADDR, DK_I2C_EEPROM_ADDR);
	dk_dev_mmio_write32(d, DK_I2C_REG_LEN, 4);
	dk_dev_mmio_write32(d, DK_I2C_REG_FIFO, 0x10);
	dk_dev_mmio_write32(d, DK_I2C_REG_FIFO, 0xa1);
	dk_dev_mmio_write32(d, DK_I2C_REG_FIFO, 0xb2);
	dk_dev_mmio_write32(d, DK_I2C_REG_FIFO, 0xc3);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_LEVEL), 4);
	dk_dev_mmio_write32(d, DK_I2C_REG_CTRL,
			    DK_I2C_CTRL_START | DK_I2C_CTRL_STOP);
	CHECK(dk_dev_mmio_read32(d, DK_I2C_REG_STATUS) & DK_I2C_ST_BUSY);
	st = wait_done(soc, d);
	CHECK_EQ(st, DK_I2C_ST_DONE);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_LEVEL), 0);
	dk_dev_mmio_write32(d, DK_I2C_REG_STATUS, st);
	/* Set the word address back to 0x0f and read 5 bytes. */
	dk_dev_mmio_write32(d, DK_I2C_REG_LEN, 1);
	dk_dev_mmio_write32(d, DK_I2C_REG_FIFO, 0x0f);
	dk_dev_mmio_write32(d, DK_I2C_REG_CTRL, DK_I2C_CTRL_START);
	CHECK_EQ(wait_done(soc, d), DK_I2C_ST_DONE);
	dk_dev_mmio_write32(d, DK_I2C_REG_STATUS, DK_I2C_ST_DONE);
	dk_dev_mmio_write32(d, DK_I2C_REG_LEN, 5);
	dk_dev_mmio_write32(d, DK_I2C_REG_CTRL,
			    DK_I2C_CTRL_START | DK_I2C_CTRL_READ |
				    DK_I2C_CTRL_STOP);
	CHECK_EQ(wait_done(soc, d), DK_I2C_ST_DONE);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_LEVEL), 5);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_FIFO),
		 DK_I2C_EEPROM_INIT(0x0f));
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_FIFO), 0xa1);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_FIFO), 0xb2);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_FIFO), 0xc3);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_FIFO),
		 DK_I2C_EEPROM_INIT(0x13));
	/* An empty FIFO reads 0. */
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_FIFO), 0);
	dk_soc_free(soc);
}

TEST(i2c_model_eeprom_page_write_wraps_in_page)
{
	struct dk_soc *soc;
	struct dk_simdev *d;
	const u8 msg[] = { 0x0e, 0x11, 0x22, 0x33 };
	unsigned int i;

	CHECK_EQ(dk_soc_load_default(NULL, &soc), 0);
	d = i2c_dev(soc);
	dk_dev_mmio_write32(d, DK_I2C_REG_ADDR, DK_I2C_EEPROM_ADDR);
	dk_dev_mmio_write32(d, DK_I2C_REG_LEN, sizeof(msg));
	for (i = 0; i < sizeof(msg); i++)
		dk_dev_mmio_write32(d, DK_I2C_REG_FIFO, msg[i]);
	dk_dev_mmio_write32(d, DK_I2C_REG_CTRL, DK_I2C_CTRL_START);
	CHECK_EQ(wait_done(soc, d), DK_I2C_ST_DONE);
	dk_dev_mmio_write32(d, DK_I2C_REG_STATUS, DK_I2C_ST_DONE);
	/* 0x0e, 0x0f, then back to 0x00 of the same 16-byte page. */
	dk_dev_mmio_write32(d, DK_I2C_REG_LEN, 1);
	dk_dev_mmio_write32(d, DK_I2C_REG_FIFO, 0x00);
	dk_dev_mmio_write32(d, DK_I2C_REG_CTRL, DK_I2C_CTRL_START);
	CHECK_EQ(wait_done(soc, d), DK_I2C_ST_DONE);
	dk_dev_mmio_write32(d, DK_I2C_REG_STATUS, DK_I2C_ST_DONE);
	dk_dev_mmio_write32(d, DK_I2C_REG_LEN, 2);
	dk_dev_mmio_write32(d, DK_I2C_REG_CTRL,
			    DK_I2C_CTRL_START | DK_I2C_CTRL_READ);
	CHECK_EQ(wait_done(soc, d), DK_I2C_ST_DONE);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_FIFO), 0x33);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_FIFO),
		 DK_I2C_EEPROM_INIT(0x01));
	dk_soc_free(soc);
}

TEST(i2c_model_nack_errors_and_busy)
{
	struct dk_soc *soc;
	struct dk_simdev *d;
	int i;

	CHECK_EQ(dk_soc_load_default(NULL, &soc), 0);
	d = i2c_dev(soc);
	/* Nobody at 0x51. */
	dk_dev_mmio_write32(d, DK_I2C_REG_ADDR, 0x51);
	dk_dev_mmio_write32(d, DK_I2C_REG_LEN, 1);
	dk_dev_mmio_write32(d, DK_I2C_REG_CTRL,
			    DK_I2C_CTRL_START | DK_I2C_CTRL_READ);
	CHECK_EQ(wait_done(soc, d), DK_I2C_ST_NACK);
	dk_dev_mmio_write32(d, DK_I2C_REG_STATUS, DK_I2C_ST_NACK);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_STATUS), 0);
	/* PIO longer than the FIFO. */
	dk_dev_mmio_write32(d, DK_I2C_REG_ADDR, DK_I2C_EEPROM_ADDR);
	dk_dev_mmio_write32(d, DK_I2C_REG_LEN, DK_I2C_FIFO_DEPTH + 1);
	dk_dev_mmio_write32(d, DK_I2C_REG_CTRL,
			    DK_I2C_CTRL_START | DK_I2C_CTRL_READ);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_STATUS), DK_I2C_ST_ERROR);
	dk_dev_mmio_write32(d, DK_I2C_REG_STATUS, DK_I2C_ST_ERROR);
	/* A PIO write with fewer bytes queued than LEN. */
	dk_dev_mmio_write32(d, DK_I2C_REG_LEN, 2);
	dk_dev_mmio_write32(d, DK_I2C_REG_FIFO, 0x00);
	dk_dev_mmio_write32(d, DK_I2C_REG_CTRL, DK_I2C_CTRL_START);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_STATUS), DK_I2C_ST_ERROR);
	dk_dev_mmio_write32(d, DK_I2C_REG_STATUS, DK_I2C_ST_ERROR);
	/* The refused message left its byte queued. FIFO overflow is
	 * flagged; START while busy is flagged too and leaves the running
	 * message alone. */
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_LEVEL), 1);
	for (i = 1; i < DK_I2C_FIFO_DEPTH; i++)
		dk_dev_mmio_write32(d, DK_I2C_REG_FIFO, i);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_STATUS), 0);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_LEVEL), DK_I2C_FIFO_DEPTH);
	dk_dev_mmio_write32(d, DK_I2C_REG_FIFO, 0xff);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_STATUS), DK_I2C_ST_ERROR);
	dk_dev_mmio_write32(d, DK_I2C_REG_STATUS, DK_I2C_ST_ERROR);
	dk_dev_mmio_write32(d, DK_I2C_REG_LEN, 2);
	dk_dev_mmio_write32(d, DK_I2C_REG_CTRL, DK_I2C_CTRL_START);
	dk_dev_mmio_write32(d, DK_I2C_REG_CTRL, DK_I2C_CTRL_START);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_STATUS),
		 DK_I2C_ST_BUSY | DK_I2C_ST_ERROR);
	CHECK_EQ(wait_done(soc, d), DK_I2C_ST_DONE | DK_I2C_ST_ERROR);
	dk_soc_free(soc);
}

TEST(i2c_model_dma_read_costs_exact_cycles)
{
	struct dk_soc *soc;
	struct dk_simdev *d;
	u8 *mem;
	int i;

	CHECK_EQ(dk_soc_load_default(NULL, &soc), 0);
	d = i2c_dev(soc);
	mem = dk_sim_dram_ptr(soc, BUF);
	CHECK_EQ(dk_soc_now(soc), 0);
	dk_dev_mmio_write32(d, DK_I2C_REG_ADDR, DK_I2C_EEPROM_ADDR);
	dk_dev_mmio_write32(d, DK_I2C_REG_LEN, 32);
	dk_dev_mmio_write32(d, DK_I2C_REG_DMA_LO, (u32)BUF);
	dk_dev_mmio_write32(d, DK_I2C_REG_DMA_HI, BUF >> 32);
	CHECK_EQ(dk_soc_now(soc), 4 * DK_I2C_MMIO_CYCLES);
	/* The word pointer is 0 after reset: read 32 bytes by DMA. */
	dk_dev_mmio_write32(d, DK_I2C_REG_CTRL,
			    DK_I2C_CTRL_START | DK_I2C_CTRL_READ |
				    DK_I2C_CTRL_DMA);
	/* The doorbell waited for one line of maintenance. */
	CHECK_EQ(dk_soc_now(soc),
		 5 * DK_I2C_MMIO_CYCLES + DK_I2C_MAINT_CYCLES);
	dk_soc_run(soc, 0);
	CHECK_EQ(dk_soc_now(soc),
		 5 * DK_I2C_MMIO_CYCLES + DK_I2C_MAINT_CYCLES +
			 DK_I2C_DMA_SETUP_CYCLES + 33 * DK_I2C_BYTE_CYCLES +
			 DK_I2C_IRQ_CYCLES + DK_I2C_MAINT_CYCLES);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_I2C_REG_STATUS), DK_I2C_ST_DONE);
	for (i = 0; i < 32; i++)
		CHECK_EQ(mem[i], DK_I2C_EEPROM_INIT(i));
	dk_soc_free(soc);
}

TEST(i2c_model_dma_fault_is_error)
{
	struct dk_soc *soc;
	struct dk_simdev *d;

	CHECK_EQ(dk_soc_load_default(NULL, &soc), 0);
	d = i2c_dev(soc);
	dk_dev_mmio_write32(d, DK_I2C_REG_ADDR, DK_I2C_EEPROM_ADDR);
	dk_dev_mmio_write32(d, DK_I2C_REG_LEN, 8);
	dk_dev_mmio_write32(d, DK_I2C_REG_DMA_LO, 0x1000);	/* not RAM */
	dk_dev_mmio_write32(d, DK_I2C_REG_DMA_HI, 0);
	dk_dev_mmio_write32(d, DK_I2C_REG_CTRL,
			    DK_I2C_CTRL_START | DK_I2C_CTRL_DMA);
	CHECK_EQ(wait_done(soc, d), DK_I2C_ST_ERROR);
	CHECK_EQ(dk_soc_nfaults(soc), 1);
	dk_soc_free(soc);
}

TEST(stall_lets_time_pass_and_runs_due_events)
{
	struct dk_soc *soc;
	struct dk_simdev *d;

	CHECK_EQ(dk_soc_load_default(NULL, &soc), 0);
	d = i2c_dev(soc);
	dk_simdev_stall(d, 0);
	CHECK_EQ(dk_soc_now(soc), 0);
	dk_simdev_stall(d, 1234);
	CHECK_EQ(dk_soc_now(soc), 1234);
	dk_simdev_stall(NULL, 10);
	CHECK_EQ(dk_soc_now(soc), 1234);
	/* Every register access of the model costs its cycles. */
	dk_dev_mmio_read32(d, DK_I2C_REG_ID);
	CHECK_EQ(dk_soc_now(soc), 1234 + DK_I2C_MMIO_CYCLES);
	dk_soc_free(soc);
}

/* ---- the core's DMA-safe message buffers */

TEST(i2c_dma_safe_msg_buf_threshold_flag_and_bounce)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	u8 data[40], *b, *k = kmalloc(40, GFP_KERNEL);
	struct i2c_msg m = { 0x50, 0, 7, data };
	int align = dma_get_cache_alignment();
	unsigned int i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = i + 1;
	/* Below the threshold, and empty: PIO. */
	CHECK(i2c_get_dma_safe_msg_buf(&m, 8) == NULL);
	m.len = 0;
	CHECK(i2c_get_dma_safe_msg_buf(&m, 0) == NULL);
	CHECK(i2c_get_dma_safe_msg_buf(NULL, 0) == NULL);
	/* A write: a copy, in whole cache lines. */
	m.len = 8;
	b = i2c_get_dma_safe_msg_buf(&m, 8);
	CHECK(b != NULL && b != data);
	CHECK_MEM(b, data, 8);
	CHECK(ksize(b) >= (size_t)align);
	CHECK_EQ(dk_dma_buffer_is_safe(b, 8, NULL), DK_DMA_SAFE);
	i2c_put_dma_safe_msg_buf(b, &m, true);
	CHECK_MEM(data, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	/* A read: zeroed; copied back only if it was transferred. */
	m.flags = I2C_M_RD;
	m.len = 40;
	b = i2c_get_dma_safe_msg_buf(&m, 8);
	CHECK(b != NULL && b != data);
	for (i = 0; i < 40; i++)
		CHECK_EQ(b[i], 0);
	memset(b, 0xee, 40);
	i2c_put_dma_safe_msg_buf(b, &m, false);
	CHECK_EQ(data[0], 1);
	b = i2c_get_dma_safe_msg_buf(&m, 8);
	memset(b, 0xee, 40);
	i2c_put_dma_safe_msg_buf(b, &m, true);
	for (i = 0; i < 40; i++)
		CHECK_EQ(data[i], 0xee);
	/* Marked safe: the message's own buffer, and put leaves it alone. */
	m.buf = k;
	m.flags |= I2C_M_DMA_SAFE;
	CHECK(i2c_get_dma_safe_msg_buf(&m, 8) == k);
	i2c_put_dma_safe_msg_buf(k, &m, true);
	CHECK_EQ(ksize(k), (size_t)align);
	i2c_put_dma_safe_msg_buf(NULL, &m, true);
	kfree(k);
	testmachine_shutdown(&t);
}

TEST(i2c_bounce_buffer_is_safe_with_small_kmalloc_alignment)
{
	struct dk_machine_opts mo = { .kmalloc_minalign = 8 };
	struct testmachine t = testmachine_boot(NULL, NULL, &mo);
	u8 data[24] = { 0 };
	struct i2c_msg m = { 0x50, I2C_M_RD, sizeof(data), data };
	u8 *small = kmalloc(24, GFP_KERNEL), *b;

	CHECK_EQ(dk_kmalloc_minalign(), 8);
	CHECK_EQ(dk_dma_buffer_is_safe(small, 24, NULL),
		 DK_DMA_UNSAFE_SHARES_LINE);
	b = i2c_get_dma_safe_msg_buf(&m, 8);
	CHECK(b != NULL);
	CHECK_EQ(dk_dma_buffer_is_safe(b, sizeof(data), NULL), DK_DMA_SAFE);
	i2c_put_dma_safe_msg_buf(b, &m, false);
	kfree(small);
	testmachine_shutdown(&t);
}

/* ---- transfers through the bus driver */

struct bus {
	struct testmachine t;
	struct i2c_adapter *adap;
	struct i2c_client *ee;
	FILE *sink;
};

static struct bus bus_up(void)
{
	struct bus b = { .t = testmachine_boot(NULL, NULL, NULL) };

	b.sink = tmpfile();
	dk_dma_debug_set_output(b.sink);
	dk_log_set_output(b.sink);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	dk_dma_debug_clear();
	CHECK_EQ(driver_register(&dk_i2c_driver), 0);
	b.adap = dk_i2c_adapter_of(dk_machine_find_device(b.t.m, I2C));
	CHECK(b.adap != NULL);
	b.ee = i2c_new_dummy_device(b.adap, DK_I2C_EEPROM_ADDR);
	CHECK(!IS_ERR(b.ee));
	return b;
}

static void bus_down(struct bus *b)
{
	i2c_unregister_device(b->ee);
	testmachine_shutdown(&b->t);
	dk_dma_debug_set_output(NULL);
	dk_log_set_output(NULL);
	dk_dma_debug_clear();
	if (b->sink)
		fclose(b->sink);
}

static int ee_read(struct i2c_client *c, u8 off, u8 *buf, u16 n, u16 flags)
{
	u8 *o = kmalloc(1, GFP_KERNEL);
	struct i2c_msg msgs[2] = {
		{ c->addr, 0, 1, o },
		{ c->addr, I2C_M_RD | flags, n, buf },
	};
	int r;

	*o = off;
	r = i2c_transfer(c->adapter, msgs, 2);
	kfree(o);
	return r;
}

TEST(i2c_transfer_pio_below_threshold_dma_above)
{
	struct bus b = bus_up();
	u8 *buf = kmalloc(64, GFP_KERNEL);
	int i;

	CHECK_EQ(b.adap->nr >= 0, 1);
	CHECK(i2c_get_adapter(b.adap->nr) == b.adap);
	/* 7 bytes: PIO; the 1-byte word address too. */
	CHECK_EQ(ee_read(b.ee, 0x20, buf, DK_I2C_DMA_THRESHOLD - 1, 0), 2);
	for (i = 0; i < DK_I2C_DMA_THRESHOLD - 1; i++)
		CHECK_EQ(buf[i], DK_I2C_EEPROM_INIT(0x20 + i));
	CHECK_EQ(b.adap->dk_pio_msgs, 2);
	CHECK_EQ(b.adap->dk_dma_msgs, 0);
	/* 8 bytes, not marked: DMA through a bounce buffer. */
	CHECK_EQ(ee_read(b.ee, 0x30, buf, DK_I2C_DMA_THRESHOLD, 0), 2);
	for (i = 0; i < DK_I2C_DMA_THRESHOLD; i++)
		CHECK_EQ(buf[i], DK_I2C_EEPROM_INIT(0x30 + i));
	CHECK_EQ(b.adap->dk_dma_msgs, 1);
	CHECK_EQ(b.adap->dk_bounced_msgs, 1);
	/* Marked safe: DMA straight into it. */
	CHECK_EQ(ee_read(b.ee, 0xf0, buf, 64, I2C_M_DMA_SAFE), 2);
	for (i = 0; i < 64; i++)
		CHECK_EQ(buf[i], DK_I2C_EEPROM_INIT((u8)(0xf0 + i)));
	CHECK_EQ(b.adap->dk_dma_msgs, 2);
	CHECK_EQ(b.adap->dk_bounced_msgs, 1);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	kfree(buf);
	bus_down(&b);
}

TEST(i2c_master_send_recv_and_dmasafe_variants)
{
	struct bus b = bus_up();
	char page[1 + 16], got[16];
	char *k = kmalloc(17, GFP_KERNEL);
	int i;

	page[0] = 0x60;
	for (i = 0; i < 16; i++)
		page[1 + i] = (char)(0xc0 + i);
	CHECK_EQ(i2c_master_send(b.ee, page, 17), 17);
	CHECK_EQ(i2c_master_send(b.ee, page, 1), 1);
	CHECK_EQ(i2c_master_recv(b.ee, got, 16), 16);
	CHECK_MEM(got, page + 1, 16);
	CHECK_EQ(b.adap->dk_bounced_msgs, 2);
	/* The same with kmalloc'd buffers marked safe: no bounce. */
	memcpy(k, page, 17);
	k[0] = 0x70;
	CHECK_EQ(i2c_master_send_dmasafe(b.ee, k, 17), 17);
	CHECK_EQ(i2c_master_send(b.ee, k, 1), 1);
	memset(k, 0, 17);
	CHECK_EQ(i2c_master_recv_dmasafe(b.ee, k, 16), 16);
	CHECK_MEM(k, page + 1, 16);
	CHECK_EQ(b.adap->dk_bounced_msgs, 2);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	kfree(k);
	bus_down(&b);
}

TEST(i2c_errors_nack_bad_args_and_unsafe_marked_buffers)
{
	struct bus b = bus_up();
	struct i2c_client *nobody = i2c_new_dummy_device(b.adap, 0x23);
	struct i2c_msg m = { 0x50, 0, 4, NULL };
	char stackbuf[32];

	CHECK(IS_ERR(i2c_new_dummy_device(b.adap, 0x80)));
	CHECK_EQ(PTR_ERR(i2c_new_dummy_device(NULL, 0x50)), -EINVAL);
	CHECK_EQ(i2c_master_recv(nobody, stackbuf, 2), -ENXIO);
	CHECK_EQ(i2c_master_recv(nobody, stackbuf, 20), -ENXIO);
	CHECK_EQ(i2c_transfer(b.adap, &m, 1), -EINVAL);
	CHECK_EQ(i2c_transfer(b.adap, &m, 0), -EINVAL);
	CHECK_EQ(i2c_transfer(NULL, &m, 1), -EINVAL);
	m.flags = I2C_M_TEN;
	m.buf = (u8 *)stackbuf;
	CHECK_EQ(i2c_transfer(b.adap, &m, 1), -EOPNOTSUPP);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	/* Unmarked stack buffer: bounced, fine. Marked: the checker. */
	CHECK_EQ(i2c_master_recv(b.ee, stackbuf, 32), 32);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	CHECK_EQ(i2c_master_recv_dmasafe(b.ee, stackbuf, 32), -ENOMEM);
	CHECK_EQ(dk_dma_debug_count(DK_CHK_MAP_STACK), 1);
	i2c_unregister_device(nobody);
	bus_down(&b);
}

/* i2c-dev's I2C_RDWR: user buffers are copied into DMA-safe kernel
 * buffers, marked so: DMA with no bounce; bad user memory is -EFAULT. */
TEST(i2c_dev_rdwr_copies_user_messages_into_dma_safe_buffers)
{
	struct bus b = bus_up();
	u8 *u = dk_user_mmap_anon(4096);
	struct i2c_msg m[2] = {
		{ DK_I2C_EEPROM_ADDR, 0, 1, u },
		{ DK_I2C_EEPROM_ADDR, I2C_M_RD, 32, u + 100 },
	};
	u8 stack[32];
	int i;

	u[0] = 0x40;			/* word address */
	CHECK_EQ(dk_i2c_dev_rdwr(b.adap, m, 2), 2);
	for (i = 0; i < 32; i++)
		CHECK_EQ(u[100 + i], DK_I2C_EEPROM_INIT(0x40 + i));
	CHECK_EQ(b.adap->dk_dma_msgs, 1);
	CHECK_EQ(b.adap->dk_bounced_msgs, 0);	/* copied, marked safe */
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	m[1].buf = stack;			/* kernel memory */
	CHECK_EQ(dk_i2c_dev_rdwr(b.adap, m, 2), -EFAULT);
	CHECK_STR(dk_last_error(), "message 1: its buffer is not user memory");
	m[1].buf = u + 4090;			/* runs off the mapping */
	CHECK_EQ(dk_i2c_dev_rdwr(b.adap, m, 2), -EFAULT);
	CHECK_EQ(dk_i2c_dev_rdwr(b.adap, m, 43), -EINVAL);
	m[1].len = 8193;
	CHECK_EQ(dk_i2c_dev_rdwr(b.adap, m, 2), -EINVAL);
	CHECK_EQ(b.adap->dk_dma_msgs, 1);
	dk_user_munmap(u);
	bus_down(&b);
}

/* The 4.16 name: a read's bounce buffer always goes back to msg->buf. */
TEST(i2c_release_dma_safe_msg_buf_copies_back_and_frees)
{
	struct bus b = bus_up();
	u8 data[16] = { 0 };
	struct i2c_msg m = { DK_I2C_EEPROM_ADDR, I2C_M_RD, 16, data };
	u8 *bb = i2c_get_dma_safe_msg_buf(&m, 8);

	CHECK(bb != NULL && bb != data);
	memset(bb, 0x6b, 16);
	i2c_release_dma_safe_msg_buf(&m, bb);
	for (int i = 0; i < 16; i++)
		CHECK_EQ(data[i], 0x6b);
	CHECK(!dk_is_kmalloc_addr(bb, NULL, NULL));
	i2c_release_dma_safe_msg_buf(&m, data);	/* its own buffer: kept */
	i2c_release_dma_safe_msg_buf(&m, NULL);
	bus_down(&b);
}

/* A bus driver's suspend callback marks its adapter (as i2c-sh_mobile's
 * noirq callbacks do): transfers are refused with -ESHUTDOWN before they
 * reach the controller, logged once, until the adapter is resumed. */
TEST(i2c_mark_adapter_suspended_refuses_transfers_until_resumed)
{
	struct bus b = bus_up();
	struct capture cap;
	char log[256], want[160], werr[96];
	char got[4] = { 0 };

	/* The bus driver gave no timeout: Linux's one second. */
	CHECK_EQ(b.adap->timeout, DK_I2C_DEFAULT_TIMEOUT);
	CHECK_EQ(i2c_master_send(b.ee, "\x40", 1), 1);
	i2c_mark_adapter_suspended(b.adap);
	cap = capture_start();
	CHECK_EQ(i2c_master_recv(b.ee, got, 4), -ESHUTDOWN);
	snprintf(werr, sizeof(werr), "%s: i2c_transfer: transfer while suspended",
		 b.adap->name);
	CHECK(err_is(werr));
	CHECK_EQ(i2c_master_recv(b.ee, got, 4), -ESHUTDOWN);
	capture_end(&cap, log, sizeof(log));
	snprintf(want, sizeof(want), "err %s: %s: Transfer while suspended\n",
		 dev_name(b.adap->dev.parent), b.adap->name);
	CHECK_STR(log, want);
	CHECK_EQ(strlen(log), strlen(want));
	CHECK_EQ(b.adap->dk_pio_msgs, 1);
	CHECK(bytes_are(got, 0, 4));
	/* Marking twice is marking once; resuming lets transfers through. */
	i2c_mark_adapter_suspended(b.adap);
	i2c_mark_adapter_resumed(b.adap);
	CHECK_EQ(b.adap->locked_flags, 0);
	CHECK_EQ(i2c_master_recv(b.ee, got, 4), 4);
	for (int i = 0; i < 4; i++)
		CHECK_EQ((u8)got[i], DK_I2C_EEPROM_INIT(0x40 + i));
	i2c_mark_adapter_suspended(NULL);
	i2c_mark_adapter_resumed(NULL);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	bus_down(&b);
}
