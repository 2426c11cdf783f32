// SPDX-License-Identifier: MIT
/* devres: resources released in reverse order when the driver unbinds. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/slab.h>

#include "kernel.h"

/* devres lists change at probe, unbind and devm_* calls, never on a
 * mapping path: one lock for all of them is enough. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

struct dk_devres {
	struct dk_devres *next;
	void (*release)(void *data);
	/* Instead of @release when the machine goes away by kexec: frees
	 * what the library allocated for @data, touches nothing else. */
	void (*forget)(void *data);
	void *data;
};

/* The release of a node heading a kmalloc object whose rest is its
 * devm_kmalloc buffer (dk_machine_opts.devm_kmalloc_header): the buffer
 * goes with the node's object. */
static void release_in_object(void *p)
{
	(void)p;
}

static void node_free(struct dk_devres *r)
{
	if (r->release == release_in_object)
		kfree(r);
	else
		free(r);
}

static void node_add(struct device *dev, struct dk_devres *r)
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
	node_add(dev, r);
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
		r->release(r->data);	/* unlocked: it may call devm_* */
		node_free(r);
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
		n = r->next;
		if (r->forget)
			r->forget(r->data);
		node_free(r);
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
			node_free(r);
			break;
		}
	pthread_mutex_unlock(&lock);
	return data;
}

static void release_kmalloc(void *p)
{
	kfree(p);
}

static void *devm_kmalloc_with_header(struct device *dev, size_t size,
				      gfp_t gfp)
{
	struct dk_devres *r = kmalloc(sizeof(*r) + size, gfp);

	if (!r)
		return NULL;
	memset(r, 0, sizeof(*r));
	r->release = release_in_object;
	r->data = r + 1;
	node_add(dev, r);
	return r->data;
}

void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp)
{
	void *p;

	if (!dev) {
		dk_err(-EINVAL, "devm_kmalloc: NULL device");
		return NULL;
	}
	if (!dk_dev_ok(dev, "devm_kmalloc"))
		return NULL;
	if (dev->machine->opts.devm_kmalloc_header)
		return devm_kmalloc_with_header(dev, size, gfp);
	p = kmalloc(size, gfp);
	if (p && devm_add_action(dev, release_kmalloc, p)) {
		kfree(p);
		return NULL;
	}
	return p;
}

void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp)
{
	return devm_kmalloc(dev, size, gfp | __GFP_ZERO);
}

static bool same(void *data, void *arg)
{
	return data == arg;
}

void devm_kfree(struct device *dev, const void *p)
{
	if (!dk_dev_live(dev) || !p)
		return;
	if (dk_devres_take(dev, release_kmalloc, same, (void *)p))
		kfree(p);
	else if (!dk_devres_take(dev, release_in_object, same, (void *)p))
		dev_warn(dev, "devm_kfree(%p): not a managed allocation", p);
}
