// SPDX-License-Identifier: MIT
/*
 * "dmakit,tzasc": the TrustZone address space controller. Its regions live
 * in the SoC (the interconnect checks every access against them under the
 * SoC's lock); this file is their register interface. The register layout
 * and rules are in include/dmakit/models/tzasc.h.
 */
#include <stdatomic.h>

#include <dmakit/models/tzasc.h>

#include "../sim/soc_internal.h"
#include "model_util.h"

#define TZ_GRANULE 0x1000ULL

/* Register @off of a region, or -1 if @off is none. */
static int region_of(u64 off, u64 *field)
{
	u64 rel;

	if (off < DK_TZASC_REGION(0) ||
	    off >= DK_TZASC_REGION(DK_TZASC_REGIONS))
		return -1;
	rel = off - DK_TZASC_REGION(0);
	*field = rel % 0x20;
	return (int)(rel / 0x20);
}

static u32 tzasc_read(struct dk_simdev *dev, u64 off)
{
	struct dk_soc *soc = dev->soc;
	struct dk_tz_region *r;
	u64 field;
	u32 v = 0;
	int n;

	pthread_mutex_lock(&soc->lock);
	n = region_of(off, &field);
	r = n >= 0 ? &soc->tz.r[n] : NULL;
	if (off == DK_TZASC_CONFIG)
		v = DK_TZASC_REGIONS;
	else if (off == DK_TZASC_LOCK)
		v = soc->tz.locked;
	else if (off == DK_TZASC_DENIED)
		v = soc->tz.denied;
	else if (r && field == DK_TZASC_BASE_LO)
		v = (u32)r->base;
	else if (r && field == DK_TZASC_BASE_HI)
		v = (u32)(r->base >> 32);
	else if (r && field == DK_TZASC_SIZE_LO)
		v = (u32)r->size;
	else if (r && field == DK_TZASC_SIZE_HI)
		v = (u32)(r->size >> 32);
	else if (r && field == DK_TZASC_ATTR)
		v = r->attr;
	pthread_mutex_unlock(&soc->lock);
	return v;
}

/* soc->lock held; false: the write is ignored (and counted). */
static bool tzasc_apply(struct dk_tz *tz, u64 off, u32 v)
{
	struct dk_tz_region *r;
	u64 field;
	int n;

	if (off == DK_TZASC_LOCK) {
		if (v & 1)
			tz->locked = true;
		return true;
	}
	n = region_of(off, &field);
	if (n < 0)
		return false;
	r = &tz->r[n];
	switch (field) {
	case DK_TZASC_BASE_LO:
	case DK_TZASC_BASE_HI:
		dk_set_half(&r->base, field == DK_TZASC_BASE_HI, v);
		return true;
	case DK_TZASC_SIZE_LO:
	case DK_TZASC_SIZE_HI:
		dk_set_half(&r->size, field == DK_TZASC_SIZE_HI, v);
		return true;
	case DK_TZASC_ATTR:
		v &= DK_TZASC_ATTR_EN | DK_TZASC_ATTR_NS;
		/* A misaligned region would cut pages in two. */
		if ((v & DK_TZASC_ATTR_EN) &&
		    ((r->base | r->size) & (TZ_GRANULE - 1) || !r->size)) {
			r->attr = 0;
			return false;
		}
		r->attr = v;
		return true;
	}
	return false;
}

static void tzasc_write(struct dk_simdev *dev, u64 off, u32 v)
{
	struct dk_soc *soc = dev->soc;

	pthread_mutex_lock(&soc->lock);
	/* The programming port answers secure transactions only. */
	if (!atomic_load(&soc->cpu_world) || soc->tz.locked ||
	    !tzasc_apply(&soc->tz, off, v))
		soc->tz.denied++;
	pthread_mutex_unlock(&soc->lock);
}

const struct dk_model_ops dk_tzasc_model = {
	.compatible = "dmakit,tzasc",
	.summary = "TrustZone address space controller: regions the secure world programs, boot lock",
	.needs_reg = true,
	.mmio_read = tzasc_read,
	.mmio_write = tzasc_write,
};
