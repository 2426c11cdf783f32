/* SPDX-License-Identifier: MIT */
/* <linux/log2.h> for driver code built against dmakit: powers of two. */
#ifndef DMAKIT_COMPAT_LINUX_LOG2_H
#define DMAKIT_COMPAT_LINUX_LOG2_H

#include <stdbool.h>

/* Integer base-2 logarithm rounded down; undefined for 0, as in Linux
 * (which uses it in constant expressions too: so does this). */
#define ilog2(n)							\
	((int)(8 * sizeof(unsigned long long) - 1) -			\
	 __builtin_clzll((unsigned long long)(n) | 1))

/**
 * is_power_of_2() - whether @n is a power of two.
 * @n: the value; 0 is not.
 *
 * Return: true for 1, 2, 4, ...
 */
static inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

/* The smallest power of two at or above @n (1 for 0 and 1). */
#define roundup_pow_of_two(n)						\
	((n) <= 1 ? 1UL : 1UL << (ilog2((n) - 1) + 1))
/* The largest power of two at or below @n; undefined for 0. */
#define rounddown_pow_of_two(n)		(1UL << ilog2(n))
/* The base-2 logarithm rounded up: order_base_2(5) is 3; 0 for 0 and 1. */
#define order_base_2(n)			((n) <= 1 ? 0 : ilog2((n) - 1) + 1)

#endif
