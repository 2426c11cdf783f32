// SPDX-License-Identifier: MIT
/* Building and tearing down a SoC, and the read-only views of it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "soc_internal.h"

#define MAX_TREE_BYTES (64u << 20)

extern const unsigned char dk_default_dtb_start[];
extern const unsigned char dk_default_dtb_end[];

void dk_soc_opts_init(struct dk_soc_opts *opts)
{
	if (!opts)
		return;
	memset(opts, 0, sizeof(*opts));
	opts->policy = -1;
	opts->edge = -1;
	opts->rate = -1;
}

static int apply_opts(struct dk_soc *soc, const struct dk_soc_opts *o)
{
	if (!o)
		return 0;
	if (o->policy > DK_EVICT_RANDOM || o->policy < -1)
		return dk_err(-EINVAL, "options: eviction policy %d unknown",
			      o->policy);
	if (o->edge > DK_EDGE_INV || o->edge < -1)
		return dk_err(-EINVAL, "options: edge policy %d unknown",
			      o->edge);
	if (o->rate > 100 || o->rate < -1)
		return dk_err(-EINVAL, "options: eviction rate %d%% not in 0..100",
			      o->rate);
	if (o->policy >= 0)
		soc->cache.policy = o->policy;
	if (o->edge >= 0)
		soc->cache.edge = o->edge;
	if (o->rate >= 0)
		soc->cache.rate = o->rate;
	if (o->seed_set)
		soc->cache.seed = o->seed;
	return 0;
}

/* Live from here on: models' probes already call back into the SoC. */
static int register_objs(struct dk_soc *soc)
{
	int i, r = dk_obj_add(soc, DK_OBJ_SOC, NULL);

	for (i = 0; !r && i < soc->ndevs; i++)
		r = dk_obj_add(&soc->devs[i], DK_OBJ_SIMDEV, soc);
	return r;
}

static void teardown(struct dk_soc *soc);

int dk_soc_build(const void *dtb, size_t len, const struct dk_soc_opts *opts,
		 dk_model_lookup_fn find_model, struct dk_soc **out)
{
	struct dk_soc *soc;
	int r;

	if (!out)
		return dk_err(-EINVAL, "dk_soc_load_blob: NULL result pointer");
	*out = NULL;
	if (!dtb)
		return dk_err(-EINVAL, "dk_soc_load_blob: NULL tree");
	if (!find_model)
		return dk_err(-EINVAL, "dk_soc_build: no model table");
	soc = calloc(1, sizeof(*soc));
	if (!soc)
		return dk_err(-ENOMEM, "out of memory");
	soc->find_model = find_model;
	pthread_mutex_init(&soc->lock, NULL);
	{
		pthread_mutexattr_t a;

		pthread_mutexattr_init(&a);
		pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
		pthread_mutex_init(&soc->model_lock, &a);
		pthread_mutexattr_destroy(&a);
	}
	r = dk_fdt_parse(soc, dtb, len);
	if (!r) {
		/* Kept for property lookups after the caller's blob is gone. */
		const u8 *h = dtb;	/* totalsize, big-endian at offset 4 */
		size_t total = (size_t)h[4] << 24 | h[5] << 16 | h[6] << 8 | h[7];

		soc->fdt = malloc(total);
		if (soc->fdt)
			memcpy(soc->fdt, dtb, total);
		else
			r = dk_err(-ENOMEM, "out of memory");
	}
	if (!r)
		r = register_objs(soc);
	if (!r)
		r = apply_opts(soc, opts);
	if (!r) {
		/* xorshift must not start at 0. */
		soc->rng = soc->cache.seed ? soc->cache.seed : 0x9e3779b97f4a7c15ULL;
		r = dk_ram_init(soc);
	}
	if (!r)
		r = dk_pages_init(soc);
	if (!r)
		r = dk_models_probe(soc);
	if (r) {
		char msg[512];

		/* Tearing down must not clobber the reason. */
		snprintf(msg, sizeof(msg), "%s", dk_last_error());
		teardown(soc);
		return dk_err(r, "%s", msg);
	}
	*out = soc;
	return 0;
}

const void *dk_soc_default_dtb(size_t *len)
{
	if (len)
		*len = dk_default_dtb_end - dk_default_dtb_start;
	return dk_default_dtb_start;
}

static int read_file(const char *path, void **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 65536, n = 0, got;
	u8 *b;

	if (!f)
		return dk_err(errno == ENOENT ? -ENOENT : -EIO, "%s: %s", path,
			      strerror(errno));
	b = malloc(cap);
	while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			u8 *nb = cap < MAX_TREE_BYTES ? realloc(b, cap * 2) : NULL;

			if (!nb) {
				free(b);
				fclose(f);
				return dk_err(-EINVAL, "%s: larger than %u bytes",
					      path, MAX_TREE_BYTES);
			}
			b = nb;
			cap *= 2;
		}
	}
	if (!b || ferror(f)) {
		free(b);
		fclose(f);
		return dk_err(-EIO, "%s: read error", path);
	}
	fclose(f);
	*buf = b;
	*len = n;
	return 0;
}

