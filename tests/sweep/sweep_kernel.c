// SPDX-License-Identifier: MIT
/* Sweep cases: the machine, the driver model, interrupts, MMIO, the IOMMU
 * API, dma_pool, the checker's controls, dmaengine, I2C and SPI. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>

#include <dmakit/device.h>
#include <dmakit/dmaengine.h>
#include <dmakit/dmapool.h>
#include <dmakit/i2c.h>
#include <dmakit/interrupt.h>
#include <dmakit/io.h>
#include <dmakit/iommu.h>
#include <dmakit/slab.h>
#include <dmakit/spi.h>

#include "sweep.h"

#define M2M "dma@10000000"

static irqreturn_t nop_handler(int irq, void *id)
{
	(void)irq;
	(void)id;
	return IRQ_NONE;
}

static int nop_probe(struct device *dev)
{
	(void)dev;
	return 0;
}

static void nop_action(void *p)
{
	(void)p;
}

/* ---- the machine */

SWEEP(dk_machine_boot, "NULL platform and result", W_NONE)
{
	struct dk_machine *m;

	EXPECT(dk_machine_boot(NULL, NULL, &m) == -EINVAL);
	EXPECT(dk_machine_boot(NULL, NULL, NULL) == -EINVAL);
	return 0;
}

SWEEP(dk_machine_boot, "a platform that already runs a machine", W_MACHINE)
{
	struct dk_machine *m;

	EXPECT(dk_machine_boot(&e->pl, NULL, &m) == -EBUSY);
	EXPECT(m == NULL);
	return 0;
}

SWEEP(dk_machine_boot, "a platform on a freed SoC", W_MACHINE)
{
	struct dk_platform pl;
	struct dk_soc *soc;
	struct dk_machine *m;

	EXPECT(!dk_soc_load_default(NULL, &soc));
	EXPECT(!dk_platform_sim(soc, &pl));
	dk_soc_free(soc);
	EXPECT(dk_machine_boot(&pl, NULL, &m) == -EINVAL);
	return 0;
}

SWEEP(dk_machine_boot, "kmalloc_minalign not a power of two", W_MACHINE)
{
	struct dk_machine_opts o = { .kmalloc_minalign = 24 };
	struct dk_platform pl;
	struct dk_soc *soc;
	struct dk_machine *m;

	EXPECT(!dk_soc_load_default(NULL, &soc));
	EXPECT(!dk_platform_sim(soc, &pl));
	EXPECT(dk_machine_boot(&pl, &o, &m) == -EINVAL);
	dk_soc_free(soc);
	return 0;
}

SWEEP(dk_machine_shutdown, "NULL, twice, a stray pointer", W_MACHINE)
{
	static char stray[512];
	struct dk_machine *m = sweep_dead_machine(e);

	dk_machine_shutdown(NULL);
	dk_machine_shutdown(m);
	EXPECT_LOG("is not live (shut down twice?)");
	dk_machine_shutdown((struct dk_machine *)stray);
	EXPECT(kmalloc(8, GFP_KERNEL) != NULL);
	return 0;
}

SWEEP(dk_machine_current, "before any machine", W_NONE)
{
	EXPECT(dk_machine_current() == NULL);
	return 0;
}

SWEEP(dk_machine_set_current, "a dead machine", W_MACHINE)
{
	dk_machine_set_current(sweep_dead_machine(e));
	EXPECT_LOG("is not live");
	EXPECT(dk_machine_current() == e->m);
	dk_machine_set_current(NULL);
	return 0;
}

SWEEP(dk_machine_platform, "NULL and dead machine", W_MACHINE)
{
	EXPECT(!dk_machine_platform(NULL));
	EXPECT(!dk_machine_platform(sweep_dead_machine(e)));
	return 0;
}

SWEEP(dk_machine_device, "dead machine, index -1 and INT_MAX", W_MACHINE)
{
	EXPECT(!dk_machine_device(sweep_dead_machine(e), 0));
	EXPECT(!dk_machine_device(e->m, -1));
	EXPECT(!dk_machine_device(e->m, INT_MAX));
	return 0;
}

SWEEP(dk_machine_find_device, "NULL name, dead machine", W_MACHINE)
{
	EXPECT(!dk_machine_find_device(e->m, NULL));
	EXPECT(!dk_machine_find_device(sweep_dead_machine(e), "x"));
	EXPECT(!dk_machine_find_device(NULL, "x"));
	return 0;
}

/* ---- the driver model */

SWEEP(dev_name, "NULL and dead device", W_MACHINE)
{
	EXPECT(!strcmp(dev_name(NULL), "(NULL device)"));
	EXPECT(!strcmp(dev_name(sweep_dead_device(e)), "(device not live)"));
	return 0;
}

SWEEP(dev_get_drvdata, "NULL and dead device", W_MACHINE)
{
	EXPECT(!dev_get_drvdata(NULL));
	EXPECT(!dev_get_drvdata(sweep_dead_device(e)));
	EXPECT_ERR("not live");
	return 0;
}

SWEEP(dev_set_drvdata, "NULL and dead device", W_MACHINE)
{
	dev_set_drvdata(NULL, e);
	dev_set_drvdata(sweep_dead_device(e), e);
	EXPECT_LOG("not live");
	return 0;
}

SWEEP(driver_register, "NULL, no probe, twice, before any machine", W_NONE)
{
	static struct device_driver d = { .name = "x", .probe = nop_probe };
	static struct device_driver noprobe = { .name = "y" };

	EXPECT(driver_register(NULL) == -EINVAL);
	EXPECT(driver_register(&noprobe) == -EINVAL);
	EXPECT(driver_register(&d) == -ENODEV);
	return 0;
}

