// SPDX-License-Identifier: MIT
/*
 * Poisoning device-owned buffers. AddressSanitizer gets the range
 * poisoned and, through its report callback, the backtrace of the mapping
 * that owns the address; Valgrind gets the range marked no-access and
 * described as a DMA buffer, with the mapping's stack printed at once so
 * the later error can be matched to it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include <valgrind/memcheck.h>

#include "../mm/mm.h"
#include "entry.h"
#include "poison.h"

/*
 * The AddressSanitizer runtime's interface, weak: it is there whenever the
 * program was built with -fsanitize=address, whether or not this library
 * was, so the installed library poisons for an instrumented driver too.
 */
void __asan_poison_memory_region(void const volatile *addr, size_t size)
	__attribute__((weak));
void __asan_unpoison_memory_region(void const volatile *addr, size_t size)
	__attribute__((weak));
void *__asan_get_report_address(void) __attribute__((weak));
void __asan_set_error_report_callback(void (*cb)(const char *))
	__attribute__((weak));

/* Which mapping owns a poisoned address: found at report time. */
struct find {
	uintptr_t addr;
	char bt[1024];
	char what[256];
};

static void find_owner(struct dk_dbg_entry *e, void *arg)
{
	struct find *f = arg;
	uintptr_t lo = (uintptr_t)dk_phys_to_virt(e->dev->machine, e->pa);

	if (!f->what[0] && lo && f->addr >= lo && f->addr < lo + e->size) {
		snprintf(f->what, sizeof(f->what),
			 "the address is inside a DMA buffer owned by device %s [device address=0x%llx] [size=%llu bytes] [mapped with %s]",
			 dev_name(e->dev), (unsigned long long)e->dma,
			 (unsigned long long)e->size, dk_dbg_dir_name(e->dir));
		dk_dbg_format_backtrace(e, f->bt, sizeof(f->bt));
	}
}

static void on_report(const char *report)
{
	struct find f = { 0 };

	(void)report;
	if (!__asan_get_report_address)
		return;
	f.addr = (uintptr_t)__asan_get_report_address();
	dk_dbg_entry_each(NULL, find_owner, &f);
	if (f.what[0])
		fprintf(stderr, "DMA-API: %s\n  mapped at:\n%s", f.what, f.bt);
}

static void set_callback(void)
{
	__asan_set_error_report_callback(on_report);
}

static void install(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	if (__asan_set_error_report_callback)
		pthread_once(&once, set_callback);
}

bool dk_poison_asan(void)
{
	return __asan_poison_memory_region && __asan_unpoison_memory_region;
}

/*
 * Valgrind: a described block per poisoned range. Memcheck names the block
 * in its error and prints the stack where it was made, i.e. the mapping
 * call. Only used under Valgrind, so a list is fast enough.
 */
struct vg_block {
	struct vg_block *next;
	uintptr_t lo, hi;
	unsigned int handle;
};

static struct vg_block *blocks;
static pthread_mutex_t vg_lock = PTHREAD_MUTEX_INITIALIZER;

static void vg_poison(const void *p, size_t n, const struct dk_dbg_entry *e)
{
	struct vg_block *b = malloc(sizeof(*b));
	char desc[256];

	snprintf(desc, sizeof(desc),
		 "DMA buffer owned by device %s [device address=0x%llx] [mapped with %s]",
		 e ? dev_name(e->dev) : "?",
		 e ? (unsigned long long)e->dma : 0ULL,
		 e ? dk_dbg_dir_name(e->dir) : "?");
	VALGRIND_MAKE_MEM_NOACCESS(p, n);
	if (!b)
		return;
	b->lo = (uintptr_t)p;
	b->hi = b->lo + n;
	b->handle = VALGRIND_CREATE_BLOCK(p, n, desc);
	pthread_mutex_lock(&vg_lock);
	b->next = blocks;
	blocks = b;
	pthread_mutex_unlock(&vg_lock);
}

static void vg_unpoison(const void *p, size_t n)
{
	uintptr_t lo = (uintptr_t)p, hi = lo + n;
	struct vg_block **pp, *b;

	VALGRIND_MAKE_MEM_DEFINED(p, n);
	pthread_mutex_lock(&vg_lock);
	for (pp = &blocks; (b = *pp);) {
		if (b->lo < hi && lo < b->hi) {
			*pp = b->next;
			VALGRIND_DISCARD(b->handle);
			/* What is left of the block outside the range stays
			 * device-owned. */
			if (b->lo < lo)
				VALGRIND_MAKE_MEM_NOACCESS(b->lo, lo - b->lo);
			if (b->hi > hi)
				VALGRIND_MAKE_MEM_NOACCESS(hi, b->hi - hi);
			free(b);
			continue;
		}
		pp = &b->next;
	}
	pthread_mutex_unlock(&vg_lock);
}

void dk_poison(const void *p, size_t n, const struct dk_dbg_entry *owner)
{
	if (!p || !n)
		return;
	if (dk_poison_asan()) {
		install();
		__asan_poison_memory_region(p, n);
	}
	if (RUNNING_ON_VALGRIND)
		vg_poison(p, n, owner);
}

void dk_unpoison(const void *p, size_t n)
{
	if (!p || !n)
		return;
	if (dk_poison_asan())
		__asan_unpoison_memory_region(p, n);
	if (RUNNING_ON_VALGRIND)
		vg_unpoison(p, n);
}

/* Neither can change while the program runs: asked four times a checked
 * map+unmap, the answer is kept (0 no, 1 yes, -1 not asked yet). */
atomic_int dk_poison_state = -1;

bool dk_poison_probe(void)
{
	int a = dk_poison_asan() || RUNNING_ON_VALGRIND;

	atomic_store_explicit(&dk_poison_state, a, memory_order_relaxed);
	return a;
}
