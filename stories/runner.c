// SPDX-License-Identifier: MIT
/*
 * "dmakit stories": run every story, buggy and fixed, under every eviction
 * policy, each on a freshly booted machine, and print what caught the bug
 * and whether the fix is clean. Exits 0 only if every buggy run was caught
 * and every fixed run was clean.
 */
#include <errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <dmakit/error.h>
#include <dmakit/io.h>
#include <dmakit/scatterlist.h>
#include <dmakit/trace.h>

#include "story.h"

#define NPOL 3

struct outcome {
	int err;		/* the run itself failed */
	bool corrupt;
	size_t faults;
	size_t findings;
	enum dk_dma_check first;
	char note[256];
};

struct opts {
	int policy;		/* -1: all */
	bool seed_set;
	u64 seed;
	bool verbose;
	const char *soc;
	const char *svg;	/* --svg FILE */
	const char *trace;	/* --trace FILE */
};

/* The runs the pictures show: one policy's, adversarial unless chosen. */
static bool pictured(const struct opts *o, int policy)
{
	return (o->svg || o->trace) &&
	       policy == (o->policy >= 0 ? o->policy : DK_EVICT_ADVERSARIAL);
}

void story_say(struct story_env *env, const char *fmt, ...)
{
	va_list ap;

	if (!env->log)
		return;
	fputs("    ", env->log);
	va_start(ap, fmt);
	vfprintf(env->log, fmt, ap);
	va_end(ap);
	fputc('\n', env->log);
}

void story_fill(void *p, size_t n, unsigned int seed)
{
	unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (unsigned char)((i * 151 + seed * 31 + (i >> 8)) | 1);
}

size_t story_diff(const void *p, size_t n, unsigned int seed)
{
	const unsigned char *b = p;
	size_t i, d = 0;

	for (i = 0; i < n; i++)
		d += b[i] != (unsigned char)((i * 151 + seed * 31 + (i >> 8)) | 1);
	return d;
}

bool story_check(const void *p, size_t n, unsigned int seed)
{
	return !story_diff(p, n, seed);
}

/*
 * A story run on a user's tree (--soc) may ask for a node that tree does
 * not have. Rather than have every story test every lookup, the lookup
 * abandons the run and says which node it needed; what the story had
 * allocated goes with its machine.
 */
static jmp_buf *missing_jmp;
static char missing_node[160];

static void *need(void *found, const char *name)
{
	if (!found && missing_jmp) {
		snprintf(missing_node, sizeof(missing_node), "%s", name);
		longjmp(*missing_jmp, 1);
	}
	return found;
}

struct device *story_dev(struct story_env *env, const char *name)
{
	return need(dk_machine_find_device(env->m, name), name);
}

struct dk_simdev *story_simdev(struct story_env *env, const char *name)
{
	return need(dk_soc_find_dev(env->soc, name), name);
}

int story_writel(struct dk_simdev *sd, u64 reg, u32 val)
{
	/* writel()'s barrier: what the CPU stored before the doorbell has
	 * left the write buffer when the device acts on it. */
	wmb();
	return dk_dev_mmio_write32(sd, reg, val);
}

long story_sg_xfer(struct dk_simdev *sd, struct sg_table *sgt, void *buf,
		   bool to_mem)
{
	struct scatterlist *sg;
	unsigned int i;
	long off = 0;
	int r;

	for_each_sgtable_dma_sg(sgt, sg, i) {
		r = to_mem ? dk_dev_dma_write(sd, sg_dma_address(sg),
					      (u8 *)buf + off, sg_dma_len(sg)) :
			     dk_dev_dma_read(sd, sg_dma_address(sg),
					     (u8 *)buf + off, sg_dma_len(sg));
		if (r)
			return r;
		off += sg_dma_len(sg);
	}
	return off;
}

int story_set_prop(void *fdt, const char *path, const char *prop,
		   const void *val, int len)
{
	int node = fdt_path_offset(fdt, path);

	return node < 0 || fdt_setprop(fdt, node, prop, val, len) ? -1 : 0;
}

int story_coherent_mapping(void *fdt, const char *mapping)
{
	return story_set_prop(fdt, "/dmakit", "coherent-mapping", mapping,
			      (int)strlen(mapping) + 1);
}

int story_strongly_ordered(void *fdt, size_t cap, bool fixed)
{
	(void)cap;
	(void)fixed;
	return story_coherent_mapping(fdt, "strongly-ordered");
}

