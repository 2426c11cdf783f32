/* SPDX-License-Identifier: MIT */
/*
 * <linux/vmalloc.h> for driver code built against dmakit:
 * vmalloc, vmap and their cache maintenance.
 */
#ifndef DMAKIT_COMPAT_LINUX_VMALLOC_H
#define DMAKIT_COMPAT_LINUX_VMALLOC_H

#include <linux/compiler.h>
#include <dmakit/vmalloc.h>

#endif
