// SPDX-License-Identifier: MIT
/*
 * RAM banks. Each bank is three sparse host mappings: the CPU's cacheable
 * view and DRAM are memfds (so pages can be mapped a second time as
 * aliases), the last-filled copy is shared anonymous memory. All are
 * MAP_NORESERVE: a 16 GiB bank above 1 TiB costs nothing until a page
 * is touched.
 * Uncached aliases are handed out from windows mapped once per bank
 * (soc_internal.h); only cached aliases and vmaps are mappings of their own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../core/bitmap.h"
#include "../core/pageprot.h"
#include "../core/rawmem.h"
#include "soc_internal.h"

static void *map_fd(int fd, u64 size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_NORESERVE, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * The views are mapped with a tail no one touches, so that mmap,
 * placing them side by side, does not put them a power of two
 * (the bank's size) apart: a copy between buffers 256 MiB or 1 GiB
 * apart ran at 2.5 times the time of the same copy otherwise (4 KiB:
 * 106 ns against 43 on the 2-core machine), and the cache model's
 * clean and invalidate are such copies.
 */
#define VIEW_TAIL (17 * DK_PAGE_SIZE)

static int bank_init(struct dk_ram_bank *b)
{
	b->cpu_fd = memfd_create("dmakit-cpu", MFD_CLOEXEC);
	b->mem_fd = memfd_create("dmakit-dram", MFD_CLOEXEC);
	if (b->cpu_fd < 0 || b->mem_fd < 0)
		return dk_err(-ENOMEM, "memfd_create: %s", strerror(errno));
	if (ftruncate(b->cpu_fd, b->b.size) || ftruncate(b->mem_fd, b->b.size))
		return dk_err(-ENOMEM, "sizing a %llu-byte bank: %s",
			      (unsigned long long)b->b.size, strerror(errno));
	b->cpu = map_fd(b->cpu_fd, b->b.size + VIEW_TAIL);
	b->linear = map_fd(b->cpu_fd, b->b.size + VIEW_TAIL);
	b->mem = map_fd(b->mem_fd, b->b.size + VIEW_TAIL);
	/* Shared, so a page read before any write is a page of its own:
	 * a private one is the zero page then, and comparing with the
	 * zero page ran at 1.2 times a compare with a real page. */
	b->last = mmap(NULL, b->b.size + VIEW_TAIL, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (b->last == MAP_FAILED)
		b->last = NULL;
	if (!b->cpu || !b->linear || !b->mem || !b->last)
		return dk_err(-ENOMEM,
			      "cannot map a %llu-byte RAM bank at 0x%llx: %s",
			      (unsigned long long)b->b.size,
			      (unsigned long long)b->b.base, strerror(errno));
	return 0;
}

struct dk_alias *dk_alias_at(struct dk_soc *soc, const void *p)
{
	return dk_ptrhash_page_owner(&soc->alias_pages, p, DK_PAGE_SIZE);
}

static bool in(const void *p, const void *base, u64 size)
{
	return (const u8 *)p >= (const u8 *)base &&
	       (u64)((const u8 *)p - (const u8 *)base) < size;
}

static void windows_fini(struct dk_ram_bank *b)
{
	int k;

	for (k = 0; k < DK_ALIAS_WINDOWS; k++) {
		struct dk_alias_window *w = &b->win[k];

		dk_pp_span_free(w->pp);
		/* ASan keeps the poison of freed aliases past the munmap,
		 * where the next mmap may put memory of the program's. */
		if (w->va) {
			dk_raw_access(w->va, w->hi, false);
			munmap(w->va, b->b.size);
		}
		free(w->used);
		free(w->head);
		memset(w, 0, sizeof(*w));
	}
}

/* On the bank's first uncached alias; the SoC lock is held. */
static int windows_init(struct dk_ram_bank *b)
{
	size_t longs = DK_BITMAP_LONGS(b->b.size / DK_PAGE_SIZE);
	int k;

	if (b->win[0].va)
		return 0;
	for (k = 0; k < DK_ALIAS_WINDOWS; k++) {
		struct dk_alias_window *w = &b->win[k];

		w->va = map_fd(b->mem_fd, b->b.size);
		w->used = calloc(longs, sizeof(long));
		w->head = calloc(longs, sizeof(long));
		if (!w->va || !w->used || !w->head) {
			windows_fini(b);
			return dk_err(-ENOMEM, "mapping alias windows: %s",
				      strerror(errno));
		}
		/* Without one (out of spans), its pages are copied. */
		w->pp = dk_pp_span_new(w->va, b->b.size / DK_PAGE_SIZE);
	}
	return 0;
}

/*
 * The pages [@off, @off + @size) of @b in the next window where they are
 * not handed out, or NULL when every window has them (a second alias of
 * the same pages, as a user mapping is). The SoC lock is held.
 */
static void *window_alias(struct dk_ram_bank *b, u64 off, size_t size)
{
	u64 pg = off / DK_PAGE_SIZE, n = size / DK_PAGE_SIZE;
	int t;

	if (windows_init(b))
		return NULL;
	for (t = 0; t < DK_ALIAS_WINDOWS; t++) {
		unsigned int k = (b->next_win + t) % DK_ALIAS_WINDOWS;
		struct dk_alias_window *w = &b->win[k];

		if (!dk_bits_all(w->used, pg, n, false))
			continue;
		dk_bits_set(w->used, pg, n, true);
		dk_bits_set(w->head, pg, 1, true);
		if (off + size > w->hi)
			w->hi = off + size;
		b->next_win = k + 1;
		/* Inside the lock: a racing free of the same range in this
		 * window has poisoned it already. */
		dk_raw_access(w->va + off, size, false);
		return w->va + off;
	}
	return NULL;
}

/* The window holding @va, its bank and page; the SoC lock is held. */
static struct dk_alias_window *window_of(struct dk_soc *soc, const void *va,
					 u64 *pg, int *bank)
{
	int i, k;

	for (i = 0; i < soc->nbanks; i++) {
		struct dk_ram_bank *b = &soc->banks[i];

		for (k = 0; k < DK_ALIAS_WINDOWS && b->win[k].va; k++)
			if (in(va, b->win[k].va, b->b.size)) {
				*pg = ((const u8 *)va - b->win[k].va) /
				      DK_PAGE_SIZE;
				*bank = i;
				return &b->win[k];
			}
	}
	return NULL;
}

/* Take back the window alias at @va. 0, or -EINVAL if none starts there. */
static int window_unmap(struct dk_soc *soc, void *va)
{
	struct dk_alias_window *w;
	u64 pg, n, npages = 0;
	int r = -EINVAL, bank;

	pthread_mutex_lock(&soc->lock);
	w = window_of(soc, va, &pg, &bank);
	if (w)
		npages = soc->banks[bank].b.size / DK_PAGE_SIZE;
	if (w && !((uintptr_t)va & (DK_PAGE_SIZE - 1)) &&
	    dk_bit_test(w->head, pg)) {
		dk_bits_set(w->head, pg, 1, false);
		for (n = 0; !n || (pg + n < npages &&
				   dk_bit_test(w->used, pg + n) &&
				   !dk_bit_test(w->head, pg + n)); n++)
			dk_bits_set(w->used, pg + n, 1, false);
		dk_raw_access(va, n * DK_PAGE_SIZE, true);
		r = 0;
	}
	pthread_mutex_unlock(&soc->lock);
	return r;
}

static void bank_fini(struct dk_ram_bank *b)
{
	windows_fini(b);
	if (b->cpu)
		munmap(b->cpu, b->b.size + VIEW_TAIL);
	if (b->linear)
		munmap(b->linear, b->b.size + VIEW_TAIL);
	if (b->mem)
		munmap(b->mem, b->b.size + VIEW_TAIL);
	if (b->last)
		munmap(b->last, b->b.size + VIEW_TAIL);
	if (b->cpu_fd > 0)
		close(b->cpu_fd);
	if (b->mem_fd > 0)
		close(b->mem_fd);
	free(b->used);
}

int dk_ram_init(struct dk_soc *soc)
{
	int i, r;

	for (i = 0; i < soc->nbanks; i++) {
		soc->banks[i].cpu_fd = soc->banks[i].mem_fd = -1;
		r = bank_init(&soc->banks[i]);
		if (r)
			return r;
	}
	if (soc->nbanks) {
		struct dk_ram_bank *b = &soc->banks[0];

		soc->ram0.base = b->b.base;
		soc->ram0.cpu = b->cpu;
		soc->ram0.last = b->last;
		soc->ram0.mem = b->mem;
		soc->ram0.size = b->b.size;
		soc->ram0.fast = soc->cache.line == DK_RAW_LINE &&
				 soc->cache.granule == DK_RAW_LINE &&
				 dk_raw_plain;
	}
	return 0;
}

void dk_ram_fini(struct dk_soc *soc)
{
	struct dk_alias *a, *next;
	int i;

	soc->ram0.size = 0;
	/* Before the aliases go: no closed page outlives its mapping. */
	dk_tz_map_open(soc);
	for (a = soc->aliases; a; a = next) {
		next = a->next;
		if (a->last)
			munmap(a->last, a->size);
		munmap(a->va, a->size);
		free(a->pages);
		free(a->pn);
		free(a);
	}
	soc->aliases = NULL;
	dk_ptrhash_fini(&soc->alias_pages);
	dk_lb_fini(soc);
	dk_wb_fini(soc);
	for (i = 0; i < soc->nbanks; i++) {
		dk_tz_lines_fini_bank(soc, &soc->banks[i]);
		bank_fini(&soc->banks[i]);
	}
}

int dk_ram_find(const struct dk_soc *soc, phys_addr_t pa, u64 len)
{
	int i;

	if (!len || pa + len - 1 < pa)
		return -1;
	for (i = 0; i < soc->nbanks; i++) {
		const struct dk_bank *b = &soc->banks[i].b;

		if (pa >= b->base && pa + len - 1 <= b->base + b->size - 1)
			return i;
	}
	return -1;
}

void *dk_sim_linear_ptr(struct dk_soc *soc, phys_addr_t pa)
{
	int i = dk_ram_find(soc, pa, 1);

	if (i < 0) {
		dk_err(-EINVAL, "0x%llx is not RAM", (unsigned long long)pa);
		return NULL;
	}
	return soc->banks[i].linear + (pa - soc->banks[i].b.base);
}

void *dk_sim_cpu_ptr(struct dk_soc *soc, phys_addr_t pa)
{
	int i = dk_soc_ok(soc, "dk_sim_cpu_ptr") ? dk_ram_find(soc, pa, 1) : -2;

	if (i < 0) {
		if (i == -1)
			dk_err(-EINVAL, "0x%llx is not RAM", (unsigned long long)pa);
		return NULL;
	}
	return soc->banks[i].cpu + (pa - soc->banks[i].b.base);
}

void *dk_sim_dram_ptr(struct dk_soc *soc, phys_addr_t pa)
{
	int i = dk_soc_ok(soc, "dk_sim_dram_ptr") ? dk_ram_find(soc, pa, 1) : -2;

	if (i < 0) {
		if (i == -1)
			dk_err(-EINVAL, "0x%llx is not RAM", (unsigned long long)pa);
		return NULL;
	}
	return soc->banks[i].mem + (pa - soc->banks[i].b.base);
}

int dk_sim_virt_to_phys(struct dk_soc *soc, const void *p, phys_addr_t *pa)
{
	const struct dk_alias *a;
	int i, r = -EFAULT;
	u64 pg;

	if (!dk_soc_ok(soc, "dk_sim_virt_to_phys"))
		return -EINVAL;
	if (!pa)
		return dk_err(-EINVAL, "dk_sim_virt_to_phys: NULL argument");
	pthread_mutex_lock(&soc->lock);
	for (i = 0; i < soc->nbanks && r; i++) {
		const struct dk_ram_bank *b = &soc->banks[i];

		if (in(p, b->cpu, b->b.size)) {
			*pa = b->b.base + ((const u8 *)p - b->cpu);
			r = 0;
		} else if (b->linear && in(p, b->linear, b->b.size)) {
			*pa = b->b.base + ((const u8 *)p - b->linear);
			r = 0;
		} else if (in(p, b->mem, b->b.size)) {
			*pa = b->b.base + ((const u8 *)p - b->mem);
			r = 0;
		}
	}
	if (r) {
		struct dk_alias_window *w = window_of(soc, p, &pg, &i);

		if (w && dk_bit_test(w->used, pg)) {
			*pa = soc->banks[i].b.base +
			      ((const u8 *)p - w->va);
			r = 0;
		}
	}
	a = r ? dk_alias_at(soc, p) : NULL;
	if (a) {
		u64 o = (const u8 *)p - (const u8 *)a->va;

		if (a->pages)
			*pa = a->pages[o / DK_PAGE_SIZE] + o % DK_PAGE_SIZE;
		else
			*pa = soc->banks[a->bank].b.base + a->off + o;
		r = 0;
	}
	pthread_mutex_unlock(&soc->lock);
	if (r)
		dk_err(r, "%p is not a pointer into the SoC's memory", p);
	return r;
}

bool dk_sim_is_cacheable(struct dk_soc *soc, const void *p)
{
	const struct dk_alias *a;
	bool ret = false;
	int i;

	if (!dk_soc_ok(soc, "dk_sim_is_cacheable"))
		return false;
	pthread_mutex_lock(&soc->lock);
	for (i = 0; i < soc->nbanks; i++)
		if (in(p, soc->banks[i].cpu, soc->banks[i].b.size) ||
		    in(p, soc->banks[i].linear, soc->banks[i].b.size))
			ret = true;
	a = dk_alias_at(soc, p);
	if (a && a->type == DK_ALIAS_CACHED)
		ret = true;
	pthread_mutex_unlock(&soc->lock);
	return ret;
}

static void *add_alias(struct dk_soc *soc, struct dk_alias *a);

/* A bufferable mapping puts its pages behind the write buffer (wbuf.c). */
static int buffer(struct dk_soc *soc, enum dk_alias_type type, int bank,
		  u64 off, u64 size, const void *va)
{
	return dk_wb_bufferable(soc, type) ?
		       dk_wb_add(soc, bank, off, size, va) : 0;
}

void *dk_sim_map_alias(struct dk_soc *soc, phys_addr_t pa, size_t size,
		       enum dk_alias_type type)
{
	struct dk_alias *a;
	struct dk_ram_bank *b;
	int i;
	void *va;

	if (!dk_soc_ok(soc, "dk_sim_map_alias"))
		return NULL;
	if (!size || (pa | size) & (DK_PAGE_SIZE - 1) ||
	    type > DK_ALIAS_CACHED) {
		dk_err(-EINVAL,
		       "dk_sim_map_alias: 0x%llx + 0x%zx must be whole pages of a known type",
		       (unsigned long long)pa, size);
		return NULL;
	}
	i = dk_ram_find(soc, pa, size);
	if (i < 0) {
		dk_err(-EINVAL, "dk_sim_map_alias: 0x%llx + 0x%zx is not inside one RAM bank",
		       (unsigned long long)pa, size);
		return NULL;
	}
	b = &soc->banks[i];
	if (type != DK_ALIAS_CACHED) {
		bool fresh;

		pthread_mutex_lock(&soc->lock);
		fresh = !b->win[0].va;
		va = window_alias(b, pa - b->b.base, size);
		pthread_mutex_unlock(&soc->lock);
		/* New windows show secure memory too. */
		if (va && fresh)
			dk_tz_map_windows(soc);
		if (va && buffer(soc, type, i, pa - b->b.base, size, va)) {
			window_unmap(soc, va);
			return NULL;
		}
		if (va)
			return va;
	}
	a = calloc(1, sizeof(*a));
	if (!a) {
		dk_err(-ENOMEM, "out of memory");
		return NULL;
	}
	va = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
		  type == DK_ALIAS_CACHED ? b->cpu_fd : b->mem_fd,
		  pa - b->b.base);
	if (va == MAP_FAILED) {
		free(a);
		dk_err(-ENOMEM, "mapping an alias: %s", strerror(errno));
		return NULL;
	}
	if (buffer(soc, type, i, pa - b->b.base, size, va)) {
		munmap(va, size);
		free(a);
		return NULL;
	}
	a->va = va;
	a->size = size;
	a->bank = i;
	a->off = pa - b->b.base;
	a->type = type;
	return add_alias(soc, a);
}

