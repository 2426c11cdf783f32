// SPDX-License-Identifier: MIT
/*
 * What only the simulator lets the checker see: every access a device
 * makes. Each must fall inside a live mapping or allocation of that
 * device whose direction allows it, and a device whose driver was unbound
 * must not move data at all. Lines the cache writes back during an access
 * are CPU stores into memory the device may own.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../mm/mm.h"
#include "entry.h"
#include "poison.h"
#include "user_map.h"
#include "../trace/trace.h"

struct cover {
	phys_addr_t pa;
	size_t len;
	bool write;
	bool covered;		/* by some mapping */
	bool allowed;		/* by one whose direction permits the access */
	struct dk_dbg_entry wrong;	/* a covering one that does not */
};

static bool dir_allows(enum dma_data_direction dir, bool write)
{
	return dir == DMA_BIDIRECTIONAL ||
	       dir == (write ? DMA_FROM_DEVICE : DMA_TO_DEVICE);
}

/* The device reaches the buffer itself, or its bounce slot: the index
 * finds the entries that cover the access either way. Stops at one
 * whose direction allows the access. */
static bool covers(struct dk_dbg_entry *e, void *arg)
{
	struct cover *c = arg;

	if (dir_allows(e->dir, c->write)) {
		c->allowed = true;
	} else if (!c->covered) {
		c->wrong = *e;	/* a copy: reported after the lock is gone */
		c->wrong.owned = NULL;
	}
	c->covered = true;
	return c->allowed;
}

static void find_cover(struct device *dev, struct cover *c)
{
	dk_dbg_entry_covering(dev, c->pa, c->len, covers, c);
}

/*
 * An access no one mapping holds may still lie wholly in several that
 * meet: the entries of a scatterlist an IOMMU merged into one segment,
 * physically adjacent. Walk it from mapping to mapping.
 */
struct reach {
	phys_addr_t pos, end;	/* in: where; out: how far allowed */
	bool write, covered;
	struct dk_dbg_entry wrong;
};

static bool reach_one(struct dk_dbg_entry *e, void *arg)
{
	struct reach *r = arg;
	phys_addr_t end = 0;

	if (r->pos >= e->pa && r->pos - e->pa < e->size)
		end = e->pa + e->size;
	if (e->dev_pa != ~(phys_addr_t)0 && r->pos >= e->dev_pa &&
	    r->pos - e->dev_pa < e->size && e->dev_pa + e->size > end)
		end = e->dev_pa + e->size;
	if (!dir_allows(e->dir, r->write)) {
		if (!r->covered) {
			r->wrong = *e;
			r->wrong.owned = NULL;
		}
		r->covered = true;
	} else if (end > r->end) {
		r->end = end;
	}
	return false;
}

static void reach_at(struct dk_machine *m, struct device *dev,
		     struct reach *r)
{
	struct device *d;

	dk_dbg_entry_covering(dev, r->pos, 1, reach_one, r);
	for (d = m->children; d; d = d->next_child)
		if (!strcmp(d->dma_master, dev->init_name))
			dk_dbg_entry_covering(d, r->pos, 1, reach_one, r);
}

static void cover_pieces(struct dk_machine *m, struct device *dev,
			 struct cover *c)
{
	phys_addr_t pos = c->pa, end = c->pa + c->len;

	while (pos < end) {
		struct reach r = { .pos = pos, .end = pos, .write = c->write };

		reach_at(m, dev, &r);
		if (r.end == pos) {
			if (r.covered && !c->covered) {
				c->covered = true;
				c->wrong = r.wrong;
			}
			return;
		}
		pos = r.end;
	}
	c->covered = c->allowed = true;
}

static struct device *find(struct dk_machine *m, const char *name)
{
	int i;

	for (i = 0; i < m->ndevs; i++)
		if (!strcmp(dk_mdev(m, i)->init_name, name))
			return dk_mdev(m, i);
	return NULL;
}

/* Devices created at run time whose DMA this bus master performs. */
static void children_cover(struct dk_machine *m, const char *name,
			   struct cover *c, bool *alive)
{
	struct device *d;

	for (d = m->children; d; d = d->next_child) {
		if (strcmp(d->dma_master, name))
			continue;
		*alive |= d->driver != NULL;
		if (!c->allowed)
			find_cover(d, c);
	}
}

/*
 * The tree and the hardware disagree about coherence: once per device,
 * because every access after the first says the same.
 */
static void check_coherence(struct device *dev, bool hw_coherent)
{
	if (dev->dma_coherent == hw_coherent || dev->hw_coherence_differs)
		return;
	dev->hw_coherence_differs = true;
	if (hw_coherent)
		dk_dbg_report(dev, DK_CHK_COHERENCE_MISMATCH, NULL, 0, 0,
			      DMA_NONE,
			      "device snoops the CPU cache but its tree node does not say dma-coherent: the cache maintenance done for it can discard the data it moves");
	else
		dk_dbg_report(dev, DK_CHK_COHERENCE_MISMATCH, NULL, 0, 0,
			      DMA_NONE,
			      "the tree says dma-coherent but the device does not snoop the CPU cache: without maintenance it reads stale memory and the CPU keeps stale lines");
}

static void report_direction(struct device *dev, const struct cover *c)
{
	const struct dk_dbg_entry *e = &c->wrong;

	dk_dbg_report(dev, DK_CHK_DEVICE_WRONG_DIRECTION, e, e->dma, e->size,
		      e->dir,
		      "device %s %zu bytes at physical 0x%llx of a buffer mapped %s only [device address=0x%016llx] [size=%llu bytes] [mapped as %s]",
		      c->write ? "wrote" : "read", c->len,
		      (unsigned long long)c->pa, dk_dbg_dir_name(e->dir),
		      (unsigned long long)e->dma, (unsigned long long)e->size,
		      dk_dbg_type_name(e->type));
}

struct writeback {
	phys_addr_t pa;
	size_t len;
};

static void written_back(struct dk_dbg_entry *e, void *arg)
{
	struct writeback *w = arg;

	if (w->pa < e->pa + e->size && e->pa < w->pa + w->len)
		dk_dbg_check_written_back(e, w->pa, w->len);
}

static void writeback(struct dk_machine *m, struct device *dev,
		      phys_addr_t pa, size_t len)
{
	struct writeback w = { pa, len };
	struct device *d;

	dk_dbg_entry_each(dev, written_back, &w);
	for (d = m->children; d; d = d->next_child)
		if (!strcmp(d->dma_master, dev->init_name))
			dk_dbg_entry_each(d, written_back, &w);
}

static bool first_cover(struct dk_dbg_entry *e, void *arg)
{
	struct dk_dbg_entry *out = arg;

	*out = *e;	/* a copy: reported after the lock is gone */
	out->owned = NULL;
	return true;
}

/*
 * The device read bytes DRAM lacks the CPU's stores to. Named after the
 * mapping or allocation it hit, so the report says where that was made.
 * @fmt takes the length and the physical address.
 */
static void report_stale(struct device *dev, enum dk_dma_check check,
			 phys_addr_t pa, size_t len, const char *fmt)
{
	struct dk_dbg_entry e = { .dev = NULL };
	char msg[320];

	dk_dbg_entry_covering(dev, pa, len, first_cover, &e);
	snprintf(msg, sizeof(msg), fmt, len, (unsigned long long)pa);
	dk_dbg_report(dev, check, e.dev ? &e : NULL,
		      e.dev ? e.dma + (pa - e.pa) : pa, len, DMA_TO_DEVICE,
		      "%s", msg);
}

