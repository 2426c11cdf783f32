/* SPDX-License-Identifier: MIT */
/* <linux/dmapool.h> for driver code built against dmakit: DMA pools. */
#ifndef DMAKIT_COMPAT_LINUX_DMAPOOL_H
#define DMAKIT_COMPAT_LINUX_DMAPOOL_H

#include <linux/compiler.h>
#include <dmakit/dmapool.h>

#endif
