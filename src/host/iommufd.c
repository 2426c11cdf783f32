// SPDX-License-Identifier: MIT
/*
 * VFIO's iommufd backend: /dev/iommu holds one I/O address space (IOAS),
 * the device is opened through its cdev /dev/vfio/devices/vfioN (named in
 * sysfs under the PCI device's vfio-dev/), bound to the iommufd and
 * attached to the IOAS. The IOVA ranges the IOAS accepts once the device
 * is attached feed dmakit's allocator, and every map is placed at the
 * IOVA dmakit chose (IOMMU_IOAS_MAP_FIXED_IOVA). Unlike type1, iommufd
 * has no limit on the number of mappings.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "host_internal.h"
#include "iommufd_uapi.h"

_Static_assert(sizeof(struct dk_iommu_ioas_iova_ranges) == 32 &&
		       sizeof(struct dk_iommu_ioas_map) == 40 &&
		       sizeof(struct dk_iommu_ioas_unmap) == 24 &&
		       sizeof(struct dk_vfio_device_bind_iommufd) == 16,
	       "the iommufd uAPI layout");

#define IOMMU_DEV "/dev/iommu"

/* "vfioN" from /sys/bus/pci/devices/ADDR/vfio-dev/, or -ENOENT. */
static int cdev_name(const char *addr, char *out, size_t size)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d;
	int r = -ENOENT;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vfio-dev", addr);
	d = opendir(path);
	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, "vfio", 4) && strlen(e->d_name) < size) {
			memcpy(out, e->d_name, strlen(e->d_name) + 1);
			r = 0;
			break;
		}
	if (d)
		closedir(d);
	return r;
}

bool dk_host_iommufd_usable(struct dk_host *h)
{
	char name[32], path[64];

	if (cdev_name(h->addr, name, sizeof(name)))
		return false;
	snprintf(path, sizeof(path), "/dev/vfio/devices/%s", name);
	return !access(IOMMU_DEV, R_OK | W_OK) && !access(path, R_OK | W_OK);
}

static int open_rw(const char *path, const char *what, const char *missing)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == EACCES || errno == EPERM)
		return dk_err(-EACCES,
			      "host: iommufd: no permission to open %s (%s): run as root or give your user the file (chown $USER %s)",
			      path, what, path);
	if (errno == ENOENT)
		return dk_err(-EOPNOTSUPP, "host: iommufd: no %s (%s): %s", path,
			      what, missing);
	return dk_err(errno == EBUSY ? -EBUSY : -ENODEV,
		      "host: iommufd: cannot open %s (%s): %s", path, what,
		      strerror(errno));
}

/* The ranges the IOAS accepts with the device attached, ascending (the
 * kernel reports them so); past DK_HOST_MAX_RANGES the rest is unused. */
static int read_ranges(struct dk_host *h)
{
	struct dk_iommu_iova_range *rg = NULL;
	struct dk_iommu_ioas_iova_ranges q;
	u32 n = DK_HOST_MAX_RANGES, i;

	for (;;) {
		free(rg);
		rg = calloc(n, sizeof(*rg));
		if (!rg)
			return dk_err(-ENOMEM, "host: out of memory");
		q = (struct dk_iommu_ioas_iova_ranges){
			.size = sizeof(q),
			.ioas_id = h->ioas_id,
			.num_iovas = n,
			.allowed_iovas = (uintptr_t)rg,
		};
		if (!ioctl(h->iommufd, DK_IOMMU_IOAS_IOVA_RANGES, &q))
			break;
		if (errno != EMSGSIZE || q.num_iovas <= n) {
			free(rg);
			return dk_err(-EIO, "host: IOMMU_IOAS_IOVA_RANGES: %s",
				      strerror(errno));
		}
		n = q.num_iovas;
	}
	/* dmakit maps whole pages at page-aligned IOVAs: any coarser
	 * alignment would refuse its maps one by one. */
	if (q.out_iova_alignment > DK_PAGE_SIZE) {
		free(rg);
		return dk_err(-EOPNOTSUPP,
			      "host: iommufd: IOAS %u wants IOVAs aligned to 0x%llx, over dmakit's page of 0x%lx",
			      h->ioas_id, (unsigned long long)q.out_iova_alignment,
			      DK_PAGE_SIZE);
	}
	h->nranges = 0;
	for (i = 0; i < q.num_iovas && h->nranges < DK_HOST_MAX_RANGES; i++) {
		h->range_start[h->nranges] = rg[i].start;
		h->range_end[h->nranges++] = rg[i].last;
	}
	free(rg);
	if (!h->nranges)
		return dk_err(-ENODEV, "host: iommufd: %s may map no IOVA at all",
			      h->addr);
	return 0;
}

