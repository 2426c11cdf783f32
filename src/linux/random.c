// SPDX-License-Identifier: MIT
/* A deterministic random generator for driver code (<linux/random.h>). */
#include <string.h>

#include <linux/random.h>

#include "linux.h"

#define DEFAULT_SEED 0x9e3779b97f4a7c15ULL

static u64 state = DEFAULT_SEED;

void dk_random_seed(u64 seed)
{
	__atomic_store_n(&state, seed ? seed : DEFAULT_SEED, __ATOMIC_RELAXED);
}

/* xorshift64*: the state steps by compare-and-swap, so two threads
 * never draw the same number. */
u64 get_random_u64(void)
{
	u64 x = __atomic_load_n(&state, __ATOMIC_RELAXED), n;

	do {
		n = x;
		n ^= n >> 12;
		n ^= n << 25;
		n ^= n >> 27;
	} while (!__atomic_compare_exchange_n(&state, &x, n, true,
					      __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return n * 0x2545f4914f6cdd1dULL;
}

void get_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;

	while (len) {
		u64 v = get_random_u64();
		size_t n = len < sizeof(v) ? len : sizeof(v);

		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
}
