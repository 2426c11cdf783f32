// SPDX-License-Identifier: MIT
/*
 * Talk 000, "Corrupted SD-Cards", told with the slave DMA API: the
 * kernel's storage driver streams a 512-byte block to the card behind the
 * SPI controller (the mailbox microcontroller on CS1 stands in for it) on
 * a slave DMA channel paced by the controller's FIFO. An LED program saw
 * channel 0 "unused" and programs it through /dev/mem for its PWM: the
 * block stops half-way and the kernel's transaction ends in DMA_ERROR.
 * The fix: the LED driver takes its channel with dma_request_chan() from
 * its tree's "dmas", which hands out a channel no one holds.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/dmaengine.h>
#include <dmakit/error.h>
#include <dmakit/io.h>
#include <dmakit/models/slave_dma.h>
#include <dmakit/models/spi.h>

#include "story.h"

#define DMAC "dma-controller@101d0000"
#define BLOCK 512
#define FRAME 96		/* 32 LEDs, 3 bytes each */
#define LED_AT 2000		/* the LED refresh timer, in cycles */
#define PWM_FIFO (0x101a0000 + 0x10)

struct sd {
	struct story_env *env;
	struct device *dmac, *spi, *pwm;
	void __iomem *regs;
	struct dma_chan *tx, *led;
	u8 *frame;
	dma_addr_t frame_dma;
};

/* The program writes channel 0's registers, as through /dev/mem, with
 * the configuration it read there (interrupt enable included). */
static void led_hijack(struct dk_soc *soc, void *arg)
{
	struct sd *s = arg;
	void __iomem *ch = ioremap(s->dmac->reg, s->dmac->reg_size);
	u32 cfg;

	(void)soc;
	if (!ch)
		return;
	cfg = readl(ch + DK_SDMA_CHAN(0) + DK_SDMA_CFG);
	story_say(s->env, "t=%llu: the LED program programs channel 0 through /dev/mem; it was busy (status 0x%x)",
		  (unsigned long long)dk_soc_now(s->env->soc),
		  readl(ch + DK_SDMA_CHAN(0) + DK_SDMA_STATUS));
	writel((cfg & ~DK_SDMA_CFG_REQ(0x1f)) | DK_SDMA_CFG_REQ(4),
	       ch + DK_SDMA_CHAN(0) + DK_SDMA_CFG);
	writel((u32)s->frame_dma, ch + DK_SDMA_CHAN(0) + DK_SDMA_MEM_LO);
	writel(s->frame_dma >> 32, ch + DK_SDMA_CHAN(0) + DK_SDMA_MEM_HI);
	writel(PWM_FIFO, ch + DK_SDMA_CHAN(0) + DK_SDMA_DEV_LO);
	writel(0, ch + DK_SDMA_CHAN(0) + DK_SDMA_DEV_HI);
	writel(FRAME, ch + DK_SDMA_CHAN(0) + DK_SDMA_LEN);
	writel(DK_SDMA_CTRL_START, ch + DK_SDMA_CHAN(0) + DK_SDMA_CTRL);
	iounmap(ch);
}

/* The LED driver through dmaengine: a channel of its own. */
static int led_driver(struct sd *s)
{
	struct dma_slave_config cfg = {
		.dst_addr = PWM_FIFO,
		.dst_addr_width = DMA_SLAVE_BUSWIDTH_1_BYTE,
		.dst_maxburst = 8,
	};
	struct dma_async_tx_descriptor *d;

	s->led = dma_request_chan(s->pwm, "tx");
	if (IS_ERR(s->led))
		return PTR_ERR(s->led);
	story_say(s->env, "the LED driver asks dmaengine for its \"tx\" channel: %s (channel 0 is held)",
		  dma_chan_name(s->led));
	if (dmaengine_slave_config(s->led, &cfg))
		return -EINVAL;
	d = dmaengine_prep_slave_single(s->led, s->frame_dma, FRAME,
					DMA_MEM_TO_DEV, DMA_PREP_INTERRUPT);
	if (!d || dma_submit_error(dmaengine_submit(d)))
		return -EIO;
	dma_async_issue_pending(s->led);
	return 0;
}

/* One DREQ transfer of the block to (and, @rx, from) the card. */
static void spi_start(struct sd *s, bool rx)
{
	writel(DK_SPI_CS_MAILBOX | DK_SPI_CS_ACTIVE, s->regs + DK_SPI_REG_CS);
	writel(BLOCK, s->regs + DK_SPI_REG_LEN);
	writel(DK_SPI_CTRL_START | DK_SPI_CTRL_DREQ | DK_SPI_CTRL_TX_EN |
		       (rx ? DK_SPI_CTRL_RX_EN : 0), s->regs + DK_SPI_REG_CTRL);
}

/* The block is on its way (@ok: its last bytes are in the FIFO; else it
 * is abandoned): end the message. */
static void spi_end(struct sd *s, bool ok)
{
	int i;

	for (i = 0; ok && i < 100000 &&
		    readl(s->regs + DK_SPI_REG_STATUS) & DK_SPI_ST_BUSY;
	     i++)
		;
	if (readl(s->regs + DK_SPI_REG_STATUS) & DK_SPI_ST_BUSY)
		writel(DK_SPI_CTRL_ABORT, s->regs + DK_SPI_REG_CTRL);
	writel(~0u, s->regs + DK_SPI_REG_STATUS);
	writel(0, s->regs + DK_SPI_REG_CS);
}

