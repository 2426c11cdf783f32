/* SPDX-License-Identifier: MIT */
/*
 * <linux/atomic.h> for driver code built against dmakit: atomic_t,
 * atomic64_t and atomic_long_t. Every operation is a sequentially
 * consistent atomic of the host (the kernel's value-returning operations
 * are fully ordered; its void ones are not ordered at all, so a driver
 * correct under Linux's rules is correct here); atomic_read/atomic_set
 * are relaxed loads and stores, as READ_ONCE/WRITE_ONCE.
 */
#ifndef DMAKIT_COMPAT_LINUX_ATOMIC_H
#define DMAKIT_COMPAT_LINUX_ATOMIC_H

#include <stdbool.h>

#include <linux/types.h>

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	s64 counter;
} atomic64_t;

typedef struct {
	long counter;
} atomic_long_t;

#define ATOMIC_INIT(i)		{ (i) }
#define ATOMIC64_INIT(i)	{ (i) }
#define ATOMIC_LONG_INIT(i)	{ (i) }

/*
 * One definition per width: PFX is the name's prefix (atomic, atomic64,
 * atomic_long), T the struct, V the value type.
 */
#define DK_ATOMIC_OPS(PFX, T, V)					\
static inline V PFX##_read(const T *v)					\
{									\
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);		\
}									\
static inline void PFX##_set(T *v, V i)					\
{									\
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);		\
}									\
static inline V PFX##_add_return(V i, T *v)				\
{									\
	return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST);	\
}									\
static inline V PFX##_sub_return(V i, T *v)				\
{									\
	return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST);	\
}									\
static inline V PFX##_fetch_add(V i, T *v)				\
{									\
	return __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST);	\
}									\
static inline V PFX##_fetch_sub(V i, T *v)				\
{									\
	return __atomic_fetch_sub(&v->counter, i, __ATOMIC_SEQ_CST);	\
}									\
static inline V PFX##_fetch_or(V i, T *v)				\
{									\
	return __atomic_fetch_or(&v->counter, i, __ATOMIC_SEQ_CST);	\
}									\
static inline V PFX##_fetch_and(V i, T *v)				\
{									\
	return __atomic_fetch_and(&v->counter, i, __ATOMIC_SEQ_CST);	\
}									\
static inline void PFX##_add(V i, T *v)					\
{									\
	(void)PFX##_add_return(i, v);					\
}									\
static inline void PFX##_sub(V i, T *v)					\
{									\
	(void)PFX##_sub_return(i, v);					\
}									\
static inline void PFX##_or(V i, T *v)					\
{									\
	(void)PFX##_fetch_or(i, v);					\
}									\
static inline void PFX##_and(V i, T *v)					\
{									\
	(void)PFX##_fetch_and(i, v);					\
}									\
static inline void PFX##_inc(T *v)					\
{									\
	PFX##_add(1, v);						\
}									\
static inline void PFX##_dec(T *v)					\
{									\
	PFX##_sub(1, v);						\
}									\
static inline V PFX##_inc_return(T *v)					\
{									\
	return PFX##_add_return(1, v);					\
}									\
static inline V PFX##_dec_return(T *v)					\
{									\
	return PFX##_sub_return(1, v);					\
}									\
static inline bool PFX##_inc_and_test(T *v)				\
{									\
	return PFX##_inc_return(v) == 0;				\
}									\
static inline bool PFX##_dec_and_test(T *v)				\
{									\
	return PFX##_dec_return(v) == 0;				\
}									\
static inline bool PFX##_sub_and_test(V i, T *v)			\
{									\
	return PFX##_sub_return(i, v) == 0;				\
}									\
static inline V PFX##_xchg(T *v, V i)					\
{									\
	return __atomic_exchange_n(&v->counter, i, __ATOMIC_SEQ_CST);	\
}									\
/* The old value; it equals @old if and only if @new was stored. */	\
static inline V PFX##_cmpxchg(T *v, V old, V new_)			\
{									\
	__atomic_compare_exchange_n(&v->counter, &old, new_, false,	\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
	return old;							\
}									\
static inline bool PFX##_try_cmpxchg(T *v, V *old, V new_)		\
{									\
	return __atomic_compare_exchange_n(&v->counter, old, new_,	\
					   false, __ATOMIC_SEQ_CST,	\
					   __ATOMIC_SEQ_CST);		\
}									\
/* Add @a unless the value is @u; the value before. */			\
static inline V PFX##_fetch_add_unless(T *v, V a, V u)			\
{									\
	V c = PFX##_read(v);						\
									\
	while (c != u && !PFX##_try_cmpxchg(v, &c, c + a))		\
		;							\
	return c;							\
}									\
static inline bool PFX##_add_unless(T *v, V a, V u)			\
{									\
	return PFX##_fetch_add_unless(v, a, u) != u;			\
}									\
static inline bool PFX##_inc_not_zero(T *v)				\
{									\
	return PFX##_add_unless(v, 1, 0);				\
}

DK_ATOMIC_OPS(atomic, atomic_t, int)
DK_ATOMIC_OPS(atomic64, atomic64_t, s64)
DK_ATOMIC_OPS(atomic_long, atomic_long_t, long)

#undef DK_ATOMIC_OPS

#endif
