// SPDX-License-Identifier: MIT
/*
 * Plain dereferences of secure memory by the normal world. The CPU's
 * pointers into RAM (phys_to_virt(), the machine's linear map) point into
 * a mapping of their own of each bank's cacheable view, linear[], beside
 * the model's cpu[] (the same memfd, so the same bytes). While the CPU is
 * in the normal world, the pages of secure memory (the firewall's ranges
 * and the TZASC's enabled secure regions) are inaccessible in linear[]:
 * a load or store through such a pointer faults at the instruction, as
 * the TZASC aborts it on hardware, while the model's own accesses (cpu[])
 * go on. dk_smc() opens them for the secure world and closes them again,
 * as the TZASC now says, on the way back. The fault is reported as the
 * kernel's oops for a synchronous external abort, then the program dies
 * of it (SIGSEGV), as a kernel task would; faults elsewhere go to the
 * handler installed before.
 *
 * Every other CPU view of secure memory is closed alike: the uncached
 * and write-combine windows (ram.c), and each mapped alias and vmap
 * (vmalloc, memremap, the uncached alias of a coherent allocation, a
 * user mapping), since the TZASC checks the physical address whatever
 * the mapping. An alias made in the normal world closes its secure pages
 * as it is made, a bank's windows as they are mapped; an alias unmapped
 * forgets its closed pages first, so no address it leaves is taken for
 * secure memory later.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <dmakit/models/tzasc.h>

#include "../core/pageprot.h"
#include "../core/sigchain.h"
#include "soc_internal.h"

struct closed {
	const u8 *va;
	u64 size;
	phys_addr_t pa;
	const struct dk_soc *soc;
};

/*
 * Every SoC's closed ranges, as the signal handler reads them without a
 * lock: a full table is replaced by a copy twice its size, published
 * before the count that needs it, and the old one is kept (the handler
 * may be reading it), so there is no limit short of memory and the
 * handler never meets a freed table.
 */
struct table {
	struct table *older;
	int cap;
	struct closed r[];
};

/* Which CPU views of the secure pages to close. */
struct views {
	bool linear, windows, aliases;
	const struct dk_alias *only;	/* with aliases: just this one */
};

static struct table *_Atomic table;
static atomic_int nclosed;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct sigaction old_segv;
static bool installed;

static void say(const char *s)
{
	ssize_t r = write(STDERR_FILENO, s, strlen(s));

	(void)r;
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	const u8 *a = si->si_addr;
	int i, n = atomic_load_explicit(&nclosed, memory_order_acquire);
	const struct table *t = atomic_load_explicit(&table,
						     memory_order_acquire);
	const struct closed *c = t ? t->r : NULL;
	void *bt[16];
	char line[256];

	for (i = 0; c && i < n; i++)
		if (a >= c[i].va && a < c[i].va + c[i].size)
			break;
	if (!c || i == n) {
		dk_sig_chain(&old_segv, sig, si, uc);
		return;
	}
	snprintf(line, sizeof(line),
		 "Unhandled fault: synchronous external abort at %p\n"
		 "CPU (non-secure world) %s of secure memory at physical 0x%llx (the firewall or the TZASC refused it)\n"
		 "Call trace:\n",
		 (const void *)a,
#ifdef REG_ERR
		 ((ucontext_t *)uc)->uc_mcontext.gregs[REG_ERR] & 2 ? "write" :
#endif
									"read",
		 (unsigned long long)(c[i].pa + (a - c[i].va)));
	say(line);
	n = backtrace(bt, 16);
	backtrace_symbols_fd(bt, n, STDERR_FILENO);
	/* Returning re-runs the access, which now kills the program. */
	signal(SIGSEGV, SIG_DFL);
}

static void install(void)
{
	void *warm[2];

	if (installed)
		return;
	/* backtrace() loads the unwinder on first use, with malloc(): not
	 * in the handler (ThreadSanitizer reports it, and the child a test
	 * watches die exits with its status instead). */
	backtrace(warm, 2);
	installed = !dk_sig_install(SIGSEGV, on_segv, &old_segv);
}

/* Open every range of @soc again; lock held. */
static void open_all(struct dk_soc *soc)
{
	int i;

	for (i = 0; i < nclosed;) {
		if (table->r[i].soc != soc) {
			i++;
			continue;
		}
		dk_pp_open((void *)table->r[i].va, table->r[i].size);
		table->r[i] = table->r[--nclosed];
	}
	soc->tz_closed = false;
}

