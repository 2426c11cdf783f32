/* SPDX-License-Identifier: MIT */
/*
 * Fixed-width types with the names Linux driver code uses, so ported code
 * compiles unchanged.
 */
#ifndef DMAKIT_TYPES_H
#define DMAKIT_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;	/* as the kernel has it: printk("%llu") */
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;

/* A CPU physical address: 64 bits on every platform dmakit simulates. */
typedef u64 phys_addr_t;
/* An address as a device puts it on the bus (before wiring/IOMMU/ranges). */
typedef u64 dma_addr_t;

/**
 * lower_32_bits() - bits 31..0 of a value, as drivers program a 64-bit
 * address into two 32-bit registers.
 * @n: an integer of any width.
 *
 * Return: the low half as a u32.
 */
#define lower_32_bits(n) ((u32)((n) & 0xffffffff))
/**
 * upper_32_bits() - bits 63..32 of a value (0 for a 32-bit one).
 * @n: an integer of any width; the double shift keeps a 32-bit argument
 *     well defined, as Linux's does.
 *
 * Return: the high half as a u32.
 */
#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))

/* Allocation flags (GFP_*), see <dmakit/gfp.h>. */
typedef unsigned int gfp_t;

#ifdef __cplusplus
}
#endif

#endif
