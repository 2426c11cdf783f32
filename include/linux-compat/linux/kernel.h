/* SPDX-License-Identifier: MIT */
/*
 * <linux/kernel.h> for driver code built against dmakit: the everyday
 * helpers. Each is defined only if the C library or another header has
 * not, so <sys/param.h>'s MIN/MAX and friends coexist.
 */
#ifndef DMAKIT_COMPAT_LINUX_KERNEL_H
#define DMAKIT_COMPAT_LINUX_KERNEL_H

/* The UAPI header of the same name (<sys/sysinfo.h> includes it). */
#include_next <linux/kernel.h>
#include <stddef.h>
#include <stdio.h>

#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/types.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

#ifndef container_of
#define container_of(ptr, type, member)                                    \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))
#endif

/* Each argument evaluated once, as in the kernel. */
#ifndef min
#define min(a, b)                                                          \
	({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b)                                                          \
	({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a > _b ? _a : _b; })
#endif
#ifndef min_t
#define min_t(t, a, b)		min((t)(a), (t)(b))
#define max_t(t, a, b)		max((t)(a), (t)(b))
#endif
#ifndef clamp
#define clamp(v, lo, hi)	min(max(v, lo), hi)
#endif

#ifndef DIV_ROUND_UP
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#endif
#ifndef ALIGN
#define ALIGN(x, a)		(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#endif
#ifndef IS_ALIGNED
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#endif

/* The kernel log is the standard error here. */
#define pr_err(...)		fprintf(stderr, __VA_ARGS__)
#define pr_warn(...)		fprintf(stderr, __VA_ARGS__)
#define pr_info(...)		fprintf(stderr, __VA_ARGS__)
#define pr_debug(...)		((void)0)

#endif
