// SPDX-License-Identifier: MIT
/*
 * What the checker can say about kmalloc objects, because dmakit's slab
 * knows every object's bounds and state: a mapping of a freed object or
 * one that runs past its object's end, and an object freed while a device
 * still has it mapped (Linux's slab asks its dma-debug the same question).
 */
#include "../core/objreg.h"
#include "../mm/mm.h"
#include "entry.h"

void dk_dbg_object_report(struct device *dev, const void *ptr, size_t len,
			  int st, const void *start, size_t size)
{
	if (st < 0)
		dk_dbg_report(dev, DK_CHK_MAP_FREED, NULL, 0, len, DMA_NONE,
			      "device driver maps freed kmalloc memory [addr=%p] [len=%zu]",
			      ptr, len);
	else if (st > 0 && len > size - (size_t)((const u8 *)ptr -
						 (const u8 *)start))
		dk_dbg_report(dev, DK_CHK_MAP_BEYOND_OBJECT, NULL, 0, len,
			      DMA_NONE,
			      "device driver maps memory beyond its kmalloc object [addr=%p] [len=%zu] [object=%p] [object size=%zu]",
			      ptr, len, start, size);
}

_Thread_local struct dk_dbg_live_obj dk_dbg_live_obj
	__attribute__((tls_model("initial-exec")));
atomic_ulong dk_dbg_obj_frees;
/* Frees (and forgets) begun, dk_dbg_obj_frees, and ended: while they
 * differ an object is on its way out and a look may still find it. */
static atomic_ulong frees_done;

static void object_gone(void)
{
	atomic_fetch_add_explicit(&frees_done, 1, memory_order_release);
}

void dk_dbg_objects_forget(void)
{
	atomic_fetch_add_explicit(&dk_dbg_obj_frees, 1, memory_order_relaxed);
	object_gone();
}

void dk_dbg_object_look(struct device *dev, const void *ptr, phys_addr_t pa,
			size_t len)
{
	struct dk_dbg_live_obj *o = &dk_dbg_live_obj;
	/* Before the look: a free begun after makes the answer stale, and
	 * one begun and not ended may not have released its object yet. */
	unsigned long done = atomic_load_explicit(&frees_done,
						  memory_order_acquire);
	unsigned long frees = atomic_load_explicit(&dk_dbg_obj_frees,
						   memory_order_relaxed);
	const void *start = NULL;
	size_t size = 0;
	int st = dk_kmalloc_object_at(dev->machine, ptr, pa, &start, &size);

	if (st > 0 && frees == done) {
		o->m = dev->machine;
		o->lo = (uintptr_t)start;
		o->hi = (uintptr_t)start + size;
		o->frees = frees;
	}
	dk_dbg_object_report(dev, ptr, len, st, start, size);
}

void dk_dbg_check_object(struct device *dev, const void *ptr, size_t len)
{
	const void *start = NULL;
	size_t size = 0;
	int st;

	/* Inline: the front end has just seen the device live, so this
	 * thread's cache answers without a call. */
	if (!dk_dbg_on() || !dev || !dk_obj_live(dev, DK_OBJ_DEVICE))
		return;
	st = dk_kmalloc_object(dev->machine, ptr, &start, &size);
	dk_dbg_object_report(dev, ptr, len, st, start, size);
}

static bool found(struct dk_dbg_entry *e, void *arg)
{
	(void)e;
	(void)arg;
	return true;
}

/*
 * Each device's live mappings are looked up at the bus address the object
 * has for it (a direct mapping of any part of it), and by the buffer's
 * physical address (a bounced or IOMMU mapping that holds its first byte).
 */
void dk_dbg_object_freed(struct dk_machine *m, const void *ptr, size_t size)
{
	struct device *dev;
	phys_addr_t pa;
	int i;

	/* Forgotten before it goes, object_gone() once it has: see
	 * dk_dbg_live_obj. */
	atomic_fetch_add_explicit(&dk_dbg_obj_frees, 1, memory_order_relaxed);
	if (!dk_dbg_on() || !dk_linear_to_phys(m, ptr, &pa))
		return;
	for (i = 0; i < m->ndevs; i++) {
		dev = dk_mdev(m, i);
		if (!dk_dbg_entry_overlaps(dev, phys_to_dma(dev, pa), size) &&
		    !dk_dbg_entry_covering(dev, pa, 1, found, NULL))
			continue;
		dk_dbg_report(dev, DK_CHK_FREE_MAPPED, NULL,
			      phys_to_dma(dev, pa), size, DMA_NONE,
			      "device driver frees kmalloc memory it still has mapped for DMA [addr=%p] [size=%zu]",
			      ptr, size);
	}
}

const struct dk_free_hooks dk_dbg_free_hooks = { dk_dbg_object_freed,
						  object_gone };
