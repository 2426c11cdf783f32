// SPDX-License-Identifier: MIT
/*
 * Host page protections of the library's mappings, with one owner
 * (pageprot.h). A tracked page is in one of four states:
 *
 *   untracked  read-write (nothing to learn)
 *   protected  write-protected: no store since the last sweep
 *   stored     read-write and listed: the CPU stored to it, or it has
 *              just become tracked; the next sweep protects it again,
 *              unless it is hot (see HOT)
 *   stale      no longer tracked but still write-protected (so that
 *              ending tracking costs no system call): listed, opened
 *              by the next sweep or by its first store
 *
 * and has a count of closers holding it inaccessible, under which its
 * protection is theirs: nothing here opens such a page, and the last
 * closer to let go gets the state's protection back.
 *
 * Not under Valgrind, which gives some faulting stores a wrong address:
 * there no span is made, and the write buffer copies. Each run of pages
 * protected alike is a host mapping of its own: should the host refuse
 * the one a first store needs (vm.max_map_count), the handler says so
 * and the store dies as an ordinary fault.
 *
 * The SIGSEGV handler finds the span without a lock (a fixed table of
 * address ranges kept inline, so it never reads a span being freed when
 * the fault is elsewhere), then takes the span's spin lock, which no
 * code holding it gives up to a store into tracked memory: a store
 * cannot fault while its own thread holds the lock.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <valgrind/valgrind.h>

#include "pageprot.h"
#include "sigchain.h"
#include "spin.h"

#define PG 4096UL

enum { UNTRACKED, PROTECTED, STORED, STALE };
#define STATE 3
#define LISTED 4	/* in the list the next sweep goes through */
#define COPY 8		/* during a sweep: stored to, to copy */
/*
 * Heat, the high four bits: a fault adds HEAT_FAULT, a sweep that finds
 * the page unchanged takes one off, and a page at HOT or more stays
 * open and listed, copied at each sweep, rather than protected: a
 * descriptor ring stored to between every two barriers costs a copy a
 * barrier, not a fault and two mprotect() calls (0.2 against 16 us). A
 * page stored to once is hot at its first fault and protected again at
 * the second barrier after its last store.
 */
#define HEAT_ONE 16
#define HEAT (15 * HEAT_ONE)
#define HEAT_FAULT (4 * HEAT_ONE)
#define HOT (4 * HEAT_ONE)

struct dk_pp_span {
	unsigned char *va;
	size_t npages;
	atomic_bool lock;
	unsigned char *st;		/* state and flags, per page */
	unsigned char *closed;		/* closers holding the page */
	unsigned int *list;		/* listed pages, each once */
	atomic_size_t nlist;
};

/* Enough for a few hundred SoCs' windows at once; past it, copying. */
#define SLOTS 1024

struct slot {
	_Atomic uintptr_t lo, hi;	/* lo 0: free */
	struct dk_pp_span *_Atomic s;
};

static struct slot slots[SLOTS];
static atomic_int nslots;	/* slots ever used, the handler's bound */
static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sigaction old_segv;
static bool installed;

/* Under any Valgrind tool, built with its client requests or not
 * (-DNVALGRIND): its preload library is there either way. */
static bool on_valgrind(void)
{
	const char *pre = getenv("LD_PRELOAD");

	return RUNNING_ON_VALGRIND || (pre && strstr(pre, "vgpreload"));
}

