// SPDX-License-Identifier: MIT
/*
 * Talk 000's "Corrupted SD-Cards" through the slave API: the kernel's
 * storage driver streams a page to the SPI flash on a slave DMA channel;
 * an LED program that found channel 0 "unused" programs it through
 * /dev/mem, and the page is lost half-way (the kernel's transaction ends
 * with DMA_ERROR, DMA_TRANS_ABORTED and a warning naming the channel).
 * Through dmaengine the LED driver cannot take the held channel (-EBUSY
 * by name, the next free one through its "dmas"), and the page arrives
 * whole. Also: a fixed-channel tree (#dma-cells = <2>) where the second
 * request of a held channel fails with -ENODEV, as in Linux.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/dmaengine.h>
#include <dmakit/error.h>
#include <dmakit/io.h>
#include <dmakit/models/slave_dma.h>
#include <dmakit/models/spi.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

#define DMAC "dma-controller@101d0000"
#define PAGE 256
#define FLASH_AT 0x1000
#define LED_FRAME 96
#define PWM_FIFO (0x101a0000 + 0x10)

struct rig {
	struct testmachine t;
	struct device *dmac, *spi, *pwm;
	void __iomem *spi_regs;
	struct capture log;
};

static struct rig rig_up(void)
{
	struct rig r = { .t = testmachine_boot(NULL, NULL, NULL) };

	r.log = capture_start();
	CHECK_EQ(driver_register(&dk_slave_dma_driver), 0);
	r.dmac = dk_machine_find_device(r.t.m, DMAC);
	r.spi = dk_machine_find_device(r.t.m, "spi@10190000");
	r.pwm = dk_machine_find_device(r.t.m, "pwm@101a0000");
	CHECK(r.dmac && r.spi && r.pwm);
	r.spi_regs = ioremap(r.spi->reg, r.spi->reg_size);
	return r;
}

static void rig_down(struct rig *r, char *log, size_t len)
{
	capture_end(&r->log, log, len);
	iounmap(r->spi_regs);
	testmachine_shutdown(&r->t);
}

/* One NOR command by PIO; CS stays asserted when @keep. */
static void nor_pio(struct rig *r, const u8 *b, u32 n, bool keep)
{
	u32 i;

	writel(DK_SPI_CS_NOR | DK_SPI_CS_ACTIVE, r->spi_regs + DK_SPI_REG_CS);
	writel(n, r->spi_regs + DK_SPI_REG_LEN);
	for (i = 0; i < n; i++)
		writel(b[i], r->spi_regs + DK_SPI_REG_TXFIFO);
	writel(DK_SPI_CTRL_START | DK_SPI_CTRL_TX_EN | DK_SPI_CTRL_RX_EN,
	       r->spi_regs + DK_SPI_REG_CTRL);
	while (!(readl(r->spi_regs + DK_SPI_REG_STATUS) & DK_SPI_ST_DONE))
		;
	writel(~0u, r->spi_regs + DK_SPI_REG_STATUS);
	if (!keep)
		writel(DK_SPI_CS_NOR, r->spi_regs + DK_SPI_REG_CS);
}

/* Erase the sector, then open a page program: the data follows by DMA. */
static void nor_open_page(struct rig *r)
{
	const u8 wren = DK_SPI_NOR_WREN;
	const u8 se[4] = { DK_SPI_NOR_SE, 0, FLASH_AT >> 8, 0 };
	const u8 pp[4] = { DK_SPI_NOR_PP, 0, FLASH_AT >> 8, 0 };

	nor_pio(r, &wren, 1, false);
	nor_pio(r, se, 4, false);
	nor_pio(r, &wren, 1, false);
	nor_pio(r, pp, 4, true);
}

/* The page as the flash holds it now, read 16 bytes at a time by PIO. */
static void nor_read_page(struct rig *r, u8 *out)
{
	u32 i, j;

	for (i = 0; i < PAGE; i += 16) {
		u8 rd[4] = { DK_SPI_NOR_READ, 0, FLASH_AT >> 8, (u8)i };

		nor_pio(r, rd, 4, true);
		writel(16, r->spi_regs + DK_SPI_REG_LEN);
		writel(DK_SPI_CTRL_START | DK_SPI_CTRL_RX_EN,
		       r->spi_regs + DK_SPI_REG_CTRL);
		while (!(readl(r->spi_regs + DK_SPI_REG_STATUS) &
			 DK_SPI_ST_DONE))
			;
		writel(~0u, r->spi_regs + DK_SPI_REG_STATUS);
		for (j = 0; j < 16; j++)
			out[i + j] = (u8)readl(r->spi_regs + DK_SPI_REG_RXFIFO);
		writel(DK_SPI_CS_NOR, r->spi_regs + DK_SPI_REG_CS);
	}
}

struct page_write {
	struct dma_chan *chan;
	u8 *buf;
	dma_addr_t dma;
	dma_cookie_t cookie;
	int calls;
	struct dmaengine_result res;
};

