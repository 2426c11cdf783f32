// SPDX-License-Identifier: MIT
/*
 * The interconnect: the one path every device access takes. Device address
 * -> truncation to the wired bits -> dma-ranges -> firewall -> RAM with the
 * device's coherence rules. An access is split where it crosses a window or
 * bank edge and checked whole before any byte moves, so a refused access
 * changes nothing.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/rawmem.h"
#include "soc_internal.h"

struct chunk {
	struct dk_ram_bank *bank;
	u64 off;
	size_t len;
	u64 bus;
	phys_addr_t phys;
	bool coherent;		/* snoops: the master's, or the IOMMU entry's */
};

static u64 wired_mask(const struct dk_devdesc *d)
{
	return d->address_bits >= 64 ? ~0ULL : (1ULL << d->address_bits) - 1;
}

static u64 min3(u64 a, u64 b, u64 c)
{
	u64 m = a < b ? a : b;

	return m < c ? m : c;
}

/*
 * Route the first piece of an access at @addr of up to @len bytes.
 * Returns 0, or 1 + the fault reason with @f filled in.
 */
static int route(struct dk_soc *soc, const struct dk_devdesc *d,
		 struct dk_iommu_ctx *ctx, u64 addr, size_t len, bool write,
		 bool secure, struct chunk *ck, struct dk_fault *f)
{
	u64 mask = wired_mask(d), bus = addr & mask, room = mask - bus + 1;
	u64 phys = bus, wroom = ~0ULL, broom;
	int i;

	if (!room)
		room = ~0ULL;	/* all 64 bits wired: no wrap below 2^64 */
	f->bus_addr = bus;
	f->phys = 0;
	ck->coherent = d->hw_coherent;
	if (ctx) {
		/* The IOMMU's output is a CPU physical address. */
		int r = dk_iommu_translate(soc, ctx, bus, write, &phys, &wroom,
					   &ck->coherent);

		if (r)
			return r;
	} else if (d->n_dma_ranges) {
		for (i = 0; i < d->n_dma_ranges; i++) {
			const struct dk_dma_range *w = &d->dma_ranges[i];

			if (bus >= w->bus && bus - w->bus < w->size) {
				phys = bus - w->bus + w->cpu;
				wroom = w->size - (bus - w->bus);
				break;
			}
		}
		if (i == d->n_dma_ranges)
			return 1 + DK_FAULT_NO_WINDOW;
	}
	f->phys = phys;
	i = dk_ram_find(soc, phys, 1);
	if (i < 0)
		return 1 + DK_FAULT_NO_MEMORY;
	broom = soc->banks[i].b.base + soc->banks[i].b.size - phys;
	ck->len = min3(len, room, min3(wroom, broom, ~0ULL));
	ck->bank = &soc->banks[i];
	ck->off = phys - soc->banks[i].b.base;
	ck->bus = bus;
	ck->phys = phys;
	if (!secure) {
		u64 tzroom;

		if (dk_tz_refuses(soc, phys, &tzroom))
			return 1 + DK_FAULT_TZASC;
		if (ck->len > tzroom)
			ck->len = tzroom;
		for (i = 0; i < soc->nsecure; i++) {
			const struct dk_bank *s = &soc->secure[i];

			if (phys <= s->base + s->size - 1 &&
			    s->base <= phys + ck->len - 1)
				return 1 + DK_FAULT_FIREWALL;
		}
	}
	return 0;
}

void dk_fault_record(struct dk_soc *soc, const struct dk_fault *f)
{
	if (soc->nfaults == soc->cap_faults) {
		size_t cap = soc->cap_faults ? soc->cap_faults * 2 : 16;
		struct dk_fault *n = realloc(soc->faults, cap * sizeof(*n));

		if (!n)
			return;	/* losing a fault record beats crashing */
		soc->faults = n;
		soc->cap_faults = cap;
	}
	soc->faults[soc->nfaults++] = *f;
}

/*
 * Runs of the same kind that touch merge, so a 1 MiB write-back over a
 * 1 MiB device write is one event. Losing events to an allocation
 * failure beats failing the access: the observer only watches.
 */
void dk_ev_note(struct dk_soc *soc, enum dk_dma_event_type type,
		phys_addr_t pa, size_t len)
{
	struct dk_ev_log *log = soc->ev_log;
	struct dk_dma_event *e;

	if (!log)
		return;
	e = log->n ? &log->ev[log->n - 1] : NULL;
	if (e && e->type == type && e->pa + e->len == pa) {
		e->len += len;
		return;
	}
	if (log->n == log->cap) {
		int cap = log->cap ? 2 * log->cap : 8;
		struct dk_dma_event *n = realloc(log->ev, cap * sizeof(*n));

		if (!n)
			return;
		log->ev = n;
		log->cap = cap;
	}
	log->ev[log->n++] = (struct dk_dma_event){ .type = type, .pa = pa,
						   .len = len };
}

static void coherent_read(struct dk_soc *soc, struct chunk *c, u8 *buf)
{
	u64 l = soc->cache.line, o = c->off, end = c->off + c->len;
	u8 *start = buf;

	while (o < end) {
		u64 line = dk_align_down(o, l), n = line + l - o;

		if (n > end - o)
			n = end - o;
		/* The snoop returns dirty data from the CPU's cache. */
		dk_raw_copy(buf, (dk_line_is_dirty(soc, c->bank, line) ?
				  c->bank->cpu : c->bank->mem) + o, n);
		buf += n;
		o += n;
	}
	/* Stores still in the buffer in front of the cache. */
	if (unlikely(c->bank->sb_refs))
		dk_sb_device_read(soc, c->bank, c->off, c->len, start);
}

static void coherent_write(struct dk_soc *soc, const struct dk_devdesc *d,
			   struct chunk *c, const u8 *buf)
{
	u64 l = soc->cache.line, o = c->off, end = c->off + c->len;

	while (o < end) {
		u64 line = dk_align_down(o, l), n = line + l - o;

		if (n > end - o)
			n = end - o;
		if (d->write_allocate) {
			/* Lands in the CPU's cache; DRAM stays old until
			 * the line is written back. */
			dk_raw_copy(c->bank->cpu + o, buf, n);
		} else {
			dk_line_clean(soc, c->bank, line);
			memcpy(c->bank->mem + o, buf, n);
			dk_line_inval(soc, c->bank, line);
		}
		/* After the line took it: the cache's copy is mirrored too. */
		if (unlikely(c->bank->wb_refs))
			dk_wb_mirror(soc, c->bank, o, n);
		buf += n;
		o += n;
	}
}

static void transfer(struct dk_soc *soc, const struct dk_devdesc *d,
		     struct chunk *c, bool write, u8 *buf)
{
	if (c->coherent) {
		if (write)
			coherent_write(soc, d, c, buf);
		else
			coherent_read(soc, c, buf);
		return;
	}
	dk_policy_before(soc, c->bank, c->off, c->len, write);
	/* Only banks with bufferable pages have a write buffer to mind,
	 * and writes that CPU loads may not see yet (lbuf.c). */
	if (unlikely(c->bank->wb_refs) && write &&
	    dk_lb_hold(soc, c->bank, c->off, c->len, buf)) {
		dk_policy_after(soc, c->bank, c->off, c->len, write);
		return;
	}
	if (write)
		memcpy(c->bank->mem + c->off, buf, c->len);
	else
		memcpy(buf, c->bank->mem + c->off, c->len);
	if (unlikely(soc->nvipt) && !write)
		dk_vipt_device_read(soc, c->bank, c->off, c->len);
	if (unlikely(c->bank->wb_refs)) {
		if (write) {
			dk_wb_mirror(soc, c->bank, c->off, c->len);
		} else {
			dk_wb_device_read(soc, c->bank, c->off, c->len, buf);
			if (unlikely(soc->nlb))
				dk_lb_device_read(soc, c->bank, c->off,
						  c->len, buf);
		}
	}
	dk_policy_after(soc, c->bank, c->off, c->len, write);
}

