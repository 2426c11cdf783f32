// SPDX-License-Identifier: MIT
/*
 * MSI-X on real (emulated) hardware: QEMU's e1000e (an Intel 82574L, 5
 * MSI-X vectors) bound to vfio-pci beside edu. Software raises its
 * interrupts: a write of cause bits to ICS sets them in ICR, and each
 * cause IMS enables goes out on the MSI-X vector IVAR routes it to (a
 * 4-bit field per cause: the vector in bits 0-2, bit 3 valid). A cause
 * stays pending, and is not signalled again, until its ICR bit is
 * written back (write 1 to clear): the handler's acknowledgement.
 * Facts read from QEMU's hw/net/e1000e_core.c and e1000_regs.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <dmakit/error.h>
#include <dmakit/host.h>
#include <dmakit/interrupt.h>
#include <dmakit/io.h>
#include <dmakit/machine.h>

#include "guest.h"

#define E1000E_VENDOR 0x8086
#define E1000E_DEVICE 0x10d3
#define E1000E_VECTORS 5

#define REG_ICR 0xc0
#define REG_ICS 0xc8
#define REG_IMS 0xd0
#define REG_IMC 0xd8
#define REG_EIAC 0xdc
#define REG_IVAR 0xe4
#define ICR_RXQ0 (1u << 20)
#define ICR_TXQ0 (1u << 22)
#define IVAR_VALID 0x8
#define IVAR_RXQ0_SHIFT 0
#define IVAR_TXQ0_SHIFT 8

/* The two vectors the causes are routed to: neither 0 (dev->irq) nor
 * adjacent, so a mix-up of vector numbers shows. */
#define RX_VEC 1
#define TX_VEC 3

struct cause {
	u32 bit;
	void __iomem *regs;
	int calls, last_irq;
};

