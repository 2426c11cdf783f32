// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for DMA API call sequences: the soak's workload
 * (workload.h) with every choice read from the input, so the fuzzer steers
 * which flavours, sizes, directions, interleavings and misuses happen.
 * Any wrong byte, false finding or missed misuse aborts, which libFuzzer
 * keeps as a reproducer; crashes and sanitizer reports do too.
 */
#include <stdio.h>
#include <stdlib.h>

#include "workload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wl_config c = { .ops = 400 };
	struct wl_stats st;
	int r;

	if (size < 2)
		return 0;
	c.policy = data[0] % 3;
	c.swiotlb_force = data[0] / 3 % 2;
	c.inject = data[1] % 101;
	c.data = data + 2;
	c.len = size - 2;
	r = wl_run(&c, &st);
	if (r == -1) {
		fprintf(stderr, "fuzz-dma-api: %s\n", st.first_failure);
		abort();
	}
	return 0;
}
