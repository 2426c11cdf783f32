/* SPDX-License-Identifier: MIT */
/*
 * <linux/random.h> for driver code built against dmakit: random numbers
 * for tests and drivers, from one generator per process (xorshift64*,
 * not for secrets) that starts from a fixed seed, so that a program
 * run alone draws the same numbers every time; dk_random_seed() sets
 * it. Threads drawing at once each get distinct numbers, in an order
 * that depends on the scheduling.
 */
#ifndef DMAKIT_COMPAT_LINUX_RANDOM_H
#define DMAKIT_COMPAT_LINUX_RANDOM_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * dk_random_seed() - restart the generator.
 * @seed: the seed; 0 is taken as the default seed.
 */
void dk_random_seed(u64 seed);

/**
 * get_random_u64() - the next 64 random bits.
 *
 * Return: them.
 */
u64 get_random_u64(void);

/**
 * get_random_bytes() - fill @buf with random bytes.
 * @buf: the buffer.
 * @len: its length.
 */
void get_random_bytes(void *buf, size_t len);

static inline u32 get_random_u32(void)
{
	return (u32)(get_random_u64() >> 32);
}

/* Uniform in 0 .. @ceil - 1 (0 for @ceil 0). */
static inline u32 get_random_u32_below(u32 ceil)
{
	return (u32)(((u64)get_random_u32() * ceil) >> 32);
}

#define get_random_int()		get_random_u32()
#define get_random_long()		((unsigned long)get_random_u64())
#define prandom_u32()			get_random_u32()
#define prandom_u32_max(ceil)		get_random_u32_below(ceil)
#define prandom_bytes(buf, len)		get_random_bytes(buf, len)

#ifdef __cplusplus
}
#endif

#endif
