// SPDX-License-Identifier: MIT
/*
 * The registry of DMA controllers' "dmas" translations (<linux/of_dma.h>)
 * and the hook through which the dmaengine core asks it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <linux/of_dma.h>

#include "linux.h"
#include "../subsys/dmaengine_internal.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(controllers);

struct dma_chan *dma_get_slave_channel(struct dma_chan *chan)
{
	if (!chan || !chan->device)
		return NULL;
	return dk_dma_take_chan(chan, NULL) ? NULL : chan;
}

struct dma_chan *dma_get_any_slave_channel(struct dma_device *device)
{
	struct dma_chan *c;

	if (!device || !device->channels.next)
		return NULL;
	list_for_each_entry(c, &device->channels, device_node)
		if (c->device == device && !dk_dma_take_chan(c, NULL))
			return c;
	return NULL;
}

static void unregister_action(void *device)
{
	dma_async_device_unregister(device);
}

int dmaenginem_async_device_register(struct dma_device *device)
{
	int r = dma_async_device_register(device);

	if (r)
		return r;
	return devm_add_action_or_reset(device->dev, unregister_action, device);
}

/* Lock held: the first registration for the node at @path of @m. */
static struct of_dma *find(struct dk_machine *m, const char *path)
{
	struct of_dma *o;

	list_for_each_entry(o, &controllers, of_dma_controllers)
		if (o->of_node->dk_machine == m &&
		    !strcmp(o->of_node->dk_path, path))
			return o;
	return NULL;
}

static struct dma_chan *tree_xlate(struct device *consumer,
				   const struct dk_dma_spec *s, int *err)
{
	struct of_phandle_args args = { .args_count = s->nargs };
	struct dma_chan *c;
	struct of_dma *o;
	int i;

	pthread_mutex_lock(&lock);
	o = find(consumer->machine, s->provider);
	if (!o) {
		pthread_mutex_unlock(&lock);
		*err = -ENOENT;
		return NULL;
	}
	args.np = o->of_node;
	for (i = 0; i < s->nargs && i < MAX_PHANDLE_ARGS; i++)
		args.args[i] = s->args[i];
	/* Held across the call, as Linux's of_dma_lock: the driver's
	 * remove cannot free the registration meanwhile. */
	c = o->of_dma_xlate(&args, o);
	pthread_mutex_unlock(&lock);
	if (IS_ERR(c)) {
		*err = (int)PTR_ERR(c);
		return NULL;
	}
	*err = c ? 0 : -ENODEV;
	return c;
}

int of_dma_controller_register(struct device_node *np,
			       struct dma_chan *(*of_dma_xlate)(struct of_phandle_args *,
								struct of_dma *),
			       void *data)
{
	struct of_dma *o;

	if (!np || !of_dma_xlate)
		return dk_err(-EINVAL, "of_dma_controller_register: not enough information provided");
	o = calloc(1, sizeof(*o));
	if (!o)
		return dk_err(-ENOMEM, "of_dma_controller_register: out of memory");
	o->of_node = np;
	o->of_dma_xlate = of_dma_xlate;
	o->of_dma_data = data;
	pthread_mutex_lock(&lock);
	list_add_tail(&o->of_dma_controllers, &controllers);
	pthread_mutex_unlock(&lock);
	dk_dmaengine_set_of_xlate(tree_xlate);
	return 0;
}

void of_dma_controller_free(struct device_node *np)
{
	struct of_dma *o, *n;

	if (!np)
		return;
	pthread_mutex_lock(&lock);
	list_for_each_entry_safe(o, n, &controllers, of_dma_controllers)
		if (o->of_node == np) {
			list_del(&o->of_dma_controllers);
			free(o);
			break;
		}
	pthread_mutex_unlock(&lock);
}

struct dma_chan *of_dma_xlate_by_chan_id(struct of_phandle_args *dma_spec,
					 struct of_dma *ofdma)
{
	struct dma_device *d = ofdma ? ofdma->of_dma_data : NULL;
	struct dma_chan *c;

	if (!d || !dma_spec || dma_spec->args_count != 1)
		return NULL;
	list_for_each_entry(c, &d->channels, device_node)
		if (c->chan_id == (int)dma_spec->args[0])
			return dma_get_slave_channel(c);
	return NULL;
}

struct dma_chan *of_dma_simple_xlate(struct of_phandle_args *dma_spec,
				     struct of_dma *ofdma)
{
	struct of_dma_filter_info *info = ofdma ? ofdma->of_dma_data : NULL;

	if (!info || !info->filter_fn || !dma_spec ||
	    dma_spec->args_count != 1)
		return NULL;
	return __dma_request_channel(&info->dma_cap, info->filter_fn,
				     &dma_spec->args[0], ofdma->of_node);
}
