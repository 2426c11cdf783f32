/* SPDX-License-Identifier: MIT */
/* Error pointers, with Linux's names. */
#ifndef DMAKIT_ERR_H
#define DMAKIT_ERR_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif
/*
 * Error pointers, as Linux returns them: the top 4095 addresses stand for
 * a negative errno. IS_ERR() tells them from real pointers.
 */
#define MAX_ERRNO 4095

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return (unsigned long)ptr >= (unsigned long)-MAX_ERRNO;
}

static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR(ptr);
}

#ifdef __cplusplus
}
#endif

#endif
