// SPDX-License-Identifier: MIT
/* Sweep cases: the simulated user address space (mm.h) and kexec. */
#include <errno.h>
#include <limits.h>

#include <dmakit/mm.h>

#include "sweep.h"

static u8 not_user[8192] __attribute__((aligned(4096)));

SWEEP(dk_machine_kexec, "NULL machine, NULL result, a machine not live", W_MACHINE)
{
	struct dk_machine *m = (struct dk_machine *)not_user;

	EXPECT(dk_machine_kexec(NULL, NULL, &m) == -EINVAL);
	EXPECT(m == NULL);
	EXPECT(dk_machine_kexec(e->m, NULL, NULL) == -EINVAL);
	EXPECT(dk_machine_kexec((struct dk_machine *)not_user, NULL, &m) ==
	       -EINVAL);
	EXPECT(dk_machine_platform(e->m) != NULL);	/* untouched */
	return 0;
}

SWEEP(dk_user_mmap_anon, "0, 64 MiB + 1 and SIZE_MAX bytes; no machine", W_MACHINE)
{
	EXPECT(!dk_user_mmap_anon(0));
	EXPECT(!dk_user_mmap_anon((64UL << 20) + 1));
	EXPECT(!dk_user_mmap_anon(SIZE_MAX));
	EXPECT_ERR("not in 1..64 MiB");
	return 0;
}

SWEEP(dk_user_mmap_anon, "before any machine", W_NONE)
{
	EXPECT(!dk_user_mmap_anon(4096));
	EXPECT_ERR("no machine booted");
	return 0;
}

static int no_map(void *priv, struct vm_area_struct *vma)
{
	(void)priv;
	(void)vma;
	return -ENXIO;
}

SWEEP(dk_user_mmap, "NULL handler/result, odd length, a failing handler", W_MACHINE)
{
	void *u;

	EXPECT(dk_user_mmap(NULL, NULL, 4096, 0, &u) == -EINVAL);
	EXPECT(dk_user_mmap(no_map, NULL, 4096, 0, NULL) == -EINVAL);
	EXPECT(dk_user_mmap(no_map, NULL, 100, 0, &u) == -EINVAL);
	EXPECT(dk_user_mmap(no_map, NULL, SIZE_MAX & ~4095UL, 0, &u) ==
	       -EINVAL);
	EXPECT(dk_user_mmap(no_map, NULL, 4096, ULONG_MAX, &u) == -ENXIO);
	EXPECT(u == NULL);
	return 0;
}

SWEEP(dk_user_munmap, "NULL, kernel memory, the middle of a mapping", W_MACHINE)
{
	u8 *u = dk_user_mmap_anon(8192);

	EXPECT(dk_user_munmap(NULL) == -EINVAL);
	EXPECT(dk_user_munmap(e->buf) == -EINVAL);
	EXPECT(dk_user_munmap(u + 4096) == -EINVAL);
	EXPECT(dk_user_munmap(u) == 0);
	return 0;
}

SWEEP(dk_user_vma, "NULL, kernel memory, one past the end", W_MACHINE)
{
	u8 *u = dk_user_mmap_anon(4096);

	EXPECT(!dk_user_vma(NULL));
	EXPECT(!dk_user_vma(e->buf));
	EXPECT(!dk_user_vma(u + 4096));
	EXPECT(dk_user_vma(u + 4095) != NULL);
	return 0;
}

SWEEP(remap_pfn_range, "outside a handler, NULL vma, odd sizes", W_MACHINE)
{
	struct vm_area_struct vma = { .vm_end = 4096 };

	EXPECT(remap_pfn_range(NULL, 0, 0, 4096, 0) == -EINVAL);
	EXPECT(remap_pfn_range(&vma, 0, 0x80000, 4096, 0) == -EINVAL);
	EXPECT(remap_pfn_range(&vma, 0, ULONG_MAX, ULONG_MAX, 0) == -EINVAL);
	return 0;
}

