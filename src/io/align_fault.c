// SPDX-License-Identifier: MIT
/*
 * Alignment faults on strongly-ordered memory, raised by the host CPU
 * (x86-64: EFLAGS.AC). See <dmakit/align_fault.h> for the contract.
 *
 * The states of one dk_so_run() call, driven by three signals:
 *   running   AC set. SIGBUS (#AC) at a misaligned access: make the
 *             declared pages inaccessible, clear AC, set TF, return, so
 *             the instruction runs again alone -> stepping.
 *   stepping  SIGSEGV in the declared memory: that instruction's
 *             misaligned access was to it: the fault; leave @fn. SIGSEGV
 *             in the slack of those pages: open them, keep stepping.
 *             SIGTRAP (the step is over): open the pages, clear TF, set
 *             AC -> running.
 * Signals that are not ours go to the handlers installed before.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <dmakit/align_fault.h>

#include "../core/dk_internal.h"
#include "../core/pageprot.h"
#include "../core/symbolize.h"

#if defined(__x86_64__)

#define EFLAGS_TF (1UL << 8)
#define EFLAGS_AC (1UL << 18)
#define PF_WRITE 2		/* page-fault error code: a store */

struct so_run {
	uintptr_t lo, hi;		/* the declared memory */
	uintptr_t plo, phi;		/* the pages holding it */
	bool stepping, closed;
	struct dk_align_fault *fault;
	sigjmp_buf out;
};

static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread struct so_run *cur;
static struct sigaction old_bus, old_segv, old_trap;

static inline void ac_set(void)
{
	__asm__ volatile("pushfq; orl $0x40000, (%%rsp); popfq" ::: "memory",
			 "cc");
}

static inline void ac_clear(void)
{
	__asm__ volatile("pushfq; andl $~0x40000, (%%rsp); popfq" ::: "memory",
			 "cc");
}

static void chain(const struct sigaction *o, int sig, siginfo_t *si, void *uc)
{
	if (o->sa_flags & SA_SIGINFO) {
		o->sa_sigaction(sig, si, uc);
	} else if (o->sa_handler == SIG_DFL) {
		/* Returning re-runs the instruction: the default action. */
		signal(sig, SIG_DFL);
	} else if (o->sa_handler != SIG_IGN) {
		o->sa_handler(sig);
	}
}

static void close_pages(struct so_run *r, bool closed)
{
	/* Through the owner of the library's protections: opening gives
	 * a page back what it had, not read-write. */
	if (closed)
		dk_pp_close((void *)r->plo, r->phi - r->plo);
	else
		dk_pp_open((void *)r->plo, r->phi - r->plo);
	r->closed = closed;
}

static greg_t *flags_of(void *uc)
{
	return &((ucontext_t *)uc)->uc_mcontext.gregs[REG_EFL];
}

static void on_bus(int sig, siginfo_t *si, void *uc)
{
	struct so_run *r;

	/* The kernel enters handlers with AC as it was: clear it before
	 * any code that may do a misaligned access. */
	ac_clear();
	r = cur;
	if (!r || r->stepping || si->si_code != BUS_ADRALN) {
		chain(&old_bus, sig, si, uc);
		return;
	}
	close_pages(r, true);
	r->stepping = true;
	*flags_of(uc) = (*flags_of(uc) & ~EFLAGS_AC) | EFLAGS_TF;
}

static void record(struct so_run *r, siginfo_t *si, ucontext_t *uc)
{
	struct dk_align_fault *f = r->fault;
	void *pc = (void *)uc->uc_mcontext.gregs[REG_RIP];
	void *bt[DK_ALIGN_FAULT_FRAMES + 8];
	int n = backtrace(bt, DK_ALIGN_FAULT_FRAMES + 8), i;

	memset(f, 0, sizeof(*f));
	f->addr = si->si_addr;
	f->offset = (uintptr_t)si->si_addr - r->lo;
	f->write = uc->uc_mcontext.gregs[REG_ERR] & PF_WRITE;
	f->pc = pc;
	/* The handler's and the signal trampoline's frames come first. */
	for (i = 0; i < n && bt[i] != pc; i++)
		;
	if (i == n) {
		f->frames[f->nframes++] = pc;
		return;
	}
	for (; i < n && f->nframes < DK_ALIGN_FAULT_FRAMES; i++)
		f->frames[f->nframes++] = bt[i];
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	struct so_run *r = cur;
	uintptr_t a = (uintptr_t)si->si_addr;

	if (!r || !r->stepping || !r->closed || a < r->plo || a >= r->phi) {
		chain(&old_segv, sig, si, uc);
		return;
	}
	close_pages(r, false);
	if (a < r->lo || a >= r->hi)
		return;		/* a neighbour of the declared memory */
	record(r, si, uc);
	r->stepping = false;
	siglongjmp(r->out, 1);
}

static void on_trap(int sig, siginfo_t *si, void *uc)
{
	struct so_run *r = cur;

	if (!r || !r->stepping) {
		chain(&old_trap, sig, si, uc);
		return;
	}
	if (r->closed)
		close_pages(r, false);
	r->stepping = false;
	*flags_of(uc) = (*flags_of(uc) & ~EFLAGS_TF) | EFLAGS_AC;
}

static void install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = on_bus;
	sigaction(SIGBUS, &sa, &old_bus);
	sa.sa_sigaction = on_segv;
	sigaction(SIGSEGV, &sa, &old_segv);
	sa.sa_sigaction = on_trap;
	sigaction(SIGTRAP, &sa, &old_trap);
}

static void uninstall(void)
{
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGTRAP, &old_trap, NULL);
}

/* Not inlined: the call trace of a fault ends here. */
static __attribute__((noinline)) void so_call(void (*fn)(void *), void *arg)
{
	ac_set();
	fn(arg);
	ac_clear();
}

static int run(const void *mem, size_t len, void (*fn)(void *), void *arg,
	       struct dk_align_fault *fault)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct so_run r = { 0 };
	void *warm[2];
	int ret;

	r.lo = (uintptr_t)mem;
	r.hi = r.lo + len;
	r.plo = r.lo & ~(uintptr_t)(pg - 1);
	r.phi = (r.hi + pg - 1) & ~(uintptr_t)(pg - 1);
	r.fault = fault;
	/* backtrace() loads the unwinder on first use: not in a handler. */
	backtrace(warm, 2);
	pthread_mutex_lock(&run_lock);
	install();
	cur = &r;
	ret = sigsetjmp(r.out, 1);
	if (!ret)
		so_call(fn, arg);
	ac_clear();
	cur = NULL;
	uninstall();
	pthread_mutex_unlock(&run_lock);
	return ret;
}

/* Misaligned on purpose: one access of the full width, no UB. */
typedef uint32_t __attribute__((aligned(1), may_alias)) u32_un;

/* A misaligned 4-byte load the compiler cannot split or widen. */
static __attribute__((noinline)) void probe_load(void *p)
{
	(void)*(volatile u32_un *)((char *)p + 1);
}

static pthread_once_t probe_once = PTHREAD_ONCE_INIT;
static bool enforced;
static const char *why;

/*
 * ThreadSanitizer runs each handler from a wrapper of its own, which does
 * a misaligned store before the handler can clear AC: the second #AC
 * arrives with SIGBUS blocked and the kernel kills the process. Its
 * runtime is in the process whether this file or only the program was
 * built with it.
 */
static bool wrapped_handlers(void)
{
	return dlsym(RTLD_DEFAULT, "__tsan_init") != NULL;
}

static void probe(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct dk_align_fault f;
	void *p;

	why = "ThreadSanitizer's signal wrapper does a misaligned access before a handler runs, so alignment checking cannot be switched on under it";
	if (wrapped_handlers())
		return;
	why = "the CPU raised no alignment fault with EFLAGS.AC set (an emulator such as Valgrind keeps the flag without enforcing it)";
	p = mmap(NULL, pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return;
	enforced = run(p, 8, probe_load, p, &f) == 1 &&
		   f.addr == (char *)p + 1 && !f.write;
	munmap(p, pg);
}

static const char *why_not(void)
{
	return why;
}

#else /* !__x86_64__ */

static pthread_once_t probe_once = PTHREAD_ONCE_INIT;
static bool enforced;

static void probe(void)
{
}

static const char *why_not(void)
{
	return "this host architecture has no user-mode alignment check dmakit knows how to switch on (x86-64 only)";
}

static int run(const void *mem, size_t len, void (*fn)(void *), void *arg,
	       struct dk_align_fault *fault)
{
	(void)mem, (void)len, (void)fn, (void)arg, (void)fault;
	return -EOPNOTSUPP;
}

#endif

bool dk_so_enforced(void)
{
	pthread_once(&probe_once, probe);
	if (!enforced)
		dk_err(-EOPNOTSUPP, "alignment faults: %s", why_not());
	return enforced;
}

int dk_so_run(const void *mem, size_t len, void (*fn)(void *arg), void *arg,
	      struct dk_align_fault *fault)
{
	if (!mem || !len || !fn || !fault)
		return dk_err(-EINVAL, "dk_so_run: NULL or empty argument");
	if ((uintptr_t)mem + len - 1 < (uintptr_t)mem)
		return dk_err(-EINVAL, "dk_so_run: %zu bytes at %p wrap",
			      len, mem);
#if defined(__x86_64__)
	if (cur)
		return dk_err(-EBUSY, "dk_so_run: called from its own callback");
#endif
	if (!dk_so_enforced())
		return -EOPNOTSUPP;
	return run(mem, len, fn, arg, fault);
}

/* One frame, "name (file:line)" where known; nothing and *@last for the
 * frame that ran the callback. */
static int frame(char *buf, size_t len, const void *ret, bool is_pc,
		 bool *last)
{
	char fn[96];
	int w = dk_symbolize_frame(buf, len, ret, is_pc, fn, sizeof(fn));

	*last = !strcmp(fn, "so_call");
	if (*last && len)
		buf[0] = '\0';
	return *last ? 0 : w;
}

char *dk_align_fault_format(const struct dk_align_fault *f, char *buf,
			    size_t len)
{
	size_t n = 0;
	bool last = false;
	int i, w;

	if (!buf || !len)
		return buf;
	buf[0] = '\0';
	if (!f)
		return buf;
	w = snprintf(buf, len,
		     "Unable to handle alignment fault at virtual address %p (offset 0x%zx of strongly-ordered memory)\n"
		     "Mem abort info: %s, alignment fault, pc %p\n"
		     "Call trace:\n",
		     f->addr, f->offset, f->write ? "write" : "read", f->pc);
	for (i = 0; w >= 0 && i < f->nframes && i < DK_ALIGN_FAULT_FRAMES &&
		    !last; i++) {
		n += (size_t)w;
		if (n >= len)
			return buf;
		w = frame(buf + n, len - n, f->frames[i], i == 0, &last);
	}
	return buf;
}
