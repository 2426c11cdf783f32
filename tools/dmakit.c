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
#include "help.h"


#define DMAKIT_VERSION "0.1.0"

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
		{ NULL, 0, NULL, 0 },
	};
	int c;
	u64 v;

	dk_soc_opts_init(o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
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
		default:
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
		fprintf(stderr, "dmakit: soc needs a command: show, check or dtb\n");
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

static int cmd_list_models(int argc)
{
	const struct dk_model_ops *const *m;

	if (argc > 1) {
		fprintf(stderr, "dmakit: list-models takes no arguments\n");
		return DK_EXIT_USAGE;
	}
	for (m = dk_models(); *m; m++)
		printf("%-24s %s\n", (*m)->compatible, (*m)->summary);
	return DK_EXIT_OK;
}

/* bench [--json FILE] [PERCENT]: JSON to "-" replaces the table;
 * bench --host BDF: the host platform's figures on a real device. */
static int cmd_bench(int argc, char **argv)
{
	const char *json = NULL, *pct = NULL;
	FILE *jf = NULL;
	u64 scale = 100;
	int i, r;

	if (argc > 1 && !strcmp(argv[1], "--host")) {
		if (argc != 3) {
			fprintf(stderr, "dmakit: bench --host needs one PCI address (DDDD:BB:DD.F) and nothing else\n");
			return DK_EXIT_USAGE;
		}
		r = dk_bench_host(stdout, argv[2]);
		return r ? DK_EXIT_FAILED : DK_EXIT_OK;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			if (i + 1 == argc) {
				fprintf(stderr, "dmakit: bench --json needs a FILE (- for stdout)\n");
				return DK_EXIT_USAGE;
			}
			json = argv[++i];
		} else if (pct) {
			fprintf(stderr, "dmakit: bench takes at most one PERCENT\n");
			return DK_EXIT_USAGE;
		} else {
			pct = argv[i];
		}
	}
	if (pct && (parse_u64(pct, &scale) || !scale || scale > 10000)) {
		fprintf(stderr, "dmakit: bench PERCENT must be 1..10000\n");
		return DK_EXIT_USAGE;
	}
	if (json && strcmp(json, "-")) {
		jf = fopen(json, "w");
		if (!jf) {
			fprintf(stderr, "dmakit: bench: %s: %s\n", json,
				strerror(errno));
			return DK_EXIT_FAILED;
		}
	}
	r = dk_bench(json && !jf ? NULL : stdout, json && !jf ? stdout : jf,
		     scale);
	if (jf && fclose(jf))
		r = -EIO;
	return r ? DK_EXIT_FAILED : DK_EXIT_OK;
}

static int cmd_version(int argc)
{
	if (argc > 1) {
		fprintf(stderr, "dmakit: version takes no arguments\n");
		return DK_EXIT_USAGE;
	}
	printf("dmakit %s\n", DMAKIT_VERSION);
	return DK_EXIT_OK;
}

/* "help [COMMAND [SUBCOMMAND]]": the same texts as "COMMAND --help". */
static int cmd_help(int argc, char **argv)
{
	if (argc > 3) {
		fprintf(stderr, "dmakit: help takes a command and a subcommand at most\n");
		return DK_EXIT_USAGE;
	}
	if (dk_cli_help(stdout, argc > 1 ? argv[1] : NULL,
			argc > 2 ? argv[2] : NULL))
		return DK_EXIT_USAGE;
	return DK_EXIT_OK;
}

/* Run one known command; -ENOENT when there is no such command. */
static int run_command(const char *cmd, int argc, char **argv)
{
	if (!strcmp(cmd, "soc"))
		return cmd_soc(argc, argv);
	if (!strcmp(cmd, "stories"))
		return dk_stories_main(argc, argv);
	if (!strcmp(cmd, "list-models"))
		return cmd_list_models(argc);
	if (!strcmp(cmd, "bench"))
		return cmd_bench(argc, argv);
	if (!strcmp(cmd, "version"))
		return cmd_version(argc);
	return -ENOENT;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;
	const char *sub = NULL;
	static char prog[64];
	int r;

	if (!cmd) {
		dk_cli_help(stderr, NULL, NULL);
		return DK_EXIT_USAGE;
	}
	if (!strcmp(cmd, "--version"))
		return cmd_version(argc - 1);
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h"))
		return cmd_help(argc - 1, argv + 1);
	/* "help" itself gets its own help only from "help --help". */
	if (!strcmp(cmd, "help") && !dk_cli_wants_help(argc - 1, argv + 1))
		return cmd_help(argc - 1, argv + 1);
	if (dk_cli_wants_help(argc - 1, argv + 1)) {
		if (argc > 2 && argv[2][0] != '-' && dk_cli_has_subcommands(cmd))
			sub = argv[2];
		return dk_cli_help(stdout, cmd, sub) ? DK_EXIT_USAGE : DK_EXIT_OK;
	}
	/* getopt names the program by argv[0]: "dmakit stories", not "stories". */
	snprintf(prog, sizeof(prog), "dmakit %s", cmd);
	argv[1] = prog;
	r = run_command(cmd, argc - 1, argv + 1);
	if (r == -ENOENT) {
		fprintf(stderr, "dmakit: unknown command \"%s\"\n", cmd);
		dk_cli_help(stderr, NULL, NULL);
		return DK_EXIT_USAGE;
	}
	if (r == DK_EXIT_USAGE)
		fprintf(stderr, "dmakit: see \"dmakit help %s\"\n", cmd);
	return r;
}