static int walk(struct dk_simdev *dev, u64 addr, size_t len, bool write,
		bool secure, bool do_it, void *buf, struct dk_fault *f,
		phys_addr_t *first)
{
	struct dk_soc *soc = dev->soc;
	struct dk_iommu_ctx *ctx = dk_iommu_active(dev);
	size_t done = 0;
	bool start = true;

	while (len) {
		struct chunk c;
		int r = route(soc, &dev->d, ctx, addr, len, write, secure, &c,
			      f);

		if (r) {
			f->reason = r - 1;
			return r;
		}
		if (start && first)
			*first = c.phys;
		start = false;
		if (do_it) {
			/* Before the policy's write-backs after a write. */
			dk_ev_note(soc, write ? DK_EV_DEVICE_WRITE :
						DK_EV_DEVICE_READ,
				   c.phys, c.len);
			transfer(soc, &dev->d, &c, write, (u8 *)buf + done);
		}
		done += c.len;
		addr = c.bus + c.len;	/* wraps inside the wired space */
		len -= c.len;
	}
	return 0;
}

/* Whether the IOMMU refused the access, and why in its own terms. */
static bool iommu_reason(enum dk_fault_reason r,
			 enum dk_iommu_fault_reason *out)
{
	switch (r) {
	case DK_FAULT_IOMMU_UNMAPPED:
		*out = DK_IOMMU_FAULT_TRANSLATION;
		return true;
	case DK_FAULT_IOMMU_PERMISSION:
		*out = DK_IOMMU_FAULT_PERMISSION;
		return true;
	case DK_FAULT_IOMMU_ADDRESS_SIZE:
		*out = DK_IOMMU_FAULT_ADDRESS_SIZE;
		return true;
	default:
		return false;
	}
}

int dk_bus_access(struct dk_simdev *dev, dma_addr_t addr, void *buf,
		  size_t len, bool write, int secure)
{
	struct dk_soc *soc;
	struct dk_fault f = { 0 };
	struct dk_ev_log log = { 0 };
	dk_dma_observer_fn obs;
	void *obs_arg;
	void (*fault_fn)(void *, const struct dk_iommu_fault *);
	void *fault_arg;
	struct dk_iommu_fault iof;
	int r, i;

	if (!dk_simdev_ok(dev, write ? "dk_dev_dma_write" : "dk_dev_dma_read"))
		return -EINVAL;
	if (!buf)
		return dk_err(-EINVAL, "device DMA: NULL buffer");
	if (!len)
		return 0;
	if (addr + len - 1 < addr)
		return dk_err(-EINVAL,
			      "%s: DMA of %zu bytes at 0x%llx overflows the address space",
			      dev->d.name, len, (unsigned long long)addr);
	if (secure < 0)
		secure = dev->d.secure_master;
	soc = dev->soc;
	pthread_mutex_lock(&soc->lock);
	r = walk(dev, addr, len, write, secure, false, buf, &f, NULL);
	obs = soc->observer;
	obs_arg = soc->observer_arg;
	if (!r) {
		soc->ev_log = obs ? &log : NULL;
		/* The IOMMU's table writers take no SoC lock: a page they
		 * unmapped since the first walk faults this one, and the
		 * access with it (what it moved before is moved). */
		r = walk(dev, addr, len, write, secure, true, buf, &f, NULL);
		soc->ev_log = NULL;
	}
	fault_fn = NULL;
	if (r) {
		f.device = dev->d.name;
		f.dev_addr = addr;
		f.len = len;
		f.write = write;
		f.time = soc->now;
		f.stream = dev->d.n_iommu_args ? dev->d.iommu_args[0] : 0;
		dk_fault_record(soc, &f);
		fault_fn = iommu_reason(f.reason, &iof.reason) ?
				   soc->iommu_fault_fn : NULL;
		fault_arg = soc->iommu_fault_arg;
	}
	pthread_mutex_unlock(&soc->lock);
	/* Outside the lock: the observer may call back into the SoC. */
	for (i = 0; i < log.n; i++) {
		log.ev[i].device = dev->d.name;
		log.ev[i].hw_coherent = dev->d.hw_coherent;
		obs(obs_arg, &log.ev[i]);
	}
	free(log.ev);
	if (!r)
		return 0;
	if (fault_fn) {
		iof.device = dev->d.name;
		iof.stream = f.stream;
		iof.iova = f.bus_addr;
		iof.write = write;
		fault_fn(fault_arg, &iof);
	}
	/* An IOMMU refusal has no physical address (it printed as a
	 * misleading "phys 0x0"): name the stream the IOMMU saw. */
	if (iommu_reason(f.reason, &iof.reason))
		return dk_err(-EFAULT,
			      "%s: DMA %s of %zu bytes at 0x%llx (bus 0x%llx, IOMMU stream 0x%x): %s",
			      dev->d.name, write ? "write" : "read",
			      len, (unsigned long long)addr,
			      (unsigned long long)f.bus_addr,
			      (unsigned int)f.stream,
			      dk_fault_reason_name(f.reason));
	return dk_err(-EFAULT,
		      "%s: DMA %s of %zu bytes at 0x%llx (bus 0x%llx, phys 0x%llx): %s",
		      dev->d.name, write ? "write" : "read", len,
		      (unsigned long long)addr,
		      (unsigned long long)f.bus_addr,
		      (unsigned long long)f.phys,
		      dk_fault_reason_name(f.reason));
}

