// SPDX-License-Identifier: MIT
/* Per-thread "why did that fail" buffer behind dk_last_error(). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dk_internal.h"

static _Thread_local char last_error[512];

const char *dk_last_error(void)
{
	return last_error;
}

void dk_clear_error(void)
{
	last_error[0] = '\0';
}

/* Record a message and hand back @err so callers can "return dk_err(...)". */
static void record(const char *fmt, va_list ap)
{
	char msg[sizeof(last_error)];

	/* Via a copy: callers may wrap the previous message in a new one. */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	memcpy(last_error, msg, sizeof(msg));
}

__attribute__((format(printf, 2, 3)))
int dk_err(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(fmt, ap);
	va_end(ap);
	return err;
}

static void *log_out;

__attribute__((format(printf, 2, 3)))
int dk_err_log(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(fmt, ap);
	va_end(ap);
	fprintf(dk_log_output(), "%s\n", last_error);
	return err;
}

void dk_log_set_output(void *stdio_file)
{
	log_out = stdio_file;
}

void *dk_log_output(void)
{
	return log_out ? log_out : stderr;
}
