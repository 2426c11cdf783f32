/* SPDX-License-Identifier: MIT */
/*
 * tests/linux/dmaq.c: what the kernel's dmaengine test (dmatest) takes
 * from the kernel: module parameters, lists, random numbers, the
 * dmaengine capability mask, dma_request_channel() with a filter and
 * dmaengine_unmap_data, written as a dmatest-like module.
 */
#ifndef DMAKIT_TESTS_LINUX_DMAQ_H
#define DMAKIT_TESTS_LINUX_DMAQ_H

#include <stdbool.h>

/* The module's parameters, as a test reads them back. */
extern unsigned int dmaq_len;
extern char dmaq_chan[20];
extern int dmaq_runs;
extern bool dmaq_single;	/* map with dma_map_single() (a bug) */		/* times the "run" callback started a run */

/*
 * Through the module's "run" parameter (dk_param_set("dmaq.run", "1")):
 * take every free memcpy channel whose name passes the "chan" filter,
 * copy dmaq_len random bytes through each with the buffers in one
 * dmaengine_unmap_data, and count. These say how the last run went.
 */
struct dmaq_result {
	int channels;		/* taken, then given back */
	int copied;		/* copies with exact bytes */
	int bad;		/* copies that differed */
	char first[24];		/* the first channel's name */
};
extern struct dmaq_result dmaq_last;

/* List operations on fixed entries: each step's order as a number. */
long long dmaq_lists(void);

#endif
