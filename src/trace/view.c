// SPDX-License-Identifier: MIT
/*
 * Choosing the rows of a picture. A 6 KiB buffer is 96 lines; most of
 * them go through the same states at the same events, so lines of one
 * buffer whose every cell is the same are one row ("x12"). When that is
 * still too many, rows where nothing went wrong are left out first, and
 * a note says how many.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

#define MAX_DROWS 64

const char *dk_trace_mark_name(u8 mk)
{
	if (mk & DK_TM_WB_OVER_DEVICE)
		return "written-back-over-device-data";
	if (mk & DK_TM_DEV_READ_STALE)
		return "device-read-stale-dram";
	if (mk & DK_TM_CPU_STALE)
		return "cpu-reads-stale-data";
	return "none";
}

static const char *why_text(u8 mk)
{
	if (mk & DK_TM_WB_OVER_DEVICE)
		return "written back over the device's data";
	if (mk & DK_TM_DEV_READ_STALE)
		return "the device read stale DRAM";
	return "the CPU got stale data";
}

struct line_ref {
	phys_addr_t pa;
	u32 row;
};

static int by_pa(const void *a, const void *b)
{
	const struct line_ref *x = a, *y = b;

	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

static bool same_history(const struct dk_trace_panel *p, u32 a, u32 b)
{
	u32 c;

	for (c = 0; c < p->ncols; c++)
		if (dk_trace_cell(p, c, a) != dk_trace_cell(p, c, b) ||
		    dk_trace_mark(p, c, a) != dk_trace_mark(p, c, b))
			return false;
	return true;
}

static bool ever_shown(const struct dk_trace_panel *p, u32 row)
{
	u32 c;

	for (c = 0; c < p->ncols; c++)
		if (dk_trace_cell(p, c, row) != DK_TS_NONE ||
		    dk_trace_mark(p, c, row))
			return true;
	return false;
}

static bool interesting(const struct dk_trace_panel *p, u32 row)
{
	u32 c;

	for (c = 0; c < p->ncols; c++) {
		u8 s = dk_trace_cell(p, c, row) & DK_TS_MASK;
		u8 m = dk_trace_mark(p, c, row);
		enum dk_trace_kind k = p->cols[c].kind;

		if (m & DK_TM_CORRUPT || s == DK_TS_CPU_DIRTY ||
		    s == DK_TS_STALE || s == DK_TS_CONFLICT ||
		    s == DK_TS_DEV_WROTE)
			return true;
		if (m & DK_TM_HIT && k >= DK_TR_DEV_READ)
			return true;
	}
	return false;
}

static void diagnose(const struct dk_trace_panel *p, struct dk_trace_drow *d)
{
	u32 c;

	for (c = 0; c < p->ncols; c++) {
		u8 m = dk_trace_mark(p, c, d->row);

		if (m & DK_TM_CORRUPT) {
			d->corrupt = true;
			snprintf(d->why, sizeof(d->why), "<- %s (#%u)",
				 why_text(m), c);
			return;
		}
	}
}

static void note(struct dk_trace_view *v, u32 cap, bool red,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void note(struct dk_trace_view *v, u32 cap, bool red,
		 const char *fmt, ...)
{
	va_list ap;

	if (v->nnotes >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(v->notes[v->nnotes].text, sizeof(v->notes[0].text), fmt, ap);
	va_end(ap);
	v->notes[v->nnotes++].red = red;
}

/* Merge alike lines; @groups gets one drow per group. */
static u32 group(const struct dk_trace_panel *p, const struct line_ref *l,
		 u32 n, struct dk_trace_drow *groups)
{
	u32 i, ng = 0;

	for (i = 0; i < n; i++) {
		struct dk_trace_drow *g = ng ? &groups[ng - 1] : NULL;

		if (!ever_shown(p, l[i].row))
			continue;
		if (g && g->region == p->row_region[l[i].row] &&
		    g->pa + (u64)g->nlines * p->line == l[i].pa &&
		    same_history(p, g->row, l[i].row)) {
			g->nlines++;
			continue;
		}
		groups[ng++] = (struct dk_trace_drow){
			.row = l[i].row, .nlines = 1, .pa = l[i].pa,
			.region = p->row_region[l[i].row],
		};
	}
	return ng;
}

/*
 * A device access or a cache event on coherent memory only (descriptor
 * rings polled again and again) that changed no line of the picture says
 * nothing about the cache: the SVG leaves it out, the JSON keeps it.
 */
