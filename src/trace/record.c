// SPDX-License-Identifier: MIT
/*
 * The tracer's recorder. Each event becomes a column; each cache line of
 * a buffer involved becomes a row, and every column holds every row's
 * state as the platform's cache shows it after the event, combined with
 * who owns the line (the DMA API's hand-overs, which the tracer follows
 * itself). CPU stores leave no event of their own: a line found dirty at
 * a look, where the last column had it clean, gets a "CPU stores" column.
 *
 * A device access arrives after the fact, as the observer's list: the
 * device's piece, then the lines the cache wrote back meanwhile. The
 * state between the two is no longer there to read, but the write-back
 * says what it was (those lines were dirty, over what the device had
 * just written), so the columns of the access are corrected afterwards.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/soc.h>

#include "../core/objreg.h"
#include "trace.h"

#define MAX_PANELS 8
#define MAX_ROWS 4096
#define MAX_COLS 4000

atomic_int dk_trace_active;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct dk_trace_panel *panels[MAX_PANELS];
static int npanels;
static struct dk_trace_panel *cur;
static int cpuw_col = -1;	/* the current access's CPU-stores column */
static char env_path[4096];	/* DMAKIT_TRACE of the recording panel */

void dk_trace_lock(void)
{
	pthread_mutex_lock(&lock);
}

void dk_trace_unlock(void)
{
	pthread_mutex_unlock(&lock);
}

static bool grow(void **p, u32 *cap, u32 need, size_t elem)
{
	u32 n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return true;
	while (n < need)
		n *= 2;
	q = realloc(*p, (size_t)n * elem);
	if (!q)
		return false;
	*p = q;
	*cap = n;
	return true;
}

static struct dk_trace_panel *active(struct dk_machine *m)
{
	return cur && cur->m == m ? cur : NULL;
}

static const struct dk_platform_ops *ops(struct dk_trace_panel *p)
{
	return p->m->pl.ops;
}

/* ---- rows */

static int row_of(const struct dk_trace_panel *p, phys_addr_t line)
{
	u32 i;

	for (i = p->nrows; i-- > 0;)
		if (p->rows[i] == line)
			return (int)i;
	return -1;
}

static bool add_row(struct dk_trace_panel *p, phys_addr_t line, int region,
		    u8 owner)
{
	u32 cap = p->cap_rows;

	if (p->nrows >= MAX_ROWS) {
		p->lines_left_out++;
		return false;
	}
	if (!grow((void **)&p->rows, &cap, p->nrows + 1, sizeof(*p->rows)))
		return false;
	cap = p->cap_rows;
	if (!grow((void **)&p->row_region, &cap, p->nrows + 1, sizeof(int)))
		return false;
	cap = p->cap_rows;
	if (!grow((void **)&p->owner, &cap, p->nrows + 1, 1))
		return false;
	p->cap_rows = cap;
	p->rows[p->nrows] = line;
	p->row_region[p->nrows] = region;
	p->owner[p->nrows] = owner;
	p->nrows++;
	return true;
}

static phys_addr_t first_line(const struct dk_trace_panel *p, phys_addr_t pa)
{
	return pa / p->line * p->line;
}

/* Rows for the lines of [pa, pa + size), new ones owned by @owner. */
static void ensure_rows(struct dk_trace_panel *p, phys_addr_t pa, u64 size,
			int region, u8 owner)
{
	phys_addr_t l;
	int r;

	if (!size || pa + size - 1 < pa)
		return;
	for (l = first_line(p, pa); l <= pa + size - 1; l += p->line) {
		r = row_of(p, l);
		if (r < 0)
			add_row(p, l, region, owner);
		else if (p->row_region[r] < 0)
			p->row_region[r] = region;
		if (l + p->line < l)
			break;
	}
}

static bool covered(const struct dk_trace_panel *p, phys_addr_t pa, u64 size)
{
	phys_addr_t l;

	for (l = first_line(p, pa); l <= pa + size - 1; l += p->line)
		if (row_of(p, l) < 0)
			return false;
	return true;
}

static void set_owner(struct dk_trace_panel *p, phys_addr_t pa, u64 size,
		      u8 owner)
{
	u32 i;

	for (i = 0; i < p->nrows; i++)
		if (p->rows[i] + p->line > pa && p->rows[i] <= pa + size - 1)
			p->owner[i] = owner;
}

