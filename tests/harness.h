/* SPDX-License-Identifier: MIT */
/* A minimal test harness: TEST() registers, CHECK*() record failures. */
#ifndef DMAKIT_TESTS_HARNESS_H
#define DMAKIT_TESTS_HARNESS_H

#include <stdio.h>
#include <string.h>

struct dk_test {
	const char *name;
	void (*fn)(void);
	struct dk_test *next;
};

void dk_test_register(struct dk_test *t);
void dk_test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * dk_test_child_exit - end a forked child with status @code (0..255).
 * Async-signal-safe. Under Valgrind the child execs a shell that exits
 * @code: a plain exit would make Valgrind check the whole inherited heap
 * for leaks, seconds for a booted machine, and report them twice.
 */
void dk_test_child_exit(int code) __attribute__((noreturn));

/* dk_test_on_valgrind - whether the tests run under Valgrind. */
int dk_test_on_valgrind(void);
/* Defined by a test program whose tests share state a forked child
 * would start without (the checker's findings): run before each test
 * --no-fork runs in the harness's own process. */
void dk_test_fresh(void) __attribute__((weak));

#define TEST(n)                                                         \
	static void n(void);                                            \
	static struct dk_test n##_desc = { #n, n, NULL };               \
	__attribute__((constructor)) static void n##_register(void)     \
	{                                                               \
		dk_test_register(&n##_desc);                            \
	}                                                               \
	static void n(void)

/* Whether all @n bytes at @p are @v. */
static inline int mem_all(const void *p, int v, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		if (*b++ != (unsigned char)v)
			return 0;
	return 1;
}

#define CHECK(c)                                                        \
	do {                                                            \
		if (!(c))                                               \
			dk_test_fail(__FILE__, __LINE__, "%s", #c);     \
	} while (0)

#define CHECK_EQ(a, b)                                                  \
	do {                                                            \
		unsigned long long _a = (unsigned long long)(a);        \
		unsigned long long _b = (unsigned long long)(b);        \
		if (_a != _b)                                           \
			dk_test_fail(__FILE__, __LINE__,                \
				     "%s == %s: 0x%llx != 0x%llx", #a, #b, \
				     _a, _b);                           \
	} while (0)

#define CHECK_MEM(a, b, n)                                              \
	do {                                                            \
		if (memcmp((a), (b), (n)))                              \
			dk_test_fail(__FILE__, __LINE__,                \
				     "bytes of %s differ from %s", #a, #b); \
	} while (0)

#define CHECK_STR(s, sub)                                               \
	do {                                                            \
		const char *_s = (s);                                   \
		if (!_s || !strstr(_s, (sub)))                          \
			dk_test_fail(__FILE__, __LINE__,                \
				     "\"%s\" does not contain \"%s\"",  \
				     _s ? _s : "(null)", (sub));        \
	} while (0)

#endif
