/* SPDX-License-Identifier: MIT */
/* <linux/minmax.h> for driver code built against dmakit: min, max, clamp
 * (defined with the everyday helpers). */
#ifndef DMAKIT_COMPAT_LINUX_MINMAX_H
#define DMAKIT_COMPAT_LINUX_MINMAX_H

#include <linux/kernel.h>

#endif
