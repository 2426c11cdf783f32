// SPDX-License-Identifier: MIT
/*
 * A dmatest-like module, including only <linux/...> headers: module
 * parameters with a callback that starts the run, a list of the
 * channels it took, random buffer contents, dma_request_channel() with a
 * capability mask and a filter, and one dmaengine_unmap_data per copy
 * (tests/test_linux_dmaq.c).
 */
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "dmaq.h"

unsigned int dmaq_len = 256;
module_param_named(len, dmaq_len, uint, S_IRUGO | S_IWUSR);
MODULE_PARM_DESC(len, "Bytes per copy");

char dmaq_chan[20];
module_param_string(chan, dmaq_chan, sizeof(dmaq_chan), S_IRUGO | S_IWUSR);
MODULE_PARM_DESC(chan, "Channel to use (default: any)");

/* Map with dma_map_single(): wrong, as dmaengine_unmap_put() unmaps
 * pages. */
bool dmaq_single;
module_param_named(single, dmaq_single, bool, S_IRUGO | S_IWUSR);

static bool quiet = true;
module_param(quiet, bool, S_IRUGO);

int dmaq_runs;
struct dmaq_result dmaq_last;

struct dmaq_chan {
	struct list_head node;
	struct dma_chan *chan;
};

static struct {
	struct list_head channels;
	struct mutex lock;
} info = {
	.channels = LIST_HEAD_INIT(info.channels),
	.lock = __MUTEX_INITIALIZER(info.lock),
};

static bool dmaq_filter(struct dma_chan *chan, void *param)
{
	const char *want = param;

	return !*want || !strcmp(dma_chan_name(chan), want);
}

static void dmaq_done(void *arg)
{
	*(bool *)arg = true;
}

/* As dmatest maps: by page, which dmaengine_unmap_put() undoes. */
static dma_addr_t dmaq_map(struct device *dev, void *buf, size_t len,
			   enum dma_data_direction dir)
{
	if (dmaq_single)
		return dma_map_single(dev, buf, len, dir);
	return dma_map_page(dev, virt_to_page(buf), offset_in_page(buf), len,
			    dir);
}

/* One copy through @chan: 1 if the bytes arrived exactly, 0 if not. */
static int dmaq_copy(struct dma_chan *chan, unsigned int len)
{
	struct device *dev = chan->device->dev;
	struct dmaengine_unmap_data *um;
	struct dma_async_tx_descriptor *tx;
	u8 *src = kmalloc(len, GFP_KERNEL), *dst = kzalloc(len, GFP_KERNEL);
	bool done = false;
	int ok = 0;

	um = dmaengine_get_unmap_data(dev, 2, GFP_KERNEL);
	if (!src || !dst || !um)
		goto out;
	get_random_bytes(src, len);
	um->len = len;
	um->addr[0] = dmaq_map(dev, src, len, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, um->addr[0]))
		goto out;
	um->to_cnt++;
	um->addr[1] = dmaq_map(dev, dst, len, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, um->addr[1]))
		goto out;
	um->from_cnt++;
	tx = chan->device->device_prep_dma_memcpy(chan, um->addr[1],
						  um->addr[0], len,
						  DMA_PREP_INTERRUPT);
	if (!tx)
		goto out;
	tx->callback = dmaq_done;
	tx->callback_param = &done;
	if (dma_submit_error(dmaengine_submit(tx)))
		goto out;
	dma_async_issue_pending(chan);
	if (dma_sync_wait(chan, tx->cookie) != DMA_COMPLETE || !done)
		goto out;
	dmaengine_unmap_put(um);	/* unmaps both: dst is the CPU's again */
	um = NULL;
	ok = !memcmp(src, dst, len);
out:
	dmaengine_unmap_put(um);
	kfree(src);
	kfree(dst);
	return ok;
}

static void dmaq_release_all(void)
{
	struct dmaq_chan *c, *n;

	list_for_each_entry_safe(c, n, &info.channels, node) {
		list_del(&c->node);
		dma_release_channel(c->chan);
		kfree(c);
	}
}

static void dmaq_run(void)
{
	dma_cap_mask_t mask;
	struct dmaq_chan *c;
	struct dma_chan *chan;

	memset(&dmaq_last, 0, sizeof(dmaq_last));
	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	while ((chan = dma_request_channel(mask, dmaq_filter, strim(dmaq_chan)))) {
		c = kzalloc(sizeof(*c), GFP_KERNEL);
		if (!c) {
			dma_release_channel(chan);
			break;
		}
		c->chan = chan;
		list_add_tail(&c->node, &info.channels);
	}
	list_for_each_entry(c, &info.channels, node) {
		if (!dmaq_last.channels++)
			strscpy(dmaq_last.first, dma_chan_name(c->chan));
		if (dmaq_copy(c->chan, dmaq_len))
			dmaq_last.copied++;
		else
			dmaq_last.bad++;
	}
	dmaq_release_all();
	if (!quiet)
		pr_info("%d channels\n", dmaq_last.channels);
}

static int dmaq_run_set(const char *val, const struct kernel_param *kp)
{
	int ret;

	mutex_lock(&info.lock);
	ret = param_set_bool(val, kp);
	if (!ret && *(bool *)kp->arg) {
		dmaq_runs++;
		dmaq_run();
	}
	mutex_unlock(&info.lock);
	return ret;
}

static const struct kernel_param_ops run_ops = {
	.set = dmaq_run_set,
	.get = param_get_bool,
};
static bool run;
module_param_cb(run, &run_ops, &run, S_IRUGO | S_IWUSR);
MODULE_PARM_DESC(run, "Run the copies");

struct item {
	struct list_head node;
	int v;
};

/* The values of @head in order, as decimal digits. */
static long long digits(struct list_head *head)
{
	struct item *it;
	long long n = 0;

	list_for_each_entry(it, head, node)
		n = n * 10 + it->v;
	return n;
}

long long dmaq_lists(void)
{
	struct item it[5] = { { .v = 1 }, { .v = 2 }, { .v = 3 },
			      { .v = 4 }, { .v = 5 } };
	LIST_HEAD(a);
	LIST_HEAD(b);
	long long r;
	int i;

	for (i = 0; i < 3; i++)
		list_add_tail(&it[i].node, &a);	/* 1 2 3 */
	list_add(&it[3].node, &a);		/* 4 1 2 3 */
	list_move_tail(&it[0].node, &a);	/* 4 2 3 1 */
	list_del(&it[1].node);			/* 4 3 1 */
	list_add_tail(&it[4].node, &b);
	list_splice_tail_init(&a, &b);		/* b: 5 4 3 1, a empty */
	r = digits(&b) * 10 + list_empty(&a);
	r = r * 10 + (int)list_count_nodes(&b);
	r = r * 10 + list_first_entry(&b, struct item, node)->v;
	r = r * 10 + list_last_entry(&b, struct item, node)->v;
	return r;
}

MODULE_DESCRIPTION("dmaengine copies driven by module parameters");
MODULE_LICENSE("Dual MIT/GPL");
