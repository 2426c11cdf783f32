// SPDX-License-Identifier: MIT
/*
 * The SVG timeline: panels side by side, each a grid of cache lines
 * (rows) by events (columns), coloured by line state, the event's letter
 * in the cells it touched, a red frame where data was lost, and a legend.
 * Plain SVG 1.1: no script, no style sheet, no external font, so it reads
 * the same in any browser or viewer. Every drawn cell carries data-row,
 * data-col and data-state, so tests can check the picture, not just the
 * record.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "view.h"

#define LW 170		/* row labels */
#define RH 16		/* row height */
#define HH 18		/* region header */
#define TOP 270		/* title and column labels */
#define AW 250		/* annotations right of the grid */
#define GAP 40		/* between panels */
#define NOTE_H 14

static const char *const fill[DK_TS_N] = {
	[DK_TS_NONE] = "#ffffff",	[DK_TS_CPU_CLEAN] = "#d9ead3",
	[DK_TS_CPU_DIRTY] = "#f6b26b",	[DK_TS_DEVICE] = "#9fc5e8",
	[DK_TS_DEV_WROTE] = "#3d6fb5",	[DK_TS_STALE] = "#e06666",
	[DK_TS_CONFLICT] = "#8e44ad",	[DK_TS_COHERENT] = "#cccccc",
};

static const char *const legend_text[DK_TS_N] = {
	[DK_TS_NONE] = "not part of a buffer",
	[DK_TS_CPU_CLEAN] = "CPU owns it, clean (= DRAM)",
	[DK_TS_CPU_DIRTY] = "CPU-dirty: the CPU's store is not in DRAM",
	[DK_TS_DEVICE] = "device owns it (in sync)",
	[DK_TS_DEV_WROTE] = "device wrote DRAM (newer than the CPU's copy)",
	[DK_TS_STALE] = "stale in the CPU: clean, but DRAM differs",
	[DK_TS_CONFLICT] = "CPU-dirty over data the device wrote",
	[DK_TS_COHERENT] = "coherent memory (no cache to keep)",
};

static const char glyph[DK_TR_NKINDS] = {
	[DK_TR_MAP] = 'M', [DK_TR_UNMAP] = 'U', [DK_TR_SYNC_CPU] = 'C',
	[DK_TR_SYNC_DEVICE] = 'D', [DK_TR_ALLOC] = 'A', [DK_TR_ALLOC_NC] = 'A',
	[DK_TR_FREE] = 'F', [DK_TR_CPU_WRITE] = 'w', [DK_TR_DEV_READ] = 'R',
	[DK_TR_DEV_WRITE] = 'W', [DK_TR_WRITEBACK] = 'B', [DK_TR_FILL] = 'f',
	[DK_TR_FAULT] = 'X', [DK_TR_FINDING] = '!',
};

static const char *kind_colour(enum dk_trace_kind k)
{
	switch (k) {
	case DK_TR_CPU_WRITE:
		return "#b45f06";
	case DK_TR_DEV_READ:
	case DK_TR_DEV_WRITE:
		return "#1c4587";
	case DK_TR_WRITEBACK:
	case DK_TR_FILL:
		return "#674ea7";
	case DK_TR_FAULT:
	case DK_TR_FINDING:
		return "#cc0000";
	default:
		return "#222222";
	}
}

static bool dark(u8 st)
{
	st &= DK_TS_MASK;
	return st == DK_TS_DEV_WROTE || st == DK_TS_STALE ||
	       st == DK_TS_CONFLICT;
}

void dk_trace_xml(FILE *f, const char *s, size_t max)
{
	size_t n = 0;

	for (; *s && n < max; s++, n++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			/* Control characters are not allowed in XML 1.0. */
			fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
		}
	}
	if (*s)
		fputs("...", f);
}

static u32 cell_w(const struct dk_trace_view *v)
{
	u32 w = v->ncols ? 900 / v->ncols : 18;

	return w > 18 ? 18 : w < 6 ? 6 : w;
}

