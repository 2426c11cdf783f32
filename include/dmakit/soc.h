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

/**
 * struct dk_soc_opts - overrides applied on top of what the tree says;
 * -1 / false = keep it. dk_soc_opts_init() sets every member so.
 */
struct dk_soc_opts {
	/** @policy: enum dk_evict_policy, or -1 for the tree's
	 * dmakit,cache-policy */
	int policy;
	/** @edge: enum dk_edge_policy, or -1 for the tree's */
	int edge;
	/** @seed_set: whether @seed replaces the tree's seed */
	bool seed_set;
	/** @seed: the eviction seed, when @seed_set */
	u64 seed;
	/** @rate: RANDOM: the per-line event rate in percent, or -1 */
	int rate;
};

/*
 * Every function taking a struct dk_soc refuses NULL and a SoC that was
 * freed (or never made by dk_soc_load*()) without touching it: it returns
 * -EINVAL, NULL, 0 or false and leaves a message in dk_last_error().
 * The same holds for a struct dk_simdev of a freed SoC.
 */

/**
 * dk_soc_opts_init() - fill options with "keep what the tree says".
 * @opts: the options; NULL is ignored.
 */
void dk_soc_opts_init(struct dk_soc_opts *opts);

/**
 * dk_soc_load() - build a SoC from a device tree file.
 * @path: a .dtb (recognised by its magic) or a .dts (compiled with dtc).
 * @opts: overrides, or NULL.
 * @out: receives the SoC on success; free it with dk_soc_free().
 *
 * Return: 0, or -EINVAL for a malformed tree (the message names the node
 * and property), -ENOENT/-EIO for an unreadable file, -ENOMEM when host
 * memory for the RAM banks cannot be reserved. Never crashes on any input.
 */
int dk_soc_load(const char *path, const struct dk_soc_opts *opts,
		struct dk_soc **out);

/**
 * dk_soc_load_blob() - build a SoC from a flattened tree in memory.
 * @dtb: any bytes; they are not kept.
 * @len: how many are readable.
 * @opts: overrides, or NULL.
 * @out: receives the SoC on success.
 *
 * Return: 0 or an error as dk_soc_load().
 */
int dk_soc_load_blob(const void *dtb, size_t len,
		     const struct dk_soc_opts *opts, struct dk_soc **out);

/**
 * dk_soc_load_default() - build the built-in default SoC.
 * @opts: overrides, or NULL.
 * @out: receives the SoC on success.
 *
 * Return: 0 or an error as dk_soc_load().
 */
int dk_soc_load_default(const struct dk_soc_opts *opts, struct dk_soc **out);

/**
 * dk_dtb_from_file() - read a .dtb, or compile a .dts with dtc, into
 * memory.
 * @path: the file.
 * @dtb: set to a malloc'd blob the caller frees.
 * @len: set to its length.
 *
 * Return: 0 or -errno as dk_soc_load().
 */
int dk_dtb_from_file(const char *path, void **dtb, size_t *len);

/**
 * dk_soc_default_dtb() - the built-in SoC's flattened tree.
 * @len: set to its length, if not NULL.
 *
 * Return: the blob, static and read-only.
 */
const void *dk_soc_default_dtb(size_t *len);

/**
 * dk_soc_free() - release the SoC, its RAM and its device models.
 * @soc: the SoC; NULL is ok. Refused with a message: a SoC that is not
 *       live (freed twice), and -EBUSY in dk_last_error() while a machine
 *       still runs on it (the machine's pages and locks live inside it):
 *       dk_machine_shutdown() first.
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

/*
 * One entry of a consumer's "dmas": the DMA controller it names, the
 * argument cells that controller's "#dma-cells" says it takes (for the
 * slave DMA model: the request line, then optionally a fixed channel),
 * and the matching "dma-names" entry.
 */
