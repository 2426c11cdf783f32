// SPDX-License-Identifier: MIT
/*
 * The write-back CPU cache, exactly as DESIGN.md states it line by line:
 * dirty <=> cpu != last-filled; clean writes the write-back granule around
 * a dirty line to DRAM; invalidate refetches DRAM and loses dirty data.
 */
#include <errno.h>
#include <string.h>
#if __has_include(<sys/single_threaded.h>)
#include <sys/single_threaded.h>
#define DK_ONE_THREAD() (__libc_single_threaded != 0)
#else
#define DK_ONE_THREAD() false
#endif

#include "../core/rawmem.h"
#include "../core/objreg.h"
#include "soc_internal.h"

bool dk_line_is_dirty(const struct dk_soc *soc, const struct dk_ram_bank *b,
		      u64 off)
{
	return dk_raw_cmp(b->cpu + off, b->last + off, soc->cache.line) != 0;
}

/* [off, off + n) to DRAM: the last-filled copy is the CPU's again. A
 * barrier tracking stores must learn of it (wbuf.c). */
static inline void write_back(struct dk_soc *soc, struct dk_ram_bank *b,
			      u64 off, u64 n)
{
	dk_raw_copy(b->mem + off, b->cpu + off, n);
	dk_raw_copy(b->last + off, b->cpu + off, n);
	if (unlikely(b->wb_refs))
		dk_wb_dram_written(soc, b, off, n);
}

/*
 * A write-back moves a whole granule: clean-but-stale lines sharing the
 * granule with a dirty one go to DRAM too, as on hardware whose CWG is
 * larger than its line.
 */
static void line_write_back(struct dk_soc *soc, struct dk_ram_bank *b,
			    u64 off)
{
	u64 g = soc->cache.granule, start;

	start = dk_align_down(off, g);
	if (start + g > b->b.size)
		g = b->b.size - start;
	write_back(soc, b, start, g);
}

void dk_line_clean(struct dk_soc *soc, struct dk_ram_bank *b, u64 off)
{
	if (dk_line_is_dirty(soc, b, off))
		line_write_back(soc, b, off);
}

void dk_line_inval(struct dk_soc *soc, struct dk_ram_bank *b, u64 off)
{
	u32 l = soc->cache.line;

	dk_raw_copy(b->cpu + off, b->mem + off, l);
	dk_raw_copy(b->last + off, b->mem + off, l);
}

/*
 * The bank holding all of [pa, pa + size), or NULL. Inline, as this runs
 * on every map and unmap of a non-coherent device: a call to the SoC
 * check and to dk_ram_find() with its own argument checks were a fifth
 * of a small map's cache work. Banks do not overlap (the loader refuses
 * it), so the bank holding @pa is the only candidate.
 */
static inline struct dk_ram_bank *bank_of(struct dk_soc *soc, phys_addr_t pa,
					  size_t size)
{
	struct dk_ram_bank *b, *e;
	u64 off;

	if (!dk_obj_seen_live(soc, DK_OBJ_SOC) || !size)
		return NULL;
	for (b = soc->banks, e = b + soc->nbanks; b < e; b++) {
		off = pa - b->b.base;
		if (off < b->b.size)
			return size <= b->b.size - off ? b : NULL;
	}
	return NULL;
}

/* What bank_of() did not find, with the message saying why. */
static int bad_range(struct dk_soc *soc, phys_addr_t pa, size_t size,
		     struct dk_ram_bank **bank)
{
	int i;

	if (!dk_soc_ok(soc, "cache maintenance"))
		return -EINVAL;
	if (!size || pa + size - 1 < pa)
		return dk_err(-EINVAL,
			      "cache maintenance: range 0x%llx + 0x%zx is empty or overflows",
			      (unsigned long long)pa, size);
	i = dk_ram_find(soc, pa, size);
	if (i < 0)
		return dk_err(-EINVAL,
			      "cache maintenance: 0x%llx + 0x%zx is not inside one RAM bank",
			      (unsigned long long)pa, size);
	*bank = &soc->banks[i];
	return 0;
}

