// SPDX-License-Identifier: MIT
/* devres: resources released in reverse order when the driver unbinds. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

/* devres lists change at probe, unbind and devm_* calls, never on a
 * mapping path: one lock for all of them is enough. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* An embedded node (data right after it) goes with its memory, which its
 * release or forget callback frees: reading it afterwards is a use after
 * free, so callers decide before they run either. */
static bool embedded(const struct dk_devres *r)
{
	return r->data == r + 1;
}

void dk_devres_link(struct device *dev, struct dk_devres *r)
{
	pthread_mutex_lock(&lock);
	r->next = dev->devres;	/* newest first: released in reverse */
	dev->devres = r;
	pthread_mutex_unlock(&lock);
}

int dk_devres_add(struct device *dev, void (*action)(void *),
		  void (*forget)(void *), void *data)
{
	struct dk_devres *r;

	if (!dk_dev_live(dev) || !action)
		return dk_err(-EINVAL, "devm_add_action: NULL device or action");
	r = calloc(1, sizeof(*r));
	if (!r)
		return dk_err(-ENOMEM, "devm_add_action: out of memory");
	r->release = action;
	r->forget = forget;
	r->data = data;
	dk_devres_link(dev, r);
	return 0;
}

int devm_add_action(struct device *dev, void (*action)(void *), void *data)
{
	return dk_devres_add(dev, action, NULL, data);
}

void dk_devres_release_all(struct device *dev)
{
	struct dk_devres *r;

	for (;;) {
		pthread_mutex_lock(&lock);
		r = dev->devres;
		if (r)
			dev->devres = r->next;
		pthread_mutex_unlock(&lock);
		if (!r)
			break;
		if (embedded(r)) {
			r->release(r->data);
			continue;
		}
		r->release(r->data);	/* unlocked: it may call devm_* */
		free(r);
	}
}

void dk_devres_forget_all(struct device *dev)
{
	struct dk_devres *r, *n;

	pthread_mutex_lock(&lock);
	r = dev->devres;
	dev->devres = NULL;
	pthread_mutex_unlock(&lock);
	for (; r; r = n) {
		bool emb = embedded(r);

		n = r->next;
		if (r->forget)
			r->forget(r->data);
		if (!emb)
			free(r);
	}
}

void *dk_devres_take(struct device *dev, void (*action)(void *),
		     bool (*match)(void *data, void *arg), void *arg)
{
	struct dk_devres **pp, *r;
	void *data = NULL;

	if (!dk_dev_live(dev))
		return NULL;
	pthread_mutex_lock(&lock);
	for (pp = &dev->devres; (r = *pp); pp = &r->next)
		if (r->release == action && match(r->data, arg)) {
			*pp = r->next;
			data = r->data;
			if (!embedded(r))
				free(r);
			break;
		}
	pthread_mutex_unlock(&lock);
	return data;
}
