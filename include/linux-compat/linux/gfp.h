/* SPDX-License-Identifier: MIT */
/*
 * <linux/gfp.h> for driver code built against dmakit:
 * page allocation and GFP flags.
 */
#ifndef DMAKIT_COMPAT_LINUX_GFP_H
#define DMAKIT_COMPAT_LINUX_GFP_H

#include <linux/compiler.h>
#include <dmakit/gfp.h>

#endif