static void *anon(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static struct dk_pp_span *span_at(const void *va, size_t *pg)
{
	uintptr_t a = (uintptr_t)va;
	int i, n = atomic_load_explicit(&nslots, memory_order_acquire);

	for (i = 0; i < n; i++) {
		uintptr_t lo = atomic_load_explicit(&slots[i].lo,
						    memory_order_acquire);

		if (lo && a >= lo &&
		    a < atomic_load_explicit(&slots[i].hi,
					     memory_order_relaxed)) {
			*pg = (a - lo) / PG;
			return atomic_load_explicit(&slots[i].s,
						    memory_order_relaxed);
		}
	}
	return NULL;
}

static void list_page(struct dk_pp_span *s, size_t pg)
{
	size_t n = atomic_load_explicit(&s->nlist, memory_order_relaxed);

	if (s->st[pg] & LISTED)
		return;
	s->st[pg] |= LISTED;
	s->list[n] = pg;
	atomic_store_explicit(&s->nlist, n + 1, memory_order_release);
}

static void set_state(struct dk_pp_span *s, size_t pg, int state)
{
	s->st[pg] = (s->st[pg] & ~STATE) | state;
	if (state == STORED || state == STALE)
		list_page(s, pg);
}

static void say(const char *s)
{
	ssize_t r = write(STDERR_FILENO, s, strlen(s));

	(void)r;
}

/* A first store to protected page @pg: listed, and hotter. */
static void warm(struct dk_pp_span *s, size_t pg)
{
	int heat = (s->st[pg] & HEAT) + HEAT_FAULT;

	set_state(s, pg, STORED);
	s->st[pg] = (s->st[pg] & ~HEAT) | (heat > HEAT ? HEAT : heat);
}

/* A fault at page @pg of @s: whether it was a first store, now let
 * through (the store runs again on return). */
static bool first_store(struct dk_pp_span *s, size_t pg)
{
	void *page = s->va + pg * PG;
	bool ours = false;
	int state;

	dk_spin_lock(&s->lock);
	state = s->st[pg] & STATE;
	if (!s->closed[pg] && state != UNTRACKED) {
		/* Stored: another thread's first store opened it. */
		ours = state == STORED ||
		       !mprotect(page, PG, PROT_READ | PROT_WRITE);
		if (!ours)
			say("dmakit: write buffer: cannot open a page after its first store (out of mappings?)\n");
		else if (state == PROTECTED)
			warm(s, pg);
		else if (state != STORED)
			set_state(s, pg, UNTRACKED);
	}
	dk_spin_unlock(&s->lock);
	return ours;
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	int e = errno;
	size_t pg;
	struct dk_pp_span *s = span_at(si->si_addr, &pg);

	if (s && first_store(s, pg)) {
		errno = e;
		return;
	}
	errno = e;
	dk_sig_chain(&old_segv, sig, si, uc);
}

static void span_unmap(struct dk_pp_span *s)
{
	if (s->st)
		munmap(s->st, s->npages);
	if (s->closed)
		munmap(s->closed, s->npages);
	if (s->list)
		munmap(s->list, s->npages * sizeof(*s->list));
	munmap(s, sizeof(*s));
}

bool dk_pp_can_track(void)
{
	return !on_valgrind();
}

struct dk_pp_span *dk_pp_span_new(void *va, size_t npages)
{
	struct dk_pp_span *s;
	int i, n;

	/* Valgrind gives some faulting stores (a memset's) a wrong address,
	 * which no span holds: the program would die. Copies, there. */
	if (on_valgrind())
		return NULL;
	s = anon(sizeof(*s));
	if (!s)
		return NULL;
	s->va = va;
	s->npages = npages;
	s->st = anon(npages);
	s->closed = anon(npages);
	s->list = anon(npages * sizeof(*s->list));
	pthread_mutex_lock(&slot_lock);
	n = atomic_load_explicit(&nslots, memory_order_relaxed);
	for (i = 0; i < n && atomic_load_explicit(&slots[i].lo,
						  memory_order_relaxed); i++)
		;
	if (!s->st || !s->closed || !s->list || i == SLOTS) {
		pthread_mutex_unlock(&slot_lock);
		span_unmap(s);
		return NULL;
	}
	atomic_store_explicit(&slots[i].s, s, memory_order_relaxed);
	atomic_store_explicit(&slots[i].hi, (uintptr_t)va + npages * PG,
			      memory_order_relaxed);
	atomic_store_explicit(&slots[i].lo, (uintptr_t)va,
			      memory_order_release);
	if (i == n)
		atomic_store_explicit(&nslots, n + 1, memory_order_release);
	pthread_mutex_unlock(&slot_lock);
	return s;
}

int dk_pp_arm(void)
{
	int r = 0;

	pthread_mutex_lock(&slot_lock);
	if (!installed) {
		r = dk_sig_install(SIGSEGV, on_segv, &old_segv) ? -errno : 0;
		installed = !r;
	}
	pthread_mutex_unlock(&slot_lock);
	return r;
}

void dk_pp_span_free(struct dk_pp_span *s)
{
	int i, n;

	if (!s)
		return;
	pthread_mutex_lock(&slot_lock);
	n = atomic_load_explicit(&nslots, memory_order_relaxed);
	for (i = 0; i < n; i++)
		if (atomic_load_explicit(&slots[i].s, memory_order_relaxed) == s)
			atomic_store_explicit(&slots[i].lo, 0,
					      memory_order_release);
	pthread_mutex_unlock(&slot_lock);
	span_unmap(s);
}

void dk_pp_track(struct dk_pp_span *s, size_t pg, size_t n, bool on)
{
	size_t p;

	dk_spin_lock(&s->lock);
	for (p = pg; p < pg + n && p < s->npages; p++) {
		int state = s->st[p] & STATE;

		if (on && state == UNTRACKED) {
			set_state(s, p, STORED);
			s->st[p] &= ~HEAT;
		} else if (on && state == STALE)
			set_state(s, p, PROTECTED);
		else if (!on && state == PROTECTED)
			set_state(s, p, STALE);
		else if (!on && state == STORED)
			set_state(s, p, UNTRACKED);
	}
	dk_spin_unlock(&s->lock);
}

/* What a sweep does to a listed page: the protection to give it, or
 * -1 for none (closed, hot, or nothing to change). */
static int sweep_prot(const struct dk_pp_span *s, size_t pg)
{
	int state = s->st[pg] & STATE;

	if (s->closed[pg])
		return -1;
	if (state == STORED)
		return (s->st[pg] & HEAT) >= HOT ? -1 : PROT_READ;
	return state == STALE ? PROT_READ | PROT_WRITE : -1;
}

/* A listed page after the sweep gave it @prot (@ok: it took). */
static void swept(struct dk_pp_span *s, size_t pg, int prot, bool ok)
{
	int state = s->st[pg] & STATE;

	if (state == STORED)
		s->st[pg] |= COPY;
	if (prot < 0 || !ok) {
		/* Closed, hot, or out of mappings: listed again. */
		if (state != STORED && state != STALE)
			s->st[pg] &= ~LISTED;
		return;
	}
	s->st[pg] = (s->st[pg] & ~(STATE | LISTED)) |
		    (state == STORED ? PROTECTED : UNTRACKED);
}

void dk_pp_sweep(struct dk_pp_span *s, bool (*copy)(void *arg, size_t pg),
		 void *arg)
{
	size_t i, j, k, n, keep = 0;

	if (!atomic_load_explicit(&s->nlist, memory_order_acquire))
		return;
	dk_spin_lock(&s->lock);
	n = atomic_load_explicit(&s->nlist, memory_order_relaxed);
	/* Protect first, then copy: a store after the protection faults
	 * and is listed anew. Runs of pages in a row are one call. */
	for (i = 0; i < n; i = j) {
		int prot = sweep_prot(s, s->list[i]);
		bool ok = true;

		for (j = i + 1; prot >= 0 && j < n &&
				s->list[j] == s->list[j - 1] + 1 &&
				sweep_prot(s, s->list[j]) == prot;
		     j++)
			;
		if (prot >= 0)
			ok = !mprotect(s->va + s->list[i] * PG, (j - i) * PG,
				       prot);
		for (k = i; k < j; k++)
			swept(s, s->list[k], prot, ok);
	}
	for (i = 0; i < n; i++) {
		size_t pg = s->list[i];

		if (s->st[pg] & COPY) {
			s->st[pg] &= ~COPY;
			if (!copy(arg, pg) && s->st[pg] & HEAT)
				s->st[pg] -= HEAT_ONE;
		}
		if (s->st[pg] & LISTED)
			s->list[keep++] = pg;
	}
	atomic_store_explicit(&s->nlist, keep, memory_order_release);
	dk_spin_unlock(&s->lock);
}

bool dk_pp_tracked(const void *va)
{
	size_t pg;
	struct dk_pp_span *s = span_at(va, &pg);
	bool r;

	if (!s)
		return false;
	dk_spin_lock(&s->lock);
	r = (s->st[pg] & STATE) == PROTECTED;
	dk_spin_unlock(&s->lock);
	return r;
}

/* The span holding all of [@va, @va + @size), and its first page. */
static struct dk_pp_span *span_of(void *va, size_t size, size_t *pg)
{
	struct dk_pp_span *s = size ? span_at(va, pg) : NULL;

	if (s && *pg + (size + PG - 1) / PG > s->npages)
		return NULL;
	return s;
}

int dk_pp_close(void *va, size_t size)
{
	size_t pg, p, n = (size + PG - 1) / PG;
	struct dk_pp_span *s = span_of(va, size, &pg);
	int r;

	if (!s)
		return mprotect(va, size, PROT_NONE);
	dk_spin_lock(&s->lock);
	r = mprotect(va, size, PROT_NONE);
	for (p = pg; !r && p < pg + n; p++)
		if (s->closed[p] < 255)
			s->closed[p]++;
	dk_spin_unlock(&s->lock);
	return r;
}

/* The protection page @pg of @s wants, or -1 while a closer holds it. */
static int own_prot(const struct dk_pp_span *s, size_t pg)
{
	int state = s->st[pg] & STATE;

	if (s->closed[pg])
		return -1;
	return state == PROTECTED || state == STALE ?
		       PROT_READ : PROT_READ | PROT_WRITE;
}

int dk_pp_open(void *va, size_t size)
{
	size_t pg, p, q, n = (size + PG - 1) / PG;
	struct dk_pp_span *s = span_of(va, size, &pg);
	int r = 0;

	if (!s)
		return mprotect(va, size, PROT_READ | PROT_WRITE);
	dk_spin_lock(&s->lock);
	for (p = pg; p < pg + n; p++)
		if (s->closed[p])
			s->closed[p]--;
	for (p = pg; p < pg + n; p = q) {
		int prot = own_prot(s, p);

		for (q = p + 1; q < pg + n && own_prot(s, q) == prot; q++)
			;
		if (prot >= 0 && mprotect(s->va + p * PG, (q - p) * PG, prot))
			r = -1;
	}
	dk_spin_unlock(&s->lock);
	return r;
}
