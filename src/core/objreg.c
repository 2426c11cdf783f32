// SPDX-License-Identifier: MIT
/*
 * Live-object registry: a hash set of pointers with their kind. A lookup
 * never dereferences the pointer, so a freed or foreign object is refused
 * without touching its memory (what ASan or a reused allocation would
 * otherwise turn into a crash or silent corruption).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "dk_internal.h"
#include "objreg.h"

#define NBUCKETS 1024

struct obj {
	const void *p;
	const void *on;
	enum dk_obj_kind kind;
	struct obj *next;
};

static struct obj *buckets[NBUCKETS];
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;

/* What each thread found live lately (objreg.h). */
atomic_ulong dk_obj_removals;
_Thread_local struct dk_obj_seen dk_obj_seen[DK_OBJ_SEEN][2];
_Thread_local struct dk_obj_last dk_obj_last[DK_OBJ_NR] = {
	[0 ... DK_OBJ_NR - 1] = { NULL, ~0UL },
};

static struct obj **bucket(const void *p)
{
	uintptr_t h = (uintptr_t)p;

	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ULL;
	return &buckets[(h >> 32) % NBUCKETS];
}

#define QUARANTINE 64

static void *quarantine[QUARANTINE];
static unsigned int q_next;
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;

void dk_obj_free_later(void *p)
{
	void *old;

	pthread_mutex_lock(&q_lock);
	old = quarantine[q_next];
	quarantine[q_next] = p;
	q_next = (q_next + 1) % QUARANTINE;
	pthread_mutex_unlock(&q_lock);
	free(old);
}

int dk_obj_add(const void *p, enum dk_obj_kind kind, const void *on)
{
	struct obj *o = malloc(sizeof(*o));
	struct obj **b;

	if (!o)
		return dk_err(-ENOMEM, "out of memory");
	o->p = p;
	o->kind = kind;
	o->on = on;
	pthread_rwlock_wrlock(&lock);
	b = bucket(p);
	o->next = *b;
	*b = o;
	pthread_rwlock_unlock(&lock);
	return 0;
}

bool dk_obj_del(const void *p, enum dk_obj_kind kind)
{
	struct obj **pp, *o = NULL;

	if (!p)
		return false;
	pthread_rwlock_wrlock(&lock);
	for (pp = bucket(p); *pp; pp = &(*pp)->next)
		if ((*pp)->p == p && (*pp)->kind == kind) {
			o = *pp;
			*pp = o->next;
			break;
		}
	if (o)
		atomic_fetch_add_explicit(&dk_obj_removals, 1,
					  memory_order_release);
	pthread_rwlock_unlock(&lock);
	free(o);
	return o != NULL;
}

bool dk_obj_live_slow(const void *p, enum dk_obj_kind kind)
{
	struct dk_obj_seen *sn = dk_obj_seen_set(p);
	unsigned long stamp;
	struct obj *o;
	bool live = false;

	if (!p)
		return false;
	/* Read before the lookup: a removal during it makes this stale. */
	stamp = atomic_load_explicit(&dk_obj_removals, memory_order_acquire);
	pthread_rwlock_rdlock(&lock);
	for (o = *bucket(p); o; o = o->next)
		if (o->p == p && o->kind == kind) {
			live = true;
			break;
		}
	pthread_rwlock_unlock(&lock);
	/* Newest first; the other way keeps the one before. */
	if (live && sn[0].p != p)
		sn[1] = sn[0];
	if (live) {
		sn[0] = (struct dk_obj_seen){ p, kind, stamp };
		if ((unsigned int)kind < DK_OBJ_NR)
			dk_obj_last[kind] = (struct dk_obj_last){ p, stamp };
	}
	return live;
}

const void *dk_obj_find(enum dk_obj_kind kind, const void *on)
{
	const void *found = NULL;
	struct obj *o;
	int i;

	pthread_rwlock_rdlock(&lock);
	for (i = 0; i < NBUCKETS && !found; i++)
		for (o = buckets[i]; o; o = o->next)
			if (o->kind == kind && o->on == on) {
				found = o->p;
				break;
			}
	pthread_rwlock_unlock(&lock);
	return found;
}

bool dk_obj_check_slow(const void *p, enum dk_obj_kind kind,
		       const char *what, const char *fn)
{
	if (!p) {
		dk_err(-EINVAL, "%s: NULL %s", fn, what);
		return false;
	}
	if (dk_obj_live(p, kind))
		return true;
	dk_err(-EINVAL, "%s: %s %p is not live (freed, or not made by dmakit)",
	       fn, what, p);
	return false;
}
