// SPDX-License-Identifier: MIT
/*
 * Plain dereferences of secure memory by the normal world. The CPU's
 * pointers into RAM (phys_to_virt(), the machine's linear map) point into
 * a mapping of their own of each bank's cacheable view, linear[], beside
 * the model's cpu[] (the same memfd, so the same bytes). While the CPU is
 * in the normal world, the pages of secure memory (the firewall's ranges
 * and the TZASC's enabled secure regions) are inaccessible in linear[]:
 * a load or store through such a pointer faults at the instruction, as
 * the TZASC aborts it on hardware, while the model's own accesses (cpu[])
 * go on. dk_smc() opens them for the secure world and closes them again,
 * as the TZASC now says, on the way back. The fault is reported as the
 * kernel's oops for a synchronous external abort, then the program dies
 * of it (SIGSEGV), as a kernel task would; faults elsewhere go to the
 * handler installed before.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <dmakit/models/tzasc.h>

#include "soc_internal.h"

#define MAX_CLOSED 32

struct closed {
	const u8 *va;
	u64 size;
	phys_addr_t pa;
};

/* Every SoC's closed ranges: the signal handler looks without a lock. */
static struct closed closed[MAX_CLOSED];
static int nclosed;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct sigaction old_segv;
static bool installed;

static void say(const char *s)
{
	ssize_t r = write(STDERR_FILENO, s, strlen(s));

	(void)r;
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	const u8 *a = si->si_addr;
	void *bt[16];
	char line[256];
	int i, n;

	for (i = 0; i < nclosed; i++)
		if (a >= closed[i].va && a < closed[i].va + closed[i].size)
			break;
	if (i == nclosed) {
		/* Not ours: as if this handler were not there. */
		if (old_segv.sa_flags & SA_SIGINFO && old_segv.sa_sigaction)
			old_segv.sa_sigaction(sig, si, uc);
		else if (old_segv.sa_handler != SIG_DFL &&
			 old_segv.sa_handler != SIG_IGN && old_segv.sa_handler)
			old_segv.sa_handler(sig);
		else
			signal(SIGSEGV, SIG_DFL);
		return;
	}
	snprintf(line, sizeof(line),
		 "Unhandled fault: synchronous external abort at %p\n"
		 "CPU (non-secure world) %s of secure memory at physical 0x%llx (the firewall or the TZASC refused it)\n"
		 "Call trace:\n",
		 (const void *)a,
#ifdef REG_ERR
		 ((ucontext_t *)uc)->uc_mcontext.gregs[REG_ERR] & 2 ? "write" :
#endif
									"read",
		 (unsigned long long)(closed[i].pa + (a - closed[i].va)));
	say(line);
	n = backtrace(bt, 16);
	backtrace_symbols_fd(bt, n, STDERR_FILENO);
	/* Returning re-runs the access, which now kills the program. */
	signal(SIGSEGV, SIG_DFL);
}

static void install(void)
{
	struct sigaction sa;

	if (installed)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (!sigaction(SIGSEGV, &sa, &old_segv))
		installed = true;
}

/* Open every range of @soc again; lock held. */
static void open_all(struct dk_soc *soc)
{
	int i, k;

	for (i = 0; i < nclosed;) {
		bool mine = false;

		for (k = 0; k < soc->nbanks; k++)
			if (closed[i].va >= soc->banks[k].linear &&
			    closed[i].va < soc->banks[k].linear +
						   soc->banks[k].b.size)
				mine = true;
		if (!mine) {
			i++;
			continue;
		}
		mprotect((void *)closed[i].va, closed[i].size,
			 PROT_READ | PROT_WRITE);
		closed[i] = closed[--nclosed];
	}
}

/* Close the pages of [@pa, @pa + @size) where RAM has them; lock held. */
static void close_pages(struct dk_soc *soc, phys_addr_t pa, u64 size)
{
	int k;

	size += pa % DK_PAGE_SIZE;
	pa = dk_align_down(pa, DK_PAGE_SIZE);
	size = dk_align_down(size + DK_PAGE_SIZE - 1, DK_PAGE_SIZE);
	for (k = 0; k < soc->nbanks && nclosed < MAX_CLOSED; k++) {
		struct dk_ram_bank *b = &soc->banks[k];
		u64 lo = pa > b->b.base ? pa : b->b.base;
		u64 hi = pa + size < b->b.base + b->b.size ?
				 pa + size : b->b.base + b->b.size;

		if (!b->linear || lo >= hi)
			continue;
		if (mprotect(b->linear + (lo - b->b.base), hi - lo, PROT_NONE))
			continue;
		closed[nclosed++] = (struct closed){
			b->linear + (lo - b->b.base), hi - lo, lo };
	}
}

void dk_tz_map_open(struct dk_soc *soc)
{
	pthread_mutex_lock(&lock);
	open_all(soc);
	pthread_mutex_unlock(&lock);
}

void dk_tz_map_close(struct dk_soc *soc)
{
	int i;

	pthread_mutex_lock(&lock);
	open_all(soc);
	install();
	for (i = 0; i < soc->nsecure; i++)
		close_pages(soc, soc->secure[i].base, soc->secure[i].size);
	pthread_mutex_lock(&soc->lock);
	for (i = 0; soc->tz.present && i < DK_TZASC_REGIONS; i++) {
		const struct dk_tz_region *r = &soc->tz.r[i];
		u64 o, room;

		if (!(r->attr & DK_TZASC_ATTR_EN) || !r->size ||
		    (r->attr & DK_TZASC_ATTR_NS))
			continue;
		/* A higher region may share part of it: what refuses. */
		for (o = 0; o < r->size; o += room) {
			bool no = dk_tz_refuses(soc, r->base + o, &room);

			if (!room || room > r->size - o)
				room = r->size - o;
			if (no)
				close_pages(soc, r->base + o, room);
		}
	}
	pthread_mutex_unlock(&soc->lock);
	pthread_mutex_unlock(&lock);
}
