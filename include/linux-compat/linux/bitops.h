/* SPDX-License-Identifier: MIT */
/* <linux/bitops.h> for driver code built against dmakit: bit helpers. */
#ifndef DMAKIT_COMPAT_LINUX_BITOPS_H
#define DMAKIT_COMPAT_LINUX_BITOPS_H

#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/types.h>

#ifndef BITS_PER_LONG
#define BITS_PER_LONG		(8 * (int)sizeof(long))
#endif
#ifndef BITS_PER_BYTE
#define BITS_PER_BYTE		8
#endif

/**
 * ffs() is the C library's (<strings.h>); __ffs() - the index of the
 * lowest set bit.
 * @word: a nonzero value.
 *
 * Return: 0 to BITS_PER_LONG - 1; undefined for 0, as in Linux.
 */
static inline unsigned long __ffs(unsigned long word)
{
	return (unsigned long)__builtin_ctzl(word);
}

/**
 * __fls() - the index of the highest set bit.
 * @word: a nonzero value.
 *
 * Return: 0 to BITS_PER_LONG - 1; undefined for 0, as in Linux.
 */
static inline unsigned long __fls(unsigned long word)
{
	return (unsigned long)(BITS_PER_LONG - 1 - __builtin_clzl(word));
}

/**
 * fls() - the 1-based index of the highest set bit.
 * @x: a value.
 *
 * Return: 1 to 32, or 0 for 0.
 */
static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

/**
 * hweight32() - how many bits are set.
 * @w: a value.
 *
 * Return: 0 to 32.
 */
static inline unsigned int hweight32(u32 w)
{
	return (unsigned int)__builtin_popcount(w);
}

/* In the <linux/bitfield.h> spirit: a field of a register by its mask. */
#ifndef FIELD_PREP
#define FIELD_PREP(mask, val)						\
	(((__typeof__(mask))(val) << __builtin_ctzll(mask)) & (mask))
#define FIELD_GET(mask, reg)						\
	((__typeof__(mask))(((reg) & (mask)) >> __builtin_ctzll(mask)))
/* The largest value the field holds; whether @val fits it. */
#define FIELD_MAX(mask)		((__typeof__(mask))((mask) >> __builtin_ctzll(mask)))
#define FIELD_FIT(mask, val)						\
	(((unsigned long long)(val) & ~(unsigned long long)FIELD_MAX(mask)) == 0)
#endif

#endif
