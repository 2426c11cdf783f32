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

#ifdef __cplusplus
extern "C" {
#endif

struct device_driver;
struct dma_coherent_mem;
struct dk_cma;
struct dk_devres;
struct iommu_domain;
struct dk_iova_space;

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
	const char *dma_master;		/* node path of the bus master that
					 * performs this device's DMA */
	struct device *next_child;	/* the machine's list of children */
	const char *iommu;		/* "iommus" target node, or NULL */
	struct iommu_domain *iommu_domain;	/* attached domain, or NULL */
	struct dk_iova_space *iova;	/* iommu-dma: the DMA API maps here */
	const struct dma_map_ops *dma_ops;	/* backend; NULL: direct */
	u64 _dma_mask;
	struct device_dma_parameters _dma_parms;
	struct dk_devres *devres;
	bool dead;			/* unbound: DMA must have stopped */
	bool hw_coherence_differs;	/* seen by the checker: tree is wrong */
	bool unbound_reported;		/* dk_driver_report_unbound said so */
};

struct of_device_id {
	const char *compatible;
	const void *data;
};

struct device_driver {
	const char *name;
	const struct of_device_id *of_match_table;	/* ends with {NULL} */
	int (*probe)(struct device *dev);
	void (*remove)(struct device *dev);
	/* dmakit */
	struct dk_machine *machine;
	struct device_driver *next;
};

/*
 * Every function in dmakit that takes a struct device refuses NULL and a
 * device that is not live (its machine was shut down, or it was
 * unregistered) without touching it: it returns its error value (-EINVAL
 * or -ENODEV, NULL, 0, false or DMA_MAPPING_ERROR, as its contract says)
 * and leaves a message in dk_last_error(); void functions print it too.
 *
 * dev_name - the device's node path; "(NULL device)" for NULL and
 * "(device not live)" for a device whose machine was shut down.
 */
const char *dev_name(const struct device *dev);

/*
 * dev_get_drvdata/dev_set_drvdata - the driver's private pointer. NULL or
 * a device that is not live: get returns NULL, set does nothing; both
 * leave a message in dk_last_error() (set also prints it).
 */
void *dev_get_drvdata(const struct device *dev);
void dev_set_drvdata(struct device *dev, void *data);

/*
 * driver_register - register @drv with the current machine and bind it to
 * every unbound device one of whose compatible strings its table lists
 * (the node's most specific string that matches picks the entry, as in
 * Linux). Returns 0, -EINVAL (NULL
 * driver, no name or no probe), -EBUSY (already registered) or -ENODEV
 * (no current machine). A probe failure leaves that device unbound.
 */
int driver_register(struct device_driver *drv);

/*
 * dk_driver_report_unbound - say, once per device over the machine's
 * life, which devices of @m's tree no driver has bound, naming their
 * compatible strings ("no driver bound (compatible "acme,copier",
 * "dmakit,m2m-dma")", dev_info): the answer when a driver_register()
 * bound nothing because its table matches none of the strings. Returns
 * how many devices are unbound now, or -EINVAL for NULL.
 */
int dk_driver_report_unbound(struct dk_machine *m);

/* driver_unregister - unbind @drv from all its devices and forget it. */
void driver_unregister(struct device_driver *drv);

/*
 * device_bind_driver - bind @drv to @dev explicitly (matching skipped).
 * Returns probe's result, -EBUSY if @dev has a driver, -EINVAL for NULL.
 */
int device_bind_driver(struct device *dev, struct device_driver *drv);

/*
 * device_release_driver - unbind: call remove, release devres in reverse
 * order, report DMA allocations the driver leaked (dma-debug), and mark the
 * device so DMA after unbind is caught.
 */
void device_release_driver(struct device *dev);

/*
 * device_create_child - a device a driver creates at run time (a USB
 * host controller under its glue, say): no tree node, so no DMA
 * configuration of its own: 32-bit masks, not coherent, no dma-ranges,
 * exactly what Linux gives such a device. Its DMA is performed by the
 * parent's bus master. It is bound to a registered driver whose table
 * matches @compatible (NULL: none). Returns the device or NULL
 * (-EINVAL/-ENOMEM in dk_last_error()).
 */
struct device *device_create_child(struct device *parent, const char *name,
				   const char *compatible);

/*
 * device_unregister - unbind and free a device from device_create_child().
 * Children still registered go at their parent's machine shutdown.
 */
void device_unregister(struct device *dev);

/*
 * dk_of_dma_configure - configure @dev's DMA from @node's tree node, as
 * Linux's of_dma_configure(dev, node->of_node, true) does: coherence,
 * dma-ranges (and the bus limit they imply), per-device coherent pool and
 * CMA area. Masks are left as they are. This is the fix of talk 000's
 * "DMA configuration inheritance". Returns 0 or -EINVAL.
 */
int dk_of_dma_configure(struct device *dev, const struct device *node);

/* of_device_get_match_data - data of the matching of_device_id entry. */
const void *of_device_get_match_data(const struct device *dev);

/* Managed resources: released when the driver unbinds. */
void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp);
void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp);
void devm_kfree(struct device *dev, const void *p);
/* Run @action(@data) at unbind. 0 or -ENOMEM. */
int devm_add_action(struct device *dev, void (*action)(void *), void *data);

/* dev_err/dev_warn/dev_info: print with the device's name. */
void dev_printk(const char *level, const struct device *dev,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define dev_err(dev, ...) dev_printk("err", dev, __VA_ARGS__)
#define dev_warn(dev, ...) dev_printk("warn", dev, __VA_ARGS__)
#define dev_info(dev, ...) dev_printk("info", dev, __VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif
