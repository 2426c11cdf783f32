/* SPDX-License-Identifier: MIT */
/*
 * <linux/numa.h>, <linux/nodemask.h> and <linux/topology.h> in one, for
 * driver code built against dmakit: the simulated SoC is one NUMA node,
 * node 0, holding every CPU.
 */
#ifndef DMAKIT_COMPAT_LINUX_NUMA_H
#define DMAKIT_COMPAT_LINUX_NUMA_H

#include <linux/cpumask.h>

#define NUMA_NO_NODE		(-1)
#define MAX_NUMNODES		1
#define NODE_SHIFT		0

#define node_possible(node)	((node) == 0)
#define node_online(node)	((node) == 0)
#define num_online_nodes()	1
#define numa_node_id()		0
#define dev_to_node(dev)	((void)(dev), NUMA_NO_NODE)
#define cpu_to_node(cpu)	((void)(cpu), 0)
#define cpumask_of_node(node)	((void)(node), cpu_online_mask)

#endif
