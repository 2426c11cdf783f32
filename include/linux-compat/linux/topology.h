/* SPDX-License-Identifier: MIT */
/* <linux/topology.h> for driver code built against dmakit: see <linux/numa.h>. */
#ifndef DMAKIT_COMPAT_LINUX_TOPOLOGY_H
#define DMAKIT_COMPAT_LINUX_TOPOLOGY_H

#include <linux/numa.h>

#endif
