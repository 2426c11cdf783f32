/* SPDX-License-Identifier: MIT */
/*
 * A small number per thread, given in turn to each thread that asks, as a
 * CPU number is to per-CPU data in Linux: code that keeps state per
 * thread slot (IOVA magazines, flush queues, the IOMMU's page-table
 * writers) picks its slot with it, so two threads seldom share one.
 */
#ifndef DMAKIT_CORE_THREAD_NO_H
#define DMAKIT_CORE_THREAD_NO_H

/* The calling thread's number once given (~0U before), and the giving;
 * initial-exec, so a look costs one load and no call. */
extern _Thread_local unsigned int dk_thread_no_tls
	__attribute__((tls_model("initial-exec")));
unsigned int dk_thread_no_new(void);

/* The calling thread's number, 0 for the first to ask. */
static inline unsigned int dk_thread_no(void)
{
	unsigned int n = dk_thread_no_tls;

	return n != ~0U ? n : dk_thread_no_new();
}

#endif
