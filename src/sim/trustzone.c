// SPDX-License-Identifier: MIT
/*
 * TrustZone: the CPU's two worlds, the secure monitor call, CPU accesses
 * checked as the interconnect checks a non-secure master's, and DMA with a
 * per-access NS bit. See <dmakit/trustzone.h>.
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include <dmakit/models/tzasc.h>
#include <dmakit/trustzone.h>

#include "../core/rawmem.h"
#include "soc_internal.h"

bool dk_tz_refuses(const struct dk_soc *soc, u64 pa, u64 *room)
{
	const struct dk_tz_region *win = NULL;
	u64 next = ~0ULL;
	int i;

	if (!soc->tz.present) {
		*room = ~0ULL;
		return false;
	}
	/* Highest-numbered region decides; the answer holds up to the next
	 * edge of any enabled region above @pa. */
	for (i = 0; i < DK_TZASC_REGIONS; i++) {
		const struct dk_tz_region *r = &soc->tz.r[i];

		if (!(r->attr & DK_TZASC_ATTR_EN) || !r->size)
			continue;
		if (r->base > pa && r->base - pa < next)
			next = r->base - pa;
		if (pa >= r->base && pa - r->base < r->size) {
			win = r;
			if (r->size - (pa - r->base) < next)
				next = r->size - (pa - r->base);
		}
	}
	*room = next;
	return win && !(win->attr & DK_TZASC_ATTR_NS);
}

enum dk_world dk_soc_cpu_world(const struct dk_soc *soc)
{
	if (!dk_soc_ok(soc, "dk_soc_cpu_world"))
		return DK_WORLD_NONSECURE;
	return atomic_load(&soc->cpu_world) ? DK_WORLD_SECURE :
							    DK_WORLD_NONSECURE;
}

/* Whether a normal-world access to [pa, pa + len) touches secure memory;
 * *@at is the first secure byte. soc->lock held. */
static bool secure_memory(const struct dk_soc *soc, u64 pa, size_t len,
			  u64 *at)
{
	u64 off = 0, room;
	int i;

	for (i = 0; i < soc->nsecure; i++) {
		const struct dk_bank *s = &soc->secure[i];

		if (pa <= s->base + s->size - 1 && s->base <= pa + len - 1) {
			*at = s->base > pa ? s->base : pa;
			return true;
		}
	}
	while (off < len) {
		if (dk_tz_refuses(soc, pa + off, &room)) {
			*at = pa + off;
			return true;
		}
		if (room >= len - off)
			break;
		off += room;
	}
	return false;
}

/* @w: the world of the access (its NS bit); -1: the CPU's own. */
static int cpu_access(struct dk_soc *soc, int w, phys_addr_t pa, void *buf,
		      size_t len, bool write, const char *fn)
{
	const char *what = write ? "write" : "read";
	struct dk_fault f = { 0 };
	struct dk_ram_bank *b;
	bool secure, in_secure;
	u64 at;
	int i, r = 0;

	if (!dk_soc_ok(soc, fn))
		return -EINVAL;
	if (!buf || !len)
		return dk_err(-EINVAL, "CPU %s: NULL or empty buffer", what);
	if (w == DK_WORLD_SECURE && !atomic_load(&soc->cpu_world))
		return dk_err(-EPERM, "%s: the normal world cannot make a secure (NS = 0) access",
			      fn);
	secure = w == -1 ? atomic_load(&soc->cpu_world) : w == DK_WORLD_SECURE;
	pthread_mutex_lock(&soc->lock);
	i = dk_ram_find(soc, pa, len);
	if (i < 0) {
		pthread_mutex_unlock(&soc->lock);
		return dk_err(-EINVAL,
			      "CPU %s of %zu bytes at 0x%llx: not inside one RAM bank",
			      what, len, (unsigned long long)pa);
	}
	in_secure = secure_memory(soc, pa, len, &at);
	if (!secure && in_secure) {
		f.device = "cpu";
		f.dev_addr = pa;
		f.bus_addr = pa;
		f.phys = at;
		f.len = len;
		f.write = write;
		f.reason = DK_FAULT_TZASC;
		f.time = soc->now;
		dk_fault_record(soc, &f);
		pthread_mutex_unlock(&soc->lock);
		return dk_err(-EFAULT,
			      "CPU (non-secure %s) %s of %zu bytes at 0x%llx: secure memory at 0x%llx",
			      atomic_load(&soc->cpu_world) ? "access" : "world",
			      what, len, (unsigned long long)pa,
			      (unsigned long long)at);
	}
	b = &soc->banks[i];
	/* NS = 0 to memory the normal world may use too: the secure lines,
	 * which its lines never hit (tz_lines.c). Secure memory has no
	 * non-secure lines: the CPU's view of it is the secure world's. */
	if (secure && !in_secure)
		r = dk_tz_lines_access(soc, b, pa - b->b.base, buf, len,
				       write);
	else if (write)
		dk_raw_copy(b->cpu + (pa - b->b.base), buf, len);
	else
		dk_raw_copy(buf, b->cpu + (pa - b->b.base), len);
	pthread_mutex_unlock(&soc->lock);
	return r;
}

int dk_cpu_read(struct dk_soc *soc, phys_addr_t pa, void *buf, size_t len)
{
	return cpu_access(soc, -1, pa, buf, len, false, "dk_cpu_read");
}

int dk_cpu_write(struct dk_soc *soc, phys_addr_t pa, const void *buf,
		 size_t len)
{
	return cpu_access(soc, -1, pa, (void *)buf, len, true, "dk_cpu_write");
}

