// SPDX-License-Identifier: MIT
/*
 * Interrupt vectors as Linux's pci_alloc_irq_vectors() hands them out:
 * MSI-X first, then MSI, then the INTx pin, whichever the flags allow and
 * the device has enough of (VFIO_DEVICE_GET_IRQ_INFO counts them); the
 * vectors of one kind are enabled together, one eventfd each, and vector
 * N is irq DK_HOST_IRQ_BASE + N for request_irq().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>

#include <linux/vfio.h>

#include "host_internal.h"

#define ALL_KINDS (DK_HOST_IRQ_MSIX | DK_HOST_IRQ_MSI | DK_HOST_IRQ_INTX)

static const struct {
	unsigned int flag;
	u32 index;
} kinds[] = {
	{ DK_HOST_IRQ_MSIX, VFIO_PCI_MSIX_IRQ_INDEX },
	{ DK_HOST_IRQ_MSI, VFIO_PCI_MSI_IRQ_INDEX },
	{ DK_HOST_IRQ_INTX, VFIO_PCI_INTX_IRQ_INDEX },
};

/* What each kind asked for offers, for the refusal: "5 MSI-X, no MSI". */
static void describe(char *out, size_t size, const u32 *count,
		     unsigned int flags)
{
	size_t i, len = 0;

	out[0] = 0;
	for (i = 0; i < DK_ARRAY_SIZE(kinds) && len < size; i++) {
		const char *name = dk_host_irq_index_name(kinds[i].index);

		if (!(flags & kinds[i].flag))
			continue;
		if (count[i])
			len += snprintf(out + len, size - len, "%s%u %s", len ? ", " : "",
					count[i], name);
		else
			len += snprintf(out + len, size - len, "%sno %s", len ? ", " : "",
					name);
	}
}

int dk_host_vectors_alloc(struct dk_host *h, unsigned int min,
			  unsigned int max, unsigned int flags)
{
	u32 count[DK_ARRAY_SIZE(kinds)] = { 0 };
	bool too_few = false;
	char have[96];
	size_t i;
	int r;

	if (!min || max < min || !(flags & ALL_KINDS) || (flags & ~ALL_KINDS))
		return dk_err(-EINVAL,
			      "dk_host_alloc_irq_vectors(%u, %u, 0x%x): want 1 <= min <= max and flags of DK_HOST_IRQ_MSIX, _MSI, _INTX",
			      min, max, flags);
	if (min > DK_HOST_MAX_VECTORS)
		return dk_err(-ENOSPC,
			      "dk_host_alloc_irq_vectors: %u vectors asked for at least, dmakit takes at most %d",
			      min, DK_HOST_MAX_VECTORS);
	if (max > DK_HOST_MAX_VECTORS)
		max = DK_HOST_MAX_VECTORS;
	if (h->vectors || dk_host_irq_kind(h))
		return dk_err(-EBUSY,
			      "dk_host_alloc_irq_vectors: %s has its %s enabled already (dk_host_free_irq_vectors() first, or free_irq() of dev->irq)",
			      h->addr, dk_host_irq_kind(h) ? dk_host_irq_kind(h) :
			      "vectors");
	for (i = 0; i < DK_ARRAY_SIZE(kinds); i++) {
		unsigned int n;

		if (!(flags & kinds[i].flag))
			continue;
		r = dk_host_irq_count(h, kinds[i].index, &count[i]);
		if (r)
			return r;
		/* INTx is one line whatever is asked. */
		n = kinds[i].index == VFIO_PCI_INTX_IRQ_INDEX ? 1 :
		    count[i] < max ? count[i] : max;
		if (!count[i])
			continue;
		if (n < min) {
			too_few = true;
			continue;
		}
		r = dk_host_irq_enable(h, kinds[i].index, n);
		if (r)
			return r;
		h->vectors = true;
		return (int)h->nvec;
	}
	describe(have, sizeof(have), count, flags);
	if (too_few)
		return dk_err(-ENOSPC,
			      "host: %s: %u interrupt vectors asked for at least, it has %s",
			      h->addr, min, have);
	return dk_err(-EINVAL, "host: %s has %s: no interrupt of the kinds asked for",
		      h->addr, have);
}

void dk_host_vectors_free(struct dk_host *h)
{
	unsigned int i;

	if (!h->vectors)
		return;
	for (i = 0; i < h->nvec; i++)
		if (h->vec[i].fn)
			dk_err_log(-EBUSY,
				   "BUG: dk_host_free_irq_vectors: irq %d of %s still has its handler (free_irq() it first)",
				   DK_HOST_IRQ_BASE + (int)i, h->addr);
	dk_host_irq_disable(h);
}
