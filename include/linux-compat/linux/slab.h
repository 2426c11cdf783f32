/* SPDX-License-Identifier: MIT */
/* <linux/slab.h> for driver code built against dmakit: kmalloc and friends. */
#ifndef DMAKIT_COMPAT_LINUX_SLAB_H
#define DMAKIT_COMPAT_LINUX_SLAB_H

#include <linux/compiler.h>
#include <dmakit/slab.h>

#endif
