/* SPDX-License-Identifier: MIT */
/* <linux/nodemask.h> for driver code built against dmakit: see <linux/numa.h>. */
#ifndef DMAKIT_COMPAT_LINUX_NODEMASK_H
#define DMAKIT_COMPAT_LINUX_NODEMASK_H

#include <linux/numa.h>

#endif
