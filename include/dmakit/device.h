/* SPDX-License-Identifier: MIT */
/*
 * The driver model: struct device for every device-tree node, drivers
 * matched by compatible, probe/remove at bind/unbind, and devres (managed
 * resources released at unbind). Linux names and semantics; a driver's
 * probe takes the struct device directly (there are no bus types).
 */
#ifndef DMAKIT_DEVICE_H
#define DMAKIT_DEVICE_H

#include <dmakit/machine.h>
#include <dmakit/types.h>

/* Linux's kernel-internal "a resource is not there yet: probe later". */
#ifndef EPROBE_DEFER
#define EPROBE_DEFER	517
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct device_driver;
struct dma_coherent_mem;
struct dk_cma;
struct dk_devres;
struct iommu_domain;
struct dk_iova_space;
struct device_node;
struct module;
struct dev_pm_ops;
struct iommu_group;
struct dk_iommu_dma;

struct device_dma_parameters {
	unsigned int max_segment_size;
	unsigned int min_align_mask;
	unsigned long segment_boundary_mask;
};

struct device {
	const char *init_name;		/* node path */
	/* the node's compatible strings, most specific first, each
	 * NUL-terminated, the list ending with an empty string (so as a C
	 * string it is the most specific one) */
	const char *compatible;
	int irq;
	phys_addr_t reg;
	u64 reg_size;
	struct dk_machine *machine;
	struct device_driver *driver;
	void *driver_data;

	/* DMA configuration, as Linux keeps it. */
	u64 *dma_mask;
	u64 coherent_dma_mask;
	u64 bus_dma_limit;		/* from dma-ranges; 0 = none */
	bool dma_coherent;
	int n_dma_ranges;
	const struct dk_dma_range *dma_range_map;
	struct device_dma_parameters *dma_parms;
	struct dma_coherent_mem *dma_mem;	/* per-device coherent pool */
	struct dk_cma *cma_area;		/* per-device CMA */

	/* dmakit */
	struct device *parent;		/* NULL for devices of the tree */
	u32 iommu_stream;		/* first "iommus" argument */
	struct iommu_group *iommu_group;	/* iommu_group_get(), lazily */
	const char *dma_master;		/* node path of the bus master that
					 * performs this device's DMA */
	struct device *next_child;	/* the machine's list of children */
	const char *iommu;		/* "iommus" target node, or NULL */
	int dk_n_dmas;			/* "dmas" / "dma-names" entries */
	const struct dk_dma_spec *dk_dmas;
	struct iommu_domain *iommu_domain;	/* attached domain, or NULL */
	struct dk_iommu_dma *iommu_dma;	/* iommu-dma state, or NULL */
	const struct dma_map_ops *dma_ops;	/* backend; NULL: direct */
	u64 _dma_mask;
	struct device_dma_parameters _dma_parms;
	struct dk_devres *devres;
	/* an external or hostile device, as Linux's PCI untrusted: behind
	 * an IOMMU its streaming buffers that share a page with other
	 * memory are bounced, so it sees none of their neighbours */
	bool untrusted;
	bool dead;			/* unbound: DMA must have stopped */
	bool hw_coherence_differs;	/* seen by the checker: tree is wrong */
	/* direct backend, no dma-ranges, no forced bounce, bound or never
	 * bound: a streaming map needs no more than a translation and the
	 * cache work (set by the library whenever one of those changes;
	 * never write it) */
	bool dk_dma_plain;
	bool unbound_reported;		/* dk_driver_report_unbound said so */
	unsigned long dk_bind_seq;	/* when its driver bound, for teardown */

	/* Linux's, for driver code (<linux/device.h>, <linux/of.h>). */
	struct device_node *of_node;	/* the tree node; NULL if none */
	void *platform_data;
	/* called by the last put_device() of a device_initialize()d one */
	void (*release)(struct device *dev);
	int dk_refs;			/* device_initialize(): references */
	bool dk_bare;			/* device_initialize()d by its owner */
	bool dk_added;			/* device_add()ed and not deleted */
	bool dk_deferred;		/* its probe said -EPROBE_DEFER */
};

/**
 * struct of_device_id - one entry of a driver's match table.
 */
struct of_device_id {
	/** @compatible: the compatible string it binds to; NULL ends the
	 * table */
	const char *compatible;
	/** @data: what of_device_get_match_data() returns for it */
	const void *data;
};

