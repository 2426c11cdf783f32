// SPDX-License-Identifier: MIT
/*
 * tests/linux/acme_i2c.c, an upstream-style I2C bus driver built with
 * nothing but <linux/...> includes, on a tree where its controller's FIFO
 * is paced by a slave DMA channel: it probes before the DMA controller's
 * driver is there (-EPROBE_DEFER) and binds once it is; messages move
 * exact bytes by DMA through bounce buffers and by PIO; and with the
 * stack-buffer bug injected, the checker reports the client's stack
 * buffer the driver mapped.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dmaengine.h>
#include <dmakit/error.h>
#include <dmakit/i2c.h>
#include <dmakit/models/i2c.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "linux/acme_i2c.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"dmakit { eviction-policy = \"adversarial\"; };\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	dmac: dma-controller@10050000 { compatible = \"dmakit,slave-dma\";\n"
	"		reg = <0 0x10050000 0 0x1000>; interrupts = <10>;\n"
	"		#dma-cells = <1>; dma-channels = <2>; };\n"
	"	i2c@10040000 { compatible = \"acme,i2c\", \"dmakit,i2c\";\n"
	"		reg = <0 0x10040000 0 0x100>; interrupts = <9>;\n"
	"		dmas = <&dmac 0>, <&dmac 1>; dma-names = \"tx\", \"rx\"; };\n"
	"}; };\n";

struct bus {
	struct testmachine t;
	struct device *dev;
	struct i2c_adapter *adap;
	struct i2c_client *ee;
	FILE *sink;
};

static struct bus bus_up(void)
{
	struct capture c = capture_start();
	struct bus b = { .t = testmachine_boot(tree, NULL, NULL) };
	char log[512];

	b.dev = dk_machine_find_device(b.t.m, "i2c@10040000");
	CHECK(b.dev != NULL);
	/* Its DMA controller has no driver yet: probe deferred, quietly. */
	CHECK(b.dev && !b.dev->driver);
	CHECK_EQ(driver_register(&dk_slave_dma_driver), 0);
	capture_end(&c, log, sizeof(log));
	CHECK_STR(log, "");
	CHECK(b.dev && b.dev->driver);
	b.adap = dk_i2c_adapter_of(b.dev);
	CHECK(b.adap != NULL);
	b.ee = i2c_new_dummy_device(b.adap, DK_I2C_EEPROM_ADDR);
	b.sink = testdebug_start();
	return b;
}

static void bus_down(struct bus *b)
{
	i2c_unregister_device(b->ee);
	testmachine_shutdown(&b->t);
	testdebug_end(b->sink);
}

TEST(linux_i2c_dma_driver_moves_exact_bytes)
{
	struct bus b = bus_up();
	char *out = kmalloc(25, GFP_KERNEL), *in = kzalloc(24, GFP_KERNEL);
	unsigned int dma, pio;
	int i;

	CHECK(b.adap->algo->functionality(b.adap) & I2C_FUNC_I2C);
	out[0] = 0x30;		/* word address, then one page and a half */
	for (i = 1; i < 25; i++)
		out[i] = (char)(0xc0 + i);
	/* 25 bytes: by DMA, bounced (the buffer is not marked DMA-safe). */
	CHECK_EQ(i2c_master_send(b.ee, out, 25), 25);
	/* The word address by PIO, then 16 bytes by DMA. */
	CHECK_EQ(i2c_master_send(b.ee, "\x30", 1), 1);
	CHECK_EQ(i2c_master_recv(b.ee, in, 16), 16);
	/* 24 data bytes in a 16-byte page: the last 16 are what is left. */
	for (i = 0; i < 16; i++)
		CHECK_EQ((u8)in[i], (u8)(0xc0 + 9 + (i + 8) % 16));
	acme_i2c_counts(b.dev, &dma, &pio);
	CHECK_EQ(dma, 2);
	CHECK_EQ(pio, 1);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	kfree(out);
	kfree(in);
	bus_down(&b);
}

TEST(linux_i2c_dma_stack_buffer_bug_is_reported)
{
	struct bus b = bus_up();
	char buf[32];
	char want[96];
	const struct dk_dma_finding *f;

	/* The driver as shipped bounces whatever the client passed. */
	CHECK_EQ(i2c_master_send(b.ee, "\x00", 1), 1);
	CHECK_EQ(i2c_master_recv(b.ee, buf, sizeof(buf)), (int)sizeof(buf));
	CHECK_EQ((u8)buf[31], DK_I2C_EEPROM_INIT(31));
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	acme_i2c_inject_stack_bug(true);
	CHECK_EQ(i2c_master_send(b.ee, "\x00", 1), 1);
	/* A client reading into its stack: fine for I2C, unless the bus
	 * driver maps it; the stack is no memory a device can reach, so
	 * the mapping fails too. */
	CHECK_EQ(i2c_master_recv(b.ee, buf, sizeof(buf)), -ENOMEM);
	acme_i2c_inject_stack_bug(false);
	CHECK_EQ(dk_dma_debug_count(DK_CHK_MAP_STACK), 1);
	f = dk_dma_debug_finding(0);
	CHECK(f != NULL);
	if (f) {
		snprintf(want, sizeof(want),
			 "device driver maps memory from stack [addr=%p]",
			 (void *)buf);
		CHECK_STR(f->message, want);
		CHECK_STR(f->device, "dma-controller@10050000");
	}
	bus_down(&b);
}
