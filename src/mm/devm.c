// SPDX-License-Identifier: MIT
/* devm_kmalloc() and friends: kmalloc memory that goes when the driver
 * unbinds. */
#include <errno.h>
#include <string.h>

#include <dmakit/slab.h>

#include "mm.h"

/* The release of a node heading a kmalloc object whose rest is its
 * devm_kmalloc buffer (dk_machine_opts.devm_kmalloc_header): the buffer
 * goes with the node's object. */
static void release_in_object(void *p)
{
	kfree((struct dk_devres *)p - 1);
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
	r->forget = release_in_object;
	r->data = r + 1;
	dk_devres_link(dev, r);
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
	else if (dk_devres_take(dev, release_in_object, same, (void *)p))
		release_in_object((void *)p);
	else
		dev_warn(dev, "devm_kfree(%p): not a managed allocation", p);
}
