/* SPDX-License-Identifier: MIT */
/*
 * <linux/string.h> for driver code built against dmakit: the C
 * library's, with the kernel's bounded copies. They are dmakit's own
 * functions under the kernel's names (a C library that has strlcpy()
 * keeps its declaration; the driver calls ours).
 */
#ifndef DMAKIT_COMPAT_LINUX_STRING_H
#define DMAKIT_COMPAT_LINUX_STRING_H

#include <ctype.h>
#include <string.h>
#include <sys/types.h>

#include <linux/errno.h>

/**
 * dk_strscpy() - strscpy(): copy a string into @size bytes, always
 * terminated (for @size above 0).
 * @dst: the destination.
 * @src: the string.
 * @size: the destination's size.
 *
 * Return: the length copied, or -E2BIG when @src did not fit (what fits
 * is copied).
 */
static inline ssize_t dk_strscpy(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size);

	if (!size)
		return -E2BIG;
	if (n == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, n + 1);
	return (ssize_t)n;
}

/**
 * dk_strlcpy() - strlcpy(): copy a string into @size bytes, always
 * terminated (for @size above 0).
 * @dst: the destination.
 * @src: the string.
 * @size: the destination's size.
 *
 * Return: strlen(@src): truncated if it is @size or more.
 */
static inline size_t dk_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t c = n < size ? n : size - 1;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

/* strscpy(dst, src) with an array @dst takes its size, as Linux 6.8+. */
#define __dk_strscpy3(dst, src, size)	dk_strscpy(dst, src, size)
#define __dk_strscpy2(dst, src)		dk_strscpy(dst, src, sizeof(dst))
#define __dk_pick3(a, b, c, name, ...)	name
#define strscpy(...)							\
	__dk_pick3(__VA_ARGS__, __dk_strscpy3, __dk_strscpy2, 0)(__VA_ARGS__)
#define strlcpy(dst, src, size)	dk_strlcpy(dst, src, size)

/**
 * strim() - cut the white space off both ends of @s, in place.
 * @s: the string.
 *
 * Return: where the rest starts, inside @s.
 */
static inline char *strim(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	while (isspace((unsigned char)*s))
		s++;
	return s;
}
#define strstrip(s)	strim(s)

#endif