/* The mapping of @a, out of the tables, goes. */
static void drop_alias(struct dk_soc *soc, struct dk_alias *a)
{
	dk_tz_map_forget(soc, a->va, a->size);
	if (a->last)
		dk_vipt_unmap(soc, a);
	munmap(a->va, a->size);
	free(a->pages);
	free(a->pn);
	free(a);
}

int dk_sim_unmap_alias(struct dk_soc *soc, void *va)
{
	struct dk_alias *a;

	if (!dk_soc_ok(soc, "dk_sim_unmap_alias"))
		return -EINVAL;
	dk_wb_remove(soc, va);
	if (!window_unmap(soc, va))
		return 0;
	pthread_mutex_lock(&soc->lock);
	a = dk_alias_at(soc, va);
	if (a && a->va != va)
		a = NULL;
	if (a) {
		dk_ptrhash_del_pages(&soc->alias_pages, a->pn,
				     a->size / DK_PAGE_SIZE);
		if (a->prev)
			a->prev->next = a->next;
		else
			soc->aliases = a->next;
		if (a->next)
			a->next->prev = a->prev;
	}
	pthread_mutex_unlock(&soc->lock);
	if (!a)
		return dk_err(-EINVAL, "dk_sim_unmap_alias: %p is not an alias",
			      va);
	drop_alias(soc, a);
	return 0;
}

