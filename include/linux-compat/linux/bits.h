/* SPDX-License-Identifier: MIT */
/* <linux/bits.h> for driver code built against dmakit: bit masks. */
#ifndef DMAKIT_COMPAT_LINUX_BITS_H
#define DMAKIT_COMPAT_LINUX_BITS_H

#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
/* Bits @l to @h inclusive. */
#define GENMASK(h, l)		((~0UL >> (8 * sizeof(long) - 1 - (h))) & \
				 (~0UL << (l)))
#define GENMASK_ULL(h, l)	((~0ULL >> (63 - (h))) & (~0ULL << (l)))

#endif
