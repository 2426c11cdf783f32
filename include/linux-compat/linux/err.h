/* SPDX-License-Identifier: MIT */
/* <linux/err.h> for driver code built against dmakit: ERR_PTR and friends. */
#ifndef DMAKIT_COMPAT_LINUX_ERR_H
#define DMAKIT_COMPAT_LINUX_ERR_H

#include <linux/compiler.h>
#include <linux/errno.h>	/* Linux's err.h brings the error numbers */
#include <dmakit/err.h>

#endif
