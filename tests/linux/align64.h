/* SPDX-License-Identifier: MIT */
/* tests/linux/align64.c: a driver built for 64-byte DMA alignment. */
#ifndef DMAKIT_TESTS_LINUX_ALIGN64_H
#define DMAKIT_TESTS_LINUX_ALIGN64_H

extern int align64_probed;

#endif