SWEEP(vm_iomap_memory, "NULL vma, unaligned start, zero and huge lengths", W_MACHINE)
{
	struct vm_area_struct vma = { .vm_end = 4096, .vm_pgoff = ULONG_MAX };

	EXPECT(vm_iomap_memory(NULL, 0x80000000, 4096) == -EINVAL);
	EXPECT(vm_iomap_memory(&vma, 0x80000001, 4096) == -EINVAL);
	EXPECT(vm_iomap_memory(&vma, 0x80000000, 0) == -EINVAL);
	EXPECT(vm_iomap_memory(&vma, 0x80000000, ULONG_MAX) == -EINVAL);
	EXPECT_ERR("does not fit");
	return 0;
}

SWEEP(get_user_pages_fast, "NULL pages, 0 and negative counts, kernel memory", W_MACHINE)
{
	struct page *pg[2];

	EXPECT(get_user_pages_fast(0, 1, 0, NULL) == -EINVAL);
	EXPECT(get_user_pages_fast(0, 0, 0, pg) == -EINVAL);
	EXPECT(get_user_pages_fast(0, INT_MIN, 0, pg) == -EINVAL);
	EXPECT(get_user_pages_fast((unsigned long)not_user, 2, 0, pg) ==
	       -EFAULT);
	EXPECT(get_user_pages_fast(ULONG_MAX & ~4095UL, 2, 0, pg) == -EFAULT);
	EXPECT_ERR("in no user mapping");
	return 0;
}

SWEEP(pin_user_pages_fast, "an unaligned start, past a mapping's end", W_MACHINE)
{
	u8 *u = dk_user_mmap_anon(4096);
	struct page *pg[2];

	EXPECT(pin_user_pages_fast((unsigned long)u + 1, 1, 0, pg) == -EINVAL);
	EXPECT(pin_user_pages_fast((unsigned long)u, 2, 0, pg) == -EFAULT);
	EXPECT(pin_user_pages_fast((unsigned long)u, 1, 0, pg) == 1);
	unpin_user_pages(pg, 1);
	return 0;
}

SWEEP(unpin_user_pages, "NULL array, zero pages", W_MACHINE)
{
	unpin_user_pages(NULL, 5);
	unpin_user_pages((struct page **)not_user, 0);
	return 0;
}

SWEEP(get_page, "NULL", W_MACHINE)
{
	get_page(NULL);
	return 0;
}

SWEEP(put_page, "NULL, a page without a reference", W_MACHINE)
{
	u8 *k = memremap(0xb0000000, 4096, MEMREMAP_WB);
	struct page *pg = virt_to_page(k);

	put_page(NULL);
	put_page(pg);
	EXPECT_LOG("no reference held");
	EXPECT(pg->refcount == 0);
	return 0;
}

SWEEP(copy_to_user, "NULL, kernel memory, wrapping and crossing ranges", W_MACHINE)
{
	u8 *u = dk_user_mmap_anon(4096);

	EXPECT(copy_to_user(NULL, e->buf, 8) == 8);
	EXPECT(copy_to_user(e->buf, e->buf, 8) == 8);
	EXPECT(copy_to_user(u, NULL, 8) == 8);
	EXPECT(copy_to_user(u + 4000, e->buf, 97) == 97);
	EXPECT(copy_to_user(u + 8, e->buf, ULONG_MAX) == ULONG_MAX);
	EXPECT(copy_to_user(NULL, NULL, 0) == 0);
	return 0;
}

SWEEP(copy_from_user, "NULL, kernel memory, wrapping ranges", W_MACHINE)
{
	u8 *u = dk_user_mmap_anon(4096);

	EXPECT(copy_from_user(e->buf, NULL, 8) == 8);
	EXPECT(copy_from_user(e->buf, e->buf, 8) == 8);
	EXPECT(copy_from_user(NULL, u, 8) == 8);
	EXPECT(copy_from_user(e->buf, u + 8, ULONG_MAX) == ULONG_MAX);
	return 0;
}

SWEEP(memremap, "MMIO, no size, bad flags, past RAM; no machine", W_MACHINE)
{
	EXPECT(!memremap(0x10000000, 4096, MEMREMAP_WB));
	EXPECT(!memremap(0x80000000, 0, MEMREMAP_WB));
	EXPECT(!memremap(0x80000000, 4096, 0));
	EXPECT(!memremap(0xbffff000, SIZE_MAX, MEMREMAP_WB));
	EXPECT_ERR("not RAM or flags");
	return 0;
}

