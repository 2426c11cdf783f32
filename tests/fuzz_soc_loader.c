// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the device-tree loader: any bytes must either load
 * (and then print and free cleanly) or fail with a negative errno and a
 * message. Built by "make $(BUILD)/fuzz-soc-loader" with clang; run by
 * tests/fuzz.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <dmakit/error.h>
#include <dmakit/soc.h>

/* Trees are small; bigger inputs only slow the fuzzer down. */
#define MAX_INPUT (64 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null_out;
	struct dk_soc *soc = NULL;
	int r;

	if (size > MAX_INPUT)
		return -1;	/* not added to the corpus */
	if (!null_out)
		null_out = fopen("/dev/null", "w");
	dk_clear_error();
	r = dk_soc_load_blob(data, size, NULL, &soc);
	if (r) {
		/* A refusal must be an errno with a reason and no SoC. */
		if (r >= 0 || soc || !dk_last_error()[0])
			abort();
		return 0;
	}
	if (!soc)
		abort();
	/* Everything the loader accepted must be printable. */
	if (null_out)
		dk_soc_show(soc, null_out);
	dk_soc_free(soc);
	return 0;
}