/* ---- regions */

static int new_region(struct dk_trace_panel *p, phys_addr_t pa, u64 size,
		      struct device *dev, dma_addr_t dma, const char *label,
		      u8 owner)
{
	u32 cap = p->cap_regions;
	struct dk_trace_region *r;

	if (!grow((void **)&p->regions, &cap, p->nregions + 1, sizeof(*r)))
		return -1;
	p->cap_regions = cap;
	r = &p->regions[p->nregions];
	*r = (struct dk_trace_region){ .pa = pa, .size = size, .dev = dev,
				       .dma = dma, .live = dev != NULL };
	snprintf(r->label, sizeof(r->label), "%s", label);
	ensure_rows(p, pa, size, p->nregions, owner);
	return p->nregions++;
}

static struct dk_trace_region *by_dma(struct dk_trace_panel *p,
				      struct device *dev, dma_addr_t dma)
{
	int i;

	for (i = p->nregions; i-- > 0;) {
		struct dk_trace_region *r = &p->regions[i];

		if (r->live && r->dev == dev && dma >= r->dma &&
		    dma - r->dma < r->size)
			return r;
	}
	return NULL;
}

/*
 * Memory no buffer brought in (a device or a sync reached it). Pieces
 * near each other (packets in one unmapped ring of buffers) are one
 * region, not a header per packet.
 */
static void cover(struct dk_trace_panel *p, phys_addr_t pa, u64 size,
		  const char *why)
{
	int i;

	if (!size || pa + size - 1 < pa || covered(p, pa, size))
		return;
	for (i = p->nregions; i-- > 0;) {
		struct dk_trace_region *r = &p->regions[i];
		phys_addr_t lo = r->pa < pa ? r->pa : pa;
		phys_addr_t hi = r->pa + r->size > pa + size ? r->pa + r->size :
							      pa + size;

		if (r->dev || strcmp(r->label, why) ||
		    pa > r->pa + r->size + DK_PAGE_SIZE ||
		    pa + size + DK_PAGE_SIZE < r->pa)
			continue;
		r->pa = lo;
		r->size = hi - lo;
		ensure_rows(p, pa, size, i, DK_TS_CPU_CLEAN);
		return;
	}
	new_region(p, pa, size, NULL, 0, why, DK_TS_CPU_CLEAN);
}

/* ---- states */

static u8 state_of(u8 owner, u8 bits)
{
	bool d = bits & DK_LINE_DIRTY, s = bits & DK_LINE_CPU_NE_DRAM;

	if (owner == DK_TS_NONE || owner == DK_TS_COHERENT)
		return owner;
	if (d && s && (bits & DK_LINE_LAST_NE_DRAM))
		return DK_TS_CONFLICT;
	if (d)
		return DK_TS_CPU_DIRTY |
		       (owner == DK_TS_DEVICE ? DK_TS_DEVOWN : 0);
	if (s)
		return owner == DK_TS_DEVICE ? DK_TS_DEV_WROTE : DK_TS_STALE;
	return owner;
}

static bool dirty(u8 st)
{
	st &= DK_TS_MASK;
	return st == DK_TS_CPU_DIRTY || st == DK_TS_CONFLICT;
}

static u8 dirty_state(const struct dk_trace_panel *p, u32 row)
{
	return DK_TS_CPU_DIRTY |
	       (p->owner[row] == DK_TS_DEVICE ? DK_TS_DEVOWN : 0);
}

/* Every row's state now, into @out (nrows bytes). */
static void snapshot(struct dk_trace_panel *p, u8 *out)
{
	const struct dk_platform_ops *o = ops(p);
	u8 bits[256];
	u32 i, n;

	for (i = 0; i < p->nrows; i += n) {
		u32 k;

		/* Contiguous lines in one call. */
		for (n = 1; i + n < p->nrows && n < sizeof(bits) &&
			    p->rows[i + n] == p->rows[i] + (u64)n * p->line;
		     n++)
			;
		if (o->cache_line_states(p->m->pl.ctx, p->rows[i], n, bits))
			memset(bits, 0, n);
		for (k = 0; k < n; k++)
			out[i + k] = state_of(p->owner[i + k], bits[k]);
	}
}