static bool idle_column(const struct dk_trace_panel *p, u32 c, u32 prev)
{
	const struct dk_trace_col *col = &p->cols[c];
	u32 r;

	if (col->kind < DK_TR_DEV_READ || col->kind > DK_TR_FILL || c == 0)
		return false;
	for (r = 0; r < col->ncells; r++) {
		u8 s = col->cells[r] & DK_TS_MASK;

		if (col->marks[r] & DK_TM_CORRUPT ||
		    ((col->marks[r] & DK_TM_HIT) && s != DK_TS_COHERENT &&
		     s != DK_TS_NONE) ||
		    col->cells[r] != dk_trace_cell(p, prev, r))
			return false;
	}
	return true;
}

static int choose_cols(const struct dk_trace_panel *p, struct dk_trace_view *v)
{
	u32 c, prev = 0;

	v->cols = malloc((p->ncols ? p->ncols : 1) * sizeof(*v->cols));
	if (!v->cols)
		return -ENOMEM;
	for (c = 0; c < p->ncols; c++) {
		if (idle_column(p, c, prev)) {
			v->cols_hidden++;
			continue;
		}
		v->cols[v->ncols++] = c;
		prev = c;
	}
	return 0;
}

static void notes(const struct dk_trace_panel *p, struct dk_trace_view *v,
		  u32 cap, u32 lost, u64 left_lines, u32 left_rows)
{
	u32 c, shown = 0;

	if (lost)
		note(v, cap, true,
		     "data lost on %u row(s): framed in red, the reason at the right",
		     lost);
	else
		note(v, cap, false, "no line lost data");
	if (left_rows || left_lines)
		note(v, cap, false,
		     "left out: %u row(s) where nothing went wrong%s%llu line(s) past the recorder's cap",
		     left_rows, ", and ", (unsigned long long)left_lines);
	if (v->cols_hidden)
		note(v, cap, false,
		     "left out: %u device access(es) to coherent memory that changed no line (numbers skip them; the JSON trace has them)",
		     v->cols_hidden);
	if (p->cols_left_out)
		note(v, cap, false, "left out: %llu event(s) past the recorder's cap",
		     (unsigned long long)p->cols_left_out);
	for (c = 0; c < p->ncols && shown < 12; c++) {
		const struct dk_trace_col *col = &p->cols[c];

		if (col->kind != DK_TR_FINDING && col->kind != DK_TR_FAULT)
			continue;
		note(v, cap, true, "#%u t=%llu %s", c,
		     (unsigned long long)col->time, col->text);
		shown++;
	}
}

int dk_trace_view_build(const struct dk_trace_panel *p,
			struct dk_trace_view *v)
{
	struct line_ref *l = malloc((p->nrows ? p->nrows : 1) * sizeof(*l));
	struct dk_trace_drow *g = malloc((p->nrows ? p->nrows : 1) * sizeof(*g));
	u32 i, ng, lost = 0, left = 0, ncap = 16;
	int region = -2;

	memset(v, 0, sizeof(*v));
	v->drows = malloc(MAX_DROWS * sizeof(*v->drows));
	v->notes = calloc(ncap, sizeof(*v->notes));
	if (!l || !g || !v->drows || !v->notes || choose_cols(p, v)) {
		free(l);
		free(g);
		dk_trace_view_free(v);
		return -ENOMEM;
	}
	for (i = 0; i < p->nrows; i++)
		l[i] = (struct line_ref){ p->rows[i], i };
	qsort(l, p->nrows, sizeof(*l), by_pa);
	ng = group(p, l, p->nrows, g);
	for (i = 0; i < ng; i++)
		diagnose(p, &g[i]);
	/* Interesting rows first if not all fit, in address order. */
	if (ng > MAX_DROWS) {
		u32 want = 0, ni = 0, nb = 0, budget, k = 0;

		for (i = 0; i < ng; i++)
			want += interesting(p, g[i].row);
		budget = MAX_DROWS - (want < MAX_DROWS ? want : MAX_DROWS);
		for (i = 0; i < ng; i++) {
			bool in = interesting(p, g[i].row);

			if (in ? ni++ < MAX_DROWS : nb++ < budget)
				g[k++] = g[i];
			else
				left++;
		}
		ng = k;
	}
	for (i = 0; i < ng; i++) {
		v->drows[v->ndrows++] = g[i];
		lost += g[i].corrupt;
		if (g[i].region != region) {
			region = g[i].region;
			v->nheaders++;
		}
	}
	notes(p, v, ncap, lost, p->lines_left_out, left);
	free(l);
	free(g);
	return 0;
}

void dk_trace_view_free(struct dk_trace_view *v)
{
	free(v->drows);
	free(v->notes);
	free(v->cols);
	memset(v, 0, sizeof(*v));
}
