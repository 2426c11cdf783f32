// SPDX-License-Identifier: MIT
/*
 * The random DMA workload (workload.h). Each job is one buffer's life as a
 * driver lives it: allocate or map, let the device read what the CPU
 * wrote and write what the CPU will read, hand sub-ranges back and forth
 * with partial syncs, unmap or free. Up to MAX_JOBS jobs are alive at once
 * and each step advances one of them, so mappings of different flavours,
 * devices and directions interleave. A shadow copy says what each side
 * must read at every moment.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/dmapool.h>
#include <dmakit/error.h>
#include <dmakit/gfp.h>
#include <dmakit/io.h>
#include <dmakit/machine.h>
#include <dmakit/platform.h>
#include <dmakit/scatterlist.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>
#include <dmakit/soc.h>

#include "workload.h"

#define MAX_JOBS 8
#define MAX_SEGS 4
#define NDEVS 3

enum flavour { F_SINGLE, F_PAGE, F_SG, F_COHERENT, F_POOL, F_NONCOH, F_NR };

enum misuse {
	M_NONE,
	M_CPU_STORE,		/* CPU writes a byte the device owns */
	M_DOUBLE_UNMAP,
	M_UNMAP_SIZE,		/* unmap with another size */
	M_UNMAP_DIR,		/* unmap with another direction */
	M_NO_ERROR_CHECK,	/* dma_mapping_error() never called */
	M_DEV_WRITES_TO_DEVICE,	/* the device writes a TO_DEVICE buffer */
	M_DEV_AFTER_UNMAP,	/* the device writes after the unmap */
	M_SYNC_DIR,		/* a sync in another direction */
	M_NR
};

static const enum dk_dma_check expected[M_NR] = {
	[M_CPU_STORE] = DK_CHK_CPU_TOUCH_DEVICE_OWNED,
	[M_DOUBLE_UNMAP] = DK_CHK_FREE_NOT_ALLOCATED,
	[M_UNMAP_SIZE] = DK_CHK_FREE_SIZE,
	[M_UNMAP_DIR] = DK_CHK_FREE_DIR,
	[M_NO_ERROR_CHECK] = DK_CHK_MAP_ERR_UNCHECKED,
	[M_DEV_WRITES_TO_DEVICE] = DK_CHK_DEVICE_WRONG_DIRECTION,
	[M_DEV_AFTER_UNMAP] = DK_CHK_DEVICE_UNMAPPED_ACCESS,
	[M_SYNC_DIR] = DK_CHK_SYNC_DIR,
};

/* Classes that also report a misuse, as Linux's dma-debug reports them
 * with its own or instead (a TO_DEVICE buffer synced FROM_DEVICE for the
 * CPU is "device read-only DMA memory for cpu"). */
static const enum dk_dma_check also[M_NR][2] = {
	[M_SYNC_DIR] = { DK_CHK_SYNC_RO_FOR_CPU, DK_CHK_SYNC_WO_TO_DEVICE },
};

static const char *const misuse_name[M_NR] = {
	"none", "cpu-store", "double-unmap", "unmap-size", "unmap-dir",
	"no-error-check", "device-writes-to-device", "device-after-unmap",
	"sync-dir",
};

static const char *const flavour_name[F_NR] = {
	"single", "page", "sg", "coherent", "pool", "noncoherent",
};

struct seg {
	u8 *cpu;
	size_t len;
	struct page *pg;	/* F_PAGE: the block (order in pg_order) */
	phys_addr_t high;	/* F_PAGE from RAM above 4 GiB: its base */
};

struct job {
	bool live;
	unsigned long id;
	enum flavour f;
	int devi;
	enum dma_data_direction dir;
	enum misuse mis;
	int step, last;
	size_t len;
	struct seg seg[MAX_SEGS];
	int nseg;
	unsigned int pg_order, pg_off;
	u8 *exp;		/* what either side must read now */
	dma_addr_t h;
	struct sg_table sgt;
	void *cpu;		/* coherent, pool and noncoherent memory */
	bool bounced;
	bool flagged;
};

struct rnd {
	uint64_t s;
	const uint8_t *data;
	size_t len, pos;
	bool done;
};

