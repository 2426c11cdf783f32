/* SPDX-License-Identifier: MIT */
/*
 * The DMA-API checker's hooks, called by the mapping layer at each API
 * call, and its private state. Every hook returns at once when the checker
 * is off.
 */
#ifndef DMAKIT_DEBUG_INTERNAL_H
#define DMAKIT_DEBUG_INTERNAL_H

#include <stdatomic.h>

#include <dmakit/dma-debug.h>

#include "../kernel/kernel.h"

enum dk_map_type {
	DK_MAP_SINGLE,
	DK_MAP_PAGE,
	DK_MAP_SG,
	DK_MAP_COHERENT,
	DK_MAP_RESOURCE,
	DK_MAP_NONCOHERENT,
	DK_MAP_IOVA,		/* a range dma_iova_link() linked */
};

/* Hidden: the library's own, so the inline test of it is one load. */
extern atomic_int dk_dbg_mode __attribute__((visibility("hidden")));

static inline bool dk_dbg_on(void)
{
	return atomic_load_explicit(&dk_dbg_mode, memory_order_relaxed) !=
	       DK_DMA_DEBUG_OFF;
}

/* Install (checker on) or withdraw (off) the checker's hooks in the layers
 * below it, which never call it by name. */
void dk_dbg_sync_hooks(void);

/* Mapping hooks. @ptr is the CPU address the driver gave (or NULL). */
void dk_dbg_check_area(struct device *dev, const void *ptr, size_t len);
void dk_dbg_map(struct device *dev, enum dk_map_type type, const void *ptr,
		phys_addr_t pa, dma_addr_t dma, size_t size,
		enum dma_data_direction dir, unsigned long attrs,
		int sg_call_ents, int sg_mapped_ents);
/* dk_dbg_check_object() and dk_dbg_map() of a dma_map_single() on a
 * plain direct device (dma == pa) the caller has just seen live, @ptr of
 * the linear map at @pa: the fast path's one call. */
void dk_dbg_map_plain(struct device *dev, const void *ptr, phys_addr_t pa,
		      size_t size, enum dma_data_direction dir,
		      unsigned long attrs);
void dk_dbg_unmap(struct device *dev, enum dk_map_type type, dma_addr_t dma,
		  size_t size, enum dma_data_direction dir, int sg_ents,
		  const void *cpu_addr);
/* dk_dbg_unmap() of a single or page mapping (no entry count, no CPU
 * address): no argument on the stack, so the front end's call of it can
 * be a jump. */
void dk_dbg_unmap_plain(struct device *dev, enum dk_map_type type,
			dma_addr_t dma, size_t size,
			enum dma_data_direction dir);
/* Unmap every entry of @type laid back to back from @dma over @len bytes
 * (dma_iova_destroy() of several links); what no entry starts at is
 * reported as not allocated. */
void dk_dbg_unmap_span(struct device *dev, enum dk_map_type type,
		       dma_addr_t dma, u64 len, enum dma_data_direction dir);
/* Also dma_mapping_error()'s answer for @dma: the front end's call is
 * then a jump. */
int dk_dbg_mapping_error(struct device *dev, dma_addr_t dma);
void dk_dbg_sync(struct device *dev, dma_addr_t dma, size_t size,
		 enum dma_data_direction dir, bool for_cpu, int sg_ents);
void dk_dbg_sg_segment(struct device *dev, dma_addr_t dma, size_t len);
/* object.c: [@ptr, +@len) of linear-map memory against its kmalloc
 * object; a kmalloc object at @ptr of @size bytes is being freed. */
void dk_dbg_check_object(struct device *dev, const void *ptr, size_t len);
void dk_dbg_object_freed(struct dk_machine *m, const void *ptr, size_t size);
/* What kfree() tells the checker: dk_dbg_object_freed() before, and
 * that the object is gone after. */
extern const struct dk_free_hooks dk_dbg_free_hooks;
void dk_dbg_device_released(struct device *dev);
/* A device moved data: the simulator's view (observer). */
void dk_dbg_device_access(struct dk_machine *m, const struct dk_dma_event *ev);
void dk_dbg_machine_up(struct dk_machine *m);
void dk_dbg_machine_down(struct dk_machine *m);

/* Report a finding; @e (may be NULL) gives the mapping's backtrace. */
struct dk_dbg_entry;
void dk_dbg_report(struct device *dev, enum dk_dma_check check,
		   const struct dk_dbg_entry *e, dma_addr_t addr, u64 size,
		   enum dma_data_direction dir, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

const char *dk_dbg_dir_name(enum dma_data_direction dir);
const char *dk_dbg_type_name(enum dk_map_type t);

#endif
