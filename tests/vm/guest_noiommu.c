// SPDX-License-Identifier: MIT
/*
 * The second, short boot of make vm-check: the same machine without its
 * emulated Intel IOMMU, where no device has an IOMMU group and VFIO
 * cannot take edu. The platform names what is missing and the fix.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/host.h>

#include "guest.h"

void t_no_iommu_group(const char *addr)
{
	const char *n = "no IOMMU: edu has no IOMMU group, named with the fix";
	struct dk_platform pl;
	char want[512];
	int r;

	r = dk_platform_host(addr, NULL, &pl);
	snprintf(want, sizeof(want),
		 "host: %s has no IOMMU group: the kernel runs no IOMMU (/sys/class/iommu is empty); enable VT-d (AMD-Vi) in the firmware and boot Linux with intel_iommu=on (amd_iommu=on); vfio's no-IOMMU mode (enable_unsafe_noiommu_mode) will not do, as dmakit maps its IOVAs through the IOMMU",
		 addr);
	REQUIRE(n, r == -ENODEV && !strcmp(dk_last_error(), want), "%d: %s", r,
		dk_last_error());
	printf("     (%s)\n", dk_last_error());
	result(n, NULL);
}