/*
 * Resolve [pa, pa + size) to a bank and the line-aligned offsets covering
 * it. Returns 0 or -EINVAL with a message.
 */
static inline int cache_range(struct dk_soc *soc, phys_addr_t pa, size_t size,
			      struct dk_ram_bank **bank, u64 *first, u64 *end)
{
	u64 l, off;
	int r;

	*bank = bank_of(soc, pa, size);
	if (unlikely(!*bank)) {
		r = bad_range(soc, pa, size, bank);
		if (r)
			return r;
	}
	l = soc->cache.line;
	off = pa - (*bank)->b.base;
	*first = dk_align_down(off, l);
	*end = dk_align_down(off + size - 1, l) + l;
	return 0;
}

/*
 * Whole ranges at once: one compare finds the next dirty line and one copy
 * refills a run of lines, where a line-by-line walk paid two calls per
 * line. The results are those of the line-by-line rules, in line order
 * (tests/test_cache_ranges.c holds the two side by side).
 */
static inline u64 next_dirty(const struct dk_soc *soc,
			     const struct dk_ram_bank *b, u64 off, u64 end)
{
	if (off >= end)
		return end;
	return off + dk_raw_diff(b->cpu + off, b->last + off, end - off,
				 soc->cache.line);
}

u64 dk_next_dirty(const struct dk_soc *soc, const struct dk_ram_bank *b,
		  u64 off, u64 end)
{
	return next_dirty(soc, b, off, end);
}

/*
 * A clean's search: the lines after the first in one compare, then the
 * first, each line looked at once (found dirty first, the first line was
 * compared again by the write-back's walk). A driver's last store before
 * a map is often into the first line (the header it fills), and a load
 * wider than a store still on its way to the host's cache waits for that
 * store (store-to-load forwarding fails: a 64-byte compare right after
 * 1-byte stores into both buffers took 8.4 ns against 3.8, and more when
 * the store went through another mapping of the page, as a driver's
 * pointer does); reached last, the line's store has landed. With a line-sized granule each line's write-back is
 * its own, so the order changes no result. clean_scan_rest() returns the
 * first dirty line after the first, or @end.
 */
static inline __attribute__((always_inline)) u64
clean_scan_rest(const struct dk_soc *soc, const struct dk_ram_bank *b,
		u64 first, u64 end)
{
	u64 o = first + soc->cache.line;

	if (o >= end)
		return end;
	return o + dk_raw_diff_whole(b->cpu + o, b->last + o, end - o,
				     soc->cache.line);
}

static inline bool first_dirty(const struct dk_soc *soc,
			       const struct dk_ram_bank *b, u64 first)
{
	u64 l = soc->cache.line;

	return !dk_raw_diff(b->cpu + first, b->last + first, l, l);
}

/* The write-back of the dirty lines of [@run, @end), a run of them in one
 * copy per view: [@run, @o) known dirty, @o the next line to look at. */
static inline void clean_runs(struct dk_soc *soc, struct dk_ram_bank *b,
			      u64 run, u64 o, u64 end)
{
	u64 d, l = soc->cache.line;

	for (;;) {
		d = next_dirty(soc, b, o, end);
		if (d != o || d == end) {
			write_back(soc, b, run, o - run);
			if (d == end)
				return;
			run = d;
		}
		o = d + l;
	}
}

/* What the search found written back: @head the first line, @d the
 * first dirty line after it (or @end). */
static inline void clean_found(struct dk_soc *soc, struct dk_ram_bank *b,
			       u64 first, u64 d, u64 end, bool head)
{
	u64 l = soc->cache.line;

	if (head && d == first + l && d < end) {
		clean_runs(soc, b, first, d + l, end);
		return;
	}
	if (head)
		write_back(soc, b, first, l);
	if (d < end)
		clean_runs(soc, b, d, d + l, end);
}

