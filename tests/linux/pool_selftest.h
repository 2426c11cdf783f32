/* SPDX-License-Identifier: MIT */
/* The <linux/...>-only DMA-pool self-test (pool_selftest.c). */
#ifndef DMAKIT_TESTS_LINUX_POOL_SELFTEST_H
#define DMAKIT_TESTS_LINUX_POOL_SELFTEST_H

/* 0 or -errno; *@released: how often ->release ran. */
int pool_selftest(int *released);

#endif
