/* SPDX-License-Identifier: MIT */
/*
 * <linux/cpumask.h> for driver code built against dmakit: sets of the
 * host's CPUs (up to NR_CPUS), which kthread_bind_mask() binds a thread
 * to. All of them count as online and possible.
 */
#ifndef DMAKIT_COMPAT_LINUX_CPUMASK_H
#define DMAKIT_COMPAT_LINUX_CPUMASK_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NR_CPUS		64

struct cpumask {
	u64 bits;	/* bit n: CPU n */
};

/**
 * num_online_cpus() - the host's CPUs this process may run on.
 *
 * Return: at least 1, at most NR_CPUS.
 */
unsigned int num_online_cpus(void);
#define num_possible_cpus()	num_online_cpus()

/**
 * dk_cpu_online_mask() - what cpu_online_mask points to: every CPU
 * num_online_cpus() counts.
 *
 * Return: the set.
 */
const struct cpumask *dk_cpu_online_mask(void);
#define cpu_online_mask		dk_cpu_online_mask()
#define cpu_possible_mask	dk_cpu_online_mask()

#define cpumask_test_cpu(cpu, mask)	(((mask)->bits >> (cpu)) & 1)
#define cpumask_weight(mask)		((unsigned int)__builtin_popcountll((mask)->bits))

#ifdef __cplusplus
}
#endif

#endif
