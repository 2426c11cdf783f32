// SPDX-License-Identifier: MIT
/*
 * The bench's figures, kept as they are measured so the same numbers go to
 * the table and, on request, to a JSON file a later commit's run can be
 * compared against.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define MAX_FIGS 128

static struct fig {
	const char *table;
	char name[64];
	char base_name[40];
	double ns, base;
} figs[MAX_FIGS];
static size_t nfigs;
static const char *cur_table = "";

void dk_bench_table(FILE *out, const char *title)
{
	cur_table = title;
	if (out)
		fprintf(out, "\n%-44s %10s   %-28s %10s %9s\n", title, "ns/op",
			"baseline", "ns/op", "ratio");
}

void dk_bench_fig(FILE *out, const char *name, double ns,
		  const char *base_name, double base)
{
	if (nfigs < MAX_FIGS) {
		struct fig *f = &figs[nfigs++];

		f->table = cur_table;
		snprintf(f->name, sizeof(f->name), "%s", name);
		snprintf(f->base_name, sizeof(f->base_name), "%s", base_name);
		f->ns = ns;
		f->base = base;
	}
	if (out)
		fprintf(out, "%-44s %10.1f   %-28s %10.1f %8.2fx\n", name, ns,
			base_name, base, ns / base);
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

int dk_bench_json(FILE *f, unsigned int scale)
{
	size_t i;

	fprintf(f, "{\n  \"scale\": %u,\n  \"figures\": [\n", scale);
	for (i = 0; i < nfigs; i++) {
		fputs("    { \"table\": ", f);
		json_str(f, figs[i].table);
		fputs(", \"name\": ", f);
		json_str(f, figs[i].name);
		fprintf(f, ", \"ns\": %.2f, \"baseline\": ", figs[i].ns);
		json_str(f, figs[i].base_name);
		fprintf(f, ", \"baseline_ns\": %.2f, \"ratio\": %.3f }%s\n",
			figs[i].base, figs[i].ns / figs[i].base,
			i + 1 < nfigs ? "," : "");
	}
	fputs("  ]\n}\n", f);
	return ferror(f) ? -1 : 0;
}

void dk_bench_reset(void)
{
	nfigs = 0;
	cur_table = "";
}