#define DK_MAX_DMAS 8
#define DK_MAX_DMA_ARGS 4
struct dk_dma_spec {
	const char *name;	/* its "dma-names" entry; NULL without one */
	const char *provider;	/* node path of the controller */
	int nargs;
	u32 args[DK_MAX_DMA_ARGS];
};

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
	bool untrusted;		/* "dmakit,untrusted": see device.h */
	unsigned int address_bits; /* wired to the interconnect, 12..64 */
	int n_dma_ranges;	/* 0: device addresses are CPU addresses */
	struct dk_dma_range dma_ranges[DK_MAX_DMA_RANGES];
	const char *iommu;	/* path of the "iommus" target, or NULL */
	int n_iommu_args;
	u32 iommu_args[DK_MAX_IOMMU_ARGS];
	int memory_region;	/* index into the reserved regions, or -1 */
	u32 dma_channels;	/* "dma-channels", 0 if absent */
	int n_dmas;		/* "dmas" entries */
	struct dk_dma_spec dmas[DK_MAX_DMAS];
	u32 dma_requests;	/* "dma-requests", 0 if absent */
	u32 dma_channel_mask;	/* "dma-channel-mask", ~0 if absent */
	bool tz_aware;		/* chooses NS per access (TrustZone-aware) */
	bool dma_whole_bursts;	/* its DMA moves whole bursts only */
};

/**
 * dk_soc_model() - the tree's "model" string.
 * @soc: the SoC.
 *
 * Return: the string, valid until dk_soc_free(); NULL for a SoC not live.
 */
const char *dk_soc_model(const struct dk_soc *soc);
/**
 * dk_soc_nbanks() - how many RAM banks the SoC has.
 * @soc: the SoC.
 *
 * Return: the count, 0 for a SoC not live.
 */
int dk_soc_nbanks(const struct dk_soc *soc);
/**
 * dk_soc_bank() - one RAM bank.
 * @soc: the SoC.
 * @i: 0 to dk_soc_nbanks() - 1.
 *
 * Return: the bank; NULL if out of range or for a SoC not live.
 */
const struct dk_bank *dk_soc_bank(const struct dk_soc *soc, int i);
/**
 * dk_soc_nrmem() - how many reserved-memory regions the tree has.
 * @soc: the SoC.
 *
 * Return: the count, 0 for a SoC not live.
 */
int dk_soc_nrmem(const struct dk_soc *soc);
/**
 * dk_soc_rmem() - one reserved-memory region.
 * @soc: the SoC.
 * @i: 0 to dk_soc_nrmem() - 1.
 *
 * Return: the region; NULL if out of range or for a SoC not live.
 */
const struct dk_rmem *dk_soc_rmem(const struct dk_soc *soc, int i);
/**
 * dk_soc_nsecure() - how many firewalled (secure) ranges the SoC has.
 * @soc: the SoC.
 *
 * Return: the count, 0 for a SoC not live.
 */
int dk_soc_nsecure(const struct dk_soc *soc);
/**
 * dk_soc_secure() - one firewalled range.
 * @soc: the SoC.
 * @i: 0 to dk_soc_nsecure() - 1.
 *
 * Return: the range; NULL if out of range or for a SoC not live.
 */
const struct dk_bank *dk_soc_secure(const struct dk_soc *soc, int i);
/**
 * dk_soc_ndevs() - how many devices (bus masters and peripherals) the SoC
 * has.
 * @soc: the SoC.
 *
 * Return: the count, 0 for a SoC not live.
 */
int dk_soc_ndevs(const struct dk_soc *soc);
/**
 * dk_soc_dev() - one device of the SoC.
 * @soc: the SoC.
 * @i: 0 to dk_soc_ndevs() - 1.
 *
 * Return: the device; NULL if out of range or for a SoC not live.
 */
struct dk_simdev *dk_soc_dev(struct dk_soc *soc, int i);
/**
 * dk_soc_find_dev() - a device by full node path or by node name.
 * @soc: the SoC.
 * @name: "/soc/dma@10000000" or "dma@10000000".
 *
 * Return: the device; NULL if none, for a NULL @name or a SoC not live,
 * with a message.
 */
struct dk_simdev *dk_soc_find_dev(struct dk_soc *soc, const char *name);
/**
 * dk_simdev_desc() - what the tree says about a device, and the hardware
 * truths the SoC adds.
 * @dev: the device.
 *
 * Return: its description, valid until dk_soc_free(); NULL for a device
 * of a SoC not live.
 */
const struct dk_devdesc *dk_simdev_desc(const struct dk_simdev *dev);