u8 dk_trace_cell(const struct dk_trace_panel *p, u32 col, u32 row)
{
	return col < p->ncols && row < p->cols[col].ncells ?
		       p->cols[col].cells[row] : DK_TS_NONE;
}

u8 dk_trace_mark(const struct dk_trace_panel *p, u32 col, u32 row)
{
	return col < p->ncols && row < p->cols[col].ncells ?
		       p->cols[col].marks[row] : 0;
}

/* ---- columns */

static const char *brief_of(enum dk_trace_kind k)
{
	static const char *const n[DK_TR_NKINDS] = {
		[DK_TR_MAP] = "map", [DK_TR_UNMAP] = "unmap",
		[DK_TR_SYNC_CPU] = "sync for cpu",
		[DK_TR_SYNC_DEVICE] = "sync for device",
		[DK_TR_ALLOC] = "alloc coherent",
		[DK_TR_ALLOC_NC] = "alloc noncoherent", [DK_TR_FREE] = "free",
		[DK_TR_CPU_WRITE] = "CPU stores",
		[DK_TR_DEV_READ] = "device read",
		[DK_TR_DEV_WRITE] = "device write",
		[DK_TR_WRITEBACK] = "write-back (eviction)",
		[DK_TR_FILL] = "speculative fill", [DK_TR_FAULT] = "FAULT",
		[DK_TR_FINDING] = "checker",
	};

	return (unsigned int)k < DK_TR_NKINDS ? n[k] : "?";
}

/* A new column at @at (ncols: the end) holding @cells, or NULL. */
static struct dk_trace_col *insert_col(struct dk_trace_panel *p, u32 at,
				       enum dk_trace_kind k, const u8 *cells,
				       const char *text)
{
	u32 cap = p->cap_cols;
	struct dk_trace_col *c;

	if (p->ncols >= MAX_COLS) {
		p->cols_left_out++;
		return NULL;
	}
	if (!grow((void **)&p->cols, &cap, p->ncols + 1, sizeof(*c)))
		return NULL;
	p->cap_cols = cap;
	c = &p->cols[at];
	memmove(c + 1, c, (p->ncols - at) * sizeof(*c));
	memset(c, 0, sizeof(*c));
	c->cells = malloc(p->nrows ? p->nrows : 1);
	c->marks = calloc(p->nrows ? p->nrows : 1, 1);
	if (!c->cells || !c->marks) {
		free(c->cells);
		free(c->marks);
		memmove(c, c + 1, (p->ncols - at) * sizeof(*c));
		return NULL;
	}
	p->ncols++;
	c->kind = k;
	c->seq = p->seq++;
	c->time = ops(p)->clock ? ops(p)->clock(p->m->pl.ctx) : 0;
	if (at + 1 < p->ncols) {
		u32 j;

		/* Found late, happened earlier: it takes its place in order. */
		c->seq = c[1].seq;
		c->time = c[1].time;
		for (j = at + 1; j < p->ncols; j++)
			p->cols[j].seq++;
	}
	c->ncells = p->nrows;
	memcpy(c->cells, cells, p->nrows);
	snprintf(c->text, sizeof(c->text), "%s", text);
	snprintf(c->brief, sizeof(c->brief), "%s", brief_of(k));
	return c;
}

static struct dk_trace_col *push_col(struct dk_trace_panel *p,
				     enum dk_trace_kind k, const u8 *cells,
				     const char *text)
{
	return insert_col(p, p->ncols, k, cells, text);
}

static bool hits(const struct dk_trace_panel *p, u32 row, phys_addr_t pa,
		 u64 size)
{
	return size && p->rows[row] + p->line > pa &&
	       p->rows[row] <= pa + size - 1;
}

static void mark_hits(struct dk_trace_panel *p, struct dk_trace_col *c,
		      phys_addr_t pa, u64 size)
{
	u32 i;

	for (i = 0; c && i < c->ncells; i++)
		if (hits(p, i, pa, size))
			c->marks[i] |= DK_TM_HIT;
}

/*
 * Lines dirty in @snap that the last column had clean: the CPU stored
 * there since. Their column goes before the event that found them.
 */
