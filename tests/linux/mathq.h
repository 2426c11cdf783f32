/* SPDX-License-Identifier: MIT */
/* tests/linux/mathq.c: the everyday helpers of <linux/kernel.h> and kin. */
#ifndef DMAKIT_TESTS_LINUX_MATHQ_H
#define DMAKIT_TESTS_LINUX_MATHQ_H

/* Each helper on fixed inputs, in the order of mathq.c; how many. */
int mathq_run(long long out[48]);

#endif
