/* SPDX-License-Identifier: MIT */
/* <linux/uaccess.h> for driver code built against dmakit: the simulated user
 * address space (user mappings, uaccess, get_user_pages, memremap). */
#ifndef DMAKIT_COMPAT_LINUX_UACCESS_H
#define DMAKIT_COMPAT_LINUX_UACCESS_H

#include <linux/compiler.h>
#include <dmakit/mm.h>

#endif
