/* SPDX-License-Identifier: MIT */
/*
 * <linux/compiler.h> for driver code built against dmakit: the attributes
 * and access helpers drivers use, as GCC and Clang spell them.
 */
#ifndef DMAKIT_COMPAT_LINUX_COMPILER_H
#define DMAKIT_COMPAT_LINUX_COMPILER_H

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif

/* Address-space markers: sparse's business, nothing for the compiler. */
#ifndef __iomem
#define __iomem
#endif
#ifndef __force
#define __force
#endif
#ifndef __user
#define __user
#endif
#ifndef __rcu
#define __rcu
#endif

#ifndef __packed
#define __packed		__attribute__((packed))
#endif
#ifndef __aligned
#define __aligned(x)		__attribute__((aligned(x)))
#endif
#ifndef __maybe_unused
#define __maybe_unused		__attribute__((unused))
#endif
#ifndef __always_unused
#define __always_unused		__attribute__((unused))
#endif
#ifndef __must_check
#define __must_check		__attribute__((warn_unused_result))
#endif
#ifndef __always_inline
#define __always_inline		inline __attribute__((always_inline))
#endif
#ifndef noinline
#define noinline		__attribute__((noinline))
#endif

#ifndef barrier
#define barrier()		__asm__ __volatile__("" ::: "memory")
#endif

/* One access the compiler may neither tear, merge nor repeat. */
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))

#endif
