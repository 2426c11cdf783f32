// SPDX-License-Identifier: MIT
/*
 * "dmakit,dwc3": dual-role USB controller whose host mode is an
 * xHCI-style controller with one transfer ring and one event ring. The
 * register interface and TRB formats are in include/dmakit/models/dwc3.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/models/dwc3.h>
#include <dmakit/sim_device.h>

#include "../core/dk_internal.h"
#include "model_util.h"

/* Link TRBs followed in one pass before the ring counts as broken. */
#define MAX_LINKS 256

struct dwc3 {
	struct dk_simdev *dev;
	pthread_mutex_t lock;
	u32 gctl, usbcmd, usbsts, events;
	u64 deq;		/* transfer ring dequeue pointer */
	bool ccs;		/* consumer cycle state */
	u64 er_base;
	u32 er_size, er_idx;
	bool pcs;		/* producer cycle state */
	bool busy;		/* a Normal TRB is in flight */
	/* the TRB in flight */
	u64 trb, buf;
	u32 len, ctrl;
	/* bytes the attached device has yet to send */
	u8 *in;
	size_t in_len, in_off, in_cap;
};




static void interrupt(struct dwc3 *x)
{
	const struct dk_devdesc *d = dk_simdev_desc(x->dev);

	if ((x->usbcmd & DK_XHCI_CMD_INTE) && d->irq >= 0)
		dk_soc_raise_irq(dk_simdev_soc(x->dev), d->irq);
}

static void system_error(struct dwc3 *x)
{
	x->usbsts |= DK_XHCI_STS_HSE;
	x->usbcmd &= ~DK_XHCI_CMD_RUN;
	x->busy = false;
	interrupt(x);
}

static bool running(const struct dwc3 *x)
{
	return (x->usbcmd & DK_XHCI_CMD_RUN) &&
	       (x->gctl & DK_DWC3_GCTL_PRTCAP_MASK) ==
		       DK_DWC3_GCTL_PRTCAP(DK_DWC3_PRTCAP_HOST);
}

static size_t pending_in(const struct dwc3 *x)
{
	return x->in_len - x->in_off;
}

/* Post a transfer event for the TRB in flight; false on a DMA error. */
static bool post_event(struct dwc3 *x, u32 code, u32 residue)
{
	u8 ev[DK_XHCI_TRB_SIZE];

	if (!x->er_size)
		return true;
	memset(ev, 0, sizeof(ev));
	put_le32(ev, (u32)x->trb);
	put_le32(ev + 4, x->trb >> 32);
	put_le32(ev + 8, code << 24 | (residue & 0xffffff));
	put_le32(ev + 12, DK_XHCI_TRB_TYPE(DK_XHCI_TRB_TRANSFER_EVENT) |
			  (x->pcs ? DK_XHCI_TRB_CYCLE : 0));
	if (dk_dev_dma_write(x->dev, x->er_base +
			     (u64)x->er_idx * DK_XHCI_TRB_SIZE, ev, sizeof(ev)))
		return false;
	if (++x->er_idx == x->er_size) {
		x->er_idx = 0;
		x->pcs = !x->pcs;
	}
	x->events++;
	x->usbsts |= DK_XHCI_STS_EINT;
	interrupt(x);
	return true;
}

static void complete(struct dk_soc *soc, void *arg);