static void page_done(void *arg, const struct dmaengine_result *res)
{
	struct page_write *w = arg;

	w->calls++;
	w->res = *res;
}

/* The kernel's storage driver: its "tx" channel, the page queued. */
static void kernel_write_page(struct rig *r, struct page_write *w)
{
	struct dma_slave_config cfg = {
		.dst_addr = r->spi->reg + DK_SPI_REG_TXFIFO,
		.dst_addr_width = DMA_SLAVE_BUSWIDTH_1_BYTE,
		.dst_maxburst = 8,
	};
	struct dma_async_tx_descriptor *d;
	int i;

	w->chan = dma_request_chan(r->spi, "tx");
	CHECK(!IS_ERR(w->chan));
	CHECK_EQ(w->chan->chan_id, 0);
	CHECK_EQ(dmaengine_slave_config(w->chan, &cfg), 0);
	w->buf = kmalloc(PAGE, GFP_KERNEL);
	for (i = 0; i < PAGE; i++)
		w->buf[i] = (u8)(i ^ 0x5a);
	w->dma = dma_map_single(r->dmac, w->buf, PAGE, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(r->dmac, w->dma));
	d = dmaengine_prep_slave_single(w->chan, w->dma, PAGE, DMA_MEM_TO_DEV,
					DMA_PREP_INTERRUPT);
	d->callback_result = page_done;
	d->callback_param = w;
	w->cookie = dmaengine_submit(d);
	dma_async_issue_pending(w->chan);
	nor_open_page(r);
	writel(PAGE, r->spi_regs + DK_SPI_REG_LEN);
	writel(DK_SPI_CTRL_START | DK_SPI_CTRL_DREQ | DK_SPI_CTRL_TX_EN,
	       r->spi_regs + DK_SPI_REG_CTRL);
}

/* The page is on its way (@ok: the last bytes are in the FIFO; else the
 * transfer is abandoned): end the command. */
static void kernel_finish(struct rig *r, struct page_write *w, bool ok)
{
	int i;

	for (i = 0; ok && i < 100000 &&
		    readl(r->spi_regs + DK_SPI_REG_STATUS) & DK_SPI_ST_BUSY;
	     i++)
		;
	if (readl(r->spi_regs + DK_SPI_REG_STATUS) & DK_SPI_ST_BUSY)
		writel(DK_SPI_CTRL_ABORT, r->spi_regs + DK_SPI_REG_CTRL);
	writel(~0u, r->spi_regs + DK_SPI_REG_STATUS);
	writel(DK_SPI_CS_NOR, r->spi_regs + DK_SPI_REG_CS);
	dma_unmap_single(r->dmac, w->dma, PAGE, DMA_TO_DEVICE);
}

struct led_program {
	struct rig *r;
	u8 *frame;
	dma_addr_t frame_dma;
};

/* Through /dev/mem: channel 0's registers, with the configuration it
 * read there (interrupt enable included) and its own request line. */
static void led_hijack(struct dk_soc *soc, void *arg)
{
	struct led_program *p = arg;
	void __iomem *ch = ioremap(p->r->dmac->reg, p->r->dmac->reg_size);
	u32 cfg;

	(void)soc;
	if (!ch)
		return;
	ch += DK_SDMA_CHAN(0);
	cfg = readl(ch + DK_SDMA_CFG) & ~DK_SDMA_CFG_REQ(0x1f);
	writel(cfg | DK_SDMA_CFG_REQ(4), ch + DK_SDMA_CFG);
	writel((u32)p->frame_dma, ch + DK_SDMA_MEM_LO);
	writel(p->frame_dma >> 32, ch + DK_SDMA_MEM_HI);
	writel(PWM_FIFO, ch + DK_SDMA_DEV_LO);
	writel(0, ch + DK_SDMA_DEV_HI);
	writel(LED_FRAME, ch + DK_SDMA_LEN);
	writel(DK_SDMA_CTRL_START, ch + DK_SDMA_CTRL);
	iounmap(ch - DK_SDMA_CHAN(0));
}