struct wl {
	const struct wl_config *cfg;
	struct wl_stats *st;
	struct rnd r;
	struct dk_soc *soc;
	struct dk_platform pl;
	struct dk_machine *m;
	struct device *dev[NDEVS];
	struct dk_simdev *sdev[NDEVS];
	struct dma_pool *pool[NDEVS];
	struct job jobs[MAX_JOBS];
	unsigned long next_id;
	struct job *cur;	/* the job whose step runs */
	u8 *tmp;
};

static const char *const dev_names[NDEVS] = {
	"master@10010000",		/* non-coherent, 64-bit wired */
	"coherent-master@10030000",	/* snoops */
	"master32@10020000",		/* 32 wired bits, a coherent pool */
};

#define MAX_LEN (64 * 1024)

static uint64_t rnd(struct wl *w, uint64_t n)
{
	struct rnd *r = &w->r;
	uint64_t x;

	if (r->data) {
		if (r->pos + 2 > r->len) {
			r->done = true;
			return 0;
		}
		x = r->data[r->pos] | (uint64_t)r->data[r->pos + 1] << 8;
		r->pos += 2;
	} else {
		r->s ^= r->s >> 12;
		r->s ^= r->s << 25;
		r->s ^= r->s >> 27;
		x = (r->s * 0x2545f4914f6cdd1dULL) >> 16;
	}
	return n ? x % n : 0;
}

static void fail(struct wl *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct wl *w, const char *fmt, ...)
{
	struct job *j = w->cur;
	va_list ap;
	int n = 0;

	if (w->st->failures++)
		return;
	if (j)
		n = snprintf(w->st->first_failure,
			     sizeof(w->st->first_failure),
			     "job %lu (%s, %s, %s, %zu bytes, misuse %s, step %d): ",
			     j->id, flavour_name[j->f], dev_names[j->devi],
			     j->dir == DMA_TO_DEVICE ? "to-device" :
			     j->dir == DMA_FROM_DEVICE ? "from-device" :
							 "bidirectional",
			     j->len, misuse_name[j->mis], j->step);
	va_start(ap, fmt);
	vsnprintf(w->st->first_failure + n, sizeof(w->st->first_failure) - n,
		  fmt, ap);
	va_end(ap);
}

/* The byte the job's @gen-th write puts at @i: never the previous one. */
static u8 pat(const struct job *j, unsigned int gen, size_t i)
{
	return (u8)((j->id * 131 + gen * 29 + i * 7 + (i >> 8)) | 1) ^
	       (u8)(gen & 1 ? 0x80 : 0);
}

/* ---- the CPU's and the device's view of a job's bytes */

static void cpu_access(struct job *j, size_t off, size_t len, u8 *buf,
		       bool write)
{
	size_t base = 0;
	int i;

	if (j->cpu) {
		if (write)
			memcpy((u8 *)j->cpu + off, buf, len);
		else
			memcpy(buf, (u8 *)j->cpu + off, len);
		return;
	}
	for (i = 0; i < j->nseg && len; i++) {
		struct seg *s = &j->seg[i];

		if (off < base + s->len) {
			size_t o = off - base;
			size_t n = s->len - o < len ? s->len - o : len;

			if (write)
				memcpy(s->cpu + o, buf, n);
			else
				memcpy(buf, s->cpu + o, n);
			buf += n;
			off += n;
			len -= n;
		}
		base += s->len;
	}
}

static void cpu_write(struct wl *w, struct job *j, size_t off, size_t len,
		      unsigned int gen)
{
	size_t i;

	for (i = 0; i < len; i++)
		j->exp[off + i] = pat(j, gen, off + i);
	cpu_access(j, off, len, j->exp + off, true);
	(void)w;
}

static void cpu_check(struct wl *w, struct job *j, size_t off, size_t len)
{
	size_t i;

	/* After a misuse the bytes are anyone's guess, and some may still
	 * be poisoned as the device's. */
	if (j->mis)
		return;
	cpu_access(j, off, len, w->tmp, false);
	w->st->bytes_checked += len;
	if (!memcmp(w->tmp, j->exp + off, len))
		return;
	for (i = 0; w->tmp[i] == j->exp[off + i]; i++)
		;
	fail(w, "CPU reads 0x%02x at byte %zu, not 0x%02x", w->tmp[i],
	     off + i, j->exp[off + i]);
}