int story_del_prop(void *fdt, const char *path, const char *prop)
{
	int node = fdt_path_offset(fdt, path);

	return node < 0 || fdt_delprop(fdt, node, prop) ? -1 : 0;
}

/* s->run(), with its reason in @why if it could not run. */
static int run_story(const struct story *s, struct story_env *env,
		     char *why, size_t len)
{
	jmp_buf jb;
	int r;

	if (setjmp(jb)) {
		missing_jmp = NULL;
		snprintf(why, len, "cannot run on this tree: it needs node \"%s\"",
			 missing_node);
		return -ENODEV;
	}
	missing_jmp = &jb;
	r = s->run(env);
	missing_jmp = NULL;
	if (r)
		snprintf(why, len, "%s", dk_last_error());
	return r;
}

static int run_one(const struct story *s, const void *base, size_t len,
		   const struct opts *o, int policy, bool fixed, FILE *log,
		   struct outcome *out)
{
	size_t cap = len + 8192;
	void *fdt = malloc(cap);
	struct dk_soc_opts so;
	struct dk_machine_opts mo = { 0 };
	struct story_env env = { .policy = policy, .fixed = fixed, .log = log };
	FILE *sink = fopen("/dev/null", "w");
	int r;

	memset(out, 0, sizeof(*out));
	if (!fdt || !sink || fdt_open_into(base, fdt, cap)) {
		free(fdt);
		if (sink)
			fclose(sink);
		return out->err = -ENOMEM;
	}
	r = s->patch_tree ? s->patch_tree(fdt, cap, fixed) : 0;
	dk_soc_opts_init(&so);
	so.policy = policy;
	so.seed_set = o->seed_set;
	so.seed = o->seed;
	if (!r)
		r = dk_soc_load_blob(fdt, fdt_totalsize(fdt), &so, &env.soc);
	free(fdt);
	if (s->machine_opts)
		s->machine_opts(&mo, fixed);
	if (!r)
		r = dk_platform_sim(env.soc, &env.pl);
	if (!r)
		r = dk_machine_boot(&env.pl, &mo, &env.m);
	if (r) {
		snprintf(out->note, sizeof(out->note), "boot: %s",
			 dk_last_error());
		dk_soc_free(env.soc);
		fclose(sink);
		return out->err = r;
	}
	dk_dma_debug_set_output(log ? log : sink);
	dk_log_set_output(log ? log : sink);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	dk_dma_debug_clear();
	if (pictured(o, policy)) {
		char title[160];

		snprintf(title, sizeof(title), "%s: %s driver (policy %s)",
			 s->name, fixed ? "fixed" : "buggy",
			 dk_evict_policy_name(policy));
		if (dk_trace_begin(env.m, title))
			fprintf(stderr, "dmakit: %s\n", dk_last_error());
	}
	r = run_story(s, &env, out->note, sizeof(out->note));
	if (pictured(o, policy))
		dk_trace_end();
	out->err = r;
	out->corrupt = !env.data_ok;
	out->faults = dk_soc_nfaults(env.soc);
	out->findings = dk_dma_debug_nfindings();
	if (out->findings)
		out->first = dk_dma_debug_finding(0)->check;
	if (!r)
		snprintf(out->note, sizeof(out->note), "%s", env.note);
	if (log) {
		size_t i;

		for (i = 0; i < out->faults; i++) {
			const struct dk_fault *f = dk_soc_fault(env.soc, i);

			fprintf(log, "    interconnect fault: %s %s of %zu bytes at 0x%llx: %s\n",
				f->device, f->write ? "write" : "read", f->len,
				(unsigned long long)f->dev_addr,
				dk_fault_reason_name(f->reason));
		}
	}
	dk_machine_shutdown(env.m);
	dk_soc_free(env.soc);
	dk_dma_debug_set_output(NULL);
	dk_log_set_output(NULL);
	dk_dma_debug_clear();
	fclose(sink);
	return r;
}

static bool caught(const struct outcome *o)
{
	return !o->err && (o->corrupt || o->faults || o->findings);
}

static bool clean(const struct outcome *o)
{
	return !o->err && !o->corrupt && !o->faults && !o->findings;
}

static void describe(const struct outcome *o, char *buf, size_t len)
{
	if (o->err) {
		snprintf(buf, len, "error");
		return;
	}
	snprintf(buf, len, "%s%s%s%s%s",
		 o->corrupt ? "corrupt" : "intact",
		 o->faults ? "+fault" : "",
		 o->findings ? "+" : "",
		 o->findings ? dk_dma_check_name(o->first) : "", "");
}