static void cpu_stores(struct dk_trace_panel *p, const u8 *snap)
{
	struct dk_trace_col *last = p->ncols ? &p->cols[p->ncols - 1] : NULL;
	struct dk_trace_col *c = NULL;
	u32 i;

	for (i = 0; i < p->nrows; i++) {
		u8 before = last && i < last->ncells ? last->cells[i] :
						       DK_TS_NONE;

		if (!dirty(snap[i]) || dirty(before))
			continue;
		if (!c) {
			u8 *cells = malloc(p->nrows ? p->nrows : 1);
			u32 j;

			if (!cells)
				return;
			for (j = 0; j < p->nrows; j++)
				cells[j] = last && j < last->ncells ?
						   last->cells[j] :
						   state_of(p->owner[j], 0);
			c = push_col(p, DK_TR_CPU_WRITE, cells,
				     "CPU stores (lines found dirty)");
			free(cells);
			if (!c)
				return;
			cpuw_col = (int)p->ncols - 1;
		}
		c->cells[i] = snap[i] == DK_TS_CONFLICT ? dirty_state(p, i) :
							  snap[i];
		c->marks[i] |= DK_TM_HIT;
	}
}

static void poll_faults(struct dk_trace_panel *p, const u8 *snap)
{
	struct dk_fault f;
	char text[240];

	if (!ops(p)->fault)
		return;
	while (!ops(p)->fault(p->m->pl.ctx, p->faults_seen, &f)) {
		struct dk_trace_col *c;

		p->faults_seen++;
		snprintf(text, sizeof(text),
			 "fault: %s %s of %zu bytes at 0x%llx: %s", f.device,
			 f.write ? "write" : "read", f.len,
			 (unsigned long long)f.dev_addr,
			 dk_fault_reason_name(f.reason));
		c = push_col(p, DK_TR_FAULT, snap, text);
		if (c && f.phys)
			mark_hits(p, c, f.phys, f.len);
	}
}

/* Snapshot (rows may have been added) with faults and CPU stores first. */
static u8 *look(struct dk_trace_panel *p, bool stores)
{
	u8 *snap = malloc(p->nrows ? p->nrows : 1);

	if (!snap)
		return NULL;
	snapshot(p, snap);
	poll_faults(p, snap);
	if (stores)
		cpu_stores(p, snap);
	return snap;
}

/* ---- hooks */

void dk_trace_look(struct dk_machine *m, phys_addr_t pa, size_t size)
{
	struct dk_trace_panel *p;

	pthread_mutex_lock(&lock);
	p = active(m);
	if (p) {
		if (size)
			ensure_rows(p, pa, size, -1, DK_TS_CPU_CLEAN);
		p->in_access = false;
		cpuw_col = -1;
		free(look(p, true));
	}
	pthread_mutex_unlock(&lock);
}

const char *dk_trace_kind_name(enum dk_trace_kind k)
{
	static const char *const n[DK_TR_NKINDS] = {
		[DK_TR_MAP] = "map",
		[DK_TR_UNMAP] = "unmap",
		[DK_TR_SYNC_CPU] = "sync-for-cpu",
		[DK_TR_SYNC_DEVICE] = "sync-for-device",
		[DK_TR_ALLOC] = "alloc-coherent",
		[DK_TR_ALLOC_NC] = "alloc-noncoherent",
		[DK_TR_FREE] = "free",
		[DK_TR_CPU_WRITE] = "cpu-write",
		[DK_TR_DEV_READ] = "device-read",
		[DK_TR_DEV_WRITE] = "device-write",
		[DK_TR_WRITEBACK] = "writeback",
		[DK_TR_FILL] = "speculative-fill",
		[DK_TR_FAULT] = "fault",
		[DK_TR_FINDING] = "finding",
	};

	return (unsigned int)k < DK_TR_NKINDS ? n[k] : "?";
}

const char *dk_trace_state_name(enum dk_trace_state s)
{
	static const char *const n[DK_TS_N] = {
		[DK_TS_NONE] = "none",
		[DK_TS_CPU_CLEAN] = "cpu-clean",
		[DK_TS_CPU_DIRTY] = "cpu-dirty",
		[DK_TS_DEVICE] = "device-owned",
		[DK_TS_DEV_WROTE] = "device-wrote-dram",
		[DK_TS_STALE] = "stale-in-cpu",
		[DK_TS_CONFLICT] = "dirty-over-device-data",
		[DK_TS_COHERENT] = "coherent",
	};

	return (unsigned int)s < DK_TS_N ? n[s] : "?";
}