static int iommufd_open(struct dk_host *h)
{
	struct dk_iommu_ioas_alloc al = { .size = sizeof(al) };
	struct dk_vfio_device_bind_iommufd b = { .argsz = sizeof(b) };
	struct dk_vfio_device_attach_iommufd_pt at = { .argsz = sizeof(at) };
	char name[32], path[64];

	h->iommufd = open_rw(IOMMU_DEV, "the iommufd interface",
			     "this kernel has no CONFIG_IOMMUFD (modprobe iommufd, or use the type1 backend)");
	if (h->iommufd < 0)
		return h->iommufd;
	if (cdev_name(h->addr, name, sizeof(name)))
		return dk_err(-EOPNOTSUPP,
			      "host: iommufd: %s has no VFIO device cdev (no /sys/bus/pci/devices/%s/vfio-dev/vfioN): this kernel's vfio has no CONFIG_VFIO_DEVICE_CDEV; use the type1 backend",
			      h->addr, h->addr);
	snprintf(path, sizeof(path), "/dev/vfio/devices/%s", name);
	h->devfd = open_rw(path, "the VFIO device cdev of the device",
			   "devtmpfs is not mounted on /dev?");
	if (h->devfd < 0)
		return h->devfd;
	b.iommufd = h->iommufd;
	if (ioctl(h->devfd, DK_VFIO_DEVICE_BIND_IOMMUFD, &b))
		return dk_err(errno == EBUSY ? -EBUSY : -EIO,
			      "host: iommufd: VFIO_DEVICE_BIND_IOMMUFD of %s: %s%s",
			      path, strerror(errno),
			      errno == EBUSY ? " (its group is open elsewhere?)" : "");
	if (ioctl(h->iommufd, DK_IOMMU_IOAS_ALLOC, &al))
		return dk_err(-EIO, "host: IOMMU_IOAS_ALLOC: %s", strerror(errno));
	h->ioas_id = al.out_ioas_id;
	at.pt_id = h->ioas_id;
	if (ioctl(h->devfd, DK_VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at))
		return dk_err(-EIO,
			      "host: iommufd: VFIO_DEVICE_ATTACH_IOMMUFD_PT of %s to IOAS %u: %s",
			      path, h->ioas_id, strerror(errno));
	h->entry_limit = 0;
	return read_ranges(h);
}

static int iommufd_map(struct dk_host *h, void *vaddr, u64 iova, u64 size,
		       int prot)
{
	struct dk_iommu_ioas_map m = {
		.size = sizeof(m),
		.flags = DK_IOAS_MAP_FIXED_IOVA |
			 (prot & 1 ? DK_IOAS_MAP_READABLE : 0) |
			 (prot & 2 ? DK_IOAS_MAP_WRITEABLE : 0),
		.ioas_id = h->ioas_id,
		.user_va = (uintptr_t)vaddr,
		.length = size,
		.iova = iova,
	};

	atomic_fetch_add(&h->map_calls, 1);
	if (!ioctl(h->iommufd, DK_IOMMU_IOAS_MAP, &m)) {
		atomic_fetch_add(&h->live, 1);
		return 0;
	}
	return dk_err(errno == ENOMEM ? -ENOMEM : errno == EEXIST ? -EEXIST : -EIO,
		      "host: IOMMU_IOAS_MAP of 0x%llx bytes at IOVA 0x%llx: %s%s",
		      (unsigned long long)size, (unsigned long long)iova,
		      strerror(errno),
		      errno == ENOMEM ? " (RLIMIT_MEMLOCK: iommufd pins the pages)" :
		      errno == EEXIST ? " (that IOVA is mapped already)" : "");
}

static int iommufd_unmap(struct dk_host *h, u64 iova, u64 size)
{
	struct dk_iommu_ioas_unmap u = {
		.size = sizeof(u),
		.ioas_id = h->ioas_id,
		.iova = iova,
		.length = size,
	};

	atomic_fetch_add(&h->unmap_calls, 1);
	if (ioctl(h->iommufd, DK_IOMMU_IOAS_UNMAP, &u))
		return dk_err(errno == ENOENT ? -ENOENT : -EIO,
			      "host: IOMMU_IOAS_UNMAP at 0x%llx + 0x%llx: %s",
			      (unsigned long long)iova, (unsigned long long)size,
			      errno == ENOENT ? "not mapped" : strerror(errno));
	if (u.length)
		atomic_fetch_sub(&h->live, 1);
	return 0;
}

/* The device fd is closed first (pci.c), which detaches and unbinds it;
 * closing the iommufd then drops the IOAS and every mapping in it. */
static void iommufd_close(struct dk_host *h)
{
	if (h->iommufd >= 0)
		close(h->iommufd);
	h->iommufd = -1;
}

const struct dk_vfio_backend dk_vfio_iommufd = {
	.name = "iommufd",
	.open = iommufd_open,
	.map = iommufd_map,
	.unmap = iommufd_unmap,
	.close = iommufd_close,
};