/* The panel's height below its top, for the tallest one. */
static u32 panel_height(const struct dk_trace_view *v)
{
	return TOP + v->ndrows * RH + v->nheaders * HH + 16 +
	       (v->nnotes + 2) * NOTE_H;
}

static u32 panel_width(const struct dk_trace_view *v)
{
	return LW + v->ncols * cell_w(v) + AW;
}

static void header(FILE *f, const struct dk_trace_panel *p,
		   const struct dk_trace_view *v, u32 x0, u32 cw)
{
	u32 i, c;

	fprintf(f, "<text x=\"%u\" y=\"22\" font-size=\"16\" font-weight=\"bold\">",
		x0);
	dk_trace_xml(f, p->title, 120);
	fputs("</text>\n", f);
	for (i = 0; i < v->ncols; i++) {
		const struct dk_trace_col *col = &p->cols[c = v->cols[i]];
		u32 x = x0 + LW + i * cw + cw / 2;

		fprintf(f, "<g class=\"event\" data-col=\"%u\" data-kind=\"%s\" data-seq=\"%llu\" data-time=\"%llu\"><title>#%u t=%llu: ",
			c, dk_trace_kind_name(col->kind),
			(unsigned long long)col->seq,
			(unsigned long long)col->time, c,
			(unsigned long long)col->time);
		dk_trace_xml(f, col->text, 240);
		/* Steep labels: a column apart is a line apart. */
		fprintf(f, "</title><text x=\"%u\" y=\"%u\" font-size=\"%u\" fill=\"%s\" transform=\"rotate(-70 %u %u)\">",
			x + 3, TOP - 22, cw >= 12 ? 10 : cw - 2 > 5 ? cw - 2 : 5,
			kind_colour(col->kind), x + 3, TOP - 22);
		fprintf(f, "#%u ", c);
		dk_trace_xml(f, col->brief, 40);
		fprintf(f, " t=%llu</text><text x=\"%u\" y=\"%u\" font-size=\"10\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"%s\">%c</text></g>\n",
			(unsigned long long)col->time, x, TOP - 6,
			kind_colour(col->kind), glyph[col->kind]);
	}
}

static void cell(FILE *f, const struct dk_trace_panel *p,
		 const struct dk_trace_drow *d, u32 r, u32 c, u32 x, u32 y,
		 u32 cw)
{
	u8 st = dk_trace_cell(p, c, d->row), mk = dk_trace_mark(p, c, d->row);
	u8 s = st & DK_TS_MASK;

	fprintf(f, "<rect class=\"cell\" data-row=\"%u\" data-col=\"%u\" data-state=\"%s\" x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"0.5\"/>\n",
		r, c, dk_trace_state_name(s), x, y, cw, RH, fill[s]);
	if (st & DK_TS_DEVOWN)
		fprintf(f, "<rect class=\"devown\" data-row=\"%u\" data-col=\"%u\" x=\"%u\" y=\"%u\" width=\"%u\" height=\"4\" fill=\"%s\"/>\n",
			r, c, x, y + RH - 4, cw, fill[DK_TS_DEV_WROTE]);
	if (mk & DK_TM_HIT && cw >= 8)
		fprintf(f, "<text class=\"hit\" data-row=\"%u\" data-col=\"%u\" data-kind=\"%s\" x=\"%u\" y=\"%u\" font-size=\"10\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"%s\">%c</text>\n",
			r, c, dk_trace_kind_name(p->cols[c].kind), x + cw / 2,
			y + RH - 4, dark(st) ? "#ffffff" : "#000000",
			glyph[p->cols[c].kind]);
	else if (mk & DK_TM_HIT)
		fprintf(f, "<rect class=\"hit\" data-row=\"%u\" data-col=\"%u\" data-kind=\"%s\" x=\"%u\" y=\"%u\" width=\"2\" height=\"%u\" fill=\"#000000\"/>\n",
			r, c, dk_trace_kind_name(p->cols[c].kind),
			x + cw / 2 - 1, y + 3, RH - 6);
	if (mk & DK_TM_CORRUPT)
		fprintf(f, "<rect class=\"mark\" data-row=\"%u\" data-col=\"%u\" data-mark=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#ff0000\" stroke-width=\"2.5\"/>\n",
			r, c, dk_trace_mark_name(mk), x + 1.25, y + 1.25,
			cw - 2.5, RH - 2.5);
}