/* The cache maintenance the DMA API does before a device (dma-mapping.h). */
enum dk_dma_maint {
	DK_MAINT_PLATFORM,	/* machine option: what the platform says */
	DK_MAINT_ARM64,		/* clean for every direction */
	DK_MAINT_ARM32,		/* invalidate for DMA_FROM_DEVICE */
};

struct dk_cache_geometry {
	u32 line;		/* cache line size */
	u32 granule;		/* write-back granule, a multiple of line */
	u32 dma_minalign;	/* ARCH_DMA_MINALIGN */
	bool coherent;		/* devices are coherent unless the tree says */
	enum dk_evict_policy policy;
	u64 seed;
	u32 rate;		/* RANDOM: percent */
	enum dk_edge_policy edge;
	enum dk_dma_maint maint;	/* ARM64 or ARM32 */
};

/**
 * dk_soc_cache() - the SoC's cache geometry and policy.
 * @soc: the SoC.
 *
 * Return: the geometry, valid until dk_soc_free(); NULL for a SoC not live.
 */
const struct dk_cache_geometry *dk_soc_cache(const struct dk_soc *soc);

/**
 * dk_evict_policy_name() - the name of a policy, as the tree and the
 * command line spell it.
 * @p: the policy.
 *
 * Return: "never", "adversarial" or "random"; "?" for other values.
 */
const char *dk_evict_policy_name(enum dk_evict_policy p);
/**
 * dk_evict_policy_parse() - a policy from its name.
 * @s: "never", "adversarial" or "random".
 *
 * Return: the enum dk_evict_policy value; -EINVAL otherwise (NULL too).
 */
int dk_evict_policy_parse(const char *s);
/**
 * dk_edge_policy_name() - the name of an edge policy.
 * @e: the policy.
 *
 * Return: "clean-invalidate" or "invalidate"; "?" for other values.
 */
const char *dk_edge_policy_name(enum dk_edge_policy e);
/**
 * dk_edge_policy_parse() - an edge policy from its name.
 * @s: "clean-invalidate" or "invalidate".
 *
 * Return: the enum dk_edge_policy value; -EINVAL otherwise (NULL too).
 */
int dk_edge_policy_parse(const char *s);

/**
 * dk_soc_show() - print the SoC as "dmakit soc show" does: banks, reserved
 * regions, firewall, devices, cache geometry and policy.
 * @soc: the SoC; a NULL or freed one is refused with a message.
 * @stdio_file: a FILE *; NULL for stdout.
 */
void dk_soc_show(const struct dk_soc *soc, void *stdio_file);

/* ---- faults recorded by the interconnect */

enum dk_fault_reason {
	DK_FAULT_NO_MEMORY,	/* no RAM at the physical address */
	DK_FAULT_NO_WINDOW,	/* no dma-ranges window covers the address */
	DK_FAULT_FIREWALL,	/* non-secure master reached secure memory */
	DK_FAULT_IOMMU_UNMAPPED,	/* no translation for the address */
	DK_FAULT_IOMMU_PERMISSION,	/* translation forbids the access */
	DK_FAULT_TZASC,		/* non-secure access, secure TZASC region */
	DK_FAULT_IOMMU_ADDRESS_SIZE,	/* beyond the IOMMU's input size */
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
	u32 stream;		/* the master's IOMMU stream ID (0 if none) */
};

/**
 * dk_fault_reason_name() - a phrase for a fault reason.
 * @r: the reason.
 *
 * Return: e.g. "outside every dma-ranges window"; "unknown" for other
 * values.
 */
const char *dk_fault_reason_name(enum dk_fault_reason r);
/**
 * dk_soc_nfaults() - how many faults the interconnect recorded since the
 * SoC was made or dk_soc_clear_faults().
 * @soc: the SoC.
 *
 * Return: the count, 0 for a SoC not live.
 */
size_t dk_soc_nfaults(const struct dk_soc *soc);
/**
 * dk_soc_fault() - one recorded fault, in order of occurrence.
 * @soc: the SoC.
 * @i: 0 to dk_soc_nfaults() - 1.
 *
 * Return: the fault, valid until the next fault is recorded or
 * dk_soc_clear_faults() (the list grows); NULL past the end or for a SoC
 * not live.
 */
