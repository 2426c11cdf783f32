// SPDX-License-Identifier: MIT
/*
 * Talk 000, "DMA configuration inheritance": DMA settings in the device
 * tree are inherited by the nodes below, but not in the driver model. The
 * DWC3 driver creates a child device for the generic xHCI driver, which
 * then uses that child for the DMA API. The child has no tree node, so
 * nothing gives it the dma-ranges and dma-coherent of the bus the DWC3
 * sits on: its bus addresses are CPU physical addresses, which this bus
 * does not route, and the controller dies on its first TRB. The fix: the
 * child takes its DMA configuration from its parent, the device the tree
 * describes and whose bus master actually does the DMA.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <dmakit/models/dwc3.h>

#include "story.h"

#define NODE		"usb@0"
#define NTRB		16		/* transfer ring, the last one links */
#define NEV		16
#define NXFER		2
#define XFER_LEN	2048

enum child_dma {
	/* Copy the DMA masks and parameters, as DWC3 glue once did: the
	 * child gets the parent's limits, not its dma-ranges or coherence. */
	CHILD_COPY_MASKS,
	/* Configure the child from the parent's tree node, as
	 * of_dma_configure() does for it. */
	CHILD_INHERIT_DMA,
};

/* The glue's half of the story: how the child it creates is set up. */
static struct device *create_child(struct device *parent, enum child_dma how)
{
	struct device *c = device_create_child(parent, "xhci-hcd.0.auto", NULL);

	if (!c)
		return NULL;
	*c->dma_mask = *parent->dma_mask;
	c->coherent_dma_mask = parent->coherent_dma_mask;
	*c->dma_parms = *parent->dma_parms;
	if (how == CHILD_INHERIT_DMA)
		dk_of_dma_configure(c, parent);
	return c;
}

/* ---- the generic xHCI driver: bound to the child, knows nothing of DWC3 */

struct xhci {
	struct device *child;
	struct device *dma;		/* where DMA API calls go */
	struct dk_simdev *sd;		/* the registers: the DWC3's */
	struct dk_soc *soc;
	u8 *tr, *er;
	dma_addr_t tr_dma, er_dma;
	unsigned int enq, er_deq;
	bool er_ccs;
	u8 *buf[NXFER];
	dma_addr_t buf_dma[NXFER];
	unsigned int done, short_pkts;
	bool died;
	bool up;
};

static struct xhci xhci;

static u32 xhci_readl(u32 reg)
{
	return dk_dev_mmio_read32(xhci.sd, reg);
}

static void xhci_writel(u32 reg, u32 val)
{
	story_writel(xhci.sd, reg, val);
}

static void put_trb(u8 *ring, unsigned int i, u64 param, u32 status,
		    u32 control)
{
	u8 *t = ring + i * DK_XHCI_TRB_SIZE;

	memcpy(t, &param, 8);	/* little-endian like the controller */
	memcpy(t + 8, &status, 4);
	memcpy(t + 12, &control, 4);
}

static void xhci_irq(int irq, void *arg)
{
	u32 sts = xhci_readl(DK_XHCI_USBSTS);

	(void)irq;
	(void)arg;
	xhci_writel(DK_XHCI_USBSTS, sts);
	if (sts & DK_XHCI_STS_HSE)
		xhci.died = true;
	for (;;) {
		u8 *ev = xhci.er + xhci.er_deq * DK_XHCI_TRB_SIZE;
		u32 status, control;

		memcpy(&status, ev + 8, 4);
		memcpy(&control, ev + 12, 4);
		if (!(control & DK_XHCI_TRB_CYCLE) != !xhci.er_ccs)
			break;
		if (DK_XHCI_TRB_TYPE_OF(control) ==
		    DK_XHCI_TRB_TRANSFER_EVENT) {
			xhci.done++;
			xhci.short_pkts += DK_XHCI_EV_CODE(status) !=
					   DK_XHCI_CC_SUCCESS;
		}
		if (++xhci.er_deq == NEV) {
			xhci.er_deq = 0;
			xhci.er_ccs = !xhci.er_ccs;
		}
	}
}

static void xhci_free_rings(void)
{
	if (xhci.er)
		dma_free_coherent(xhci.dma, NEV * DK_XHCI_TRB_SIZE, xhci.er,
				  xhci.er_dma);
	if (xhci.tr)
		dma_free_coherent(xhci.dma, NTRB * DK_XHCI_TRB_SIZE, xhci.tr,
				  xhci.tr_dma);
	xhci.er = xhci.tr = NULL;
}