/* Device access at offset @off of the job, over its DMA segments. */
static int dev_access(struct wl *w, struct job *j, size_t off, size_t len,
		      u8 *buf, bool write)
{
	struct dk_simdev *sd = w->sdev[j->devi];
	struct scatterlist *sg;
	size_t base = 0;
	unsigned int i;
	int r = 0;

	if (j->f != F_SG)
		return write ? dk_dev_dma_write(sd, j->h + off, buf, len) :
			       dk_dev_dma_read(sd, j->h + off, buf, len);
	for_each_sgtable_dma_sg(&j->sgt, sg, i) {
		size_t sl = sg_dma_len(sg);

		if (len && off < base + sl) {
			size_t o = off - base, n = sl - o < len ? sl - o : len;

			r = write ? dk_dev_dma_write(sd, sg_dma_address(sg) + o,
						     buf, n) :
				    dk_dev_dma_read(sd, sg_dma_address(sg) + o,
						    buf, n);
			if (r)
				return r;
			buf += n;
			off += n;
			len -= n;
		}
		base += sl;
	}
	return len ? -ERANGE : 0;
}

static void dev_check(struct wl *w, struct job *j, size_t off, size_t len)
{
	size_t i;

	if (dev_access(w, j, off, len, w->tmp, false)) {
		fail(w, "device read failed: %s", dk_last_error());
		return;
	}
	w->st->bytes_checked += len;
	if (j->mis || !memcmp(w->tmp, j->exp + off, len))
		return;
	for (i = 0; w->tmp[i] == j->exp[off + i]; i++)
		;
	fail(w, "device reads 0x%02x at byte %zu, not 0x%02x", w->tmp[i],
	     off + i, j->exp[off + i]);
}

static void dev_write(struct wl *w, struct job *j, size_t off, size_t len,
		      unsigned int gen)
{
	size_t i;

	for (i = 0; i < len; i++)
		j->exp[off + i] = pat(j, gen, off + i);
	if (dev_access(w, j, off, len, j->exp + off, true))
		fail(w, "device write failed: %s", dk_last_error());
}

/* ---- buffers */

static int get_buffers(struct wl *w, struct job *j)
{
	int i;

	switch (j->f) {
	case F_SINGLE:
		j->nseg = 1;
		j->seg[0].len = j->len;
		j->seg[0].cpu = kmalloc(j->len, GFP_KERNEL);
		return j->seg[0].cpu ? 0 : -ENOMEM;
	case F_PAGE: {
		size_t need = j->pg_off + j->len;

		j->nseg = 1;
		j->seg[0].len = j->len;
		while ((PAGE_SIZE << j->pg_order) < need)
			j->pg_order++;
		/* The 32-bit master gets RAM above 4 GiB half the time:
		 * swiotlb must bounce it. */
		if (j->devi == 2 && rnd(w, 2)) {
			phys_addr_t pa;

			if (w->pl.ops->alloc_pages(w->pl.ctx, 1U << j->pg_order,
						   1, 0x100000000ULL, ~0ULL,
						   &pa))
				return -ENOMEM;
			j->seg[0].high = pa;
			j->seg[0].pg = phys_to_page(pa);
		} else {
			j->seg[0].pg = alloc_pages(GFP_KERNEL, j->pg_order);
		}
		if (!j->seg[0].pg)
			return -ENOMEM;
		j->seg[0].cpu = (u8 *)page_address(j->seg[0].pg) + j->pg_off;
		return 0;
	}
	case F_SG: {
		size_t left = j->len;

		j->nseg = 1 + rnd(w, MAX_SEGS);
		for (i = 0; i < j->nseg; i++) {
			size_t n = i == j->nseg - 1 ? left :
				   1 + rnd(w, left / (j->nseg - i));

			if (n > left)
				n = left;
			if (!n) {
				j->nseg = i;
				break;
			}
			j->seg[i].len = n;
			j->seg[i].cpu = kmalloc(n, GFP_KERNEL);
			if (!j->seg[i].cpu) {
				j->nseg = i;
				return -ENOMEM;
			}
			left -= n;
		}
		if (sg_alloc_table(&j->sgt, j->nseg, GFP_KERNEL))
			return -ENOMEM;
		for (i = 0; i < j->nseg; i++)
			sg_set_buf(&j->sgt.sgl[i], j->seg[i].cpu,
				   j->seg[i].len);
		return 0;
	}
	default:
		return 0;
	}
}

