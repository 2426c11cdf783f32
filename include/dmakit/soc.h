/* SPDX-License-Identifier: MIT */
/*
 * The simulated SoC: loading it from a device tree, what it contains, the
 * faults it recorded and its deterministic event loop.
 *
 * A SoC is described by a device tree source (.dts, compiled with dtc) or a
 * flattened blob (.dtb). The bindings and dmakit's own properties are listed
 * in docs/soc-bindings.md. dk_soc_load_default() gives the built-in SoC that
 * every command uses when no file is named.
 */
#ifndef DMAKIT_SOC_H
#define DMAKIT_SOC_H

#include <dmakit/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dk_soc;
struct dk_simdev;

/*
 * When the simulated cache writes back or refills lines on its own.
 * NEVER: the cache holds every line until software maintains it.
 * ADVERSARIAL: the worst legal hardware: a device write is preceded by a
 *   speculative fill of the clean lines it touches and followed by the
 *   eviction (write-back) of the dirty lines it touches, so stale CPU data
 *   lands on top of what the device wrote.
 * RANDOM: each line a device access touches is filled or evicted before or
 *   after the access with a seeded probability; the same seed always gives
 *   the same bytes.
 */
enum dk_evict_policy {
	DK_EVICT_NEVER,
	DK_EVICT_ADVERSARIAL,
	DK_EVICT_RANDOM,
};

/*
 * What an invalidate does to the partial lines at the edges of its range.
 * CLEAN_INV: clean+invalidate them, as Linux does, so a neighbour's dirty
 *   data in the same line survives.
 * INV: invalidate them too (ARM DC IVAC on the edges, the barebox bug of
 *   "Not this tall to ride"): the neighbour's dirty data is lost.
 */
enum dk_edge_policy {
	DK_EDGE_CLEAN_INV,
	DK_EDGE_INV,
};

/* Overrides applied on top of what the tree says; -1 / false = keep it. */
struct dk_soc_opts {
	int policy;		/* enum dk_evict_policy or -1 */
	int edge;		/* enum dk_edge_policy or -1 */
	bool seed_set;
	u64 seed;		/* eviction seed when seed_set */
	int rate;		/* RANDOM: per-line event rate in percent, or -1 */
};

/*
 * Every function taking a struct dk_soc refuses NULL and a SoC that was
 * freed (or never made by dk_soc_load*()) without touching it: it returns
 * -EINVAL, NULL, 0 or false and leaves a message in dk_last_error().
 * The same holds for a struct dk_simdev of a freed SoC.
 */

/* dk_soc_opts_init - fill @opts with "keep what the tree says"; NULL is
 * ignored. */
void dk_soc_opts_init(struct dk_soc_opts *opts);

/*
 * dk_soc_load - build a SoC from a device tree file.
 * @path: a .dtb (recognised by its magic) or a .dts (compiled with dtc).
 * @opts: overrides, or NULL.
 * @out: receives the SoC on success.
 *
 * Returns 0, or -EINVAL for a malformed tree (the message names the node
 * and property), -ENOENT/-EIO for an unreadable file, -ENOMEM when host
 * memory for the RAM banks cannot be reserved. Never crashes on any input.
 */
int dk_soc_load(const char *path, const struct dk_soc_opts *opts,
		struct dk_soc **out);

/*
 * dk_soc_load_blob - build a SoC from a flattened tree in memory.
 * @dtb may be any bytes; @len is how many are readable. Errors as above.
 */
int dk_soc_load_blob(const void *dtb, size_t len,
		     const struct dk_soc_opts *opts, struct dk_soc **out);

/* dk_soc_load_default - build the built-in default SoC. */
int dk_soc_load_default(const struct dk_soc_opts *opts, struct dk_soc **out);

/*
 * dk_dtb_from_file - read a .dtb, or compile a .dts with dtc, into a
 * malloc'd blob the caller frees. 0 or -errno as dk_soc_load().
 */
int dk_dtb_from_file(const char *path, void **dtb, size_t *len);

/* dk_soc_default_dtb - the built-in SoC's blob and its length. */
const void *dk_soc_default_dtb(size_t *len);