/* The kernel's block write: 0 with *@st set, or -errno. */
static int write_block(struct sd *s, const u8 *blk, enum dma_status *st)
{
	struct dma_slave_config cfg = {
		.dst_addr = s->spi->reg + DK_SPI_REG_TXFIFO,
		.dst_addr_width = DMA_SLAVE_BUSWIDTH_1_BYTE,
		.dst_maxburst = 16,
	};
	struct dma_async_tx_descriptor *d;
	dma_addr_t h;
	dma_cookie_t ck;

	if (dmaengine_slave_config(s->tx, &cfg))
		return -EINVAL;
	h = dma_map_single(s->dmac, (void *)blk, BLOCK, DMA_TO_DEVICE);
	if (dma_mapping_error(s->dmac, h))
		return -ENOMEM;
	d = dmaengine_prep_slave_single(s->tx, h, BLOCK, DMA_MEM_TO_DEV,
					DMA_PREP_INTERRUPT);
	ck = d ? dmaengine_submit(d) : -ENOMEM;
	if (dma_submit_error(ck)) {
		dma_unmap_single(s->dmac, h, BLOCK, DMA_TO_DEVICE);
		return ck;
	}
	dma_async_issue_pending(s->tx);
	spi_start(s, false);
	story_say(s->env, "t=%llu: it writes a %d-byte block, paced by the SPI FIFO",
		  (unsigned long long)dk_soc_now(s->env->soc), BLOCK);
	*st = dma_sync_wait(s->tx, ck);
	spi_end(s, *st == DMA_COMPLETE);
	dma_unmap_single(s->dmac, h, BLOCK, DMA_TO_DEVICE);
	return 0;
}

/* The card answers the next message with the last one: read it back by
 * PIO, a FIFO at a time. */
static void read_block(struct sd *s, u8 *out)
{
	unsigned int off, i;

	writel(DK_SPI_CS_MAILBOX | DK_SPI_CS_ACTIVE, s->regs + DK_SPI_REG_CS);
	for (off = 0; off < BLOCK; off += DK_SPI_FIFO_DEPTH) {
		writel(DK_SPI_FIFO_DEPTH, s->regs + DK_SPI_REG_LEN);
		writel(DK_SPI_CTRL_START | DK_SPI_CTRL_RX_EN,
		       s->regs + DK_SPI_REG_CTRL);
		while (!(readl(s->regs + DK_SPI_REG_STATUS) & DK_SPI_ST_DONE))
			;
		writel(~0u, s->regs + DK_SPI_REG_STATUS);
		for (i = 0; i < DK_SPI_FIFO_DEPTH; i++)
			out[off + i] = (u8)readl(s->regs + DK_SPI_REG_RXFIFO);
	}
	writel(0, s->regs + DK_SPI_REG_CS);
}

static int run(struct story_env *env)
{
	struct sd s = { .env = env };
	enum dma_status st = DMA_ERROR;
	u8 *blk, *card;
	int r;

	s.dmac = story_dev(env, DMAC);
	s.spi = story_dev(env, "spi@10190000");
	s.pwm = story_dev(env, "pwm@101a0000");
	r = driver_register(&dk_slave_dma_driver);
	if (r)
		return r;
	s.regs = ioremap(s.spi->reg, s.spi->reg_size);
	blk = kmalloc(BLOCK, GFP_KERNEL);
	card = kzalloc(BLOCK, GFP_KERNEL);
	s.frame = dma_alloc_coherent(s.dmac, FRAME, &s.frame_dma, GFP_KERNEL);
	if (!s.regs || !blk || !card || !s.frame)
		return -ENOMEM;
	story_fill(blk, BLOCK, 25);
	story_fill(s.frame, FRAME, 77);
	s.tx = dma_request_chan(s.spi, "tx");
	if (IS_ERR(s.tx))
		return PTR_ERR(s.tx);
	story_say(env, "the kernel's storage driver holds %s for the card's SPI FIFO",
		  dma_chan_name(s.tx));
	if (env->fixed)
		r = led_driver(&s);
	else
		r = dk_soc_schedule(env->soc, LED_AT, led_hijack, &s);
	if (!r)
		r = write_block(&s, blk, &st);
	if (r)
		return r;
	read_block(&s, card);
	env->data_ok = st == DMA_COMPLETE && story_check(card, BLOCK, 25);
	story_say(env, "the kernel's transfer ended %s",
		  st == DMA_COMPLETE ? "complete" : "in DMA_ERROR");
	snprintf(env->note, sizeof(env->note),
		 "card: %zu of %d bytes wrong, kernel saw %s",
		 story_diff(card, BLOCK, 25), BLOCK,
		 st == DMA_COMPLETE ? "success" : "DMA_ERROR");
	if (!IS_ERR_OR_NULL(s.led))
		dma_release_channel(s.led);
	dma_release_channel(s.tx);
	dma_free_coherent(s.dmac, FRAME, s.frame, s.frame_dma);
	iounmap(s.regs);
	kfree(blk);
	kfree(card);
	return 0;
}

const struct story story_corrupted_sd_cards_slave = {
	.name = "corrupted-sd-cards-slave",
	.title = "Corrupted SD-Cards (slave DMA)",
	.from = &story_talk_fatoum,
	.slide = "Corrupted SD-Cards",
	.bug = "an LED program programs a slave DMA channel through /dev/mem while the kernel streams a block to the card on it",
	.fix = "the LED driver takes its channel with dma_request_chan(dev, \"tx\") from its tree's dmas: one nobody holds",
	.bug_code =
		"/* userspace, through /dev/mem: */\n"
		"ch0[CFG] = cfg | REQ(PWM);\n"
		"ch0[MEM] = frame; ch0[START] = 1;\n"
		"/* channel 0 feeds the card */\n",
	.fix_code =
		"chan = dma_request_chan(dev, \"tx\");\n"
		"dmaengine_slave_config(chan, &cfg);\n"
		"d = dmaengine_prep_slave_single(...);\n"
		"dmaengine_submit(d);\n",
	.run = run,
};
