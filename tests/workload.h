/* SPDX-License-Identifier: MIT */
/*
 * A random DMA workload on the built-in SoC: a correct driver doing every
 * flavour of mapping (single, page, scatter-gather, coherent, pool,
 * non-coherent), interleaved, on a non-coherent 64-bit master, a
 * coherent one and a 32-bit master over RAM above 4 GiB, with known
 * misuses injected at random. Correct jobs must be byte-exact with no
 * finding; each injected misuse must be reported, by its own class.
 * The choices come from a seeded generator (the soak) or from a fuzzer's
 * input (the DMA API fuzz target), so a failure replays exactly.
 */
#ifndef DMAKIT_TESTS_WORKLOAD_H
#define DMAKIT_TESTS_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

struct wl_config {
	int policy;		/* DK_EVICT_* */
	int swiotlb_force;	/* bounce every streaming mapping */
	uint64_t seed;		/* with data NULL: the generator's seed */
	const uint8_t *data;	/* else: choices read from here ... */
	size_t len;		/* ... until it runs out */
	unsigned long ops;	/* steps to take (data: at most) */
	unsigned int inject;	/* misuse per started job, in percent */
};

struct wl_stats {
	unsigned long ops, jobs, bytes_checked;
	unsigned long injected, flagged;	/* misuses and those caught */
	unsigned long failures;			/* anything wrong */
	char first_failure[512];
};

/* Run one workload on a fresh machine. 0 if nothing was wrong, else -1
 * with @st saying what; -errno if the machine could not be built. */
int wl_run(const struct wl_config *cfg, struct wl_stats *st);

#endif
