// SPDX-License-Identifier: MIT
/*
 * Runs the registered tests and ends with "N passed, N failed".
 *
 *   dmakit-tests [-j N] [--no-fork] [--timeout S] [--list] [NAME...]
 *
 * NAMEs select the tests whose name contains one of them. Each test runs
 * in a child process of its own, so a crash or a hang is that test's
 * failure, named, and not the end of the run; -j runs that many at once
 * (default: the machine's cores), and the output stays in registration
 * order. --no-fork runs them one after another in this process, as the
 * Valgrind and TSan stages do (and as a debugger wants).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <valgrind/valgrind.h>

#include "harness.h"

int dk_test_on_valgrind(void)
{
	return RUNNING_ON_VALGRIND;
}

void dk_test_child_exit(int code)
{
	char cmd[] = "exit 000";

	if (RUNNING_ON_VALGRIND) {
		code &= 255;
		cmd[5] = '0' + code / 100;
		cmd[6] = '0' + code / 10 % 10;
		cmd[7] = '0' + code % 10;
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	}
	_exit(code);
}

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

struct opts {
	int jobs;
	bool fork;
	unsigned int timeout;
	bool list;
	int sample;	/* run every sample-th selected test; 0: all */
	int nnames;
	char **names;
};

static bool selected(const char *name, const struct opts *o)
{
	int i;

	for (i = 0; i < o->nnames; i++)
		if (strstr(name, o->names[i]))
			return true;
	return !o->nnames;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: dmakit-tests [-j N] [--no-fork] [--timeout S] [--sample N] [--list] [NAME...]\n");
	return 2;
}

static int parse(int argc, char **argv, struct opts *o)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	int i;

	o->jobs = n > 0 ? (int)n : 1;
	o->fork = true;
	o->timeout = 300;
	/* make check's quick mode (tests/run-all.sh) samples every stage. */
	if (getenv("DMAKIT_TEST_SAMPLE"))
		o->sample = atoi(getenv("DMAKIT_TEST_SAMPLE"));
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *opt = argv[i], *val;
		char *end;
		long v;

		if (!strcmp(opt, "--no-fork")) {
			o->fork = false;
			continue;
		}
		if (!strcmp(opt, "--list")) {
			o->list = true;
			continue;
		}
		/* -j2 as well as -j 2, as make takes it. */
		if (!strncmp(opt, "-j", 2) && opt[2]) {
			val = opt + 2;
			opt = "-j";
		} else if (!strcmp(opt, "-j") || !strcmp(opt, "--timeout") ||
			   !strcmp(opt, "--sample")) {
			if (i + 1 == argc) {
				fprintf(stderr, "dmakit-tests: %s needs a number\n",
					opt);
				return -1;
			}
			val = argv[++i];
		} else {
			fprintf(stderr, "dmakit-tests: unknown option %s\n", opt);
			return -1;
		}
		v = strtol(val, &end, 10);
		if (*end || end == val || v < 1 || v > 100000) {
			fprintf(stderr, "dmakit-tests: %s %s: not a number from 1 to 100000\n",
				opt, val);
			return -1;
		}
		if (opt[1] == 'j')
			o->jobs = (int)v;
		else if (opt[2] == 's')
			o->sample = (int)v;
		else
			o->timeout = (unsigned int)v;
	}
	o->nnames = argc - i;
	o->names = argv + i;
	return 0;
}

/* In this process: the test's own verdict. */
static bool run_here(struct dk_test *t)
{
	failures = 0;
	if (dk_test_fresh)
		dk_test_fresh();
	t->fn();
	return !failures;
}

struct child {
	struct dk_test *t;
	pid_t pid;
	FILE *out;
	int status;
	bool done;
};

static void start(struct child *c, unsigned int timeout)
{
	fflush(stdout);
	fflush(stderr);
	c->out = tmpfile();
	c->pid = c->out ? fork() : -1;
	if (c->pid == 0) {
		dup2(fileno(c->out), STDOUT_FILENO);
		dup2(fileno(c->out), STDERR_FILENO);
		alarm(timeout);
		exit(run_here(c->t) ? 0 : 1);
	}
}

/* Print what the child said, then its verdict; true if it passed. */
static bool report(struct child *c, unsigned int timeout)
{
	int st = c->status;
	char buf[4096];
	size_t n;
	bool ok = c->pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;

	if (c->out) {
		rewind(c->out);
		while ((n = fread(buf, 1, sizeof(buf), c->out)))
			fwrite(buf, 1, n, stdout);
		fclose(c->out);
	}
	if (c->pid < 0)
		printf("    could not start the test: %s\n", strerror(errno));
	else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
		printf("    timed out after %u s\n", timeout);
	else if (WIFSIGNALED(st))
		printf("    killed by signal %d (%s)\n", WTERMSIG(st),
		       strsignal(WTERMSIG(st)));
	else if (WIFEXITED(st) && WEXITSTATUS(st) > 1)
		printf("    exited with status %d\n", WEXITSTATUS(st));
	printf("%s %s\n", ok ? "ok  " : "FAIL", c->t->name);
	fflush(stdout);
	return ok;
}

static void run_forked(struct dk_test **tests, int n, const struct opts *o,
		       int *passed, int *failed)
{
	struct child *c = calloc(n, sizeof(*c));
	int next = 0, printed = 0, running = 0, i;

	if (!c) {
		perror("dmakit-tests");
		*failed = n;
		return;
	}
	while (printed < n) {
		while (running < o->jobs && next < n) {
			c[next].t = tests[next];
			start(&c[next], o->timeout);
			if (c[next].pid > 0)
				running++;
			else
				c[next].done = true;
			next++;
		}
		if (running) {
			int st;
			pid_t pid = wait(&st);

			for (i = 0; pid > 0 && i < next; i++)
				if (c[i].pid == pid && !c[i].done) {
					c[i].status = st;
					c[i].done = true;
					running--;
				}
		}
		while (printed < next && c[printed].done) {
			if (report(&c[printed], o->timeout))
				(*passed)++;
			else
				(*failed)++;
			printed++;
		}
	}
	free(c);
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct dk_test *t, **tests;
	int passed = 0, failed = 0, n = 0, i = 0;

	if (parse(argc, argv, &o))
		return usage();
	for (t = head; t; t = t->next)
		n++;
	tests = calloc(n ? n : 1, sizeof(*tests));
	if (!tests)
		return 1;
	n = 0;
	for (t = head; t; t = t->next)
		if (selected(t->name, &o) &&
		    (o.sample < 2 || i++ % o.sample == 0))
			tests[n++] = t;
	if (o.list) {
		for (i = 0; i < n; i++)
			printf("%s\n", tests[i]->name);
		free(tests);
		return 0;
	}
	if (o.fork) {
		run_forked(tests, n, &o, &passed, &failed);
	} else {
		for (i = 0; i < n; i++) {
			bool ok = run_here(tests[i]);

			printf("%s %s\n", ok ? "ok  " : "FAIL", tests[i]->name);
			fflush(stdout);
			ok ? passed++ : failed++;
		}
	}
	free(tests);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
