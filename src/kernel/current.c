// SPDX-License-Identifier: MIT
/* Which machine a call is about: this thread's, else the last booted. */
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

#include "../core/objreg.h"
#include "kernel.h"

/* Written under boot_lock, read without it: every DMA call of a thread
 * with no current machine reads it, and a lock there serialized them. */
static struct dk_machine *_Atomic last_booted;
static _Thread_local struct dk_machine *current;
static pthread_mutex_t boot_lock = PTHREAD_MUTEX_INITIALIZER;

struct dk_machine *dk_machine_current(void)
{
	/* Another thread may have shut this thread's machine down. */
	if (current && dk_obj_live(current, DK_OBJ_MACHINE))
		return current;
	return atomic_load_explicit(&last_booted, memory_order_acquire);
}

void dk_machine_set_current(struct dk_machine *m)
{
	if (m && !dk_obj_check(m, DK_OBJ_MACHINE, "machine",
			       "dk_machine_set_current")) {
		dk_warn("%s", dk_last_error());
		return;
	}
	current = m;
}

struct dk_machine *dk_machine_of(void)
{
	struct dk_machine *m = dk_machine_current();

	if (!m)
		dk_err(-ENODEV, "no machine booted (dk_machine_boot)");
	return m;
}

const struct dk_platform *dk_machine_platform(struct dk_machine *m)
{
	return dk_obj_check(m, DK_OBJ_MACHINE, "machine", "dk_machine_platform") ?
		       &m->pl : NULL;
}

void dk_machine_publish(struct dk_machine *m)
{
	pthread_mutex_lock(&boot_lock);
	atomic_store_explicit(&last_booted, m, memory_order_release);
	pthread_mutex_unlock(&boot_lock);
	current = m;
}

void dk_machine_unpublish(struct dk_machine *m)
{
	pthread_mutex_lock(&boot_lock);
	if (atomic_load_explicit(&last_booted, memory_order_relaxed) == m)
		atomic_store_explicit(&last_booted, NULL, memory_order_release);
	pthread_mutex_unlock(&boot_lock);
	if (current == m)
		current = NULL;
}

struct platform_device *dk_pdev_of(struct device *dev)
{
	struct dk_machine *m = dev ? dev->machine : NULL;
	uintptr_t p = (uintptr_t)dev, lo, hi;

	if (!m || !m->pdevs)
		return NULL;
	lo = (uintptr_t)m->pdevs;
	hi = (uintptr_t)(m->pdevs + m->ndevs);
	if (p < lo || p >= hi ||
	    (p - lo) % sizeof(*m->pdevs) != offsetof(struct platform_device, dev))
		return NULL;
	return (struct platform_device *)(p - offsetof(struct platform_device, dev));
}

struct device *dk_machine_device(struct dk_machine *m, int i)
{
	if (!dk_obj_check(m, DK_OBJ_MACHINE, "machine", "dk_machine_device"))
		return NULL;
	return i >= 0 && i < m->ndevs ? dk_mdev(m, i) : NULL;
}

struct device *dk_machine_find_device(struct dk_machine *m, const char *name)
{
	int i;

	struct device *c;

	if (!dk_obj_check(m, DK_OBJ_MACHINE, "machine",
			  "dk_machine_find_device"))
		return NULL;
	if (!name) {
		dk_err(-EINVAL, "dk_machine_find_device: NULL name");
		return NULL;
	}

	for (i = 0; i < m->ndevs; i++) {
		const char *n = dk_mdev(m, i)->init_name, *base = strrchr(n, '/');

		if (!strcmp(n, name) || (base && !strcmp(base + 1, name)))
			return dk_mdev(m, i);
	}
	for (c = m->children; c; c = c->next_child)
		if (!strcmp(c->init_name, name))
			return c;
	dk_err(-ENODEV, "no device \"%s\" on this machine", name);
	return NULL;
}
