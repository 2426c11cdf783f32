/* SPDX-License-Identifier: MIT */
/*
 * <linux/iopoll.h> for driver code built against dmakit: poll a register
 * until a condition holds or time runs out, on the platform's clock
 * (<linux/delay.h>): between reads the simulated time advances by the
 * poll interval (DK_POLL_MIN_NS when the interval is 0, as the _atomic
 * forms' tight loops are), so the device gets on with its work and a
 * poll never spins without time passing. A timeout of 0, "none" in
 * Linux, gives up after DK_POLL_FOREVER_US so a program never hangs.
 * As in Linux the condition is checked once more after the timeout.
 *
 * Return of every form: 0 when the condition held, -ETIMEDOUT if not; the
 * last value read is in @val either way.
 */
#ifndef DMAKIT_COMPAT_LINUX_IOPOLL_H
#define DMAKIT_COMPAT_LINUX_IOPOLL_H

#include <linux/compiler.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/io.h>
#include <linux/jiffies.h>

#define DK_POLL_MIN_NS		100
#define DK_POLL_FOREVER_US	10000000ULL	/* 10 s */

#define read_poll_timeout(op, val, cond, sleep_us, timeout_us,		\
			  sleep_before_read, ...)			\
	({								\
		u64 __dk_tmo = (u64)(timeout_us) ? (u64)(timeout_us) :	\
						   DK_POLL_FOREVER_US;	\
		u64 __dk_step = (u64)(sleep_us) * NSEC_PER_USEC;	\
		u64 __dk_end = dk_time_ns() + __dk_tmo * NSEC_PER_USEC;	\
		int __dk_ret = 0;					\
		if (!__dk_step)						\
			__dk_step = DK_POLL_MIN_NS;			\
		if (sleep_before_read)					\
			dk_delay_ns(__dk_step);				\
		for (;;) {						\
			(val) = op(__VA_ARGS__);			\
			if (cond)					\
				break;					\
			if (dk_time_ns() >= __dk_end) {			\
				(val) = op(__VA_ARGS__);		\
				__dk_ret = (cond) ? 0 : -ETIMEDOUT;	\
				break;					\
			}						\
			dk_delay_ns(__dk_step);				\
		}							\
		__dk_ret;						\
	})

#define read_poll_timeout_atomic(op, val, cond, delay_us, timeout_us,	\
				 delay_before_read, ...)		\
	read_poll_timeout(op, val, cond, delay_us, timeout_us,		\
			  delay_before_read, __VA_ARGS__)

#define readx_poll_timeout(op, addr, val, cond, sleep_us, timeout_us)	\
	read_poll_timeout(op, val, cond, sleep_us, timeout_us, false, addr)
#define readx_poll_timeout_atomic(op, addr, val, cond, delay_us, timeout_us) \
	read_poll_timeout_atomic(op, val, cond, delay_us, timeout_us, false, addr)

#define readb_poll_timeout(addr, val, cond, sleep_us, timeout_us)	\
	readx_poll_timeout(readb, addr, val, cond, sleep_us, timeout_us)
#define readw_poll_timeout(addr, val, cond, sleep_us, timeout_us)	\
	readx_poll_timeout(readw, addr, val, cond, sleep_us, timeout_us)
#define readl_poll_timeout(addr, val, cond, sleep_us, timeout_us)	\
	readx_poll_timeout(readl, addr, val, cond, sleep_us, timeout_us)
#define readq_poll_timeout(addr, val, cond, sleep_us, timeout_us)	\
	readx_poll_timeout(readq, addr, val, cond, sleep_us, timeout_us)
#define readl_relaxed_poll_timeout(addr, val, cond, sleep_us, timeout_us) \
	readx_poll_timeout(readl_relaxed, addr, val, cond, sleep_us, timeout_us)
#define readb_poll_timeout_atomic(addr, val, cond, delay_us, timeout_us) \
	readx_poll_timeout_atomic(readb, addr, val, cond, delay_us, timeout_us)
#define readw_poll_timeout_atomic(addr, val, cond, delay_us, timeout_us) \
	readx_poll_timeout_atomic(readw, addr, val, cond, delay_us, timeout_us)
#define readl_poll_timeout_atomic(addr, val, cond, delay_us, timeout_us) \
	readx_poll_timeout_atomic(readl, addr, val, cond, delay_us, timeout_us)
#define readq_poll_timeout_atomic(addr, val, cond, delay_us, timeout_us) \
	readx_poll_timeout_atomic(readq, addr, val, cond, delay_us, timeout_us)
#define readl_relaxed_poll_timeout_atomic(addr, val, cond, delay_us, timeout_us) \
	readx_poll_timeout_atomic(readl_relaxed, addr, val, cond, delay_us, timeout_us)

#endif