int dk_dev_dma_read(struct dk_simdev *dev, dma_addr_t addr, void *buf,
		    size_t len)
{
	return dk_bus_access(dev, addr, buf, len, false, -1);
}

int dk_dev_dma_write(struct dk_simdev *dev, dma_addr_t addr, const void *buf,
		     size_t len)
{
	return dk_bus_access(dev, addr, (void *)buf, len, true, -1);
}

int dk_dev_translate(struct dk_simdev *dev, dma_addr_t addr, size_t len,
		     bool write, phys_addr_t *pa)
{
	struct dk_fault f = { 0 };
	phys_addr_t first = 0;
	int r;

	if (!dk_simdev_ok(dev, "dk_dev_translate"))
		return -EINVAL;
	if (!pa || !len)
		return dk_err(-EINVAL, "dk_dev_translate: NULL or empty");
	pthread_mutex_lock(&dev->soc->lock);
	r = walk(dev, addr, len, write, dev->d.secure_master, false, NULL, &f,
		 &first);
	pthread_mutex_unlock(&dev->soc->lock);
	if (r)
		return -1 - (int)f.reason;
	*pa = first;
	return 0;
}

const char *dk_fault_reason_name(enum dk_fault_reason r)
{
	switch (r) {
	case DK_FAULT_NO_MEMORY:
		return "no memory at that address";
	case DK_FAULT_NO_WINDOW:
		return "outside every dma-ranges window";
	case DK_FAULT_FIREWALL:
		return "firewall: non-secure master, secure memory";
	case DK_FAULT_IOMMU_UNMAPPED:
		return "IOMMU: no translation for the address";
	case DK_FAULT_IOMMU_PERMISSION:
		return "IOMMU: the translation forbids this access";
	case DK_FAULT_TZASC:
		return "TZASC: non-secure access to a secure region";
	case DK_FAULT_IOMMU_ADDRESS_SIZE:
		return "IOMMU: the address is beyond the input address size";
	}
	return "unknown";
}

size_t dk_soc_nfaults(const struct dk_soc *soc)
{
	return dk_soc_ok(soc, "dk_soc_nfaults") ? soc->nfaults : 0;
}

const struct dk_fault *dk_soc_fault(const struct dk_soc *soc, size_t i)
{
	return dk_soc_ok(soc, "dk_soc_fault") && i < soc->nfaults ?
		       &soc->faults[i] : NULL;
}

void dk_soc_clear_faults(struct dk_soc *soc)
{
	if (!dk_soc_ok(soc, "dk_soc_clear_faults"))
		return;
	pthread_mutex_lock(&soc->lock);
	soc->nfaults = 0;
	pthread_mutex_unlock(&soc->lock);
}
