// SPDX-License-Identifier: MIT
/*
 * The record in the Trace Event Format that Chrome's about:tracing and
 * Perfetto read: one process per panel; a thread per cache line whose
 * complete ("X") events are the stretches of one state; threads for the
 * DMA API, the CPU, the devices, the cache, faults and the checker, with
 * one complete event per column; an instant ("i") event on a line's
 * thread where it lost data. Time is the column number in microseconds
 * (events in order, as in the SVG); the simulated clock is in args.
 */
#include <errno.h>
#include <string.h>

#include "trace.h"
#include "view.h"

#define STEP 10		/* microseconds per column */
#define LINE_TID 1000

static void str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static int track(enum dk_trace_kind k)
{
	switch (k) {
	case DK_TR_CPU_WRITE:
		return 2;
	case DK_TR_DEV_READ:
	case DK_TR_DEV_WRITE:
		return 3;
	case DK_TR_WRITEBACK:
	case DK_TR_FILL:
		return 4;
	case DK_TR_FAULT:
		return 5;
	case DK_TR_FINDING:
		return 6;
	default:
		return 1;
	}
}

static void sep(FILE *f, bool *first)
{
	fputs(*first ? "\n" : ",\n", f);
	*first = false;
}

static void meta(FILE *f, bool *first, int pid, int tid, const char *what,
		 const char *name, int sort)
{
	sep(f, first);
	fprintf(f, "{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"ts\":0,\"name\":\"%s\",\"args\":{\"name\":",
		pid, tid, what);
	str(f, name);
	fputs("}}", f);
	sep(f, first);
	fprintf(f, "{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"ts\":0,\"name\":\"%s_sort_index\",\"args\":{\"sort_index\":%d}}",
		pid, tid, !strcmp(what, "process_name") ? "process" : "thread",
		sort);
}

static void line_runs(FILE *f, bool *first, const struct dk_trace_panel *p,
		      int pid, u32 row)
{
	u32 c, start = 0;
	u8 st = dk_trace_cell(p, 0, row) & DK_TS_MASK;

	for (c = 1; c <= p->ncols; c++) {
		u8 s = c < p->ncols ? dk_trace_cell(p, c, row) & DK_TS_MASK :
				      0xff;

		if (s == st)
			continue;
		if (st != DK_TS_NONE) {
			sep(f, first);
			fprintf(f, "{\"ph\":\"X\",\"pid\":%d,\"tid\":%u,\"ts\":%u,\"dur\":%u,\"cat\":\"line-state\",\"name\":\"%s\",\"args\":{\"line\":\"0x%llx\",\"from_event\":%u}}",
				pid, LINE_TID + row, start * STEP,
				(c - start) * STEP, dk_trace_state_name(st),
				(unsigned long long)p->rows[row], start);
		}
		st = s;
		start = c;
	}
	for (c = 0; c < p->ncols; c++) {
		u8 m = dk_trace_mark(p, c, row);

		if (!(m & DK_TM_CORRUPT))
			continue;
		sep(f, first);
		fprintf(f, "{\"ph\":\"i\",\"s\":\"t\",\"pid\":%d,\"tid\":%u,\"ts\":%u,\"cat\":\"data-lost\",\"name\":\"%s\",\"args\":{\"line\":\"0x%llx\",\"event\":%u}}",
			pid, LINE_TID + row, c * STEP, dk_trace_mark_name(m),
			(unsigned long long)p->rows[row], c);
	}
}

static void column(FILE *f, bool *first, const struct dk_trace_panel *p,
		   int pid, u32 c)
{
	const struct dk_trace_col *col = &p->cols[c];
	u32 r, hit = 0;

	for (r = 0; r < col->ncells; r++)
		hit += !!(col->marks[r] & DK_TM_HIT);
	sep(f, first);
	fprintf(f, "{\"ph\":\"X\",\"pid\":%d,\"tid\":%d,\"ts\":%u,\"dur\":%u,\"cat\":\"%s\",\"name\":",
		pid, track(col->kind), c * STEP, STEP,
		dk_trace_kind_name(col->kind));
	str(f, col->brief);
	fprintf(f, ",\"args\":{\"event\":%u,\"seq\":%llu,\"sim_time\":%llu,\"lines\":%u,\"what\":",
		c, (unsigned long long)col->seq, (unsigned long long)col->time,
		hit);
	str(f, col->text);
	fputs("}}", f);
}

static int rank(const struct dk_trace_panel *p, u32 row)
{
	u32 i;
	int n = 0;

	for (i = 0; i < p->nrows; i++)
		n += p->rows[i] < p->rows[row];
	return n;
}

static void panel(FILE *f, bool *first, const struct dk_trace_panel *p,
		  int pid)
{
	static const char *const tracks[] = { NULL, "DMA API", "CPU",
					      "devices", "cache", "faults",
					      "checker" };
	char name[160];
	u32 r, c;
	int t;

	meta(f, first, pid, 0, "process_name", p->title, pid);
	for (t = 1; t < (int)DK_ARRAY_SIZE(tracks); t++)
		meta(f, first, pid, t, "thread_name", tracks[t], t);
	for (r = 0; r < p->nrows; r++) {
		int reg = p->row_region[r];

		snprintf(name, sizeof(name), "line 0x%llx%s%s",
			 (unsigned long long)p->rows[r], reg >= 0 ? " " : "",
			 reg >= 0 ? p->regions[reg].label : "");
		/* Lines in address order below the event tracks. */
		meta(f, first, pid, LINE_TID + r, "thread_name", name,
		     100 + rank(p, r));
		line_runs(f, first, p, pid, r);
	}
	for (c = 0; c < p->ncols; c++)
		column(f, first, p, pid, c);
}

int dk_trace_json(FILE *f)
{
	bool first = true;
	int i;

	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"producer\":\"dmakit\",\"time\":\"event order, 10 us per event; args.sim_time is the simulated clock\"},\"traceEvents\":[",
	      f);
	for (i = 0; i < dk_trace_npanels(); i++)
		panel(f, &first, dk_trace_panel(i), i + 1);
	fputs("\n]}\n", f);
	return ferror(f) ? dk_err(-EIO, "dk_trace_write_json: write error") : 0;
}
