/* SPDX-License-Identifier: MIT */
/* What the files of src/linux share: the <linux/...> tree's library side. */
#ifndef DMAKIT_LINUX_INTERNAL_H
#define DMAKIT_LINUX_INTERNAL_H

#include <errno.h>

#include "../kernel/kernel.h"

/*
 * Wait up to @ns on the platform's clock, devices running meanwhile, until
 * @done(@arg) (asked before and after every event; NULL: the whole time).
 * Returns what @done last said (true for NULL). Without a machine, or on
 * a platform without cpu_wait, real time passes.
 */
bool dk_wait_ns(u64 ns, bool (*done)(void *arg), void *arg);

#endif
