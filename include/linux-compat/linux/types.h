/* SPDX-License-Identifier: MIT */
/* <linux/types.h> for driver code built against dmakit: fixed-width types. */
#ifndef DMAKIT_COMPAT_LINUX_TYPES_H
#define DMAKIT_COMPAT_LINUX_TYPES_H

/* The kernel's UAPI header of the same name (__u32, __le32...), which
 * C library and UAPI headers include, comes first. */
#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/compiler.h>
#include <dmakit/types.h>

#endif
