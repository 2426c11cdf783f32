/* SPDX-License-Identifier: MIT */
/* <linux/scatterlist.h> for driver code built against dmakit: scatterlists. */
#ifndef DMAKIT_COMPAT_LINUX_SCATTERLIST_H
#define DMAKIT_COMPAT_LINUX_SCATTERLIST_H

#include <linux/compiler.h>
#include <dmakit/scatterlist.h>

#endif