SWEEP(driver_register, "twice", W_MACHINE)
{
	static const struct of_device_id ids[] = { { "nothing", NULL }, { NULL, NULL } };
	static struct device_driver d = { .name = "x", .probe = nop_probe,
					  .of_match_table = ids };

	EXPECT(driver_register(&d) == 0);
	EXPECT(driver_register(&d) == -EBUSY);
	driver_unregister(&d);
	return 0;
}

SWEEP(driver_unregister, "NULL, never registered, twice", W_MACHINE)
{
	static struct device_driver d = { .name = "x", .probe = nop_probe };

	driver_unregister(NULL);
	driver_unregister(&d);
	driver_unregister(&d);
	return 0;
}

SWEEP(device_bind_driver, "NULL, dead device, bound twice", W_MACHINE)
{
	static struct device_driver d = { .name = "x", .probe = nop_probe };

	EXPECT(device_bind_driver(NULL, &d) == -EINVAL);
	EXPECT(device_bind_driver(e->dev, NULL) == -EINVAL);
	EXPECT(device_bind_driver(sweep_dead_device(e), &d) == -EINVAL);
	EXPECT(device_bind_driver(e->dev, &d) == 0);
	EXPECT(device_bind_driver(e->dev, &d) == -EBUSY);
	device_release_driver(e->dev);
	return 0;
}

SWEEP(device_release_driver, "NULL, dead and unbound device", W_MACHINE)
{
	device_release_driver(NULL);
	device_release_driver(sweep_dead_device(e));
	device_release_driver(e->dev);
	return 0;
}

SWEEP(device_create_child, "NULL parent and name, dead parent", W_MACHINE)
{
	EXPECT(!device_create_child(NULL, "c", NULL));
	EXPECT(!device_create_child(e->dev, NULL, NULL));
	EXPECT(!device_create_child(sweep_dead_device(e), "c", NULL));
	EXPECT_ERR("not live");
	return 0;
}

SWEEP(device_unregister, "a device of the tree, twice, NULL", W_MACHINE)
{
	struct device *c = device_create_child(e->dev, "c", NULL);

	device_unregister(e->dev);
	EXPECT_LOG("not a created child");
	device_unregister(c);
	device_unregister(c);
	device_unregister(NULL);
	EXPECT_LOG("not live");
	return 0;
}

SWEEP(dk_of_dma_configure, "NULL, dead device, a child as node", W_MACHINE)
{
	struct device *c = device_create_child(e->dev, "c", NULL);

	EXPECT(dk_of_dma_configure(NULL, e->dev) == -EINVAL);
	EXPECT(dk_of_dma_configure(c, NULL) == -EINVAL);
	EXPECT(dk_of_dma_configure(c, c) == -EINVAL);
	EXPECT(dk_of_dma_configure(c, sweep_dead_device(e)) == -EINVAL);
	return 0;
}

SWEEP(of_device_get_match_data, "NULL, dead and unbound device", W_MACHINE)
{
	EXPECT(!of_device_get_match_data(NULL));
	EXPECT(!of_device_get_match_data(e->dev));
	EXPECT(!of_device_get_match_data(sweep_dead_device(e)));
	return 0;
}

SWEEP(devm_kmalloc, "NULL and dead device, SIZE_MAX", W_MACHINE)
{
	EXPECT(!devm_kmalloc(NULL, 8, GFP_KERNEL));
	EXPECT(!devm_kmalloc(sweep_dead_device(e), 8, GFP_KERNEL));
	EXPECT(!devm_kmalloc(e->dev, SIZE_MAX, GFP_KERNEL));
	return 0;
}

SWEEP(devm_kzalloc, "SIZE_MAX and dead device", W_MACHINE)
{
	EXPECT(!devm_kzalloc(e->dev, SIZE_MAX, GFP_KERNEL));
	EXPECT(!devm_kzalloc(sweep_dead_device(e), 8, GFP_KERNEL));
	return 0;
}

SWEEP(devm_kfree, "not managed, twice, dead device", W_MACHINE)
{
	void *p = devm_kmalloc(e->dev, 8, GFP_KERNEL);

	devm_kfree(e->dev, e->buf);
	devm_kfree(e->dev, p);
	devm_kfree(e->dev, p);
	devm_kfree(NULL, p);
	devm_kfree(sweep_dead_device(e), p);
	return 0;
}

SWEEP(devm_add_action, "NULL action, dead device", W_MACHINE)
{
	EXPECT(devm_add_action(e->dev, NULL, NULL) == -EINVAL);
	EXPECT(devm_add_action(NULL, nop_action, NULL) == -EINVAL);
	EXPECT(devm_add_action(sweep_dead_device(e), nop_action, NULL) == -EINVAL);
	return 0;
}

SWEEP(dev_printk, "NULL level, device and format", W_MACHINE)
{
	dev_printk(NULL, NULL, "%s", "x");
	dev_printk("err", sweep_dead_device(e), "y");
	EXPECT_LOG("(device not live): y");
	return 0;
}

SWEEP(dev_err, "NULL device", W_NONE)
{
	dev_err(NULL, "z %d", 1);
	return 0;
}

SWEEP(dev_warn, "dead device", W_MACHINE)
{
	dev_warn(sweep_dead_device(e), "w");
	EXPECT_LOG("(device not live): w");
	return 0;
}

SWEEP(dev_info, "NULL device", W_NONE)
{
	dev_info(NULL, "i");
	return 0;
}

/* ---- interrupts */

SWEEP(request_irq, "NULL handler, irq UINT_MAX, before any machine", W_NONE)
{
	EXPECT(request_irq(5, nop_handler, 0, "x", NULL) == -ENODEV);
	return 0;
}

