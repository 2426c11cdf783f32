// SPDX-License-Identifier: MIT
/*
 * What the SPI core checks and fills in before a controller sees a
 * transfer, as Linux's does: HALF_DUPLEX, NO_TX and NO_RX refuse what
 * the controller cannot do, and each transfer's speed, word size and
 * line count are defaulted, clamped or refused. On a controller whose
 * transfer_one only records what it was handed (MUST_TX/MUST_RX and
 * max_dma_len: tests/test_spi_core_dma.c).
 */
#include <errno.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/slab.h>
#include <dmakit/spi.h>

#include "harness.h"
#include "testsoc.h"

struct fspi {
	struct spi_controller ctlr;
	/* what transfer_one saw, last call */
	bool mapped;
	u32 speed;
	u8 bpw, tx_nbits;
	int calls;
};

static void fspi_set_cs(struct spi_device *spi, bool level)
{
	(void)spi;
	(void)level;
}

static int fspi_pio_one(struct spi_controller *ctlr, struct spi_device *spi,
			struct spi_transfer *t)
{
	struct fspi *s = ctlr->priv;

	(void)spi;
	s->calls++;
	s->mapped = t->tx_sg.sgl || t->rx_sg.sgl;
	s->speed = t->speed_hz;
	s->bpw = t->bits_per_word;
	s->tx_nbits = t->tx_nbits;
	return 0;
}

TEST(spi_core_validates_transfers_as_linux)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "spi@10190000");
	struct spi_board_info bi = { .modalias = "dev", .chip_select = 0,
				     .max_speed_hz = 5000000 };
	struct fspi s = { .calls = 0 };
	struct spi_device *spi;
	u8 *a = kmalloc(16, GFP_KERNEL), *b = kmalloc(16, GFP_KERNEL);
	struct spi_transfer x = { .tx_buf = a, .rx_buf = b, .len = 16 };

	s.ctlr.dev.parent = dev;
	s.ctlr.num_chipselect = 1;
	s.ctlr.transfer_one = fspi_pio_one;
	s.ctlr.set_cs = fspi_set_cs;
	s.ctlr.priv = &s;
	s.ctlr.max_speed_hz = 1000000;
	s.ctlr.min_speed_hz = 1000;
	s.ctlr.bits_per_word_mask = SPI_BPW_MASK(8) | SPI_BPW_MASK(16);
	s.ctlr.flags = SPI_CONTROLLER_HALF_DUPLEX | SPI_CONTROLLER_NO_RX;
	CHECK_EQ(spi_register_controller(&s.ctlr), 0);
	spi = spi_new_device(&s.ctlr, &bi);
	CHECK(spi != NULL);

	CHECK_EQ(spi_sync_transfer(spi, &x, 1), -EINVAL);
	CHECK_STR(dk_last_error(),
		  "spi0.0: transfer 0: both buffers on a half-duplex bus");
	x.tx_buf = NULL;
	CHECK_EQ(spi_sync_transfer(spi, &x, 1), -EINVAL);
	CHECK_STR(dk_last_error(),
		  "spi0.0: transfer 0: the controller cannot receive");
	CHECK_EQ(s.calls, 0);

	/* Speed from the device, clamped to the controller; 8-bit single
	 * line by default. */
	x.tx_buf = a;
	x.rx_buf = NULL;
	CHECK_EQ(spi_sync_transfer(spi, &x, 1), 0);
	CHECK_EQ(s.calls, 1);
	CHECK_EQ(s.speed, 1000000);
	CHECK_EQ(s.bpw, 8);
	CHECK_EQ(s.tx_nbits, SPI_NBITS_SINGLE);
	CHECK(!s.mapped);	/* no can_dma: PIO, no scatterlist */

	x.speed_hz = 500;
	CHECK_EQ(spi_sync_transfer(spi, &x, 1), -EINVAL);
	CHECK_STR(dk_last_error(),
		  "spi0.0: transfer 0: 500 Hz is below the controller's 1000");
	x.speed_hz = 0;
	x.bits_per_word = 12;
	CHECK_EQ(spi_sync_transfer(spi, &x, 1), -EINVAL);
	CHECK_STR(dk_last_error(),
		  "spi0.0: transfer 0: 12-bit words are not supported");
	x.bits_per_word = 16;
	CHECK_EQ(spi_sync_transfer(spi, &x, 1), 0);
	CHECK_EQ(s.bpw, 16);
	CHECK_EQ(s.calls, 2);

	/* A half-duplex controller that cannot send refuses a send. */
	s.ctlr.flags = SPI_CONTROLLER_HALF_DUPLEX | SPI_CONTROLLER_NO_TX;
	CHECK_EQ(spi_sync_transfer(spi, &x, 1), -EINVAL);
	CHECK_STR(dk_last_error(),
		  "spi0.0: transfer 0: the controller cannot send");
	CHECK_EQ(spi_max_transfer_size(spi), SIZE_MAX);
	/* Twice the time on the wire, at least 500 ms. */
	CHECK_EQ(spi_controller_xfer_timeout(&s.ctlr, &x), 500);
	x.len = 4000;
	x.speed_hz = 10000;
	CHECK_EQ(spi_controller_xfer_timeout(&s.ctlr, &x), 6400);
	spi_unregister_device(spi);
	spi_unregister_controller(&s.ctlr);
	kfree(a);
	kfree(b);
	testmachine_shutdown(&t);
}
