/* SPDX-License-Identifier: MIT */
/*
 * The Linux-host platform: one PCI device of this machine driven from
 * userspace through VFIO, under the same DMA API as the simulator. The
 * device's IOMMU is VFIO's; the IOVAs are dmakit's own (iommu-dma's
 * allocator, inside VFIO's valid ranges and the device's DMA mask).
 * dmakit's own allocations (kmalloc, pages, coherent, pools) come from an
 * arena of pinned memory; its "physical" addresses are offsets into that
 * arena from DK_HOST_RAM_BASE, meaningful to dmakit only. x86 is
 * coherent: the cache ops do nothing.
 *
 * Boot a machine on it with dk_machine_opts.iommu_dma set; its one device
 * is named by the PCI address and matches the compatible
 * "pciVVVV,DDDD" (vendor, device, lower-case hex). Its interrupt is
 * DK_HOST_IRQ_BASE (MSI vector 0, or INTx: dk_host_opts.intx); a driver
 * that wants more vectors (MSI-X) allocates them with
 * dk_host_alloc_irq_vectors(), as pci_alloc_irq_vectors() in Linux.
 * Each vector is an eventfd, delivered to the request_irq() handler of
 * its irq while the CPU idles (the platform's cpu_idle op polls them).
 */
#ifndef DMAKIT_HOST_H
#define DMAKIT_HOST_H

#include <dmakit/platform.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where the arena's pseudo-physical addresses start (inside 32 bits, so
 * GFP_DMA32 allocations are served). */
#define DK_HOST_RAM_BASE 0x40000000ULL
/* Program memory dmakit did not allocate (malloc, mmap, hugepages) is
 * mapped on demand; its "physical" address is its virtual address plus
 * this, above every arena. */
#define DK_HOST_USER_BASE (1ULL << 48)
/* How much virtual address space that window covers (x86-64's lower
 * half). */
#define DK_HOST_USER_SPAN (1ULL << 47)
/* The interrupt number of vector 0 (request_irq(dev->irq, ...)); vector
 * N is DK_HOST_IRQ_BASE + N. */
#define DK_HOST_IRQ_BASE 32

/* The kinds of interrupt dk_host_alloc_irq_vectors() may enable (the
 * values of Linux's PCI_IRQ_INTX, PCI_IRQ_MSI and PCI_IRQ_MSIX). */
#define DK_HOST_IRQ_INTX (1u << 0)
#define DK_HOST_IRQ_MSI (1u << 1)
#define DK_HOST_IRQ_MSIX (1u << 2)

enum dk_host_backend {
	/* iommufd when /dev/iommu and the device's cdev exist and this
	 * process may open both, else type1 */
	DK_HOST_AUTO,
	DK_HOST_TYPE1,		/* /dev/vfio/vfio container + group */
	DK_HOST_IOMMUFD,	/* /dev/iommu + /dev/vfio/devices/vfioN */
};

/**
 * struct dk_host_opts - how dk_platform_host() opens the device. Zero it
 * for the defaults.
 */
struct dk_host_opts {
	/** @backend: which VFIO interface to use */
	enum dk_host_backend backend;
	/** @arena_size: bytes of pinned memory for dmakit's allocations;
	 * 0 = 32 MiB */
	size_t arena_size;
	/** @map_cache: map the arena for the device once, at its first
	 * map (read and write, below the mask then in force), and serve
	 * every later streaming map of arena memory (kmalloc, pages) from
	 * that mapping with no system call (with the checker off, a map
	 * of it is the arena's IOVA plus the offset, its unmap nothing).
	 * The price: an unmapped or TO_DEVICE buffer of the arena stays
	 * writable for the device.
	 * Program memory (malloc, mmap) is cached by page range, each
	 * region one MAP_DMA: when type1's dma_entry_limit is reached,
	 * regions no map uses are unmapped, least recently used first. A
	 * region whose address got other pages since (memory freed and
	 * reused) is never served: each hit on memory the program did not
	 * register (dk_host_mem_register()) checks its page frames in
	 * /proc/self/pagemap, a system call about as dear as the MAP_DMA it
	 * saves (without CAP_SYS_ADMIN the frames cannot be read and only
	 * registered memory is cached).
	 * Off: every map is its own MAP_DMA with the direction's
	 * permission, and unmap revokes it. */
	bool map_cache;
	/** @intx: deliver the interrupt through the INTx pin (eventfd,
	 * unmasked after each handler run), as for a driver that does not
	 * enable MSI; INTx is also what a device without MSI gets. Off:
	 * MSI vector 0. */
	bool intx;
};

