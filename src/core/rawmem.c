// SPDX-License-Identifier: MIT
/*
 * Unchecked copies for the simulated hardware. Under AddressSanitizer the
 * functions are not instrumented and use volatile word accesses, which the
 * compiler cannot turn back into (intercepted) memcpy/memcmp calls. Under
 * Valgrind they switch error reporting off for their duration.
 */
#include <stdint.h>
#include <string.h>

#include <valgrind/valgrind.h>

#include "rawmem.h"

#if defined(__SANITIZE_ADDRESS__)
#define DK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DK_ASAN 1
#endif
#endif

#ifdef DK_ASAN
#define NOSAN __attribute__((no_sanitize_address))

NOSAN static void copy(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const volatile unsigned char *s = src;

	if (!(((uintptr_t)d | (uintptr_t)s | n) & 7)) {
		volatile uint64_t *dw = (volatile uint64_t *)d;
		const volatile uint64_t *sw = (const volatile uint64_t *)s;

		for (n /= 8; n--;)
			*dw++ = *sw++;
		return;
	}
	while (n--)
		*d++ = *s++;
}

NOSAN static void zero(void *dst, size_t n)
{
	volatile unsigned char *d = dst;

	while (n--)
		*d++ = 0;
}

NOSAN static int cmp(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *x = a, *y = b;

	if (!(((uintptr_t)x | (uintptr_t)y | n) & 7)) {
		const volatile uint64_t *xw = (const volatile uint64_t *)x;
		const volatile uint64_t *yw = (const volatile uint64_t *)y;

		for (n /= 8; n--; xw++, yw++)
			if (*xw != *yw)
				return 1;
		return 0;
	}
	for (; n--; x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}
#else
static void copy(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
}

static void zero(void *dst, size_t n)
{
	memset(dst, 0, n);
}

static int cmp(const void *a, const void *b, size_t n)
{
	return memcmp(a, b, n);
}
#endif

void dk_raw_copy(void *dst, const void *src, size_t n)
{
	VALGRIND_DISABLE_ERROR_REPORTING;
	copy(dst, src, n);
	VALGRIND_ENABLE_ERROR_REPORTING;
}

void dk_raw_zero(void *dst, size_t n)
{
	VALGRIND_DISABLE_ERROR_REPORTING;
	zero(dst, n);
	VALGRIND_ENABLE_ERROR_REPORTING;
}

int dk_raw_cmp(const void *a, const void *b, size_t n)
{
	int r;

	VALGRIND_DISABLE_ERROR_REPORTING;
	r = cmp(a, b, n);
	VALGRIND_ENABLE_ERROR_REPORTING;
	return r;
}
