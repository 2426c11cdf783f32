// SPDX-License-Identifier: MIT
/* dmakit: the command-line face of the library. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/sim_device.h>
#include <dmakit/soc.h>

#include "../stories/story.h"
#include "bench.h"


#define DMAKIT_VERSION "0.1.0"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dmakit COMMAND [ARGS]\n"
		"\n"
		"commands:\n"
		"  soc show [FILE]    describe a SoC (built-in default without FILE)\n"
		"  soc check FILE     load a tree and report the first problem\n"
		"  soc dtb            write the built-in SoC's blob to stdout\n"
		"  stories [NAME] [-v] [--list] [--policy P] [--seed N] [--soc FILE]\n"
		"                     run the talks' DMA bugs, buggy and fixed\n"
		"  list-models        the device models a tree can name\n"
		"  bench [--json FILE] [PERCENT]\n"
		"                     time DMA API operations against baselines\n"
		"                     (--json: every figure as JSON, - for stdout)\n"
		"  version            print the version\n"
		"\n"
		"SoC options (after the command):\n"
		"  --policy never|adversarial|random   cache eviction policy\n"
		"  --seed N                            eviction seed\n"
		"  --rate PERCENT                      random policy event rate\n"
		"  --edge clean-invalidate|invalidate  partial-line invalidate\n");
}

static int parse_u64(const char *s, u64 *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || !*s || *end ? -EINVAL : 0;
}

/* Parse SoC options; leaves optind at the first positional argument. */
static int parse_opts(int argc, char **argv, struct dk_soc_opts *o)
{
	static const struct option lo[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "rate", required_argument, NULL, 'r' },
		{ "edge", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	u64 v;

	dk_soc_opts_init(o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'p':
			o->policy = dk_evict_policy_parse(optarg);
			if (o->policy < 0)
				goto bad;
			break;
		case 's':
			if (parse_u64(optarg, &o->seed)) {
				fprintf(stderr, "dmakit: --seed %s is not a number\n",
					optarg);
				return -EINVAL;
			}
			o->seed_set = true;
			break;
		case 'r':
			if (parse_u64(optarg, &v) || v > 100) {
				fprintf(stderr, "dmakit: --rate %s is not 0..100\n",
					optarg);
				return -EINVAL;
			}
			o->rate = v;
			break;
		case 'e':
			o->edge = dk_edge_policy_parse(optarg);
			if (o->edge < 0)
				goto bad;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	return 0;
bad:
	fprintf(stderr, "dmakit: %s\n", dk_last_error());
	return -EINVAL;
}

static int load(const char *path, const struct dk_soc_opts *o,
		struct dk_soc **soc)
{
	int r = path ? dk_soc_load(path, o, soc) : dk_soc_load_default(o, soc);

	if (r)
		fprintf(stderr, "dmakit: %s\n", dk_last_error());
	return r;
}

static int cmd_soc(int argc, char **argv)
{
	struct dk_soc_opts o;
	struct dk_soc *soc;
	const char *sub, *file;

	if (parse_opts(argc, argv, &o))
		return 2;
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	sub = argv[optind];
	file = optind + 1 < argc ? argv[optind + 1] : NULL;
	if (optind + 2 < argc) {
		fprintf(stderr, "dmakit: soc %s takes at most one file\n", sub);
		return 2;
	}
	if (!strcmp(sub, "dtb")) {
		size_t len;
		const void *dtb = dk_soc_default_dtb(&len);

		return fwrite(dtb, 1, len, stdout) == len ? 0 : 1;
	}
	if (strcmp(sub, "show") && strcmp(sub, "check")) {
		fprintf(stderr, "dmakit: unknown soc command \"%s\"\n", sub);
		return 2;
	}
	if (!strcmp(sub, "check") && !file) {
		fprintf(stderr, "dmakit: soc check needs a FILE\n");
		return 2;
	}
	if (load(file, &o, &soc))
		return 1;
	if (!strcmp(sub, "show"))
		dk_soc_show(soc, stdout);
	else
		printf("%s: ok: %d bank%s, %d reserved region%s, %d device%s\n",
		       file, dk_soc_nbanks(soc),
		       dk_soc_nbanks(soc) == 1 ? "" : "s", dk_soc_nrmem(soc),
		       dk_soc_nrmem(soc) == 1 ? "" : "s", dk_soc_ndevs(soc),
		       dk_soc_ndevs(soc) == 1 ? "" : "s");
	dk_soc_free(soc);
	return 0;
}

static int cmd_list_models(void)
{
	const struct dk_model_ops *const *m;

	for (m = dk_models(); *m; m++)
		printf("%-24s %s\n", (*m)->compatible, (*m)->summary);
	return 0;
}

/* bench [--json FILE] [PERCENT]: JSON to "-" replaces the table. */
static int cmd_bench(int argc, char **argv)
{
	const char *json = NULL;
	FILE *jf = NULL;
	u64 scale = 100;
	int i, r;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") && i + 1 < argc) {
			json = argv[++i];
		} else if (parse_u64(argv[i], &scale) || !scale ||
			   scale > 10000) {
			fprintf(stderr, "dmakit: bench PERCENT must be 1..10000\n");
			return 2;
		}
	}
	if (json && strcmp(json, "-")) {
		jf = fopen(json, "w");
		if (!jf) {
			fprintf(stderr, "dmakit: bench: %s: %s\n", json,
				strerror(errno));
			return 1;
		}
	}
	r = dk_bench(json && !jf ? NULL : stdout, json && !jf ? stdout : jf,
		     scale);
	if (jf && fclose(jf))
		r = -EIO;
	return r ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "soc"))
		return cmd_soc(argc - 1, argv + 1);
	if (!strcmp(argv[1], "stories"))
		return dk_stories_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "list-models"))
		return cmd_list_models();
	if (!strcmp(argv[1], "bench"))
		return cmd_bench(argc - 1, argv + 1);
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("dmakit %s\n", DMAKIT_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "dmakit: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return 2;
}
