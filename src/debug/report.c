// SPDX-License-Identifier: MIT
/*
 * The checker's controls and reports: mode, driver filter, the list of
 * findings tests read, and printing in Linux's "DMA-API: driver device:"
 * form. Reports are rare, so a single mutex guards the list.
 */
#include <execinfo.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../mm/mm.h"
#include "debug.h"
#include "entry.h"
#include "../trace/trace.h"

atomic_int dk_dbg_mode = DK_DMA_DEBUG_ALL;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct dk_dma_finding *findings;
static size_t nfindings, cap;
static unsigned long counts[DK_CHK_NR];
static atomic_ulong errors;
static char filter[32];
static FILE *out;
static bool printed_one;

static const char *const names[DK_CHK_NR] = {
	[DK_CHK_MAP_STACK] = "map-stack",
	[DK_CHK_MAP_RODATA] = "map-rodata",
	[DK_CHK_MAP_VMALLOC] = "map-vmalloc",
	[DK_CHK_MAP_INVALID] = "map-invalid",
	[DK_CHK_SG_SEG_TOO_LONG] = "sg-segment-too-long",
	[DK_CHK_SG_SEG_BOUNDARY] = "sg-segment-boundary",
	[DK_CHK_FREE_NOT_ALLOCATED] = "free-not-allocated",
	[DK_CHK_FREE_INVALID_ADDR] = "free-invalid-address",
	[DK_CHK_FREE_SIZE] = "free-different-size",
	[DK_CHK_FREE_WRONG_FUNC] = "free-wrong-function",
	[DK_CHK_FREE_CPU_ADDR] = "free-different-cpu-address",
	[DK_CHK_FREE_SG_COUNT] = "free-sg-count",
	[DK_CHK_FREE_DIR] = "free-different-direction",
	[DK_CHK_FREE_USER_MAPPED] = "free-user-mapped",
	[DK_CHK_MMAP_ATTRS] = "mmap-different-attributes",
	[DK_CHK_MAP_ERR_UNCHECKED] = "map-error-not-checked",
	[DK_CHK_SYNC_NOT_ALLOCATED] = "sync-not-allocated",
	[DK_CHK_SYNC_OUT_OF_RANGE] = "sync-out-of-range",
	[DK_CHK_SYNC_DIR] = "sync-different-direction",
	[DK_CHK_SYNC_RO_FOR_CPU] = "sync-read-only-for-cpu",
	[DK_CHK_SYNC_WO_TO_DEVICE] = "sync-write-only-to-device",
	[DK_CHK_SYNC_SG_COUNT] = "sync-sg-count",
	[DK_CHK_CACHELINE_OVERLAP] = "cacheline-overlap",
	[DK_CHK_CACHELINE_MAX] = "cacheline-overlap-limit",
	[DK_CHK_PENDING_AT_UNBIND] = "pending-at-unbind",
	[DK_CHK_CPU_TOUCH_DEVICE_OWNED] = "cpu-wrote-device-owned",
	[DK_CHK_SYNC_DEVICE_TWICE] = "sync-device-owned-for-device",
	[DK_CHK_SYNC_CPU_TWICE] = "sync-cpu-owned-for-cpu",
	[DK_CHK_DEVICE_UNMAPPED_ACCESS] = "device-access-unmapped",
	[DK_CHK_DMA_AFTER_UNBIND] = "dma-after-unbind",
	[DK_CHK_FROM_DEVICE_SHARED_LINE] = "from-device-shares-line",
	[DK_CHK_COHERENCE_MISMATCH] = "coherence-mismatch",
	[DK_CHK_DEVICE_WRONG_DIRECTION] = "device-access-wrong-direction",
	[DK_CHK_MAP_FREED] = "map-freed-object",
	[DK_CHK_MAP_BEYOND_OBJECT] = "map-beyond-object",
	[DK_CHK_FREE_MAPPED] = "free-while-mapped",
	[DK_CHK_DEVICE_READ_BUFFERED] = "device-read-write-buffered",
	[DK_CHK_DEVICE_READ_VMAP_DIRTY] = "device-read-vmap-dirty",
	[DK_CHK_CPU_LOADS_UNORDERED] = "cpu-loads-unordered",
};

const char *dk_dma_check_name(enum dk_dma_check c)
{
	return (unsigned int)c < DK_CHK_NR ? names[c] : "?";
}

const char *dk_dbg_dir_name(enum dma_data_direction dir)
{
	static const char *const n[] = { "DMA_BIDIRECTIONAL", "DMA_TO_DEVICE",
					 "DMA_FROM_DEVICE", "DMA_NONE" };

	return (unsigned int)dir < 4 ? n[dir] : "invalid direction";
}

const char *dk_dbg_type_name(enum dk_map_type t)
{
	static const char *const n[] = { "single", "page", "scatter-gather",
					 "coherent", "resource", "noncoherent",
					 "iova link" };

	return (unsigned int)t < 7 ? n[t] : "?";
}

