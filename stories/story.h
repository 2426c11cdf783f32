/* SPDX-License-Identifier: MIT */
/*
 * The bug stories of the talks, runnable. Each story has a buggy and a
 * fixed driver; the runner boots a fresh machine on the built-in SoC for
 * every (story, policy, variant), runs the driver, and judges it by what
 * the data, the interconnect and the checker say.
 */
#ifndef DMAKIT_STORIES_STORY_H
#define DMAKIT_STORIES_STORY_H

#include <stdio.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/machine.h>
#include <dmakit/platform.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>
#include <dmakit/soc.h>

struct story_env {
	struct dk_soc *soc;
	struct dk_platform pl;
	struct dk_machine *m;
	int policy;
	bool fixed;
	FILE *log;		/* narration with -v, else NULL */
	bool data_ok;		/* the driver's own check of its data */
	char note[256];		/* what the data check saw */
};

/* Where a story comes from, as a person cites it. */
struct story_source {
	const char *title;	/* NULL: the slides carry none */
	const char *speaker;	/* NULL: a Q&A thread, titled @title */
	const char *event;	/* and year; for a thread, where it was */
};

extern const struct story_source story_talk_fatoum, story_talk_sang,
	story_talk_pinchart;
/* The Q&A threads (a story's "slide" is then the question it answers). */
extern const struct story_source story_thread_dma_into_kernel,
	story_thread_struct_page_mapping, story_thread_copy_to_user_io,
	story_thread_sram_dma, story_thread_zero_copy, story_thread_trustzone;

struct story {
	const char *name;	/* for "dmakit stories NAME" */
	const char *title;
	const struct story_source *from;	/* which talk tells it */
	const char *slide;	/* the slide that tells it */
	const char *bug;	/* what the buggy driver does */
	const char *fix;	/* what the fix changes */
	/* The key lines of each driver, shown side by side with -v. */
	const char *bug_code;
	const char *fix_code;
	const char *partial;	/* non-NULL: what cannot be modelled */
	/* Adjust the built-in tree before boot (NULL: use it as is). */
	int (*patch_tree)(void *fdt, size_t cap, bool fixed);
	/* Machine options (NULL: defaults). */
	void (*machine_opts)(struct dk_machine_opts *o, bool fixed);
	/* The driver. Sets env->data_ok. 0, or -errno if it could not run. */
	int (*run)(struct story_env *env);
};

/* "“slide”, Speaker, “Title”, Event Year" into @buf. */
const char *story_cite(const struct story *s, char *buf, size_t len);

/* Narrate with -v. */
void story_say(struct story_env *env, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Fill @n bytes with a pattern seeded by @seed; check it. */
void story_fill(void *p, size_t n, unsigned int seed);
bool story_check(const void *p, size_t n, unsigned int seed);
/* Bytes of @p that differ from the pattern. */
size_t story_diff(const void *p, size_t n, unsigned int seed);

/* A device of the machine and its simulated counterpart. */
struct device *story_dev(struct story_env *env, const char *name);
struct dk_simdev *story_simdev(struct story_env *env, const char *name);

/* A register write as writel() makes it: wmb(), then the store, so the
 * device sees the CPU's earlier stores to coherent memory. 0 or -errno. */
int story_writel(struct dk_simdev *sd, u64 reg, u32 val);

/* The device moves a mapped table's segments in order: writes @buf into
 * them (@to_mem) or reads them into @buf. Bytes moved, or -errno. */
struct sg_table;
long story_sg_xfer(struct dk_simdev *sd, struct sg_table *sgt, void *buf,
		   bool to_mem);

/* libfdt helpers for patch_tree. 0 or -1. */
int story_set_prop(void *fdt, const char *path, const char *prop,
		   const void *val, int len);
int story_del_prop(void *fdt, const char *path, const char *prop);
/* How the CPU maps coherent memory: "normal-nc" (the built-in SoC, as
 * arm64 Linux) or "strongly-ordered" (as barebox). 0 or -1. */
int story_coherent_mapping(void *fdt, const char *mapping);
/* A patch_tree: coherent memory strongly ordered for both drivers. */
int story_strongly_ordered(void *fdt, size_t cap, bool fixed);

extern const struct story *const dk_stories[];

int dk_stories_main(int argc, char **argv);

#endif