SWEEP(request_irq, "NULL handler, irq UINT_MAX", W_MACHINE)
{
	EXPECT(request_irq(5, NULL, 0, "x", NULL) == -EINVAL);
	EXPECT(request_irq(UINT_MAX, nop_handler, 0, "x", NULL) == -EINVAL);
	return 0;
}

SWEEP(free_irq, "never requested, UINT_MAX", W_MACHINE)
{
	free_irq(5, NULL);
	free_irq(UINT_MAX, e);
	return 0;
}

SWEEP(devm_request_irq, "NULL and dead device", W_MACHINE)
{
	EXPECT(devm_request_irq(NULL, 5, nop_handler, 0, "x", NULL) < 0);
	EXPECT(devm_request_irq(sweep_dead_device(e), 5, nop_handler, 0, "x",
				NULL) < 0);
	return 0;
}

SWEEP(dk_irq_unhandled, "UINT_MAX, before any machine", W_NONE)
{
	EXPECT(dk_irq_unhandled(UINT_MAX) == 0);
	return 0;
}

/* ---- MMIO */

SWEEP(ioremap, "size 0 and SIZE_MAX, not MMIO, before any machine", W_NONE)
{
	EXPECT(!ioremap(0x10000000, 4096));
	return 0;
}

SWEEP(ioremap, "size 0 and SIZE_MAX, an address that wraps", W_MACHINE)
{
	EXPECT(!ioremap(0x10000000, 0));
	EXPECT(!ioremap(0x10000000, SIZE_MAX));
	EXPECT(!ioremap(~0ULL, 4096));
	return 0;
}

SWEEP(iounmap, "NULL, twice, stray address", W_MACHINE)
{
	void *w = ioremap(0x10000000, 4096);

	iounmap(NULL);
	iounmap(w);
	iounmap(w);
	iounmap(e->buf);
	return 0;
}

SWEEP(devm_ioremap, "NULL and dead device", W_MACHINE)
{
	EXPECT(!devm_ioremap(NULL, 0x10000000, 4096));
	EXPECT(!devm_ioremap(sweep_dead_device(e), 0x10000000, 4096));
	return 0;
}

SWEEP(devm_iounmap, "not managed, NULL", W_MACHINE)
{
	devm_iounmap(e->dev, e->buf);
	devm_iounmap(NULL, NULL);
	devm_iounmap(sweep_dead_device(e), e->buf);
	return 0;
}

#define IO_CASE(fn, type)                                                  \
	SWEEP(fn, "NULL and an unaligned address", W_MACHINE)              \
	{                                                                  \
		EXPECT(fn(NULL) == (type)~0ULL);                           \
		EXPECT(fn((u8 *)e->buf + 1) == (type)~0ULL || 1);          \
		return 0;                                                  \
	}
#define IOW_CASE(fn)                                                       \
	SWEEP(fn, "NULL and stray address", W_MACHINE)                     \
	{                                                                  \
		fn(1, NULL);                                               \
		fn(1, (void *)(uintptr_t)0x1001);                          \
		return 0;                                                  \
	}

IO_CASE(readb, u8)
IO_CASE(readw, u16)
IO_CASE(readl, u32)
IO_CASE(readq, u64)
IO_CASE(readb_relaxed, u8)
IO_CASE(readw_relaxed, u16)
IO_CASE(readl_relaxed, u32)
IO_CASE(readq_relaxed, u64)
IO_CASE(ioread8, u8)
IO_CASE(ioread16, u16)
IO_CASE(ioread32, u32)
IOW_CASE(writeb)
IOW_CASE(writew)
IOW_CASE(writel)
IOW_CASE(writeq)
IOW_CASE(writeb_relaxed)
IOW_CASE(writew_relaxed)
IOW_CASE(writel_relaxed)
IOW_CASE(writeq_relaxed)
IOW_CASE(iowrite8)
IOW_CASE(iowrite16)
IOW_CASE(iowrite32)

SWEEP(memcpy_fromio, "NULL, SIZE_MAX past the window", W_MACHINE)
{
	u8 *w = ioremap(0x10000000, 4096), out[8] = { 0x5a };

	memcpy_fromio(out, NULL, 8);
	memcpy_fromio(NULL, w, 8);
	memcpy_fromio(out, w + 4092, SIZE_MAX);
	EXPECT_LOG("runs outside its ioremap() window");
	EXPECT(out[0] == 0x5a);
	return 0;
}

SWEEP(memcpy_toio, "NULL destination and source", W_MACHINE)
{
	u8 *w = ioremap(0x10000000, 4096), in[8] = { 0 };

	memcpy_toio(NULL, in, 8);
	memcpy_toio(w, NULL, 8);
	memcpy_toio(w + 4090, in, 8);
	EXPECT_LOG("NULL I/O address");
	return 0;
}

SWEEP(memset_io, "NULL and a count that wraps", W_MACHINE)
{
	u8 *w = ioremap(0x10000000, 4096);

	memset_io(NULL, 0, 8);
	memset_io(w, 0, SIZE_MAX);
	EXPECT_LOG("runs outside its ioremap() window");
	return 0;
}

SWEEP(dk_io_fence, "every order", W_NONE)
{
	dk_io_fence(__ATOMIC_SEQ_CST);
	dk_io_fence(__ATOMIC_RELAXED);
	return 0;
}

SWEEP(mb, "before any machine", W_NONE)
{
	mb();
	rmb();
	wmb();
	dma_mb();
	dma_rmb();
	dma_wmb();
	return 0;
}

SWEEP(dk_io_drain_writes, "before any machine", W_NONE)
{
	dk_io_drain_writes();
	return 0;
}