static void row_label(FILE *f, const struct dk_trace_drow *d, u32 r, u32 x,
		      u32 y)
{
	fprintf(f, "<text class=\"line\" data-row=\"%u\" data-pa=\"0x%llx\" data-lines=\"%u\" x=\"%u\" y=\"%u\" font-size=\"11\" font-family=\"DejaVu Sans Mono, monospace\" text-anchor=\"end\"%s>0x%llx",
		r, (unsigned long long)d->pa, d->nlines, x + LW - 6,
		y + RH - 4, d->corrupt ? " fill=\"#cc0000\" font-weight=\"bold\"" : "",
		(unsigned long long)d->pa);
	if (d->nlines > 1)
		fprintf(f, " x%u", d->nlines);
	fputs("</text>\n", f);
}

static void panel(FILE *f, const struct dk_trace_panel *p,
		  const struct dk_trace_view *v, u32 x0, u32 idx)
{
	u32 cw = cell_w(v), y = TOP, r, i, n;
	int region = -2;

	fprintf(f, "<g class=\"panel\" data-index=\"%u\" data-title=\"", idx);
	dk_trace_xml(f, p->title, 120);
	fprintf(f, "\" data-rows=\"%u\" data-cols=\"%u\">\n", v->ndrows,
		v->ncols);
	header(f, p, v, x0, cw);
	for (r = 0; r < v->ndrows; r++) {
		const struct dk_trace_drow *d = &v->drows[r];

		if (d->region != region) {
			region = d->region;
			fprintf(f, "<text class=\"region\" x=\"%u\" y=\"%u\" font-size=\"11\" font-weight=\"bold\">",
				x0 + 4, y + HH - 5);
			dk_trace_xml(f, region >= 0 ? p->regions[region].label :
						      "lines",
				     70);
			fputs("</text>\n", f);
			y += HH;
		}
		row_label(f, d, r, x0, y);
		for (i = 0; i < v->ncols; i++)
			cell(f, p, d, r, v->cols[i], x0 + LW + i * cw, y, cw);
		if (d->corrupt) {
			fprintf(f, "<text class=\"why\" data-row=\"%u\" x=\"%u\" y=\"%u\" font-size=\"11\" fill=\"#cc0000\">",
				r, x0 + LW + v->ncols * cw + 8, y + RH - 4);
			dk_trace_xml(f, d->why, 60);
			fputs("</text>\n", f);
		}
		y += RH;
	}
	y += 16;
	for (n = 0; n < v->nnotes; n++, y += NOTE_H) {
		fprintf(f, "<text class=\"note\" x=\"%u\" y=\"%u\" font-size=\"11\"%s>",
			x0 + 4, y, v->notes[n].red ? " fill=\"#cc0000\"" : "");
		dk_trace_xml(f, v->notes[n].text,
			     (panel_width(v) - 8) / 6);
		fputs("</text>\n", f);
	}
	fputs("</g>\n", f);
}

