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

#endif