static int xhci_probe(struct device *dev)
{
	xhci.child = dev;
	xhci.dma = dev;
	xhci.tr = dma_alloc_coherent(xhci.dma, NTRB * DK_XHCI_TRB_SIZE,
				     &xhci.tr_dma, GFP_KERNEL);
	xhci.er = dma_alloc_coherent(xhci.dma, NEV * DK_XHCI_TRB_SIZE,
				     &xhci.er_dma, GFP_KERNEL);
	if (!xhci.tr || !xhci.er ||
	    dk_soc_request_irq(xhci.soc, dev->irq, xhci_irq, NULL)) {
		xhci_free_rings();
		return -ENOMEM;
	}
	/* The ring closes on itself; software owns cycle state 1 first. */
	put_trb(xhci.tr, NTRB - 1, xhci.tr_dma, 0,
		DK_XHCI_TRB_TYPE(DK_XHCI_TRB_LINK) | DK_XHCI_TRB_TC);
	xhci.enq = 0;
	xhci.er_deq = 0;
	xhci.er_ccs = true;
	xhci_writel(DK_XHCI_TR_LO, (u32)xhci.tr_dma | DK_XHCI_TRB_CYCLE);
	xhci_writel(DK_XHCI_TR_HI, xhci.tr_dma >> 32);
	xhci_writel(DK_XHCI_ER_LO, (u32)xhci.er_dma);
	xhci_writel(DK_XHCI_ER_HI, xhci.er_dma >> 32);
	xhci_writel(DK_XHCI_ER_SIZE, NEV);
	xhci_writel(DK_XHCI_USBCMD, DK_XHCI_CMD_RUN | DK_XHCI_CMD_INTE);
	xhci.up = true;
	return 0;
}

static void xhci_remove(struct device *dev)
{
	xhci_writel(DK_XHCI_USBCMD, 0);
	dk_soc_free_irq(xhci.soc, dev->irq);
	xhci_free_rings();
}

static struct device_driver xhci_driver = {
	.name = "xhci-hcd",
	.probe = xhci_probe,
	.remove = xhci_remove,
};

/* A bulk-IN read of NXFER buffers, as usb-storage would ask for. */
static int xhci_bulk_in(void)
{
	unsigned int i;
	int r = 0;

	for (i = 0; i < NXFER; i++) {
		xhci.buf[i] = kzalloc(XFER_LEN, GFP_KERNEL);
		if (!xhci.buf[i])
			return -ENOMEM;
		xhci.buf_dma[i] = dma_map_single(xhci.dma, xhci.buf[i],
						 XFER_LEN, DMA_FROM_DEVICE);
		if (dma_mapping_error(xhci.dma, xhci.buf_dma[i])) {
			kfree(xhci.buf[i]);
			xhci.buf[i] = NULL;
			r = -ENOMEM;
			break;
		}
		put_trb(xhci.tr, xhci.enq++, xhci.buf_dma[i], XFER_LEN,
			DK_XHCI_TRB_TYPE(DK_XHCI_TRB_NORMAL) |
				DK_XHCI_TRB_IOC | DK_XHCI_TRB_CYCLE);
	}
	xhci.done = xhci.short_pkts = 0;
	if (!r) {
		xhci_writel(DK_XHCI_DOORBELL, 0);
		dk_soc_run(xhci.soc, 0);
	}
	for (i = 0; i < NXFER && xhci.buf[i]; i++)
		dma_unmap_single(xhci.dma, xhci.buf_dma[i], XFER_LEN,
				 DMA_FROM_DEVICE);
	return r;
}

static void xhci_free_buffers(void)
{
	unsigned int i;

	for (i = 0; i < NXFER; i++) {
		kfree(xhci.buf[i]);
		xhci.buf[i] = NULL;
	}
}

/* ---- the DWC3 glue: bound to the node the tree describes */

static struct device *child;
static enum child_dma glue_creates;

static int dwc3_probe(struct device *dev)
{
	struct dk_simdev *sd = xhci.sd;

	if (dk_dev_mmio_read32(sd, DK_DWC3_GSNPSID) != DK_DWC3_ID)
		return -ENODEV;
	dk_dev_mmio_write32(sd, DK_DWC3_GCTL,
			    DK_DWC3_GCTL_PRTCAP(DK_DWC3_PRTCAP_HOST));
	child = create_child(dev, glue_creates);
	if (!child)
		return -ENOMEM;
	return device_bind_driver(child, &xhci_driver);
}