TEST(dmaengine_slave_hijacked_channel_loses_the_flash_page)
{
	struct rig r = rig_up();
	struct page_write w = { 0 };
	struct led_program p = { &r, NULL, 0 };
	struct dma_tx_state st;
	char log[2048];
	u8 page[PAGE];
	int i, good;

	p.frame = dma_alloc_coherent(r.pwm, LED_FRAME, &p.frame_dma,
				     GFP_KERNEL);
	kernel_write_page(&r, &w);
	CHECK_EQ(dk_soc_schedule(r.t.soc, 100 * DK_SPI_BYTE_CYCLES, led_hijack,
				 &p), 0);
	CHECK_EQ(dma_sync_wait(w.chan, w.cookie), DMA_ERROR);
	CHECK_EQ(w.calls, 1);
	CHECK_EQ(w.res.result, DMA_TRANS_ABORTED);
	/* How far it got went with the channel's count. */
	CHECK_EQ(w.res.residue, PAGE);
	CHECK_EQ(dmaengine_tx_status(w.chan, w.cookie, &st), DMA_ERROR);
	CHECK_EQ(st.residue, 0);	/* the callback had it */
	kernel_finish(&r, &w, false);
	nor_read_page(&r, page);
	/* What reached the flash before the hijack is there; the rest of
	 * the page stayed erased. */
	for (good = 0; good < PAGE && page[good] == (u8)(good ^ 0x5a); good++)
		;
	CHECK(good > 0 && good < PAGE);
	for (i = good; i < PAGE; i++)
		CHECK_EQ(page[i], 0xff);
	dma_release_channel(w.chan);
	kfree(w.buf);
	dma_free_coherent(r.pwm, LED_FRAME, p.frame, p.frame_dma);
	rig_down(&r, log, sizeof(log));
	CHECK_STR(log, "chan0 was reprogrammed while it ran: someone who does not own it wrote its registers");
}

TEST(dmaengine_slave_held_channel_goes_to_no_one_else)
{
	struct rig r = rig_up();
	struct page_write w = { 0 };
	struct dma_chan *led;
	char log[2048];
	u8 page[PAGE];

	kernel_write_page(&r, &w);
	/* The LED driver asks for "the unused channel 0" by name... */
	led = dma_request_chan(r.pwm, DMAC ":0");
	CHECK_EQ(PTR_ERR(led), -EBUSY);
	CHECK_STR(dk_last_error(), "channel 0 of /soc/" DMAC " is held by /soc/spi@10190000");
	/* ...and through its tree gets one nobody holds. */
	led = dma_request_chan(r.pwm, "tx");
	CHECK(!IS_ERR(led));
	CHECK_EQ(led->chan_id, 1);
	CHECK_EQ(dma_sync_wait(w.chan, w.cookie), DMA_COMPLETE);
	CHECK_EQ(w.calls, 1);
	CHECK_EQ(w.res.result, DMA_TRANS_NOERROR);
	kernel_finish(&r, &w, true);
	nor_read_page(&r, page);
	CHECK_MEM(page, w.buf, PAGE);
	dma_release_channel(led);
	dma_release_channel(w.chan);
	kfree(w.buf);
	rig_down(&r, log, sizeof(log));
	CHECK(!strstr(log, "reprogrammed"));
}

static const char fixed_tree[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <2>; #size-cells = <2>;\n"
	"	memory@80000000 { device_type = \"memory\";\n"
	"		reg = <0x0 0x80000000 0x0 0x1000000>; };\n"
	"	soc { compatible = \"simple-bus\"; ranges;\n"
	"		#address-cells = <2>; #size-cells = <2>;\n"
	"		dmac: dma-controller@1000 {\n"
	"			compatible = \"dmakit,slave-dma\";\n"
	"			reg = <0x0 0x1000 0x0 0x1000>; interrupts = <3>;\n"
	"			#dma-cells = <2>; dma-channels = <2>;\n"
	"			dma-channel-mask = <0x1>; };\n"
	"		a@2000 { compatible = \"dmakit,generic-master\";\n"
	"			reg = <0x0 0x2000 0x0 0x100>;\n"
	"			dmas = <&dmac 5 0>; dma-names = \"tx\"; };\n"
	"		b@3000 { compatible = \"dmakit,generic-master\";\n"
	"			reg = <0x0 0x3000 0x0 0x100>;\n"
	"			dmas = <&dmac 6 0>, <&dmac 6 1>;\n"
	"			dma-names = \"tx\", \"tx\"; };\n"
	"	};\n"
	"};\n";

TEST(dmaengine_slave_fixed_channel_requested_twice_is_enodev)
{
	struct testmachine t = testmachine_boot(fixed_tree, NULL, NULL);
	struct device *a = dk_machine_find_device(t.m, "a@2000");
	struct device *b = dk_machine_find_device(t.m, "b@3000");
	struct dma_chan *c, *x;

	CHECK_EQ(driver_register(&dk_slave_dma_driver), 0);
	c = dma_request_chan(a, "tx");
	CHECK(!IS_ERR(c));
	CHECK_EQ(c->chan_id, 0);
	/* b names channel 0, then channel 1, which the mask keeps for
	 * firmware: nothing left. */
	x = dma_request_chan(b, "tx");
	CHECK_EQ(PTR_ERR(x), -ENODEV);
	CHECK_STR(dk_last_error(), "every channel of /soc/dma-controller@1000 that \"dmas\" entry 1 can use is held");
	x = dma_request_chan(a, "tx");
	CHECK_EQ(PTR_ERR(x), -ENODEV);
	dma_release_channel(c);
	x = dma_request_chan(b, "tx");
	CHECK(!IS_ERR(x));
	CHECK(x == c && x->slave == b);
	dma_release_channel(x);
	testmachine_shutdown(&t);
}
