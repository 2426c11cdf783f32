/* SPDX-License-Identifier: MIT */
/*
 * <linux/io.h> for driver code built against dmakit:
 * register accessors and barriers.
 */
#ifndef DMAKIT_COMPAT_LINUX_IO_H
#define DMAKIT_COMPAT_LINUX_IO_H

#include <linux/compiler.h>
#include <dmakit/io.h>

#endif