static inline __attribute__((always_inline)) void
range_clean(struct dk_soc *soc, struct dk_ram_bank *b, u64 first, u64 end)
{
	u64 o, d, l = soc->cache.line;
	bool head;

	if (first >= end)
		return;
	/* A granule's write-back cleans the lines after this one too; the
	 * line found is dirty, no need to compare it again. */
	if (soc->cache.granule != l) {
		for (o = dk_next_dirty(soc, b, first, end); o < end;
		     o = dk_next_dirty(soc, b, o + l, end))
			line_write_back(soc, b, o);
		return;
	}
	d = clean_scan_rest(soc, b, first, end);
	head = first_dirty(soc, b, first);
	clean_found(soc, b, first, d, end, head);
}

static inline void range_inval(struct dk_ram_bank *b, u64 first, u64 end)
{
	if (first >= end)
		return;
	dk_raw_copy(b->cpu + first, b->mem + first, end - first);
	dk_raw_copy(b->last + first, b->mem + first, end - first);
}

/* Out of line for the other files; the entry points below inline them. */
void dk_range_clean(struct dk_soc *soc, struct dk_ram_bank *b, u64 first,
		    u64 end)
{
	range_clean(soc, b, first, end);
}

void dk_range_inval(struct dk_soc *soc, struct dk_ram_bank *b, u64 first,
		    u64 end)
{
	(void)soc;
	range_inval(b, first, end);
}

void dk_range_clean_inval(struct dk_soc *soc, struct dk_ram_bank *b,
			  u64 first, u64 end)
{
	u64 o, l = soc->cache.line;

	/* With a granule wider than a line, a later line's write-back would
	 * carry an earlier stale line that line order has already dropped:
	 * keep line order then. */
	if (soc->cache.granule != l) {
		for (o = first; o < end; o += l) {
			dk_line_clean(soc, b, o);
			dk_line_inval(soc, b, o);
		}
		return;
	}
	dk_range_clean(soc, b, first, end);
	dk_range_inval(soc, b, first, end);
}

void dk_range_speculate(struct dk_soc *soc, struct dk_ram_bank *b, u64 first,
			u64 end)
{
	u64 o = first, d;

	while (o < end) {
		d = dk_next_dirty(soc, b, o, end);
		dk_range_inval(soc, b, o, d);	/* dirty lines stay */
		o = d + soc->cache.line;
	}
}

enum op { CLEAN, INVAL, CLEAN_INVAL, SPECULATE };

static inline void lines_op(struct dk_soc *soc, struct dk_ram_bank *b,
			    u64 first, u64 end, enum op op)
{
	switch (op) {
	case CLEAN:
		range_clean(soc, b, first, end);
		break;
	case INVAL:
		range_inval(b, first, end);
		break;
	case CLEAN_INVAL:
		dk_range_clean_inval(soc, b, first, end);
		break;
	case SPECULATE:
		dk_range_speculate(soc, b, first, end);
		break;
	}
}

/*
 * soc->lock for one maintenance call, unless the process has never had a
 * second thread (the C library's own test, before it skips its atomics):
 * then nothing can run beside this call, and the lock's two atomic
 * operations -- which also wait for the driver's stores into the buffer
 * to drain -- were a third of a small map+unmap. Returns whether it
 * locked. A thread started later makes every call after it lock.
 */
static inline bool maint_lock(struct dk_soc *soc)
{
	if (DK_ONE_THREAD())
		return false;
	pthread_mutex_lock(&soc->lock);
	return true;
}

/*
 * A clean with a line-sized granule, no secure lines: the search is made
 * with no lock, so two threads' maps of clean buffers do not take turns.
 * Only stores make a line dirty: the CPU's to the buffer (its caller's)
 * or a write-allocating device's (none may write a buffer being handed to
 * it), not another thread's maintenance; so a line found clean stays
 * clean. One found dirty may have been cleaned since by another thread's
 * maintenance of a shared line (and a device may have written DRAM
 * after): under the lock it is looked at again.
 */
