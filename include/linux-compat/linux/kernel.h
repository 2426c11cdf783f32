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
/* exit() and abort(), which the kernel's userspace tests (tools/testing)
 * take from their <linux/kernel.h>; drivers never call them. */
#include <stdlib.h>
#include <string.h>	/* drivers get memset() through here in Linux too */

#include <linux/kconfig.h>
#include <linux/bits.h>
#include <linux/byteorder/generic.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/types.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/swab.h>
#include <dmakit/error.h>

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
#ifndef clamp_t
#define clamp_t(t, v, lo, hi)	clamp((t)(v), (t)(lo), (t)(hi))
/* @lo and @hi converted to the type of @v. */
#define clamp_val(v, lo, hi)	clamp_t(__typeof__(v), v, lo, hi)
#endif
#ifndef min3
#define min3(a, b, c)		min(min(a, b), c)
#define max3(a, b, c)		max(max(a, b), c)
#endif
#ifndef swap
#define swap(a, b)							\
	do {								\
		__typeof__(a) __dk_t = (a);				\
		(a) = (b);						\
		(b) = __dk_t;						\
	} while (0)
#endif

#ifndef DIV_ROUND_UP
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#endif
/* To the nearest, halves away from zero (for a divisor above 0). */
#ifndef DIV_ROUND_CLOSEST
#define DIV_ROUND_CLOSEST(x, d)						\
	({								\
		__typeof__(x) __dk_x = (x);				\
		__typeof__(d) __dk_d = (d);				\
		(((__typeof__(x))-1) > 0 || ((__typeof__(d))-1) > 0 ||	\
		 (__dk_x > 0) == (__dk_d > 0)) ?			\
			(__dk_x + __dk_d / 2) / __dk_d :		\
			(__dk_x - __dk_d / 2) / __dk_d;			\
	})
#define DIV_ROUND_UP_ULL(n, d)	DIV_ROUND_UP((unsigned long long)(n), (d))
#endif
/* Any multiple (roundup, rounddown) or a power of two (round_up,
 * round_down); <sys/param.h> has a roundup() of its own, the same. */
#ifndef roundup
#define roundup(x, y)		((((x) + ((y) - 1)) / (y)) * (y))
#endif
#ifndef rounddown
#define rounddown(x, y)		((x) - ((x) % (y)))
#endif
#ifndef round_up
#define round_up(x, y)		((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define round_down(x, y)	((x) & ~((__typeof__(x))((y) - 1)))
#endif
#ifndef ALIGN
#define ALIGN(x, a)		(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define PTR_ALIGN(p, a)		((__typeof__(p))ALIGN((unsigned long)(p), (a)))
#define PTR_ALIGN_DOWN(p, a)	((__typeof__(p))((unsigned long)(p) & ~((unsigned long)(a) - 1)))

/* Divide the 64-bit lvalue @n by @base in place; the remainder. */
#define do_div(n, base)							\
	({								\
		u32 __dk_base = (base);					\
		u32 __dk_rem = (u32)((u64)(n) % __dk_base);		\
		(n) = (u64)(n) / __dk_base;				\
		__dk_rem;						\
	})

/* Ordering between CPUs: host fences (one image of memory here; the
 * simulated devices' ordering is dma_wmb()'s and friends'). */
#define smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_store_release(p, v)	__atomic_store_n(p, v, __ATOMIC_RELEASE)
#define smp_load_acquire(p)	__atomic_load_n(p, __ATOMIC_ACQUIRE)
#endif
#ifndef IS_ALIGNED
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#endif

/* The kernel log is dmakit's (dk_log_output(): the standard error unless
 * a test redirects it), as dev_err() writes it. */
#define DK_KLOG			((FILE *)dk_log_output())
/* A driver's own pr_fmt(), defined before its includes, prefixes them. */
#ifndef pr_fmt
#define pr_fmt(fmt)		fmt
#endif
#define pr_err(fmt, ...)	fprintf(DK_KLOG, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	fprintf(DK_KLOG, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	fprintf(DK_KLOG, pr_fmt(fmt), ##__VA_ARGS__)
/* Compiled out, as without DEBUG, yet its format and arguments are
 * checked and count as used. */
#define no_printk(fmt, ...)						\
	({								\
		if (0)							\
			fprintf(DK_KLOG, fmt, ##__VA_ARGS__);		\
		0;							\
	})
#define pr_debug(fmt, ...)	no_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	fprintf(DK_KLOG, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	fprintf(DK_KLOG, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_emerg(fmt, ...)	fprintf(DK_KLOG, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(...)		fprintf(DK_KLOG, __VA_ARGS__)
#define printk(...)		fprintf(DK_KLOG, __VA_ARGS__)
/* Log levels are prefixes of the message: none here. */
#define KERN_EMERG		""
#define KERN_ALERT		""
#define KERN_CRIT		""
#define KERN_ERR		""
#define KERN_WARNING		""
#define KERN_NOTICE		""
#define KERN_INFO		""
#define KERN_DEBUG		""
#define KERN_CONT		""
#ifndef KBUILD_MODNAME
#define KBUILD_MODNAME		"driver"
#endif

#ifndef fallthrough
#define fallthrough		__attribute__((fallthrough))
#endif
#ifndef __stringify
#define __dk_stringify(x)	#x
#define __stringify(x)		__dk_stringify(x)
#endif

/* Assertions report and carry on, as WARN does. */
#define WARN_ON(cond)							\
	({								\
		int __dk_c = !!(cond);					\
		if (__dk_c)						\
			fprintf(DK_KLOG, "WARNING: %s:%d: %s\n", __FILE__,	\
				__LINE__, #cond);			\
		__dk_c;							\
	})
#define WARN_ON_ONCE(cond)	WARN_ON(cond)
#define WARN(cond, ...)							\
	({								\
		int __dk_c = !!(cond);					\
		if (__dk_c)						\
			fprintf(DK_KLOG, __VA_ARGS__);			\
		__dk_c;							\
	})
#define WARN_ONCE(cond, ...)	WARN(cond, __VA_ARGS__)
#define BUG_ON(cond)							\
	do {								\
		if (cond)						\
			fprintf(DK_KLOG, "BUG: %s:%d: %s\n", __FILE__,	\
				__LINE__, #cond);			\
	} while (0)
#define might_sleep()		do { } while (0)
#define cpu_relax()		barrier()

#endif