/* 0, or 1 when @path could not be written (said on stderr). */
static int write_picture(const char *path, int (*fn)(FILE *))
{
	FILE *f = fopen(path, "w");
	int r;

	if (!f) {
		fprintf(stderr, "dmakit: %s: %s\n", path, strerror(errno));
		return 1;
	}
	r = fn(f);
	if (fclose(f) && !r)
		r = -EIO;
	if (r)
		fprintf(stderr, "dmakit: %s: %s\n", path, dk_last_error());
	return r ? 1 : 0;
}

static int write_pictures(const struct opts *o)
{
	int bad = 0;

	if (o->svg)
		bad |= write_picture(o->svg, dk_trace_write_svg);
	if (o->trace)
		bad |= write_picture(o->trace, dk_trace_write_json);
	dk_trace_clear();
	return bad;
}

static int load_base(const struct opts *o, void **base, size_t *len)
{
	if (!o->soc) {
		*base = (void *)dk_soc_default_dtb(len);
		return 0;
	}
	return dk_dtb_from_file(o->soc, base, len);
}

static void list(void)
{
	char cite[300];
	int i;

	for (i = 0; dk_stories[i]; i++)
		printf("%-28s %s (%s)\n", dk_stories[i]->name,
		       dk_stories[i]->title,
		       story_cite(dk_stories[i], cite, sizeof(cite)));
}

