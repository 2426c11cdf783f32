// SPDX-License-Identifier: MIT
/*
 * The random differential soak: the workload of workload.h under every
 * cache policy, with and without forced bouncing, from a seed.
 *
 *   dmakit-soak [--ops N] [--seed S] [--inject PERCENT] [--config K]
 *
 * N steps in all (default 20000), split over the six configurations
 * (K: run only the K-th, 0-5, as a failure's replay line says).
 * Prints one line per configuration and "N passed, N failed"; exits 1 on
 * any failure, whose first one is printed with the seed that replays it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/soc.h>

#include "workload.h"

static int usage(void)
{
	fprintf(stderr, "usage: dmakit-soak [--ops N] [--seed S] [--inject PERCENT] [--config 0-5]\n");
	return 2;
}

static int number(const char *s, unsigned long long *v)
{
	char *end;

	if (!s || !*s)
		return -1;
	*v = strtoull(s, &end, 0);
	return *end ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const char *const pname[] = { "never", "adversarial", "random" };
	unsigned long long ops = 20000, seed = 1, inject = 10, only = 6;
	int i, passed = 0, failed = 0;

	for (i = 1; i < argc; i++) {
		unsigned long long *v = !strcmp(argv[i], "--ops") ? &ops :
					!strcmp(argv[i], "--seed") ? &seed :
					!strcmp(argv[i], "--inject") ? &inject :
					!strcmp(argv[i], "--config") ? &only :
								       NULL;

		if (!v || number(argv[++i < argc ? i : 0], v) || inject > 100)
			return usage();
	}
	for (i = 0; i < 6; i++) {
		struct wl_config c = { .policy = i % 3, .swiotlb_force = i / 3,
				       .seed = seed + i, .ops = ops / 6,
				       .inject = inject };
		struct wl_stats st;
		int r;

		if (only < 6 && i != (int)only)
			continue;
		r = wl_run(&c, &st);

		printf("%-11s %-8s seed %llu: %lu steps, %lu jobs, %lu bytes checked, %lu/%lu misuses reported%s\n",
		       pname[i % 3], c.swiotlb_force ? "bounce" : "direct",
		       seed + i, st.ops, st.jobs, st.bytes_checked, st.flagged,
		       st.injected, r ? "" : ", ok");
		if (r) {
			printf("FAIL %s\n", r == -1 ? st.first_failure :
				"the machine could not be built");
			printf("     replay: dmakit-soak --ops %llu --seed %llu --inject %llu --config %d\n",
			       ops, seed, inject, i);
			failed++;
		} else {
			passed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
