/* SPDX-License-Identifier: MIT */
#ifndef DMAKIT_DEBUG_AREA_H
#define DMAKIT_DEBUG_AREA_H

#include "../kernel/kernel.h"

enum dk_area {
	DK_AREA_LINEAR,		/* RAM of the machine: DMA-able */
	DK_AREA_VMALLOC,
	DK_AREA_STACK,
	DK_AREA_RODATA,		/* program text or read-only data */
	DK_AREA_OTHER,		/* malloc, aliases, unmapped */
	DK_AREA_USER,		/* program memory a host maps on demand */
};

/* dk_area_of - classify the memory @p points into. */
enum dk_area dk_area_of(struct dk_machine *m, const void *p);

#endif
