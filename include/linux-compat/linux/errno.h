/* SPDX-License-Identifier: MIT */
/*
 * <linux/errno.h> for driver code built against dmakit: the C library's
 * codes, plus the kernel-internal ones drivers return (never seen by user
 * space on Linux, so the C library lacks them).
 */
#ifndef DMAKIT_COMPAT_LINUX_ERRNO_H
#define DMAKIT_COMPAT_LINUX_ERRNO_H

/* The kernel's UAPI header of the same name, which the C library's own
 * <errno.h> includes for its codes, comes first. */
#include_next <linux/errno.h>
#include <errno.h>

#ifndef ERESTARTSYS
#define ERESTARTSYS	512
#endif
#ifndef EPROBE_DEFER
#define EPROBE_DEFER	517	/* a resource is not there yet: probe later */
#endif
#ifndef ENOTSUPP
#define ENOTSUPP	524
#endif

#endif
