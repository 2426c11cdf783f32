/* SPDX-License-Identifier: MIT */
/*
 * Where a mapping was made: the return addresses of the calling frames,
 * taken at map time by the frame-pointer chain and symbolized only when a
 * report is printed (entry.c). Inline in the checker's map hooks: the
 * call and the tests around it were a third of the walk.
 */
#ifndef DMAKIT_DEBUG_CALLCHAIN_H
#define DMAKIT_DEBUG_CALLCHAIN_H

#include <stdatomic.h>
#include <stdint.h>

#include <dmakit/dma-debug.h>

/* The mode dk_dma_debug_set_backtrace_mode() set, and whether Valgrind
 * runs (-1 until the first capture asks). */
extern atomic_int dk_dbg_bt_mode __attribute__((visibility("hidden")));
extern atomic_int dk_dbg_on_valgrind __attribute__((visibility("hidden")));

/* The calling thread's stack: [lo, hi), hi 0 until dk_dbg_stack_find()
 * looked it up, both ~0 when it cannot be (no frame walk then). */
extern _Thread_local uintptr_t dk_dbg_stack_lo
	__attribute__((tls_model("initial-exec"), visibility("hidden")));
extern _Thread_local uintptr_t dk_dbg_stack_hi
	__attribute__((tls_model("initial-exec"), visibility("hidden")));
void dk_dbg_stack_find(void) __attribute__((visibility("hidden")));

/* What the inline walk does not: a mode but frames, the first look for
 * Valgrind, or a sanitizer build (entry.c); the caller's caller's chain. */
int dk_dbg_capture_slow(void **out, int max)
	__attribute__((visibility("hidden")));

/* An instrumented walk would be reported where a stray frame pointer
 * meets a poisoned local: sanitizer builds walk out of line. */
#if defined(__SANITIZE_ADDRESS__)
#define DK_DBG_WALK_INLINE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DK_DBG_WALK_INLINE 0
#endif
#endif
#ifndef DK_DBG_WALK_INLINE
#define DK_DBG_WALK_INLINE 1
#endif

/*
 * The return addresses of the calling frames from the record at @fp, the
 * first @skip records passed over, the thread's stack known: each record
 * is the caller's frame pointer and the return address (x86-64 and arm64
 * alike). A record outside this thread's stack, out of order or
 * misaligned ends the walk, so a caller built without frame pointers
 * costs frames, never a bad read.
 */
static inline __attribute__((always_inline, no_sanitize_address)) int
dk_dbg_fp_walk_known(void **out, int max, uintptr_t fp, int skip)
{
	uintptr_t hi, next, ret;
	int n = 0;

	/* The highest place a whole record fits; each next record must be
	 * above the last (so it is above lo too), below that and aligned. */
	hi = dk_dbg_stack_hi - 2 * sizeof(void *);
	if (fp < dk_dbg_stack_lo || fp > hi || (fp & (sizeof(void *) - 1)))
		return 0;
	for (;;) {
		if (skip)
			skip--;
		else if ((ret = ((const uintptr_t *)fp)[1]))
			out[n++] = (void *)ret;
		else
			break;
		next = *(const uintptr_t *)fp;
		/* In (fp, hi] and aligned: one compare for the range. */
		if (n >= max || next - fp - 1 >= hi - fp ||
		    (next & (sizeof(void *) - 1)))
			break;
		fp = next;
	}
	return n;
}

/* dk_dbg_fp_walk_known(), the thread's stack looked up first if need be. */
static inline __attribute__((always_inline, no_sanitize_address)) int
dk_dbg_fp_walk(void **out, int max, uintptr_t fp, int skip)
{
	if (!dk_dbg_stack_hi)
		dk_dbg_stack_find();
	return dk_dbg_fp_walk_known(out, max, fp, skip);
}

/*
 * The call chain of the function this is inlined in (a checker hook)
 * from its caller on, into @out, at most @max frames, as the backtrace
 * mode says; returns how many.
 */
static inline __attribute__((always_inline)) int dk_dbg_capture(void **out,
								int max)
{
#if DK_DBG_WALK_INLINE
	if (atomic_load_explicit(&dk_dbg_bt_mode, memory_order_relaxed) ==
		    DK_DMA_DEBUG_BT_FRAMES &&
	    !atomic_load_explicit(&dk_dbg_on_valgrind, memory_order_relaxed))
		return dk_dbg_fp_walk(out, max,
				      (uintptr_t)__builtin_frame_address(0), 0);
#endif
	return dk_dbg_capture_slow(out, max);
}

#endif
