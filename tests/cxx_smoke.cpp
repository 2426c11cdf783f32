// SPDX-License-Identifier: MIT
// Every public header from C++, linked against the installed library: a
// DMA round trip through the C API, checked byte for byte.
#include <dmakit/align_fault.h>
#include <dmakit/device.h>
#include <dmakit/dma-debug.h>
#include <dmakit/dma-legacy.h>
#include <dmakit/dma-map-ops.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/dmaengine.h>
#include <dmakit/dmapool.h>
#include <dmakit/err.h>
#include <dmakit/error.h>
#include <dmakit/gfp.h>
#include <dmakit/host.h>
#include <dmakit/i2c.h>
#include <dmakit/interrupt.h>
#include <dmakit/io.h>
#include <dmakit/iommu-dma.h>
#include <dmakit/iommu.h>
#include <dmakit/machine.h>
#include <dmakit/mm.h>
#include <dmakit/platform.h>
#include <dmakit/regmap.h>
#include <dmakit/platform_device.h>
#include <dmakit/scatterlist.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_iommu.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>
#include <dmakit/soc.h>
#include <dmakit/spi.h>
#include <dmakit/trace.h>
#include <dmakit/trustzone.h>
#include <dmakit/types.h>
#include <dmakit/vmalloc.h>
#include <dmakit/models/crypto.h>
#include <dmakit/models/dreq.h>
#include <dmakit/models/dwc3.h>
#include <dmakit/models/i2c.h>
#include <dmakit/models/m2m_dma.h>
#include <dmakit/models/macb.h>
#include <dmakit/models/rmobile_iic.h>
#include <dmakit/models/sdhci_adma2.h>
#include <dmakit/models/slave_dma.h>
#include <dmakit/models/spi.h>
#include <dmakit/models/stall.h>
#include <dmakit/models/tzasc.h>

#include <cstdio>
#include <cstring>

int main()
{
	struct dk_soc *soc;
	struct dk_platform pl;
	struct dk_machine *m;

	if (dk_soc_load_default(nullptr, &soc) || dk_platform_sim(soc, &pl) ||
	    dk_machine_boot(&pl, nullptr, &m)) {
		std::printf("boot: %s\n", dk_last_error());
		return 1;
	}
	struct device *dev = dk_machine_find_device(m, "master@10010000");
	struct dk_simdev *sd = dk_soc_find_dev(soc, "master@10010000");
	u8 *buf = static_cast<u8 *>(kmalloc(256, GFP_KERNEL));
	u8 pkt[256];

	std::memset(pkt, 0x3c, sizeof(pkt));
	dma_addr_t h = dma_map_single(dev, buf, 256, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, h) || dk_dev_dma_write(sd, h, pkt, 256))
		return 1;
	dma_unmap_single(dev, h, 256, DMA_FROM_DEVICE);
	int same = !std::memcmp(buf, pkt, 256);
	std::printf("C++: %s\n", same ? "ok" : "corrupt");
	kfree(buf);
	dk_machine_shutdown(m);
	dk_soc_free(soc);
	return same ? 0 : 1;
}
