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
__attribute__((format(printf, 2, 3)))
int dk_err(int err, const char *fmt, ...)
{
	char msg[sizeof(last_error)];
	va_list ap;

	/* Via a copy: callers may wrap the previous message in a new one. */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memcpy(last_error, msg, sizeof(msg));
	return err;
}

static void *log_out;

void dk_log_set_output(void *stdio_file)
{
	log_out = stdio_file;
}

void *dk_log_output(void)
{
	return log_out ? log_out : stderr;
}