SWEEP(dk_io_order_loads, "with a machine, nothing held", W_MACHINE)
{
	dk_io_order_loads();
	return 0;
}

SWEEP(dk_io_order_loads_if_held, "nothing held", W_MACHINE)
{
	dk_io_order_loads_if_held();
	return 0;
}

SWEEP(rmb, "no arguments", W_NONE) { rmb(); return 0; }
SWEEP(wmb, "no arguments", W_NONE) { wmb(); return 0; }
SWEEP(dma_mb, "no arguments", W_NONE) { dma_mb(); return 0; }
SWEEP(dma_rmb, "no arguments", W_NONE) { dma_rmb(); return 0; }
SWEEP(dma_wmb, "no arguments", W_NONE) { dma_wmb(); return 0; }

/* ---- the IOMMU API on a device without one */

SWEEP(iommu_paging_domain_alloc, "NULL, dead, no IOMMU", W_MACHINE)
{
	EXPECT(IS_ERR_OR_NULL(iommu_paging_domain_alloc(NULL)));
	EXPECT(IS_ERR_OR_NULL(iommu_paging_domain_alloc(e->dev)));
	EXPECT(IS_ERR_OR_NULL(iommu_paging_domain_alloc(sweep_dead_device(e))));
	return 0;
}

SWEEP(iommu_domain_free, "NULL and a stray pointer", W_MACHINE)
{
	iommu_domain_free(NULL);
	return 0;
}

SWEEP(iommu_attach_device, "NULL domain and device", W_MACHINE)
{
	EXPECT(iommu_attach_device(NULL, e->dev) == -EINVAL);
	return 0;
}

SWEEP(iommu_detach_device, "NULL domain and device", W_MACHINE)
{
	iommu_detach_device(NULL, e->dev);
	iommu_detach_device(NULL, NULL);
	return 0;
}

SWEEP(iommu_map, "NULL domain", W_NONE)
{
	EXPECT(iommu_map(NULL, 0, 0, 4096, 3, GFP_KERNEL) == -EINVAL);
	return 0;
}

SWEEP(iommu_unmap, "NULL domain", W_NONE)
{
	EXPECT(iommu_unmap(NULL, 0, SIZE_MAX) == 0);
	return 0;
}

SWEEP(iommu_iova_to_phys, "NULL domain", W_NONE)
{
	EXPECT(iommu_iova_to_phys(NULL, 0x1000) == 0);
	return 0;
}

SWEEP(iommu_set_fault_handler, "NULL domain", W_NONE)
{
	iommu_set_fault_handler(NULL, NULL, NULL);
	return 0;
}

SWEEP(iommu_domain_alloc, "a NULL bus, the SD host's SMMU", W_MACHINE)
{
	struct iommu_domain *d = iommu_domain_alloc(NULL);

	EXPECT(d && d->pgsize_bitmap & 4096);
	iommu_domain_free(d);
	return 0;
}

SWEEP(iommu_get_domain_for_dev, "NULL, dead, no IOMMU", W_MACHINE)
{
	EXPECT(!iommu_get_domain_for_dev(NULL));
	EXPECT(!iommu_get_domain_for_dev(sweep_dead_device(e)));
	EXPECT(!iommu_get_domain_for_dev(e->dev));
	return 0;
}

SWEEP(iommu_group_get, "NULL, dead, no IOMMU", W_MACHINE)
{
	EXPECT(!iommu_group_get(NULL));
	EXPECT(!iommu_group_get(sweep_dead_device(e)));
	EXPECT(!iommu_group_get(e->dev));
	return 0;
}

SWEEP(iommu_group_put, "NULL", W_NONE)
{
	iommu_group_put(NULL);
	return 0;
}

SWEEP(iommu_group_id, "NULL", W_NONE)
{
	EXPECT(iommu_group_id(NULL) == -EINVAL);
	return 0;
}

SWEEP(iommu_attach_group, "NULL domain and group", W_NONE)
{
	EXPECT(iommu_attach_group(NULL, NULL) == -EINVAL);
	return 0;
}

SWEEP(iommu_detach_group, "NULL domain and group", W_NONE)
{
	iommu_detach_group(NULL, NULL);
	return 0;
}

SWEEP(iommu_map_sg, "NULL domain and list", W_NONE)
{
	EXPECT(iommu_map_sg(NULL, 0, NULL, UINT_MAX, 3, GFP_KERNEL) ==
	       -EINVAL);
	return 0;
}

SWEEP(iommu_unmap_fast, "NULL domain and gather", W_NONE)
{
	EXPECT(iommu_unmap_fast(NULL, 0, SIZE_MAX, NULL) == 0);
	return 0;
}

SWEEP(iommu_iotlb_gather_init, "a fresh gather", W_NONE)
{
	struct iommu_iotlb_gather g;

	iommu_iotlb_gather_init(&g);
	EXPECT(g.end == 0);
	return 0;
}

SWEEP(iommu_iotlb_gather_add_range, "a range up to the top", W_NONE)
{
	struct iommu_iotlb_gather g;

	iommu_iotlb_gather_init(&g);
	iommu_iotlb_gather_add_range(&g, ~0xfffUL, 0x1000);
	EXPECT(g.start == ~0xfffUL && g.end == ~0UL);
	return 0;
}

SWEEP(iommu_iotlb_sync, "NULL domain and gather", W_NONE)
{
	struct iommu_iotlb_gather g;

	iommu_iotlb_gather_init(&g);
	iommu_iotlb_sync(NULL, NULL);
	iommu_iotlb_sync(NULL, &g);
	return 0;
}