/**
 * struct device_driver - a driver, filled in by its author and given to
 * driver_register().
 */
struct device_driver {
	/** @name: for messages and dk_dma_debug_set_driver_filter(); required */
	const char *name;
	/** @of_match_table: the compatible strings it binds to, ending with
	 * an entry whose compatible is NULL */
	const struct of_device_id *of_match_table;
	/** @probe: binds a device: 0, or -errno to leave it unbound; required */
	int (*probe)(struct device *dev);
	/** @remove: unbinds it (before devres is released); optional */
	void (*remove)(struct device *dev);
	/* Linux's, accepted for driver code; nothing reads them. */
	struct module *owner;
	const struct dev_pm_ops *pm;
	const void *acpi_match_table;
	bool suppress_bind_attrs;
	int probe_type;
	/** @shutdown: quiesces it before the system goes away (reboot, kexec:
	 * see dk_machine_kexec()), where remove is not called; optional */
	void (*shutdown)(struct device *dev);
	/* dmakit */
	struct dk_machine *machine;
	struct device_driver *next;
	struct device_driver *dk_builtin_next;	/* bound at every boot */
};

/*
 * Every function in dmakit that takes a struct device refuses NULL and a
 * device that is not live (its machine was shut down, or it was
 * unregistered) without touching it: it returns its error value (-EINVAL
 * or -ENODEV, NULL, 0, false or DMA_MAPPING_ERROR, as its contract says)
 * and leaves a message in dk_last_error(); void functions print it too.
 */
/**
 * dev_name() - the device's name for messages.
 * @dev: a device, or NULL.
 *
 * Return: its node path (or the name given to device_create_child());
 * "(NULL device)" for NULL and "(device not live)" for a device whose
 * machine was shut down. Never NULL.
 */
const char *dev_name(const struct device *dev);

/**
 * dev_get_drvdata() - the driver's private pointer.
 * @dev: a live device.
 *
 * Return: what dev_set_drvdata() stored (NULL after unbind); NULL for NULL
 * or a device that is not live, with a message in dk_last_error().
 */
void *dev_get_drvdata(const struct device *dev);
/**
 * dev_set_drvdata() - store the driver's private pointer.
 * @dev: a live device; NULL or a device that is not live is refused with
 *       a printed message.
 * @data: the pointer; dmakit never frees it.
 */
void dev_set_drvdata(struct device *dev, void *data);

/**
 * driver_register() - register a driver with the current machine and bind
 * it to every unbound device one of whose compatible strings its table
 * lists (the node's most specific string that matches picks the entry, as
 * in Linux).
 * @drv: the driver; it must stay valid until driver_unregister().
 *
 * Context: may call @drv's probe for each matching device, on this thread.
 * A probe that returns -EPROBE_DEFER (517) is tried again whenever
 * another device binds, as Linux's deferred probing does.
 * Return: 0 (a probe failure leaves that device unbound and is not an
 * error here; it is printed, "probe of NAME failed with error N"), -EINVAL (NULL driver, no name or no probe), -EBUSY
 * (already registered) or -ENODEV (no current machine).
 */
int driver_register(struct device_driver *drv);

/**
 * dk_driver_report_unbound() - say, once per device over the machine's
 * life, which devices of the tree no driver has bound, naming their
 * compatible strings ("no driver bound (compatible "acme,copier",
 * "dmakit,m2m-dma")", dev_info): the answer when a driver_register()
 * bound nothing because its table matches none of the strings.
 * @m: a live machine.
 *
 * Return: how many devices are unbound now, or -EINVAL for NULL.
 */
int dk_driver_report_unbound(struct dk_machine *m);

/**
 * driver_unregister() - unbind a driver from all its devices (as
 * device_release_driver()) and forget it.
 * @drv: a registered driver; NULL or one never registered does nothing.
 */
void driver_unregister(struct device_driver *drv);

/**
 * device_bind_driver() - bind a driver to a device explicitly, matching
 * skipped, and probe it.
 * @dev: a live device without a driver.
 * @drv: a driver with a probe.
 *
 * Return: probe's result (0 when bound), -EBUSY if @dev has a driver,
 * -EINVAL for NULL, a dead device or a driver without probe.
 */
int device_bind_driver(struct device *dev, struct device_driver *drv);

/**
 * device_release_driver() - unbind: call remove, release devres in reverse
 * order, report DMA allocations the driver leaked (dma-debug), and mark
 * the device so DMA after unbind is caught.
 * @dev: a device; NULL or one without a driver does nothing.
 */
void device_release_driver(struct device *dev);

/**
 * device_create_child() - a device a driver creates at run time (a USB
 * host controller under its glue, say): no tree node, so no DMA
 * configuration of its own: 32-bit masks, not coherent, no dma-ranges,
 * exactly what Linux gives such a device. Its DMA is performed by the
 * parent's bus master.
 * @parent: a live device.
 * @name: its name (dev_name()); copied.
 * @compatible: bound to a registered driver whose table matches it; NULL
 *              for none.
 *
 * Return: the device (free it with device_unregister(), or leave it to
 * the machine's shutdown) or NULL (-EINVAL/-ENOMEM in dk_last_error()).
 */
struct device *device_create_child(struct device *parent, const char *name,
				   const char *compatible);

/**
 * device_unregister() - unbind and free a device from
 * device_create_child(). Children still registered go at their parent's
 * machine shutdown.
 * @dev: the child; a device of the tree, or one not live, is refused with
 *       a message.
 */
void device_unregister(struct device *dev);

/**
 * dk_of_dma_configure() - configure a device's DMA from another device's
 * tree node, as Linux's of_dma_configure(dev, node->of_node, true) does:
 * coherence, dma-ranges (and the bus limit they imply), per-device
 * coherent pool and CMA area. Masks are left as they are. This is the fix
 * of "DMA configuration inheritance" in the barebox DMA talk.
 * @dev: the device to configure, typically a device_create_child().
 * @node: the device whose tree node describes the DMA.
 *
 * Return: 0 or -EINVAL (NULL or dead devices, @node not a device of the
 * tree).
 */
int dk_of_dma_configure(struct device *dev, const struct device *node);

/**
 * of_device_get_match_data() - the data of the of_device_id entry that
 * bound the device's driver.
 * @dev: a bound device.
 *
 * Return: that entry's data, or NULL for NULL, an unbound device or an
 * entry without data.
 */
const void *of_device_get_match_data(const struct device *dev);

/*
 * Managed resources: released when the driver unbinds, newest first.
 */
/**
 * devm_kmalloc() - kmalloc() freed when the driver unbinds.
 * @dev: a live device.
 * @size: as for kmalloc().
 * @gfp: as for kmalloc().
 *
 * Return: the object, or NULL for a NULL or dead device (-EINVAL,
 * -ENODEV) or as kmalloc() fails.
 */
void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp);
/**
 * devm_kzalloc() - devm_kmalloc() zeroed.
 * @dev: as for devm_kmalloc().
 * @size: as for devm_kmalloc().
 * @gfp: as for devm_kmalloc().
 *
 * Return: as devm_kmalloc().
 */
void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp);
/**
 * devm_kfree() - free a devm_kmalloc() object before unbind.
 * @dev: the device it was allocated for; NULL or dead does nothing.
 * @p: the object; NULL does nothing, anything that is not a managed
 *     allocation of @dev is warned about and not freed.
 */
void devm_kfree(struct device *dev, const void *p);
/**
 * devm_add_action() - run a function when the driver unbinds.
 * @dev: a live device.
 * @action: called with @data at unbind (or device_release_driver()).
 * @data: its argument.
 *
 * Return: 0, -EINVAL for a NULL or dead device or NULL @action, -ENOMEM.
 */
int devm_add_action(struct device *dev, void (*action)(void *), void *data);

/**
 * dev_printk() - print a message with the device's name to the kernel log
 * (dk_log_output()): "LEVEL NAME: message".
 * @level: a word such as "err"; NULL prints none.
 * @dev: the device, or NULL (named as dev_name() does).
 * @fmt: printf format; NULL prints "(NULL format)".
 * @...: its arguments.
 */
void dev_printk(const char *level, const struct device *dev,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/**
 * dev_err() - dev_printk() at level "err".
 * @dev: the device.
 * @...: the format and its arguments.
 */
#define dev_err(dev, ...) dev_printk("err", dev, __VA_ARGS__)
/**
 * dev_warn() - dev_printk() at level "warn".
 * @dev: the device.
 * @...: the format and its arguments.
 */
#define dev_warn(dev, ...) dev_printk("warn", dev, __VA_ARGS__)
/**
 * dev_info() - dev_printk() at level "info".
 * @dev: the device.
 * @...: the format and its arguments.
 */
#define dev_info(dev, ...) dev_printk("info", dev, __VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif
