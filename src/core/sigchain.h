/* SPDX-License-Identifier: MIT */
/*
 * Fault handlers that share SIGSEGV: each installed over the one before,
 * handling its own faults and passing the others on.
 */
#ifndef DMAKIT_CORE_SIGCHAIN_H
#define DMAKIT_CORE_SIGCHAIN_H

#include <signal.h>

/* Install @fn for @sig, the handler before it kept in @old. 0, or -1. */
int dk_sig_install(int sig, void (*fn)(int, siginfo_t *, void *),
		   struct sigaction *old);

/*
 * A signal that is not @fn's, to @old as if @fn were not there; with no
 * handler before, the default action is back, so the faulting access
 * kills the program when it runs again on return.
 */
void dk_sig_chain(const struct sigaction *old, int sig, siginfo_t *si,
		  void *uc);

#endif
