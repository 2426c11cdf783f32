// SPDX-License-Identifier: MIT
/*
 * Talk 000, "DMA'ing a lot vs. lots of DMA": a microcontroller on SPI
 * works as an I/O expander and bridges CAN, so the host exchanges lots of
 * 8-byte frames with it, and throughput stays far below what the bus can
 * do. DMA setup, cache maintenance and the completion interrupt cost more
 * than clocking 8 bytes through the FIFO by hand. The fix chooses PIO
 * below the size where DMA starts to pay off, as drivers that choose per
 * transfer do.
 *
 * And "some DMA controllers are ... peculiar": this one moves whole
 * 16-byte bursts only (dmakit,dma-whole-bursts), so a transfer's bytes
 * past its last whole burst never move; an 8-byte frame by DMA moves
 * nothing at all, and a 250-byte log dump loses its last 10 bytes. The
 * fixed driver also sends the lengths its DMA cannot move by PIO: the
 * 256-byte dumps go by DMA, the 250-byte ones by PIO.
 *
 * Time is the simulated SoC's: the model charges every register access,
 * the wire, DMA setup, maintenance and interrupt (include/dmakit/models/
 * spi.h), and dk_soc_now() measures the whole exchange.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/models/spi.h>
#include <dmakit/spi.h>

#include "story.h"

#define FRAMES 1000
#define FRAME 8		/* a CAN frame's payload */
#define BULK 256	/* a firmware-log dump, every 100th message */
#define ODD 250		/* every other dump is this long */
#define BULK_EVERY 100
/*
 * The throughput the bridge must sustain: 1000 frames (plus the ten dumps)
 * within 700,000 cycles, i.e. at least ~1430 frames per million cycles.
 */
#define TARGET_CYCLES 700000ULL

static bool always_dma(struct spi_controller *ctlr, struct spi_device *spi,
		       struct spi_transfer *xfer)
{
	(void)ctlr;
	(void)spi;
	(void)xfer;
	return true;
}

static bool never_dma(struct spi_controller *ctlr, struct spi_device *spi,
		      struct spi_transfer *xfer)
{
	(void)ctlr;
	(void)spi;
	(void)xfer;
	return false;
}

/* The fix: PIO below the crossover and where the DMA is peculiar. */
static unsigned int threshold;

static bool choose(struct spi_controller *ctlr, struct spi_device *spi,
		   struct spi_transfer *xfer)
{
	(void)ctlr;
	(void)spi;
	return xfer->len >= threshold && !(xfer->len % DK_SPI_DMA_BURST);
}

static int patch_tree(void *fdt, size_t cap, bool fixed)
{
	(void)cap;
	(void)fixed;
	return story_set_prop(fdt, "/soc/spi@10190000",
			      "dmakit,dma-whole-bursts", NULL, 0);
}

/* Cycles one full-duplex transfer of @n bytes takes with @can_dma. */
static u64 cost(struct story_env *env, struct spi_device *spi, u8 *tx,
		u8 *rx, unsigned int n,
		bool (*can_dma)(struct spi_controller *, struct spi_device *,
				struct spi_transfer *))
{
	struct spi_transfer t = { .tx_buf = tx, .rx_buf = rx, .len = n };
	bool (*saved)(struct spi_controller *, struct spi_device *,
		      struct spi_transfer *) = spi->controller->can_dma;
	u64 t0 = dk_soc_now(env->soc);

	spi->controller->can_dma = can_dma;
	spi_sync_transfer(spi, &t, 1);
	spi->controller->can_dma = saved;
	return dk_soc_now(env->soc) - t0;
}

/* The smallest transfer DMA moves faster than PIO, by measurement. */
static unsigned int crossover(struct story_env *env, struct spi_device *spi,
			      u8 *tx, u8 *rx)
{
	unsigned int n;

	for (n = 1; n <= BULK; n++)
		if (cost(env, spi, tx, rx, n, always_dma) <
		    cost(env, spi, tx, rx, n, never_dma))
			return n;
	return 0;
}

/* The bridge answers with what it was sent last time, zero-padded. */
static bool reply_ok(const u8 *rx, unsigned int n, const u8 *prev,
		     unsigned int prevlen)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (rx[i] != (i < prevlen ? prev[i] : 0))
			return false;
	return true;
}

