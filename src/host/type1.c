// SPDX-License-Identifier: MIT
/*
 * VFIO's type1 IOMMU backend: a container holding the device's group,
 * the IOVA ranges it accepts read from its info capability, and
 * MAP_DMA/UNMAP_DMA at the IOVAs dmakit chose. The container accepts
 * dma_entry_limit mappings (65535 by default), each MAP_DMA one entry
 * whatever its size; past it MAP_DMA fails with ENOSPC, which is reported
 * with the limit and the module parameter that raises it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "host_internal.h"

#define LIMIT_PARAM "/sys/module/vfio_iommu_type1/parameters/dma_entry_limit"

static unsigned long entry_limit(void)
{
	unsigned long v = 0;
	FILE *f = fopen(LIMIT_PARAM, "r");

	if (f) {
		if (fscanf(f, "%lu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

static int open_group(struct dk_host *h)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	char path[64];

	snprintf(path, sizeof(path), "/dev/vfio/%d", h->groupno);
	h->group = open(path, O_RDWR | O_CLOEXEC);
	if (h->group < 0 && (errno == EACCES || errno == EPERM))
		return dk_err(-EACCES,
			      "host: no permission to open %s (IOMMU group of %s): run as root or give your user the group file (chown $USER %s)",
			      path, h->addr, path);
	if (h->group < 0)
		return dk_err(errno == EBUSY ? -EBUSY : -ENODEV,
			      "host: cannot open %s (IOMMU group of %s): %s",
			      path, h->addr, strerror(errno));
	if (ioctl(h->group, VFIO_GROUP_GET_STATUS, &st))
		return dk_err(-EIO, "host: %s: VFIO_GROUP_GET_STATUS: %s", path,
			      strerror(errno));
	if (!(st.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		char other[64], drv[64], why[384] = "";

		if (!dk_host_group_blocker(h, other, sizeof(other), drv,
					   sizeof(drv)))
			snprintf(why, sizeof(why),
				 " (%s of the group is bound to %s: echo %s > /sys/bus/pci/drivers/%s/unbind)",
				 other, drv, other, drv);
		return dk_err(-ENODEV,
			      "host: IOMMU group %d of %s is not viable: every device in /sys/kernel/iommu_groups/%d/devices must be bound to vfio-pci (or to no driver)%s",
			      h->groupno, h->addr, h->groupno, why);
	}
	return 0;
}

/* The info's capability chain: the valid IOVA ranges (without them the
 * whole 64-bit space less nothing is assumed, as old kernels mean). */
static int read_ranges(struct dk_host *h)
{
	struct vfio_iommu_type1_info *info;
	struct vfio_info_cap_header hdr;
	size_t sz = sizeof(*info);
	u32 off;

	for (;;) {
		info = calloc(1, sz);
		if (!info)
			return dk_err(-ENOMEM, "host: out of memory");
		info->argsz = sz;
		if (ioctl(h->container, VFIO_IOMMU_GET_INFO, info)) {
			free(info);
			return dk_err(-EIO, "host: VFIO_IOMMU_GET_INFO: %s",
				      strerror(errno));
		}
		if (info->argsz <= sz)
			break;
		sz = info->argsz;
		free(info);
	}
	/* The kernel packs capabilities at 4-byte offsets: read them by
	 * copying, never through a pointer to an 8-byte-aligned struct. */
	h->nranges = 0;
	off = info->flags & VFIO_IOMMU_INFO_CAPS ? info->cap_offset : 0;
	while (off && off + sizeof(hdr) <= sz) {
		const char *c = (const char *)info + off;

		memcpy(&hdr, c, sizeof(hdr));
		if (hdr.id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE &&
		    off + sizeof(struct vfio_iommu_type1_info_cap_iova_range) <= sz) {
			struct vfio_iommu_type1_info_cap_iova_range cr;
			struct vfio_iova_range r;
			u32 i;

			memcpy(&cr, c, sizeof(cr));
			c += sizeof(cr);
			for (i = 0; i < cr.nr_iovas && h->nranges < DK_HOST_MAX_RANGES &&
				    c + (i + 1) * sizeof(r) <= (const char *)info + sz;
			     i++) {
				memcpy(&r, c + i * sizeof(r), sizeof(r));
				h->range_start[h->nranges] = r.start;
				h->range_end[h->nranges++] = r.end;
			}
		}
		off = hdr.next;
	}
	free(info);
	if (!h->nranges) {
		h->range_start[0] = 0;
		h->range_end[0] = ~0ULL;
		h->nranges = 1;
	}
	return 0;
}

