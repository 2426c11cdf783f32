// SPDX-License-Identifier: MIT
/*
 * The CPU's write buffer in front of bufferable uncached memory (arm64's
 * Normal non-cacheable: dma_alloc_coherent() for a non-coherent device,
 * dma_alloc_wc()).
 *
 * The seam: such memory is a host mapping of DRAM itself, so a CPU store
 * through it lands in mem[] at once and the model cannot hold it back.
 * What it can do is choose what the interconnect delivers to a device.
 * Each bank keeps a second copy, drained[], of its bufferable pages: the
 * bytes as of the last drain (a barrier). A line whose mem[] differs from
 * drained[] holds CPU stores still in the write buffer. A device read of
 * such a line gets drained[] unless the policy lets the buffer empty
 * first; a barrier copies mem[] to drained[]. Pending stores are found by
 * comparison, as dirty lines are: a store of the value DRAM already holds
 * is invisible, and changes nothing a device could see either.
 *
 * Strongly-ordered memory is not bufferable and never registered here.
 * Which kind an uncached alias is, is the SoC's /dmakit coherent-mapping:
 * Normal non-cacheable as arm64 Linux maps coherent memory (the built-in
 * SoC's), or strongly ordered (barebox's choice, and the binding's
 * default for a tree that does not say).
 *
 * The same buffer sits in front of the cache. A coherent master snoops
 * the cache, so a CPU store to cacheable memory reaches it only when the
 * store leaves the buffer. On a SoC whose /dmakit says
 * cacheable-store-buffer, the pages registered by dk_sim_store_buffer()
 * (a coherent device's dma_alloc_coherent() memory) keep a second copy,
 * sdrained[], of the cache's bytes (cpu[]) as of the last drain, with the
 * same rules: a line whose cpu[] differs from it holds stores still in
 * the buffer, a snoop gets sdrained[] per the policy, a barrier copies
 * cpu[] to it, and every change to cpu[] that is not a CPU store (device
 * writes, the library's stores) is mirrored. Which pages: a snooping
 * master can read any cacheable page, but a barrier copies every page
 * behind the buffer, so only the memory drivers hand to such a master
 * for descriptors is registered; a streaming buffer a coherent device
 * reads is not held.
 *
 * What a barrier copies: while few pages are bufferable, all of them
 * (a copy of a page is a tenth of a microsecond). Past WB_TRACK_ON pages
 * of bufferable aliases in the alias windows, and if the program allowed
 * it (dk_sim_track_stores(): a system call writing into a protected page
 * fails), a barrier copies only the
 * pages the CPU stored to since the last one: those pages are
 * write-protected after each barrier and the first store to one faults
 * (core/pageprot.c, which owns every protection of the windows, so a page
 * the TrustZone map closed stays closed). A fault and its two mprotect()
 * calls cost some 16 us on the 2-core machine, so tracking pays only when
 * copying everything costs more. Aliases outside the windows (vmaps,
 * past the windows) and the store buffer's pages are always copied: the
 * model itself changes cpu[] without a CPU store (fills), so a fault
 * cannot tell it the store buffer's pages changed. Tracking reads no
 * bytes: which lines hold stores is still found by comparison, so what a
 * device sees is the same either way.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../core/pageprot.h"
#include "../core/rawmem.h"
#include "soc_internal.h"

struct dk_wb_range {
	struct dk_hnode node;	/* by the alias that made it bufferable */
	struct dk_wb_range *next, *prev;	/* soc->wb or soc->wb_win */
	int bank;
	u64 off, size;
	bool cached;		/* in front of the cache: drains cpu[] */
	struct dk_pp_span *span;	/* its window's, or NULL */
	size_t spg;			/* its first page there */
};

/* Pages of uncached aliases in windows past which a barrier tracks
 * stores rather than copying (measured crossover: a page stored to per
 * barrier costs as much tracked as some 150 copied), and under which it
 * copies again. */
#define WB_TRACK_ON 128
#define WB_TRACK_OFF 64

