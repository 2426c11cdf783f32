// SPDX-License-Identifier: MIT
/*
 * Two threads on two devices: a second machine from the built-in tree
 * with a second coherent master added (the built-in SoC has one), so two
 * drivers' map+unmap can be timed side by side with nothing shared but
 * what the library itself shares between devices.
 */
#include <errno.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libfdt.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/machine.h>
#include <dmakit/slab.h>
#include <dmakit/soc.h>

#include "bench.h"

#define SECOND "coherent-master@10050000"

/* The built-in tree plus a coherent master at 0x10050000, IRQ 10. */
static void *two_master_tree(size_t *len)
{
	size_t n;
	const void *dtb = dk_soc_default_dtb(&n);
	fdt32_t reg[4] = { 0, cpu_to_fdt32(0x10050000), 0,
			   cpu_to_fdt32(0x1000) };
	void *buf = malloc(n + 4096);
	int soc, node;

	if (!buf || fdt_open_into(dtb, buf, n + 4096))
		goto fail;
	soc = fdt_path_offset(buf, "/soc");
	node = soc < 0 ? soc : fdt_add_subnode(buf, soc, SECOND);
	if (node < 0 ||
	    fdt_setprop_string(buf, node, "compatible",
			       "dmakit,generic-master") ||
	    fdt_setprop(buf, node, "reg", reg, sizeof(reg)) ||
	    fdt_setprop_u32(buf, node, "interrupts", 10) ||
	    fdt_setprop_empty(buf, node, "dma-coherent"))
		goto fail;
	*len = fdt_totalsize(buf);
	return buf;
fail:
	free(buf);
	return NULL;
}

struct two {
	struct dk_machine *m;
	struct device *dev[2];
	u8 *buf[2];
	unsigned long n;
	double ns[2], cpu[2];	/* wall and CPU time per op */
	int who;
};

struct one {
	struct two *t;
	int i;
};

static void *loop(void *p)
{
	struct one *o = p;
	struct two *t = o->t;
	double t0, c0;
	unsigned long k;

	dk_machine_set_current(t->m);
	t0 = bench_now_ns();
	c0 = bench_thread_cpu_ns();
	for (k = 0; k < t->n; k++) {
		dma_addr_t h = dma_map_single(t->dev[o->i], t->buf[o->i], 256,
					      DMA_TO_DEVICE);

		if (!dma_mapping_error(t->dev[o->i], h))
			dma_unmap_single(t->dev[o->i], h, 256, DMA_TO_DEVICE);
	}
	t->ns[o->i] = (bench_now_ns() - t0) / t->n;
	t->cpu[o->i] = (bench_thread_cpu_ns() - c0) / t->n;
	return NULL;
}

/* ns per op of one thread on device 0, or of the pair (the slower
 * thread's time over two ops) on both; *@cpu gets the CPU time per op of
 * the thread that used more. */
