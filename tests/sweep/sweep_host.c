// SPDX-License-Identifier: MIT
/* Sweep cases: the host platform's calls, on a machine with no VFIO
 * device and given platforms that are not the host's. */
#include <errno.h>

#include <dmakit/host.h>

#include "sweep.h"

SWEEP(dk_platform_host, "NULL, malformed and absent addresses", W_NONE)
{
	struct dk_platform pl;

	EXPECT(dk_platform_host(NULL, NULL, &pl) == -EINVAL);
	EXPECT(dk_platform_host("0000:00:02.0", NULL, NULL) == -EINVAL);
	EXPECT(dk_platform_host("", NULL, &pl) == -EINVAL);
	EXPECT(dk_platform_host("../../../etc:passwd", NULL, &pl) == -EINVAL);
	EXPECT(dk_platform_host("0000:00:02.0:0000:00:02.0:0000:00:02.0", NULL,
				&pl) == -EINVAL);
	EXPECT(dk_platform_host("ffff:ff:ff.7", NULL, &pl) == -ENODEV);
	EXPECT_ERR("no PCI device");
	return 0;
}

SWEEP(dk_host_close, "NULL, empty and simulator platforms", W_MACHINE)
{
	struct dk_platform none = { 0 };

	dk_host_close(NULL);
	dk_host_close(&none);
	dk_host_close(&e->pl);
	EXPECT(e->pl.ctx != NULL);
	return 0;
}

SWEEP(dk_host_find_pci, "no such device, short and NULL buffers", W_NONE)
{
	char a[16];

	EXPECT(dk_host_find_pci(0xffff, 0xffff, a, sizeof(a)) == -ENODEV);
	EXPECT(dk_host_find_pci(0x1234, 0x11e8, a, 3) == -EINVAL);
	EXPECT(dk_host_find_pci(0x1234, 0x11e8, NULL, 64) == -EINVAL);
	return 0;
}

SWEEP(dk_host_config_read, "NULL and simulator platforms, NULL value", W_MACHINE)
{
	u32 v;

	EXPECT(dk_host_config_read(NULL, 0, 4, &v) == -EINVAL);
	EXPECT(dk_host_config_read(&e->pl, 0, 4, &v) == -EINVAL);
	EXPECT_ERR("not a host platform");
	EXPECT(dk_host_config_read(&e->pl, 0, 4, NULL) == -EINVAL);
	return 0;
}

SWEEP(dk_host_config_write, "NULL and simulator platforms", W_MACHINE)
{
	EXPECT(dk_host_config_write(NULL, 4, 2, 4) == -EINVAL);
	EXPECT(dk_host_config_write(&e->pl, 4, 2, 4) == -EINVAL);
	return 0;
}

SWEEP(dk_host_get_stats, "NULL and simulator platforms, NULL stats", W_MACHINE)
{
	struct dk_host_stats st;

	EXPECT(dk_host_get_stats(NULL, &st) == -EINVAL);
	EXPECT(dk_host_get_stats(&e->pl, &st) == -EINVAL);
	EXPECT(dk_host_get_stats(&e->pl, NULL) == -EINVAL);
	return 0;
}

SWEEP(dk_host_raw_map, "simulator platform, NULL address", W_MACHINE)
{
	EXPECT(dk_host_raw_map(NULL, e->buf, 0, 4096, 3) == -EINVAL);
	EXPECT(dk_host_raw_map(&e->pl, NULL, 0, 4096, 3) == -EINVAL);
	EXPECT(dk_host_raw_map(&e->pl, e->buf, ~0ULL, SIZE_MAX, 3) == -EINVAL);
	return 0;
}

SWEEP(dk_host_raw_unmap, "NULL and simulator platforms", W_MACHINE)
{
	EXPECT(dk_host_raw_unmap(NULL, 0, 4096) == -EINVAL);
	EXPECT(dk_host_raw_unmap(&e->pl, ~0ULL, ~0ULL) == -EINVAL);
	return 0;
}

SWEEP(dk_host_reset, "NULL and simulator platforms", W_MACHINE)
{
	EXPECT(dk_host_reset(NULL) == -EINVAL);
	EXPECT(dk_host_reset(&e->pl) == -EINVAL);
	EXPECT_ERR("not a host platform");
	return 0;
}

SWEEP(dk_host_mem_register, "NULL and simulator platforms, NULL memory", W_MACHINE)
{
	EXPECT(dk_host_mem_register(NULL, e->buf, 64) == -EINVAL);
	EXPECT(dk_host_mem_register(&e->pl, e->buf, 64) == -EINVAL);
	EXPECT(dk_host_mem_register(&e->pl, NULL, SIZE_MAX) == -EINVAL);
	return 0;
}

SWEEP(dk_host_mem_unregister, "NULL and simulator platforms, NULL memory", W_MACHINE)
{
	EXPECT(dk_host_mem_unregister(NULL, e->buf, 64) == -EINVAL);
	EXPECT(dk_host_mem_unregister(&e->pl, e->buf, 64) == -EINVAL);
	EXPECT(dk_host_mem_unregister(&e->pl, NULL, SIZE_MAX) == -EINVAL);
	return 0;
}

SWEEP(dk_host_alloc_irq_vectors, "NULL and simulator platforms, bad counts", W_MACHINE)
{
	EXPECT(dk_host_alloc_irq_vectors(NULL, 1, 1, DK_HOST_IRQ_MSIX) == -EINVAL);
	EXPECT(dk_host_alloc_irq_vectors(&e->pl, 1, 5, DK_HOST_IRQ_MSIX) == -EINVAL);
	EXPECT_ERR("not a host platform");
	EXPECT(dk_host_alloc_irq_vectors(&e->pl, 0, 0, ~0u) == -EINVAL);
	EXPECT(dk_host_alloc_irq_vectors(&e->pl, ~0u, 1, 0) == -EINVAL);
	return 0;
}

SWEEP(dk_host_irq_vector, "NULL and simulator platforms, any vector", W_MACHINE)
{
	EXPECT(dk_host_irq_vector(NULL, 0) == -EINVAL);
	EXPECT(dk_host_irq_vector(&e->pl, ~0u) == -EINVAL);
	EXPECT_ERR("not a host platform");
	return 0;
}

SWEEP(dk_host_free_irq_vectors, "NULL and simulator platforms", W_MACHINE)
{
	dk_host_free_irq_vectors(NULL);
	dk_host_free_irq_vectors(&e->pl);
	EXPECT_ERR("not a host platform");
	return 0;
}