SWEEP(memunmap, "NULL, the linear map, a WC view", W_MACHINE)
{
	void *wc = memremap(0xb0000000, 4096, MEMREMAP_WC);

	memunmap(NULL);
	memunmap(e->buf);
	EXPECT(wc != NULL);
	memunmap(wc);
	return 0;
}

SWEEP(pgprot_noncached, "every bit set", W_NONE)
{
	EXPECT(pgprot_noncached(~0UL) == (~0UL & ~DK_PGPROT_WC));
	return 0;
}

SWEEP(pgprot_writecombine, "every bit set", W_NONE)
{
	EXPECT(pgprot_writecombine(~0UL) == (~0UL & ~DK_PGPROT_NOCACHE));
	return 0;
}

/* ---- i2c-dev and the first name of i2c_put_dma_safe_msg_buf() */

#include <dmakit/i2c.h>

SWEEP(i2c_release_dma_safe_msg_buf, "NULL message and buffer", W_MACHINE)
{
	struct i2c_msg m = { 0x50, I2C_M_RD, 4, (u8 *)not_user };

	i2c_release_dma_safe_msg_buf(NULL, NULL);
	i2c_release_dma_safe_msg_buf(&m, NULL);
	i2c_release_dma_safe_msg_buf(&m, m.buf);
	return 0;
}

SWEEP(dk_i2c_dev_rdwr, "NULL adapter and messages, 0 and INT_MAX messages", W_MACHINE)
{
	struct i2c_msg m = { 0x50, 0, 1, (u8 *)not_user };

	EXPECT(dk_i2c_dev_rdwr(NULL, &m, 1) == -EINVAL);
	EXPECT(dk_i2c_dev_rdwr((struct i2c_adapter *)not_user, NULL, 1) ==
	       -EINVAL);
	EXPECT(dk_i2c_dev_rdwr((struct i2c_adapter *)not_user, &m, 0) ==
	       -EINVAL);
	EXPECT(dk_i2c_dev_rdwr((struct i2c_adapter *)not_user, &m, INT_MAX) ==
	       -EINVAL);
	EXPECT(dk_i2c_dev_rdwr((struct i2c_adapter *)not_user, &m, 1) ==
	       -EFAULT);
	EXPECT_ERR("not user memory");
	return 0;
}

/* ---- CMA areas */

SWEEP(dma_contiguous_reserve, "no cma= size, limits 0 and 1", W_MACHINE)
{
	dma_contiguous_reserve(0);
	dma_contiguous_reserve(1);
	return 0;
}

SWEEP(dma_contiguous_reserve, "before any machine", W_NONE)
{
	dma_contiguous_reserve(0);
	return 0;
}

SWEEP(dk_machine_cma_area, "NULL machine and results, negative and huge index", W_MACHINE)
{
	phys_addr_t b;
	u64 s;
	bool d;

	EXPECT(dk_machine_cma_area(NULL, 0, &b, &s, &d) == -EINVAL);
	EXPECT(dk_machine_cma_area(e->m, 0, NULL, NULL, NULL) == -EINVAL);
	EXPECT(dk_machine_cma_area(e->m, -1, &b, &s, &d) == -ENOENT);
	EXPECT(dk_machine_cma_area(e->m, INT_MAX, &b, &s, &d) == -ENOENT);
	return 0;
}

SWEEP(dk_machine_meminfo, "NULL machine and result, freed machine", W_MACHINE)
{
	struct dk_meminfo mi;

	EXPECT(dk_machine_meminfo(NULL, &mi) == -EINVAL);
	EXPECT(dk_machine_meminfo(e->m, NULL) == -EINVAL);
	EXPECT_ERR("NULL result");
	EXPECT(dk_machine_meminfo(e->m, &mi) == 0);
	EXPECT(mi.cma_free <= mi.cma_total);
	return 0;
}