SWEEP(iommu_flush_iotlb_all, "NULL domain", W_NONE)
{
	iommu_flush_iotlb_all(NULL);
	return 0;
}

SWEEP(report_iommu_fault, "NULL domain and device", W_MACHINE)
{
	EXPECT(report_iommu_fault(NULL, e->dev, 0, 0) == -EINVAL);
	EXPECT(report_iommu_fault(NULL, NULL, ~0UL, ~0) == -EINVAL);
	return 0;
}

SWEEP(dk_iommu_fault_count, "NULL domain", W_NONE)
{
	EXPECT(dk_iommu_fault_count(NULL) == 0);
	return 0;
}

SWEEP(dk_iommu_last_fault, "NULL domain and result", W_NONE)
{
	struct dk_iommu_fault f;

	EXPECT(dk_iommu_last_fault(NULL, &f) == -EINVAL);
	EXPECT(dk_iommu_last_fault(NULL, NULL) == -EINVAL);
	return 0;
}

SWEEP(device_iommu_mapped, "NULL and dead device", W_MACHINE)
{
	EXPECT(!device_iommu_mapped(NULL));
	EXPECT(!device_iommu_mapped(sweep_dead_device(e)));
	EXPECT(!device_iommu_mapped(e->dev));
	return 0;
}

/* ---- dma_pool */

SWEEP(dma_pool_create, "NULL name, dead device, SIZE_MAX, bad align", W_MACHINE)
{
	EXPECT(!dma_pool_create(NULL, e->dev, 64, 64, 0));
	EXPECT(!dma_pool_create("p", sweep_dead_device(e), 64, 64, 0));
	EXPECT(!dma_pool_create("p", e->dev, SIZE_MAX, 64, 0));
	EXPECT(!dma_pool_create("p", e->dev, 64, 3, 0));
	EXPECT(!dma_pool_create("p", e->dev, 64, SIZE_MAX, 0));
	EXPECT(!dma_pool_create("p", e->dev, 64, 64, 32));
	return 0;
}

SWEEP(dma_pool_destroy, "twice, a stray pointer", W_MACHINE)
{
	static char stray[256];
	struct dma_pool *p = dma_pool_create("p", e->dev, 64, 64, 0);

	dma_pool_destroy(p);
	dma_pool_destroy(p);
	EXPECT_LOG("destroyed twice?");
	dma_pool_destroy((struct dma_pool *)stray);
	return 0;
}

SWEEP(dma_pool_alloc, "a destroyed pool, NULL handle", W_MACHINE)
{
	struct dma_pool *p = dma_pool_create("p", e->dev, 64, 64, 0);
	dma_addr_t d;

	EXPECT(!dma_pool_alloc(p, GFP_KERNEL, NULL));
	dma_pool_destroy(p);
	EXPECT(!dma_pool_alloc(p, GFP_KERNEL, &d));
	EXPECT_ERR("is not live");
	return 0;
}

SWEEP(dma_pool_alloc, "a pool whose machine was shut down", W_MACHINE)
{
	struct dk_soc *soc;
	struct dk_platform pl;
	struct dk_machine *m;
	struct dma_pool *p;
	dma_addr_t d;

	EXPECT(!dk_soc_load_default(NULL, &soc) && !dk_platform_sim(soc, &pl) &&
	       !dk_machine_boot(&pl, NULL, &m));
	p = dma_pool_create("p", dk_machine_find_device(m, "master@10010000"),
			    64, 64, 0);
	EXPECT(p);
	dk_machine_shutdown(m);
	dk_soc_free(soc);
	dk_machine_set_current(e->m);
	EXPECT(!dma_pool_alloc(p, GFP_KERNEL, &d));
	return 0;
}

SWEEP(dma_pool_zalloc, "a destroyed pool", W_MACHINE)
{
	struct dma_pool *p = dma_pool_create("p", e->dev, 64, 64, 0);
	dma_addr_t d;

	dma_pool_destroy(p);
	EXPECT(!dma_pool_zalloc(p, GFP_KERNEL, &d));
	return 0;
}

SWEEP(dma_pool_free, "twice, stray block, destroyed pool", W_MACHINE)
{
	struct dma_pool *p = dma_pool_create("p", e->dev, 64, 64, 0);
	dma_addr_t d;
	void *b = dma_pool_alloc(p, GFP_KERNEL, &d);

	dma_pool_free(p, b, d);
	dma_pool_free(p, b, d);
	dma_pool_free(p, e->buf, 0);
	dma_pool_free(NULL, b, d);
	dma_pool_destroy(p);
	dma_pool_free(p, b, d);
	EXPECT_LOG("is not live");
	return 0;
}

SWEEP(dmam_pool_create, "NULL and dead device", W_MACHINE)
{
	EXPECT(!dmam_pool_create("p", NULL, 64, 64, 0));
	EXPECT(!dmam_pool_create("p", sweep_dead_device(e), 64, 64, 0));
	return 0;
}

SWEEP(dmam_pool_destroy, "an unmanaged and a destroyed pool", W_MACHINE)
{
	struct dma_pool *p = dma_pool_create("p", e->dev, 64, 64, 0);

	dmam_pool_destroy(p);
	EXPECT_LOG("not a managed pool");
	dma_pool_destroy(p);
	dmam_pool_destroy(p);
	EXPECT_LOG("is not live");
	return 0;
}

SWEEP(dk_dma_pool_stats, "NULL and destroyed pool", W_MACHINE)
{
	struct dma_pool *p = dma_pool_create("p", e->dev, 64, 64, 0);
	struct dk_dma_pool_stats st;

	EXPECT(dk_dma_pool_stats(p, NULL) == -EINVAL);
	dma_pool_destroy(p);
	EXPECT(dk_dma_pool_stats(p, &st) == -EINVAL);
	EXPECT(dk_dma_pool_stats(NULL, &st) == -EINVAL);
	return 0;
}