/* What a misuse left behind must not reach the next owner of the memory
 * (docs/cache-model.md): rewrite it as if freshly zeroed. */
static void scrub(struct wl *w, struct job *j)
{
	phys_addr_t pa;
	int i;

	for (i = 0; i < j->nseg; i++)
		if (!dk_sim_virt_to_phys(w->soc, j->seg[i].cpu, &pa))
			dk_sim_store(w->soc, pa, NULL, j->seg[i].len);
}

static void put_buffers(struct wl *w, struct job *j)
{
	int i;

	if (j->mis)
		scrub(w, j);
	switch (j->f) {
	case F_SINGLE:
		kfree(j->seg[0].cpu);
		break;
	case F_PAGE:
		if (j->seg[0].high)
			w->pl.ops->free_pages(w->pl.ctx, j->seg[0].high,
					      1U << j->pg_order);
		else if (j->seg[0].pg)
			__free_pages(j->seg[0].pg, j->pg_order);
		break;
	case F_SG:
		for (i = 0; i < j->nseg; i++)
			kfree(j->seg[i].cpu);
		sg_free_table(&j->sgt);
		break;
	default:
		break;
	}
}

/* ---- map and unmap, per flavour */

static enum dma_data_direction other_dir(enum dma_data_direction d)
{
	return d == DMA_TO_DEVICE ? DMA_FROM_DEVICE : DMA_TO_DEVICE;
}

static int map(struct wl *w, struct job *j)
{
	struct device *dev = w->dev[j->devi];
	bool check = j->mis != M_NO_ERROR_CHECK;
	phys_addr_t pa;
	int r;

	switch (j->f) {
	case F_SINGLE:
	case F_PAGE:
		j->h = j->f == F_SINGLE ?
			       dma_map_single(dev, j->seg[0].cpu, j->len, j->dir) :
			       dma_map_page(dev, j->seg[0].pg, j->pg_off, j->len,
					    j->dir);
		if (check && dma_mapping_error(dev, j->h))
			return -EIO;
		if (dk_sim_virt_to_phys(w->soc, j->seg[0].cpu, &pa))
			return -EFAULT;
		j->bounced = j->h != phys_to_dma(dev, pa);
		return 0;
	case F_SG:
		r = dma_map_sgtable(dev, &j->sgt, j->dir, 0);
		if (r)
			return r;
		if (dk_sim_virt_to_phys(w->soc, j->seg[0].cpu, &pa))
			return -EFAULT;
		j->bounced = sg_dma_address(j->sgt.sgl) != phys_to_dma(dev, pa);
		return 0;
	case F_COHERENT:
		j->cpu = dma_alloc_coherent(dev, j->len, &j->h, GFP_KERNEL);
		return j->cpu ? 0 : -ENOMEM;
	case F_POOL:
		j->cpu = dma_pool_alloc(w->pool[j->devi], GFP_KERNEL, &j->h);
		return j->cpu ? 0 : -ENOMEM;
	case F_NONCOH:
		j->cpu = dma_alloc_noncoherent(dev, j->len, &j->h, j->dir,
					       GFP_KERNEL);
		return j->cpu ? 0 : -ENOMEM;
	default:
		return -EINVAL;
	}
}