static const char *dir_word(enum dma_data_direction dir)
{
	static const char *const n[] = { "BIDIRECTIONAL", "TO_DEVICE",
					 "FROM_DEVICE", "NONE" };

	return (unsigned int)dir < 4 ? n[dir] : "?";
}

/*
 * Where an unmap or sync lands: the buffer the handle was mapped from;
 * *@dev_pa the bounce slot, if the device's accesses go to one.
 */
static phys_addr_t api_target(struct dk_trace_panel *p, struct device *dev,
			      enum dk_trace_kind k, phys_addr_t pa,
			      phys_addr_t *dev_pa, dma_addr_t dma, size_t size)
{
	struct dk_trace_region *r = by_dma(p, dev, dma);

	*dev_pa = ~(phys_addr_t)0;
	if (r) {
		if (pa != r->pa + (dma - r->dma))
			*dev_pa = pa;
		pa = r->pa + (dma - r->dma);
		if (k == DK_TR_UNMAP || k == DK_TR_FREE)
			r->live = false;
	} else if (pa != ~(phys_addr_t)0) {
		cover(p, pa, size, "not mapped (the driver synced it)");
	}
	return pa;
}

void dk_trace_api(struct device *dev, enum dk_trace_kind k, phys_addr_t pa,
		  phys_addr_t dev_pa, dma_addr_t dma, size_t size,
		  enum dma_data_direction dir)
{
	struct dk_trace_panel *p;
	struct dk_trace_col *c;
	char text[240], label[80];
	u8 owner, *snap;
	u32 i;

	pthread_mutex_lock(&lock);
	p = dev ? active(dev->machine) : NULL;
	if (!p || !size || (unsigned int)k > DK_TR_FREE ||
	    ((k == DK_TR_MAP || k == DK_TR_ALLOC || k == DK_TR_ALLOC_NC) &&
	     dma == DMA_MAPPING_ERROR)) {
		pthread_mutex_unlock(&lock);
		return;
	}
	p->in_access = false;
	switch (k) {
	case DK_TR_MAP:
	case DK_TR_ALLOC:
	case DK_TR_ALLOC_NC:
		owner = k == DK_TR_MAP ? DK_TS_DEVICE :
			k == DK_TR_ALLOC ? DK_TS_COHERENT : DK_TS_CPU_CLEAN;
		snprintf(label, sizeof(label), "%s %s%s, %zu bytes",
			 k == DK_TR_MAP ? "mapped" : brief_of(k),
			 k == DK_TR_ALLOC ? "" : dir_word(dir),
			 k == DK_TR_ALLOC ? "memory" : "", size);
		new_region(p, pa, size, dev, dma, label, owner);
		if (dev_pa != pa && dev_pa != ~(phys_addr_t)0) {
			snprintf(label, sizeof(label),
				 "swiotlb slot of the buffer at 0x%llx",
				 (unsigned long long)pa);
			new_region(p, dev_pa, size, NULL, 0, label, owner);
		} else {
			dev_pa = ~(phys_addr_t)0;
		}
		break;
	default:
		pa = api_target(p, dev, k, pa, &dev_pa, dma, size);
		owner = k == DK_TR_SYNC_DEVICE ? DK_TS_DEVICE :
			k == DK_TR_FREE ? DK_TS_NONE : DK_TS_CPU_CLEAN;
		break;
	}
	if (pa == ~(phys_addr_t)0) {
		pthread_mutex_unlock(&lock);
		return;
	}
	set_owner(p, pa, size, owner);
	if (dev_pa != ~(phys_addr_t)0)
		set_owner(p, dev_pa, size, owner);
	snprintf(text, sizeof(text), "%s %s%s%zu bytes at 0x%llx (%s)",
		 brief_of(k), k == DK_TR_ALLOC || k == DK_TR_FREE ? "" : dir_word(dir),
		 k == DK_TR_ALLOC || k == DK_TR_FREE ? "" : ", ", size,
		 (unsigned long long)pa, dev_name(dev));
	snap = look(p, false);
	c = snap ? push_col(p, k, snap, text) : NULL;
	free(snap);
	if (c && k != DK_TR_ALLOC && k != DK_TR_FREE)
		snprintf(c->brief, sizeof(c->brief), "%s %s", brief_of(k),
			 dir_word(dir));
	mark_hits(p, c, pa, size);
	if (dev_pa != ~(phys_addr_t)0)
		mark_hits(p, c, dev_pa, size);
	for (i = 0; c && i < c->ncells; i++)
		if ((k == DK_TR_UNMAP || k == DK_TR_SYNC_CPU) &&
		    (c->marks[i] & DK_TM_HIT) && c->cells[i] == DK_TS_STALE)
			c->marks[i] |= DK_TM_CPU_STALE;
	pthread_mutex_unlock(&lock);
}

