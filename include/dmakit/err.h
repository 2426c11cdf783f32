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

/**
 * ERR_PTR() - a negative errno as a pointer, for functions that return
 * either an object or an error.
 * @error: a negative errno from -1 to -MAX_ERRNO.
 *
 * Return: the pointer IS_ERR() recognises; PTR_ERR() gives @error back.
 */
static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

/**
 * PTR_ERR() - the errno an error pointer stands for.
 * @ptr: a pointer for which IS_ERR() is true.
 *
 * Return: the negative errno given to ERR_PTR(); meaningless for a real
 * pointer.
 */
static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

/**
 * IS_ERR() - whether a pointer is an error pointer.
 * @ptr: any pointer, NULL included.
 *
 * Return: true if @ptr is one of the top MAX_ERRNO addresses (an
 * ERR_PTR()), false for NULL and every real pointer.
 */
static inline bool IS_ERR(const void *ptr)
{
	return (unsigned long)ptr >= (unsigned long)-MAX_ERRNO;
}

/**
 * IS_ERR_OR_NULL() - whether a pointer is NULL or an error pointer.
 * @ptr: any pointer.
 *
 * Return: true for NULL and for an ERR_PTR(), false otherwise.
 */
static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR(ptr);
}

#ifdef __cplusplus
}
#endif

#endif