static void unmap(struct wl *w, struct job *j)
{
	struct device *dev = w->dev[j->devi];
	size_t len = j->mis == M_UNMAP_SIZE ? j->len - 1 : j->len;
	enum dma_data_direction dir = j->mis == M_UNMAP_DIR ?
					      other_dir(j->dir) : j->dir;

	switch (j->f) {
	case F_SINGLE:
		dma_unmap_single(dev, j->h, len, dir);
		if (j->mis == M_DOUBLE_UNMAP)
			dma_unmap_single(dev, j->h, len, dir);
		break;
	case F_PAGE:
		dma_unmap_page(dev, j->h, len, dir);
		if (j->mis == M_DOUBLE_UNMAP)
			dma_unmap_page(dev, j->h, len, dir);
		break;
	case F_SG:
		dma_unmap_sgtable(dev, &j->sgt, dir, 0);
		break;
	case F_COHERENT:
		dma_free_coherent(dev, j->len, j->cpu, j->h);
		break;
	case F_POOL:
		dma_pool_free(w->pool[j->devi], j->cpu, j->h);
		break;
	case F_NONCOH:
		dma_sync_single_for_cpu(dev, j->h, j->len, j->dir);
		break;
	default:
		break;
	}
}

/* ---- a job's life */

static bool coherent_kind(const struct job *j)
{
	return j->f == F_COHERENT || j->f == F_POOL;
}

/* Which misuses make sense for this job; M_NONE if none is chosen. */
static enum misuse pick_misuse(struct wl *w, struct job *j)
{
	enum misuse m;

	if (rnd(w, 100) >= w->cfg->inject || coherent_kind(j) ||
	    j->f == F_NONCOH)
		return M_NONE;
	m = 1 + rnd(w, M_NR - 1);
	switch (m) {
	case M_CPU_STORE:
		/* The checker cannot see through a bounce or a snoop. */
		return j->devi == 1 || w->cfg->swiotlb_force ? M_NONE : m;
	case M_DOUBLE_UNMAP:
	case M_UNMAP_SIZE:
		return j->f == F_SG || j->len < 2 ? M_NONE : m;
	case M_UNMAP_DIR:
		return j->dir == DMA_BIDIRECTIONAL ? M_NONE : m;
	case M_DEV_WRITES_TO_DEVICE:
		return j->dir == DMA_TO_DEVICE ? m : M_NONE;
	case M_DEV_AFTER_UNMAP:
	case M_NO_ERROR_CHECK:
		/* dma-debug checks the map error of single and page
		 * mappings only */
		return j->f == F_SG ? M_NONE : m;
	case M_SYNC_DIR:
		return j->dir == DMA_BIDIRECTIONAL ? M_NONE : m;
	default:
		return m;
	}
}

static void start(struct wl *w, struct job *j)
{
	static const enum dma_data_direction dirs[] = {
		DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_BIDIRECTIONAL
	};

	memset(j, 0, sizeof(*j));
	j->live = true;
	j->id = w->next_id++;
	j->f = rnd(w, F_NR);
	j->devi = rnd(w, NDEVS);
	j->dir = coherent_kind(j) ? DMA_BIDIRECTIONAL : dirs[rnd(w, 3)];
	switch (j->f) {
	case F_POOL:
		j->len = 512;
		break;
	case F_COHERENT:
	case F_NONCOH:
		j->len = 1 + rnd(w, 3 * PAGE_SIZE);
		break;
	case F_PAGE:
		j->pg_off = rnd(w, PAGE_SIZE);
		j->len = 1 + rnd(w, rnd(w, 8) ? PAGE_SIZE : 3 * PAGE_SIZE);
		break;
	default:
		j->len = 1 + rnd(w, rnd(w, 16) ? 16384 : MAX_LEN);
		break;
	}
	j->last = 3 + rnd(w, 4);	/* at least one sync cycle */
	j->mis = pick_misuse(w, j);
	w->st->jobs++;
	w->st->injected += j->mis != M_NONE;
	j->exp = calloc(1, j->len);
	if (!j->exp || get_buffers(w, j)) {
		fail(w, "out of memory for the job's buffers");
		return;
	}
	/* Written before the map even when the device will overwrite it:
	 * dirty lines the map must clean first. */
	if (!coherent_kind(j) && j->f != F_NONCOH)
		cpu_write(w, j, 0, j->len, 0);
	if (map(w, j)) {
		fail(w, "mapping failed: %s", dk_last_error());
		return;
	}
	if (j->f == F_NONCOH) {
		cpu_write(w, j, 0, j->len, 0);
		dma_sync_single_for_device(w->dev[j->devi], j->h, j->len,
					   j->dir);
	} else if (coherent_kind(j)) {
		cpu_write(w, j, 0, j->len, 0);
		/* Coherent memory is Normal non-cacheable: the stores
		 * leave the write buffer at the barrier a driver gives
		 * before the device looks. */
		dma_wmb();
	}
}

