/* SPDX-License-Identifier: MIT */
/*
 * A registry of the objects dmakit hands out (machines, SoCs, devices,
 * pools...), so an entry point can tell a live object from a freed one, a
 * second free or a stray pointer without reading the pointed-to memory.
 */
#ifndef DMAKIT_CORE_OBJREG_H
#define DMAKIT_CORE_OBJREG_H

#include <stdbool.h>

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
/* dk_obj_live - whether @p is live as @kind (NULL never is). */
bool dk_obj_live(const void *p, enum dk_obj_kind kind);
/* dk_obj_find - a live object of @kind belonging to @on, or NULL. */
const void *dk_obj_find(enum dk_obj_kind kind, const void *on);
/*
 * dk_obj_check - dk_obj_live(), else a message "@fn: NULL @what" or
 * "@fn: @what %p is not live (freed, or not made by dmakit)" and false.
 */
bool dk_obj_check(const void *p, enum dk_obj_kind kind, const char *what,
		  const char *fn);

#endif