static int type1_open(struct dk_host *h)
{
	int r;

	h->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (h->container < 0)
		return dk_err(errno == EACCES ? -EACCES : -ENODEV,
			      "host: cannot open /dev/vfio/vfio: %s (modprobe vfio-pci)",
			      strerror(errno));
	if (ioctl(h->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION ||
	    ioctl(h->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) != 1)
		return dk_err(-EOPNOTSUPP,
			      "host: this kernel's VFIO has no type1v2 IOMMU");
	r = open_group(h);
	if (r)
		return r;
	if (ioctl(h->group, VFIO_GROUP_SET_CONTAINER, &h->container) ||
	    ioctl(h->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return dk_err(-EIO, "host: group %d into a type1 container: %s",
			      h->groupno, strerror(errno));
	r = read_ranges(h);
	if (r)
		return r;
	h->entry_limit = entry_limit();
	h->devfd = ioctl(h->group, VFIO_GROUP_GET_DEVICE_FD, h->addr);
	if (h->devfd < 0)
		return dk_err(-EIO, "host: %s from group %d: %s", h->addr,
			      h->groupno, strerror(errno));
	return 0;
}

static int type1_map(struct dk_host *h, void *vaddr, u64 iova, u64 size,
		     int prot)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = (prot & 1 ? VFIO_DMA_MAP_FLAG_READ : 0) |
			 (prot & 2 ? VFIO_DMA_MAP_FLAG_WRITE : 0),
		.vaddr = (uintptr_t)vaddr,
		.iova = iova,
		.size = size,
	};

	atomic_fetch_add(&h->map_calls, 1);
	if (!ioctl(h->container, VFIO_IOMMU_MAP_DMA, &m)) {
		atomic_fetch_add(&h->live, 1);
		return 0;
	}
	if (errno == ENOSPC) {
		size_t used, n = dk_host_user_cached(h, &used);

		return dk_err(-ENOSPC,
			      "host: VFIO type1 holds %lu of its %lu DMA mappings (each MAP_DMA is one, whatever its size; %zu are the mapping cache's, %zu of them in use): unmap some, or raise the limit with the module parameter: modprobe vfio_iommu_type1 dma_entry_limit=N (or write N to %s before opening the device)",
			      atomic_load(&h->live), h->entry_limit, n, used,
			      LIMIT_PARAM);
	}
	return dk_err(errno == ENOMEM ? -ENOMEM : -EIO,
		      "host: VFIO_IOMMU_MAP_DMA of 0x%llx bytes at IOVA 0x%llx: %s%s",
		      (unsigned long long)size, (unsigned long long)iova,
		      strerror(errno),
		      errno == ENOMEM ? " (RLIMIT_MEMLOCK: VFIO pins the pages)" : "");
}

static int type1_unmap(struct dk_host *h, u64 iova, u64 size)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u),
		.iova = iova,
		.size = size,
	};

	atomic_fetch_add(&h->unmap_calls, 1);
	if (ioctl(h->container, VFIO_IOMMU_UNMAP_DMA, &u))
		return dk_err(-EIO, "host: VFIO_IOMMU_UNMAP_DMA at 0x%llx: %s",
			      (unsigned long long)iova, strerror(errno));
	if (u.size)
		atomic_fetch_sub(&h->live, 1);
	return 0;
}

static void type1_close(struct dk_host *h)
{
	if (h->group >= 0)
		close(h->group);
	if (h->container >= 0)
		close(h->container);
}

const struct dk_vfio_backend dk_vfio_type1 = {
	.name = "type1",
	.open = type1_open,
	.map = type1_map,
	.unmap = type1_unmap,
	.close = type1_close,
};