/* Said, not kept quiet: the normal world can reach secure memory there
 * (mprotect() fails for want of memory or mappings). */
static void cannot_close(const u8 *va, u64 size, phys_addr_t pa)
{
	char line[200];

	snprintf(line, sizeof(line),
		 "dmakit: TrustZone: cannot close %llu bytes of secure memory at physical 0x%llx (CPU view %p): %s; the normal world can reach them\n",
		 (unsigned long long)size, (unsigned long long)pa,
		 (const void *)va, strerror(errno ? errno : ENOMEM));
	say(line);
}

/* Room for one more closed range; lock held. */
static bool room_for_one(void)
{
	struct table *t = table, *bigger;
	int cap = t ? t->cap * 2 : 64;

	if (t && nclosed < t->cap)
		return true;
	bigger = malloc(sizeof(*bigger) + cap * sizeof(bigger->r[0]));
	if (!bigger) {
		errno = ENOMEM;
		return false;
	}
	bigger->older = t;
	bigger->cap = cap;
	if (t)
		memcpy(bigger->r, t->r, nclosed * sizeof(t->r[0]));
	atomic_store_explicit(&table, bigger, memory_order_release);
	return true;
}

/* Close @size bytes at @va, a view of physical @pa; lock held. */
static void close_va(struct dk_soc *soc, u8 *va, u64 size, phys_addr_t pa)
{
	int i;

	for (i = 0; i < nclosed; i++)
		if (va >= table->r[i].va &&
		    va < table->r[i].va + table->r[i].size)
			return;		/* closed already */
	if (!room_for_one() || dk_pp_close(va, size)) {
		cannot_close(va, size, pa);
		return;
	}
	table->r[nclosed] = (struct closed){ va, size, pa, soc };
	atomic_store_explicit(&nclosed, nclosed + 1, memory_order_release);
}

/* Alias @a's view of RAM [@lo, @hi) of bank @b; lock and soc->lock
 * held. */
static void close_alias(struct dk_soc *soc, const struct dk_alias *a,
			const struct dk_ram_bank *b, u64 lo, u64 hi)
{
	size_t p, q, n = a->size / DK_PAGE_SIZE;

	/* A vmap with lines of its own (vipt.c): the model reads and
	 * writes those lines through the mapping itself, so it stays open. */
	if (a->last)
		return;
	if (!a->pages) {
		u64 s = soc->banks[a->bank].b.base + a->off;
		u64 x = lo > s ? lo : s;
		u64 y = hi < s + a->size ? hi : s + a->size;

		if (&soc->banks[a->bank] == b && x < y)
			close_va(soc, (u8 *)a->va + (x - s), y - x, x);
		return;
	}
	/* A run of pages consecutive in memory, all inside [lo, hi) or all
	 * outside, is one range (a big vmap is not a range a page). */
	for (p = 0; p < n; p = q) {
		bool in = a->pages[p] >= lo && a->pages[p] < hi;

		for (q = p + 1; q < n; q++)
			if (a->pages[q] != a->pages[q - 1] + DK_PAGE_SIZE ||
			    (a->pages[q] >= lo && a->pages[q] < hi) != in)
				break;
		if (in)
			close_va(soc, (u8 *)a->va + p * DK_PAGE_SIZE,
				 (q - p) * DK_PAGE_SIZE, a->pages[p]);
	}
}

/* The views @v of RAM [@lo, @hi), inside bank @b; lock and soc->lock
 * held. */
static void close_run(struct dk_soc *soc, struct dk_ram_bank *b, u64 lo,
		      u64 hi, const struct views *v)
{
	const struct dk_alias *a;
	u64 off = lo - b->b.base;
	int k;

	if (v->linear && b->linear)
		close_va(soc, b->linear + off, hi - lo, lo);
	for (k = 0; v->windows && k < DK_ALIAS_WINDOWS && b->win[k].va; k++)
		close_va(soc, b->win[k].va + off, hi - lo, lo);
	if (v->only)
		close_alias(soc, v->only, b, lo, hi);
	for (a = soc->aliases; v->aliases && !v->only && a; a = a->next)
		close_alias(soc, a, b, lo, hi);
}

/* Close the pages of [@pa, @pa + @size) where RAM has them; lock and
 * soc->lock held. */
