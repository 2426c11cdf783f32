/* SPDX-License-Identifier: MIT */
/*
 * <linux/math.h> for driver code built against dmakit: integer square
 * roots (the rounding helpers of Linux's math.h are in <linux/kernel.h>,
 * which includes this).
 */
#ifndef DMAKIT_COMPAT_LINUX_MATH_H
#define DMAKIT_COMPAT_LINUX_MATH_H

#include <linux/types.h>

/**
 * int_sqrt64() - the integer square root, rounded down.
 * @x: the number.
 *
 * Return: the largest r with r * r <= @x.
 */
static inline u32 int_sqrt64(u64 x)
{
	u64 r = 0, bit = 1ULL << 62;

	/* Digit by digit, two bits of @x per bit of the root. */
	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return (u32)r;
}

/**
 * int_sqrt() - the integer square root, rounded down.
 * @x: the number.
 *
 * Return: the largest r with r * r <= @x.
 */
static inline unsigned long int_sqrt(unsigned long x)
{
	return int_sqrt64(x);
}

#endif
