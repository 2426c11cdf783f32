// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <dmakit/error.h>

#include "harness.h"
#include "testsoc.h"

int testsoc_try(const char *dts, const struct dk_soc_opts *opts,
		struct dk_soc **out)
{
	char path[] = "/tmp/dmakit-test-XXXXXX.dts";
	int fd = mkstemps(path, 4), r;
	FILE *f;

	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	fputs(dts, f);
	fclose(f);
	r = dk_soc_load(path, opts, out);
	unlink(path);
	return r;
}

struct dk_soc *testsoc_load(const char *dts, const struct dk_soc_opts *opts)
{
	struct dk_soc *soc = NULL;
	int r = testsoc_try(dts, opts, &soc);

	if (r)
		dk_test_fail(__FILE__, __LINE__, "loading test SoC: %d: %s", r,
			     dk_last_error());
	return soc;
}

struct dk_soc_opts testsoc_policy(int policy, unsigned long long seed,
				  int rate)
{
	struct dk_soc_opts o;

	dk_soc_opts_init(&o);
	o.policy = policy;
	o.seed = seed;
	o.seed_set = true;
	o.rate = rate;
	return o;
}

struct testmachine testmachine_boot(const char *dts,
				    const struct dk_soc_opts *sopts,
				    const struct dk_machine_opts *mopts)
{
	struct testmachine t = { 0 };
	int r;

	if (dts)
		t.soc = testsoc_load(dts, sopts);
	else if (dk_soc_load_default(sopts, &t.soc))
		dk_test_fail(__FILE__, __LINE__, "default SoC: %s",
			     dk_last_error());
	if (!t.soc)
		return t;
	dk_platform_sim(t.soc, &t.pl);
	r = dk_machine_boot(&t.pl, mopts, &t.m);
	if (r)
		dk_test_fail(__FILE__, __LINE__, "boot: %d: %s", r,
			     dk_last_error());
	return t;
}

void testmachine_shutdown(struct testmachine *t)
{
	dk_machine_shutdown(t->m);
	dk_soc_free(t->soc);
	t->m = NULL;
	t->soc = NULL;
}
