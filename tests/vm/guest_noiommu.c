// SPDX-License-Identifier: MIT
/*
 * Devices with no IOMMU group, each named with what is missing and the
 * fix: in the second, short boot of make vm-check, the same machine
 * without its emulated Intel IOMMU, where no device has a group; and in
 * the first, a virtio-rng behind a PCIe expander bridge that bypasses
 * the IOMMU (QEMU's bypass_iommu, which leaves its buses out of the DMAR
 * table's scopes), while every other device has one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/host.h>

#include "guest.h"

/* Opening @addr is refused with -ENODEV and "host: @addr has no IOMMU
 * group: @why" exactly: the result of test @n. */
static void refused_no_group(const char *n, const char *addr, const char *why)
{
	struct dk_platform pl;
	char want[512];
	int r;

	r = dk_platform_host(addr, NULL, &pl);
	snprintf(want, sizeof(want), "host: %s has no IOMMU group: %s", addr,
		 why);
	REQUIRE(n, r == -ENODEV && !strcmp(dk_last_error(), want), "%d: %s", r,
		dk_last_error());
	printf("     (%s)\n", dk_last_error());
	result(n, NULL);
}

void t_no_iommu_group(const char *addr)
{
	refused_no_group("no IOMMU: edu has no IOMMU group, named with the fix",
			 addr,
			 "the kernel runs no IOMMU (/sys/class/iommu is empty); enable VT-d (AMD-Vi) in the firmware and boot Linux with intel_iommu=on (amd_iommu=on); vfio's no-IOMMU mode (enable_unsafe_noiommu_mode) will not do, as dmakit maps its IOVAs through the IOMMU");
}

#define VIRTIO_RNG_VENDOR 0x1af4
#define VIRTIO_RNG_DEVICE 0x1044

void t_group_outside_iommu(void)
{
	const char *n = "a device outside the IOMMU's scope (bypass_iommu) has no IOMMU group, named with the fix";
	char addr[32];

	REQUIRE(n, !dk_host_find_pci(VIRTIO_RNG_VENDOR, VIRTIO_RNG_DEVICE, addr,
				     sizeof(addr)),
		"no virtio-rng behind the bypassing bridge: %s", dk_last_error());
	refused_no_group(n, addr,
			 "the kernel runs an IOMMU (dmar0 in /sys/class/iommu), but none translates for this device, which lies outside every unit's scope in the firmware's DMAR (or IVRS) table; put it in a slot an IOMMU covers (the kernel log's DMAR lines list the scopes)");
}
