/* SPDX-License-Identifier: MIT */
/* <linux/mutex.h> for driver code built against dmakit: sleeping locks,
 * over the C library's mutexes. */
#ifndef DMAKIT_COMPAT_LINUX_MUTEX_H
#define DMAKIT_COMPAT_LINUX_MUTEX_H

#include <pthread.h>

#include <linux/atomic.h>
#include <linux/compiler.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct mutex - a lock whose holder may sleep.
 */
struct mutex {
	/** @lock: the lock */
	pthread_mutex_t lock;
};

#define __MUTEX_INITIALIZER(name)	{ PTHREAD_MUTEX_INITIALIZER }
#define DEFINE_MUTEX(name)	struct mutex name = __MUTEX_INITIALIZER(name)

/**
 * mutex_init() - start a mutex unlocked.
 * @m: the mutex.
 */
static inline void mutex_init(struct mutex *m)
{
	pthread_mutex_init(&m->lock, NULL);
}

/**
 * mutex_destroy() - a mutex is no longer used.
 * @m: an unlocked mutex.
 */
static inline void mutex_destroy(struct mutex *m)
{
	pthread_mutex_destroy(&m->lock);
}

/**
 * mutex_lock() - take a mutex, waiting for it.
 * @m: the mutex.
 */
static inline void mutex_lock(struct mutex *m)
{
	pthread_mutex_lock(&m->lock);
}

/**
 * mutex_trylock() - take a mutex if it is free.
 * @m: the mutex.
 *
 * Return: 1 if taken, 0 if held.
 */
static inline int mutex_trylock(struct mutex *m)
{
	return pthread_mutex_trylock(&m->lock) == 0;
}

/**
 * mutex_unlock() - release a mutex.
 * @m: a mutex this thread holds.
 */
static inline void mutex_unlock(struct mutex *m)
{
	pthread_mutex_unlock(&m->lock);
}

/**
 * mutex_lock_interruptible() - mutex_lock(); no signal interrupts it here.
 * @m: the mutex.
 *
 * Return: 0.
 */
static inline int mutex_lock_interruptible(struct mutex *m)
{
	mutex_lock(m);
	return 0;
}

#define mutex_lock_nested(m, subclass)	mutex_lock(m)
#define mutex_lock_killable(m)		mutex_lock_interruptible(m)
#define lockdep_assert_held(m)		((void)(m))

#ifdef __cplusplus
}
#endif

#endif