/* Columns count characters, not the bytes of UTF-8 or a tab's 8. */
static int width(const char *s, int n)
{
	int w = 0, i;

	for (i = 0; i < n; i++)
		if (s[i] == '\t')
			w = (w / 8 + 1) * 8;
		else if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

static void column(FILE *f, const char **p, int w)
{
	const char *s = *p, *e = s ? strchr(s, '\n') : NULL;
	int n = e ? (int)(e - s) : s ? (int)strlen(s) : 0, i;

	for (i = 0; i < n; i++)
		if (s[i] == '\t')
			fprintf(f, "%*s", 8 - width(s, i) % 8, "");
		else
			fputc(s[i], f);
	fprintf(f, "%*s", w - width(s, n) > 0 ? w - width(s, n) : 0, "");
	*p = e ? e + 1 : NULL;
	if (*p && !**p)
		*p = NULL;
}

/* The buggy and the fixed driver's key lines, side by side. */
static void side_by_side(FILE *f, const struct story *s)
{
	const char *b = s->bug_code, *x = s->fix_code;

	if (!b || !x)
		return;
	fprintf(f, "  %-44s| %s\n", "buggy", "fixed");
	while (b || x) {
		fputs("    ", f);
		column(f, &b, 42);
		fputs("|   ", f);
		column(f, &x, 0);
		fputc('\n', f);
	}
}

static const struct story *find(const char *name)
{
	int i;

	for (i = 0; dk_stories[i]; i++)
		if (!strcmp(dk_stories[i]->name, name))
			return dk_stories[i];
	return NULL;
}

/* Why a row failed: each distinct reason once, with the runs it hit. */
struct why {
	int n;
	char runs[NPOL * 2][128];
	char text[NPOL * 2][300];
};

static void why_add(struct why *w, const char *variant, const char *policy,
		    const char *prefix, const char *note)
{
	char text[300];
	int i;

	snprintf(text, sizeof(text), "%s%s", prefix, note);
	for (i = 0; i < w->n && strcmp(w->text[i], text); i++)
		;
	if (i == w->n) {
		w->n++;
		w->runs[i][0] = '\0';
		memcpy(w->text[i], text, sizeof(text));
	}
	snprintf(w->runs[i] + strlen(w->runs[i]),
		 sizeof(w->runs[i]) - strlen(w->runs[i]), "%s%s %s",
		 w->runs[i][0] ? ", " : "", variant, policy);
}

static bool tell(const struct story *s, const void *base, size_t len,
		 const struct opts *o, FILE *log)
{
	static const char *const pol[NPOL] = { "never", "adversarial",
					       "random" };
	char b[NPOL][64], f[NPOL][64], bug[200] = "", fix[200] = "";
	struct why why = { 0 };
	struct outcome ob, of;
	bool ok = true;
	int p;

	if (log) {
		char cite[300];

		fprintf(log, "\n== %s: %s\n  from %s\n  the bug: %s\n  the fix: %s\n%s%s%s",
			s->name, s->title, story_cite(s, cite, sizeof(cite)),
			s->bug, s->fix,
			s->partial ? "  modelled in part: " : "",
			s->partial ? s->partial : "", s->partial ? "\n" : "");
		side_by_side(log, s);
	}
	for (p = 0; p < NPOL; p++) {
		b[p][0] = f[p][0] = '\0';
		if (o->policy >= 0 && p != o->policy)
			continue;
		if (log)
			fprintf(log, "  -- policy %s, buggy driver:\n", pol[p]);
		run_one(s, base, len, o, p, false, log, &ob);
		if (log)
			fprintf(log, "    data: %s\n  -- policy %s, fixed driver:\n",
				ob.note, pol[p]);
		run_one(s, base, len, o, p, true, log, &of);
		if (log)
			fprintf(log, "    data: %s\n", of.note);
		describe(&ob, b[p], sizeof(b[p]));
		describe(&of, f[p], sizeof(f[p]));
		ok &= caught(&ob) && clean(&of);
		if (!caught(&ob))
			why_add(&why, "buggy", pol[p], ob.err ? "" : "not caught: ",
				ob.note);
		if (!clean(&of))
			why_add(&why, "fixed", pol[p], of.err ? "" : "not clean: ",
				of.note);
	}
	for (p = 0; p < NPOL; p++) {
		if (!b[p][0])
			continue;
		snprintf(bug + strlen(bug), sizeof(bug) - strlen(bug), "%s%s",
			 bug[0] ? " / " : "", b[p]);
		snprintf(fix + strlen(fix), sizeof(fix) - strlen(fix), "%s%s",
			 fix[0] ? " / " : "", f[p]);
	}
	printf("%-26s %-4s %s\n%26s      buggy: %s\n%26s      fixed: %s\n",
	       s->name, ok ? "ok" : "FAIL", s->partial ? "(partial)" : "", "",
	       bug, "", fix);
	if (s->partial && !log)
		printf("%26s      partial: %s\n", "", s->partial);
	/* A failure says why even without -v. */
	for (p = 0; p < why.n; p++)
		printf("%26s      why (%s): %s\n", "", why.runs[p], why.text[p]);
	return ok;
}

int dk_stories_main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "list", no_argument, NULL, 'l' },
		{ "policy", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "soc", required_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "svg", required_argument, NULL, 'g' },
		{ "trace", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .policy = -1 };
	const struct story *one = NULL;
	void *base;
	size_t len;
	int c, i, failed = 0, n = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "v", lo, NULL)) != -1) {
		switch (c) {
		case 'l':
			list();
			return 0;
		case 'p':
			o.policy = dk_evict_policy_parse(optarg);
			if (o.policy < 0) {
				fprintf(stderr, "dmakit: %s\n", dk_last_error());
				return 2;
			}
			break;
		case 's': {
			char *end;

			errno = 0;
			o.seed = strtoull(optarg, &end, 0);
			if (errno || !*optarg || *end) {
				fprintf(stderr, "dmakit: --seed %s is not a number\n",
					optarg);
				return 2;
			}
			o.seed_set = true;
			break;
		}
		case 'f':
			o.soc = optarg;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'g':
			o.svg = optarg;
			break;
		case 't':
			o.trace = optarg;
			break;
		default:
			return 2;
		}
	}
	if (optind < argc && !(one = find(argv[optind]))) {
		fprintf(stderr, "dmakit: no story \"%s\" (dmakit stories --list)\n",
			argv[optind]);
		return 2;
	}
	if ((o.svg || o.trace) && !one) {
		fprintf(stderr, "dmakit: --svg and --trace picture one story: name it\n");
		return 2;
	}
	if (load_base(&o, &base, &len)) {
		fprintf(stderr, "dmakit: %s\n", dk_last_error());
		return 1;
	}
	printf("policies: never / adversarial / random%s; corrupt = the data is wrong, fault = the interconnect refused, +check = the checker's finding\n\n",
	       o.policy >= 0 ? " (one chosen)" : "");
	for (i = 0; dk_stories[i]; i++) {
		if (one && dk_stories[i] != one)
			continue;
		n++;
		failed += !tell(dk_stories[i], base, len, &o,
				o.verbose ? stdout : NULL);
	}
	if (o.soc)
		free(base);
	if (o.svg || o.trace)
		failed += write_pictures(&o);
	printf("\n%d stories: %d with every buggy run caught and every fixed run clean, %d not\n",
	       n, n - failed, failed);
	return failed ? 1 : 0;
}
