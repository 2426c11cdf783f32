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

/*
 * One access the compiler may neither tear, merge nor repeat. Linux's
 * memory model counts these as marked accesses, never a data race; a
 * volatile access is one to ThreadSanitizer, so under it a scalar's is a
 * relaxed atomic access (the same instructions on the machines dmakit
 * runs on), and only what no atomic access can do stays volatile.
 */
#if defined(__SANITIZE_THREAD__)
#define __DK_ONCE_ATOMIC 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define __DK_ONCE_ATOMIC 1
#endif
#endif

#define __dk_read_once_volatile(x)	(*(const volatile __typeof__(x) *)&(x))
#ifdef __DK_ONCE_ATOMIC
/* @x's type without its qualifiers (an rvalue's), never evaluated. */
#define __dk_unqual_typeof(x)	__typeof__(({ __auto_type __t = (x); __t; }))
#define __dk_once_atomic(x)						\
	((sizeof(x) == 1 || sizeof(x) == 2 || sizeof(x) == 4 ||		\
	  sizeof(x) == 8) && __alignof__(x) >= sizeof(x))
#define READ_ONCE(x)							\
	__builtin_choose_expr(__dk_once_atomic(x),			\
		__extension__({						\
			__dk_unqual_typeof(x) __ro;			\
			__atomic_load(&(x), &__ro, __ATOMIC_RELAXED);	\
			__ro;						\
		}),							\
		__dk_read_once_volatile(x))
#define WRITE_ONCE(x, v)						\
	do {								\
		__dk_unqual_typeof(x) __wo = (v);			\
		__builtin_choose_expr(__dk_once_atomic(x),		\
			__atomic_store(&(x), &__wo, __ATOMIC_RELAXED),	\
			(void)(*(volatile __typeof__(x) *)&(x) = __wo));	\
	} while (0)
#else
#define READ_ONCE(x)		__dk_read_once_volatile(x)
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#endif

#endif