static int world_access(struct dk_soc *soc, enum dk_world w, phys_addr_t pa,
			void *buf, size_t len, bool write, const char *fn)
{
	if (w != DK_WORLD_SECURE && w != DK_WORLD_NONSECURE)
		return dk_err(-EINVAL, "%s: world %d", fn, (int)w);
	return cpu_access(soc, (int)w, pa, buf, len, write, fn);
}

int dk_cpu_read_world(struct dk_soc *soc, enum dk_world w, phys_addr_t pa,
		      void *buf, size_t len)
{
	return world_access(soc, w, pa, buf, len, false, "dk_cpu_read_world");
}

int dk_cpu_write_world(struct dk_soc *soc, enum dk_world w, phys_addr_t pa,
		       const void *buf, size_t len)
{
	return world_access(soc, w, pa, (void *)buf, len, true,
			    "dk_cpu_write_world");
}

int dk_dev_dma_world(struct dk_simdev *dev, enum dk_world w, bool write,
		     dma_addr_t addr, void *buf, size_t len)
{
	bool secure = w == DK_WORLD_SECURE;

	if (!dk_simdev_ok(dev, "dk_dev_dma_world"))
		return -EINVAL;
	if (w != DK_WORLD_SECURE && w != DK_WORLD_NONSECURE)
		return dk_err(-EINVAL, "dk_dev_dma_world: world %d", (int)w);
	if (!dev->d.tz_aware && secure != dev->d.secure_master)
		return dk_err(-EPERM,
			      "%s: not TrustZone-aware; its gasket makes every access %s",
			      dev->d.name,
			      dev->d.secure_master ? "secure" : "non-secure");
	return dk_bus_access(dev, addr, buf, len, write, secure);
}

/* ---- the secure monitor */

static struct dk_simdev *tzasc_of(struct dk_soc *soc)
{
	int i;

	for (i = 0; i < soc->ndevs; i++)
		if (!strcmp(soc->devs[i].d.compatible, "dmakit,tzasc"))
			return &soc->devs[i];
	return NULL;
}

static u32 reg(struct dk_simdev *t, u64 off)
{
	return dk_dev_mmio_read32(t, off);
}

/* The built-in firmware: what a TEE's TZASC service does, through the
 * controller's registers, from the secure world. */
static long firmware(void *arg, struct dk_soc *soc, u32 fid, const u64 a[4])
{
	struct dk_simdev *t = tzasc_of(soc);
	u32 denied, n;
	u64 r;

	(void)arg;
	if (fid != DK_SMC_TZASC_REGION && fid != DK_SMC_TZASC_LOCK)
		return dk_err(-EOPNOTSUPP, "SMC 0x%08x: no such function", fid);
	if (!t)
		return dk_err(-ENODEV, "SMC 0x%08x: the SoC has no TZASC", fid);
	if (reg(t, DK_TZASC_LOCK))
		return dk_err(-EPERM,
			      "SMC 0x%08x: the TZASC is locked until reset", fid);
	if (fid == DK_SMC_TZASC_LOCK)
		return dk_dev_mmio_write32(t, DK_TZASC_LOCK, 1);
	n = reg(t, DK_TZASC_CONFIG);
	if (a[0] >= n || a[3] & ~(u64)(DK_TZASC_ATTR_EN | DK_TZASC_ATTR_NS))
		return dk_err(-EINVAL,
			      "SMC TZASC region %llu, attributes 0x%llx: %u regions, attributes EN|NS",
			      (unsigned long long)a[0],
			      (unsigned long long)a[3], n);
	r = DK_TZASC_REGION(a[0]);
	denied = reg(t, DK_TZASC_DENIED);
	dk_dev_mmio_write32(t, r + DK_TZASC_ATTR, 0);
	dk_dev_mmio_write32(t, r + DK_TZASC_BASE_LO, (u32)a[1]);
	dk_dev_mmio_write32(t, r + DK_TZASC_BASE_HI, (u32)(a[1] >> 32));
	dk_dev_mmio_write32(t, r + DK_TZASC_SIZE_LO, (u32)a[2]);
	dk_dev_mmio_write32(t, r + DK_TZASC_SIZE_HI, (u32)(a[2] >> 32));
	dk_dev_mmio_write32(t, r + DK_TZASC_ATTR, (u32)a[3]);
	if (reg(t, DK_TZASC_DENIED) != denied)
		return dk_err(-EINVAL,
			      "SMC TZASC region %llu: base 0x%llx size 0x%llx not 4 KiB aligned",
			      (unsigned long long)a[0],
			      (unsigned long long)a[1],
			      (unsigned long long)a[2]);
	return 0;
}

int dk_soc_set_secure_monitor(struct dk_soc *soc, dk_secure_monitor_fn fn,
			      void *arg)
{
	if (!dk_soc_ok(soc, "dk_soc_set_secure_monitor"))
		return -EINVAL;
	if (atomic_load(&soc->cpu_world))
		return dk_err(-EBUSY,
			      "dk_soc_set_secure_monitor: not while an SMC runs");
	soc->monitor = fn;
	soc->monitor_arg = arg;
	return 0;
}

long dk_smc(struct dk_soc *soc, u32 fid, u64 a1, u64 a2, u64 a3, u64 a4)
{
	const u64 a[4] = { a1, a2, a3, a4 };
	int normal = 0;
	long r;

	if (!dk_soc_ok(soc, "dk_smc"))
		return -EINVAL;
	if (!atomic_compare_exchange_strong(&soc->cpu_world,
					    &normal, 1))
		return dk_err(-EBUSY, "SMC 0x%08x from the secure world", fid);
	dk_tz_map_open(soc);
	r = soc->monitor ? soc->monitor(soc->monitor_arg, soc, fid, a) :
			   firmware(NULL, soc, fid, a);
	atomic_store(&soc->cpu_world, 0);
	/* The TZASC may say otherwise now. */
	dk_tz_map_close(soc);
	return r;
}
