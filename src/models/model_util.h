/* SPDX-License-Identifier: MIT */
/* What every device model needs: little-endian DMA memory, probe errors. */
#ifndef DMAKIT_MODELS_MODEL_UTIL_H
#define DMAKIT_MODELS_MODEL_UTIL_H

#include <errno.h>

#include <dmakit/sim_device.h>

#include "../core/dk_internal.h"

/* Descriptors in DMA memory are little-endian whatever the host is. */
static inline u32 le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static inline u64 le64(const u8 *p)
{
	return le32(p) | (u64)le32(p + 4) << 32;
}

static inline void put_le32(u8 *p, u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static inline void put_le64(u8 *p, u64 v)
{
	put_le32(p, (u32)v);
	put_le32(p + 4, v >> 32);
}

/* A 64-bit register written as two 32-bit halves: one of them. */
static inline void dk_set_half(u64 *x, bool hi, u32 v)
{
	*x = hi ? (*x & 0xffffffffULL) | (u64)v << 32 :
		  (*x & ~0xffffffffULL) | v;
}

/* The probe error for a "reg" window too small for the registers. */
static inline int dk_model_small_window(const struct dk_devdesc *d,
					unsigned long need)
{
	return dk_err(-EINVAL,
		      "node %s: property \"reg\": window of 0x%llx bytes is smaller than the 0x%lx the registers need",
		      d->name, (unsigned long long)d->reg_size, need);
}

/*
 * Register accesses between these do not stall the CPU (stall.c): a bus
 * master's, not the CPU's. Returns what end() restores.
 */
struct dk_soc *dk_stall_exempt_begin(struct dk_soc *soc);
void dk_stall_exempt_end(struct dk_soc *prev);

#endif
