/* SPDX-License-Identifier: MIT */
/*
 * The few pieces of the iommufd and VFIO device-cdev user API that
 * iommufd.c uses, written here from the documented ABI (Linux 6.2+ for
 * /dev/iommu, 6.6+ for the cdev ioctls): Debian 12's linux-libc-dev (6.1)
 * has neither, and a binary built on it must still drive a newer kernel.
 * Names carry a dk_ prefix so that they never clash with the system's
 * <linux/iommufd.h> where one exists. Every struct starts with its own
 * size, which the kernel uses to tell versions apart; these are the
 * first versions, which every later kernel accepts.
 */
#ifndef DMAKIT_HOST_IOMMUFD_UAPI_H
#define DMAKIT_HOST_IOMMUFD_UAPI_H

#include <stdint.h>
#include <sys/ioctl.h>

/* Both /dev/iommu and VFIO use ';' as the ioctl type; neither encodes
 * the argument's size in the number. */
#define DK_IOMMUFD_TYPE ';'
#define DK_IOMMUFD_IO(nr) _IO(DK_IOMMUFD_TYPE, nr)

#define DK_IOMMU_IOAS_ALLOC DK_IOMMUFD_IO(0x81)
#define DK_IOMMU_IOAS_IOVA_RANGES DK_IOMMUFD_IO(0x84)
#define DK_IOMMU_IOAS_MAP DK_IOMMUFD_IO(0x85)
#define DK_IOMMU_IOAS_UNMAP DK_IOMMUFD_IO(0x86)

/* VFIO's numbers start at 100. */
#define DK_VFIO_DEVICE_BIND_IOMMUFD DK_IOMMUFD_IO(100 + 18)
#define DK_VFIO_DEVICE_ATTACH_IOMMUFD_PT DK_IOMMUFD_IO(100 + 19)

/* IOMMU_IOAS_MAP flags. */
#define DK_IOAS_MAP_FIXED_IOVA (1u << 0)
#define DK_IOAS_MAP_WRITEABLE (1u << 1)
#define DK_IOAS_MAP_READABLE (1u << 2)

/* A new, empty I/O address space; its id comes back. */
struct dk_iommu_ioas_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t out_ioas_id;
};

/* One valid IOVA range, both ends inclusive. */
struct dk_iommu_iova_range {
	uint64_t start;
	uint64_t last;
};

/* The ranges an IOAS may map now (they narrow as devices attach):
 * num_iovas is the array's length in, the number of ranges out
 * (EMSGSIZE when the array was too short). */
struct dk_iommu_ioas_iova_ranges {
	uint32_t size;
	uint32_t ioas_id;
	uint32_t num_iovas;
	uint32_t reserved;
	uint64_t allowed_iovas;		/* user pointer to the array */
	uint64_t out_iova_alignment;
};

/* Map user memory at iova (with DK_IOAS_MAP_FIXED_IOVA: exactly there,
 * refused with EEXIST if any of it is taken). */
struct dk_iommu_ioas_map {
	uint32_t size;
	uint32_t flags;
	uint32_t ioas_id;
	uint32_t reserved;
	uint64_t user_va;
	uint64_t length;
	uint64_t iova;
};

/* Unmap whole mappings covered by [iova, iova + length); length comes
 * back as the bytes unmapped. */
struct dk_iommu_ioas_unmap {
	uint32_t size;
	uint32_t ioas_id;
	uint64_t iova;
	uint64_t length;
};

/* Bind a VFIO device cdev fd to an iommufd; the device's id comes back. */
struct dk_vfio_device_bind_iommufd {
	uint32_t argsz;
	uint32_t flags;
	int32_t iommufd;
	uint32_t out_devid;
};

/* Attach the bound device to a page table or an IOAS by id. */
struct dk_vfio_device_attach_iommufd_pt {
	uint32_t argsz;
	uint32_t flags;
	uint32_t pt_id;
};

#endif
