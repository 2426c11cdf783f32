// SPDX-License-Identifier: MIT
/*
 * The "dmakit,macb" model's register interface on the built-in SoC:
 * what it writes into buffers and descriptors, in which order, when it
 * interrupts, and what it does with no buffer, no receiver or no memory.
 * Descriptors live in DRAM (as an uncached coherent allocation would put
 * them) and the MAC is non-coherent, so DRAM holds exactly its writes.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/models/macb.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>

#include "harness.h"
#include "testsoc.h"

#define DESC	0x80100000ULL
#define BUF	0x80200000ULL
#define NODE	"ethernet@10100000"

static int irqs;
static u64 irq_time;

static void on_irq(int irq, void *arg)
{
	(void)irq;
	irqs++;
	irq_time = dk_soc_now(arg);
}

static struct dk_soc *setup(struct dk_simdev **mac)
{
	struct dk_soc *soc;

	irqs = 0;
	soc = testsoc_model(NODE, mac, on_irq);
	if (!soc)
		return NULL;
	return soc;
}

static u32 word(struct dk_soc *soc, u64 pa)
{
	u32 v;

	memcpy(&v, dk_sim_dram_ptr(soc, pa), 4);
	return v;
}

static void set_word(struct dk_soc *soc, u64 pa, u32 v)
{
	memcpy(dk_sim_dram_ptr(soc, pa), &v, 4);
}

/* @n descriptors, buffer i at BUF + i * 0x1000, WRAP on the last. */
static void ring(struct dk_soc *soc, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		u64 d = DESC + i * DK_MACB_DESC_SIZE, b = BUF + i * 0x1000;

		set_word(soc, d, (u32)b | (i == n - 1 ? DK_MACB_RX_WRAP : 0));
		set_word(soc, d + 4, 0);
		set_word(soc, d + 8, b >> 32);
		set_word(soc, d + 12, 0x5a5a5a5a);
	}
}

static void start(struct dk_simdev *mac, u32 bufsz)
{
	dk_dev_mmio_write32(mac, DK_MACB_RXBUFSZ, bufsz);
	dk_dev_mmio_write32(mac, DK_MACB_RBQP_LO, (u32)DESC);
	dk_dev_mmio_write32(mac, DK_MACB_RBQP_HI, DESC >> 32);
	dk_dev_mmio_write32(mac, DK_MACB_IER, DK_MACB_INT_RCOMP);
	dk_dev_mmio_write32(mac, DK_MACB_NCR, DK_MACB_NCR_RE);
}

static void frame(u8 *f, size_t n, u8 seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		f[i] = (u8)(i * 7 + seed);
}

TEST(model_macb_registers)
{
	struct dk_simdev *mac;
	struct dk_soc *soc = setup(&mac);

	if (!soc)
		return;
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_REG_MID), DK_MACB_MID);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_RXBUFSZ), 128);
	dk_dev_mmio_write32(mac, DK_MACB_RXBUFSZ, 100);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_RXBUFSZ), 64);
	dk_dev_mmio_write32(mac, DK_MACB_RXBUFSZ, 10);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_RXBUFSZ), 64);
	dk_dev_mmio_write32(mac, DK_MACB_RXBUFSZ, 20000);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_RXBUFSZ), 16320);
	dk_dev_mmio_write32(mac, DK_MACB_RBQP_LO, 0x8010000f);
	dk_dev_mmio_write32(mac, DK_MACB_RBQP_HI, 0x12);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_RBQP_LO), 0x80100000);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_RBQP_HI), 0x12);
	dk_dev_mmio_write32(mac, DK_MACB_IER, DK_MACB_INT_RCOMP |
			    DK_MACB_INT_HRESP);
	dk_dev_mmio_write32(mac, DK_MACB_IDR, DK_MACB_INT_HRESP);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_IMR), DK_MACB_INT_RCOMP);
	dk_dev_mmio_write32(mac, DK_MACB_NCR, 0xffffffff);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_NCR), DK_MACB_NCR_RE);
	CHECK_EQ(dk_dev_mmio_read32(mac, 0x800), 0);	/* no register there: reads 0 */
	CHECK_EQ(dk_soc_nfaults(soc), 0);
	dk_soc_free(soc);
}

