// SPDX-License-Identifier: MIT
/*
 * Thread numbers (thread_no.h): one numbering for the whole library, so
 * every layer's slots agree on which thread is which. As CPU numbers
 * are, they are dense: a thread takes the lowest number no live thread
 * holds and gives it back when it exits, so a program that starts a
 * thread for each job still has its live threads in different slots
 * (numbered in turn for ever, one thread in eight met a live one's slot).
 * Past MAX_LIVE live threads, numbers go on in turn and are kept.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "thread_no.h"

#define MAX_LIVE 1024

_Thread_local unsigned int dk_thread_no_tls = ~0U;
static _Atomic unsigned long long held[MAX_LIVE / 64];
static atomic_uint beyond = MAX_LIVE;
static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* At the thread's exit: its number is free again. */
static void give_back(void *v)
{
	unsigned int n = (unsigned int)(uintptr_t)v - 1;

	atomic_fetch_and(&held[n / 64], ~(1ULL << n % 64));
}

static void make_key(void)
{
	pthread_key_create(&key, give_back);
}

/* The lowest number no live thread holds, taken; MAX_LIVE if none. */
static unsigned int take_lowest(void)
{
	unsigned int w;

	for (w = 0; w < MAX_LIVE / 64; w++) {
		unsigned long long v = atomic_load(&held[w]);

		while (~v) {
			unsigned int b = __builtin_ctzll(~v);

			if (atomic_compare_exchange_weak(&held[w], &v,
							 v | 1ULL << b))
				return w * 64 + b;
		}
	}
	return MAX_LIVE;
}

unsigned int dk_thread_no_new(void)
{
	unsigned int n;

	pthread_once(&once, make_key);
	n = take_lowest();
	if (n == MAX_LIVE)
		n = atomic_fetch_add(&beyond, 1);
	else
		/* Should that fail, the number is never given back. */
		(void)pthread_setspecific(key, (void *)(uintptr_t)(n + 1));
	dk_thread_no_tls = n;
	return n;
}