/* The device's first turn: it reads what the CPU wrote and writes what
 * the CPU will read. */
static void device_turn(struct wl *w, struct job *j)
{
	/* A bounce copy is what the device sees: a store into the
	 * original is invisible to it and to the checker. */
	if (j->mis == M_CPU_STORE && j->bounced) {
		j->mis = M_NONE;
		w->st->injected--;
	}
	if (j->mis == M_CPU_STORE) {
		u8 v = 0x5c;

		dk_sim_poke(j->seg[0].cpu + rnd(w, j->seg[0].len), &v, 1);
	}
	if (j->dir != DMA_FROM_DEVICE)
		dev_check(w, j, 0, j->len);
	if (j->dir != DMA_TO_DEVICE)
		dev_write(w, j, 0, j->len, 1);
	if (j->mis == M_DEV_WRITES_TO_DEVICE) {
		u8 junk[16] = { 0xde, 0xad };
		size_t n = j->len < sizeof(junk) ? j->len : sizeof(junk);

		dev_access(w, j, 0, n, junk, true);
	}
}

/* A sub-range goes to the CPU and back, as a driver polling a ring does. */
static void sync_cycle(struct wl *w, struct job *j)
{
	struct device *dev = w->dev[j->devi];
	size_t off = rnd(w, j->len), len = 1 + rnd(w, j->len - off);
	enum dma_data_direction d = j->dir;

	if (coherent_kind(j)) {
		dev_write(w, j, off, len, j->step + 2);
		cpu_check(w, j, off, len);
		cpu_write(w, j, off, len, j->step + 20);
		dma_wmb();
		dev_check(w, j, off, len);
		return;
	}
	if (j->mis == M_SYNC_DIR)
		d = other_dir(d);
	if (j->f == F_SG) {
		/* The whole table: sg syncs take entries, not ranges. */
		off = 0;
		len = j->len;
		dma_sync_sgtable_for_cpu(dev, &j->sgt, d);
	} else {
		dma_sync_single_range_for_cpu(dev, j->h, off, len, d);
	}
	cpu_check(w, j, off, len);
	if (j->dir != DMA_FROM_DEVICE)
		cpu_write(w, j, off, len, j->step + 20);
	if (j->f == F_SG)
		dma_sync_sgtable_for_device(dev, &j->sgt, j->dir);
	else
		dma_sync_single_range_for_device(dev, j->h, off, len, j->dir);
	if (j->dir != DMA_FROM_DEVICE)
		dev_check(w, j, off, len);
	if (j->dir != DMA_TO_DEVICE)
		dev_write(w, j, off, len, j->step + 2);
}

/* Every finding of this step belongs to its job. */
static void judge(struct wl *w, struct job *j)
{
	size_t i, n = dk_dma_debug_nfindings();

	for (i = 0; i < n; i++) {
		const struct dk_dma_finding *f = dk_dma_debug_finding(i);

		if (j->mis && f->check == expected[j->mis]) {
			j->flagged = true;
			continue;
		}
		if (j->mis && (f->check == also[j->mis][0] ||
			       f->check == also[j->mis][1]) && also[j->mis][0]) {
			j->flagged = true;
			continue;
		}
		fail(w, "unexpected finding %s: %s",
		     dk_dma_check_name(f->check), f->message);
	}
	dk_dma_debug_clear();
}

static void finish(struct wl *w, struct job *j)
{
	unmap(w, j);
	if (j->mis == M_DEV_AFTER_UNMAP) {
		u8 junk[16] = { 0xbe, 0xef };

		dev_access(w, j, 0, j->len < 16 ? j->len : 16, junk, true);
	}
	if (!coherent_kind(j))
		cpu_check(w, j, 0, j->len);
	if (j->f == F_NONCOH)
		dma_free_noncoherent(w->dev[j->devi], j->len, j->cpu, j->h,
				     j->dir);
	judge(w, j);
	if (j->mis && !j->flagged)
		fail(w, "the misuse was not reported (%s expected)",
		     dk_dma_check_name(expected[j->mis]));
	w->st->flagged += j->mis && j->flagged;
	put_buffers(w, j);
	free(j->exp);
	j->live = false;
}