static __attribute__((noinline)) int
clean_dirty(struct dk_soc *soc, struct dk_ram_bank *b, u64 first, u64 d,
	    u64 end, bool head)
{
	bool locked = maint_lock(soc);

	if (locked) {
		head = head && dk_line_is_dirty(soc, b, first);
		d = next_dirty(soc, b, d, end);
	}
	clean_found(soc, b, first, d, end, head);
	if (locked)
		pthread_mutex_unlock(&soc->lock);
	return 0;
}

/* Inline: the first line alone dirty (a driver filled a header) with
 * nothing to lock out, or no dirty line at all; the rest out of line,
 * also while barriers track stores (its write-backs tell them). */
static inline __attribute__((always_inline)) int
clean_op(struct dk_soc *soc, struct dk_ram_bank *b, u64 first, u64 end)
{
	u64 d = clean_scan_rest(soc, b, first, end);
	bool head;

	if (__builtin_expect(d == end, 1) && DK_ONE_THREAD() &&
	    !soc->wb_tracking) {
		dk_raw_clean_line(b->mem + first, b->last + first,
				  b->cpu + first, soc->cache.line);
		return 0;
	}
	head = first_dirty(soc, b, first);
	if (!head && d == end)
		return 0;
	return clean_dirty(soc, b, first, d, end, head);
}

/* clean_plain()'s lines after the first differ (a memcmp said so):
 * which first, out of line. */
static __attribute__((noinline)) int
clean_rest_differs(struct dk_soc *soc, struct dk_ram_bank *b, u64 first,
		   u64 end)
{
	u64 l = soc->cache.line, o = first + l;
	u64 d = o + dk_raw_diff_differs(b->cpu + o, b->last + o, end - o, l);

	return clean_dirty(soc, b, first, d, end, first_dirty(soc, b, first));
}

/*
 * clean_op() with nobody watching (dk_raw_plain) and the lines after the
 * first in one memcmp, @cpu, @last and @mem the bank's views: for the
 * clean of a buffer whose head the driver filled, that memcmp and the
 * first line's are all the work, and only what that line needs is live
 * across the call (between two maps' long compares, every instruction of
 * one map and unmap counts).
 */
static inline __attribute__((always_inline)) int
clean_plain(struct dk_soc *soc, struct dk_ram_bank *b, u8 *cpu, u8 *last,
	    u8 *mem, u64 first, u64 end, u64 l)
{
	u64 o = first + l;

	if (o < end && memcmp(cpu + o, last + o, end - o))
		return clean_rest_differs(soc, b, first, end);
	if (DK_ONE_THREAD() && !soc->wb_tracking) {
		dk_raw_clean_line_plain(mem + first, last + first,
					cpu + first, l);
		return 0;
	}
	if (first_dirty(soc, b, first))
		return clean_dirty(soc, b, first, end, end, true);
	return 0;
}

static __attribute__((noinline)) int
clean_watched(struct dk_soc *soc, struct dk_ram_bank *b, u64 first, u64 end)
{
	return clean_op(soc, b, first, end);
}

/* Inline in each entry point, so each is its own operation's code with
 * no tests of @op left at run time. */
static inline __attribute__((always_inline)) int
range_op(struct dk_soc *soc, phys_addr_t pa, size_t size, enum op op)
{
	struct dk_ram_bank *b;
	u64 first, end, l, start;
	bool head, tail, locked;
	int r;

	r = cache_range(soc, pa, size, &b, &first, &end);
	if (r)
		return r;
	l = soc->cache.line;
	start = pa - b->b.base;
	/* Linux protects a neighbour's data in a shared edge line. */
	head = op == INVAL && soc->cache.edge == DK_EDGE_CLEAN_INV &&
	       start != first;
	tail = op == INVAL && soc->cache.edge == DK_EDGE_CLEAN_INV &&
	       start + size != end;
	if (op == CLEAN && !b->sec_tag && soc->cache.granule == l)
		return clean_op(soc, b, first, end);
	locked = maint_lock(soc);
	/* The secure world's maintenance reaches its own lines too. */
	if (unlikely(b->sec_tag) && soc->cpu_world && op != SPECULATE)
		dk_tz_lines_maint(soc, b, first, end, op != INVAL, op != CLEAN);
	if (head || (tail && end - first == l)) {
		dk_range_clean_inval(soc, b, first, first + l);
		first += l;
	}
	if (tail && first < end) {
		lines_op(soc, b, first, end - l, op);
		dk_range_clean_inval(soc, b, end - l, end);
	} else {
		lines_op(soc, b, first, end, op);
	}
	if (locked)
		pthread_mutex_unlock(&soc->lock);
	return 0;
}

