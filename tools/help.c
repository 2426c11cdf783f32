// SPDX-License-Identifier: MIT
/*
 * Help texts for the command line: one table, so "dmakit help CMD" and
 * "dmakit CMD --help" cannot drift apart, and every text ends with the
 * exit statuses its command keeps.
 */
#include <errno.h>
#include <string.h>

#include "help.h"

#define SOC_OPTIONS \
	"options:\n" \
	"  --policy never|adversarial|random   cache eviction policy\n" \
	"  --seed N                            eviction seed\n" \
	"  --rate PERCENT                      random policy event rate, 0..100\n" \
	"  --edge clean-invalidate|invalidate  partial-line invalidate\n"

#define EXIT_SOC \
	"exit status: 0 ok, 1 the SoC did not load, 2 usage error\n"

#define EXIT_PLAIN "exit status: 0 ok, 2 usage error\n"

struct help {
	const char *cmd;
	const char *sub;
	const char *text;
};

static const struct help helps[] = {
	{ NULL, NULL,
	  "usage: dmakit COMMAND [ARGS]\n"
	  "       dmakit help [COMMAND [SUBCOMMAND]]\n"
	  "       dmakit COMMAND [SUBCOMMAND] --help\n"
	  "\n"
	  "commands:\n"
	  "  soc show [FILE]    describe a SoC (built-in default without FILE)\n"
	  "  soc check FILE     load a tree and report the first problem\n"
	  "  soc dtb            write the built-in SoC's blob to stdout\n"
	  "  stories [NAME]     run the talks' DMA bugs, buggy and fixed\n"
	  "  list-models        the device models a tree can name\n"
	  "  bench [PERCENT]    time DMA API operations against baselines\n"
	  "  version            print the version\n"
	  "  help [COMMAND]     this text, or a command's\n"
	  "\n"
	  "exit status:\n"
	  "  0  ok\n"
	  "  1  a story or check failed, or a SoC did not load\n"
	  "  2  usage error: unknown command or option, bad argument\n" },
	{ "soc", NULL,
	  "usage: dmakit soc show [OPTIONS] [FILE]\n"
	  "       dmakit soc check [OPTIONS] FILE\n"
	  "       dmakit soc dtb\n"
	  "\n"
	  "A SoC is a device tree: a .dts (compiled with dtc) or a .dtb.\n"
	  "  show    describe it: banks, reserved memory, devices, caches\n"
	  "  check   load it and report its first problem by node and property\n"
	  "  dtb     write the built-in SoC's blob to stdout\n"
	  "\n"
	  SOC_OPTIONS
	  "\n"
	  EXIT_SOC },
	{ "soc", "show",
	  "usage: dmakit soc show [OPTIONS] [FILE]\n"
	  "\n"
	  "Describe the SoC in FILE (.dts or .dtb), or the built-in default\n"
	  "without FILE: banks, reserved memory, devices, caches.\n"
	  "\n"
	  SOC_OPTIONS
	  "\n"
	  EXIT_SOC },
	{ "soc", "check",
	  "usage: dmakit soc check [OPTIONS] FILE\n"
	  "\n"
	  "Load the SoC in FILE (.dts or .dtb) and print a one-line summary, or\n"
	  "its first problem, naming the node and the property.\n"
	  "\n"
	  SOC_OPTIONS
	  "\n"
	  EXIT_SOC },
	{ "soc", "dtb",
	  "usage: dmakit soc dtb\n"
	  "\n"
	  "Write the built-in SoC's device tree blob to stdout, to read with\n"
	  "dtc or to start a tree of your own.\n"
	  "\n"
	  "exit status: 0 ok, 1 the blob could not be written, 2 usage error\n" },
	{ "stories", NULL,
	  "usage: dmakit stories [NAME] [OPTIONS]\n"
	  "\n"
	  "Run the talks' DMA bugs (every story, or NAME), buggy and fixed, under\n"
	  "each cache policy, and judge every run by its data, its faults and the\n"
	  "checker's findings.\n"
	  "\n"
	  "options:\n"
	  "  --list          list the stories and their sources\n"
	  "  -v, --verbose   tell each run as it happens\n"
	  "  --policy P      only policy P: never, adversarial or random\n"
	  "  --seed N        eviction seed\n"
	  "  --soc FILE      run on the SoC in FILE instead of the built-in one\n"
	  "  --svg FILE      draw NAME's buggy and fixed runs (under --policy, else\n"
	  "                  adversarial) as an SVG timeline of every cache line\n"
	  "  --trace FILE    the same runs as Chrome/Perfetto trace-event JSON\n"
	  "\n"
	  "exit status: 0 every buggy run caught and every fixed run clean,\n"
	  "             1 a story failed or the SoC did not load, 2 usage error\n" },
	{ "list-models", NULL,
	  "usage: dmakit list-models\n"
	  "\n"
	  "The device models a tree can name in \"compatible\", one a line.\n"
	  "\n"
	  EXIT_PLAIN },
	{ "bench", NULL,
	  "usage: dmakit bench [--json FILE] [PERCENT]\n"
	  "       dmakit bench --host BDF\n"
	  "\n"
	  "Time DMA API and checker operations on the built-in SoC, each beside\n"
	  "a baseline measured in the same run (the cache model's own floor\n"
	  "among them), with the ratio. PERCENT scales the iteration counts:\n"
	  "1..10000, default 100.\n"
	  "\n"
	  "  --json FILE   also write every figure as JSON to FILE; with -,\n"
	  "                the JSON goes to stdout instead of the table\n"
	  "  --host BDF    instead, time the host platform on the PCI device\n"
	  "                BDF through VFIO: MAP_DMA against a mapping-cache\n"
	  "                hit, map+unmap of 4 KiB against raw VFIO, and edu\n"
	  "                round trips when it is QEMU's edu\n"
	  "\n"
	  "exit status: 0 ok, 1 the benchmark could not run, 2 usage error\n" },
	{ "version", NULL,
	  "usage: dmakit version\n"
	  "       dmakit --version\n"
	  "\n"
	  "Print dmakit's version.\n"
	  "\n"
	  EXIT_PLAIN },
	{ "help", NULL,
	  "usage: dmakit help [COMMAND [SUBCOMMAND]]\n"
	  "       dmakit --help\n"
	  "\n"
	  "Print the overview of every command, or one command's help (the same\n"
	  "as dmakit COMMAND [SUBCOMMAND] --help).\n"
	  "\n"
	  "exit status: 0 ok, 2 no such command\n" },
};

#define NHELPS (sizeof(helps) / sizeof(helps[0]))

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

bool dk_cli_has_subcommands(const char *cmd)
{
	size_t i;

	for (i = 0; i < NHELPS; i++)
		if (same(helps[i].cmd, cmd) && helps[i].sub)
			return true;
	return false;
}

int dk_cli_help(FILE *f, const char *cmd, const char *sub)
{
	size_t i;

	for (i = 0; i < NHELPS; i++) {
		if (same(helps[i].cmd, cmd) && same(helps[i].sub, sub)) {
			fputs(helps[i].text, f);
			return 0;
		}
	}
	if (sub && dk_cli_has_subcommands(cmd))
		fprintf(stderr, "dmakit: unknown %s command \"%s\"\n", cmd, sub);
	else if (sub)
		fprintf(stderr, "dmakit: %s has no subcommands\n", cmd);
	else
		fprintf(stderr, "dmakit: unknown command \"%s\"\n", cmd);
	return -ENOENT;
}

bool dk_cli_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}