/* The columns of the access going on, from @from, that hit @row. */
static bool access_wrote(const struct dk_trace_panel *p, u32 row, u32 upto)
{
	u32 c;

	for (c = p->access_start; c <= upto && c < p->ncols; c++)
		if (p->cols[c].kind == DK_TR_DEV_WRITE &&
		    (dk_trace_mark(p, c, row) & DK_TM_HIT))
			return true;
	return false;
}

/*
 * @row was written back during the access: it was dirty from before the
 * access until the write-back, so say so in the columns already made.
 * Returns whether the device had written DRAM under it.
 */
static bool was_dirty(struct dk_trace_panel *p, u32 row)
{
	u32 start = p->access_start, c;
	int before = cpuw_col >= 0 ? cpuw_col - 1 : (int)start - 1;
	u8 prev = before >= 0 ? dk_trace_cell(p, before, row) : DK_TS_NONE;
	u8 prev_kind = prev & DK_TS_MASK;
	bool over = access_wrote(p, row, p->ncols - 1) ||
		    prev_kind == DK_TS_DEV_WROTE || prev_kind == DK_TS_STALE ||
		    prev_kind == DK_TS_CONFLICT;

	for (c = start; c < p->ncols; c++) {
		struct dk_trace_col *col = &p->cols[c];

		if (row < col->ncells && !dirty(col->cells[row]))
			col->cells[row] = access_wrote(p, row, c) ?
						  DK_TS_CONFLICT :
						  dirty_state(p, row);
	}
	if (dirty(prev))
		return over;
	if (cpuw_col < 0) {
		u8 *cells = malloc(p->nrows ? p->nrows : 1);
		u32 j;

		if (!cells)
			return over;
		for (j = 0; j < p->nrows; j++)
			cells[j] = before >= 0 ? dk_trace_cell(p, before, j) :
						 state_of(p->owner[j], 0);
		if (!insert_col(p, start, DK_TR_CPU_WRITE, cells,
				"CPU stores (found by the write-back)")) {
			free(cells);
			return over;
		}
		free(cells);
		cpuw_col = (int)start;
		p->access_start++;
	}
	if (row < p->cols[cpuw_col].ncells) {
		p->cols[cpuw_col].cells[row] = dirty_state(p, row);
		p->cols[cpuw_col].marks[row] |= DK_TM_HIT;
	}
	return over;
}

