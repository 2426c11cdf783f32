/* SPDX-License-Identifier: MIT */
#ifndef DMAKIT_TOOLS_BENCH_H
#define DMAKIT_TOOLS_BENCH_H

#include <stdio.h>

/*
 * dk_bench - run the benchmark table on the built-in SoC, printing to
 * @out. @scale is the iteration count in percent of the default (100).
 * Returns 0 or a negative errno.
 */
int dk_bench(FILE *out, unsigned int scale);

/* dk_bench_iommu - the IOMMU rows (bench_iommu.c), on a machine of their
 * own: call it with no other machine booted. 0 or a negative errno. */
int dk_bench_iommu(FILE *out, unsigned int scale);

#endif
