/* SPDX-License-Identifier: MIT */
/* <linux/export.h> for driver code built against dmakit: symbol exports,
 * which mean nothing in a program (see <linux/module.h>). */
#ifndef DMAKIT_COMPAT_LINUX_EXPORT_H
#define DMAKIT_COMPAT_LINUX_EXPORT_H

#include <linux/module.h>

#endif
