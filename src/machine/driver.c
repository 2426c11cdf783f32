// SPDX-License-Identifier: MIT
/* Drivers: registration, matching by compatible, bind and unbind. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../core/objreg.h"
#include "../debug/debug.h"
#include "machine.h"

char *dk_compat_dup(const char *s, bool list)
{
	size_t n = 0;
	char *l;

	s = s ? s : "";
	while (s[n]) {
		n += strlen(s + n) + 1;
		if (!list)
			break;
	}
	l = malloc(n + 1);
	if (l) {
		memcpy(l, s, n);
		l[n] = '\0';
	}
	return l;
}

/* As Linux: the node's most specific string that any entry matches. */
static const struct of_device_id *match(const struct device_driver *drv,
					const struct device *dev)
{
	const struct of_device_id *id;
	const char *s;

	for (s = dev->compatible; s && *s; s += strlen(s) + 1)
		for (id = drv->of_match_table; id && id->compatible; id++)
			if (!strcmp(id->compatible, s))
				return id;
	return NULL;
}

const void *of_device_get_match_data(const struct device *dev)
{
	const struct of_device_id *id;

	if (!dev || !dev->driver)
		return NULL;
	id = match(dev->driver, dev);
	return id ? id->data : NULL;
}

/* Binding order, so the machine unbinds consumers before providers. */
static unsigned long bind_seq;

int device_bind_driver(struct device *dev, struct device_driver *drv)
{
	int r;

	if (!dk_dev_live(dev) || !drv || !drv->probe)
		return dk_err(-EINVAL, "device_bind_driver: NULL device or driver");
	if (dev->driver)
		return dk_err(-EBUSY, "%s: already bound to %s", dev_name(dev),
			      dev->driver->name);
	dev->driver = drv;
	dev->dead = false;
	dk_dma_plain_update(dev);
	r = drv->probe(dev);
	if (r) {
		/* A failed probe releases what it managed, like Linux. */
		dk_devres_release_all(dev);
		dev->driver = NULL;
		dev->driver_data = NULL;
		return r;
	}
	dev->dk_bind_seq = __atomic_add_fetch(&bind_seq, 1, __ATOMIC_RELAXED);
	return 0;
}

/*
 * A probe that returned -EPROBE_DEFER (Linux's 517: a resource another
 * driver provides is not there yet) is tried again each time some other
 * device binds, as Linux's deferred probing does, and is no failure.
 */
#define PROBE_DEFER 517

static void retry_deferred(struct dk_machine *m)
{
	static _Thread_local bool retrying;
	struct device *c;
	bool again = true;
	int i;

	if (retrying)
		return;	/* the outer pass sees what this bind enables */
	retrying = true;
	while (again) {
		again = false;
		for (i = 0; i < m->ndevs; i++)
			if (dk_mdev(m, i)->dk_deferred && !dk_mdev(m, i)->driver) {
				dk_mdev(m, i)->dk_deferred = false;
				dk_driver_match_one(dk_mdev(m, i));
				again |= dk_mdev(m, i)->driver != NULL;
			}
		for (c = m->children; c; c = c->next_child)
			if (c->dk_deferred && !c->driver) {
				c->dk_deferred = false;
				dk_driver_match_one(c);
				again |= c->driver != NULL;
			}
	}
	retrying = false;
}

static void try_bind(struct device *dev, struct device_driver *drv)
{
	int r = device_bind_driver(dev, drv);

	dev->dk_deferred = r == -PROBE_DEFER;
	if (!r)
		retry_deferred(dev->machine);
	else if (r != -PROBE_DEFER)
		dev_warn(dev, "probe of %s failed with error %d", drv->name, r);
}

void device_release_driver(struct device *dev)
{
	if (!dev || !dev->driver)
		return;
	if (dev->machine->kexec) {
		/* Nothing runs: the old kernel just stops. */
		dk_devres_forget_all(dev);
		dev->driver = NULL;
		dev->driver_data = NULL;
		dev->dead = true;
		dk_dma_plain_update(dev);
		return;
	}
	if (dev->driver->remove)
		dev->driver->remove(dev);
	dk_devres_release_all(dev);
	dk_dbg_device_released(dev);
	dev->driver = NULL;
	dev->driver_data = NULL;
	dev->dead = true;
	dk_dma_plain_update(dev);
}

int driver_register(struct device_driver *drv)
{
	struct dk_machine *m;
	struct device_driver *d;
	struct device *d2;
	int i;

	if (!drv || !drv->name || !drv->probe)
		return dk_err(-EINVAL, "driver_register: driver needs a name and a probe");
	m = dk_machine_of();
	if (!m)
		return -ENODEV;
	if (drv->machine && drv->machine != m)
		return dk_err(-EBUSY, "driver %s is registered with another machine",
			      drv->name);
	pthread_mutex_lock(&m->lock);
	for (d = m->drivers; d; d = d->next)
		if (d == drv)
			break;
	if (!d) {
		drv->next = m->drivers;
		m->drivers = drv;
		drv->machine = m;
	}
	pthread_mutex_unlock(&m->lock);
	if (d)
		return dk_err(-EBUSY, "driver %s is already registered", drv->name);
	for (i = 0; i < m->ndevs; i++)
		if (!dk_mdev(m, i)->driver && match(drv, dk_mdev(m, i)))
			try_bind(dk_mdev(m, i), drv);
	for (d2 = m->children; d2; d2 = d2->next_child)
		if (!d2->driver && match(drv, d2))
			try_bind(d2, drv);
	return 0;
}

