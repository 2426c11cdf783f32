/* SPDX-License-Identifier: MIT */
/*
 * The tracer's hooks and its record. The DMA API front end and the
 * checker call the hooks; the hooks read the cache through the platform's
 * cache_line_states op and never change what the program does. Every
 * hook site tests dk_tracing() first, so a program that records nothing
 * pays one predictable branch.
 */
#ifndef DMAKIT_TRACE_INTERNAL_H
#define DMAKIT_TRACE_INTERNAL_H

#include <stdatomic.h>

#include <dmakit/trace.h>

#include "../kernel/kernel.h"

/* Hidden: the library's own, so the inline test of it is one load. */
extern atomic_int dk_trace_active __attribute__((visibility("hidden")));

static inline bool dk_tracing(void)
{
	return unlikely(atomic_load_explicit(&dk_trace_active,
					     memory_order_relaxed));
}

enum dk_trace_kind {
	DK_TR_MAP,
	DK_TR_UNMAP,
	DK_TR_SYNC_CPU,
	DK_TR_SYNC_DEVICE,
	DK_TR_ALLOC,		/* coherent: no cache maintenance */
	DK_TR_ALLOC_NC,		/* non-coherent: the CPU owns it */
	DK_TR_FREE,
	DK_TR_CPU_WRITE,	/* lines found dirty at a look */
	DK_TR_DEV_READ,
	DK_TR_DEV_WRITE,
	DK_TR_WRITEBACK,
	DK_TR_FILL,
	DK_TR_FAULT,
	DK_TR_FINDING,
	DK_TR_NKINDS,
};

/* A line's state in one column: what its colour says. */
enum dk_trace_state {
	DK_TS_NONE,		/* not (or no longer) part of a buffer */
	DK_TS_CPU_CLEAN,	/* the CPU owns it, CPU view == DRAM */
	DK_TS_CPU_DIRTY,	/* the CPU's store is not in DRAM yet */
	DK_TS_DEVICE,		/* the device owns it, in sync */
	DK_TS_DEV_WROTE,	/* device-owned, DRAM newer than the CPU view */
	DK_TS_STALE,		/* CPU-owned, clean, yet != DRAM */
	DK_TS_CONFLICT,		/* dirty, and DRAM changed beneath it */
	DK_TS_COHERENT,		/* coherent memory: no cache to keep */
	DK_TS_N,
};
#define DK_TS_MASK	0x0f
#define DK_TS_DEVOWN	0x10	/* a dirty line the device owns */

/*
 * Per cell, besides the state: the column's event touched the line; it
 * was written back over device data; the device read DRAM under it while
 * it was dirty; it was handed to the CPU stale.
 */
#define DK_TM_HIT		0x01
#define DK_TM_WB_OVER_DEVICE	0x02
#define DK_TM_DEV_READ_STALE	0x04
#define DK_TM_CPU_STALE		0x08
#define DK_TM_CORRUPT (DK_TM_WB_OVER_DEVICE | DK_TM_DEV_READ_STALE | \
		       DK_TM_CPU_STALE)

struct dk_trace_region {
	phys_addr_t pa;
	u64 size;
	struct device *dev;
	dma_addr_t dma;
	bool live;
	char label[80];
};

struct dk_trace_col {
	enum dk_trace_kind kind;
	u64 seq, time;
	char text[240];		/* the whole story of the event */
	char brief[48];		/* its column's label */
	u8 *cells;		/* per row, DK_TS_* (later rows: NONE) */
	u8 *marks;		/* per row, DK_TM_* */
	u32 ncells;
};

struct dk_trace_panel {
	char title[128];
	struct dk_machine *m;
	u32 line;
	phys_addr_t *rows;	/* line address per row, in arrival order */
	int *row_region;	/* the region that brought the row */
	u8 *owner;		/* per row: NONE, CPU_CLEAN, DEVICE, COHERENT */
	u32 nrows, cap_rows;
	struct dk_trace_region *regions;
	int nregions, cap_regions;
	struct dk_trace_col *cols;
	u32 ncols, cap_cols;
	u32 access_start;	/* first column of the device access */
	bool in_access;
	size_t faults_seen;
	u64 seq;
	u64 lines_left_out, cols_left_out;
};

/*
 * Hooks. @pa is the buffer (for an unmap or a sync: where the handle
 * leads the device); @dev_pa, where the device's accesses land, differs
 * only for a bounced mapping (~0: the same).
 */
void dk_trace_look(struct dk_machine *m, phys_addr_t pa, size_t size);
void dk_trace_api(struct device *dev, enum dk_trace_kind k, phys_addr_t pa,
		  phys_addr_t dev_pa, dma_addr_t dma, size_t size,
		  enum dma_data_direction dir);
void dk_trace_dma(struct dk_machine *m, const struct dk_dma_event *ev);
void dk_trace_finding(struct device *dev, phys_addr_t pa, u64 size,
		      const char *check, const char *msg);
/* DMAKIT_TRACE: every machine recorded, the file written at shutdown. */
void dk_trace_machine_up(struct dk_machine *m);
void dk_trace_machine_down(struct dk_machine *m);

/* The record, for the writers and the tests; under dk_trace_lock(). */
void dk_trace_lock(void);
void dk_trace_unlock(void);
int dk_trace_npanels(void);
const struct dk_trace_panel *dk_trace_panel(int i);
const char *dk_trace_kind_name(enum dk_trace_kind k);
const char *dk_trace_state_name(enum dk_trace_state s);
/* A cell of @p, NONE/0 past what the column holds. */
u8 dk_trace_cell(const struct dk_trace_panel *p, u32 col, u32 row);
u8 dk_trace_mark(const struct dk_trace_panel *p, u32 col, u32 row);

/* svg.c, json.c: the writers, with the lock held. */
int dk_trace_svg(FILE *f);
int dk_trace_json(FILE *f);

#endif
