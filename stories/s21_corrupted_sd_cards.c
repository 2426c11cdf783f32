// SPDX-License-Identifier: MIT
/*
 * Talk 000, "Corrupted SD-Cards": a NeoPixel LED string needs tight
 * timing, so a userspace program drives the PWM's DMA itself through
 * /dev/mem and picks a DMA channel that looked free. The running kernel
 * uses that channel to write file-system blocks to the SD card; the
 * program's register writes redirect the kernel's descriptor chain, and the
 * card's file system is toast. The fix: both users take channels through
 * dmaengine, which hands a channel to one user at a time; the LED driver
 * gets -EBUSY for the channel it wanted and takes another one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dmaengine.h>
#include <dmakit/error.h>
#include <dmakit/io.h>
#include <dmakit/models/m2m_dma.h>

#include "story.h"

#define ENGINE "dma@10000000"
#define NBLK 4
#define BLK 512
#define FRAME 96		/* 32 LEDs, 3 bytes each */
#define LED_AT 150		/* the LED refresh timer, in cycles */

struct leds {
	struct story_env *env;
	struct device *engine, *pwm;
	/* buggy: what the program got from a udmabuf-like driver */
	u8 *mem;
	dma_addr_t mem_dma;
	/* fixed: its own channel and mappings */
	struct dma_chan *chan;
	u8 *frame, *fifo;
	dma_addr_t frame_dma, fifo_dma;
	bool frame_mapped;
	dma_cookie_t cookie;
};

/* The program writes the channel registers it picked, as through /dev/mem. */
static void led_refresh_hijack(struct dk_soc *soc, void *arg)
{
	struct leds *l = arg;
	struct dk_m2m_desc *d = (struct dk_m2m_desc *)l->mem;
	void __iomem *regs = ioremap(l->engine->reg, l->engine->reg_size);
	u32 ch = DK_M2M_CHAN(0);

	(void)soc;
	if (!regs)
		return;
	d->src = l->mem_dma + 64;
	d->dst = l->mem_dma + 64 + FRAME;
	d->len = FRAME;
	d->flags = DK_M2M_DESC_LAST;
	d->next = 0;
	story_say(l->env, "t=%llu: the LED program programs channel 0 through /dev/mem; status was 0x%x",
		  (unsigned long long)dk_soc_now(l->env->soc),
		  readl(regs + ch + DK_M2M_STATUS));
	writel((u32)l->mem_dma, regs + ch + DK_M2M_DESC_LO);
	writel(l->mem_dma >> 32, regs + ch + DK_M2M_DESC_HI);
	writel(DK_M2M_CTRL_START, regs + ch + DK_M2M_CTRL);
	iounmap(regs);
}

static void led_refresh_dmaengine(struct dk_soc *soc, void *arg)
{
	struct leds *l = arg;
	struct dma_async_tx_descriptor *tx;

	(void)soc;
	tx = dmaengine_prep_dma_memcpy(l->chan, l->fifo_dma, l->frame_dma,
				       FRAME, DMA_PREP_INTERRUPT);
	l->cookie = tx ? dmaengine_submit(tx) : -ENOMEM;
	dma_async_issue_pending(l->chan);
	story_say(l->env, "t=%llu: the LED driver queues its frame on its own channel %d",
		  (unsigned long long)dk_soc_now(l->env->soc),
		  l->chan->chan_id);
}

static int leds_setup_buggy(struct leds *l)
{
	l->mem = dma_alloc_coherent(l->pwm, PAGE_SIZE, &l->mem_dma,
				    GFP_KERNEL);
	if (!l->mem)
		return -ENOMEM;
	story_fill(l->mem + 64, FRAME, 77);
	story_say(l->env, "the LED program: \"channel 0 looks unused\", maps the DMA controller's registers and waits for its timer");
	return dk_soc_schedule(l->env->soc, LED_AT, led_refresh_hijack, l);
}

static int leds_setup_fixed(struct leds *l)
{
	l->chan = dma_request_chan(l->pwm, ENGINE ":0");
	if (IS_ERR(l->chan)) {
		story_say(l->env, "the LED driver asks for channel 0: %s",
			  dk_last_error());
		l->chan = dma_request_chan(l->pwm, ENGINE);
		if (IS_ERR(l->chan))
			return PTR_ERR(l->chan);
		story_say(l->env, "it takes any free channel instead: channel %d",
			  l->chan->chan_id);
	}
	l->frame = kmalloc(FRAME, GFP_KERNEL);
	l->fifo = dma_alloc_coherent(l->engine, FRAME, &l->fifo_dma,
				     GFP_KERNEL);
	if (!l->frame || !l->fifo)
		return -ENOMEM;
	story_fill(l->frame, FRAME, 77);
	l->frame_dma = dma_map_single(l->engine, l->frame, FRAME,
				      DMA_TO_DEVICE);
	if (dma_mapping_error(l->engine, l->frame_dma))
		return -ENOMEM;
	l->frame_mapped = true;
	return dk_soc_schedule(l->env->soc, LED_AT, led_refresh_dmaengine, l);
}