/* Record @a; else its mapping goes, NULL. */
static void *add_alias(struct dk_soc *soc, struct dk_alias *a)
{
	size_t n = a->size / DK_PAGE_SIZE;
	int r = -ENOMEM;

	a->pn = calloc(n, sizeof(*a->pn));
	pthread_mutex_lock(&soc->lock);
	if (a->pn)
		r = dk_ptrhash_add_pages(&soc->alias_pages, a->pn, a->va, n,
					 DK_PAGE_SIZE, a);
	if (!r) {
		a->prev = NULL;
		a->next = soc->aliases;
		if (a->next)
			a->next->prev = a;
		soc->aliases = a;
	}
	pthread_mutex_unlock(&soc->lock);
	if (r) {
		dk_err(r, "mapping an alias: out of memory");
		dk_wb_remove(soc, a->va);
		drop_alias(soc, a);
		return NULL;
	}
	/* Made in the normal world: its secure pages fault as the linear
	 * map's do. */
	dk_tz_map_alias(soc, a);
	return a->va;
}

/* A vmap at @va is made: record it. */
static void *vmap_done(struct dk_soc *soc, struct dk_alias *a,
		       const phys_addr_t *pages, size_t n,
		       enum dk_alias_type type, u8 *va)
{
	memcpy(a->pages, pages, n * sizeof(*pages));
	a->va = va;
	a->size = n * DK_PAGE_SIZE;
	a->type = type;
	return add_alias(soc, a);
}

