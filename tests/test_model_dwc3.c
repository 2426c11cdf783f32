// SPDX-License-Identifier: MIT
/*
 * The "dmakit,dwc3" model on the built-in SoC: the glue registers, the
 * xHCI-style transfer and event rings, cycle bits, short packets, NAKs and
 * host system errors. The controller sits behind a bus whose dma-ranges
 * put bank0 at bus address 0 and which is coherent, so the addresses the
 * rings hold are CPU physical minus 0x80000000 and the CPU's cache view
 * shows the controller's writes at once.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/models/dwc3.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>

#include "harness.h"
#include "testsoc.h"

#define NODE	"usb@0"
#define CPU	0x80000000ULL		/* bus 0 on this bus */
#define TR	0x00100000ULL		/* bus addresses */
#define ER	0x00110000ULL
#define BUF	0x00200000ULL

static int irqs;

static void on_irq(int irq, void *arg)
{
	(void)irq;
	(void)arg;
	irqs++;
}

static struct dk_soc *setup(struct dk_simdev **x)
{
	struct dk_soc *soc;

	irqs = 0;
	soc = testsoc_model(NODE, x, on_irq);
	if (!soc)
		return NULL;
	return soc;
}

static void trb(struct dk_soc *soc, u64 bus, u64 param, u32 status,
		u32 control)
{
	u8 *t = dk_sim_cpu_ptr(soc, CPU + bus);

	memcpy(t, &param, 8);
	memcpy(t + 8, &status, 4);
	memcpy(t + 12, &control, 4);
}

static void event(struct dk_soc *soc, int i, u64 *param, u32 *status,
		  u32 *control)
{
	const u8 *t = dk_sim_cpu_ptr(soc, CPU + ER + i * DK_XHCI_TRB_SIZE);

	memcpy(param, t, 8);
	memcpy(status, t + 8, 4);
	memcpy(control, t + 12, 4);
}

static void host_up(struct dk_simdev *x, u32 er_size)
{
	dk_dev_mmio_write32(x, DK_DWC3_GCTL,
			    DK_DWC3_GCTL_PRTCAP(DK_DWC3_PRTCAP_HOST));
	dk_dev_mmio_write32(x, DK_XHCI_TR_LO, (u32)TR | DK_XHCI_TRB_CYCLE);
	dk_dev_mmio_write32(x, DK_XHCI_TR_HI, 0);
	dk_dev_mmio_write32(x, DK_XHCI_ER_LO, (u32)ER);
	dk_dev_mmio_write32(x, DK_XHCI_ER_HI, 0);
	dk_dev_mmio_write32(x, DK_XHCI_ER_SIZE, er_size);
	dk_dev_mmio_write32(x, DK_XHCI_USBCMD, DK_XHCI_CMD_RUN |
			    DK_XHCI_CMD_INTE);
}

#define NORMAL(c)	(DK_XHCI_TRB_TYPE(DK_XHCI_TRB_NORMAL) | DK_XHCI_TRB_IOC | (c))
#define EVENT(c)	(DK_XHCI_TRB_TYPE(DK_XHCI_TRB_TRANSFER_EVENT) | (c))

static void stream(u8 *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(i * 11 + 3);
}

TEST(model_dwc3_registers)
{
	struct dk_simdev *x;
	struct dk_soc *soc = setup(&x);

	if (!soc)
		return;
	CHECK_EQ(dk_dev_mmio_read32(x, DK_DWC3_GSNPSID), DK_DWC3_ID);
	CHECK_EQ(dk_dev_mmio_read32(x, DK_DWC3_GCTL),
		 DK_DWC3_GCTL_PRTCAP(DK_DWC3_PRTCAP_DEVICE));
	CHECK_EQ(dk_dev_mmio_read32(x, DK_XHCI_USBSTS), DK_XHCI_STS_HCH);
	dk_dev_mmio_write32(x, DK_XHCI_TR_LO, 0x1234567f);
	CHECK_EQ(dk_dev_mmio_read32(x, DK_XHCI_TR_LO), 0x12345671);
	dk_dev_mmio_write32(x, DK_XHCI_ER_SIZE, DK_XHCI_MAX_ER + 1);
	CHECK_EQ(dk_dev_mmio_read32(x, DK_XHCI_ER_SIZE), 0);
	dk_dev_mmio_write32(x, DK_XHCI_USBCMD, 0xff);
	CHECK_EQ(dk_dev_mmio_read32(x, DK_XHCI_USBCMD),
		 DK_XHCI_CMD_RUN | DK_XHCI_CMD_INTE);
	CHECK_EQ(dk_dev_mmio_read32(x, DK_XHCI_USBSTS), 0);
	dk_soc_free(soc);
}