static bool leds_done(struct leds *l)
{
	bool ok;

	if (!l->env->fixed)
		ok = story_check(l->mem + 64 + FRAME, FRAME, 77);
	else
		ok = dmaengine_tx_status(l->chan, l->cookie, NULL) ==
			     DMA_COMPLETE && story_check(l->fifo, FRAME, 77);
	return ok;
}

static void leds_teardown(struct leds *l)
{
	if (l->mem)
		dma_free_coherent(l->pwm, PAGE_SIZE, l->mem, l->mem_dma);
	if (l->frame_mapped)
		dma_unmap_single(l->engine, l->frame_dma, FRAME,
				 DMA_TO_DEVICE);
	kfree(l->frame);
	if (l->fifo)
		dma_free_coherent(l->engine, FRAME, l->fifo, l->fifo_dma);
	if (!IS_ERR_OR_NULL(l->chan))
		dma_release_channel(l->chan);
}

static int run(struct story_env *env)
{
	struct leds l = { .env = env };
	struct device *mmc = story_dev(env, "mmc@101b0000");
	struct dma_chan *chan;
	dma_cookie_t cookie[NBLK];
	dma_addr_t src, dst;
	enum dma_status st;
	u8 *blocks, *card;
	bool leds_ok;
	int i, r;

	l.engine = story_dev(env, ENGINE);
	l.pwm = story_dev(env, "pwm@101a0000");
	r = driver_register(&dk_m2m_dma_driver);
	if (r)
		return r;
	chan = dma_request_chan(mmc, ENGINE);
	if (IS_ERR(chan))
		return PTR_ERR(chan);
	story_say(env, "the kernel's SD driver holds channel %d of %s",
		  chan->chan_id, ENGINE);
	blocks = kmalloc(NBLK * BLK, GFP_KERNEL);
	card = kzalloc(NBLK * BLK, GFP_KERNEL);
	if (!blocks || !card)
		return -ENOMEM;
	story_fill(blocks, NBLK * BLK, 21);
	src = dma_map_single(l.engine, blocks, NBLK * BLK, DMA_TO_DEVICE);
	dst = dma_map_single(l.engine, card, NBLK * BLK, DMA_FROM_DEVICE);
	if (dma_mapping_error(l.engine, src) ||
	    dma_mapping_error(l.engine, dst))
		return -ENOMEM;
	for (i = 0; i < NBLK; i++) {
		struct dma_async_tx_descriptor *tx;

		tx = dmaengine_prep_dma_memcpy(chan, dst + i * BLK,
					       src + i * BLK, BLK,
					       DMA_PREP_INTERRUPT);
		cookie[i] = tx ? dmaengine_submit(tx) : -ENOMEM;
		if (dma_submit_error(cookie[i]))
			return cookie[i];
	}
	dma_async_issue_pending(chan);
	story_say(env, "t=%llu: it writes %d file-system blocks to the card with one descriptor chain",
		  (unsigned long long)dk_soc_now(env->soc), NBLK);
	r = env->fixed ? leds_setup_fixed(&l) : leds_setup_buggy(&l);
	if (r)
		return r;
	dk_soc_run(env->soc, 0);
	st = dmaengine_tx_status(chan, cookie[NBLK - 1], NULL);
	dma_unmap_single(l.engine, dst, NBLK * BLK, DMA_FROM_DEVICE);
	dma_unmap_single(l.engine, src, NBLK * BLK, DMA_TO_DEVICE);
	leds_ok = leds_done(&l);
	story_say(env, "the kernel's transfer ended %s; the LEDs got %s frame",
		  st == DMA_COMPLETE ? "complete" :
		  st == DMA_ERROR ? "in DMA_ERROR" : "still in progress",
		  leds_ok ? "their" : "no");
	env->data_ok = st == DMA_COMPLETE && story_check(card, NBLK * BLK, 21) &&
		       leds_ok;
	snprintf(env->note, sizeof(env->note),
		 "SD card: %zu of %d bytes wrong, kernel saw %s; LEDs %s",
		 story_diff(card, NBLK * BLK, 21), NBLK * BLK,
		 st == DMA_COMPLETE ? "success" : st == DMA_ERROR ? "DMA_ERROR" :
		 "no completion", leds_ok ? "lit" : "dark");
	leds_teardown(&l);
	dma_release_channel(chan);
	kfree(blocks);
	kfree(card);
	return 0;
}

const struct story story_corrupted_sd_cards = {
	.name = "corrupted-sd-cards",
	.title = "Corrupted SD-Cards",
	.from = &story_talk_fatoum,
	.slide = "Corrupted SD-Cards",
	.bug = "a userspace LED driver programs a DMA channel through /dev/mem that the kernel's SD driver is using",
	.fix = "both take channels with dma_request_chan(): the LED driver gets -EBUSY for channel 0 and takes another",
	.bug_code =
		"/* userspace, through /dev/mem: */\n"
		"regs = mmap(... /dev/mem ...);\n"
		"regs[CHAN0_DESC] = led_desc;\n"
		"/* channel 0 is the SD driver's */\n",
	.fix_code =
		"chan = dma_request_chan(dev, \"m2m:0\");\n"
		"/* -EBUSY: the SD driver has it */\n"
		"if (IS_ERR(chan))\n"
		"\tchan = dma_request_chan(dev, \"m2m\");\n",
	.run = run,
};
