/* SPDX-License-Identifier: MIT */
/*
 * The one owner of the host protections of the library's own mappings.
 * Two kinds of user change them: closers (the TrustZone map, alignment
 * faults) make pages inaccessible for a while, and the write buffer
 * (sim/wbuf.c) learns which pages of a span the CPU stored to since the
 * last barrier by write-protecting them until the first store faults.
 * Every change goes through here, so a page a closer closed is never
 * opened by the tracker, and a closer opening a page gives it back the
 * protection the tracker wants, not read-write.
 */
#ifndef DMAKIT_CORE_PAGEPROT_H
#define DMAKIT_CORE_PAGEPROT_H

#include <stdbool.h>
#include <stddef.h>

struct dk_pp_span;

/* Whether spans can be made here: not under Valgrind (see
 * dk_pp_span_new()). */
bool dk_pp_can_track(void);

/*
 * A mapping of @npages pages at @va (page-aligned) whose pages may be
 * tracked, all untracked and read-write. NULL when out of memory or
 * spans (the caller then copies instead of tracking).
 */
struct dk_pp_span *dk_pp_span_new(void *va, size_t npages);
/*
 * The SIGSEGV handler first stores need, installed once, before any page
 * is tracked: a program that never tracks keeps its own disposition.
 * Faults not on a tracked page go to the handler installed before.
 * 0, or -errno from sigaction().
 */
int dk_pp_arm(void);

/* Before the mapping goes; no store to it may be running. */
void dk_pp_span_free(struct dk_pp_span *s);

/*
 * Track first stores to pages [@pg, @pg + @n) of @s (@on), or no longer.
 * No system call: a page made tracked counts as stored to until the next
 * sweep write-protects it; one no longer tracked is opened by the next
 * sweep or by its own first store, whichever comes first.
 */
void dk_pp_track(struct dk_pp_span *s, size_t pg, size_t n, bool on);

/*
 * The tracked pages of @s stored to since the last sweep: each is
 * write-protected again, then @copy(@arg, page) is called for it, in
 * that order (a store racing the sweep faults, so it is in this copy or
 * listed for the next). @copy says whether the page had changed. Pages
 * a closer holds, and pages stored to at every barrier lately (hot),
 * stay open and listed: copied at every sweep. Cheap when nothing was
 * stored.
 */
void dk_pp_sweep(struct dk_pp_span *s, bool (*copy)(void *arg, size_t pg),
		 void *arg);

/* Whether a fault at @va is the tracker's (for tests). */
bool dk_pp_tracked(const void *va);

/*
 * For closers: @size bytes at page-aligned @va inaccessible, or back to
 * what their owner wants (read-write, or write-protected while tracked
 * and not stored to). Closes nest. 0, or -1 with errno from mprotect().
 */
int dk_pp_close(void *va, size_t size);
int dk_pp_open(void *va, size_t size);

#endif