/*
 * dk_soc_free - release the SoC, its RAM and its device models. NULL ok.
 * Refused with a message: a SoC that is not live (freed twice), and
 * -EBUSY in dk_last_error() while a machine still runs on it (the
 * machine's pages and locks live inside it): dk_machine_shutdown() first.
 */
void dk_soc_free(struct dk_soc *soc);

/* ---- what the SoC contains (read-only views, valid until dk_soc_free) */

struct dk_bank {
	phys_addr_t base;
	u64 size;
};

struct dk_rmem {
	const char *name;	/* node path */
	phys_addr_t base;
	u64 size;
	bool shared_dma_pool;	/* compatible "shared-dma-pool" */
	bool reusable;		/* CMA */
	bool no_map;		/* per-device coherent memory */
	bool cma_default;	/* "linux,cma-default" */
};

struct dk_dma_range {
	u64 bus;		/* address as the device emits it */
	phys_addr_t cpu;	/* CPU physical address it reaches */
	u64 size;
};

#define DK_MAX_DMA_RANGES 8
#define DK_MAX_IOMMU_ARGS 4

struct dk_devdesc {
	const char *name;	/* node path, e.g. "/soc/dma@10000000" */
	const char *compatible;	/* the compatible its device model serves */
	/* every compatible string of the node, most specific first, each
	 * NUL-terminated, the list ending with an empty string */
	const char *compatibles;
	phys_addr_t reg;	/* MMIO base (CPU physical), 0 if none */
	u64 reg_size;
	int irq;		/* first "interrupts" cell, -1 if none */
	bool coherent;		/* what the tree says (dma-coherent here or above) */
	bool hw_coherent;	/* what the hardware does */
	bool write_allocate;	/* coherent writes land in the CPU cache */
	bool secure_master;	/* may reach firewalled ranges */
	unsigned int address_bits; /* wired to the interconnect, 12..64 */
	int n_dma_ranges;	/* 0: device addresses are CPU addresses */
	struct dk_dma_range dma_ranges[DK_MAX_DMA_RANGES];
	const char *iommu;	/* path of the "iommus" target, or NULL */
	int n_iommu_args;
	u32 iommu_args[DK_MAX_IOMMU_ARGS];
	int memory_region;	/* index into the reserved regions, or -1 */
	u32 dma_channels;	/* "dma-channels", 0 if absent */
};

const char *dk_soc_model(const struct dk_soc *soc);
int dk_soc_nbanks(const struct dk_soc *soc);
const struct dk_bank *dk_soc_bank(const struct dk_soc *soc, int i);
int dk_soc_nrmem(const struct dk_soc *soc);
const struct dk_rmem *dk_soc_rmem(const struct dk_soc *soc, int i);
int dk_soc_nsecure(const struct dk_soc *soc);
/* The i-th firewalled range; NULL if out of range. */
const struct dk_bank *dk_soc_secure(const struct dk_soc *soc, int i);
int dk_soc_ndevs(const struct dk_soc *soc);
struct dk_simdev *dk_soc_dev(struct dk_soc *soc, int i);
/* Find a device by full node path or by node name ("dma@10000000"). */
struct dk_simdev *dk_soc_find_dev(struct dk_soc *soc, const char *name);
const struct dk_devdesc *dk_simdev_desc(const struct dk_simdev *dev);

struct dk_cache_geometry {
	u32 line;		/* cache line size */
	u32 granule;		/* write-back granule, a multiple of line */
	u32 dma_minalign;	/* ARCH_DMA_MINALIGN */
	bool coherent;		/* devices are coherent unless the tree says */
	enum dk_evict_policy policy;
	u64 seed;
	u32 rate;		/* RANDOM: percent */
	enum dk_edge_policy edge;
};

const struct dk_cache_geometry *dk_soc_cache(const struct dk_soc *soc);

const char *dk_evict_policy_name(enum dk_evict_policy p);
/* Parse "never"/"adversarial"/"random"; -EINVAL otherwise. */
int dk_evict_policy_parse(const char *s);
const char *dk_edge_policy_name(enum dk_edge_policy e);
/* Parse "clean-invalidate"/"invalidate"; -EINVAL otherwise. */
int dk_edge_policy_parse(const char *s);