static void *anon(u64 size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void unmap_copy(u8 **copy, u32 **refs, u64 size)
{
	if (*copy)
		munmap(*copy, size);
	if (*refs)
		munmap(*refs, size / DK_PAGE_SIZE * sizeof(**refs));
	*copy = NULL;
	*refs = NULL;
}

/* A drained copy and per-page counts, on the first page to need them:
 * sparse, so only pages ever buffered cost memory. */
static int prepare_copy(u8 **copy, u32 **refs, u64 size)
{
	if (*refs)
		return 0;
	*copy = anon(size);
	*refs = anon(size / DK_PAGE_SIZE * sizeof(**refs));
	if (*copy && *refs)
		return 0;
	unmap_copy(copy, refs, size);
	return dk_err(-ENOMEM, "write buffer: no memory for a bank's copy");
}

/* wb_refs stands for "the bank has a buffer to mind" in the hot paths,
 * so a bank with cacheable pages behind the buffer has it too. */
static int bank_prepare(struct dk_ram_bank *b, bool cached)
{
	int r = prepare_copy(&b->drained, &b->wb_refs, b->b.size);

	if (!r && cached)
		r = prepare_copy(&b->sdrained, &b->sb_refs, b->b.size);
	return r;
}

bool dk_wb_bufferable(const struct dk_soc *soc, enum dk_alias_type type)
{
	return type == DK_ALIAS_WRITE_COMBINE ||
	       (type == DK_ALIAS_UNCACHED && soc->coherent_nc);
}

/* The tracking span of the alias window holding @va, and @va's page in
 * it; NULL if @va is in none (a mapping of its own). */
static struct dk_pp_span *window_span(const struct dk_ram_bank *b,
				      const void *va, size_t *pg)
{
	const u8 *p = va;
	int k;

	for (k = 0; k < DK_ALIAS_WINDOWS && b->win[k].va; k++)
		if (p >= b->win[k].va && p < b->win[k].va + b->b.size) {
			*pg = (p - b->win[k].va) / DK_PAGE_SIZE;
			return b->win[k].pp;
		}
	return NULL;
}

static struct dk_wb_range **list_of(struct dk_soc *soc,
				    const struct dk_wb_range *w)
{
	return w->span ? &soc->wb_win : &soc->wb;
}

/* Into its list, tracked if that list is; soc->lock held. */
static void link_range(struct dk_soc *soc, struct dk_wb_range *w)
{
	struct dk_wb_range **head = list_of(soc, w);

	w->prev = NULL;
	w->next = *head;
	if (w->next)
		w->next->prev = w;
	*head = w;
	if (!w->span)
		return;
	soc->wb_win_pages += w->size / DK_PAGE_SIZE;
	if (soc->wb_tracking)
		dk_pp_track(w->span, w->spg, w->size / DK_PAGE_SIZE, true);
}

static void unlink_range(struct dk_soc *soc, struct dk_wb_range *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		*list_of(soc, w) = w->next;
	if (w->next)
		w->next->prev = w->prev;
	if (!w->span)
		return;
	soc->wb_win_pages -= w->size / DK_PAGE_SIZE;
	if (soc->wb_tracking)
		dk_pp_track(w->span, w->spg, w->size / DK_PAGE_SIZE, false);
}

/* Pages [off, off + size) of @bank go behind the buffer for @va. */
static int add_range(struct dk_soc *soc, int bank, u64 off, u64 size,
		     const void *va, bool cached)
{
	struct dk_ram_bank *b = &soc->banks[bank];
	struct dk_wb_range *w = malloc(sizeof(*w));
	u64 pg, end = (off + size) / DK_PAGE_SIZE;
	u32 *refs;
	u8 *copy, *view;
	int r;

	if (!w)
		return dk_err(-ENOMEM, "write buffer: out of memory");
	pthread_mutex_lock(&soc->lock);
	r = bank_prepare(b, cached);
	if (!r)
		r = dk_ptrhash_add(&soc->wb_by_va, &w->node, va);
	if (r) {
		pthread_mutex_unlock(&soc->lock);
		free(w);
		return r;
	}
	refs = cached ? b->sb_refs : b->wb_refs;
	copy = cached ? b->sdrained : b->drained;
	view = cached ? b->cpu : b->mem;
	/* A page that becomes bufferable starts with nothing pending. */
	for (pg = off / DK_PAGE_SIZE; pg < end; pg++)
		if (!refs[pg]++)
			dk_raw_copy(copy + pg * DK_PAGE_SIZE,
				    view + pg * DK_PAGE_SIZE, DK_PAGE_SIZE);
	w->bank = bank;
	w->off = off;
	w->size = size;
	w->cached = cached;
	w->span = cached ? NULL : window_span(b, va, &w->spg);
	link_range(soc, w);
	__atomic_store_n(&soc->nwb, soc->nwb + 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&soc->lock);
	return 0;
}

int dk_wb_add(struct dk_soc *soc, int bank, u64 off, u64 size,
	      const void *va)
{
	return add_range(soc, bank, off, size, va, false);
}

/* The ranges @va registered go (@size 0), or the first one of @size;
 * soc->lock held. */
static void remove_locked(struct dk_soc *soc, const void *va, u64 size)
{
	struct dk_hnode *x, *next;
	u64 pg;

	/* A vmap registered each of its pages under the same address. */
	for (x = dk_ptrhash_find(&soc->wb_by_va, va); x; x = next) {
		struct dk_wb_range *w = (struct dk_wb_range *)x;
		struct dk_ram_bank *b = &soc->banks[w->bank];
		u32 *refs = w->cached ? b->sb_refs : b->wb_refs;

		next = dk_ptrhash_next(x);
		if (size && w->size != size)
			continue;
		/* Gone with its mapping: what it buffered has landed. */
		for (pg = w->off / DK_PAGE_SIZE;
		     pg < (w->off + w->size) / DK_PAGE_SIZE; pg++)
			refs[pg]--;
		dk_ptrhash_del(&soc->wb_by_va, x);
		unlink_range(soc, w);
		free(w);
		__atomic_store_n(&soc->nwb, soc->nwb - 1, __ATOMIC_RELEASE);
		if (size)
			return;
	}
}

void dk_wb_remove(struct dk_soc *soc, const void *va)
{
	pthread_mutex_lock(&soc->lock);
	dk_lb_land_locked(soc, true);
	remove_locked(soc, va, 0);
	pthread_mutex_unlock(&soc->lock);
}

int dk_sim_store_buffer(struct dk_soc *soc, phys_addr_t pa, size_t size,
			bool on)
{
	struct dk_ram_bank *b;
	int i;

	if (!dk_soc_ok(soc, "dk_sim_store_buffer"))
		return -EINVAL;
	i = size && !((pa | size) & (DK_PAGE_SIZE - 1)) ?
		    dk_ram_find(soc, pa, size) : -1;
	if (i < 0)
		return dk_err(-EINVAL,
			      "dk_sim_store_buffer: 0x%llx + 0x%zx is not whole pages of one RAM bank",
			      (unsigned long long)pa, size);
	if (!soc->cacheable_sb)
		return 0;
	b = &soc->banks[i];
	/* Keyed by the cacheable view's address of the pages, which no
	 * alias has. */
	if (on)
		return add_range(soc, i, pa - b->b.base, size,
				 b->cpu + (pa - b->b.base), true);
	pthread_mutex_lock(&soc->lock);
	remove_locked(soc, b->cpu + (pa - b->b.base), size);
	pthread_mutex_unlock(&soc->lock);
	return 0;
}

static void copy_ranges(struct dk_soc *soc, const struct dk_wb_range *w)
{
	for (; w; w = w->next) {
		struct dk_ram_bank *b = &soc->banks[w->bank];

		if (w->cached)
			dk_raw_copy(b->sdrained + w->off, b->cpu + w->off,
				    w->size);
		else
			dk_raw_copy(b->drained + w->off, b->mem + w->off,
				    w->size);
	}
}

/* A page of a window the CPU stored to: its stores land. Whether it
 * held any. */
static bool copy_page(void *arg, size_t pg)
{
	struct dk_ram_bank *b = arg;
	u8 *to = b->drained + pg * DK_PAGE_SIZE;
	const u8 *from = b->mem + pg * DK_PAGE_SIZE;

	if (!b->wb_refs[pg] || !dk_raw_cmp(to, from, DK_PAGE_SIZE))
		return false;
	dk_raw_copy(to, from, DK_PAGE_SIZE);
	return true;
}

/* Track the windows' pages (@on) or copy them all; soc->lock held. */
static void set_tracking(struct dk_soc *soc, bool on)
{
	const struct dk_wb_range *w;

	for (w = soc->wb_win; w; w = w->next)
		dk_pp_track(w->span, w->spg, w->size / DK_PAGE_SIZE, on);
	soc->wb_tracking = on;
	soc->wb_untracked = !on;
	dk_ram0_recheck(soc);
}

/* Every buffered store reaches DRAM; soc->lock is held. */
static void drain_locked(struct dk_soc *soc)
{
	u64 need = soc->wb_tracking ? WB_TRACK_OFF : WB_TRACK_ON;
	bool track = soc->wb_track_stores && soc->wb_win_pages >= need;
	int i, k;

	if (track != soc->wb_tracking)
		set_tracking(soc, !soc->wb_tracking);
	copy_ranges(soc, soc->wb);
	if (!soc->wb_tracking || soc->wb_copy_all)
		copy_ranges(soc, soc->wb_win);
	soc->wb_copy_all = false;
	/* Copying: a sweep only to open the pages tracking left, once (a
	 * page that cannot be opened then opens at its first store). */
	if (!soc->wb_tracking && !soc->wb_untracked)
		return;
	soc->wb_untracked = false;
	for (i = 0; i < soc->nbanks; i++)
		for (k = 0; k < DK_ALIAS_WINDOWS && soc->banks[i].win[k].pp;
		     k++)
			dk_pp_sweep(soc->banks[i].win[k].pp, copy_page,
				    &soc->banks[i]);
}

int dk_sim_track_stores(struct dk_soc *soc, bool on)
{
	int r;

	if (!dk_soc_ok(soc, "dk_sim_track_stores"))
		return -EINVAL;
	if (on && !dk_pp_can_track())
		return dk_err(-EOPNOTSUPP,
			      "dk_sim_track_stores: not under Valgrind, whose faulting stores do not all name their page: barriers copy");
	r = on ? dk_pp_arm() : 0;
	if (r)
		return dk_err(r, "dk_sim_track_stores: cannot handle SIGSEGV: %s",
			      strerror(-r));
	pthread_mutex_lock(&soc->lock);
	soc->wb_track_stores = on;
	pthread_mutex_unlock(&soc->lock);
	return 0;
}

int dk_sim_drain_writes(struct dk_soc *soc)
{
	if (!dk_soc_ok(soc, "dk_sim_drain_writes"))
		return -EINVAL;
	/* Nothing bufferable mapped: a barrier costs one load. */
	if (!__atomic_load_n(&soc->nwb, __ATOMIC_ACQUIRE))
		return 0;
	pthread_mutex_lock(&soc->lock);
	drain_locked(soc);
	pthread_mutex_unlock(&soc->lock);
	return 0;
}

static bool page_buffered(const u32 *refs, u64 off)
{
	return refs[off / DK_PAGE_SIZE] != 0;
}

/*
 * A device read of [off, off + len) of @b has copied into @buf what the
 * interconnect holds (@view: DRAM, or the cache a snoop reads): lines of
 * pages @refs counts whose @view differs from @copy hold CPU stores still
 * in the buffer, and deliver @copy instead, unless the policy lets the
 * buffer empty first. The observer hears of every such line whatever the
 * policy did, since a driver that relies on the buffer emptying in time
 * is wrong on every run.
 */
static void held_lines(struct dk_soc *soc, struct dk_ram_bank *b,
		       const u32 *refs, const u8 *view, u8 *copy, u64 off,
		       size_t len, u8 *buf)
{
	u64 l = soc->cache.line, o, end = off + len;

	for (o = dk_align_down(off, l); o < end; o += l) {
		u64 lo = o < off ? off : o, hi = o + l < end ? o + l : end;

		if (!page_buffered(refs, o) ||
		    !dk_raw_cmp(view + o, copy + o, l))
			continue;
		dk_ev_note(soc, DK_EV_WRITE_BUFFERED, b->b.base + o, l);
		if (soc->cache.policy == DK_EVICT_NEVER ||
		    (soc->cache.policy == DK_EVICT_RANDOM &&
		     dk_policy_chance(soc))) {
			dk_raw_copy(copy + o, view + o, l);
			continue;
		}
		dk_raw_copy(buf + (lo - off), copy + lo, hi - lo);
	}
}

void dk_wb_device_read(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		       size_t len, u8 *buf)
{
	held_lines(soc, b, b->wb_refs, b->mem, b->drained, off, len, buf);
}

/*
 * A snoop reads the cache, which the stores still in the buffer in front
 * of it have not reached: their lines give the cache as of the last
 * barrier (the stores since are the only difference, as every other
 * change of cpu[] on such a page is mirrored).
 */
void dk_sb_device_read(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		       size_t len, u8 *buf)
{
	held_lines(soc, b, b->sb_refs, b->cpu, b->sdrained, off, len, buf);
}

/*
 * No fault tells of a write-back into a bufferable page (the page written
 * through its cacheable view too, which Linux calls undefined): while
 * barriers copy only the stored pages, the next one copies them all, so
 * the write-back is pending until then as before. Rare: it is a bug.
 */
void dk_wb_dram_written(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
			size_t len)
{
	u64 pg;

	if (!soc->wb_tracking || !len)
		return;
	for (pg = off / DK_PAGE_SIZE; pg <= (off + len - 1) / DK_PAGE_SIZE;
	     pg++)
		if (b->wb_refs[pg]) {
			soc->wb_copy_all = true;
			return;
		}
}

/* Bytes written to DRAM or the cache by anyone but a CPU store (a
 * device, the library's own stores) are in the drained copies too. */
void dk_wb_mirror(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		  size_t len)
{
	u64 o = off, end = off + len;

	(void)soc;
	while (o < end) {
		u64 next = dk_align_down(o, DK_PAGE_SIZE) + DK_PAGE_SIZE;
		u64 n = (next < end ? next : end) - o;

		if (page_buffered(b->wb_refs, o))
			dk_raw_copy(b->drained + o, b->mem + o, n);
		if (b->sb_refs && page_buffered(b->sb_refs, o))
			dk_raw_copy(b->sdrained + o, b->cpu + o, n);
		o += n;
	}
}

static void free_ranges(struct dk_wb_range *w)
{
	while (w) {
		struct dk_wb_range *next = w->next;

		free(w);
		w = next;
	}
}

/* The windows and their spans go after this (ram.c). */
void dk_wb_fini(struct dk_soc *soc)
{
	int i;

	for (i = 0; i < soc->nbanks; i++) {
		struct dk_ram_bank *b = &soc->banks[i];

		unmap_copy(&b->drained, &b->wb_refs, b->b.size);
		unmap_copy(&b->sdrained, &b->sb_refs, b->b.size);
	}
	free_ranges(soc->wb);
	free_ranges(soc->wb_win);
	soc->wb = soc->wb_win = NULL;
	soc->wb_win_pages = 0;
	soc->wb_tracking = false;
	dk_ram0_recheck(soc);
	dk_ptrhash_fini(&soc->wb_by_va);
	soc->nwb = 0;
}
