// SPDX-License-Identifier: MIT
/*
 * The helpers drivers compute register values with, from only <linux/...>
 * includes, as Linux's drivers include them (tests/test_linux_kernel_helpers.c).
 */
#include <linux/atomic.h>
#include <linux/bitfield.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "mathq.h"

/* As Kconfig spells an option built as a module. */
#define CONFIG_MATHQ_MOD_MODULE 1

#define CTRL_DIV	GENMASK(11, 4)

int mathq_run(long long out[48])
{
	atomic_t a = ATOMIC_INIT(1);
	atomic64_t a64;
	char name[8];
	void *big;
	int n = 0;
	u32 rem;

	out[n++] = clamp_t(int, (SZ_4K / 16) * 512, 1024, 8192);
	out[n++] = clamp_val((u8)200, 10, 100);
	out[n++] = DIV_ROUND_CLOSEST(7, 2);
	out[n++] = DIV_ROUND_CLOSEST(-7, 2);
	out[n++] = DIV_ROUND_CLOSEST(100000000u, 3);
	out[n++] = roundup(10, 3);
	out[n++] = rounddown(10, 3);
	out[n++] = round_up(9, 8);
	out[n++] = round_down(15, 8);
	out[n++] = ilog2(SZ_64K);
	out[n++] = is_power_of_2(SZ_1M) + 2 * is_power_of_2(0) +
		   4 * is_power_of_2(12);
	out[n++] = order_base_2(5);
	out[n++] = roundup_pow_of_two(33);
	out[n++] = FIELD_MAX(CTRL_DIV);
	out[n++] = FIELD_FIT(CTRL_DIV, 255) + 2 * FIELD_FIT(CTRL_DIV, 256);
	out[n++] = FIELD_PREP(CTRL_DIV, 0x5a);
	out[n++] = cpu_to_be32(0x11223344);
	out[n++] = le16_to_cpu(cpu_to_le16(0xbeef));
	out[n++] = swab16(0x1234);
	out[n++] = (long long)SZ_4G;
	out[n++] = strscpy(name, "ab");
	out[n++] = strscpy(name, "too long for it", sizeof(name));
	out[n++] = name[7] == '\0' && !strcmp(name, "too lon");
	out[n++] = strlcpy(name, "0123456789", 4);
	out[n++] = !strcmp(name, "012");
	/* As a long loop calls it: a statement, warning-free. */
	if (need_resched())
		cond_resched();
	out[n++] = need_resched() + cond_resched();
	out[n++] = PTR_ERR_OR_ZERO(ERR_PTR(-ENODEV));
	out[n++] = PTR_ERR_OR_ZERO(name);
	out[n++] = IS_ERR_VALUE((unsigned long)-MAX_ERRNO) +
		   2 * IS_ERR_VALUE((unsigned long)-MAX_ERRNO - 1);
	out[n++] = PTR_ERR(ERR_CAST((const void *)ERR_PTR(-EIO)));
	/* Configured in: what dmakit gives; not: anything else. */
	out[n++] = IS_ENABLED(CONFIG_I2C_SLAVE) + 2 * IS_ENABLED(CONFIG_USB) +
		   4 * IS_MODULE(CONFIG_MATHQ_MOD) +
		   8 * IS_BUILTIN(CONFIG_MATHQ_MOD) +
		   16 * IS_ENABLED(CONFIG_MATHQ_MOD);
#if defined(CONFIG_OF) && IS_ENABLED(CONFIG_DMA_ENGINE)
	out[n++] = 1;
#else
	out[n++] = 0;
#endif
	out[n++] = int_sqrt64(~0ULL);
	out[n++] = int_sqrt(99) * 1000 + int_sqrt(100);
	out[n++] = div64_u64(1000000000000ULL, 7);
	out[n++] = div_u64_rem(1000000007ULL, 10, &rem) * 10 + rem;
	out[n++] = mul_u64_u32_div(1ULL << 62, 12, 8) >> 32;
	out[n++] = div_s64(-7, 2);
	atomic64_set(&a64, 5);
	out[n++] = atomic64_fetch_add_unless(&a64, 3, 5) * 100 +
		   atomic64_add_return(2, &a64);
	out[n++] = atomic_cmpxchg(&a, 1, 9) * 100 + atomic_read(&a) * 10 +
		   atomic_dec_and_test(&a);
	big = kmalloc_array(SIZE_MAX / 2, 4, GFP_KERNEL);
	out[n++] = big == NULL;
	return n;
}
