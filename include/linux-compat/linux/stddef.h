/* SPDX-License-Identifier: MIT */
/* <linux/stddef.h> for driver code built against dmakit: offsetof and
 * friends, from the C library's <stddef.h>. */
#ifndef DMAKIT_COMPAT_LINUX_STDDEF_H
#define DMAKIT_COMPAT_LINUX_STDDEF_H

/* The UAPI header of the same name comes first. */
#include_next <linux/stddef.h>
#include <stddef.h>

#include <linux/compiler.h>

#ifndef sizeof_field
#define sizeof_field(type, member)	sizeof(((type *)0)->member)
#endif
#ifndef offsetofend
#define offsetofend(type, member)					\
	(offsetof(type, member) + sizeof_field(type, member))
#endif

#endif