/* 3000 bytes into two 2048-byte TRBs: one success, one short packet. */
TEST(model_dwc3_bulk_in_and_short_packet)
{
	struct dk_simdev *x;
	struct dk_soc *soc = setup(&x);
	u8 data[3000];
	u64 p;
	u32 s, c;

	if (!soc)
		return;
	stream(data, sizeof(data));
	host_up(x, 4);
	trb(soc, TR, BUF, 2048, NORMAL(1));
	trb(soc, TR + 16, BUF + 0x1000, 2048, NORMAL(1));
	CHECK_EQ(dk_dwc3_queue_bulk_in(x, data, sizeof(data)), 0);
	CHECK_EQ(dk_soc_now(soc), 0);	/* nothing before the doorbell */
	dk_dev_mmio_write32(x, DK_XHCI_DOORBELL, 0);
	dk_soc_run(soc, 0);
	CHECK_EQ(irqs, 2);
	CHECK_EQ(dk_soc_now(soc), 2 * DK_DWC3_TRB_CYCLES + 3000 / 8 + 1);
	CHECK_MEM(dk_sim_cpu_ptr(soc, CPU + BUF), data, 2048);
	CHECK_MEM(dk_sim_cpu_ptr(soc, CPU + BUF + 0x1000), data + 2048, 952);
	CHECK_EQ(*(u8 *)dk_sim_cpu_ptr(soc, CPU + BUF + 0x1000 + 952), 0);
	event(soc, 0, &p, &s, &c);
	CHECK_EQ(p, TR);
	CHECK_EQ(s, DK_XHCI_CC_SUCCESS << 24);
	CHECK_EQ(c, EVENT(1));
	event(soc, 1, &p, &s, &c);
	CHECK_EQ(p, TR + 16);
	CHECK_EQ(DK_XHCI_EV_CODE(s), DK_XHCI_CC_SHORT_PACKET);
	CHECK_EQ(DK_XHCI_EV_RESIDUE(s), 2048 - 952);
	CHECK_EQ(c, EVENT(1));
	event(soc, 2, &p, &s, &c);
	CHECK_EQ(c, 0);
	CHECK_EQ(dk_dev_mmio_read32(x, DK_XHCI_EVENTS), 2);
	CHECK_EQ(dk_dev_mmio_read32(x, DK_XHCI_USBSTS), DK_XHCI_STS_EINT);
	dk_dev_mmio_write32(x, DK_XHCI_USBSTS, DK_XHCI_STS_EINT);
	CHECK_EQ(dk_dev_mmio_read32(x, DK_XHCI_USBSTS), 0);
	CHECK_EQ(dk_dev_mmio_read32(x, DK_XHCI_TR_LO), ((u32)TR + 32) | 1);
	CHECK_EQ(dk_soc_nfaults(soc), 0);
	dk_soc_free(soc);
}

/* No data: the endpoint NAKs and the controller waits at the TRB. */
TEST(model_dwc3_nak_waits_for_data)
{
	struct dk_simdev *x;
	struct dk_soc *soc = setup(&x);
	u8 data[512];

	if (!soc)
		return;
	stream(data, sizeof(data));
	host_up(x, 4);
	trb(soc, TR, BUF, 512, NORMAL(1));
	dk_dev_mmio_write32(x, DK_XHCI_DOORBELL, 0);
	dk_soc_run(soc, 0);
	CHECK_EQ(irqs, 0);
	CHECK_EQ(dk_dev_mmio_read32(x, DK_XHCI_TR_LO), (u32)TR | 1);
	CHECK_EQ(dk_dwc3_queue_bulk_in(x, data, sizeof(data)), 0);
	dk_soc_run(soc, 0);
	CHECK_EQ(irqs, 1);
	CHECK_MEM(dk_sim_cpu_ptr(soc, CPU + BUF), data, sizeof(data));
	dk_soc_free(soc);
}

TEST(model_dwc3_host_mode_only)
{
	struct dk_simdev *x;
	struct dk_soc *soc = setup(&x);
	u8 data[64];

	if (!soc)
		return;
	stream(data, sizeof(data));
	host_up(x, 4);
	dk_dev_mmio_write32(x, DK_DWC3_GCTL,
			    DK_DWC3_GCTL_PRTCAP(DK_DWC3_PRTCAP_DEVICE));
	trb(soc, TR, BUF, 64, NORMAL(1));
	dk_dwc3_queue_bulk_in(x, data, sizeof(data));
	dk_dev_mmio_write32(x, DK_XHCI_DOORBELL, 0);
	dk_soc_run(soc, 0);
	CHECK_EQ(irqs, 0);
	CHECK_EQ(dk_dev_mmio_read32(x, DK_XHCI_EVENTS), 0);
	dk_soc_free(soc);
}