/*
 * dk_soc_show - print the SoC as "dmakit soc show" does: banks, reserved
 * regions, firewall, devices, cache geometry and policy. A NULL
 * @stdio_file is stdout; a NULL or freed @soc is refused with a message.
 */
void dk_soc_show(const struct dk_soc *soc, void *stdio_file);

/* ---- faults recorded by the interconnect */

enum dk_fault_reason {
	DK_FAULT_NO_MEMORY,	/* no RAM at the physical address */
	DK_FAULT_NO_WINDOW,	/* no dma-ranges window covers the address */
	DK_FAULT_FIREWALL,	/* non-secure master reached secure memory */
	DK_FAULT_IOMMU_UNMAPPED,	/* no translation for the address */
	DK_FAULT_IOMMU_PERMISSION,	/* translation forbids the access */
};

struct dk_fault {
	const char *device;	/* node path of the master */
	dma_addr_t dev_addr;	/* address the device emitted */
	u64 bus_addr;		/* after truncation to the wired bits */
	phys_addr_t phys;	/* after translation (if it got that far) */
	size_t len;
	bool write;
	enum dk_fault_reason reason;
	u64 time;		/* event-loop time of the access */
};

const char *dk_fault_reason_name(enum dk_fault_reason r);
size_t dk_soc_nfaults(const struct dk_soc *soc);
/* The i-th fault in order of occurrence; NULL past the end. */
const struct dk_fault *dk_soc_fault(const struct dk_soc *soc, size_t i);
void dk_soc_clear_faults(struct dk_soc *soc);

/* ---- deterministic event loop and interrupts */

typedef void (*dk_event_fn)(struct dk_soc *soc, void *arg);
typedef void (*dk_irq_handler)(int irq, void *arg);

/* Current simulated time in cycles. */
u64 dk_soc_now(const struct dk_soc *soc);

/*
 * dk_soc_schedule - run @fn(@soc, @arg) @delay cycles from now. Events due
 * at the same time run in the order they were scheduled.
 * Returns 0 or -EINVAL (@fn NULL) / -ENOMEM.
 */
int dk_soc_schedule(struct dk_soc *soc, u64 delay, dk_event_fn fn, void *arg);

/* dk_soc_step - run the next event. Returns 1 if one ran, 0 when idle. */
int dk_soc_step(struct dk_soc *soc);

/*
 * dk_soc_run - run events until none is left or @max_events ran (0 = no
 * limit). Returns the number of events run.
 */
u64 dk_soc_run(struct dk_soc *soc, u64 max_events);

/*
 * Threaded mode, for stress: dk_soc_start_thread() runs the event loop on
 * a host thread of its own, concurrently with the driver's threads, each
 * event as soon as it is scheduled (simulated time still orders them).
 * Results are no longer reproducible run to run; that is the point.
 * dk_soc_stop_thread() waits for the queue to drain and stops it.
 * Returns 0, -EBUSY (already running) or -EAGAIN (no thread).
 */
int dk_soc_start_thread(struct dk_soc *soc);
void dk_soc_stop_thread(struct dk_soc *soc);

/*
 * dk_soc_request_irq - call @handler(@irq, @arg) when a model raises @irq.
 * Returns 0, -EINVAL for an irq outside 0..DK_MAX_IRQ-1 or a NULL handler,
 * -EBUSY if the line already has a handler.
 */
#define DK_MAX_IRQ 256
int dk_soc_request_irq(struct dk_soc *soc, int irq, dk_irq_handler handler,
		       void *arg);
void dk_soc_free_irq(struct dk_soc *soc, int irq);

/*
 * dk_soc_raise_irq - a model signals @irq. The handler runs from the event
 * loop one cycle later (interrupt latency); an unhandled irq is counted.
 */
void dk_soc_raise_irq(struct dk_soc *soc, int irq);
u64 dk_soc_spurious_irqs(const struct dk_soc *soc);

#ifdef __cplusplus
}
#endif

#endif