static int run(struct story_env *env)
{
	struct spi_board_info bi = { .modalias = "can-bridge",
				     .max_speed_hz = 10000000,
				     .chip_select = DK_SPI_CS_MAILBOX };
	struct spi_controller *ctlr;
	struct spi_device *spi;
	u8 *tx, *rx, prev[BULK];
	unsigned int prevlen = 0, n, x, bad = 0, i;
	unsigned long dma0, pio0;
	u64 t0, cycles, c_dma, c_pio;
	int r;

	r = driver_register(&dk_spi_driver);
	if (r)
		return r;
	ctlr = dk_spi_controller_of(story_dev(env, "spi@10190000"));
	spi = ctlr ? spi_new_device(ctlr, &bi) : NULL;
	tx = kmalloc(BULK, GFP_KERNEL);
	rx = kmalloc(BULK, GFP_KERNEL);
	if (!spi || !tx || !rx)
		return -ENOMEM;
	memset(tx, 0x55, BULK);
	x = crossover(env, spi, tx, rx);
	/* DMA first: the peculiar engine sends nothing of 8 bytes, and the
	 * bridge must hold the last transfer's bytes (PIO moves them). */
	c_dma = cost(env, spi, tx, rx, FRAME, always_dma);
	c_pio = cost(env, spi, tx, rx, FRAME, never_dma);
	story_say(env, "measured: an 8-byte transfer costs %llu cycles by PIO, %llu by DMA; DMA pays off from %u bytes (the driver's threshold: %d)",
		  (unsigned long long)c_pio, (unsigned long long)c_dma, x,
		  DK_SPI_DMA_MIN_LEN);
	/* What the bridge holds now is the measurement's last transfer. */
	memcpy(prev, tx, FRAME);
	prevlen = FRAME;
	threshold = x;
	ctlr->can_dma = env->fixed ? choose : always_dma;
	story_say(env, "%s driver: %s", env->fixed ? "the fixed" : "the buggy",
		  env->fixed ? "PIO below the crossover and for lengths not a whole number of 16-byte bursts, DMA otherwise" :
			       "DMA for every transfer");
	dma0 = ctlr->dk_dma_xfers;
	pio0 = ctlr->dk_pio_xfers;
	t0 = dk_soc_now(env->soc);
	for (i = 0; i < FRAMES + FRAMES / BULK_EVERY; i++) {
		struct spi_transfer t = { .tx_buf = tx, .rx_buf = rx };

		n = i % (BULK_EVERY + 1) != BULK_EVERY ? FRAME :
		    i / (BULK_EVERY + 1) % 2 ? ODD : BULK;
		t.len = n;
		story_fill(tx, n, i);
		r = spi_sync_transfer(spi, &t, 1);
		if (r || !reply_ok(rx, n, prev, prevlen))
			bad++;
		memcpy(prev, tx, n);
		prevlen = n;
	}
	cycles = dk_soc_now(env->soc) - t0;
	story_say(env, "%lu transfers by DMA, %lu by PIO, %llu cycles (target: at most %llu)",
		  ctlr->dk_dma_xfers - dma0, ctlr->dk_pio_xfers - pio0,
		  (unsigned long long)cycles,
		  (unsigned long long)TARGET_CYCLES);
	env->data_ok = !bad && cycles <= TARGET_CYCLES;
	snprintf(env->note, sizeof(env->note),
		 "%d frames + %d dumps in %llu cycles (target %llu): %llu frames per Mcycle, %u replies wrong; crossover %u bytes",
		 FRAMES, FRAMES / BULK_EVERY, (unsigned long long)cycles,
		 (unsigned long long)TARGET_CYCLES,
		 (unsigned long long)(FRAMES * 1000000ULL / (cycles ? cycles : 1)),
		 bad, x);
	spi_unregister_device(spi);
	kfree(tx);
	kfree(rx);
	return 0;
}

const struct story story_dma_a_lot = {
	.name = "dma-a-lot-vs-lots-of-dma",
	.title = "DMA'ing a lot vs. lots of DMA",
	.from = &story_talk_fatoum,
	.slide = "DMA'ing a lot vs. lots of DMA",
	.bug = "uses DMA for every 8-byte CAN frame: setup, cache maintenance and the interrupt cost more than the bytes, and the peculiar engine moves whole 16-byte bursts only",
	.fix = "PIO below the measured crossover size and for lengths the engine cannot move, DMA otherwise",
	.bug_code =
		"/* every 8-byte CAN frame by DMA */\n"
		"h = dma_map_single(dev, frame, 8,\n"
		"\tDMA_TO_DEVICE);\n"
		"start_dma(h, 8);\n"
		"wait_for_irq();\n",
	.fix_code =
		"if (len < crossover ||\t/* measured */\n"
		"    len % 16)\t/* whole bursts only */\n"
		"\twritesl(regs + FIFO, frame, len / 4);\n"
		"else\n"
		"\th = dma_map_single(dev, frame, len,\n"
		"\t\tDMA_TO_DEVICE);\n",
	.patch_tree = patch_tree,
	.run = run,
};