static double round_of(struct two *t, int nthreads, double *cpu)
{
	struct one o[2] = { { t, 0 }, { t, 1 } };
	pthread_t th[2];
	int i;

	for (i = 0; i < nthreads; i++)
		pthread_create(&th[i], NULL, loop, &o[i]);
	for (i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	*cpu = nthreads == 1 || t->cpu[0] > t->cpu[1] ? t->cpu[0] : t->cpu[1];
	if (nthreads == 1)
		return t->ns[0];
	return (t->ns[0] > t->ns[1] ? t->ns[0] : t->ns[1]) / 2;
}

static double dev0_loop(void *p)
{
	struct one o = { p, 0 };

	loop(&o);
	return o.t->ns[0];
}

/*
 * The machine's own share of the answer: @p's loop (ns per op of the ops
 * it ran) in @nproc forked processes at once, each after @p's setup (if
 * any) and all released together, so whatever two of them lose against
 * one is lost to the cores (two hardware threads of one core, a busy
 * host), not to dmakit. A process shares nothing the loop writes only
 * if its setup boots a machine of its own: the RAM views are shared
 * mappings a child inherits. ns per op of the slower process over
 * @nproc ops; 0 if a process could not be made or set up.
 */
double bench_processes(int nproc, const struct bench_proc *p)
{
	int res[2][2], go[2], i, st, made = 0;
	pid_t pid[2];
	double ns[2] = { 0, 0 };
	char c = 0;
	bool ok = true;

	if (pipe(go))
		return 0;
	for (i = 0; i < nproc && ok; i++) {
		ok = !pipe(res[i]);
		pid[i] = ok ? fork() : -1;
		if (pid[i] < 0) {
			if (ok)
				close(res[i][0]), close(res[i][1]);
			ok = false;
			break;
		}
		made++;
		if (!pid[i]) {
			double x = 0;

			close(res[i][0]);
			c = p->setup && p->setup(p->arg) ? 'f' : 'r';
			/* Nothing to do if the parent is gone. */
			if (write(res[i][1], &c, 1) != 1 || c != 'r' ||
			    read(go[0], &c, 1) != 1)
				_exit(1);
			x = p->loop(p->arg);
			if (write(res[i][1], &x, sizeof(x)) < 0)
				_exit(1);
			_exit(0);
		}
		close(res[i][1]);
	}
	for (i = 0; i < made; i++)
		if (read(res[i][0], &c, 1) != 1 || c != 'r')
			ok = false;
	/* Release them all; one that failed has gone already. */
	for (i = 0; i < made; i++)
		if (write(go[1], "g", 1) != 1)
			ok = false;
	for (i = 0; i < made; i++) {
		if (read(res[i][0], &ns[i], sizeof(double)) != sizeof(double))
			ns[i] = 0;
		close(res[i][0]);
		waitpid(pid[i], &st, 0);
	}
	close(go[0]);
	close(go[1]);
	if (!ok || made < nproc || !ns[0] || (nproc > 1 && !ns[1]))
		return 0;
	return nproc == 1 ? ns[0] : (ns[0] > ns[1] ? ns[0] : ns[1]) / 2;
}

int bench_two_devices(FILE *out, struct dk_machine *home, unsigned int scale,
		      double ratio[4])
{
	struct dk_soc_opts so;
	struct dk_soc *soc = NULL;
	struct dk_platform pl;
	struct two t = { .n = 100000UL * scale / 100 + 1 };
	struct bench_proc proc = { NULL, dev0_loop, &t };
	double cpu[2][2];	/* [checker on][threads - 1] */
	size_t len;
	void *dtb = two_master_tree(&len);
	int r, on, k;

	if (!dtb)
		return -ENOMEM;
	dk_soc_opts_init(&so);
	so.policy = DK_EVICT_NEVER;
	r = dk_soc_load_blob(dtb, len, &so, &soc);
	free(dtb);
	if (!r)
		r = dk_platform_sim(soc, &pl);
	if (!r)
		r = dk_machine_boot(&pl, NULL, &t.m);
	if (r)
		goto out;
	t.dev[0] = dk_machine_find_device(t.m, "coherent-master@10030000");
	t.dev[1] = dk_machine_find_device(t.m, SECOND);
	t.buf[0] = kmalloc(256, GFP_KERNEL);
	t.buf[1] = kmalloc(256, GFP_KERNEL);
	if (!t.dev[0] || !t.dev[1] || !t.buf[0] || !t.buf[1]) {
		r = -ENODEV;
		goto down;
	}
	for (on = 0; on < 2; on++) {
		double one = 1e300, pair = 1e300, x, c;
		char name[64], base[32];

		cpu[on][0] = cpu[on][1] = 1e300;
		dk_dma_debug_set_mode(on ? DK_DMA_DEBUG_ALL : DK_DMA_DEBUG_OFF);
		for (k = 0; k < ROUNDS; k++) {
			x = round_of(&t, 1, &c);
			one = x < one ? x : one;
			cpu[on][0] = c < cpu[on][0] ? c : cpu[on][0];
			x = round_of(&t, 2, &c);
			pair = x < pair ? x : pair;
			cpu[on][1] = c < cpu[on][1] ? c : cpu[on][1];
		}
		snprintf(name, sizeof(name), "2 threads, two devices, checker %s",
			 on ? "on" : "off");
		snprintf(base, sizeof(base), "1 thread, checker %s",
			 on ? "on" : "off");
		dk_bench_fig(out, name, pair, base, one);
		ratio[on] = one / pair;
		one = pair = 1e300;
		/* The coherent map+unmap writes none of the shared RAM views,
		 * so the children can use the parent's machine. */
		for (k = 0; k < ROUNDS; k++) {
			x = bench_processes(1, &proc);
			one = x && x < one ? x : one;
			x = bench_processes(2, &proc);
			pair = x && x < pair ? x : pair;
		}
		snprintf(name, sizeof(name), "2 processes, nothing shared, checker %s",
			 on ? "on" : "off");
		snprintf(base, sizeof(base), "1 process, checker %s",
			 on ? "on" : "off");
		if (one < 1e300 && pair < 1e300) {
			dk_bench_fig(out, name, pair, base, one);
			ratio[2 + on] = one / pair;
		}
	}
	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	/* Wall-clock throughput needs two idle cores; CPU time per op says
	 * what the threads cost each other (shared lines, lock hand-offs)
	 * on a loaded machine too. */
	if (out)
		fprintf(out, "two devices, CPU time per op of a thread, one -> two threads: %.1f -> %.1f ns checker off, %.1f -> %.1f ns checker on (what the threads cost each other)\n",
			cpu[0][0], cpu[0][1], cpu[1][0], cpu[1][1]);
down:
	kfree(t.buf[0]);
	kfree(t.buf[1]);
	dk_machine_shutdown(t.m);
out:
	dk_soc_free(soc);
	dk_machine_set_current(home);
	return r;
}
