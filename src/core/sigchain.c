// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>

#include "sigchain.h"

int dk_sig_install(int sig, void (*fn)(int, siginfo_t *, void *),
		   struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	/* A handler before may fault again on the way out. */
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, old);
}

void dk_sig_chain(const struct sigaction *old, int sig, siginfo_t *si,
		  void *uc)
{
	if (old->sa_flags & SA_SIGINFO && old->sa_sigaction)
		old->sa_sigaction(sig, si, uc);
	else if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN &&
		 old->sa_handler)
		old->sa_handler(sig);
	else
		signal(sig, SIG_DFL);
}