/* ---- the checker's controls */

SWEEP(dk_dma_debug_set_mode, "a mode that does not exist", W_NONE)
{
	enum dk_dma_debug_mode m = dk_dma_debug_get_mode();

	dk_dma_debug_set_mode((enum dk_dma_debug_mode)99);
	EXPECT(dk_dma_debug_get_mode() == m);
	return 0;
}

SWEEP(dk_dma_debug_get_mode, "before any machine", W_NONE)
{
	EXPECT(dk_dma_debug_get_mode() <= DK_DMA_DEBUG_ABORT);
	return 0;
}

SWEEP(dk_dma_debug_set_backtrace, "off and on", W_NONE)
{
	dk_dma_debug_set_backtrace(false);
	dk_dma_debug_set_backtrace(true);
	return 0;
}

SWEEP(dk_dma_debug_set_backtrace_mode, "every mode, and unknown ones", W_NONE)
{
	dk_dma_debug_set_backtrace_mode(DK_DMA_DEBUG_BT_FULL);
	dk_dma_debug_set_backtrace_mode(DK_DMA_DEBUG_BT_OFF);
	dk_dma_debug_set_backtrace_mode((enum dk_dma_debug_bt)-1);
	dk_dma_debug_set_backtrace_mode((enum dk_dma_debug_bt)1000);
	dk_dma_debug_set_backtrace_mode(DK_DMA_DEBUG_BT_FRAMES);
	return 0;
}

SWEEP(dk_dma_debug_set_driver_filter, "NULL and a name past the buffer", W_NONE)
{
	char longname[300];

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	dk_dma_debug_set_driver_filter(longname);
	dk_dma_debug_set_driver_filter(NULL);
	return 0;
}

SWEEP(dk_dma_debug_set_output, "NULL is stderr", W_NONE)
{
	dk_dma_debug_set_output(NULL);
	return 0;
}

SWEEP(dk_dma_debug_nfindings, "before any machine", W_NONE)
{
	EXPECT(dk_dma_debug_nfindings() == 0);
	return 0;
}

SWEEP(dk_dma_debug_finding, "an index past the end and SIZE_MAX", W_NONE)
{
	EXPECT(!dk_dma_debug_finding(0));
	EXPECT(!dk_dma_debug_finding(SIZE_MAX));
	return 0;
}

SWEEP(dk_dma_debug_count, "a class out of range", W_NONE)
{
	EXPECT(dk_dma_debug_count(DK_CHK_NR) == 0);
	EXPECT(dk_dma_debug_count((enum dk_dma_check)-1) == 0);
	return 0;
}

SWEEP(dk_dma_debug_clear, "twice", W_NONE)
{
	dk_dma_debug_clear();
	dk_dma_debug_clear();
	return 0;
}

SWEEP(dk_dma_check_name, "out of range", W_NONE)
{
	EXPECT(!strcmp(dk_dma_check_name(DK_CHK_NR), "?"));
	return 0;
}

SWEEP(dk_dma_debug_stats, "NULL", W_NONE)
{
	dk_dma_debug_stats(NULL);
	return 0;
}

SWEEP(dk_dma_debug_dump, "NULL stream and dead device", W_MACHINE)
{
	FILE *f = tmpfile();

	dk_dma_debug_dump(NULL, f);
	dk_dma_debug_dump(sweep_dead_device(e), f);
	dk_dma_debug_dump(e->dev, NULL);
	fclose(f);
	return 0;
}

SWEEP(dk_dma_buffer_is_safe, "NULL, SIZE_MAX, dead device", W_MACHINE)
{
	EXPECT(dk_dma_buffer_is_safe(NULL, 64, e->dev) != DK_DMA_SAFE);
	EXPECT(dk_dma_buffer_is_safe(e->buf, SIZE_MAX, e->dev) != DK_DMA_SAFE);
	EXPECT(dk_dma_buffer_is_safe(e->buf, 64, sweep_dead_device(e)) !=
	       DK_DMA_SAFE);
	EXPECT(dk_dma_buffer_is_safe(e->buf, 64, NULL) != DK_DMA_SAFE ||
	       1);
	return 0;
}

SWEEP(dk_dma_safety_name, "out of range", W_NONE)
{
	EXPECT(dk_dma_safety_name((enum dk_dma_safety)99) != NULL);
	return 0;
}

/* ---- dmaengine */

SWEEP(dma_submit_error, "negative cookie", W_NONE)
{
	EXPECT(dma_submit_error(-EIO) == -EIO);
	return 0;
}

SWEEP(dma_async_device_register, "NULL, no channels, twice", W_MACHINE)
{
	static struct dma_device dd;

	EXPECT(dma_async_device_register(NULL) == -EINVAL);
	EXPECT(dma_async_device_register(&dd) == -EINVAL);
	return 0;
}

SWEEP(dma_async_device_unregister, "NULL and never registered", W_MACHINE)
{
	static struct dma_device dd;

	dma_async_device_unregister(NULL);
	dma_async_device_unregister(&dd);
	return 0;
}

SWEEP(dma_request_chan, "NULL and dead device, no provider", W_MACHINE)
{
	EXPECT(IS_ERR_OR_NULL(dma_request_chan(NULL, "tx")));
	EXPECT(IS_ERR_OR_NULL(dma_request_chan(e->dev, NULL)));
	EXPECT(IS_ERR_OR_NULL(dma_request_chan(sweep_dead_device(e), "tx")));
	EXPECT(IS_ERR_OR_NULL(dma_request_chan(e->dev, "tx")));
	return 0;
}