void dk_dbg_device_access(struct dk_machine *m, const struct dk_dma_event *ev)
{
	struct device *dev;
	phys_addr_t pa = ev->pa;
	size_t len = ev->len;
	bool write = ev->type == DK_EV_DEVICE_WRITE;
	struct cover c = { .pa = pa, .len = len, .write = write };
	bool child_alive = false;

	/* A fill changes what the CPU reads, not what the device did. */
	if (!dk_dbg_on() || ev->type == DK_EV_FILL ||
	    !(dev = find(m, ev->device)))
		return;
	if (ev->type == DK_EV_WRITEBACK) {
		writeback(m, dev, pa, len);
		return;
	}
	if (ev->type == DK_EV_WRITE_BUFFERED) {
		report_stale(dev, DK_CHK_DEVICE_READ_BUFFERED, pa, len,
			     "device read %zu bytes at physical 0x%llx that the CPU stored to after the last write barrier: the stores may still sit in the write buffer (dma_wmb() before handing the memory to the device, or writel() rather than writel_relaxed() for the doorbell)");
		return;
	}
	if (ev->type == DK_EV_LOADS_UNORDERED) {
		report_stale(dev, DK_CHK_CPU_LOADS_UNORDERED, pa, len,
			     "device read %zu bytes at physical 0x%llx that it had written after other data and that the CPU changed with no read barrier since: the CPU's loads of the earlier data may have been satisfied before this (dma_rmb() after reading a descriptor's status, before its data)");
		return;
	}
	if (ev->type == DK_EV_VMAP_DIRTY) {
		report_stale(dev, DK_CHK_DEVICE_READ_VMAP_DIRTY, pa, len,
			     "device read %zu bytes at physical 0x%llx that a vmap of the page holds newer in cache lines of its own (virtually indexed cache): flush_kernel_vmap_range() before handing the pages to the device");
		return;
	}

	check_coherence(dev, ev->hw_coherent);
	children_cover(m, ev->device, &c, &child_alive);
	if (dev->dead && !child_alive) {
		dk_dbg_report(dev, DK_CHK_DMA_AFTER_UNBIND, NULL, pa, len,
			      write ? DMA_FROM_DEVICE : DMA_TO_DEVICE,
			      "device %s %zu bytes at 0x%llx after its driver was unbound (not quiesced)",
			      write ? "wrote" : "read", len,
			      (unsigned long long)pa);
		return;
	}
	if (!c.allowed)
		find_cover(dev, &c);
	if (!c.allowed && len > 1)
		cover_pieces(m, dev, &c);
	if (!c.covered)
		dk_dbg_report(dev, DK_CHK_DEVICE_UNMAPPED_ACCESS, NULL, pa, len,
			      write ? DMA_FROM_DEVICE : DMA_TO_DEVICE,
			      "device %s %zu bytes at physical 0x%llx that no live mapping or allocation of it covers",
			      write ? "wrote" : "read", len,
			      (unsigned long long)pa);
	else if (!c.allowed)
		report_direction(dev, &c);
}

static void observer(void *arg, const struct dk_dma_event *ev)
{
	if (dk_tracing())
		dk_trace_dma(arg, ev);
	dk_dbg_device_access(arg, ev);
}

struct drop {
	struct dk_machine *m;
	struct dk_dbg_entry *list;
};

static void collect(struct dk_dbg_entry *e, void *arg)
{
	struct drop *d = arg;

	if (e->dev->machine == d->m && e->owned)
		dk_unpoison(dk_phys_to_virt(d->m, e->pa), e->size);
}

/*
 * DMAKIT_DMA_DEBUG, in any case. Read at a boot when its value is not the
 * one read before, so a program's own dk_dma_debug_set_mode() stands
 * across later boots. A value that is no mode changes nothing and says so:
 * silently checking "all" for "OFF" would surprise either way.
 */
static void mode_from_env(void)
{
	static const char *const modes[] = { "off", "first", "all", "abort" };
	static char seen[32];
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	const char *env = getenv("DMAKIT_DMA_DEBUG");
	unsigned int i;

	pthread_mutex_lock(&lock);
	if (!env || !strncmp(env, seen, sizeof(seen))) {
		pthread_mutex_unlock(&lock);
		return;
	}
	snprintf(seen, sizeof(seen), "%s", env);
	pthread_mutex_unlock(&lock);
	for (i = 0; i < DK_ARRAY_SIZE(modes); i++)
		if (!strcasecmp(env, modes[i])) {
			dk_dma_debug_set_mode(i);
			return;
		}
	dk_err_log(-EINVAL,
		   "DMAKIT_DMA_DEBUG=%s is not a mode (off, first, all or abort, in any case): the checker's mode stays %s",
		   env, modes[dk_dma_debug_get_mode()]);
}

void dk_dbg_machine_up(struct dk_machine *m)
{
	mode_from_env();
	dk_dbg_sync_hooks();
	if (m->pl.ops->set_dma_observer)
		m->pl.ops->set_dma_observer(m->pl.ctx, observer, m);
	dk_trace_machine_up(m);
}

void dk_dbg_machine_down(struct dk_machine *m)
{
	struct drop d = { m, NULL };
	int i;

	dk_trace_machine_down(m);
	/* Its memory goes, and the next machine may be where it was. */
	dk_dbg_objects_forget();
	if (m->pl.ops->set_dma_observer)
		m->pl.ops->set_dma_observer(m->pl.ctx, NULL, NULL);
	/* Leaked mappings die with the machine: nothing may stay poisoned
	 * in memory that is about to be unmapped and reused. */
	dk_dbg_entry_each(NULL, collect, &d);
	dk_dbg_user_maps_drop(m);
	for (i = 0; i < m->ndevs; i++) {
		struct dk_dbg_entry *e;

		while ((e = dk_dbg_entry_first(dk_mdev(m, i)))) {
			dk_dbg_lines_remove(e, m->line);
			dk_dbg_entry_free(e);
		}
	}
}