static __attribute__((noinline)) int clean_other(struct dk_soc *soc,
						 phys_addr_t pa, size_t size)
{
	return range_op(soc, pa, size, CLEAN);
}

/* [@off, @off + @size) of @b, a range in it, cleaned: with no lock taken
 * unless there is work, inline for the common cases; the rest (a bad
 * range too) out of line. */
static inline __attribute__((always_inline)) int
clean_bank(struct dk_soc *soc, struct dk_ram_bank *b, u8 *cpu, u8 *last,
	   u8 *mem, phys_addr_t pa, u64 off, size_t size)
{
	u64 l = soc->cache.line, first, end;

	if (unlikely(b->sec_tag || soc->cache.granule != l))
		return clean_other(soc, pa, size);
	first = dk_align_down(off, l);
	end = dk_align_down(off + size - 1, l) + l;
	if (__builtin_expect(dk_raw_plain && end - first <= DK_RAW_DIFF_CHUNK,
			     1))
		return clean_plain(soc, b, cpu, last, mem, first, end, l);
	return clean_watched(soc, b, first, end);
}

/* Any bank and geometry, the bank looked up. */
static __attribute__((noinline)) int
clean_any(struct dk_soc *soc, phys_addr_t pa, size_t size)
{
	struct dk_ram_bank *b = bank_of(soc, pa, size);

	if (!b)
		return clean_other(soc, pa, size);
	return clean_bank(soc, b, b->cpu, b->last, b->mem, pa, pa - b->b.base,
			  size);
}

/* Whether [@pa, +@size) lies in the first bank, its lines [*@first,
 * *@end) few enough for one memcmp (size 0 wraps: the general path says
 * what is wrong). */
static inline __attribute__((always_inline)) bool
in_ram0(const struct dk_soc *soc, phys_addr_t pa, size_t size, u64 *first,
	u64 *end)
{
	u64 off = pa - soc->ram0.base;

	*first = dk_align_down(off, DK_RAW_LINE);
	*end = dk_align_down(off + size - 1, DK_RAW_LINE) + DK_RAW_LINE;
	return off < soc->ram0.size && size - 1 < soc->ram0.size - off &&
	       *end - *first <= DK_RAW_DIFF_CHUNK;
}

/* clean_live()'s first bank with a second thread about or stores
 * tracked: clean_plain() locks and tells; any other range, clean_any(). */
static __attribute__((noinline)) int
clean_shared(struct dk_soc *soc, phys_addr_t pa, size_t size)
{
	u64 first, end;

	if (soc->ram0.fast && !soc->banks->sec_tag &&
	    in_ram0(soc, pa, size, &first, &end))
		return clean_plain(soc, soc->banks, soc->ram0.cpu,
				   soc->ram0.last, soc->ram0.mem, first, end,
				   DK_RAW_LINE);
	return clean_any(soc, pa, size);
}