/* Compile a .dts with dtc; its complaints become our error message. */
static int compile_dts(const char *path, void **buf, size_t *len)
{
	char dir[] = "/tmp/dmakit-dtc.XXXXXX", out[64], err[64];
	char *argv[] = { "dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out,
			 (char *)path, NULL };
	posix_spawn_file_actions_t fa;
	extern char **environ;
	pid_t pid;
	int st = 0, r;

	if (!mkdtemp(dir))
		return dk_err(-EIO, "mkdtemp: %s", strerror(errno));
	snprintf(out, sizeof(out), "%s/out.dtb", dir);
	snprintf(err, sizeof(err), "%s/err.txt", dir);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 2, err,
					 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	r = posix_spawnp(&pid, "dtc", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r) {
		r = dk_err(-ENOENT,
			   "%s: cannot run dtc (%s): install device-tree-compiler",
			   path, strerror(r));
	} else if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) ||
		   WEXITSTATUS(st)) {
		char msg[400] = "";
		FILE *f = fopen(err, "r");
		size_t n = f ? fread(msg, 1, sizeof(msg) - 1, f) : 0;

		if (f)
			fclose(f);
		msg[n] = '\0';
		while (n && (msg[n - 1] == '\n'))
			msg[--n] = '\0';
		r = dk_err(-EINVAL, "%s: dtc failed: %s", path, msg);
	} else {
		r = read_file(out, buf, len);
	}
	unlink(out);
	unlink(err);
	rmdir(dir);
	return r;
}

int dk_dtb_from_file(const char *path, void **dtb, size_t *len)
{
	void *buf = NULL;
	int r;

	if (!path || !dtb || !len)
		return dk_err(-EINVAL, "dk_dtb_from_file: NULL argument");
	r = read_file(path, &buf, len);
	if (r)
		return r;
	if (*len < 4 || memcmp(buf, "\xd0\x0d\xfe\xed", 4)) {
		free(buf);
		r = compile_dts(path, &buf, len);
		if (r)
			return r;
	}
	*dtb = buf;
	return 0;
}

bool dk_soc_ok(const struct dk_soc *soc, const char *fn)
{
	return dk_obj_check(soc, DK_OBJ_SOC, "SoC", fn);
}

bool dk_simdev_ok(const struct dk_simdev *dev, const char *fn)
{
	return dk_obj_check(dev, DK_OBJ_SIMDEV, "simulated device", fn);
}

void dk_soc_free(struct dk_soc *soc)
{
	if (!soc)
		return;
	if (!dk_soc_ok(soc, "dk_soc_free")) {
		dk_err_log(-EINVAL, "%s (freed twice?)", dk_last_error());
		return;
	}
	/* The machine's pages, locks and devices live inside the SoC. */
	if (dk_obj_find(DK_OBJ_MACHINE, soc)) {
		dk_err_log(-EBUSY,
			   "dk_soc_free: a machine still runs on SoC %p: dk_machine_shutdown() it first",
			   (void *)soc);
		return;
	}
	teardown(soc);
}

static void teardown(struct dk_soc *soc)
{
	int i;

	dk_soc_stop_thread(soc);
	dk_models_remove(soc);
	dk_iommu_fini(soc);
	dk_ram_fini(soc);
	dk_events_fini(soc);
	for (i = 0; i < soc->ndevs; i++) {
		free((char *)soc->devs[i].d.name);
		free((char *)soc->devs[i].d.compatible);
		free((char *)soc->devs[i].d.compatibles);
		free((char *)soc->devs[i].d.iommu);
		dk_dma_specs_free(&soc->devs[i].d);
	}
	/* Models' remove callbacks still reach their devices until here. */
	dk_obj_del(soc, DK_OBJ_SOC);
	for (i = 0; i < soc->ndevs; i++)
		dk_obj_del(&soc->devs[i], DK_OBJ_SIMDEV);
	for (i = 0; i < soc->nrmem; i++)
		free((char *)soc->rmem[i].name);
	dk_obj_free_later(soc->devs);
	free(soc->rmem);
	free(soc->secure);
	free(soc->banks);
	free(soc->faults);
	free(soc->model);
	free(soc->fdt);
	pthread_mutex_destroy(&soc->lock);
	pthread_mutex_destroy(&soc->model_lock);
	dk_obj_free_later(soc);
}

const char *dk_soc_model(const struct dk_soc *soc)
{
	return dk_soc_ok(soc, "dk_soc_model") ? soc->model : NULL;
}

int dk_soc_nbanks(const struct dk_soc *soc)
{
	return dk_soc_ok(soc, "dk_soc_nbanks") ? soc->nbanks : 0;
}

