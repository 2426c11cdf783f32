/* SPDX-License-Identifier: MIT */
/*
 * Pictures of what the cache did: a recorder of every DMA API call,
 * device access, write-back, speculative fill, fault and checker finding,
 * with the state of each cache line of the buffers involved after each
 * one, written as an SVG timeline or as Chrome/Perfetto trace-event JSON.
 *
 * A program can also set DMAKIT_TRACE=FILE: every machine it boots is
 * recorded, and each shutdown rewrites FILE with all of them (trace JSON
 * when FILE ends in ".json", an SVG otherwise).
 *
 * Only a platform that can tell the state of a cache line (the simulator)
 * gives pictures; elsewhere dk_trace_begin() refuses. While nothing is
 * recorded the hooks cost one predictable branch each.
 */
#ifndef DMAKIT_TRACE_H
#define DMAKIT_TRACE_H

#include <stdio.h>

#include <dmakit/machine.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * dk_trace_begin() - start recording a panel of the picture
 * @m: the machine whose DMA to record
 * @title: the panel's title ("buggy driver"), copied
 *
 * Context: any thread; one panel records at a time.
 * Return: 0; -EINVAL for a NULL or dead machine or a platform that cannot
 * show cache lines; -EBUSY while another panel is recording; -ENOMEM;
 * -ENOSPC when the picture already has its 8 panels.
 */
int dk_trace_begin(struct dk_machine *m, const char *title);

/**
 * dk_trace_end() - stop recording the current panel
 *
 * Takes a last look at the lines (CPU stores since the last event) and at
 * the interconnect's faults. Nothing happens when no panel is recording.
 */
void dk_trace_end(void);

/**
 * dk_trace_write() - write every panel recorded so far to a file
 * @path: ends in ".json" for trace-event JSON, else an SVG is written
 *
 * Return: 0, -EINVAL for a NULL path, -ENODATA when nothing was recorded,
 * or the negative errno of creating or writing the file.
 */
int dk_trace_write(const char *path);

/**
 * dk_trace_write_svg() - the SVG timeline: the panels side by side, one
 * row per cache line (lines that behaved alike merged), one column per
 * event, a legend; no scripts, no external resources
 * @f: where to write it
 *
 * Return: 0, -EINVAL for a NULL stream, -ENODATA, or -EIO.
 */
int dk_trace_write_svg(FILE *f);

/**
 * dk_trace_write_json() - the same record in the Trace Event Format
 * ({"traceEvents": [...]}): one process per panel, a track per cache
 * line with a complete event per stretch of one state, tracks for the
 * DMA API, each device, the cache, faults and the checker
 * @f: where to write it
 *
 * Return: 0, -EINVAL for a NULL stream, -ENODATA, or -EIO.
 */
int dk_trace_write_json(FILE *f);

/**
 * dk_trace_clear() - forget every panel (ending a recording one)
 */
void dk_trace_clear(void);

#ifdef __cplusplus
}
#endif

#endif