void dk_trace_dma(struct dk_machine *m, const struct dk_dma_event *ev)
{
	static const enum dk_trace_kind kinds[] = {
		[DK_EV_DEVICE_READ] = DK_TR_DEV_READ,
		[DK_EV_DEVICE_WRITE] = DK_TR_DEV_WRITE,
		[DK_EV_WRITEBACK] = DK_TR_WRITEBACK,
		[DK_EV_FILL] = DK_TR_FILL,
	};
	struct dk_trace_panel *p;
	struct dk_trace_col *c;
	enum dk_trace_kind k;
	bool access;
	char text[240];
	u8 *snap;
	u32 i;

	pthread_mutex_lock(&lock);
	p = active(m);
	if (!p || !ev || (unsigned int)ev->type > DK_EV_FILL || !ev->len) {
		pthread_mutex_unlock(&lock);
		return;
	}
	k = kinds[ev->type];
	access = k == DK_TR_DEV_READ || k == DK_TR_DEV_WRITE;
	cover(p, ev->pa, ev->len,
	      k == DK_TR_DEV_READ ? "not mapped (the device read it)" :
				    "not mapped (the device wrote it)");
	if (access) {
		cpuw_col = -1;
		p->in_access = false;
	}
	snap = look(p, access);
	if (!snap) {
		pthread_mutex_unlock(&lock);
		return;
	}
	if (access) {
		p->access_start = p->ncols;
		p->in_access = true;
	}
	snprintf(text, sizeof(text), "%s %s %zu bytes at 0x%llx",
		 ev->device ? ev->device : "?",
		 k == DK_TR_DEV_READ ? "read" :
		 k == DK_TR_DEV_WRITE ? "wrote" :
		 k == DK_TR_WRITEBACK ? "- the cache wrote back" :
					"- the cache refilled",
		 ev->len, (unsigned long long)ev->pa);
	if (k == DK_TR_WRITEBACK && !p->in_access) {
		p->access_start = p->ncols;
		p->in_access = true;
	}
	if (k == DK_TR_WRITEBACK) {
		/* Which rows lost device data, decided before the patching. */
		u8 *over = calloc(p->nrows ? p->nrows : 1, 1);

		for (i = 0; over && i < p->nrows; i++)
			if (hits(p, i, ev->pa, ev->len))
				over[i] = was_dirty(p, i);
		c = push_col(p, k, snap, text);
		mark_hits(p, c, ev->pa, ev->len);
		for (i = 0; c && over && i < c->ncells; i++)
			if (over[i])
				c->marks[i] |= DK_TM_WB_OVER_DEVICE;
		free(over);
	} else {
		c = push_col(p, k, snap, text);
		if (c && access)
			snprintf(c->brief, sizeof(c->brief), "%s, %zu B",
				 brief_of(k), ev->len);
		mark_hits(p, c, ev->pa, ev->len);
		/* A snooping device reads the dirty line itself. */
		for (i = 0; c && k == DK_TR_DEV_READ && !ev->hw_coherent &&
			    i < c->ncells; i++)
			if ((c->marks[i] & DK_TM_HIT) && dirty(c->cells[i]))
				c->marks[i] |= DK_TM_DEV_READ_STALE;
	}
	free(snap);
	pthread_mutex_unlock(&lock);
}

void dk_trace_finding(struct device *dev, phys_addr_t pa, u64 size,
		      const char *check, const char *msg)
{
	struct dk_trace_panel *p;
	struct dk_trace_col *c;
	char text[240];
	u8 *snap;

	pthread_mutex_lock(&lock);
	p = dev ? active(dev->machine) : NULL;
	snap = p ? look(p, false) : NULL;
	if (snap) {
		snprintf(text, sizeof(text), "checker: %s: %s", check, msg);
		c = push_col(p, DK_TR_FINDING, snap, text);
		if (c)
			snprintf(c->brief, sizeof(c->brief), "checker: %s",
				 check);
		if (size && pa + size - 1 >= pa)
			mark_hits(p, c, pa, size);
	}
	free(snap);
	pthread_mutex_unlock(&lock);
}

/* ---- panels */

static void panel_free(struct dk_trace_panel *p)
{
	u32 i;

	if (!p)
		return;
	for (i = 0; i < p->ncols; i++) {
		free(p->cols[i].cells);
		free(p->cols[i].marks);
	}
	free(p->cols);
	free(p->rows);
	free(p->row_region);
	free(p->owner);
	free(p->regions);
	free(p);
}

static int begin(struct dk_machine *m, const char *title)
{
	struct dk_trace_panel *p;

	if (!dk_obj_live(m, DK_OBJ_MACHINE))
		return dk_err(-EINVAL, "dk_trace_begin: %p is not a live machine",
			      (void *)m);
	if (!m->pl.ops->cache_line_states || !m->line)
		return dk_err(-EINVAL,
			      "dk_trace_begin: platform %s cannot show cache lines",
			      m->pl.ops->name);
	if (cur)
		return dk_err(-EBUSY, "dk_trace_begin: panel \"%s\" is recording",
			      cur->title);
	if (npanels == MAX_PANELS)
		return dk_err(-ENOSPC, "dk_trace_begin: the picture has its %d panels",
			      MAX_PANELS);
	p = calloc(1, sizeof(*p));
	if (!p)
		return dk_err(-ENOMEM, "dk_trace_begin: out of memory");
	snprintf(p->title, sizeof(p->title), "%s", title ? title : "");
	p->m = m;
	p->line = m->line;
	/* Faults from before the panel are not its own. */
	if (m->pl.ops->fault) {
		struct dk_fault f;

		while (!m->pl.ops->fault(m->pl.ctx, p->faults_seen, &f))
			p->faults_seen++;
	}
	panels[npanels++] = p;
	cur = p;
	if (m->pl.ops->observe_fills)
		m->pl.ops->observe_fills(m->pl.ctx, true);
	cpuw_col = -1;
	atomic_store(&dk_trace_active, 1);
	return 0;
}