/*
 * Every map of a non-coherent device cleans: for memory of the first
 * bank, its views come from soc->ram0, and with soc->ram0.plain (64-byte
 * lines written back one by one, no secure line, no tracked store: one
 * test) the line size is known. @soc is live.
 * With no second thread to lock out either, the first line is cleaned
 * before the lines after it are compared (with a line-sized granule each
 * line's write-back is its own, so the order changes no result): the
 * memcmp then ends the work, only @soc, @first and @end live across it,
 * and every other case -- a second thread, tracked stores -- goes out of
 * line, so this path saves three registers where it saved five and
 * spilled two. The driver's store into that line, which clean_plain()
 * waits for last, delays no load of the memcmp's.
 */
static inline __attribute__((always_inline)) int
clean_live(struct dk_soc *soc, phys_addr_t pa, size_t size)
{
	const u64 l = DK_RAW_LINE;
	u64 first, end, o;

	/* The thread test first: with a second thread, this is a jump. */
	if (__builtin_expect(DK_ONE_THREAD() && soc->ram0.plain &&
			     in_ram0(soc, pa, size, &first, &end), 1)) {
		dk_raw_clean_line_plain(soc->ram0.mem + first,
					soc->ram0.last + first,
					soc->ram0.cpu + first, l);
		o = first + l;
		if (o < end &&
		    memcmp(soc->ram0.cpu + o, soc->ram0.last + o, end - o))
			return clean_rest_differs(soc, soc->banks, first, end);
		return 0;
	}
	return clean_shared(soc, pa, size);
}

int dk_sim_cache_clean(struct dk_soc *soc, phys_addr_t pa, size_t size)
{
	if (__builtin_expect(dk_obj_seen_live(soc, DK_OBJ_SOC), 1))
		return clean_live(soc, pa, size);
	return clean_any(soc, pa, size);
}

static __attribute__((noinline)) int inval_other(struct dk_soc *soc,
						 phys_addr_t pa, size_t size)
{
	return range_op(soc, pa, size, INVAL);
}

/* The unmap of a FROM_DEVICE or BIDIRECTIONAL buffer invalidates: two
 * copies, here with no call when the first bank holds the range, no
 * secure line or second thread is about and no edge line is to be
 * cleaned (whole lines, or an edge policy that drops them). */
int dk_sim_cache_inval(struct dk_soc *soc, phys_addr_t pa, size_t size)
{
	u64 off, l, first, end;

	if (__builtin_expect(dk_obj_seen_live(soc, DK_OBJ_SOC), 1)) {
		off = pa - soc->ram0.base;
		l = soc->cache.line;
		if (__builtin_expect(off < soc->ram0.size &&
				     size - 1 < soc->ram0.size - off &&
				     !soc->banks->sec_tag &&
				     (!((off | size) & (l - 1)) ||
				      soc->cache.edge != DK_EDGE_CLEAN_INV) &&
				     DK_ONE_THREAD(), 1)) {
			first = dk_align_down(off, l);
			end = dk_align_down(off + size - 1, l) + l;
			dk_raw_copy(soc->ram0.cpu + first, soc->ram0.mem + first,
				    end - first);
			dk_raw_copy(soc->ram0.last + first,
				    soc->ram0.mem + first, end - first);
			return 0;
		}
	}
	return inval_other(soc, pa, size);
}

int dk_sim_cache_clean_inval(struct dk_soc *soc, phys_addr_t pa, size_t size)
{
	return range_op(soc, pa, size, CLEAN_INVAL);
}

int dk_sim_cache_evict(struct dk_soc *soc, phys_addr_t pa, size_t size)
{
	/* An evicted dirty line is written back; either way the next CPU
	 * access misses and reads DRAM. */
	return range_op(soc, pa, size, CLEAN_INVAL);
}

int dk_sim_cache_speculate(struct dk_soc *soc, phys_addr_t pa, size_t size)
{
	return range_op(soc, pa, size, SPECULATE);
}

/*
 * The model cannot see a CPU store of the value a line already holds (it
 * finds dirty lines by comparison), yet on hardware that store dirties the
 * line and its write-back reaches DRAM. So the library's own stores put
 * the bytes where a store and a clean would: the CPU view, DRAM and the
 * last-filled copy alike.
 */