static void dwc3_remove(struct device *dev)
{
	(void)dev;
	device_unregister(child);
	child = NULL;
	dk_dev_mmio_write32(xhci.sd, DK_DWC3_GCTL,
			    DK_DWC3_GCTL_PRTCAP(DK_DWC3_PRTCAP_DEVICE));
}

static const struct of_device_id dwc3_ids[] = {
	{ .compatible = "dmakit,dwc3" },
	{ }
};

static void describe(struct story_env *env, const char *who,
		     struct device *dev)
{
	if (dev->n_dma_ranges)
		story_say(env, "%s: dma-coherent %s, dma-ranges bus 0x%llx -> cpu 0x%llx",
			  who, dev->dma_coherent ? "yes" : "no",
			  (unsigned long long)dev->dma_range_map[0].bus,
			  (unsigned long long)dev->dma_range_map[0].cpu);
	else
		story_say(env, "%s: dma-coherent %s, no dma-ranges (bus address = CPU physical)",
			  who, dev->dma_coherent ? "yes" : "no");
}

static int run(struct story_env *env)
{
	struct device_driver drv = { .name = "dwc3", .of_match_table = dwc3_ids,
				     .probe = dwc3_probe,
				     .remove = dwc3_remove };
	static u8 stick[NXFER * XFER_LEN];
	size_t wrong = 0;
	unsigned int i;
	int r;

	memset(&xhci, 0, sizeof(xhci));
	xhci.sd = story_simdev(env, NODE);
	xhci.soc = env->soc;
	if (!xhci.sd)
		return -ENODEV;
	glue_creates = env->fixed ? CHILD_INHERIT_DMA : CHILD_COPY_MASKS;
	r = driver_register(&drv);
	if (r || !xhci.up) {
		driver_unregister(&drv);
		return r ? r : -ENODEV;
	}
	describe(env, "dwc3, the tree's node", story_dev(env, NODE));
	describe(env, env->fixed ?
		      "xhci-hcd.0.auto, configured from dwc3's tree node" :
		      "xhci-hcd.0.auto, with dwc3's masks copied",
		 xhci.dma);
	story_fill(stick, sizeof(stick), 4);
	dk_dwc3_queue_bulk_in(xhci.sd, stick, sizeof(stick));
	r = xhci_bulk_in();
	for (i = 0; i < NXFER * XFER_LEN; i++)
		wrong += !xhci.buf[i / XFER_LEN] ||
			 xhci.buf[i / XFER_LEN][i % XFER_LEN] != stick[i];
	if (xhci.died)
		story_say(env, "xhci-hcd.0.auto: host system error, HC died");
	else
		story_say(env, "%u of %d transfers completed", xhci.done, NXFER);
	xhci_free_buffers();
	driver_unregister(&drv);
	env->data_ok = !r && !xhci.died && xhci.done == NXFER &&
		       !xhci.short_pkts && !wrong;
	snprintf(env->note, sizeof(env->note),
		 "%u of %d USB transfers completed%s, %zu of %d bytes wrong",
		 xhci.done, NXFER, xhci.died ? ", host controller died" : "",
		 wrong, NXFER * XFER_LEN);
	return r;
}

const struct story story_dma_config_inheritance = {
	.name = "dma-config-inheritance",
	.title = "DMA configuration inheritance",
	.from = &story_talk_fatoum,
	.slide = "DMA configuration inheritance",
	.bug = "the DWC3 driver's xHCI child gets only the parent's DMA masks: no dma-ranges, no dma-coherent, so its bus addresses are wrong",
	.fix = "the glue configures the child from its own tree node (of_dma_configure): dma-ranges and dma-coherent come with it",
	.bug_code =
		"xhci = device_create_child(dwc3,\n"
		"\t\"xhci\", \"generic-xhci\");\n"
		"/* only the masks are copied */\n"
		"xhci->coherent_dma_mask = dwc3->coherent_dma_mask;\n",
	.fix_code =
		"xhci = device_create_child(dwc3,\n"
		"\t\"xhci\", \"generic-xhci\");\n"
		"/* configured from the glue's own node:\n"
		" * dma-ranges and dma-coherent too */\n"
		"dk_of_dma_configure(xhci, dwc3);\n",
	.run = run,
};
