// SPDX-License-Identifier: MIT
/* Thread numbers: dense as CPU numbers, so live threads are in different
 * slots of per-thread state however many threads came and went. */
#include <pthread.h>

#include "../src/core/thread_no.h"
#include "harness.h"

static pthread_barrier_t both;

static void *number(void *p)
{
	*(unsigned int *)p = dk_thread_no();
	/* Both alive at once when they take their numbers. */
	pthread_barrier_wait(&both);
	return NULL;
}

static void *number_alone(void *p)
{
	*(unsigned int *)p = dk_thread_no();
	return NULL;
}

TEST(thread_no_live_threads_differ_and_an_exited_ones_is_taken_again)
{
	unsigned int me = dk_thread_no(), a, b, c, k;
	pthread_t ta, tb;

	CHECK_EQ(dk_thread_no(), me);
	CHECK_EQ(pthread_barrier_init(&both, NULL, 2), 0);
	CHECK_EQ(pthread_create(&ta, NULL, number, &a), 0);
	CHECK_EQ(pthread_create(&tb, NULL, number, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	pthread_barrier_destroy(&both);
	CHECK(a != b && a != me && b != me);
	/* Gone, they gave their numbers back: the next thread takes the
	 * lower, and so does each one after it. */
	for (k = 0; k < 20; k++) {
		CHECK_EQ(pthread_create(&ta, NULL, number_alone, &c), 0);
		pthread_join(ta, NULL);
		CHECK_EQ(c, a < b ? a : b);
	}
}