static irqreturn_t e1000e_irq(int irq, void *arg)
{
	struct cause *c = arg;

	c->calls++;
	c->last_irq = irq;
	writel(c->bit, c->regs + REG_ICR);
	return IRQ_HANDLED;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Let interrupts arrive until @rx and @tx have had @want calls each (or
 * two seconds pass), then 50 ms more for any extra one. */
static void wait_calls(const struct dk_platform *pl, struct cause *rx,
		       struct cause *tx, int want_rx, int want_tx)
{
	double t0 = now(), done = 0;

	while (now() - t0 < 2 && (!done || now() - done < 0.05)) {
		if (!done && rx->calls >= want_rx && tx->calls >= want_tx)
			done = now();
		pl->ops->cpu_idle(pl->ctx);
	}
}

static bool bound_to_vfio(const char *addr)
{
	char path[128], link[128];
	ssize_t k;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", addr);
	k = readlink(path, link, sizeof(link) - 1);
	if (k <= 0)
		return false;
	link[k] = 0;
	return strstr(link, "/vfio-pci") != NULL;
}

/* The e1000e's address, bound to vfio-pci (once: the guest's init leaves
 * it to the tests); 0 or -1 with the reason in @why. */
static int bind_e1000e(char *addr, size_t size, char *why, size_t wsize)
{
	FILE *f;
	int i;

	if (dk_host_find_pci(E1000E_VENDOR, E1000E_DEVICE, addr, size)) {
		snprintf(why, wsize, "no e1000e in the guest: %s", dk_last_error());
		return -1;
	}
	if (bound_to_vfio(addr))
		return 0;
	f = fopen("/sys/bus/pci/drivers/vfio-pci/new_id", "w");
	if (!f || fprintf(f, "%04x %04x\n", E1000E_VENDOR, E1000E_DEVICE) <= 0 ||
	    fclose(f)) {
		snprintf(why, wsize, "cannot write vfio-pci's new_id");
		return -1;
	}
	for (i = 0; i < 200 && !bound_to_vfio(addr); i++)
		usleep(10000);
	if (bound_to_vfio(addr))
		return 0;
	snprintf(why, wsize, "%s did not bind to vfio-pci", addr);
	return -1;
}

/* The refusals of a device that has MSI-X, and their exact words. */
static void msix_refusals(const struct dk_platform *pl, const char *addr)
{
	const char *n = "MSI-X: more vectors than the device has refused with -ENOSPC and the count";
	char want[256];
	int r;

	r = dk_host_alloc_irq_vectors(pl, 6, 8, DK_HOST_IRQ_MSIX);
	snprintf(want, sizeof(want),
		 "host: %s: 6 interrupt vectors asked for at least, it has 5 MSI-X",
		 addr);
	REQUIRE(n, r == -ENOSPC && !strcmp(dk_last_error(), want),
		"6 to 8 MSI-X: %d: %s", r, dk_last_error());
	r = dk_host_alloc_irq_vectors(pl, 6, 8, DK_HOST_IRQ_MSIX |
				      DK_HOST_IRQ_MSI | DK_HOST_IRQ_INTX);
	snprintf(want, sizeof(want),
		 "host: %s: 6 interrupt vectors asked for at least, it has 5 MSI-X, 1 MSI, 1 INTx",
		 addr);
	REQUIRE(n, r == -ENOSPC && !strcmp(dk_last_error(), want),
		"6 to 8 of any kind: %d: %s", r, dk_last_error());
	printf("     (%s)\n", dk_last_error());
	result(n, NULL);
}

/* Program IVAR and IMS for the two causes; 0, or a request_irq error. */
static int setup(const struct dk_platform *pl, void __iomem *regs,
		 struct cause *rx, struct cause *tx)
{
	int r;

	writel(~0u, regs + REG_IMC);
	readl(regs + REG_ICR);		/* with IMS 0, a read clears ICR */
	writel(~0u, regs + REG_ICR);
	writel(0, regs + REG_EIAC);	/* no auto-clear: the handler acks */
	writel((IVAR_VALID | RX_VEC) << IVAR_RXQ0_SHIFT |
	       (IVAR_VALID | TX_VEC) << IVAR_TXQ0_SHIFT, regs + REG_IVAR);
	r = request_irq(dk_host_irq_vector(pl, RX_VEC), e1000e_irq, 0,
			"e1000e-rx", rx);
	if (!r)
		r = request_irq(dk_host_irq_vector(pl, TX_VEC), e1000e_irq, 0,
				"e1000e-tx", tx);
	writel(ICR_RXQ0 | ICR_TXQ0, regs + REG_IMS);
	return r;
}

static long vector_line(const char *addr, int v)
{
	char line[64];

	snprintf(line, sizeof(line), "vfio-msix[%d](%s)", v, addr);
	return proc_interrupts(line);
}

static void msix_delivery(const struct dk_platform *pl, struct dk_machine *m,
			  const char *addr)
{
	const char *n = "MSI-X: causes routed to vectors 1 and 3 each call their request_irq handler once, with its irq";
	struct device *dev = dk_machine_find_device(m, addr);
	struct cause rx = { .bit = ICR_RXQ0, .last_irq = -1 };
	struct cause tx = { .bit = ICR_TXQ0, .last_irq = -1 };
	struct dk_host_stats st;
	long l0[E1000E_VECTORS], l1[E1000E_VECTORS];
	void __iomem *regs;
	int nvec, r, i, irq_rx, irq_tx;
	bool lines_ok = true;

	REQUIRE(n, dev, "no device %s on the machine", addr);
	regs = ioremap(dev->reg, dev->reg_size);
	REQUIRE(n, regs, "ioremap of BAR 0: %s", dk_last_error());
	rx.regs = tx.regs = regs;
	nvec = dk_host_alloc_irq_vectors(pl, 2, 8, DK_HOST_IRQ_MSIX |
					 DK_HOST_IRQ_MSI | DK_HOST_IRQ_INTX);
	irq_rx = dk_host_irq_vector(pl, RX_VEC);
	irq_tx = dk_host_irq_vector(pl, TX_VEC);
	REQUIRE(n, nvec == E1000E_VECTORS && irq_rx == DK_HOST_IRQ_BASE + RX_VEC &&
			   irq_tx == DK_HOST_IRQ_BASE + TX_VEC &&
			   dk_host_irq_vector(pl, E1000E_VECTORS) == -EINVAL,
		"%d vectors (want 5), irqs %d and %d: %s", nvec, irq_rx, irq_tx,
		dk_last_error());
	r = dk_host_alloc_irq_vectors(pl, 1, 1, DK_HOST_IRQ_MSIX);
	REQUIRE(n, r == -EBUSY, "a second allocation: %d", r);
	r = request_irq(DK_HOST_IRQ_BASE + E1000E_VECTORS, e1000e_irq, 0, "x",
			&rx);
	REQUIRE(n, r == -EINVAL &&
			   strstr(dk_last_error(), "has 5 MSI-X vectors enabled, irqs 32 to 36"),
		"request_irq of irq 37: %d: %s", r, dk_last_error());
	r = setup(pl, regs, &rx, &tx);
	REQUIRE(n, !r, "request_irq: %d: %s", r, dk_last_error());
	for (i = 0; i < E1000E_VECTORS; i++)
		l0[i] = vector_line(addr, i);
	/* One cause, then the other, then both at once (after the acks). */
	writel(ICR_RXQ0, regs + REG_ICS);
	wait_calls(pl, &rx, &tx, 1, 0);
	REQUIRE(n, rx.calls == 1 && tx.calls == 0 && rx.last_irq == irq_rx,
		"after RXQ0: rx handler %d calls (irq %d), tx %d", rx.calls,
		rx.last_irq, tx.calls);
	writel(ICR_TXQ0, regs + REG_ICS);
	wait_calls(pl, &rx, &tx, 1, 1);
	REQUIRE(n, rx.calls == 1 && tx.calls == 1 && tx.last_irq == irq_tx,
		"after TXQ0: rx %d calls, tx %d (irq %d)", rx.calls, tx.calls,
		tx.last_irq);
	writel(ICR_RXQ0 | ICR_TXQ0, regs + REG_ICS);
	wait_calls(pl, &rx, &tx, 2, 2);
	for (i = 0; i < E1000E_VECTORS; i++) {
		l1[i] = vector_line(addr, i);
		lines_ok &= l0[i] >= 0 &&
			    l1[i] - l0[i] == (i == RX_VEC || i == TX_VEC ? 2 : 0);
	}
	dk_host_get_stats(pl, &st);
	REQUIRE(n, rx.calls == 2 && tx.calls == 2 && rx.last_irq == irq_rx &&
			   tx.last_irq == irq_tx,
		"after both: rx %d calls (irq %d), tx %d (irq %d)", rx.calls,
		rx.last_irq, tx.calls, tx.last_irq);
	REQUIRE(n, lines_ok && st.irq && !strcmp(st.irq, "MSI-X"),
		"guest's vfio-msix lines 0-4: +%ld +%ld +%ld +%ld +%ld, want +0 +2 +0 +2 +0; irq %s",
		l1[0] - l0[0], l1[1] - l0[1], l1[2] - l0[2], l1[3] - l0[3],
		l1[4] - l0[4], st.irq ? st.irq : "none");
	writel(~0u, regs + REG_IMC);
	free_irq(irq_rx, &rx);
	free_irq(irq_tx, &tx);
	dk_host_free_irq_vectors(pl);
	/* VFIO released the vectors: the guest's lines for them are gone. */
	REQUIRE(n, vector_line(addr, RX_VEC) == -1 &&
			   dk_host_irq_vector(pl, 1) == -EINVAL,
		"vector 1 still enabled after dk_host_free_irq_vectors()");
	iounmap(regs);
	result(n, NULL);
}

void t_msix(int be)
{
	struct dk_host_opts ho = { .backend = (enum dk_host_backend)be };
	struct dk_machine_opts mo = { .iommu_dma = true };
	struct dk_machine *m = NULL;
	struct dk_platform pl;
	char addr[32], why[160];

	if (bind_e1000e(addr, sizeof(addr), why, sizeof(why))) {
		result("MSI-X through e1000e", "%s", why);
		return;
	}
	if (dk_platform_host(addr, &ho, &pl)) {
		result("open e1000e through VFIO", "%s", dk_last_error());
		return;
	}
	msix_refusals(&pl, addr);
	if (dk_machine_boot(&pl, &mo, &m))
		result("boot a machine on e1000e", "%s", dk_last_error());
	else
		msix_delivery(&pl, m, addr);
	dk_machine_shutdown(m);
	dk_host_close(&pl);
}

void t_no_msix(const struct dk_platform *pl, const char *addr)
{
	const char *n = "a device without MSI-X: asking for MSI-X alone is refused (-EINVAL), MSI is the fallback";
	char want[256];
	int r;

	r = dk_host_alloc_irq_vectors(pl, 1, 4, DK_HOST_IRQ_MSIX);
	snprintf(want, sizeof(want),
		 "host: %s has no MSI-X: no interrupt of the kinds asked for",
		 addr);
	REQUIRE(n, r == -EINVAL && !strcmp(dk_last_error(), want),
		"MSI-X of edu: %d: %s", r, dk_last_error());
	printf("     (%s)\n", dk_last_error());
	r = dk_host_alloc_irq_vectors(pl, 1, 4, DK_HOST_IRQ_MSIX | DK_HOST_IRQ_MSI);
	REQUIRE(n, r == 1, "MSI-X or MSI of edu: %d: %s", r, dk_last_error());
	dk_host_free_irq_vectors(pl);
	result(n, NULL);
}
