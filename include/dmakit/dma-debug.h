/* SPDX-License-Identifier: MIT */
/*
 * The DMA-API checker: everything Linux's CONFIG_DMA_API_DEBUG checks, with
 * the same message classes, plus what only a simulator that sees both the
 * CPU and the device side can check.
 *
 * Every report is printed as "DMA-API: <driver> <device>: <message>" and
 * kept as a finding tests can read. The mode comes from the environment
 * variable DMAKIT_DMA_DEBUG (off, first, all, abort, in any case; default
 * all), read when a machine boots and the variable has a value not read
 * before, and from dk_dma_debug_set_mode() at any time. Any other value
 * leaves the mode as it is and prints a message naming the valid ones.
 * The checker observes; apart from poisoning device-owned buffers (which a
 * correct program never notices) it changes nothing the program does.
 */
#ifndef DMAKIT_DMA_DEBUG_H
#define DMAKIT_DMA_DEBUG_H

#include <stdio.h>

#include <dmakit/dma-mapping.h>

#ifdef __cplusplus
extern "C" {
#endif

enum dk_dma_debug_mode {
	DK_DMA_DEBUG_OFF,	/* no checks, no bookkeeping */
	DK_DMA_DEBUG_FIRST,	/* record everything, print the first report */
	DK_DMA_DEBUG_ALL,	/* record and print every report */
	DK_DMA_DEBUG_ABORT,	/* print the first report and abort() */
};

/* What a finding is about: one class per distinct check. */
enum dk_dma_check {
	/* any thread's stack: another thread's is found while it waits in a
	 * system call (not under Valgrind, which hides its stack pointer) */
	DK_CHK_MAP_STACK,		/* maps memory from stack */
	DK_CHK_MAP_RODATA,		/* maps kernel text or rodata */
	DK_CHK_MAP_VMALLOC,		/* maps memory from vmalloc area */
	DK_CHK_MAP_INVALID,		/* maps memory from invalid area */
	DK_CHK_SG_SEG_TOO_LONG,		/* sg segment over max_segment_size */
	DK_CHK_SG_SEG_BOUNDARY,		/* sg segment across the boundary */
	DK_CHK_FREE_NOT_ALLOCATED,	/* frees memory it has not allocated */
	DK_CHK_FREE_INVALID_ADDR,	/* frees an invalid DMA address */
	DK_CHK_FREE_SIZE,		/* frees with different size */
	DK_CHK_FREE_WRONG_FUNC,		/* frees with wrong function */
	DK_CHK_FREE_CPU_ADDR,		/* frees with different CPU address */
	DK_CHK_FREE_SG_COUNT,		/* frees sg list with other count */
	DK_CHK_FREE_DIR,		/* frees with different direction */
	DK_CHK_FREE_USER_MAPPED,	/* frees what user space has mapped */
	DK_CHK_MMAP_ATTRS,		/* mmaps with other attrs than alloc */
	DK_CHK_MAP_ERR_UNCHECKED,	/* failed to check map error */
	DK_CHK_SYNC_NOT_ALLOCATED,	/* syncs memory it has not allocated */
	DK_CHK_SYNC_OUT_OF_RANGE,	/* syncs outside allocated range */
	DK_CHK_SYNC_DIR,		/* syncs with different direction */
	DK_CHK_SYNC_RO_FOR_CPU,		/* syncs device read-only for cpu */
	DK_CHK_SYNC_WO_TO_DEVICE,	/* syncs device write-only to device */
	DK_CHK_SYNC_SG_COUNT,		/* syncs sg list with other count */
	DK_CHK_CACHELINE_OVERLAP,	/* overlapping mappings of a line */
	DK_CHK_CACHELINE_MAX,		/* more than 7 overlaps of a line */
	DK_CHK_PENDING_AT_UNBIND,	/* pending allocations at unbind */
	DK_CHK_CPU_TOUCH_DEVICE_OWNED,	/* CPU wrote lines a device owns */
	DK_CHK_SYNC_DEVICE_TWICE,	/* sync_for_device of device-owned */
	DK_CHK_SYNC_CPU_TWICE,		/* sync_for_cpu of CPU-owned */
	DK_CHK_DEVICE_UNMAPPED_ACCESS,	/* device reached unmapped memory */
	DK_CHK_DMA_AFTER_UNBIND,	/* device DMA after its driver left */
	DK_CHK_FROM_DEVICE_SHARED_LINE,	/* FROM_DEVICE line shared with data */
	DK_CHK_COHERENCE_MISMATCH,	/* tree and hardware disagree */
	/* a device wrote memory mapped only DMA_TO_DEVICE, or read memory
	 * mapped only DMA_FROM_DEVICE (an IOMMU would fault both) */
	DK_CHK_DEVICE_WRONG_DIRECTION,
	DK_CHK_MAP_FREED,		/* maps freed kmalloc memory */
	DK_CHK_MAP_BEYOND_OBJECT,	/* maps past its kmalloc object */
	DK_CHK_FREE_MAPPED,		/* kfree of memory still mapped */
	/* a device read coherent memory the CPU stored to after the last
	 * write barrier: the stores may still be in the write buffer */
	DK_CHK_DEVICE_READ_BUFFERED,
	/* a device read memory whose vmap holds newer bytes in lines of its
	 * own (aliasing cache): flush_kernel_vmap_range() was not called */
	DK_CHK_DEVICE_READ_VMAP_DIRTY,
	/* the CPU acted on a device write (a descriptor's status) with no
	 * read barrier since: its loads of what the device wrote before
	 * (the data) may have been satisfied early */
	DK_CHK_CPU_LOADS_UNORDERED,
	DK_CHK_NR
};

struct dk_dma_finding {
	enum dk_dma_check check;
	char driver[32];
	char device[96];
	dma_addr_t dev_addr;
	u64 size;
	enum dma_data_direction dir;
	const char *map_type;	/* "single", "page", "scatter-gather", ... */
	char message[384];	/* the message after the prefix */
	/* where the mapping involved was made, as "#N function (file:line)"
	 * lines; when no live mapping is involved (a stack buffer being
	 * mapped, a device access no mapping covers), where the report was
	 * made */
	char backtrace[1024];
};

/**
 * dk_dma_debug_set_mode() - change the checker's mode, for every machine
 * and thread, from the next call it checks on.
 * @mode: one of enum dk_dma_debug_mode; any other value is ignored.
 *
 * Context: any thread.
 */
void dk_dma_debug_set_mode(enum dk_dma_debug_mode mode);
/**
 * dk_dma_debug_get_mode() - the checker's mode.
 *
 * Return: what dk_dma_debug_set_mode() or DMAKIT_DMA_DEBUG set last,
 * DK_DMA_DEBUG_ALL by default.
 */
enum dk_dma_debug_mode dk_dma_debug_get_mode(void);

/* How each mapping records where it was made. */
enum dk_dma_debug_bt {
	DK_DMA_DEBUG_BT_OFF,	/* not at all: reports have no "mapped at" */
	/* Return addresses by the frame-pointer chain (the default): a few
	 * nanoseconds; frames of code built without frame pointers are
	 * skipped or end the chain. */
	DK_DMA_DEBUG_BT_FRAMES,
	/* Full unwinding through glibc's backtrace(): every frame, about a
	 * microsecond per map, through the unwinder's lock. Also what
	 * FRAMES does under Valgrind. */
	DK_DMA_DEBUG_BT_FULL,
};

/**
 * dk_dma_debug_set_backtrace_mode() - choose how mappings record their
 * call chain (default DK_DMA_DEBUG_BT_FRAMES). Either way the addresses
 * are named (function and file:line) only when a report is printed.
 * @mode: one of enum dk_dma_debug_bt, for mappings made from now on; an
 *        unknown value is ignored.
 */
void dk_dma_debug_set_backtrace_mode(enum dk_dma_debug_bt mode);

/**
 * dk_dma_debug_set_backtrace() - whether each mapping records the call
 * chain of its call (default on); off, reports have no "mapped at"
 * section.
 * @on: true for DK_DMA_DEBUG_BT_FRAMES, false for DK_DMA_DEBUG_BT_OFF.
 */
void dk_dma_debug_set_backtrace(bool on);

/**
 * dk_dma_debug_set_driver_filter() - report only what one driver does.
 * @driver: the driver's name, copied (at most 31 characters); NULL or ""
 *          for every driver.
 */
void dk_dma_debug_set_driver_filter(const char *driver);

/**
 * dk_dma_debug_set_output() - where reports are printed.
 * @f: an open stream, which dmakit never closes; NULL for stderr (the
 *     default).
 */
void dk_dma_debug_set_output(FILE *f);

/**
 * dk_dma_debug_nfindings() - how many findings were recorded since the
 * start or the last dk_dma_debug_clear().
 *
 * Return: the count, 0 or more.
 */
size_t dk_dma_debug_nfindings(void);
/**
 * dk_dma_debug_finding() - one recorded finding, in the order they were
 * made.
 * @i: 0 to dk_dma_debug_nfindings() - 1.
 *
 * Return: the finding, valid until the next finding is recorded or
 * dk_dma_debug_clear() (copy it to keep it); NULL for @i out of range.
 */
const struct dk_dma_finding *dk_dma_debug_finding(size_t i);
/**
 * dk_dma_debug_count() - how many findings of one class were recorded.
 * @check: the class.
 *
 * Return: the count since the last dk_dma_debug_clear(); 0 for a value
 * that is no class.
 */
size_t dk_dma_debug_count(enum dk_dma_check check);
/**
 * dk_dma_debug_clear() - forget the recorded findings and their counts
 * (the mode DK_DMA_DEBUG_FIRST prints a first report again). Live
 * mappings stay tracked.
 */
void dk_dma_debug_clear(void);
/**
 * dk_dma_check_name() - the short name of a class, as tests and reports
 * spell it ("map-stack", "free-while-mapped", ...).
 * @check: the class.
 *
 * Return: a static string; "?" for a value that is no class.
 */
const char *dk_dma_check_name(enum dk_dma_check check);

struct dk_dma_debug_stats {
	unsigned long errors;		/* findings, all classes */
	unsigned long live_entries;	/* mappings + allocations now */
	/* The most that were live: counted per group of devices (each
	 * device's entries are in one) and summed, so exact while one
	 * device maps at a time, else at least the true peak. */
	unsigned long peak_entries;
};
/**
 * dk_dma_debug_stats() - the checker's counters.
 * @st: filled in; NULL does nothing.
 */
void dk_dma_debug_stats(struct dk_dma_debug_stats *st);

/**
 * dk_dma_debug_dump() - print every live mapping and allocation the
 * checker tracks.
 * @dev: only this device's; NULL for all.
 * @f: the stream; NULL for stderr.
 */
void dk_dma_debug_dump(struct device *dev, FILE *f);

/*
 * Whether a buffer can be DMA'd with dma_map_single(): the question of
 * "DMA safety in buffers for Linux Kernel device drivers" (Wolfram Sang).
 */
enum dk_dma_safety {
	DK_DMA_SAFE,
	DK_DMA_UNSAFE_STACK,
	DK_DMA_UNSAFE_RODATA,
	DK_DMA_UNSAFE_VMALLOC,
	DK_DMA_UNSAFE_NOT_RAM,		/* malloc, an alias, anything else */
	DK_DMA_UNSAFE_SHARES_LINE,	/* another object shares a cache line */
	DK_DMA_UNSAFE_BEYOND_MASK,	/* would need bouncing */
};
/**
 * dk_dma_buffer_is_safe() - can @len bytes at @ptr be DMA'd by @dev with
 * dma_map_single()?
 * @ptr: the buffer.
 * @len: its length; 0 or a length that wraps is "not RAM".
 * @dev: the device (its mask and the machine's line size); NULL judges
 *       against the current machine without a mask.
 *
 * Return: DK_DMA_SAFE or the first reason it is not.
 */
enum dk_dma_safety dk_dma_buffer_is_safe(const void *ptr, size_t len,
					 struct device *dev);
/**
 * dk_dma_safety_name() - a phrase for a dk_dma_buffer_is_safe() answer
 * ("on the stack", "shares a cache line with other data", ...).
 * @s: the answer.
 *
 * Return: a static string; "?" for a value that is no answer.
 */
const char *dk_dma_safety_name(enum dk_dma_safety s);

#ifdef __cplusplus
}
#endif

#endif
