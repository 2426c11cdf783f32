/* SPDX-License-Identifier: MIT */
/* Helpers shared by every layer of the library (not installed). */
#ifndef DMAKIT_CORE_INTERNAL_H
#define DMAKIT_CORE_INTERNAL_H

#include <dmakit/error.h>

/* Record a message for dk_last_error() and return @err. */
int dk_err(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* dk_err(), and print the message to the log: for functions that return
 * nothing, whose caller would otherwise never learn of the refusal. */
int dk_err_log(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define DK_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