const struct dk_bank *dk_soc_bank(const struct dk_soc *soc, int i)
{
	return dk_soc_ok(soc, "dk_soc_bank") && i >= 0 && i < soc->nbanks ?
		       &soc->banks[i].b : NULL;
}

int dk_soc_nrmem(const struct dk_soc *soc)
{
	return dk_soc_ok(soc, "dk_soc_nrmem") ? soc->nrmem : 0;
}

const struct dk_rmem *dk_soc_rmem(const struct dk_soc *soc, int i)
{
	return dk_soc_ok(soc, "dk_soc_rmem") && i >= 0 && i < soc->nrmem ?
		       &soc->rmem[i] : NULL;
}

int dk_soc_nsecure(const struct dk_soc *soc)
{
	return dk_soc_ok(soc, "dk_soc_nsecure") ? soc->nsecure : 0;
}

const struct dk_bank *dk_soc_secure(const struct dk_soc *soc, int i)
{
	return dk_soc_ok(soc, "dk_soc_secure") && i >= 0 && i < soc->nsecure ?
		       &soc->secure[i] : NULL;
}

int dk_soc_ndevs(const struct dk_soc *soc)
{
	return dk_soc_ok(soc, "dk_soc_ndevs") ? soc->ndevs : 0;
}

struct dk_simdev *dk_soc_dev(struct dk_soc *soc, int i)
{
	return dk_soc_ok(soc, "dk_soc_dev") && i >= 0 && i < soc->ndevs ?
		       &soc->devs[i] : NULL;
}

/* Whether device @i of @soc is the one @name names (path or node name). */
static bool named(const struct dk_soc *soc, int i, const char *name)
{
	const char *n = soc->devs[i].d.name, *base = strrchr(n, '/');

	return !strcmp(n, name) || (base && !strcmp(base + 1, name));
}

struct dk_simdev *dk_soc_find_dev(struct dk_soc *soc, const char *name)
{
	/* The IOMMU's platform ops look a device up by its path on every
	 * map and unmap: the last one found is tried first. Paths are
	 * unique, node names need not be, so only a path may hit. */
	static _Thread_local int last;
	int i;

	if (!dk_soc_ok(soc, "dk_soc_find_dev"))
		return NULL;
	if (!name) {
		dk_err(-EINVAL, "dk_soc_find_dev: NULL name");
		return NULL;
	}
	if (last < soc->ndevs && !strcmp(soc->devs[last].d.name, name))
		return &soc->devs[last];
	for (i = 0; i < soc->ndevs; i++)
		if (named(soc, i, name)) {
			last = i;
			return &soc->devs[i];
		}
	dk_err(-ENODEV, "no device \"%s\" in this SoC", name);
	return NULL;
}

const struct dk_devdesc *dk_simdev_desc(const struct dk_simdev *dev)
{
	return dk_simdev_ok(dev, "dk_simdev_desc") ? &dev->d : NULL;
}

struct dk_soc *dk_simdev_soc(struct dk_simdev *dev)
{
	return dk_simdev_ok(dev, "dk_simdev_soc") ? dev->soc : NULL;
}

void *dk_simdev_priv(struct dk_simdev *dev)
{
	return dk_simdev_ok(dev, "dk_simdev_priv") ? dev->priv : NULL;
}

void dk_simdev_set_priv(struct dk_simdev *dev, void *priv)
{
	if (dk_simdev_ok(dev, "dk_simdev_set_priv"))
		dev->priv = priv;
}

const struct dk_cache_geometry *dk_soc_cache(const struct dk_soc *soc)
{
	return dk_soc_ok(soc, "dk_soc_cache") ? &soc->cache : NULL;
}

static const char *const policy_names[] = { "never", "adversarial", "random" };
static const char *const edge_names[] = { "clean-invalidate", "invalidate" };

const char *dk_evict_policy_name(enum dk_evict_policy p)
{
	return (unsigned int)p < DK_ARRAY_SIZE(policy_names) ? policy_names[p] :
							       "?";
}

int dk_evict_policy_parse(const char *s)
{
	size_t i;

	for (i = 0; s && i < DK_ARRAY_SIZE(policy_names); i++)
		if (!strcmp(s, policy_names[i]))
			return i;
	return dk_err(-EINVAL, "eviction policy \"%s\" is not never, adversarial or random",
		      s ? s : "(null)");
}

const char *dk_edge_policy_name(enum dk_edge_policy e)
{
	return (unsigned int)e < DK_ARRAY_SIZE(edge_names) ? edge_names[e] : "?";
}

int dk_edge_policy_parse(const char *s)
{
	size_t i;

	for (i = 0; s && i < DK_ARRAY_SIZE(edge_names); i++)
		if (!strcmp(s, edge_names[i]))
			return i;
	return dk_err(-EINVAL, "edge policy \"%s\" is not clean-invalidate or invalidate",
		      s ? s : "(null)");
}