static void legend(FILE *f, u32 y, u32 width)
{
	static const enum dk_trace_kind order[] = {
		DK_TR_MAP, DK_TR_UNMAP, DK_TR_SYNC_CPU, DK_TR_SYNC_DEVICE,
		DK_TR_ALLOC, DK_TR_FREE, DK_TR_CPU_WRITE, DK_TR_DEV_READ,
		DK_TR_DEV_WRITE, DK_TR_WRITEBACK, DK_TR_FILL, DK_TR_FAULT,
		DK_TR_FINDING,
	};
	static const char *const what[] = {
		"map (hands the buffer to the device)", "unmap (back to the CPU)",
		"sync for cpu", "sync for device", "coherent alloc",
		"free", "CPU stores (a line found dirty)", "device read",
		"device write", "cache write-back (eviction)",
		"speculative fill", "interconnect fault", "checker finding",
	};
	u32 i, x, col;

	fprintf(f, "<g class=\"legend\">\n<text x=\"10\" y=\"%u\" font-size=\"13\" font-weight=\"bold\">Legend: cell colour = the line's state after the event of its column; rows = cache lines, columns = events in order (t = simulated clock)</text>\n",
		y);
	y += 10;
	for (i = 1; i < DK_TS_N; i++) {
		col = (i - 1) % 4;
		x = 10 + col * (width > 1400 ? 340 : 300);
		if (i > 1 && !col)
			y += 20;
		fprintf(f, "<rect class=\"key\" data-state=\"%s\" x=\"%u\" y=\"%u\" width=\"16\" height=\"14\" fill=\"%s\" stroke=\"#888888\" stroke-width=\"0.5\"/><text x=\"%u\" y=\"%u\" font-size=\"11\">",
			dk_trace_state_name(i), x, y + 6, fill[i], x + 22,
			y + 17);
		dk_trace_xml(f, legend_text[i], 80);
		fputs("</text>\n", f);
	}
	y += 20;
	fprintf(f, "<rect x=\"10\" y=\"%u\" width=\"16\" height=\"14\" fill=\"%s\"/><rect x=\"10\" y=\"%u\" width=\"16\" height=\"4\" fill=\"%s\"/><text x=\"32\" y=\"%u\" font-size=\"11\">blue bar: a dirty line the device owns (the CPU wrote into a buffer it gave away)</text>\n",
		y + 6, fill[DK_TS_CPU_DIRTY], y + 16, fill[DK_TS_DEV_WROTE],
		y + 17);
	fprintf(f, "<rect x=\"%u\" y=\"%u\" width=\"16\" height=\"14\" fill=\"none\" stroke=\"#ff0000\" stroke-width=\"2.5\"/><text x=\"%u\" y=\"%u\" font-size=\"11\" fill=\"#cc0000\">red frame: data lost here (write-back over device data, device read stale DRAM, CPU handed stale data)</text>\n",
		width > 1400 ? 690 : 610, y + 6, width > 1400 ? 712 : 632,
		y + 17);
	y += 24;
	for (i = 0; i < DK_ARRAY_SIZE(order); i++) {
		col = i % 5;
		x = 10 + col * (width > 1400 ? 270 : 240);
		if (i && !col)
			y += 18;
		fprintf(f, "<text x=\"%u\" y=\"%u\" font-size=\"11\"><tspan font-weight=\"bold\" fill=\"%s\">%c</tspan> ",
			x, y + 14, kind_colour(order[i]), glyph[order[i]]);
		dk_trace_xml(f, what[i], 60);
		fputs("</text>\n", f);
	}
	fputs("</g>\n", f);
}

int dk_trace_svg(FILE *f)
{
	struct dk_trace_view v[8];
	u32 w = 20, h = 0, x, hp, legend_y;
	int i, n = dk_trace_npanels() < 8 ? dk_trace_npanels() : 8;

	for (i = 0; i < n; i++) {
		if (dk_trace_view_build(dk_trace_panel(i), &v[i])) {
			while (i-- > 0)
				dk_trace_view_free(&v[i]);
			return -ENOMEM;
		}
		w += panel_width(&v[i]) + GAP;
		hp = panel_height(&v[i]);
		h = hp > h ? hp : h;
	}
	w = w < 1300 ? 1300 : w;
	legend_y = h + 20;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\">\n",
		w, legend_y + 150, w, legend_y + 150);
	fputs("<title>dmakit: what happened to each cache line</title>\n", f);
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%u\" height=\"%u\" fill=\"#ffffff\"/>\n",
		w, legend_y + 150);
	for (i = 0, x = 20; i < n; i++) {
		panel(f, dk_trace_panel(i), &v[i], x, i);
		x += panel_width(&v[i]) + GAP;
		dk_trace_view_free(&v[i]);
	}
	legend(f, legend_y, w);
	fputs("</svg>\n", f);
	return ferror(f) ? dk_err(-EIO, "dk_trace_write_svg: write error") : 0;
}
