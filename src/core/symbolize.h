/* SPDX-License-Identifier: MIT */
/* Return addresses to names, for the checker's "mapped at" sections. */
#ifndef DMAKIT_DEBUG_SYMBOLIZE_H
#define DMAKIT_DEBUG_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * dk_symbolize - the function holding the call that returns to @ret into
 * @fn, and "file:line" into @where ("" without line information). False
 * if no module of this process knows the address. Thread-safe; slow (for
 * reports only).
 */
bool dk_symbolize(const void *ret, char *fn, size_t fnlen, char *where,
		  size_t wlen);

/*
 * dk_symbolize_frame - one call-trace line, " function (file:line)\n" or
 * " address\n" where unknown, into @buf (snprintf's return); the
 * function's name also into @fn (empty where unknown). @pc: @at is where
 * an instruction ran (a fault), not a return address after a call.
 */
int dk_symbolize_frame(char *buf, size_t len, const void *at, bool pc,
		       char *fn, size_t fnlen);

#endif
