// SPDX-License-Identifier: MIT
/* Per-thread "why did that fail" buffer behind dk_last_error(). */
#include <stdarg.h>
#include <stdio.h>

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
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return err;
}
