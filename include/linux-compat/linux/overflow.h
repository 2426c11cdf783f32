/* SPDX-License-Identifier: MIT */
/*
 * <linux/overflow.h> for driver code built against dmakit: arithmetic on
 * sizes that cannot wrap. The size_*() helpers saturate at SIZE_MAX, so
 * an allocation of an overflowed size fails instead of being too small.
 */
#ifndef DMAKIT_COMPAT_LINUX_OVERFLOW_H
#define DMAKIT_COMPAT_LINUX_OVERFLOW_H

#include <stddef.h>
#include <stdint.h>

/* Whether a + b, a - b, a * b overflowed the type of *d (set to the
 * result wrapped, as Linux's). */
#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_sub_overflow(a, b, d)	__builtin_sub_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)

/**
 * size_mul() - @a * @b, or SIZE_MAX if that overflows.
 * @a: a size.
 * @b: a size.
 *
 * Return: the product, saturated.
 */
static inline size_t size_mul(size_t a, size_t b)
{
	size_t r;

	return __builtin_mul_overflow(a, b, &r) ? SIZE_MAX : r;
}

/**
 * size_add() - @a + @b, or SIZE_MAX if that overflows.
 * @a: a size.
 * @b: a size.
 *
 * Return: the sum, saturated.
 */
static inline size_t size_add(size_t a, size_t b)
{
	size_t r;

	return __builtin_add_overflow(a, b, &r) ? SIZE_MAX : r;
}

/* @n elements of @size bytes; @n of @p's flexible array @member; the
 * whole of *@p with @n of them. Each SIZE_MAX on overflow. */
#define array_size(n, size)		size_mul(n, size)
#define array3_size(a, b, c)		size_mul(size_mul(a, b), c)
#define flex_array_size(p, member, n)	size_mul(n, sizeof(*(p)->member))
#define struct_size(p, member, n)					\
	size_add(sizeof(*(p)), flex_array_size(p, member, n))
#define struct_size_t(type, member, n)					\
	struct_size((type *)NULL, member, n)

#endif