/**
 * dk_platform_host() - open PCI device @pci_addr through VFIO and describe
 * it as a platform: its BAR 0 as the device's registers (ioremap() of
 * dev->reg), bus mastering enabled, its MSI vector 0 as dev->irq.
 * @pci_addr: e.g. "0000:00:02.0".
 * @opts: the options; NULL for the defaults.
 * @out: filled in with the ops and their context.
 *
 * Every precondition that is not met is named in dk_last_error() with
 * what to do: the device does not exist, has no IOMMU group (IOMMU off:
 * intel_iommu=on), is not bound to vfio-pci (the commands to bind it),
 * its group is not viable (another device of the group has a driver), no
 * permission on /dev/vfio/N, or RLIMIT_MEMLOCK below the arena (its
 * value and how to raise it).
 *
 * With DK_HOST_AUTO, the environment variable DMAKIT_HOST_BACKEND
 * ("type1", "iommufd" or "auto") forces the backend of a program that
 * leaves the choice to dmakit; any other value is refused with -EINVAL.
 * A forced DK_HOST_IOMMUFD that cannot be had names what is missing:
 * /dev/iommu (the kernel has no CONFIG_IOMMUFD, or iommufd.ko is not
 * loaded), the device cdev /dev/vfio/devices/vfioN (vfio built without
 * CONFIG_VFIO_DEVICE_CDEV), or the permission on either. iommufd has no
 * limit on the number of mappings; type1 has dma_entry_limit.
 *
 * Return: 0; -ENODEV (no such device, no group, wrong driver, group not
 * viable); -EACCES; -ENOMEM (memlock limit, out of memory);
 * -EOPNOTSUPP (the backend asked for is not in this kernel); -EBUSY (the
 * device is open elsewhere); -EINVAL (NULL argument, malformed address,
 * unknown backend); -EIO (a VFIO or iommufd call failed).
 */
int dk_platform_host(const char *pci_addr, const struct dk_host_opts *opts,
		     struct dk_platform *out);

/**
 * dk_host_close() - close the device and free the arena. Shut the
 * machine running on it down first.
 * @pl: a platform from dk_platform_host(); NULL does nothing.
 */
void dk_host_close(struct dk_platform *pl);

/**
 * dk_host_find_pci() - the address of the first PCI device with @vendor
 * and @device, from sysfs.
 * @vendor: PCI vendor id.
 * @device: PCI device id.
 * @addr: receives "DDDD:BB:DD.F".
 * @size: size of @addr (at least 13).
 *
 * Return: 0, -ENODEV if there is none, -EINVAL for a short @addr.
 */
int dk_host_find_pci(unsigned int vendor, unsigned int device, char *addr,
		     size_t size);

/**
 * dk_host_config_read() - read @len (1, 2 or 4) bytes of the device's
 * PCI configuration space at @off.
 * @pl: the host platform.
 * @off: offset in configuration space.
 * @len: 1, 2 or 4.
 * @val: receives the value.
 *
 * Return: 0, -EINVAL (bad arguments, not a host platform), -EIO.
 */
int dk_host_config_read(const struct dk_platform *pl, unsigned int off,
			unsigned int len, u32 *val);
/**
 * dk_host_config_write() - write @len (1, 2 or 4) bytes of @val to the
 * device's PCI configuration space at @off.
 * @pl: the host platform.
 * @off: offset in configuration space.
 * @len: 1, 2 or 4.
 * @val: the value.
 *
 * Return: 0, -EINVAL (bad arguments, not a host platform), -EIO.
 */
int dk_host_config_write(const struct dk_platform *pl, unsigned int off,
			 unsigned int len, u32 val);

/**
 * struct dk_host_stats - what the platform asked of VFIO so far.
 */
struct dk_host_stats {
	/** @backend: "type1" or "iommufd" */
	const char *backend;
	/** @map_calls: MAP_DMA system calls made */
	unsigned long map_calls;
	/** @unmap_calls: UNMAP_DMA system calls made */
	unsigned long unmap_calls;
	/** @live: mappings VFIO holds now */
	unsigned long live;
	/** @irqs: interrupts delivered to handlers */
	unsigned long irqs;
	/** @entry_limit: type1's dma_entry_limit (0: none, or unknown) */
	unsigned long entry_limit;
	/** @cache_hits: maps served by the mapping cache (map_cache) */
	unsigned long cache_hits;
	/** @evictions: cached regions of program memory unmapped to make
	 * room (type1's entry limit) or because they went stale */
	unsigned long evictions;
	/** @stale: cached regions found holding other pages than they were
	 * made for (the memory was freed and its address reused) */
	unsigned long stale;
	/** @frame_checks: hits on unregistered program memory checked
	 * against its page frames (one pread of /proc/self/pagemap each) */
	unsigned long frame_checks;
	/** @irq: how the interrupts arrive, "MSI-X", "MSI" or "INTx";
	 * NULL while no handler is set */
	const char *irq;
};

/**
 * dk_host_get_stats() - the platform's counters.
 * @pl: the host platform.
 * @st: filled in.
 *
 * Return: 0 or -EINVAL (not a host platform, NULL @st).
 */
int dk_host_get_stats(const struct dk_platform *pl, struct dk_host_stats *st);

