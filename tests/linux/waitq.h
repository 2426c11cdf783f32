/* SPDX-License-Identifier: MIT */
/* tests/linux/waitq.c: wait queues as an interrupt-driven driver uses them. */
#ifndef DMAKIT_TESTS_LINUX_WAITQ_H
#define DMAKIT_TESTS_LINUX_WAITQ_H

/* wait_event_timeout(wq, done, @timeout) on a queue whose condition is
 * @done from the start; what it returned. */
long waitq_wait(int done, long timeout);

#endif