/* Walk the transfer ring to the next Normal TRB the endpoint can serve. */
static void service(struct dwc3 *x)
{
	int links = 0;

	while (running(x) && !x->busy) {
		u8 raw[DK_XHCI_TRB_SIZE];
		u32 ctrl, type;
		size_t n;

		if (dk_dev_dma_read(x->dev, x->deq, raw, sizeof(raw))) {
			system_error(x);
			return;
		}
		ctrl = le32(raw + 12);
		if (!(ctrl & DK_XHCI_TRB_CYCLE) != !x->ccs)
			return;		/* software has not produced it yet */
		type = DK_XHCI_TRB_TYPE_OF(ctrl);
		if (type == DK_XHCI_TRB_LINK) {
			if (++links > MAX_LINKS) {
				system_error(x);
				return;
			}
			x->deq = le64(raw) & ~0xfULL;
			if (ctrl & DK_XHCI_TRB_TC)
				x->ccs = !x->ccs;
			continue;
		}
		if (type != DK_XHCI_TRB_NORMAL) {
			x->deq += DK_XHCI_TRB_SIZE;	/* not modelled: skipped */
			continue;
		}
		if (!pending_in(x))
			return;		/* NAK: resumed by more data */
		x->trb = x->deq;
		x->buf = le64(raw);
		x->len = le32(raw + 8) & DK_XHCI_TRB_LEN_MASK;
		x->ctrl = ctrl;
		x->busy = true;
		n = x->len < pending_in(x) ? x->len : pending_in(x);
		if (dk_soc_schedule(dk_simdev_soc(x->dev), DK_DWC3_TRB_CYCLES +
				    n / DK_DWC3_BYTES_PER_CYCLE, complete, x))
			system_error(x);
		return;
	}
}

static void complete(struct dk_soc *soc, void *arg)
{
	struct dwc3 *x = arg;
	size_t n;
	u32 residue;

	(void)soc;
	pthread_mutex_lock(&x->lock);
	if (!x->busy) {			/* halted meanwhile */
		pthread_mutex_unlock(&x->lock);
		return;
	}
	x->busy = false;
	n = x->len < pending_in(x) ? x->len : pending_in(x);
	if (dk_dev_dma_write(x->dev, x->buf, x->in + x->in_off, n)) {
		system_error(x);
		pthread_mutex_unlock(&x->lock);
		return;
	}
	x->in_off += n;
	residue = x->len - n;
	x->deq += DK_XHCI_TRB_SIZE;
	if (((x->ctrl & DK_XHCI_TRB_IOC) || residue) &&
	    !post_event(x, residue ? DK_XHCI_CC_SHORT_PACKET :
				     DK_XHCI_CC_SUCCESS, residue)) {
		system_error(x);
		pthread_mutex_unlock(&x->lock);
		return;
	}
	service(x);
	pthread_mutex_unlock(&x->lock);
}

int dk_dwc3_queue_bulk_in(struct dk_simdev *dev, const void *data,
			  size_t len)
{
	const struct dk_devdesc *d = dev ? dk_simdev_desc(dev) : NULL;
	struct dwc3 *x;

	if (!d || strcmp(d->compatible, "dmakit,dwc3") ||
	    !(x = dk_simdev_priv(dev)) || (!data && len))
		return dk_err(-EINVAL, "dk_dwc3_queue_bulk_in: %s is not a dmakit,dwc3 or the data is NULL",
			      d ? d->name : "(null)");
	pthread_mutex_lock(&x->lock);
	if (x->in_off == x->in_len)
		x->in_off = x->in_len = 0;
	if (x->in_len + len > x->in_cap) {
		size_t cap = x->in_len + len;
		u8 *n = realloc(x->in, cap ? cap : 1);

		if (!n) {
			pthread_mutex_unlock(&x->lock);
			return dk_err(-ENOMEM, "out of memory");
		}
		x->in = n;
		x->in_cap = cap;
	}
	if (len)
		memcpy(x->in + x->in_len, data, len);
	x->in_len += len;
	service(x);
	pthread_mutex_unlock(&x->lock);
	return 0;
}

