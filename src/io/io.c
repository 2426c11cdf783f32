// SPDX-License-Identifier: MIT
/*
 * ioremap() windows and the register accessors.
 *
 * A window is an inaccessible (PROT_NONE) reservation of host address
 * space, so a driver that dereferences a register pointer instead of using
 * readl() faults at once, as it should. The accessors translate a window
 * address back to the physical register and call the platform's 32-bit
 * MMIO ops; everything narrower or wider is built from those.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <dmakit/io.h>

#include "../kernel/kernel.h"

struct dk_ioremap {
	struct dk_ioremap *next;
	u8 *map;		/* the reservation, page aligned */
	size_t map_len;
	uintptr_t va;		/* what ioremap() returned */
	phys_addr_t phys;
	size_t size;
};

/* One lock for every machine's list: accessors only read it. */
static pthread_rwlock_t io_lock = PTHREAD_RWLOCK_INITIALIZER;

/* 32-bit accesses to memory whatever its declared type (a u8 buffer). */
typedef u32 __attribute__((may_alias)) u32_alias;

/* ---- windows */

static bool overlaps_ram(struct dk_machine *m, phys_addr_t addr, size_t size,
			 int *bank)
{
	phys_addr_t last = addr + size - 1;
	int i;

	for (i = 0; i < m->nram; i++) {
		phys_addr_t b = m->ram[i].base;

		if (addr <= b + m->ram[i].size - 1 && last >= b) {
			*bank = i;
			return true;
		}
	}
	return false;
}

