/* SPDX-License-Identifier: MIT */
/*
 * The hostile-input sweep: one table of cases over every public function,
 * each run in its own forked process under an alarm, so a crash, a hang or
 * (built with ASan) a memory error is one failed case with a name.
 */
#ifndef DMAKIT_TESTS_SWEEP_H
#define DMAKIT_TESTS_SWEEP_H

#include <stdint.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/machine.h>
#include <dmakit/platform.h>
#include <dmakit/soc.h>

/* What a case runs in. */
enum sweep_world {
	W_NONE,		/* no machine was ever booted in this process */
	W_MACHINE,	/* the built-in SoC booted; another machine beside it */
};

struct sweep_env {
	struct dk_soc *soc;
	struct dk_platform pl;
	struct dk_machine *m;
	struct device *dev;		/* master@10010000: non-coherent */
	struct dk_simdev *sdev;		/* its simulated side */
	void *buf;			/* 256 bytes of kmalloc of m */
	/* another machine, on its own SoC: its objects are foreign to m */
	struct dk_soc *osoc;
	struct dk_machine *om;
	struct device *odev;
	void *obuf;			/* 256 bytes of kmalloc of om */
};

struct sweep_case {
	const char *fn;		/* the public function (or macro) covered */
	const char *what;	/* the hostile input */
	enum sweep_world world;
	int (*run)(struct sweep_env *e);	/* 0: the documented result */
	const char *file;
	int line;
	struct sweep_case *next;
};

void sweep_register(struct sweep_case *c);
/* Record why a case failed (the child reports it); returns 1. */
int sweep_fail(const char *file, int line, const char *what);

#define SWEEP_CAT2(a, b) a##b
#define SWEEP_CAT(a, b) SWEEP_CAT2(a, b)

/* SWEEP(fn, "what", world) { body returning 0 } */
#define SWEEP(fn_, what_, world_)                                          \
	static int SWEEP_CAT(sweep_run_, __LINE__)(struct sweep_env *e);   \
	static struct sweep_case SWEEP_CAT(sweep_case_, __LINE__) = {      \
		#fn_, what_, world_, SWEEP_CAT(sweep_run_, __LINE__),      \
		__FILE__, __LINE__, NULL };                                \
	__attribute__((constructor)) static void                           \
	SWEEP_CAT(sweep_reg_, __LINE__)(void)                              \
	{                                                                  \
		sweep_register(&SWEEP_CAT(sweep_case_, __LINE__));         \
	}                                                                  \
	static int SWEEP_CAT(sweep_run_, __LINE__)(                        \
		struct sweep_env *e __attribute__((unused)))

#define EXPECT(c)                                                          \
	do {                                                               \
		if (!(c))                                                  \
			return sweep_fail(__FILE__, __LINE__, #c);         \
	} while (0)

/* dk_last_error() contains @sub. */
#define EXPECT_ERR(sub) EXPECT(strstr(dk_last_error(), (sub)) != NULL)

/* What the library printed to its log (and the checker's output) so far
 * in this case contains @sub. */
bool sweep_log_has(const char *sub);
#define EXPECT_LOG(sub) EXPECT(sweep_log_has(sub))

/* Exactly one finding so far, of class @check. */
#define EXPECT_FINDING(cls)                                                \
	EXPECT(dk_dma_debug_nfindings() == 1 &&                            \
	       dk_dma_debug_finding(0)->check == (cls))

/* Objects that were live once: each made and destroyed in the case's own
 * process; m stays the current machine. */
struct device *sweep_dead_device(struct sweep_env *e);
struct dk_machine *sweep_dead_machine(struct sweep_env *e);
struct dk_soc *sweep_freed_soc(struct sweep_env *e);
struct dk_simdev *sweep_dead_simdev(struct sweep_env *e);
/* A device of the built-in SoC by node name, and its simulated side. */
struct device *sweep_dev(struct sweep_env *e, const char *name);
struct dk_simdev *sweep_simdev(struct sweep_env *e, const char *name);

#endif
