// SPDX-License-Identifier: MIT
/* Spinlocks that report recursion instead of hanging (<linux/spinlock.h>). */
#include <linux/spinlock.h>

#include "linux.h"

void spin_lock_init(spinlock_t *lock)
{
	pthread_mutex_init(&lock->lock, NULL);
	lock->held = 0;
}

/* Other threads read the owner while the holder writes it: atomics. */
static void set_owner(spinlock_t *lock)
{
	pthread_t self = pthread_self();

	__atomic_store(&lock->owner, &self, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->held, 1, __ATOMIC_RELEASE);
}

static bool mine(const spinlock_t *lock)
{
	pthread_t owner;

	if (!__atomic_load_n(&lock->held, __ATOMIC_ACQUIRE))
		return false;
	__atomic_load(&lock->owner, &owner, __ATOMIC_RELAXED);
	return pthread_equal(owner, pthread_self());
}

void spin_lock(spinlock_t *lock)
{
	if (mine(lock)) {
		/* Linux would spin forever; the report names the bug. */
		dk_warn("BUG: spinlock recursion on CPU#0, lock %p (taken again by its owner: an interrupt handler sharing it with code that did not use spin_lock_irqsave?)",
			(void *)lock);
		__atomic_add_fetch(&lock->held, 1, __ATOMIC_RELAXED);
		return;
	}
	pthread_mutex_lock(&lock->lock);
	set_owner(lock);
}

int spin_trylock(spinlock_t *lock)
{
	if (mine(lock) || pthread_mutex_trylock(&lock->lock))
		return 0;
	set_owner(lock);
	return 1;
}

void spin_unlock(spinlock_t *lock)
{
	if (!mine(lock)) {
		dk_warn("BUG: spinlock %s, lock %p",
			__atomic_load_n(&lock->held, __ATOMIC_ACQUIRE) ?
				"wrong owner" : "already unlocked",
			(void *)lock);
		return;
	}
	if (__atomic_load_n(&lock->held, __ATOMIC_RELAXED) > 1) {
		__atomic_sub_fetch(&lock->held, 1, __ATOMIC_RELAXED);
		return;
	}
	__atomic_store_n(&lock->held, 0, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&lock->lock);
}
