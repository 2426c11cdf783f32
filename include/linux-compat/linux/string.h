/* SPDX-License-Identifier: MIT */
/* <linux/string.h> for driver code built against dmakit: the C library's. */
#ifndef DMAKIT_COMPAT_LINUX_STRING_H
#define DMAKIT_COMPAT_LINUX_STRING_H

#include <string.h>

#endif
