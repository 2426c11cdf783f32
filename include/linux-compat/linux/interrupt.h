/* SPDX-License-Identifier: MIT */
/*
 * <linux/interrupt.h> for driver code built against dmakit:
 * interrupt handlers.
 */
#ifndef DMAKIT_COMPAT_LINUX_INTERRUPT_H
#define DMAKIT_COMPAT_LINUX_INTERRUPT_H

#include <linux/compiler.h>
#include <dmakit/interrupt.h>

#endif