/* A 300-byte frame over three 128-byte buffers: data, status, USED. */
TEST(model_macb_frame_spans_buffers)
{
	struct dk_simdev *mac;
	struct dk_soc *soc = setup(&mac);
	u8 f[300];
	int i;

	if (!soc)
		return;
	ring(soc, 4);
	start(mac, 128);
	frame(f, sizeof(f), 3);
	CHECK_EQ(dk_macb_inject_rx(mac, f, sizeof(f)), 0);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_FRAMES), 0);
	dk_soc_run(soc, 0);
	CHECK_EQ(irqs, 1);
	/* wire time, then one cycle of interrupt latency */
	CHECK_EQ(irq_time, DK_MACB_WIRE_CYCLES + 300 / DK_MACB_BYTES_PER_CYCLE + 1);
	CHECK_MEM(dk_sim_dram_ptr(soc, BUF), f, 128);
	CHECK_MEM(dk_sim_dram_ptr(soc, BUF + 0x1000), f + 128, 128);
	CHECK_MEM(dk_sim_dram_ptr(soc, BUF + 0x2000), f + 256, 44);
	CHECK_EQ(*(u8 *)dk_sim_dram_ptr(soc, BUF + 0x2000 + 44), 0);
	CHECK_EQ(word(soc, DESC + 4), DK_MACB_RX_SOF);
	CHECK_EQ(word(soc, DESC + 20), 0);
	CHECK_EQ(word(soc, DESC + 36), DK_MACB_RX_EOF | 300);
	for (i = 0; i < 3; i++) {
		u64 d = DESC + i * DK_MACB_DESC_SIZE;

		CHECK_EQ(word(soc, d), (u32)(BUF + i * 0x1000) | DK_MACB_RX_USED);
		CHECK_EQ(word(soc, d + 8), 0);
		CHECK_EQ(word(soc, d + 12), 0x5a5a5a5a);	/* never written */
	}
	CHECK_EQ(word(soc, DESC + 48), (u32)(BUF + 0x3000) | DK_MACB_RX_WRAP);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_ISR), DK_MACB_INT_RCOMP);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_RSR), DK_MACB_RSR_REC);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_FRAMES), 1);
	dk_dev_mmio_write32(mac, DK_MACB_ISR, DK_MACB_INT_RCOMP);
	dk_dev_mmio_write32(mac, DK_MACB_RSR, DK_MACB_RSR_REC);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_ISR), 0);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_RSR), 0);
	CHECK_EQ(dk_soc_nfaults(soc), 0);
	dk_soc_free(soc);
}

/* A full ring drops the frame without moving; a freed slot takes the next. */
TEST(model_macb_no_buffer_then_wrap)
{
	struct dk_simdev *mac;
	struct dk_soc *soc = setup(&mac);
	u8 a[100], b[100];

	if (!soc)
		return;
	ring(soc, 2);
	start(mac, 128);
	frame(a, sizeof(a), 1);
	frame(b, sizeof(b), 2);
	CHECK_EQ(dk_macb_inject_rx(mac, a, sizeof(a)), 0);
	CHECK_EQ(dk_macb_inject_rx(mac, a, sizeof(a)), 0);
	CHECK_EQ(dk_macb_inject_rx(mac, b, sizeof(b)), 0);	/* no room */
	dk_soc_run(soc, 0);
	CHECK_EQ(irqs, 2);	/* RXUBR is not enabled */
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_FRAMES), 2);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_DROPS), 1);
	CHECK(dk_dev_mmio_read32(mac, DK_MACB_ISR) & DK_MACB_INT_RXUBR);
	CHECK(dk_dev_mmio_read32(mac, DK_MACB_RSR) & DK_MACB_RSR_BNA);
	/* software hands descriptor 0 back: the ring wrapped to it */
	set_word(soc, DESC, word(soc, DESC) & ~DK_MACB_RX_USED);
	CHECK_EQ(dk_macb_inject_rx(mac, b, sizeof(b)), 0);
	dk_soc_run(soc, 0);
	CHECK_EQ(irqs, 3);
	CHECK_MEM(dk_sim_dram_ptr(soc, BUF), b, sizeof(b));
	CHECK_MEM(dk_sim_dram_ptr(soc, BUF + 0x1000), a, sizeof(a));
	CHECK_EQ(word(soc, DESC + 16), (u32)(BUF + 0x1000) | DK_MACB_RX_WRAP |
					       DK_MACB_RX_USED);
	dk_soc_free(soc);
}

