// SPDX-License-Identifier: MIT
/* Thread numbers (thread_no.h): one counter for the whole library, so
 * every layer's slots agree on which thread is which. */
#include <stdatomic.h>

#include "thread_no.h"

_Thread_local unsigned int dk_thread_no_tls = ~0U;
static atomic_uint threads_seen;

unsigned int dk_thread_no_new(void)
{
	dk_thread_no_tls = atomic_fetch_add(&threads_seen, 1);
	return dk_thread_no_tls;
}
