/* SPDX-License-Identifier: MIT */
/*
 * <linux/spinlock.h> for driver code built against dmakit: spinlocks,
 * which here are mutexes that know their owner, so that taking one twice
 * on one thread (an interrupt handler that takes a lock the code it
 * interrupted holds without spin_lock_irqsave(), say) is reported as
 * "BUG: spinlock recursion" instead of hanging. The _irqsave and _irq
 * forms also mask this thread's interrupts (<linux/irqflags.h>).
 */
#ifndef DMAKIT_COMPAT_LINUX_SPINLOCK_H
#define DMAKIT_COMPAT_LINUX_SPINLOCK_H

#include <pthread.h>

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/irqflags.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct spinlock - a lock for short critical sections.
 */
typedef struct spinlock {
	/** @lock: the lock */
	pthread_mutex_t lock;
	/** @owner: the holding thread, valid while @held */
	pthread_t owner;
	/** @held: how often its owner holds it (above 1 only after a
	 * reported recursion) */
	int held;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name)	{ PTHREAD_MUTEX_INITIALIZER, 0, 0 }
#define DEFINE_SPINLOCK(name)	spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

/**
 * spin_lock_init() - start a spinlock unlocked.
 * @lock: the lock.
 */
void spin_lock_init(spinlock_t *lock);

/**
 * spin_lock() - take a spinlock. Taking one this thread holds already is
 * reported ("BUG: spinlock recursion") and counted instead of deadlocking.
 * @lock: the lock.
 */
void spin_lock(spinlock_t *lock);

/**
 * spin_trylock() - take a spinlock if it is free.
 * @lock: the lock.
 *
 * Return: 1 if taken, 0 if held.
 */
int spin_trylock(spinlock_t *lock);

/**
 * spin_unlock() - release a spinlock. Releasing one this thread does not
 * hold is reported ("BUG: spinlock already unlocked" or "wrong owner").
 * @lock: the lock.
 */
void spin_unlock(spinlock_t *lock);

#define spin_lock_irqsave(lock, flags)					\
	do {								\
		local_irq_save(flags);					\
		spin_lock(lock);					\
	} while (0)
#define spin_unlock_irqrestore(lock, flags)				\
	do {								\
		spin_unlock(lock);					\
		local_irq_restore(flags);				\
	} while (0)
#define spin_lock_irq(lock)						\
	do {								\
		local_irq_disable();					\
		spin_lock(lock);					\
	} while (0)
#define spin_unlock_irq(lock)						\
	do {								\
		spin_unlock(lock);					\
		local_irq_enable();					\
	} while (0)
#define spin_lock_bh(lock)		spin_lock(lock)
#define spin_unlock_bh(lock)		spin_unlock(lock)
#define assert_spin_locked(lock)	((void)(lock))

/* Raw spinlocks are the same here. */
typedef spinlock_t raw_spinlock_t;
#define DEFINE_RAW_SPINLOCK(name)	DEFINE_SPINLOCK(name)
#define raw_spin_lock_init(l)		spin_lock_init(l)
#define raw_spin_lock(l)		spin_lock(l)
#define raw_spin_unlock(l)		spin_unlock(l)
#define raw_spin_lock_irqsave(l, f)	spin_lock_irqsave(l, f)
#define raw_spin_unlock_irqrestore(l, f) spin_unlock_irqrestore(l, f)

#ifdef __cplusplus
}
#endif

#endif