int dk_driver_report_unbound(struct dk_machine *m)
{
	char list[256];
	int i, n = 0;

	if (!dk_obj_check(m, DK_OBJ_MACHINE, "machine", "dk_driver_report_unbound"))
		return -EINVAL;
	for (i = 0; i < m->ndevs; i++) {
		struct device *dev = dk_mdev(m, i);
		const char *s;
		size_t used = 0;

		if (dev->driver)
			continue;
		n++;
		if (dev->unbound_reported)
			continue;
		dev->unbound_reported = true;
		list[0] = '\0';
		for (s = dev->compatible; *s && used < sizeof(list);
		     s += strlen(s) + 1)
			used += snprintf(list + used, sizeof(list) - used,
					 "%s\"%s\"", used ? ", " : "", s);
		dev_info(dev, "no driver bound (compatible %s)", list);
	}
	return n;
}

void dk_driver_match_one(struct device *dev)
{
	struct device_driver *drv;

	for (drv = dev->machine->drivers; drv && !dev->driver; drv = drv->next)
		if (match(drv, dev))
			try_bind(dev, drv);
}

void driver_unregister(struct device_driver *drv)
{
	struct dk_machine *m = drv ? drv->machine : NULL;
	struct device_driver **pp;
	struct device *child;
	int i;

	if (!m)
		return;
	for (child = m->children; child; child = child->next_child)
		if (child->driver == drv)
			device_release_driver(child);
	for (i = 0; i < m->ndevs; i++)
		if (dk_mdev(m, i)->driver == drv)
			device_release_driver(dk_mdev(m, i));
	pthread_mutex_lock(&m->lock);
	for (pp = &m->drivers; *pp; pp = &(*pp)->next)
		if (*pp == drv) {
			*pp = drv->next;
			break;
		}
	pthread_mutex_unlock(&m->lock);
	drv->machine = NULL;
}

/* The device of @m bound last, or NULL when none is bound. */
static struct device *last_bound(struct dk_machine *m)
{
	struct device *best = NULL, *d;
	int i;

	for (i = 0; i < m->ndevs; i++) {
		d = dk_mdev(m, i);
		if (d->driver && (!best || d->dk_bind_seq > best->dk_bind_seq))
			best = d;
	}
	for (d = m->children; d; d = d->next_child)
		if (d->driver && (!best || d->dk_bind_seq > best->dk_bind_seq))
			best = d;
	return best;
}

void dk_devices_shutdown(struct dk_machine *m)
{
	struct device *child;
	int i;

	for (child = m->children; child; child = child->next_child)
		if (child->driver && child->driver->shutdown)
			child->driver->shutdown(child);
	for (i = 0; i < m->ndevs; i++)
		if (dk_mdev(m, i)->driver && dk_mdev(m, i)->driver->shutdown)
			dk_mdev(m, i)->driver->shutdown(dk_mdev(m, i));
}

void dk_drivers_fini(struct dk_machine *m)
{
	struct device *d;

	/* Newest binding first, as Linux shuts devices down: a consumer
	 * (bound after its DMA controller, by deferred probing) lets go of
	 * its channels before the controller's driver goes. */
	while ((d = last_bound(m)))
		device_release_driver(d);
	while (m->drivers)
		driver_unregister(m->drivers);
}

/* Drivers built into the program (module_platform_driver()): bound at
 * every boot, as a kernel binds its built-in drivers. */
static struct device_driver *builtin;
static pthread_mutex_t builtin_lock = PTHREAD_MUTEX_INITIALIZER;

void dk_driver_builtin_add(struct device_driver *drv)
{
	struct device_driver *d;

	pthread_mutex_lock(&builtin_lock);
	for (d = builtin; d && d != drv; d = d->dk_builtin_next)
		;
	if (!d) {
		drv->dk_builtin_next = builtin;
		builtin = drv;
	}
	pthread_mutex_unlock(&builtin_lock);
}

void dk_driver_builtin_del(struct device_driver *drv)
{
	struct device_driver **pp;

	pthread_mutex_lock(&builtin_lock);
	for (pp = &builtin; *pp; pp = &(*pp)->dk_builtin_next)
		if (*pp == drv) {
			*pp = drv->dk_builtin_next;
			break;
		}
	pthread_mutex_unlock(&builtin_lock);
}

void dk_drivers_builtin_bind(struct dk_machine *m)
{
	struct device_driver *list[64], *d;
	int n = 0, i;

	/* Registering probes, and a probe may register drivers: copy. */
	pthread_mutex_lock(&builtin_lock);
	for (d = builtin; d && n < (int)DK_ARRAY_SIZE(list); d = d->dk_builtin_next)
		list[n++] = d;
	pthread_mutex_unlock(&builtin_lock);
	/* Oldest first, as the link order registers them. */
	for (i = n - 1; i >= 0; i--)
		if (!list[i]->machine && driver_register(list[i]))
			dk_warn("built-in driver %s: %s", list[i]->name,
				dk_last_error());
	(void)m;
}
