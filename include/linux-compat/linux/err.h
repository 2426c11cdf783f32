/* SPDX-License-Identifier: MIT */
/* <linux/err.h> for driver code built against dmakit: ERR_PTR and friends. */
#ifndef DMAKIT_COMPAT_LINUX_ERR_H
#define DMAKIT_COMPAT_LINUX_ERR_H

#include <linux/compiler.h>
#include <linux/errno.h>	/* Linux's err.h brings the error numbers */
#include <dmakit/err.h>

/**
 * PTR_ERR_OR_ZERO() - the errno of an error pointer, 0 for any other.
 * @ptr: the pointer.
 *
 * Return: PTR_ERR(@ptr) or 0.
 */
static inline int PTR_ERR_OR_ZERO(const void *ptr)
{
	return IS_ERR(ptr) ? (int)PTR_ERR(ptr) : 0;
}

/**
 * ERR_CAST() - an error pointer as another pointer type.
 * @ptr: the error pointer.
 *
 * Return: @ptr, without its const.
 */
static inline void *ERR_CAST(const void *ptr)
{
	return (void *)(unsigned long)ptr;
}

/* A pointer that is an error, else the errno - as IS_ERR() with the
 * value: "if (IS_ERR_VALUE(x))" on an unsigned long. */
#define IS_ERR_VALUE(x)							\
	((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

#endif
