/* SPDX-License-Identifier: MIT */
/*
 * Copies and compares that the sanitizers do not check. The simulated
 * hardware (snooping, evictions, cache maintenance) reads and writes the
 * CPU's view of buffers that the checker has poisoned while a device owns
 * them; hardware may do that, a driver may not, so only the hardware's
 * accesses go through these.
 */
#ifndef DMAKIT_CORE_RAWMEM_H
#define DMAKIT_CORE_RAWMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/*
 * Set once at load when neither Valgrind nor an ASan runtime watches the
 * program: the hardware's accesses are then libc's own, called inline at
 * each use (the copies and compares of a small map are a handful, and a
 * call and two tests around each were a tenth of its cost).
 */
extern bool dk_raw_plain;

void dk_raw_copy_watched(void *dst, const void *src, size_t n);
void dk_raw_zero_watched(void *dst, size_t n);
size_t dk_raw_diff_plain(const void *a, const void *b, size_t n, size_t unit);
/* A range up to this size is compared in one memcmp (rawmem.c). */
#define DK_RAW_DIFF_CHUNK (16 * 1024)
/* dk_raw_diff_plain() of a range of at most a chunk known to differ (@n
 * if it no longer does: another thread's clean may have made it equal). */
size_t dk_raw_diff_differs(const void *a, const void *b, size_t n,
			   size_t unit);
size_t dk_raw_diff_watched(const void *a, const void *b, size_t n,
			   size_t unit);
int dk_raw_cmp_watched(const void *a, const void *b, size_t n);

/*
 * One 64-byte line (the usual one, and the write-back of the one dirty
 * line of a buffer the driver touched) is a few moves inline: the call
 * into libc and its size dispatch were most of that copy.
 */
#define DK_RAW_LINE 64

static inline void dk_raw_copy(void *dst, const void *src, size_t n)
{
	if (__builtin_expect(!dk_raw_plain, 0))
		dk_raw_copy_watched(dst, src, n);
	else if (n == DK_RAW_LINE)
		memcpy(dst, src, DK_RAW_LINE);
	else
		memcpy(dst, src, n);
}

static inline void dk_raw_zero(void *dst, size_t n)
{
	if (__builtin_expect(dk_raw_plain, 1))
		memset(dst, 0, n);
	else
		dk_raw_zero_watched(dst, n);
}

/*
 * Offset of the first block of @unit bytes (a power of two; blocks counted
 * from @a) where @a and @b differ, or @n: a clean wants the first dirty
 * line, not the byte. The first block is compared here, inline: a driver
 * fills its buffer from the start, so a dirty line is often the first.
 */
static inline size_t dk_raw_diff(const void *a, const void *b, size_t n,
				 size_t unit)
{
	size_t i = n < unit ? n : unit;

	if (__builtin_expect(!dk_raw_plain, 0))
		return dk_raw_diff_watched(a, b, n, unit);
	if (i == DK_RAW_LINE ? memcmp(a, b, DK_RAW_LINE) != 0 : memcmp(a, b, i))
		return 0;
	if (i == n)
		return n;
	a = (const char *)a + i;
	b = (const char *)b + i;
	/* The rest of a small range, the floor itself, without a call. */
	if (n - i <= DK_RAW_DIFF_CHUNK)
		return memcmp(a, b, n - i) ?
			       i + dk_raw_diff_differs(a, b, n - i, unit) : n;
	return i + dk_raw_diff_plain(a, b, n - i, unit);
}

/* The same with no block compared first, for a range whose first block
 * is no likelier than the rest to differ: one memcmp, the floor itself,
 * for a range up to a chunk that does not. */
static inline size_t dk_raw_diff_whole(const void *a, const void *b,
				       size_t n, size_t unit)
{
	if (__builtin_expect(!dk_raw_plain, 0))
		return dk_raw_diff_watched(a, b, n, unit);
	if (n > DK_RAW_DIFF_CHUNK)
		return dk_raw_diff_plain(a, b, n, unit);
	return memcmp(a, b, n) ? dk_raw_diff_differs(a, b, n, unit) : n;
}

static inline int dk_raw_cmp(const void *a, const void *b, size_t n)
{
	if (__builtin_expect(dk_raw_plain, 1))
		return memcmp(a, b, n);
	return dk_raw_cmp_watched(a, b, n);
}

/*
 * One line's clean: if @cpu's @n bytes differ from @last's, they go to
 * @mem and @last; returns whether they did. A 64-byte line is loaded
 * once, into registers, for the compare and both copies: where a clean
 * is as long as a compare, a map's other loads are what it costs more.
 */
typedef unsigned long long dk_raw_v16 __attribute__((vector_size(16)));

static inline dk_raw_v16 dk_raw_v16_at(const void *p, size_t i)
{
	dk_raw_v16 v;

	memcpy(&v, (const char *)p + 16 * i, 16);
	return v;
}

/* dk_raw_clean_line() where dk_raw_plain is known (nobody watches). */
static inline __attribute__((always_inline)) bool
dk_raw_clean_line_plain(void *mem, void *last, const void *cpu, size_t n)
{
	dk_raw_v16 c0, c1, c2, c3, d;
	char *m = mem, *l = last;

	if (__builtin_expect(n != DK_RAW_LINE, 0)) {
		if (!memcmp(cpu, last, n))
			return false;
		memcpy(mem, cpu, n);
		memcpy(last, cpu, n);
		return true;
	}
	c0 = dk_raw_v16_at(cpu, 0);
	c1 = dk_raw_v16_at(cpu, 1);
	c2 = dk_raw_v16_at(cpu, 2);
	c3 = dk_raw_v16_at(cpu, 3);
	d = (c0 ^ dk_raw_v16_at(last, 0)) | (c1 ^ dk_raw_v16_at(last, 1)) |
	    (c2 ^ dk_raw_v16_at(last, 2)) | (c3 ^ dk_raw_v16_at(last, 3));
	if (!(d[0] | d[1]))
		return false;
	memcpy(m, &c0, 16);
	memcpy(m + 16, &c1, 16);
	memcpy(m + 32, &c2, 16);
	memcpy(m + 48, &c3, 16);
	memcpy(l, &c0, 16);
	memcpy(l + 16, &c1, 16);
	memcpy(l + 32, &c2, 16);
	memcpy(l + 48, &c3, 16);
	return true;
}

static inline __attribute__((always_inline)) bool
dk_raw_clean_line(void *mem, void *last, const void *cpu, size_t n)
{
	if (__builtin_expect(!dk_raw_plain, 0)) {
		if (!dk_raw_cmp_watched(cpu, last, n))
			return false;
		dk_raw_copy_watched(mem, cpu, n);
		dk_raw_copy_watched(last, cpu, n);
		return true;
	}
	return dk_raw_clean_line_plain(mem, last, cpu, n);
}

/*
 * Mark memory the library takes back (@gone) or hands out again, so a
 * program's use after free is caught under ASan or Valgrind where no
 * munmap makes it fault: poisoned for ASan, no-access for Valgrind.
 */
void dk_raw_access(void *p, size_t n, bool gone);

#endif
