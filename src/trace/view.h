/* SPDX-License-Identifier: MIT */
/*
 * What a picture shows of a panel: its lines in address order, lines of
 * one buffer that behaved alike merged into one row, the rows capped with
 * the uninteresting ones left out first, and the notes under the grid.
 */
#ifndef DMAKIT_TRACE_VIEW_H
#define DMAKIT_TRACE_VIEW_H

#include "trace.h"

struct dk_trace_drow {
	u32 row;		/* the first line's row in the record */
	u32 nlines;		/* lines merged into this row */
	phys_addr_t pa;
	int region;
	bool corrupt;
	char why[96];
};

struct dk_trace_note {
	char text[300];
	bool red;
};

struct dk_trace_view {
	struct dk_trace_drow *drows;
	u32 ndrows;
	u32 nheaders;		/* region headers among the rows */
	u32 *cols;		/* the columns shown, record indexes */
	u32 ncols;
	u32 cols_hidden;	/* device traffic that changed nothing shown */
	struct dk_trace_note *notes;
	u32 nnotes;
};

/* 0 or -ENOMEM. */
int dk_trace_view_build(const struct dk_trace_panel *p,
			struct dk_trace_view *v);
void dk_trace_view_free(struct dk_trace_view *v);
/* The worst of the marks in @mk, as a word for data-mark. */
const char *dk_trace_mark_name(u8 mk);
/* @s escaped for XML text and attributes, at most @max characters. */
void dk_trace_xml(FILE *f, const char *s, size_t max);

#endif
