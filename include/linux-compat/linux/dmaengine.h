/* SPDX-License-Identifier: MIT */
/*
 * <linux/dmaengine.h> for driver code built against dmakit:
 * the dmaengine API.
 */
#ifndef DMAKIT_COMPAT_LINUX_DMAENGINE_H
#define DMAKIT_COMPAT_LINUX_DMAENGINE_H

#include <linux/compiler.h>
#include <dmakit/dmaengine.h>

#endif