/**
 * dk_host_mem_register() - vouch that program memory stays allocated (not
 * freed, unmapped or given back with MADV_DONTNEED) until
 * dk_host_mem_unregister(): with dk_host_opts.map_cache its maps are then
 * served from the mapping cache with no system call at all, as SPDK's
 * and DPDK's registrations do.
 * @pl: the host platform.
 * @va: program memory (malloc, mmap, hugepages; not the stack).
 * @size: bytes; the pages they touch are registered.
 *
 * Return: 0; -EINVAL (not a host platform, not program memory);
 * -ENOSPC (64 ranges registered already).
 */
int dk_host_mem_register(const struct dk_platform *pl, const void *va,
			 size_t size);
/**
 * dk_host_mem_unregister() - end a registration before freeing the
 * memory: the mapping cache's regions of it are unmapped from the device
 * at once (VFIO unpins their pages), and later maps of the address map
 * whatever memory is there then.
 * @pl: the host platform.
 * @va: as given to dk_host_mem_register().
 * @size: as given to dk_host_mem_register().
 *
 * Return: 0; -ENOENT (no such registration); -EBUSY (DMA mappings of it
 * are live: unmap them first); -EINVAL (not a host platform).
 */
int dk_host_mem_unregister(const struct dk_platform *pl, const void *va,
			   size_t size);

/**
 * dk_host_reset() - reset the device through VFIO (VFIO_DEVICE_RESET:
 * function-level, power-management or bus reset, whichever the kernel
 * found for it), then enable bus mastering again. Everything the driver
 * programmed into the device is lost.
 * @pl: the host platform.
 *
 * Return: 0; -ENOTTY if VFIO knows no way to reset this device (QEMU's
 * edu has none), with a message; -EINVAL (not a host platform); -EIO.
 */
int dk_host_reset(const struct dk_platform *pl);

/**
 * dk_host_alloc_irq_vectors() - enable between @min and @max interrupt
 * vectors of the device, as Linux's pci_alloc_irq_vectors(): MSI-X if
 * @flags allow it and the device has at least @min vectors, else MSI,
 * else the INTx pin (one vector); as many as the device has up to @max
 * (VFIO_DEVICE_GET_IRQ_INFO's count; dmakit takes at most 32). Vector N
 * is then irq dk_host_irq_vector(@pl, N), each delivered through its own
 * eventfd to the handler request_irq() gives it. Ask before any
 * request_irq() of dev->irq; a driver that never asks gets one vector
 * at its request of dev->irq (MSI, or INTx).
 * @pl: the host platform.
 * @min: fewest vectors the driver can work with (>= 1).
 * @max: most it can use (>= @min).
 * @flags: DK_HOST_IRQ_MSIX, DK_HOST_IRQ_MSI, DK_HOST_IRQ_INTX, or'ed.
 *
 * Context: may sleep (system calls); not from a handler.
 * Return: the number of vectors enabled; -ENOSPC (fewer than @min of
 * every kind allowed that the device has: the message gives the counts);
 * -EINVAL (the device has no interrupt of the kinds allowed, bad
 * arguments, not a host platform); -EBUSY (vectors, or dev->irq, are
 * enabled already); -ENOMEM; -EIO (VFIO refused).
 */
int dk_host_alloc_irq_vectors(const struct dk_platform *pl, unsigned int min,
			      unsigned int max, unsigned int flags);
/**
 * dk_host_irq_vector() - the irq number of vector @nr, as Linux's
 * pci_irq_vector().
 * @pl: the host platform.
 * @nr: the vector, below what dk_host_alloc_irq_vectors() returned (0
 * without it: dev->irq).
 *
 * Return: the irq number for request_irq(); -EINVAL (no such vector,
 * not a host platform).
 */
int dk_host_irq_vector(const struct dk_platform *pl, unsigned int nr);
/**
 * dk_host_free_irq_vectors() - disable the vectors
 * dk_host_alloc_irq_vectors() enabled, as Linux's pci_free_irq_vectors().
 * free_irq() their handlers first: a handler still set is reported as a
 * bug in the log and never called again.
 * @pl: the host platform; a platform that is not the host's is refused
 * with a message.
 */
void dk_host_free_irq_vectors(const struct dk_platform *pl);

/**
 * dk_host_raw_map() - MAP_DMA @size bytes at @vaddr to @iova directly,
 * bypassing dmakit's allocator: the baseline the benchmark compares
 * with, and the way tests build mappings the DMA API would refuse.
 * @pl: the host platform.
 * @vaddr: page-aligned memory the process owns.
 * @iova: page-aligned IOVA.
 * @size: page multiple.
 * @prot: bit 0 device may read, bit 1 device may write.
 *
 * Return: 0 or -errno from VFIO with a message (-ENOSPC names type1's
 * dma_entry_limit).
 */
int dk_host_raw_map(const struct dk_platform *pl, void *vaddr, u64 iova,
		    u64 size, int prot);
/**
 * dk_host_raw_unmap() - UNMAP_DMA what dk_host_raw_map() mapped.
 * @pl: the host platform.
 * @iova: the IOVA given to dk_host_raw_map().
 * @size: its size.
 *
 * Return: 0 or -errno.
 */
int dk_host_raw_unmap(const struct dk_platform *pl, u64 iova, u64 size);

#ifdef __cplusplus
}
#endif

#endif
