/* SPDX-License-Identifier: MIT */
/*
 * <linux/swab.h> for driver code built against dmakit: byte swaps, and
 * the CPU/bus byte-order conversions drivers get by way of
 * <linux/kernel.h> (Linux: <asm/byteorder.h>). The CPU is the host's.
 */
#ifndef DMAKIT_COMPAT_LINUX_SWAB_H
#define DMAKIT_COMPAT_LINUX_SWAB_H

/* The UAPI header of the same name (its <linux/byteorder/...> need it). */
#include_next <linux/swab.h>

#ifndef swab16
#define swab16(x)	((__u16)__builtin_bswap16((__u16)(x)))
#define swab32(x)	((__u32)__builtin_bswap32((__u32)(x)))
#define swab64(x)	((__u64)__builtin_bswap64((__u64)(x)))
#endif

#ifndef cpu_to_le32
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define cpu_to_le16(x)	((__u16)(x))
#define cpu_to_le32(x)	((__u32)(x))
#define cpu_to_le64(x)	((__u64)(x))
#define cpu_to_be16(x)	swab16(x)
#define cpu_to_be32(x)	swab32(x)
#define cpu_to_be64(x)	swab64(x)
#else
#define cpu_to_le16(x)	swab16(x)
#define cpu_to_le32(x)	swab32(x)
#define cpu_to_le64(x)	swab64(x)
#define cpu_to_be16(x)	((__u16)(x))
#define cpu_to_be32(x)	((__u32)(x))
#define cpu_to_be64(x)	((__u64)(x))
#endif
/* Each conversion is its own inverse. */
#define le16_to_cpu(x)	cpu_to_le16(x)
#define le32_to_cpu(x)	cpu_to_le32(x)
#define le64_to_cpu(x)	cpu_to_le64(x)
#define be16_to_cpu(x)	cpu_to_be16(x)
#define be32_to_cpu(x)	cpu_to_be32(x)
#define be64_to_cpu(x)	cpu_to_be64(x)
#define le32_to_cpup(p)	le32_to_cpu(*(const __u32 *)(p))
#define be32_to_cpup(p)	be32_to_cpu(*(const __u32 *)(p))
#define cpu_to_le32s(p)	((void)(*(p) = cpu_to_le32(*(p))))
#define le32_to_cpus(p)	((void)(*(p) = le32_to_cpu(*(p))))
#endif

#endif
