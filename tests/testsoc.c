// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <dmakit/dma-debug.h>
#include <dmakit/error.h>
#include <dmakit/sim_device.h>

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

struct capture capture_start(void)
{
	struct capture c = { tmpfile() };

	if (c.f)
		dk_log_set_output(c.f);
	return c;
}

char *capture_end(struct capture *c, char *buf, size_t len)
{
	size_t n = 0;

	dk_log_set_output(NULL);
	if (c->f) {
		rewind(c->f);
		n = fread(buf, 1, len - 1, c->f);
		fclose(c->f);
	}
	buf[n] = '\0';
	return buf;
}

bool err_is(const char *want)
{
	if (!strcmp(dk_last_error(), want))
		return true;
	printf("    last error \"%s\"\n    expected   \"%s\"\n", dk_last_error(),
	       want);
	return false;
}

struct dk_soc *testsoc_model(const char *node, struct dk_simdev **dev,
			     void (*handler)(int irq, void *soc))
{
	struct dk_soc_opts o;
	struct dk_soc *soc = NULL;

	dk_soc_opts_init(&o);
	o.policy = DK_EVICT_NEVER;
	if (dk_soc_load_default(&o, &soc)) {
		dk_test_fail(__FILE__, __LINE__, "default SoC: %s",
			     dk_last_error());
		return NULL;
	}
	*dev = dk_soc_find_dev(soc, node);
	if (!*dev || dk_soc_request_irq(soc, dk_simdev_desc(*dev)->irq,
					handler, soc)) {
		dk_test_fail(__FILE__, __LINE__, "%s: %s", node, dk_last_error());
		dk_soc_free(soc);
		return NULL;
	}
	return soc;
}

bool bytes_are(const void *p, int v, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		if (*b++ != (unsigned char)v)
			return false;
	return true;
}

FILE *testdebug_start(void)
{
	FILE *sink = fopen("/dev/null", "w");

	dk_dma_debug_set_output(sink);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	dk_dma_debug_clear();
	return sink;
}

void testdebug_end(FILE *sink)
{
	dk_dma_debug_set_output(NULL);
	if (sink)
		fclose(sink);
	dk_dma_debug_clear();
}

void testdebug_only(int check, const char *msg)
{
	const struct dk_dma_finding *f = dk_dma_debug_finding(0);

	CHECK_EQ(dk_dma_debug_nfindings(), 1);
	CHECK_EQ(f ? (int)f->check : DK_CHK_NR, check);
	CHECK_STR(f ? f->message : NULL, msg);
	dk_dma_debug_clear();
}

u64 test_rnd(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

bool iova_ref_free(const phys_addr_t *ref, unsigned long p, unsigned long n)
{
	while (n--)
		if (ref[p++])
			return false;
	return true;
}

size_t iova_ref_unmap(phys_addr_t *ref, unsigned long p, unsigned long n)
{
	size_t done = 0;

	for (; n--; p++) {
		done += ref[p] ? 4096 : 0;
		ref[p] = 0;
	}
	return done;
}

struct testrig testrig_boot(const char *dts, int policy, int rate,
			    const char *dev)
{
	struct dk_soc_opts o = testsoc_policy(policy, 7, rate);
	struct testrig r = { .t = testmachine_boot(dts, &o, NULL) };

	r.dev = dk_machine_find_device(r.t.m, dev);
	r.sd = dk_soc_find_dev(r.t.soc, dev);
	r.sink = testdebug_start();
	return r;
}

void testrig_done(struct testrig *r)
{
	testdebug_end(r->sink);
	testmachine_shutdown(&r->t);
}

const char testsoc_iommu_tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x4000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	smmu: iommu@fd800000 { compatible = \"dmakit,iommu\"; #iommu-cells = <1>; };\n"
	"	gpu { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x10>; };\n"
	"	vpu { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x20>; };\n"
	"	plain { compatible = \"dmakit,generic-master\"; }; };\n"
	"};\n";

int test_in_child(void (*fn)(volatile u8 *p), volatile u8 *p, char *out,
		  size_t len)
{
	int fds[2], status = 0;
	ssize_t n, got = 0;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (!pid) {
		dup2(fds[1], STDERR_FILENO);
		fn(p);
		_exit(0);
	}
	close(fds[1]);
	while (got < (ssize_t)len - 1 &&
	       (n = read(fds[0], out + got, len - 1 - got)) > 0)
		got += n;
	out[got] = 0;
	close(fds[0]);
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

/* A forked test starts with no finding recorded; one run --no-fork after
 * another that left findings would count them as its own. */
void dk_test_fresh(void)
{
	dk_dma_debug_clear();
}
