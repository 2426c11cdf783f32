/* SPDX-License-Identifier: MIT */
/* What tests/linux/ofq.c read from its node, for the test to compare. */
#ifndef DMAKIT_TESTS_LINUX_OFQ_H
#define DMAKIT_TESTS_LINUX_OFQ_H

#include <stdint.h>

struct ofq_result {
	int probed;
	int r_u32, r_missing, r_empty, r_short, r_array, r_u64;
	uint32_t u32, array[3];
	unsigned long long u64;	/* the kernel's u64 */
	int r_str, r_str_idx2, r_str_past, n_strings, match_rx, match_none;
	const char *str, *str_idx2;
	int n_dmas, r_dma0, r_dma1, r_dma2, r_badcells;
	const char *dma0_np, *dma1_np;
	int dma0_count, dma1_count;
	uint32_t dma0_arg0, dma1_arg0, dma1_arg1;
	int compat_hi, compat_lo, compat_no, bool_yes, bool_no;
	const char *parent, *child;
	int r_rst_opt_null, r_rst_missing, r_clk_opt_null;
	int stack_local, stack_heap, vmalloc_heap, is_vm;
	unsigned long clk_rate;
};

extern struct ofq_result ofq;

#endif
