// SPDX-License-Identifier: MIT
/*
 * rxsg.c's descriptors, written as upstream drivers write theirs: the
 * byte-order helpers come from <linux/kernel.h>, as in Linux
 * (tests/test_linux_sg.c checks the bytes).
 */
#include <linux/kernel.h>

#include "rxsg.h"

/* The device's descriptor: little-endian whatever the CPU. */
struct rxsg_desc {
	__le64 addr;
	__le32 len;
	__be32 tag;	/* a big-endian field, as some engines have */
};

/* Write @n descriptors for the segments at @addr/@len into @ring. */
void rxsg_describe(void *ring, const u64 *addr, const u32 *len, int n)
{
	struct rxsg_desc *d = ring;
	int i;

	for (i = 0; i < n; i++) {
		d[i].addr = cpu_to_le64(addr[i]);
		d[i].len = cpu_to_le32(len[i]);
		d[i].tag = cpu_to_be32(0x52580000u | i);
		if (le32_to_cpu(d[i].len) != len[i] ||
		    be32_to_cpu(d[i].tag) != (0x52580000u | i))
			d[i].len = 0;	/* the test then sees it */
	}
}

/* As drivers print u64 and s64: %llx/%lld, warned about if u64 were not
 * the kernel's unsigned long long. */
int rxsg_format(char *buf, size_t n, u64 addr, s64 delta)
{
	return snprintf(buf, n, "seg at %#llx, %+lld bytes", addr, delta);
}