void dk_dma_debug_set_mode(enum dk_dma_debug_mode mode)
{
	if ((unsigned int)mode <= DK_DMA_DEBUG_ABORT) {
		atomic_store(&dk_dbg_mode, mode);
		dk_dbg_sync_hooks();
	}
}

void dk_dbg_sync_hooks(void)
{
	/* Off, the checker is told of no free. */
	dk_dbg_objects_forget();
	dk_mm_set_free_hooks(dk_dbg_on() ? &dk_dbg_free_hooks : NULL);
}

enum dk_dma_debug_mode dk_dma_debug_get_mode(void)
{
	return atomic_load(&dk_dbg_mode);
}

void dk_dma_debug_set_driver_filter(const char *driver)
{
	pthread_mutex_lock(&lock);
	snprintf(filter, sizeof(filter), "%s", driver ? driver : "");
	pthread_mutex_unlock(&lock);
}

void dk_dma_debug_set_output(FILE *f)
{
	pthread_mutex_lock(&lock);
	out = f;
	pthread_mutex_unlock(&lock);
}

void dk_dbg_report(struct device *dev, enum dk_dma_check check,
		   const struct dk_dbg_entry *e, dma_addr_t addr, u64 size,
		   enum dma_data_direction dir, const char *fmt, ...)
{
	const char *drv = dev && dev->driver ? dev->driver->name : "(no driver)";
	struct dk_dma_finding f = { .check = check, .dev_addr = addr,
				    .size = size, .dir = dir };
	va_list ap;
	bool print;

	pthread_mutex_lock(&lock);
	if (filter[0] && strcmp(filter, drv)) {
		pthread_mutex_unlock(&lock);
		return;
	}
	pthread_mutex_unlock(&lock);
	snprintf(f.driver, sizeof(f.driver), "%s", drv);
	snprintf(f.device, sizeof(f.device), "%s", dev_name(dev));
	f.map_type = e ? dk_dbg_type_name(e->type) : "";
	va_start(ap, fmt);
	vsnprintf(f.message, sizeof(f.message), fmt, ap);
	va_end(ap);
	if (e) {
		dk_dbg_format_backtrace(e, f.backtrace, sizeof(f.backtrace));
	} else {
		/* No mapping to point at (a stack buffer being mapped, a
		 * device access): where it happened, the caller's chain. */
		struct dk_dbg_entry here = { 0 };

		here.nbt = backtrace(here.bt, DK_DBG_BT);
		dk_dbg_format_backtrace(&here, f.backtrace,
					sizeof(f.backtrace));
	}
	if (dk_tracing())
		dk_trace_finding(dev, e ? e->pa : addr, e ? e->size : size,
				 dk_dma_check_name(check), f.message);
	atomic_fetch_add(&errors, 1);
	pthread_mutex_lock(&lock);
	if (nfindings == cap) {
		size_t ncap = cap ? 2 * cap : 64;
		struct dk_dma_finding *n = realloc(findings, ncap * sizeof(*n));

		if (n) {
			findings = n;
			cap = ncap;
		}
	}
	if (nfindings < cap)
		findings[nfindings++] = f;
	counts[check]++;
	print = atomic_load(&dk_dbg_mode) != DK_DMA_DEBUG_FIRST || !printed_one;
	printed_one = true;
	if (print) {
		FILE *o = out ? out : stderr;

		fprintf(o, "DMA-API: %s %s: %s\n", f.driver, f.device,
			f.message);
		if (f.backtrace[0])
			fprintf(o, "  %s at:\n%s", e ? "mapped" : "reported",
				f.backtrace);
		fflush(o);
	}
	pthread_mutex_unlock(&lock);
	if (atomic_load(&dk_dbg_mode) == DK_DMA_DEBUG_ABORT)
		abort();
}

size_t dk_dma_debug_nfindings(void)
{
	size_t n;

	pthread_mutex_lock(&lock);
	n = nfindings;
	pthread_mutex_unlock(&lock);
	return n;
}

const struct dk_dma_finding *dk_dma_debug_finding(size_t i)
{
	const struct dk_dma_finding *f;

	pthread_mutex_lock(&lock);
	f = i < nfindings ? &findings[i] : NULL;
	pthread_mutex_unlock(&lock);
	return f;
}

size_t dk_dma_debug_count(enum dk_dma_check check)
{
	size_t n;

	if ((unsigned int)check >= DK_CHK_NR)
		return 0;
	pthread_mutex_lock(&lock);
	n = counts[check];
	pthread_mutex_unlock(&lock);
	return n;
}

void dk_dma_debug_clear(void)
{
	pthread_mutex_lock(&lock);
	nfindings = 0;
	memset(counts, 0, sizeof(counts));
	printed_one = false;
	pthread_mutex_unlock(&lock);
}

void dk_dma_debug_stats(struct dk_dma_debug_stats *st)
{
	if (!st)
		return;
	st->errors = atomic_load(&errors);
	dk_dbg_entry_counts(&st->live_entries, &st->peak_entries);
}