TEST(model_macb_receiver_off_drops)
{
	struct dk_simdev *mac;
	struct dk_soc *soc = setup(&mac);
	u8 f[64];

	if (!soc)
		return;
	ring(soc, 2);
	start(mac, 128);
	dk_dev_mmio_write32(mac, DK_MACB_NCR, 0);
	frame(f, sizeof(f), 9);
	CHECK_EQ(dk_macb_inject_rx(mac, f, sizeof(f)), 0);
	dk_soc_run(soc, 0);
	CHECK_EQ(irqs, 0);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_DROPS), 1);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_FRAMES), 0);
	CHECK_EQ(word(soc, DESC), (u32)BUF);
	CHECK_EQ(*(u8 *)dk_sim_dram_ptr(soc, BUF), 0);
	dk_soc_free(soc);
}

TEST(model_macb_dma_error)
{
	struct dk_simdev *mac;
	struct dk_soc *soc = setup(&mac);
	u8 f[64];

	if (!soc)
		return;
	dk_dev_mmio_write32(mac, DK_MACB_RBQP_LO, 0x1000);	/* no RAM */
	dk_dev_mmio_write32(mac, DK_MACB_IER, DK_MACB_INT_HRESP);
	dk_dev_mmio_write32(mac, DK_MACB_NCR, DK_MACB_NCR_RE);
	frame(f, sizeof(f), 9);
	CHECK_EQ(dk_macb_inject_rx(mac, f, sizeof(f)), 0);
	dk_soc_run(soc, 0);
	CHECK_EQ(irqs, 1);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_ISR), DK_MACB_INT_HRESP);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_RSR), DK_MACB_RSR_HNO);
	CHECK_EQ(dk_dev_mmio_read32(mac, DK_MACB_DROPS), 1);
	CHECK_EQ(dk_soc_nfaults(soc), 1);
	CHECK_EQ(dk_soc_fault(soc, 0)->dev_addr, 0x1000);
	CHECK(!dk_soc_fault(soc, 0)->write);
	dk_soc_free(soc);
}

TEST(model_macb_frames_keep_order_and_wire_time)
{
	struct dk_simdev *mac;
	struct dk_soc *soc = setup(&mac);
	u8 big[800], small[80];

	if (!soc)
		return;
	ring(soc, 2);
	start(mac, 1024);
	frame(big, sizeof(big), 4);
	frame(small, sizeof(small), 5);
	CHECK_EQ(dk_macb_inject_rx(mac, big, sizeof(big)), 0);
	CHECK_EQ(dk_macb_inject_rx(mac, small, sizeof(small)), 0);
	dk_soc_run(soc, 0);
	CHECK_EQ(irqs, 2);
	/* the small frame waits for the big one to leave the wire */
	CHECK_EQ(irq_time, 2 * DK_MACB_WIRE_CYCLES + (800 + 80) / 8 + 1);
	CHECK_MEM(dk_sim_dram_ptr(soc, BUF), big, sizeof(big));
	CHECK_MEM(dk_sim_dram_ptr(soc, BUF + 0x1000), small, sizeof(small));
	dk_soc_free(soc);
}

TEST(model_macb_inject_rejects)
{
	struct dk_simdev *mac;
	struct dk_soc *soc = setup(&mac);
	u8 f[16] = { 0 };

	if (!soc)
		return;
	CHECK_EQ(dk_macb_inject_rx(NULL, f, 16), -EINVAL);
	CHECK_EQ(dk_macb_inject_rx(dk_soc_find_dev(soc, "dma@10000000"), f,
				   16), -EINVAL);
	CHECK_EQ(dk_macb_inject_rx(mac, NULL, 16), -EINVAL);
	CHECK_EQ(dk_macb_inject_rx(mac, f, 0), -EINVAL);
	CHECK_EQ(dk_macb_inject_rx(mac, f, DK_MACB_MAX_FRAME + 1), -EINVAL);
	dk_soc_free(soc);
}
