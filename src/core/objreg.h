/* SPDX-License-Identifier: MIT */
/*
 * A registry of the objects dmakit hands out (machines, SoCs, devices,
 * pools...), so an entry point can tell a live object from a freed one, a
 * second free or a stray pointer without reading the pointed-to memory.
 */
#ifndef DMAKIT_CORE_OBJREG_H
#define DMAKIT_CORE_OBJREG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

enum dk_obj_kind {
	DK_OBJ_MACHINE,
	DK_OBJ_SOC,
	DK_OBJ_DEVICE,
	DK_OBJ_SIMDEV,
	DK_OBJ_POOL,
	DK_OBJ_SGTABLE,		/* from dma_alloc_noncontiguous() */
	DK_OBJ_NR
};

/*
 * dk_obj_add - @p becomes live as @kind, belonging to @on (the machine of a
 * device, the platform context of a machine, the SoC of a simulated
 * device; may be NULL). 0 or -ENOMEM (message set).
 */
int dk_obj_add(const void *p, enum dk_obj_kind kind, const void *on);
/* dk_obj_del - @p is no longer live; false if it was not live as @kind. */
bool dk_obj_del(const void *p, enum dk_obj_kind kind);
/*
 * dk_obj_free_later - free(@p), but only after many later calls, so a
 * stale pointer to a dead object does not soon name a new live one (the
 * registry knows objects by address). The memory stays reachable until
 * then, so leak checkers stay quiet.
 */
void dk_obj_free_later(void *p);
/*
 * Every DMA call asks whether its device and machine are live, and the
 * read lock's two atomic operations on one shared word made that a tenth
 * or more of a map and serialized threads. Each thread remembers the
 * objects it found live, stamped with the count of removals seen before
 * it looked: any removal since makes the stamp stale. The count is read
 * by every thread and written only by a removal, so its cache line is
 * shared, not bounced. The remembered answer is looked at inline: an
 * out-of-line call per check was most of what a coherent map cost.
 */
#define DK_OBJ_SEEN 8	/* sets of two: any two objects a call uses fit */

struct dk_obj_seen {
	const void *p;
	enum dk_obj_kind kind;
	unsigned long stamp;
};

extern atomic_ulong dk_obj_removals;
/* initial-exec: with -fPIC the default model is a call, and the
 * registers it clobbers were saved and restored around every look. */
extern _Thread_local struct dk_obj_seen dk_obj_seen[DK_OBJ_SEEN][2]
	__attribute__((tls_model("initial-exec")));

/*
 * The newest object of each kind found live, looked at before the sets:
 * a driver's calls name one device and its SoC again and again, and this
 * test (a load and two compares) was a third of the set's, which three
 * times a map+unmap made a tenth of a small one's cost. Its stamp starts
 * at one no count reaches, so NULL is never found here.
 */
struct dk_obj_last {
	const void *p;
	unsigned long stamp;
};

extern _Thread_local struct dk_obj_last dk_obj_last[DK_OBJ_NR]
	__attribute__((tls_model("initial-exec")));

/* The set @p is remembered in. Bits above the low ones too: a device and
 * its SoC that agree in bits 4-6 took turns in one slot, each look at one
 * sending the other to the locked lookup. */
static inline struct dk_obj_seen *dk_obj_seen_set(const void *p)
{
	uintptr_t x = (uintptr_t)p;

	return dk_obj_seen[((x >> 4) ^ (x >> 10) ^ (x >> 16)) % DK_OBJ_SEEN];
}

/* The registry's lookup, for what this thread has not seen live lately. */
bool dk_obj_live_slow(const void *p, enum dk_obj_kind kind);

/* Whether this thread saw @p live as @kind since the last removal: true
 * means live; false means ask dk_obj_live(). No call, so a fast path
 * that uses it saves no registers. */
static inline bool dk_obj_seen_live(const void *p, enum dk_obj_kind kind)
{
	const struct dk_obj_seen *sn;
	unsigned long now = atomic_load_explicit(&dk_obj_removals,
						 memory_order_acquire);

	if (dk_obj_last[kind].p == p && dk_obj_last[kind].stamp == now)
		return true;
	sn = dk_obj_seen_set(p);
	if (sn[0].p != p)
		sn++;
	if (!p || sn->p != p || sn->kind != kind || sn->stamp != now)
		return false;
	dk_obj_last[kind] = (struct dk_obj_last){ p, now };
	return true;
}

/* dk_obj_live - whether @p is live as @kind (NULL never is). */
static inline bool dk_obj_live(const void *p, enum dk_obj_kind kind)
{
	return dk_obj_seen_live(p, kind) || dk_obj_live_slow(p, kind);
}
/* dk_obj_find - a live object of @kind belonging to @on, or NULL. */
const void *dk_obj_find(enum dk_obj_kind kind, const void *on);
/*
 * dk_obj_check - dk_obj_live(), else a message "@fn: NULL @what" or
 * "@fn: @what %p is not live (freed, or not made by dmakit)" and false.
 */
/* The registry's lookup and the message, for what the thread has not
 * seen live lately. */
bool dk_obj_check_slow(const void *p, enum dk_obj_kind kind,
		       const char *what, const char *fn);

static inline bool dk_obj_check(const void *p, enum dk_obj_kind kind,
				const char *what, const char *fn)
{
	return dk_obj_seen_live(p, kind) ||
	       dk_obj_check_slow(p, kind, what, fn);
}

#endif