const struct dk_fault *dk_soc_fault(const struct dk_soc *soc, size_t i);
/**
 * dk_soc_clear_faults() - forget the recorded faults.
 * @soc: the SoC.
 */
void dk_soc_clear_faults(struct dk_soc *soc);

/* ---- deterministic event loop and interrupts */

typedef void (*dk_event_fn)(struct dk_soc *soc, void *arg);
typedef void (*dk_irq_handler)(int irq, void *arg);

/**
 * dk_soc_now() - the current simulated time.
 * @soc: the SoC.
 *
 * Return: cycles since the SoC was made; 0 for a SoC not live.
 */
u64 dk_soc_now(const struct dk_soc *soc);

/**
 * dk_soc_schedule() - run a function later in simulated time. Events due
 * at the same time run in the order they were scheduled.
 * @soc: the SoC.
 * @delay: cycles from now.
 * @fn: called as @fn(@soc, @arg) from the event loop.
 * @arg: its argument.
 *
 * Return: 0 or -EINVAL (@fn NULL, a SoC not live) / -ENOMEM.
 */
int dk_soc_schedule(struct dk_soc *soc, u64 delay, dk_event_fn fn, void *arg);

/**
 * dk_soc_step() - run the next event, advancing the time to it.
 * @soc: the SoC.
 *
 * Return: 1 if one ran, 0 when idle (or for a SoC not live).
 */
int dk_soc_step(struct dk_soc *soc);

/**
 * dk_soc_run() - run events until none is left or a limit is reached.
 * @soc: the SoC.
 * @max_events: the most to run; 0 = no limit.
 *
 * Return: the number of events run.
 */
u64 dk_soc_run(struct dk_soc *soc, u64 max_events);

/*
 * Threaded mode, for stress: dk_soc_start_thread() runs the event loop on
 * a host thread of its own, concurrently with the driver's threads, each
 * event as soon as it is scheduled (simulated time still orders them).
 * Results are no longer reproducible run to run; that is the point.
 * dk_soc_stop_thread() waits for the queue to drain and stops it.
 */
/**
 * dk_soc_start_thread() - run the event loop on a thread of its own.
 * @soc: the SoC.
 *
 * Return: 0, -EBUSY (already running), -EAGAIN (no thread) or -EINVAL
 * for a SoC not live.
 */
int dk_soc_start_thread(struct dk_soc *soc);
/**
 * dk_soc_stop_thread() - wait for the queue to drain and stop the thread.
 * @soc: the SoC; NULL, or one without a thread, does nothing.
 *
 * Context: blocks until the event thread has joined.
 */
void dk_soc_stop_thread(struct dk_soc *soc);

#define DK_MAX_IRQ 256
/**
 * dk_soc_request_irq() - call a handler when a model raises a line.
 * @soc: the SoC.
 * @irq: 0 to DK_MAX_IRQ - 1.
 * @handler: called as @handler(@irq, @arg) from the event loop.
 * @arg: its argument.
 *
 * Return: 0, -EINVAL for an irq outside 0..DK_MAX_IRQ-1, a NULL handler
 * or a SoC not live, -EBUSY if the line already has a handler.
 */
int dk_soc_request_irq(struct dk_soc *soc, int irq, dk_irq_handler handler,
		       void *arg);
/**
 * dk_soc_free_irq() - remove a line's handler.
 * @soc: the SoC.
 * @irq: the line; out of range does nothing.
 */
void dk_soc_free_irq(struct dk_soc *soc, int irq);

/**
 * dk_soc_raise_irq() - a model signals a line. The handler runs from the
 * event loop one cycle later (interrupt latency); an unhandled irq is
 * counted.
 * @soc: the SoC.
 * @irq: the line; out of range does nothing.
 */
void dk_soc_raise_irq(struct dk_soc *soc, int irq);
/**
 * dk_soc_spurious_irqs() - how many raised lines had no handler.
 * @soc: the SoC.
 *
 * Return: the count, 0 for a SoC not live.
 */
u64 dk_soc_spurious_irqs(const struct dk_soc *soc);

#ifdef __cplusplus
}
#endif

#endif