int dk_trace_begin(struct dk_machine *m, const char *title)
{
	int r;

	pthread_mutex_lock(&lock);
	r = begin(m, title);
	pthread_mutex_unlock(&lock);
	return r;
}

static void end(void)
{
	if (!cur)
		return;
	cpuw_col = -1;
	free(look(cur, true));
	if (ops(cur)->observe_fills)
		ops(cur)->observe_fills(cur->m->pl.ctx, false);
	cur->m = NULL;	/* the machine may go; the record stays */
	cur = NULL;
	atomic_store(&dk_trace_active, 0);
}

void dk_trace_end(void)
{
	pthread_mutex_lock(&lock);
	end();
	pthread_mutex_unlock(&lock);
}

void dk_trace_clear(void)
{
	int i;

	pthread_mutex_lock(&lock);
	end();
	for (i = 0; i < npanels; i++)
		panel_free(panels[i]);
	npanels = 0;
	env_path[0] = '\0';
	pthread_mutex_unlock(&lock);
}

int dk_trace_npanels(void)
{
	return npanels;
}

const struct dk_trace_panel *dk_trace_panel(int i)
{
	return i >= 0 && i < npanels ? panels[i] : NULL;
}

static bool is_json(const char *path)
{
	size_t n = strlen(path);

	return n >= 5 && !strcmp(path + n - 5, ".json");
}

static int write_locked(const char *path)
{
	FILE *f;
	int r;

	if (!npanels)
		return dk_err(-ENODATA, "dk_trace_write: nothing was recorded");
	f = fopen(path, "w");
	if (!f)
		return dk_err(-errno, "dk_trace_write: %s: %s", path,
			      strerror(errno));
	r = is_json(path) ? dk_trace_json(f) : dk_trace_svg(f);
	if (fclose(f) && !r)
		r = dk_err(-EIO, "dk_trace_write: %s: %s", path,
			   strerror(errno));
	return r;
}

int dk_trace_write(const char *path)
{
	int r;

	if (!path)
		return dk_err(-EINVAL, "dk_trace_write: NULL path");
	pthread_mutex_lock(&lock);
	r = write_locked(path);
	pthread_mutex_unlock(&lock);
	return r;
}

static int write_stream(FILE *f, int (*fn)(FILE *), const char *name)
{
	int r;

	if (!f)
		return dk_err(-EINVAL, "%s: NULL stream", name);
	pthread_mutex_lock(&lock);
	r = npanels ? fn(f) :
		      dk_err(-ENODATA, "%s: nothing was recorded", name);
	pthread_mutex_unlock(&lock);
	return r;
}

int dk_trace_write_svg(FILE *f)
{
	return write_stream(f, dk_trace_svg, "dk_trace_write_svg");
}

int dk_trace_write_json(FILE *f)
{
	return write_stream(f, dk_trace_json, "dk_trace_write_json");
}

void dk_trace_machine_up(struct dk_machine *m)
{
	const char *env = getenv("DMAKIT_TRACE");
	char title[64];

	if (!env || !*env)
		return;
	pthread_mutex_lock(&lock);
	snprintf(title, sizeof(title), "machine %d", npanels + 1);
	if (!cur && !begin(m, title))
		snprintf(env_path, sizeof(env_path), "%s", env);
	pthread_mutex_unlock(&lock);
}

void dk_trace_machine_down(struct dk_machine *m)
{
	pthread_mutex_lock(&lock);
	if (cur && cur->m == m) {
		bool env = env_path[0];

		end();
		if (env && write_locked(env_path))
			dk_err_log(-EIO, "DMAKIT_TRACE: %s", dk_last_error());
		env_path[0] = '\0';
	}
	pthread_mutex_unlock(&lock);
}
