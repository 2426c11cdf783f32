// SPDX-License-Identifier: MIT
/*
 * What only the simulator lets the checker see: every access a device
 * makes. Each must fall inside a live mapping or allocation of that
 * device, and a device whose driver was unbound must not move data at all.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "entry.h"
#include "poison.h"

struct cover {
	phys_addr_t pa;
	size_t len;
	bool covered;
};

static void covers(struct dk_dbg_entry *e, void *arg)
{
	struct cover *c = arg;
	phys_addr_t dev_pa = dma_to_phys(e->dev, e->dma);

	/* The device reaches the buffer itself, or its bounce slot. */
	if ((c->pa >= e->pa && c->pa + c->len <= e->pa + e->size) ||
	    (c->pa >= dev_pa && c->pa + c->len <= dev_pa + e->size))
		c->covered = true;
}

static struct device *find(struct dk_machine *m, const char *name)
{
	int i;

	for (i = 0; i < m->ndevs; i++)
		if (!strcmp(m->devs[i].init_name, name))
			return &m->devs[i];
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
		dk_dbg_entry_each(d, covers, c);
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

void dk_dbg_device_access(struct dk_machine *m, const char *devname,
			  phys_addr_t pa, size_t len, bool write,
			  bool hw_coherent)
{
	struct device *dev;
	struct cover c = { pa, len, false };

	bool child_alive = false;

	if (!dk_dbg_on() || !(dev = find(m, devname)))
		return;
	check_coherence(dev, hw_coherent);
	children_cover(m, devname, &c, &child_alive);
	if (dev->dead && !child_alive) {
		dk_dbg_report(dev, DK_CHK_DMA_AFTER_UNBIND, NULL, pa, len,
			      write ? DMA_FROM_DEVICE : DMA_TO_DEVICE,
			      "device %s %zu bytes at 0x%llx after its driver was unbound (not quiesced)",
			      write ? "wrote" : "read", len,
			      (unsigned long long)pa);
		return;
	}
	if (!c.covered)
		dk_dbg_entry_each(dev, covers, &c);
	if (!c.covered)
		dk_dbg_report(dev, DK_CHK_DEVICE_UNMAPPED_ACCESS, NULL, pa, len,
			      write ? DMA_FROM_DEVICE : DMA_TO_DEVICE,
			      "device %s %zu bytes at physical 0x%llx that no live mapping or allocation of it covers",
			      write ? "wrote" : "read", len,
			      (unsigned long long)pa);
}

static void observer(void *arg, const char *device, phys_addr_t pa,
		     size_t len, bool write, bool hw_coherent)
{
	dk_dbg_device_access(arg, device, pa, len, write, hw_coherent);
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
	if (m->pl.ops->set_dma_observer)
		m->pl.ops->set_dma_observer(m->pl.ctx, observer, m);
}

void dk_dbg_machine_down(struct dk_machine *m)
{
	struct drop d = { m, NULL };
	int i;

	if (m->pl.ops->set_dma_observer)
		m->pl.ops->set_dma_observer(m->pl.ctx, NULL, NULL);
	/* Leaked mappings die with the machine: nothing may stay poisoned
	 * in memory that is about to be unmapped and reused. */
	dk_dbg_entry_each(NULL, collect, &d);
	for (i = 0; i < m->ndevs; i++) {
		struct dk_dbg_entry *e;

		while ((e = dk_dbg_entry_first(&m->devs[i]))) {
			dk_dbg_lines_remove(e, m->line);
			dk_dbg_entry_free(e);
		}
	}
}
