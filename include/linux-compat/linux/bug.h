/* SPDX-License-Identifier: MIT */
/* <linux/bug.h> for driver code built against dmakit: WARN_ON and BUG_ON
 * report and carry on (<linux/kernel.h>). */
#ifndef DMAKIT_COMPAT_LINUX_BUG_H
#define DMAKIT_COMPAT_LINUX_BUG_H

#include <linux/kernel.h>

#endif
