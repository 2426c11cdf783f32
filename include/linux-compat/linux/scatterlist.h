/* SPDX-License-Identifier: MIT */
/* <linux/scatterlist.h> for driver code built against dmakit: scatterlists. */
#ifndef DMAKIT_COMPAT_LINUX_SCATTERLIST_H
#define DMAKIT_COMPAT_LINUX_SCATTERLIST_H

#include <linux/compiler.h>
/* What Linux's <linux/scatterlist.h> brings with it (through <linux/mm.h>):
 * the kernel's own userspace scatterlist test relies on it. */
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <dmakit/scatterlist.h>

#endif