void *dk_sim_vmap(struct dk_soc *soc, const phys_addr_t *pages, size_t n,
		  enum dk_alias_type type)
{
	struct dk_alias *a;
	size_t i;
	u8 *va;

	if (!dk_soc_ok(soc, "dk_sim_vmap"))
		return NULL;
	if (!pages || !n || n > (1UL << 30) / DK_PAGE_SIZE ||
	    type > DK_ALIAS_CACHED) {
		dk_err(-EINVAL, "dk_sim_vmap: NULL, empty, too large or bad type");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (pages[i] & (DK_PAGE_SIZE - 1) ||
		    dk_ram_find(soc, pages[i], DK_PAGE_SIZE) < 0) {
			dk_err(-EINVAL, "dk_sim_vmap: page %zu (0x%llx) is not a RAM page",
			       i, (unsigned long long)pages[i]);
			return NULL;
		}
	}
	a = calloc(1, sizeof(*a));
	if (a)
		a->pages = malloc(n * sizeof(*pages));
	if (a && a->pages && type == DK_ALIAS_CACHED && soc->vipt_aliasing) {
		/* Lines of its own, not the linear map's (vipt.c). */
		va = dk_vipt_vmap(soc, a, pages, n);
		if (!va) {
			free(a->pages);
			free(a);
			return NULL;
		}
		return vmap_done(soc, a, pages, n, type, va);
	}
	va = mmap(NULL, n * DK_PAGE_SIZE, PROT_NONE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (!a || !a->pages || va == MAP_FAILED) {
		if (va != MAP_FAILED)
			munmap(va, n * DK_PAGE_SIZE);
		if (a)
			free(a->pages);
		free(a);
		dk_err(-ENOMEM, "dk_sim_vmap: out of memory");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		const struct dk_ram_bank *b =
			&soc->banks[dk_ram_find(soc, pages[i], DK_PAGE_SIZE)];

		/* Each page of the range is the bank's page, mapped again. */
		if (mmap(va + i * DK_PAGE_SIZE, DK_PAGE_SIZE,
			 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
			 type == DK_ALIAS_CACHED ? b->cpu_fd : b->mem_fd,
			 pages[i] - b->b.base) == MAP_FAILED) {
			munmap(va, n * DK_PAGE_SIZE);
			free(a->pages);
			free(a);
			dk_err(-ENOMEM, "dk_sim_vmap: %s", strerror(errno));
			return NULL;
		}
	}
	for (i = 0; i < n; i++) {
		int k = dk_ram_find(soc, pages[i], DK_PAGE_SIZE);

		if (buffer(soc, type, k, pages[i] - soc->banks[k].b.base,
			   DK_PAGE_SIZE, va)) {
			dk_wb_remove(soc, va);
			munmap(va, n * DK_PAGE_SIZE);
			free(a->pages);
			free(a);
			return NULL;
		}
	}
	return vmap_done(soc, a, pages, n, type, va);
}

int dk_sim_vmap_remap(struct dk_soc *soc, void *va, phys_addr_t pa)
{
	struct dk_alias *a;
	int bank, r = -EINVAL;
	size_t i;

	if (!dk_soc_ok(soc, "dk_sim_vmap_remap"))
		return -EINVAL;
	bank = dk_ram_find(soc, pa, DK_PAGE_SIZE);
	if (((uintptr_t)va | pa) & (DK_PAGE_SIZE - 1) || bank < 0)
		return dk_err(-EINVAL, "dk_sim_vmap_remap(%p, 0x%llx): not a page address and a RAM page",
			      va, (unsigned long long)pa);
	/* The page maps anew: closed again below if the new one is
	 * secure. */
	dk_tz_map_forget(soc, va, DK_PAGE_SIZE);
	pthread_mutex_lock(&soc->lock);
	a = dk_alias_at(soc, va);
	/* Only what a cached vmap shares with the linear map can move:
	 * lines of its own or a write buffer would hold bytes for the old
	 * page. */
	if (a && a->pages && a->type == DK_ALIAS_CACHED && !a->last) {
		const struct dk_ram_bank *b = &soc->banks[bank];

		i = ((u8 *)va - (u8 *)a->va) / DK_PAGE_SIZE;
		if (mmap(va, DK_PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, b->cpu_fd,
			 pa - b->b.base) == MAP_FAILED) {
			r = -ENOMEM;
		} else {
			a->pages[i] = pa;
			r = 0;
		}
	} else if (a) {
		r = -EOPNOTSUPP;
	}
	pthread_mutex_unlock(&soc->lock);
	if (a)
		dk_tz_map_alias(soc, a);
	if (r == -ENOMEM)
		return dk_err(r, "dk_sim_vmap_remap: %s", strerror(errno));
	if (r == -EOPNOTSUPP)
		return dk_err(r, "dk_sim_vmap_remap(%p): not a cached vmap sharing the linear map's lines",
			      va);
	if (r)
		return dk_err(r, "dk_sim_vmap_remap(%p): in no vmap", va);
	return 0;
}

static u64 resident(void *p, u64 size)
{
	u64 pages = size / DK_PAGE_SIZE, n = 0, i, chunk = 1 << 20;
	unsigned char *vec = malloc(chunk);

	if (!vec)
		return 0;
	for (i = 0; i < pages; i += chunk) {
		u64 cnt = pages - i < chunk ? pages - i : chunk, j;

		if (mincore((u8 *)p + i * DK_PAGE_SIZE, cnt * DK_PAGE_SIZE, vec))
			continue;
		for (j = 0; j < cnt; j++)
			n += vec[j] & 1;
	}
	free(vec);
	return n * DK_PAGE_SIZE;
}

u64 dk_sim_resident_bytes(struct dk_soc *soc)
{
	u64 n = 0;
	int i;

	if (!dk_soc_ok(soc, "dk_sim_resident_bytes"))
		return 0;
	for (i = 0; i < soc->nbanks; i++) {
		struct dk_ram_bank *b = &soc->banks[i];

		n += resident(b->cpu, b->b.size) + resident(b->mem, b->b.size) +
		     resident(b->last, b->b.size);
	}
	return n;
}

void dk_sim_peek(void *dst, const void *src, size_t n)
{
	if (dst && src)
		dk_raw_copy(dst, src, n);
}

void dk_sim_poke(void *dst, const void *src, size_t n)
{
	if (dst && src)
		dk_raw_copy(dst, src, n);
}

int dk_sim_export_fd(struct dk_soc *soc, phys_addr_t pa,
		     enum dk_alias_type type, int *fd, u64 *off)
{
	int i = dk_soc_ok(soc, "dk_sim_export_fd") ? dk_ram_find(soc, pa, 1) : -1;
	int nfd;

	if (i < 0 || !fd || !off || type > DK_ALIAS_CACHED)
		return dk_err(-EINVAL, "dk_sim_export_fd: 0x%llx is not RAM",
			      (unsigned long long)pa);
	nfd = fcntl(type == DK_ALIAS_CACHED ? soc->banks[i].cpu_fd :
					     soc->banks[i].mem_fd,
		    F_DUPFD_CLOEXEC, 3);
	if (nfd < 0)
		return dk_err(-EMFILE, "dk_sim_export_fd: %s", strerror(errno));
	*fd = nfd;
	*off = pa - soc->banks[i].b.base;
	return 0;
}
