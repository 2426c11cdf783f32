/* SPDX-License-Identifier: MIT */
/*
 * <linux/byteorder/generic.h> for driver code built against dmakit: the
 * CPU <-> little/big-endian conversions descriptors are written with.
 * Linux drivers get them through <linux/kernel.h> or <linux/io.h>, and
 * so do they here.
 */
#ifndef DMAKIT_COMPAT_LINUX_BYTEORDER_GENERIC_H
#define DMAKIT_COMPAT_LINUX_BYTEORDER_GENERIC_H

#include <linux/types.h>

#ifndef cpu_to_le32
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define cpu_to_le16(x)	((__le16)(u16)(x))
#define cpu_to_le32(x)	((__le32)(u32)(x))
#define cpu_to_le64(x)	((__le64)(u64)(x))
#define le16_to_cpu(x)	((u16)(__le16)(x))
#define le32_to_cpu(x)	((u32)(__le32)(x))
#define le64_to_cpu(x)	((u64)(__le64)(x))
#define cpu_to_be16(x)	((__be16)__builtin_bswap16((u16)(x)))
#define cpu_to_be32(x)	((__be32)__builtin_bswap32((u32)(x)))
#define cpu_to_be64(x)	((__be64)__builtin_bswap64((u64)(x)))
#define be16_to_cpu(x)	((u16)__builtin_bswap16((u16)(__be16)(x)))
#define be32_to_cpu(x)	((u32)__builtin_bswap32((u32)(__be32)(x)))
#define be64_to_cpu(x)	((u64)__builtin_bswap64((u64)(__be64)(x)))
#else
#define cpu_to_le16(x)	((__le16)__builtin_bswap16((u16)(x)))
#define cpu_to_le32(x)	((__le32)__builtin_bswap32((u32)(x)))
#define cpu_to_le64(x)	((__le64)__builtin_bswap64((u64)(x)))
#define le16_to_cpu(x)	((u16)__builtin_bswap16((u16)(__le16)(x)))
#define le32_to_cpu(x)	((u32)__builtin_bswap32((u32)(__le32)(x)))
#define le64_to_cpu(x)	((u64)__builtin_bswap64((u64)(__le64)(x)))
#define cpu_to_be16(x)	((__be16)(u16)(x))
#define cpu_to_be32(x)	((__be32)(u32)(x))
#define cpu_to_be64(x)	((__be64)(u64)(x))
#define be16_to_cpu(x)	((u16)(__be16)(x))
#define be32_to_cpu(x)	((u32)(__be32)(x))
#define be64_to_cpu(x)	((u64)(__be64)(x))
#endif
#endif

#endif