static void step(struct wl *w, struct job *j)
{
	w->cur = j;
	if (!j->live) {
		start(w, j);
	} else if (j->step == 1 && !coherent_kind(j)) {
		device_turn(w, j);
	} else if (j->step < j->last) {
		sync_cycle(w, j);
	} else {
		finish(w, j);
	}
	if (j->live) {
		j->step++;
		judge(w, j);
	}
	w->cur = NULL;
	w->st->ops++;
}

static int boot(struct wl *w)
{
	struct dk_soc_opts so;
	struct dk_machine_opts mo = { .swiotlb_force = w->cfg->swiotlb_force };
	int i, r;

	dk_soc_opts_init(&so);
	so.policy = w->cfg->policy;
	so.seed = w->cfg->seed | 1;
	so.seed_set = true;
	so.rate = 50;
	r = dk_soc_load_default(&so, &w->soc);
	if (r)
		return r;
	r = dk_platform_sim(w->soc, &w->pl);
	if (!r)
		r = dk_machine_boot(&w->pl, &mo, &w->m);
	if (r) {
		dk_soc_free(w->soc);
		return r;
	}
	for (i = 0; i < NDEVS; i++) {
		w->dev[i] = dk_machine_find_device(w->m, dev_names[i]);
		w->sdev[i] = dk_soc_find_dev(w->soc, dev_names[i]);
		if (!w->dev[i] || !w->sdev[i])
			return -ENODEV;
		/* What a correct driver says: the 32-bit master's wires. */
		dma_set_mask_and_coherent(w->dev[i],
					  DMA_BIT_MASK(i == 2 ? 32 : 64));
		w->pool[i] = dma_pool_create("wl", w->dev[i], 512, 64, 0);
		if (!w->pool[i])
			return -ENOMEM;
	}
	return 0;
}

int wl_run(const struct wl_config *cfg, struct wl_stats *st)
{
	struct wl w = { .cfg = cfg, .st = st };
	unsigned long n;
	FILE *sink = fopen("/dev/null", "w");
	int i, r;

	memset(st, 0, sizeof(*st));
	w.r.s = cfg->seed * 0x9e3779b97f4a7c15ULL + 1;
	w.r.data = cfg->data;
	w.r.len = cfg->len;
	w.tmp = malloc(MAX_LEN);
	/* Misuses make the library complain; the findings are what count. */
	dk_dma_debug_set_output(sink);
	dk_log_set_output(sink);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	dk_dma_debug_clear();
	r = w.tmp ? boot(&w) : -ENOMEM;
	if (r) {
		free(w.tmp);
		dk_dma_debug_set_output(NULL);
		dk_log_set_output(NULL);
		if (sink)
			fclose(sink);
		return r;
	}
	for (n = 0; n < cfg->ops && !w.r.done && !st->failures; n++)
		step(&w, &w.jobs[rnd(&w, MAX_JOBS)]);
	/* Every job runs to its end, so each misuse is judged. */
	w.r.data = NULL;
	for (i = 0; i < MAX_JOBS; i++)
		while (w.jobs[i].live && !st->failures)
			step(&w, &w.jobs[i]);
	for (i = 0; i < MAX_JOBS; i++)
		if (w.jobs[i].live) {
			put_buffers(&w, &w.jobs[i]);
			free(w.jobs[i].exp);
		}
	for (i = 0; i < NDEVS; i++)
		dma_pool_destroy(w.pool[i]);
	dk_machine_shutdown(w.m);
	dk_soc_free(w.soc);
	dk_dma_debug_set_output(NULL);
	dk_log_set_output(NULL);
	dk_dma_debug_clear();
	if (sink)
		fclose(sink);
	free(w.tmp);
	return st->failures ? -1 : 0;
}
