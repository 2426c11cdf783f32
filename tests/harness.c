// SPDX-License-Identifier: MIT
/*
 * Runs the registered tests (dmakit-tests [NAME...]: only those whose name
 * contains one of the NAMEs); ends with "N passed, N failed".
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>

#include "harness.h"

static struct dk_test *head, **tail = &head;
static int failures;

void dk_test_register(struct dk_test *t)
{
	*tail = t;
	tail = &t->next;
}

void dk_test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stdout, "    %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	failures++;
}

/* With arguments, only the tests whose name contains one of them. */
static bool selected(const char *name, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strstr(name, argv[i]))
			return true;
	return argc < 2;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;
	struct dk_test *t;

	for (t = head; t; t = t->next) {
		if (!selected(t->name, argc, argv))
			continue;
		failures = 0;
		t->fn();
		if (failures) {
			printf("FAIL %s\n", t->name);
			failed++;
		} else {
			printf("ok   %s\n", t->name);
			passed++;
		}
		fflush(stdout);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