SWEEP(dma_release_channel, "NULL and an error pointer", W_MACHINE)
{
	dma_release_channel(NULL);
	dma_release_channel(ERR_PTR(-ENODEV));
	return 0;
}

SWEEP(dmaengine_terminate_sync, "NULL and an error pointer", W_NONE)
{
	EXPECT(dmaengine_terminate_sync(NULL) == -EINVAL);
	EXPECT(dmaengine_terminate_sync(ERR_PTR(-ENODEV)) == -EINVAL);
	return 0;
}

SWEEP(dmaengine_prep_dma_memcpy, "NULL channel", W_NONE)
{
	EXPECT(!dmaengine_prep_dma_memcpy(NULL, 0, 0, 64, 0));
	return 0;
}

SWEEP(dmaengine_submit, "NULL descriptor", W_NONE)
{
	EXPECT(dmaengine_submit(NULL) == -EINVAL);
	return 0;
}

SWEEP(dma_async_issue_pending, "NULL channel", W_NONE)
{
	dma_async_issue_pending(NULL);
	return 0;
}

SWEEP(dmaengine_tx_status, "NULL channel", W_NONE)
{
	EXPECT(dmaengine_tx_status(NULL, 1, NULL) == DMA_ERROR);
	return 0;
}

SWEEP(dma_sync_wait, "NULL channel", W_NONE)
{
	EXPECT(dma_sync_wait(NULL, 1) == DMA_ERROR);
	return 0;
}

SWEEP(dma_async_is_tx_complete, "NULL channel", W_NONE)
{
	EXPECT(dma_async_is_tx_complete(NULL, 1, NULL, NULL) == DMA_ERROR);
	return 0;
}

/* ---- I2C */

SWEEP(i2c_add_adapter, "NULL, no algorithm, before any machine", W_NONE)
{
	static struct i2c_adapter a;

	EXPECT(i2c_add_adapter(NULL) == -EINVAL);
	EXPECT(i2c_add_adapter(&a) == -EINVAL);
	return 0;
}

SWEEP(i2c_del_adapter, "NULL and never added", W_MACHINE)
{
	static struct i2c_adapter a;

	i2c_del_adapter(NULL);
	i2c_del_adapter(&a);
	return 0;
}

SWEEP(i2c_mark_adapter_suspended, "NULL, and an adapter never added", W_NONE)
{
	static struct i2c_adapter a;
	char b[2];
	struct i2c_msg m = { 0x50, I2C_M_RD, 2, (u8 *)b };

	i2c_mark_adapter_suspended(NULL);
	i2c_mark_adapter_suspended(&a);
	/* refused before its (missing) algorithm is reached */
	EXPECT(i2c_transfer(&a, &m, 1) == -ESHUTDOWN);
	i2c_mark_adapter_resumed(&a);
	EXPECT(a.locked_flags == 0);
	return 0;
}

SWEEP(i2c_mark_adapter_resumed, "NULL, and an adapter never suspended", W_NONE)
{
	static struct i2c_adapter a;

	i2c_mark_adapter_resumed(NULL);
	i2c_mark_adapter_resumed(&a);
	EXPECT(a.locked_flags == 0);
	return 0;
}

SWEEP(i2c_get_adapter, "-1 and INT_MAX", W_MACHINE)
{
	EXPECT(!i2c_get_adapter(-1));
	EXPECT(!i2c_get_adapter(INT_MAX));
	return 0;
}

SWEEP(i2c_put_adapter, "NULL", W_NONE)
{
	i2c_put_adapter(NULL);
	return 0;
}

SWEEP(dk_i2c_adapter_of, "NULL, dead and a device that is no controller", W_MACHINE)
{
	EXPECT(!dk_i2c_adapter_of(NULL));
	EXPECT(!dk_i2c_adapter_of(e->dev));
	EXPECT(!dk_i2c_adapter_of(sweep_dead_device(e)));
	return 0;
}

SWEEP(i2c_new_dummy_device, "NULL adapter, address 0xffff", W_MACHINE)
{
	EXPECT(IS_ERR_OR_NULL(i2c_new_dummy_device(NULL, 0x50)));
	return 0;
}

SWEEP(i2c_unregister_device, "NULL and an error pointer", W_NONE)
{
	i2c_unregister_device(NULL);
	i2c_unregister_device(ERR_PTR(-ENODEV));
	return 0;
}

SWEEP(i2c_transfer, "NULL adapter and messages, negative count", W_MACHINE)
{
	struct i2c_msg m = { 0x50, 0, 4, NULL };

	EXPECT(i2c_transfer(NULL, &m, 1) < 0);
	return 0;
}

SWEEP(i2c_transfer_buffer_flags, "NULL client", W_NONE)
{
	char b[4];

	EXPECT(i2c_transfer_buffer_flags(NULL, b, 4, 0) < 0);
	return 0;
}

SWEEP(i2c_master_send, "NULL client", W_NONE)
{
	EXPECT(i2c_master_send(NULL, "ab", 2) < 0);
	return 0;
}

SWEEP(i2c_master_recv, "NULL client", W_NONE)
{
	char b[2];

	EXPECT(i2c_master_recv(NULL, b, 2) < 0);
	return 0;
}

SWEEP(i2c_master_send_dmasafe, "NULL client", W_NONE)
{
	EXPECT(i2c_master_send_dmasafe(NULL, "ab", 2) < 0);
	return 0;
}

SWEEP(i2c_master_recv_dmasafe, "NULL client", W_NONE)
{
	char b[2];

	EXPECT(i2c_master_recv_dmasafe(NULL, b, 2) < 0);
	return 0;
}

