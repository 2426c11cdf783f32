/* SPDX-License-Identifier: MIT */
/* Building small SoCs from inline device-tree source for tests. */
#ifndef DMAKIT_TESTS_TESTSOC_H
#define DMAKIT_TESTS_TESTSOC_H

#include <stdio.h>

#include <dmakit/soc.h>

/*
 * Compile @dts (a complete tree source) with dtc and load it with @opts.
 * Returns the SoC or NULL (the harness failure is recorded).
 */
struct dk_soc *testsoc_load(const char *dts, const struct dk_soc_opts *opts);

/* Same as testsoc_load but returns the loader's error code. */
int testsoc_try(const char *dts, const struct dk_soc_opts *opts,
		struct dk_soc **out);

/* Opts with only the eviction policy (and seed/rate for random) set. */
struct dk_soc_opts testsoc_policy(int policy, unsigned long long seed,
				  int rate);



#include <dmakit/machine.h>
#include <dmakit/platform.h>

struct testmachine {
	struct dk_soc *soc;
	struct dk_platform pl;
	struct dk_machine *m;
};

/* Load @dts (NULL: the built-in SoC) and boot a machine on it. */
struct testmachine testmachine_boot(const char *dts,
				    const struct dk_soc_opts *sopts,
				    const struct dk_machine_opts *mopts);
void testmachine_shutdown(struct testmachine *t);

/*
 * testsoc_model - the built-in SoC with the cache policy "never", its
 * device @node in *@dev, and @handler on the device's interrupt with the
 * SoC as its argument. NULL (failure recorded) if any step fails.
 */
struct dk_simdev;
struct dk_soc *testsoc_model(const char *node, struct dk_simdev **dev,
			     void (*handler)(int irq, void *soc));

/*
 * Capture what the library prints to its kernel log (dev_err, warnings)
 * between capture_start() and capture_end(), which returns it in @buf.
 */
struct capture {
	FILE *f;
};
struct capture capture_start(void);
char *capture_end(struct capture *c, char *buf, size_t len);

/*
 * testdebug_start - the checker on in mode "all", its findings cleared,
 * its reports printed to the returned /dev/null stream instead of the
 * harness output. testdebug_end - back to the default output, findings
 * cleared, @sink closed.
 */
FILE *testdebug_start(void);
void testdebug_end(FILE *sink);
/* testdebug_only - there is one finding, of class @check (an enum
 * dk_dma_check) with @msg in its message; then none. */
void testdebug_only(int check, const char *msg);

/* dk_last_error() is exactly @want; prints both when not. */
bool err_is(const char *want);

/* Every one of the @n bytes at @p is @v. */
bool bytes_are(const void *p, int v, size_t n);

/*
 * testrig_boot - a machine from @dts under cache policy @policy (seed 7,
 * @rate as testsoc_policy()), its device @dev on both sides and the
 * checker on (testdebug_start()). testrig_done - the checker back, the
 * machine shut down.
 */
struct testrig {
	struct testmachine t;
	struct device *dev;
	struct dk_simdev *sd;
	FILE *sink;
};
struct testrig testrig_boot(const char *dts, int policy, int rate,
			    const char *dev);
void testrig_done(struct testrig *r);

/* 64 MiB of RAM at 0x80000000, an IOMMU, masters gpu (stream 0x10) and
 * vpu (0x20) behind it and plain, not behind it. */
extern const char testsoc_iommu_tree[];

/* The next of a deterministic xorshift sequence kept in *@s (not 0). */
u64 test_rnd(u64 *s);

/*
 * A reference IOMMU for randomized tests: @ref[p] is the physical page
 * IOVA page p maps, or 0. iova_ref_free - pages p..p+n-1 all unmapped.
 * iova_ref_unmap - unmap them; the bytes that were mapped.
 */
bool iova_ref_free(const phys_addr_t *ref, unsigned long p, unsigned long n);
size_t iova_ref_unmap(phys_addr_t *ref, unsigned long p, unsigned long n);

/*
 * Run @fn(@p) in a forked child whose stderr goes to @out (@len bytes
 * with the NUL): the signal it died of, 0 if none, -1 if no pipe.
 */
int test_in_child(void (*fn)(volatile u8 *p), volatile u8 *p, char *out,
		  size_t len);

/* TEST_ASAN: built with AddressSanitizer, whose interface is then in
 * scope (a test asks whether an address is poisoned). */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif
#ifdef __SANITIZE_ADDRESS__
#define TEST_ASAN 1
#endif
#ifdef TEST_ASAN
#include <sanitizer/asan_interface.h>
#endif

#endif
