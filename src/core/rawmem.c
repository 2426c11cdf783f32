// SPDX-License-Identifier: MIT
/*
 * Unchecked copies for the simulated hardware. Under AddressSanitizer the
 * functions are not instrumented and use volatile word accesses, which the
 * compiler cannot turn back into (intercepted) memcpy/memcmp calls. Under
 * Valgrind they switch error reporting off for their duration. Elsewhere
 * rawmem.h calls libc inline and only the search for a difference is
 * here: the client requests alone cost a fifth of a cache operation.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <valgrind/memcheck.h>
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
#include <sanitizer/asan_interface.h>

#define NOSAN __attribute__((no_sanitize_address))
#else
#define NOSAN
#endif

/*
 * The volatile word loops: neither instrumented nor turned back into
 * memcpy/memcmp calls, which the sanitizer intercepts and checks.
 */

NOSAN static void v_copy(void *dst, const void *src, size_t n)
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

NOSAN static void v_zero(void *dst, size_t n)
{
	volatile unsigned char *d = dst;

	while (n--)
		*d++ = 0;
}

NOSAN static size_t v_diff(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *x = a, *y = b;
	size_t i = 0;

	if (!(((uintptr_t)x | (uintptr_t)y) & 7))
		for (; i + 8 <= n; i += 8)
			if (*(const volatile uint64_t *)(x + i) !=
			    *(const volatile uint64_t *)(y + i))
				break;
	for (; i < n; i++)
		if (x[i] != y[i])
			break;
	return i;
}

NOSAN static int v_cmp(const void *a, const void *b, size_t n)
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
/* The fast ones, where no sanitizer watches. */
static void f_copy(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
}

static void f_zero(void *dst, size_t n)
{
	memset(dst, 0, n);
}

#define DIFF_CHUNK DK_RAW_DIFF_CHUNK

/* The first differing @unit of [i, i + k), which differs somewhere:
 * halves compared down to one unit. */
static size_t f_diff_in(const unsigned char *x, const unsigned char *y,
			size_t i, size_t k, size_t unit)
{
	size_t h;

	while (k > unit) {
		h = (k / 2 + unit - 1) & ~(unit - 1);
		if (memcmp(x + i, y + i, h)) {
			k = h;
		} else {
			i += h;
			k -= h;
		}
	}
	return i;
}

/* The same for a chunk [c, c + n) known to differ: blocks from a unit,
 * doubling, so a difference near the start is found at once. c + n if
 * it no longer does: the cache model looks with no lock, and another
 * thread's clean of a shared line may have made it equal since. */
static size_t f_diff_chunk(const unsigned char *x, const unsigned char *y,
			   size_t c, size_t n, size_t unit)
{
	size_t i = c, k, step = unit;

	for (; i < c + n; i += k, step *= 2) {
		k = c + n - i < step ? c + n - i : step;
		if (memcmp(x + i, y + i, k))
			return f_diff_in(x, y, i, k, unit);
	}
	return c + n;
}

size_t dk_raw_diff_differs(const void *a, const void *b, size_t n,
			   size_t unit)
{
	return f_diff_chunk(a, b, 0, n, unit);
}

/*
 * A chunk at a time in one memcmp each: a clean range up to a chunk is
 * one call, the floor itself, and memcmp stops at the first difference.
 * Only a chunk that differs is searched, so the search costs at most
 * about twice the clean bytes of that chunk before the difference (a
 * search in doubling blocks alone was a dozen calls for a clean 4 KiB;
 * a fixed block size made a clean megabyte thousands). rawmem.h compares
 * the first unit inline before this.
 */
size_t dk_raw_diff_plain(const void *a, const void *b, size_t n, size_t unit)
{
	const unsigned char *x = a, *y = b;
	size_t c, k, d;

	if (n <= DIFF_CHUNK)
		return memcmp(x, y, n) ? dk_raw_diff_differs(x, y, n, unit) : n;
	for (c = 0; c < n; c += k) {
		k = n - c < DIFF_CHUNK ? n - c : DIFF_CHUNK;
		if (memcmp(x + c, y + c, k) &&
		    (d = f_diff_chunk(x, y, c, k, unit)) < c + k)
			return d;
	}
	return n;
}

static int f_cmp(const void *a, const void *b, size_t n)
{
	return memcmp(a, b, n);
}
/* Present when the program runs with the ASan runtime, even if this
 * library was built without it: then libc's copies are checked too. */
void __asan_poison_memory_region(void const volatile *addr, size_t size)
	__attribute__((weak));

static bool on_valgrind, checked;
bool dk_raw_plain;	/* false until known: the watched copies work anyway */

__attribute__((constructor)) static void detect_tools(void)
{
	on_valgrind = RUNNING_ON_VALGRIND;
#ifdef DK_ASAN
	checked = true;
#else
	checked = __asan_poison_memory_region != NULL;
#endif
	dk_raw_plain = !on_valgrind && !checked;
}

#define QUIET_BEGIN()                                                  \
	do {                                                           \
		if (on_valgrind)                                       \
			VALGRIND_DISABLE_ERROR_REPORTING;              \
	} while (0)
#define QUIET_END()                                                    \
	do {                                                           \
		if (on_valgrind)                                       \
			VALGRIND_ENABLE_ERROR_REPORTING;               \
	} while (0)

void dk_raw_copy_watched(void *dst, const void *src, size_t n)
{
	QUIET_BEGIN();
	if (checked)
		v_copy(dst, src, n);
	else
		f_copy(dst, src, n);
	QUIET_END();
}

void dk_raw_zero_watched(void *dst, size_t n)
{
	QUIET_BEGIN();
	if (checked)
		v_zero(dst, n);
	else
		f_zero(dst, n);
	QUIET_END();
}

size_t dk_raw_diff_watched(const void *a, const void *b, size_t n,
			   size_t unit)
{
	size_t r;

	QUIET_BEGIN();
	if (checked) {
		r = v_diff(a, b, n);
		r = r < n ? r & ~(unit - 1) : n;
	} else {
		r = dk_raw_diff_plain(a, b, n, unit);
	}
	QUIET_END();
	return r;
}

int dk_raw_cmp_watched(const void *a, const void *b, size_t n)
{
	int r;

	QUIET_BEGIN();
	r = checked ? v_cmp(a, b, n) : f_cmp(a, b, n);
	QUIET_END();
	return r;
}

void dk_raw_access(void *p, size_t n, bool gone)
{
	(void)p;	/* unused when built without Valgrind's requests */
	(void)n;
#ifdef DK_ASAN
	if (gone)
		ASAN_POISON_MEMORY_REGION(p, n);
	else
		ASAN_UNPOISON_MEMORY_REGION(p, n);
#endif
	if (on_valgrind) {
		if (gone)
			VALGRIND_MAKE_MEM_NOACCESS(p, n);
		else
			VALGRIND_MAKE_MEM_DEFINED(p, n);
	}
}