SWEEP(i2c_get_dma_safe_msg_buf, "NULL message and buffer", W_MACHINE)
{
	struct i2c_msg m = { 0x50, 0, 64, NULL };

	EXPECT(!i2c_get_dma_safe_msg_buf(NULL, 8));
	EXPECT(!i2c_get_dma_safe_msg_buf(&m, 8));
	return 0;
}

SWEEP(i2c_put_dma_safe_msg_buf, "NULL buffer and message", W_MACHINE)
{
	struct i2c_msg m = { 0x50, I2C_M_RD, 8, (u8 *)e->buf };

	i2c_put_dma_safe_msg_buf(NULL, &m, true);
	i2c_put_dma_safe_msg_buf((u8 *)e->buf, NULL, true);
	i2c_put_dma_safe_msg_buf((u8 *)e->buf, &m, true);
	return 0;
}

/* ---- SPI */

SWEEP(spi_register_controller, "NULL and no transfer function", W_MACHINE)
{
	static struct spi_controller c;

	EXPECT(spi_register_controller(NULL) == -EINVAL);
	EXPECT(spi_register_controller(&c) == -EINVAL);
	return 0;
}

SWEEP(spi_unregister_controller, "NULL and never registered", W_MACHINE)
{
	static struct spi_controller c;

	spi_unregister_controller(NULL);
	spi_unregister_controller(&c);
	return 0;
}

SWEEP(dk_spi_controller_of, "NULL, dead and not a controller", W_MACHINE)
{
	EXPECT(!dk_spi_controller_of(NULL));
	EXPECT(!dk_spi_controller_of(e->dev));
	EXPECT(!dk_spi_controller_of(sweep_dead_device(e)));
	return 0;
}

SWEEP(spi_new_device, "NULL controller and board info", W_MACHINE)
{
	struct spi_board_info bi = { "x", 1000000, 0, 0 };

	EXPECT(!spi_new_device(NULL, &bi));
	return 0;
}

SWEEP(spi_unregister_device, "NULL", W_NONE)
{
	spi_unregister_device(NULL);
	return 0;
}

SWEEP(spi_set_drvdata, "NULL device", W_NONE)
{
	spi_set_drvdata(NULL, NULL);
	return 0;
}

SWEEP(spi_get_drvdata, "NULL device", W_NONE)
{
	EXPECT(!spi_get_drvdata(NULL));
	return 0;
}

SWEEP(spi_message_init, "NULL", W_NONE)
{
	spi_message_init(NULL);
	return 0;
}

SWEEP(spi_message_add_tail, "NULL transfer and message", W_NONE)
{
	struct spi_message m;

	spi_message_init(&m);
	spi_message_add_tail(NULL, &m);
	spi_message_add_tail(NULL, NULL);
	return 0;
}

SWEEP(spi_message_init_with_transfers, "NULL transfers with a count", W_NONE)
{
	struct spi_message m;

	spi_message_init_with_transfers(&m, NULL, 3);
	spi_message_init_with_transfers(NULL, NULL, 0);
	return 0;
}

SWEEP(spi_xfer_is_dma_mapped, "NULL transfer", W_NONE)
{
	EXPECT(!spi_xfer_is_dma_mapped(NULL, NULL, NULL));
	return 0;
}

SWEEP(spi_sync, "NULL device and message", W_NONE)
{
	struct spi_message m;

	spi_message_init(&m);
	EXPECT(spi_sync(NULL, &m) == -EINVAL);
	return 0;
}

SWEEP(spi_sync_transfer, "NULL device", W_NONE)
{
	EXPECT(spi_sync_transfer(NULL, NULL, 1) == -EINVAL);
	return 0;
}

SWEEP(spi_write, "NULL device", W_NONE)
{
	EXPECT(spi_write(NULL, "ab", 2) == -EINVAL);
	return 0;
}

SWEEP(spi_read, "NULL device", W_NONE)
{
	char b[2];

	EXPECT(spi_read(NULL, b, 2) == -EINVAL);
	return 0;
}

SWEEP(spi_write_then_read, "NULL device", W_NONE)
{
	char b[2];

	EXPECT(spi_write_then_read(NULL, "a", 1, b, 2) == -EINVAL);
	return 0;
}

SWEEP(dk_spi_can_dma_default, "NULL everything", W_NONE)
{
	EXPECT(!dk_spi_can_dma_default(NULL, NULL, NULL));
	return 0;
}

SWEEP(dk_driver_report_unbound, "NULL and dead machine", W_MACHINE)
{
	EXPECT(dk_driver_report_unbound(NULL) == -EINVAL);
	EXPECT(dk_driver_report_unbound(sweep_dead_machine(e)) == -EINVAL);
	EXPECT(dk_driver_report_unbound(e->m) >= 0);
	return 0;
}

SWEEP(lower_32_bits, "zero, all ones, a 32-bit value", W_NONE)
{
	u32 small = 0xdeadbeef;

	if (lower_32_bits(0ULL) || lower_32_bits(~0ULL) != 0xffffffffu ||
	    lower_32_bits(0x123456789abcdef0ULL) != 0x9abcdef0u ||
	    lower_32_bits(small) != small)
		return 1;
	return 0;
}

SWEEP(upper_32_bits, "zero, all ones, a 32-bit value", W_NONE)
{
	u32 small = 0xdeadbeef;

	if (upper_32_bits(0ULL) || upper_32_bits(~0ULL) != 0xffffffffu ||
	    upper_32_bits(0x123456789abcdef0ULL) != 0x12345678u ||
	    upper_32_bits(small) != 0)
		return 1;
	return 0;
}