static void *map_in(struct dk_machine *m, phys_addr_t addr, size_t size)
{
	size_t off = addr & (PAGE_SIZE - 1), len;
	struct dk_ioremap *w;
	int bank;
	void *map;

	if (!size || addr + size - 1 < addr ||
	    size > SIZE_MAX - 2 * PAGE_SIZE) {
		dk_err(-EINVAL, "ioremap(0x%llx, %zu): empty or wrapping range",
		       (unsigned long long)addr, size);
		return NULL;
	}
	if (overlaps_ram(m, addr, size, &bank)) {
		dk_err(-EINVAL,
		       "ioremap(0x%llx, %zu): overlaps RAM 0x%llx..0x%llx; memory is reached through the DMA API, not register windows",
		       (unsigned long long)addr, size,
		       (unsigned long long)m->ram[bank].base,
		       (unsigned long long)(m->ram[bank].base +
					    m->ram[bank].size - 1));
		return NULL;
	}
	len = PAGE_ALIGN(off + size);
	w = calloc(1, sizeof(*w));
	if (!w) {
		dk_err(-ENOMEM, "ioremap: out of memory");
		return NULL;
	}
	map = mmap(NULL, len, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (map == MAP_FAILED) {
		free(w);
		dk_err(-ENOMEM, "ioremap(0x%llx, %zu): no address space",
		       (unsigned long long)addr, size);
		return NULL;
	}
	w->map = map;
	w->map_len = len;
	w->va = (uintptr_t)map + off;
	w->phys = addr;
	w->size = size;
	pthread_rwlock_wrlock(&io_lock);
	w->next = m->iomaps;
	m->iomaps = w;
	pthread_rwlock_unlock(&io_lock);
	return (void *)w->va;
}

static void window_free(struct dk_ioremap *w)
{
	munmap(w->map, w->map_len);
	free(w);
}

static void unmap_in(struct dk_machine *m, const volatile void *addr,
		     const char *fn)
{
	uintptr_t a = (uintptr_t)addr;
	struct dk_ioremap **pp, *w = NULL;

	pthread_rwlock_wrlock(&io_lock);
	for (pp = m ? &m->iomaps : NULL; pp && *pp; pp = &(*pp)->next)
		if (a >= (*pp)->va && a - (*pp)->va < (*pp)->size) {
			w = *pp;
			*pp = w->next;
			break;
		}
	pthread_rwlock_unlock(&io_lock);
	if (!w) {
		dk_warn("%s(%p): not an address ioremap() returned", fn,
			(const void *)addr);
		return;
	}
	window_free(w);
}

void __iomem *ioremap(phys_addr_t addr, size_t size)
{
	struct dk_machine *m = dk_machine_of();

	return m ? map_in(m, addr, size) : NULL;
}

void iounmap(volatile void __iomem *addr)
{
	if (addr)
		unmap_in(dk_machine_current(), addr, "iounmap");
}

void dk_io_fini(struct dk_machine *m)
{
	struct dk_ioremap *w;

	pthread_rwlock_wrlock(&io_lock);
	while ((w = m->iomaps)) {
		m->iomaps = w->next;
		window_free(w);
	}
	pthread_rwlock_unlock(&io_lock);
}

/* devres data: unbind may run on a thread with another current machine. */
struct devm_iomap {
	struct dk_machine *m;
	void *va;
};

static void devm_iomap_release(void *data)
{
	struct devm_iomap *d = data;

	unmap_in(d->m, d->va, "devm_iounmap");
	free(d);
}

void __iomem *devm_ioremap(struct device *dev, phys_addr_t offset,
			   size_t size)
{
	struct devm_iomap *d;

	if (!dk_dev_live(dev)) {
		dk_err(-EINVAL, "devm_ioremap: NULL device");
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		dk_err(-ENOMEM, "devm_ioremap: out of memory");
		return NULL;
	}
	d->m = dev->machine;
	d->va = map_in(dev->machine, offset, size);
	if (!d->va) {
		free(d);
		return NULL;
	}
	if (dk_devres_add(dev, devm_iomap_release, free, d)) {
		devm_iomap_release(d);
		return NULL;
	}
	return d->va;
}

static bool same_va(void *data, void *va)
{
	return ((struct devm_iomap *)data)->va == va;
}

void devm_iounmap(struct device *dev, void __iomem *addr)
{
	struct devm_iomap *d = dk_devres_take(dev, devm_iomap_release,
					      same_va, addr);

	if (!d) {
		dk_warn("devm_iounmap(%s, %p): not from devm_ioremap()",
			dev_name(dev), addr);
		return;
	}
	devm_iomap_release(d);
}

enum where { IN_WINDOW, IN_NONE, STRADDLES };

/*
 * Where [@addr, @addr + @len) is: wholly inside one window (then *@pa is
 * its physical address), clear of every window's reservation, or partly
 * in one (which includes the inaccessible slack around a window).
 */
static enum where lookup(struct dk_machine *m, const volatile void *addr,
			 size_t len, phys_addr_t *pa)
{
	uintptr_t a = (uintptr_t)addr, end = a + len;
	enum where r = IN_NONE;
	struct dk_ioremap *w;

	if (!m)
		return IN_NONE;
	if (end < a)
		return STRADDLES;
	pthread_rwlock_rdlock(&io_lock);
	for (w = m->iomaps; w; w = w->next) {
		uintptr_t lo = (uintptr_t)w->map, hi = lo + w->map_len;

		if (end <= lo || a >= hi)
			continue;
		if (a >= w->va && end <= w->va + w->size) {
			*pa = w->phys + (a - w->va);
			r = IN_WINDOW;
		} else {
			r = STRADDLES;
		}
		break;
	}
	pthread_rwlock_unlock(&io_lock);
	return r;
}

int dk_io_where(struct dk_machine *m, const volatile void *addr, size_t len,
		phys_addr_t *pa)
{
	switch (lookup(m, addr, len, pa)) {
	case IN_WINDOW:
		return 1;
	case IN_NONE:
		return 0;
	default:
		return -1;
	}
}

/* ---- register accessors */

/* The machine and physical address of a @width-byte register access. */
static struct dk_machine *reg(const char *fn, const volatile void *addr,
			      unsigned int width, phys_addr_t *pa)
{
	struct dk_machine *m = dk_machine_current();

	if ((uintptr_t)addr % width) {
		dk_warn("%s(%p): unaligned %u-byte register access", fn,
			(const void *)addr, width);
		return NULL;
	}
	if (lookup(m, addr, width, pa) != IN_WINDOW) {
		dk_warn("%s(%p): not inside any ioremap() window", fn,
			(const void *)addr);
		return NULL;
	}
	return m;
}

static u32 rd32(struct dk_machine *m, phys_addr_t pa)
{
	return m->pl.ops->mmio_read32(m->pl.ctx, pa);
}

static void wr32(struct dk_machine *m, const char *fn,
		 const volatile void *addr, phys_addr_t pa, u32 v)
{
	if (m->pl.ops->mmio_write32(m->pl.ctx, pa, v))
		dk_warn("%s(%p): %s", fn, (const void *)addr, dk_last_error());
}

static u64 io_read(const char *fn, const volatile void *addr,
		   unsigned int width)
{
	struct dk_machine *m;
	phys_addr_t pa;
	unsigned int shift;
	u64 lo;

	m = reg(fn, addr, width, &pa);
	if (!m)
		return width == 8 ? ~0ULL : (1ULL << (8 * width)) - 1;
	if (width == 8) {
		lo = rd32(m, pa);
		return lo | (u64)rd32(m, pa + 4) << 32;
	}
	shift = 8 * (pa & 3);
	lo = rd32(m, pa & ~(phys_addr_t)3) >> shift;
	return width == 4 ? lo : lo & ((1ULL << (8 * width)) - 1);
}

static void io_write(const char *fn, volatile void *addr, unsigned int width,
		     u64 v)
{
	struct dk_machine *m;
	phys_addr_t pa, word;
	unsigned int shift;
	u32 mask, old;

	m = reg(fn, addr, width, &pa);
	if (!m)
		return;
	if (width == 8) {
		wr32(m, fn, addr, pa, (u32)v);
		wr32(m, fn, addr, pa + 4, (u32)(v >> 32));
		return;
	}
	if (width == 4) {
		wr32(m, fn, addr, pa, (u32)v);
		return;
	}
	/* 32-bit registers only: merge the lane into the word. */
	word = pa & ~(phys_addr_t)3;
	shift = 8 * (pa & 3);
	mask = (u32)((1ULL << (8 * width)) - 1) << shift;
	old = rd32(m, word);
	wr32(m, fn, addr, word, (old & ~mask) | (((u32)v << shift) & mask));
}

u8 readb_relaxed(const volatile void __iomem *addr)
{
	return io_read("readb_relaxed", addr, 1);
}

u16 readw_relaxed(const volatile void __iomem *addr)
{
	return io_read("readw_relaxed", addr, 2);
}

u32 readl_relaxed(const volatile void __iomem *addr)
{
	return io_read("readl_relaxed", addr, 4);
}

u64 readq_relaxed(const volatile void __iomem *addr)
{
	return io_read("readq_relaxed", addr, 8);
}

void writeb_relaxed(u8 value, volatile void __iomem *addr)
{
	io_write("writeb_relaxed", addr, 1, value);
}

void writew_relaxed(u16 value, volatile void __iomem *addr)
{
	io_write("writew_relaxed", addr, 2, value);
}

void writel_relaxed(u32 value, volatile void __iomem *addr)
{
	io_write("writel_relaxed", addr, 4, value);
}

void writeq_relaxed(u64 value, volatile void __iomem *addr)
{
	io_write("writeq_relaxed", addr, 8, value);
}

void dk_io_drain_writes(void)
{
	struct dk_machine *m = dk_machine_current();

	if (m && m->pl.ops->drain_writes)
		m->pl.ops->drain_writes(m->pl.ctx);
}

void dk_io_order_loads(void)
{
	struct dk_machine *m = dk_machine_current();

	if (m && m->pl.ops->order_loads)
		m->pl.ops->order_loads(m->pl.ctx);
}

/* Ordered reads: nothing later may be read before the register. */
static u64 read_ordered(const char *fn, const volatile void *addr,
			unsigned int width)
{
	u64 v = io_read(fn, addr, width);

	rmb();
	return v;
}

/* Ordered writes: everything earlier is visible before the register. */
static void write_ordered(const char *fn, volatile void *addr,
			  unsigned int width, u64 v)
{
	wmb();
	io_write(fn, addr, width, v);
}

u8 readb(const volatile void __iomem *addr)
{
	return read_ordered("readb", addr, 1);
}

u16 readw(const volatile void __iomem *addr)
{
	return read_ordered("readw", addr, 2);
}

u32 readl(const volatile void __iomem *addr)
{
	return read_ordered("readl", addr, 4);
}

u64 readq(const volatile void __iomem *addr)
{
	return read_ordered("readq", addr, 8);
}

void writeb(u8 value, volatile void __iomem *addr)
{
	write_ordered("writeb", addr, 1, value);
}

void writew(u16 value, volatile void __iomem *addr)
{
	write_ordered("writew", addr, 2, value);
}

void writel(u32 value, volatile void __iomem *addr)
{
	write_ordered("writel", addr, 4, value);
}

void writeq(u64 value, volatile void __iomem *addr)
{
	write_ordered("writeq", addr, 8, value);
}

u8 ioread8(const volatile void __iomem *addr)
{
	return read_ordered("ioread8", addr, 1);
}

u16 ioread16(const volatile void __iomem *addr)
{
	return read_ordered("ioread16", addr, 2);
}

u32 ioread32(const volatile void __iomem *addr)
{
	return read_ordered("ioread32", addr, 4);
}

void iowrite8(u8 value, volatile void __iomem *addr)
{
	write_ordered("iowrite8", addr, 1, value);
}

void iowrite16(u16 value, volatile void __iomem *addr)
{
	write_ordered("iowrite16", addr, 2, value);
}

void iowrite32(u32 value, volatile void __iomem *addr)
{
	write_ordered("iowrite32", addr, 4, value);
}

/* ---- block transfers */

/* Where a block transfer goes; false if it was reported. */
static bool block_target(const char *fn, const volatile void *addr,
			 const void *buf, size_t count, bool *mmio)
{
	phys_addr_t pa;

	if (!addr || !buf) {
		dk_err_log(-EINVAL, "%s(%p, %zu bytes): NULL %s", fn,
			   (const void *)addr, count,
			   addr ? "buffer" : "I/O address");
		return false;
	}
	switch (lookup(dk_machine_current(), addr, count, &pa)) {
	case IN_WINDOW:
		*mmio = true;
		return true;
	case IN_NONE:
		*mmio = false;
		return true;
	default:
		dk_warn("%s(%p, %zu bytes): runs outside its ioremap() window",
			fn, (const void *)addr, count);
		return false;
	}
}

void memcpy_fromio(void *to, const volatile void __iomem *from, size_t count)
{
	const volatile u8 *s = from;
	u8 *d = to;
	bool mmio;
	u32 v;

	/* Refused: @to is left alone, since its size is only known to be
	 * @count, which is what is wrong. */
	if (!count || !block_target("memcpy_fromio", from, to, count, &mmio))
		return;
	for (; count && (uintptr_t)s & 3; count--, s++)
		*d++ = mmio ? io_read("memcpy_fromio", s, 1) : *s;
	for (; count >= 4; count -= 4, s += 4, d += 4) {
		v = mmio ? io_read("memcpy_fromio", s, 4) :
			   *(const volatile u32_alias *)s;
		memcpy(d, &v, 4);
	}
	for (; count; count--, s++)
		*d++ = mmio ? io_read("memcpy_fromio", s, 1) : *s;
}

void memcpy_toio(volatile void __iomem *to, const void *from, size_t count)
{
	volatile u8 *d = to;
	const u8 *s = from;
	bool mmio;
	u32 v;

	if (!count || !block_target("memcpy_toio", to, from, count, &mmio))
		return;
	for (; count && (uintptr_t)d & 3; count--, d++, s++) {
		if (mmio)
			io_write("memcpy_toio", d, 1, *s);
		else
			*d = *s;
	}
	for (; count >= 4; count -= 4, d += 4, s += 4) {
		memcpy(&v, s, 4);
		if (mmio)
			io_write("memcpy_toio", d, 4, v);
		else
			*(volatile u32_alias *)d = v;
	}
	for (; count; count--, d++, s++) {
		if (mmio)
			io_write("memcpy_toio", d, 1, *s);
		else
			*d = *s;
	}
}

void memset_io(volatile void __iomem *addr, int value, size_t count)
{
	volatile u8 *d = addr;
	u8 b = (u8)value;
	u32 v = 0x01010101u * b;
	bool mmio;

	if (!count || !block_target("memset_io", addr, &b, count, &mmio))
		return;
	for (; count && (uintptr_t)d & 3; count--, d++) {
		if (mmio)
			io_write("memset_io", d, 1, b);
		else
			*d = b;
	}
	for (; count >= 4; count -= 4, d += 4) {
		if (mmio)
			io_write("memset_io", d, 4, v);
		else
			*(volatile u32_alias *)d = v;
	}
	for (; count; count--, d++) {
		if (mmio)
			io_write("memset_io", d, 1, b);
		else
			*d = b;
	}
}
