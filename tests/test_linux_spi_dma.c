// SPDX-License-Identifier: MIT
/*
 * tests/linux/acme_spi.c, an upstream-style SPI controller driver built
 * with nothing but <linux/...> includes, on a tree where its FIFOs are
 * fed and drained by slave DMA channels: full-duplex and receive-only
 * transfers with exact bytes by DMA and PIO, and with the missing-unmap
 * bug injected, the checker's report of the mapping the driver leaked
 * when the DMA controller's driver goes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dmaengine.h>
#include <dmakit/error.h>
#include <dmakit/models/spi.h>
#include <dmakit/slab.h>
#include <dmakit/spi.h>

#include "harness.h"
#include "linux/acme_spi.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"dmakit { eviction-policy = \"adversarial\"; };\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	dmac: dma-controller@10050000 { compatible = \"dmakit,slave-dma\";\n"
	"		reg = <0 0x10050000 0 0x1000>; interrupts = <10>;\n"
	"		#dma-cells = <1>; };\n"
	"	spi@10060000 { compatible = \"acme,spi\", \"dmakit,spi\";\n"
	"		reg = <0 0x10060000 0 0x100>; interrupts = <11>;\n"
	"		dmas = <&dmac 4>, <&dmac 5>; dma-names = \"tx\", \"rx\"; };\n"
	"}; };\n";

struct bus {
	struct testmachine t;
	struct device *dev;
	struct spi_controller *ctlr;
	struct spi_device *nor, *mbox;
	FILE *sink;
};

static struct bus bus_up(void)
{
	struct bus b = { .t = testmachine_boot(tree, NULL, NULL) };
	struct spi_board_info nor = { .modalias = "nor", .chip_select = 0 };
	struct spi_board_info mbox = { .modalias = "mcu", .chip_select = 1 };

	b.dev = dk_machine_find_device(b.t.m, "spi@10060000");
	CHECK(b.dev && !b.dev->driver);
	CHECK_EQ(driver_register(&dk_slave_dma_driver), 0);
	CHECK(b.dev && b.dev->driver);
	b.ctlr = dk_spi_controller_of(b.dev);
	CHECK(b.ctlr != NULL);
	b.nor = spi_new_device(b.ctlr, &nor);
	b.mbox = spi_new_device(b.ctlr, &mbox);
	b.sink = testdebug_start();
	return b;
}

/* The checker stays on: the caller looks at its findings, then ends it. */
static void bus_down(struct bus *b)
{
	spi_unregister_device(b->nor);
	spi_unregister_device(b->mbox);
	testmachine_shutdown(&b->t);
}

/* Two full-duplex messages to the mailbox: the second answers with the
 * first's bytes. */
static void mailbox_round(struct bus *b, u8 *tx, u8 *rx, unsigned int n)
{
	struct spi_transfer t = { .tx_buf = tx, .rx_buf = rx, .len = n };
	unsigned int i;

	for (i = 0; i < n; i++)
		tx[i] = (u8)(i * 5 + 3);
	CHECK_EQ(spi_sync_transfer(b->mbox, &t, 1), 0);
	memset(rx, 0, n);
	CHECK_EQ(spi_sync_transfer(b->mbox, &t, 1), 0);
}

TEST(linux_spi_dma_driver_moves_exact_bytes)
{
	struct bus b = bus_up();
	u8 *tx = kmalloc(300, GFP_KERNEL), *rx = kmalloc(300, GFP_KERNEL);
	u8 cmd[4] = { DK_SPI_NOR_READ, 0, 0x01, 0x00 }, *flash;
	unsigned int dma, pio, i;

	mailbox_round(&b, tx, rx, 300);
	CHECK_MEM(rx, tx, 300);
	/* NOR READ from 0x100: the command by PIO, 200 bytes by DMA. */
	flash = kmalloc(200, GFP_KERNEL);
	CHECK_EQ(spi_write_then_read(b.nor, cmd, 4, flash, 200), 0);
	for (i = 0; i < 200; i++)
		CHECK_EQ(flash[i], DK_SPI_NOR_INIT(0x100 + i));
	acme_spi_counts(b.dev, &dma, &pio);
	CHECK_EQ(dma, 3);
	CHECK_EQ(pio, 1);
	/* The driver's DMA goes through its channels' controller. */
	CHECK(dmaengine_get_dma_device(b.ctlr->dma_rx) ==
	      dk_machine_find_device(b.t.m, "dma-controller@10050000"));
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	kfree(tx);
	kfree(rx);
	kfree(flash);
	bus_down(&b);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	testdebug_end(b.sink);
}

TEST(linux_spi_dma_missing_unmap_is_reported)
{
	struct bus b = bus_up();
	u8 *tx = kmalloc(256, GFP_KERNEL), *rx = kmalloc(256, GFP_KERNEL);
	const struct dk_dma_finding *f;

	struct spi_transfer t = { .tx_buf = tx, .rx_buf = rx, .len = 256 };

	memset(tx, 0x3c, 256);
	acme_spi_inject_unmap_bug(true);
	CHECK_EQ(spi_sync_transfer(b.mbox, &t, 1), 0);
	acme_spi_inject_unmap_bug(false);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	bus_down(&b);
	/* Reported when the DMA controller's driver goes: the mapping was
	 * made for it, by the SPI driver's transfer_one. */
	CHECK_EQ(dk_dma_debug_nfindings(), 1);
	CHECK_EQ(dk_dma_debug_count(DK_CHK_PENDING_AT_UNBIND), 1);
	f = dk_dma_debug_finding(0);
	CHECK(f != NULL);
	if (f) {
		CHECK_STR(f->message, "device driver has pending DMA allocations while released from device [count=1]");
		CHECK_STR(f->message, "[size=256 bytes] [mapped with DMA_FROM_DEVICE] [mapped as single]");
		CHECK_STR(f->device, "dma-controller@10050000");
		CHECK_STR(f->backtrace, "acme_spi_transfer_one (tests/linux/acme_spi.c:");
	}
	testdebug_end(b.sink);
	kfree(tx);
	kfree(rx);
}