static u32 dwc3_read(struct dk_simdev *dev, u64 off)
{
	struct dwc3 *x = dk_simdev_priv(dev);
	u32 v = 0;

	pthread_mutex_lock(&x->lock);
	switch (off) {
	case DK_XHCI_USBCMD:
		v = x->usbcmd;
		break;
	case DK_XHCI_USBSTS:
		v = x->usbsts | (x->usbcmd & DK_XHCI_CMD_RUN ? 0 :
							      DK_XHCI_STS_HCH);
		break;
	case DK_XHCI_TR_LO:
		v = (u32)x->deq | (x->ccs ? DK_XHCI_TRB_CYCLE : 0);
		break;
	case DK_XHCI_TR_HI:
		v = x->deq >> 32;
		break;
	case DK_XHCI_ER_LO:
		v = (u32)x->er_base;
		break;
	case DK_XHCI_ER_HI:
		v = x->er_base >> 32;
		break;
	case DK_XHCI_ER_SIZE:
		v = x->er_size;
		break;
	case DK_XHCI_EVENTS:
		v = x->events;
		break;
	case DK_DWC3_GCTL:
		v = x->gctl;
		break;
	case DK_DWC3_GSNPSID:
		v = DK_DWC3_ID;
		break;
	}
	pthread_mutex_unlock(&x->lock);
	return v;
}

static void restart_events(struct dwc3 *x)
{
	x->er_idx = 0;
	x->pcs = true;
}

static void dwc3_write(struct dk_simdev *dev, u64 off, u32 val)
{
	struct dwc3 *x = dk_simdev_priv(dev);

	pthread_mutex_lock(&x->lock);
	switch (off) {
	case DK_XHCI_USBCMD:
		x->usbcmd = val & (DK_XHCI_CMD_RUN | DK_XHCI_CMD_INTE);
		break;
	case DK_XHCI_USBSTS:
		x->usbsts &= ~(val & (DK_XHCI_STS_HSE | DK_XHCI_STS_EINT));
		break;
	case DK_XHCI_TR_LO:
		x->deq = (x->deq & ~0xffffffffULL) | (val & ~0xfu);
		x->ccs = val & DK_XHCI_TRB_CYCLE;
		break;
	case DK_XHCI_TR_HI:
		x->deq = (x->deq & 0xffffffffULL) | (u64)val << 32;
		break;
	case DK_XHCI_ER_LO:
		x->er_base = (x->er_base & ~0xffffffffULL) | (val & ~0xfu);
		restart_events(x);
		break;
	case DK_XHCI_ER_HI:
		x->er_base = (x->er_base & 0xffffffffULL) | (u64)val << 32;
		restart_events(x);
		break;
	case DK_XHCI_ER_SIZE:
		x->er_size = val <= DK_XHCI_MAX_ER ? val : 0;
		restart_events(x);
		break;
	case DK_XHCI_DOORBELL:
		service(x);
		break;
	case DK_DWC3_GCTL:
		x->gctl = val;
		break;
	}
	pthread_mutex_unlock(&x->lock);
}

static int dwc3_probe(struct dk_simdev *dev)
{
	const struct dk_devdesc *d = dk_simdev_desc(dev);
	struct dwc3 *x;

	if (d->reg_size < DK_DWC3_REGS_END)
		return dk_model_small_window(d, DK_DWC3_REGS_END);
	x = calloc(1, sizeof(*x));
	if (!x)
		return dk_err(-ENOMEM, "out of memory");
	x->dev = dev;
	pthread_mutex_init(&x->lock, NULL);
	x->gctl = DK_DWC3_GCTL_PRTCAP(DK_DWC3_PRTCAP_DEVICE);
	x->pcs = true;
	dk_simdev_set_priv(dev, x);
	return 0;
}

static void dwc3_remove(struct dk_simdev *dev)
{
	struct dwc3 *x = dk_simdev_priv(dev);

	pthread_mutex_destroy(&x->lock);
	free(x->in);
	free(x);
	dk_simdev_set_priv(dev, NULL);
}

const struct dk_model_ops dk_dwc3_model = {
	.compatible = "dmakit,dwc3",
	.summary = "dual-role USB controller, xHCI-style host with a bulk-IN device",
	.needs_reg = true,
	.probe = dwc3_probe,
	.remove = dwc3_remove,
	.mmio_read = dwc3_read,
	.mmio_write = dwc3_write,
};