/*
 * A two-TRB ring closed by a toggling link: the second lap is produced
 * with cycle 0; events wrap a two-entry event ring and flip its cycle.
 */
TEST(model_dwc3_link_toggles_cycle_and_events_wrap)
{
	struct dk_simdev *x;
	struct dk_soc *soc = setup(&x);
	u8 data[4 * 256];
	u64 p;
	u32 s, c;

	if (!soc)
		return;
	stream(data, sizeof(data));
	host_up(x, 2);
	trb(soc, TR, BUF, 256, NORMAL(1));
	trb(soc, TR + 16, BUF + 256, 256, NORMAL(1));
	trb(soc, TR + 32, TR, 0, DK_XHCI_TRB_TYPE(DK_XHCI_TRB_LINK) |
				 DK_XHCI_TRB_TC | 1);
	dk_dwc3_queue_bulk_in(x, data, sizeof(data));
	dk_dev_mmio_write32(x, DK_XHCI_DOORBELL, 0);
	dk_soc_run(soc, 0);
	CHECK_EQ(irqs, 2);
	/* second lap: software produces with the toggled cycle, 0 */
	trb(soc, TR, BUF + 512, 256, NORMAL(0));
	dk_dev_mmio_write32(x, DK_XHCI_DOORBELL, 0);
	dk_soc_run(soc, 0);
	CHECK_EQ(irqs, 3);
	CHECK_MEM(dk_sim_cpu_ptr(soc, CPU + BUF), data, 768);
	event(soc, 0, &p, &s, &c);
	CHECK_EQ(p, TR);
	CHECK_EQ(c, EVENT(0));		/* the third event, after the wrap */
	event(soc, 1, &p, &s, &c);
	CHECK_EQ(p, TR + 16);
	CHECK_EQ(c, EVENT(1));
	/* the old-cycle TRB after it is not consumed */
	CHECK_EQ(dk_dev_mmio_read32(x, DK_XHCI_TR_LO), (u32)TR + 16);
	dk_soc_free(soc);
}

TEST(model_dwc3_dma_fault_is_host_system_error)
{
	struct dk_simdev *x;
	struct dk_soc *soc = setup(&x);
	u8 data[64];

	if (!soc)
		return;
	stream(data, sizeof(data));
	host_up(x, 4);
	/* a CPU physical address: outside the bus's 1 GiB window */
	dk_dev_mmio_write32(x, DK_XHCI_TR_LO, (u32)(CPU + TR) | 1);
	dk_dwc3_queue_bulk_in(x, data, sizeof(data));
	dk_dev_mmio_write32(x, DK_XHCI_DOORBELL, 0);
	dk_soc_run(soc, 0);
	CHECK_EQ(irqs, 1);
	CHECK_EQ(dk_dev_mmio_read32(x, DK_XHCI_USBSTS),
		 DK_XHCI_STS_HSE | DK_XHCI_STS_HCH);
	CHECK_EQ(dk_dev_mmio_read32(x, DK_XHCI_USBCMD), DK_XHCI_CMD_INTE);
	CHECK_EQ(dk_soc_nfaults(soc), 1);
	CHECK_EQ(dk_soc_fault(soc, 0)->reason, DK_FAULT_NO_WINDOW);
	/* halted: a doorbell does nothing */
	dk_dev_mmio_write32(x, DK_XHCI_DOORBELL, 0);
	dk_soc_run(soc, 0);
	CHECK_EQ(dk_soc_nfaults(soc), 1);
	dk_soc_free(soc);
}

TEST(model_dwc3_queue_rejects)
{
	struct dk_simdev *x;
	struct dk_soc *soc = setup(&x);
	u8 b[4] = { 0 };

	if (!soc)
		return;
	CHECK_EQ(dk_dwc3_queue_bulk_in(NULL, b, 4), -EINVAL);
	CHECK_EQ(dk_dwc3_queue_bulk_in(x, NULL, 4), -EINVAL);
	CHECK_EQ(dk_dwc3_queue_bulk_in(dk_soc_find_dev(soc, "dma@10000000"), b,
				       4), -EINVAL);
	CHECK_EQ(dk_dwc3_queue_bulk_in(x, NULL, 0), 0);
	dk_soc_free(soc);
}
