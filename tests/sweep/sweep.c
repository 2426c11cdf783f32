// SPDX-License-Identifier: MIT
/*
 * The sweep's runner. "dmakit-sweep" runs every case; "--list" prints the
 * functions the table covers, one per line, for the inventory check in
 * tests/sweep.sh; "-k TEXT" runs only the cases whose function or input
 * contains TEXT. Each case runs in a child forked from a parent that has
 * the case's world ready, under alarm(); the child must exit 0 (the
 * documented result), anything else is a failure: a wrong result (exit 3,
 * with its reason), a signal, a sanitizer report or a hang.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <dmakit/sim_device.h>
#include <dmakit/slab.h>

#include "sweep.h"

#define CASE_SECONDS 10
#define WRONG 3

static struct sweep_case *cases, **tail = &cases;
static int report_fd = -1;
static FILE *case_log;

bool sweep_log_has(const char *sub)
{
	static char text[65536];
	size_t n;

	if (!case_log)
		return false;
	fflush(case_log);
	rewind(case_log);
	n = fread(text, 1, sizeof(text) - 1, case_log);
	text[n] = '\0';
	fseek(case_log, 0, SEEK_END);
	return strstr(text, sub) != NULL;
}

void sweep_register(struct sweep_case *c)
{
	*tail = c;
	tail = &c->next;
}

int sweep_fail(const char *file, int line, const char *what)
{
	char msg[1024];
	int n = snprintf(msg, sizeof(msg), "%s:%d: %s (last error \"%s\")",
			 file, line, what, dk_last_error());

	if (report_fd >= 0 && n > 0 && write(report_fd, msg, strlen(msg)) < 0)
		return 1;
	return 1;
}

static int boot(struct dk_soc **soc, struct dk_platform *pl,
		struct dk_machine **m)
{
	if (dk_soc_load_default(NULL, soc) || dk_platform_sim(*soc, pl) ||
	    dk_machine_boot(pl, NULL, m)) {
		fprintf(stderr, "sweep: boot: %s\n", dk_last_error());
		return -1;
	}
	return 0;
}

struct device *sweep_dev(struct sweep_env *e, const char *name)
{
	return dk_machine_find_device(e->m, name);
}

struct dk_simdev *sweep_simdev(struct sweep_env *e, const char *name)
{
	return dk_soc_find_dev(e->soc, name);
}

/* A third machine, shut down again: the objects it leaves are dead. */
static struct dk_machine *dead_machine(struct sweep_env *e,
				       struct device **dev)
{
	struct dk_soc *soc;
	struct dk_platform pl;
	struct dk_machine *m;

	if (boot(&soc, &pl, &m))
		exit(WRONG);
	if (dev)
		*dev = dk_machine_find_device(m, "master@10010000");
	dk_machine_shutdown(m);
	dk_soc_free(soc);
	dk_machine_set_current(e->m);
	return m;
}

struct dk_machine *sweep_dead_machine(struct sweep_env *e)
{
	return dead_machine(e, NULL);
}

struct device *sweep_dead_device(struct sweep_env *e)
{
	struct device *dev;

	dead_machine(e, &dev);
	return dev;
}

struct dk_soc *sweep_freed_soc(struct sweep_env *e)
{
	struct dk_soc *soc;

	(void)e;
	if (dk_soc_load_default(NULL, &soc))
		exit(WRONG);
	dk_soc_free(soc);
	return soc;
}

struct dk_simdev *sweep_dead_simdev(struct sweep_env *e)
{
	struct dk_soc *soc;
	struct dk_simdev *d;

	(void)e;
	if (dk_soc_load_default(NULL, &soc))
		exit(WRONG);
	d = dk_soc_find_dev(soc, "master@10010000");
	dk_soc_free(soc);
	return d;
}

static int setup_machine(struct sweep_env *e)
{
	memset(e, 0, sizeof(*e));
	if (boot(&e->osoc, &e->pl, &e->om))
		return -1;
	e->odev = dk_machine_find_device(e->om, "master@10010000");
	e->obuf = kmalloc(256, GFP_KERNEL);
	if (boot(&e->soc, &e->pl, &e->m))
		return -1;
	e->dev = sweep_dev(e, "master@10010000");
	e->sdev = sweep_simdev(e, "master@10010000");
	e->buf = kmalloc(256, GFP_KERNEL);
	if (!e->dev || !e->sdev || !e->buf || !e->odev || !e->obuf) {
		fprintf(stderr, "sweep: world: %s\n", dk_last_error());
		return -1;
	}
	return 0;
}

static bool selected(const struct sweep_case *c, const char *filter)
{
	return !filter || strstr(c->fn, filter) || strstr(c->what, filter);
}

/* One case in a child; 0 if it passed, else why not in @why. */
static int run_case(struct sweep_case *c, struct sweep_env *e, char *why,
		    size_t len)
{
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe(fds))
		return snprintf(why, len, "pipe: %s", strerror(errno)), -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return snprintf(why, len, "fork: %s", strerror(errno)), -1;
	if (!pid) {
		close(fds[0]);
		report_fd = fds[1];
		case_log = tmpfile();
		dk_log_set_output(case_log);
		dk_dma_debug_set_output(case_log);
		dk_dma_debug_clear();
		dk_clear_error();
		alarm(CASE_SECONDS);
		_exit(c->run(e) ? WRONG : 0);
	}
	close(fds[1]);
	n = read(fds[0], why, len - 1);
	why[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) < 0)
		return snprintf(why, len, "waitpid: %s", strerror(errno)), -1;
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		snprintf(why, len, "hang: no result in %d s", CASE_SECONDS);
	else if (WIFSIGNALED(status))
		snprintf(why, len, "crash: signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else if (WEXITSTATUS(status) != WRONG)
		snprintf(why, len, "exit %d (a sanitizer report?)",
			 WEXITSTATUS(status));
	return -1;
}

static void run_world(enum sweep_world w, struct sweep_env *e,
		      const char *filter, int *passed, int *failed)
{
	struct sweep_case *c;
	char why[1024];

	for (c = cases; c; c = c->next) {
		if (c->world != w || !selected(c, filter))
			continue;
		if (!run_case(c, e, why, sizeof(why))) {
			++*passed;
			continue;
		}
		++*failed;
		printf("FAIL %s: %s\n    %s\n    (%s:%d)\n", c->fn, c->what, why,
		       c->file, c->line);
	}
}

int main(int argc, char **argv)
{
	struct sweep_env env;
	const char *filter = NULL;
	struct sweep_case *c;
	int passed = 0, failed = 0;

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (c = cases; c; c = c->next)
			printf("%s\n", c->fn);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "-k"))
		filter = argv[2];
	else if (argc != 1) {
		fprintf(stderr, "usage: dmakit-sweep [--list | -k TEXT]\n");
		return 2;
	}
	/* Before any machine: the parent has booted none yet. */
	memset(&env, 0, sizeof(env));
	run_world(W_NONE, &env, filter, &passed, &failed);
	if (setup_machine(&env))
		return 2;
	run_world(W_MACHINE, &env, filter, &passed, &failed);
	kfree(env.buf);
	dk_machine_shutdown(env.m);
	dk_soc_free(env.soc);
	dk_machine_set_current(env.om);
	kfree(env.obuf);
	dk_machine_shutdown(env.om);
	dk_soc_free(env.osoc);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