static void close_pages(struct dk_soc *soc, phys_addr_t pa, u64 size,
			const struct views *v)
{
	int k;

	size += pa % DK_PAGE_SIZE;
	pa = dk_align_down(pa, DK_PAGE_SIZE);
	size = dk_align_down(size + DK_PAGE_SIZE - 1, DK_PAGE_SIZE);
	for (k = 0; k < soc->nbanks; k++) {
		struct dk_ram_bank *b = &soc->banks[k];
		u64 lo = pa > b->b.base ? pa : b->b.base;
		u64 hi = pa + size < b->b.base + b->b.size ?
				 pa + size : b->b.base + b->b.size;

		if (lo < hi)
			close_run(soc, b, lo, hi, v);
	}
}

/* Close views @v of what the firewall and the TZASC make secure now;
 * lock held. */
static void close_secure(struct dk_soc *soc, const struct views *v)
{
	int i;

	pthread_mutex_lock(&soc->lock);
	for (i = 0; i < soc->nsecure; i++)
		close_pages(soc, soc->secure[i].base, soc->secure[i].size, v);
	for (i = 0; soc->tz.present && i < DK_TZASC_REGIONS; i++) {
		const struct dk_tz_region *r = &soc->tz.r[i];
		u64 o, room;

		if (!(r->attr & DK_TZASC_ATTR_EN) || !r->size ||
		    (r->attr & DK_TZASC_ATTR_NS))
			continue;
		/* A higher region may share part of it: what refuses. */
		for (o = 0; o < r->size; o += room) {
			bool no = dk_tz_refuses(soc, r->base + o, &room);

			if (!room || room > r->size - o)
				room = r->size - o;
			if (no)
				close_pages(soc, r->base + o, room, v);
		}
	}
	pthread_mutex_unlock(&soc->lock);
}

void dk_tz_map_open(struct dk_soc *soc)
{
	pthread_mutex_lock(&lock);
	open_all(soc);
	pthread_mutex_unlock(&lock);
}

void dk_tz_map_close(struct dk_soc *soc)
{
	const struct views all = { true, true, true, NULL };

	pthread_mutex_lock(&lock);
	open_all(soc);
	install();
	soc->tz_closed = true;
	close_secure(soc, &all);
	pthread_mutex_unlock(&lock);
}

/* Nothing secure: nothing to close, and no lock to take. */
static bool has_secure(const struct dk_soc *soc)
{
	return soc->nsecure || soc->tz.present;
}

/* Whether @a may show secure memory: the firewall's ranges are fixed, so
 * an alias outside them needs no lock (the TZASC's regions move). */
static bool may_show_secure(const struct dk_soc *soc,
			    const struct dk_alias *a)
{
	u64 base = soc->banks[a->bank].b.base + a->off;
	size_t p, n = a->pages ? a->size / DK_PAGE_SIZE : 1;
	int i;

	if (soc->tz.present)
		return true;
	for (p = 0; p < n; p++) {
		u64 lo = a->pages ? a->pages[p] : base;
		u64 len = a->pages ? DK_PAGE_SIZE : a->size;

		for (i = 0; i < soc->nsecure; i++)
			if (lo < soc->secure[i].base + soc->secure[i].size &&
			    soc->secure[i].base < lo + len)
				return true;
	}
	return false;
}

void dk_tz_map_alias(struct dk_soc *soc, const struct dk_alias *a)
{
	const struct views one = { false, false, true, a };

	if (!may_show_secure(soc, a))
		return;
	pthread_mutex_lock(&lock);
	if (soc->tz_closed)
		close_secure(soc, &one);
	pthread_mutex_unlock(&lock);
}

void dk_tz_map_windows(struct dk_soc *soc)
{
	const struct views windows = { false, true, false, NULL };

	if (!has_secure(soc))
		return;
	pthread_mutex_lock(&lock);
	if (soc->tz_closed)
		close_secure(soc, &windows);
	pthread_mutex_unlock(&lock);
}

void dk_tz_map_forget(struct dk_soc *soc, const void *va, u64 size)
{
	uintptr_t p = (uintptr_t)va;
	int i;

	if (!has_secure(soc))
		return;
	pthread_mutex_lock(&lock);
	for (i = 0; i < nclosed;) {
		uintptr_t c = (uintptr_t)table->r[i].va;

		if (table->r[i].soc != soc || c < p || c - p >= size) {
			i++;
			continue;
		}
		dk_pp_open((void *)table->r[i].va, table->r[i].size);
		table->r[i] = table->r[--nclosed];
	}
	pthread_mutex_unlock(&lock);
}