int dk_sim_store(struct dk_soc *soc, phys_addr_t pa, const void *src,
		 size_t size)
{
	struct dk_ram_bank *b;
	u64 first, end, off;
	int r;

	r = cache_range(soc, pa, size, &b, &first, &end);
	if (r)
		return r;
	off = pa - b->b.base;
	pthread_mutex_lock(&soc->lock);
	dk_lb_land_locked(soc, true);
	if (src) {
		dk_raw_copy(b->cpu + off, src, size);
		dk_raw_copy(b->mem + off, b->cpu + off, size);
		dk_raw_copy(b->last + off, b->cpu + off, size);
	} else {
		/* Three fills: cheaper than a fill and two copies. */
		dk_raw_zero(b->cpu + off, size);
		dk_raw_zero(b->mem + off, size);
		dk_raw_zero(b->last + off, size);
	}
	/* A store and a barrier: nothing of it waits in the write buffer. */
	if (unlikely(b->wb_refs))
		dk_wb_mirror(soc, b, off, size);
	pthread_mutex_unlock(&soc->lock);
	return 0;
}

bool dk_sim_line_dirty(struct dk_soc *soc, phys_addr_t pa)
{
	int i = dk_soc_ok(soc, "dk_sim_line_dirty") ? dk_ram_find(soc, pa, 1) : -1;
	bool d;

	if (i < 0)
		return false;
	pthread_mutex_lock(&soc->lock);
	d = dk_line_is_dirty(soc, &soc->banks[i],
			     dk_align_down(pa - soc->banks[i].b.base,
					   soc->cache.line));
	pthread_mutex_unlock(&soc->lock);
	return d;
}

int dk_sim_line_states(struct dk_soc *soc, phys_addr_t pa, size_t nlines,
		       u8 *out)
{
	struct dk_ram_bank *b;
	u64 first, end, o, l;
	size_t i;
	int r;

	if (!out || !nlines)
		return dk_err(-EINVAL, "dk_sim_line_states: NULL or empty");
	l = dk_soc_ok(soc, "dk_sim_line_states") ? soc->cache.line : 0;
	if (!l)
		return -EINVAL;
	if (nlines > ~(size_t)0 / l)
		return dk_err(-EINVAL, "dk_sim_line_states: %zu lines overflow",
			      nlines);
	r = cache_range(soc, dk_align_down(pa, l), nlines * l, &b, &first,
			   &end);
	if (r)
		return r;
	pthread_mutex_lock(&soc->lock);
	for (i = 0, o = first; i < nlines; i++, o += l) {
		out[i] = 0;
		if (dk_raw_cmp(b->cpu + o, b->last + o, l))
			out[i] |= DK_LINE_DIRTY;
		if (dk_raw_cmp(b->cpu + o, b->mem + o, l))
			out[i] |= DK_LINE_CPU_NE_DRAM;
		if (dk_raw_cmp(b->last + o, b->mem + o, l))
			out[i] |= DK_LINE_LAST_NE_DRAM;
	}
	pthread_mutex_unlock(&soc->lock);
	return 0;
}

int dk_sim_first_dirty(struct dk_soc *soc, phys_addr_t pa, size_t size,
		       phys_addr_t *line)
{
	int i = dk_obj_live(soc, DK_OBJ_SOC) && size && pa + size - 1 >= pa ?
			dk_ram_find(soc, pa, size) : -1;
	struct dk_ram_bank *b;
	u64 first, end, d;

	if (i < 0 || !line)
		return -EINVAL;	/* a query: no message */
	b = &soc->banks[i];
	first = dk_align_down(pa - b->b.base, soc->cache.line);
	end = dk_align_down(pa - b->b.base + size - 1, soc->cache.line) +
	      soc->cache.line;
	pthread_mutex_lock(&soc->lock);
	d = dk_next_dirty(soc, b, first, end);
	pthread_mutex_unlock(&soc->lock);
	if (d >= end)
		return -ENOENT;
	*line = b->b.base + d;
	return 0;
}
