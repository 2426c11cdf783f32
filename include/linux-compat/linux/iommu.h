/* SPDX-License-Identifier: MIT */
/* <linux/iommu.h> for driver code built against dmakit: the IOMMU API. */
#ifndef DMAKIT_COMPAT_LINUX_IOMMU_H
#define DMAKIT_COMPAT_LINUX_IOMMU_H

#include <linux/compiler.h>
#include <dmakit/iommu.h>

#endif
