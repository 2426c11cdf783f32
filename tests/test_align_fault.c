// SPDX-License-Identifier: MIT
/*
 * Alignment faults executed by the host CPU (dk_so_run()): misaligned
 * loads and stores to the declared strongly-ordered memory fault with the
 * exact address, access and instruction; aligned ones, and misaligned ones
 * to other memory (the same page included), complete with exact bytes;
 * memcpy() on the memory faults while memcpy_fromio()/memcpy_toio() pass.
 * On a host that cannot enforce the rule (Valgrind, non-x86) each test
 * checks the refusal instead and says it skipped.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <dmakit/align_fault.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/io.h>
#include <dmakit/sim_device.h>

#include "harness.h"
#include "testsoc.h"

#define SO_OFF 0x100		/* the declared memory inside its page */
#define SO_LEN 0x100

/* Misaligned on purpose: one access of the full width, no UB. */
typedef u32 __attribute__((aligned(1), may_alias)) u32_un;

struct job {
	u8 *so;			/* the strongly-ordered memory */
	u8 *ram;		/* ordinary memory */
	size_t off, n;
	u32 got;
};

static void never(void *arg)
{
	*(int *)arg = 1;
}

/* Whether the host enforces the rule; if not, the refusal is what is
 * checked and the test says it skipped. */
static bool enforced(const char *test)
{
	struct dk_align_fault f;
	int ran = 0;

	if (dk_so_enforced())
		return true;
	CHECK_EQ(dk_so_run(&ran, sizeof(ran), never, &ran, &f), -EOPNOTSUPP);
	CHECK_EQ(ran, 0);
	CHECK_STR(dk_last_error(), "alignment faults: ");
	printf("    %s skipped: %s\n", test, dk_last_error());
	return false;
}

static u8 *page(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	return p == MAP_FAILED ? NULL : p;
}

static __attribute__((noinline)) void load_at(void *arg)
{
	struct job *j = arg;

	j->got = *(volatile u32_un *)(j->so + j->off);
}

static __attribute__((noinline)) void store_at(void *arg)
{
	struct job *j = arg;

	*(volatile u32_un *)(j->so + j->off) = 0xa1b2c3d4;
	j->got = 1;
}

TEST(align_fault_misaligned_load_exact_record)
{
	struct dk_align_fault f;
	char text[2048], want[160];
	u8 *p = page();
	struct job j = { .so = p + SO_OFF, .off = 0x45 };
	u8 fn[64];

	if (!p || !enforced(__func__))
		goto out;
	memset(p, 0x5a, 4096);
	CHECK_EQ(dk_so_run(j.so, SO_LEN, load_at, &j, &f), 1);
	CHECK(f.addr == j.so + 0x45);
	CHECK_EQ(f.offset, 0x45);
	CHECK(!f.write);
	CHECK_EQ(j.got, 0);	/* the load never completed */
	CHECK(f.nframes >= 1 && f.frames[0] == f.pc);
	dk_align_fault_format(&f, text, sizeof(text));
	snprintf(want, sizeof(want),
		 "Unable to handle alignment fault at virtual address %p (offset 0x45 of strongly-ordered memory)\nMem abort info: read, alignment fault, pc %p\nCall trace:\n load_at (tests/test_align_fault.c:",
		 (void *)(j.so + 0x45), f.pc);
	CHECK_STR(text, want);
	/* The trace ends with the callback: nothing of dk_so_run's own or
	 * its callers' frames. */
	CHECK(strstr(text, ":") && !strchr(strstr(text, " load_at (") + 10, ' '));
	/* Afterwards the thread runs without alignment checking. */
	memset(fn, 7, sizeof(fn));
	CHECK_EQ(*(volatile u32_un *)(fn + 1), 0x07070707);
out:
	if (p)
		munmap(p, 4096);
}

TEST(align_fault_misaligned_store_exact_record)
{
	struct dk_align_fault f;
	u8 *p = page(), want[SO_LEN];
	struct job j = { .so = p + SO_OFF, .off = SO_LEN - 6 };

	if (!p || !enforced(__func__))
		goto out;
	memset(p, 0x5a, 4096);
	CHECK_EQ(dk_so_run(j.so, SO_LEN, store_at, &j, &f), 1);
	CHECK(f.addr == j.so + SO_LEN - 6);
	CHECK_EQ(f.offset, SO_LEN - 6);
	CHECK(f.write);
	CHECK_EQ(j.got, 0);
	/* The store never happened: every byte is as it was. */
	memset(want, 0x5a, sizeof(want));
	CHECK_MEM(j.so, want, SO_LEN);
out:
	if (p)
		munmap(p, 4096);
}

/* Aligned accesses to the memory; misaligned ones beside it, in the same
 * page and on the heap; the C library's memcpy() on ordinary memory. */
static void legal(void *arg)
{
	struct job *j = arg;
	u8 *neighbour = j->so - SO_OFF + 0x11;

	*(volatile u32 *)(j->so + 8) = 0x11223344;
	*(volatile u64 *)(j->so + 16) = 0x5566778899aabbccULL;
	j->got = *(volatile u32 *)(j->so + 8);
	*(volatile u32_un *)neighbour = 0xdeadbeef;
	*(volatile u32_un *)(j->ram + 3) = *(volatile u32_un *)neighbour;
	memcpy(j->ram + 9, j->ram + 3, j->n);
}

TEST(align_fault_aligned_and_elsewhere_complete)
{
	static const u8 want_ram[16] = { 0, 0, 0, 0xef, 0xbe, 0xad, 0xde, 0,
					 0, 0xef, 0xbe, 0xad, 0xde, 0, 0, 0 };
	static const u8 want_so[16] = { 0x44, 0x33, 0x22, 0x11, 0, 0, 0, 0,
					0xcc, 0xbb, 0xaa, 0x99, 0x88, 0x77,
					0x66, 0x55 };
	struct dk_align_fault f;
	u8 *p = page(), *ram = calloc(1, 64);
	struct job j = { .so = p + SO_OFF, .ram = ram, .n = 4 };

	if (!p || !ram || !enforced(__func__))
		goto out;
	CHECK_EQ(dk_so_run(j.so, SO_LEN, legal, &j, &f), 0);
	CHECK_EQ(j.got, 0x11223344);
	CHECK_MEM(ram, want_ram, sizeof(want_ram));
	CHECK_MEM(j.so + 8, want_so, sizeof(want_so));
	CHECK_EQ(*(u32_un *)(p + 0x11), 0xdeadbeef);
out:
	free(ram);
	if (p)
		munmap(p, 4096);
}

static void copy_libc(void *arg)
{
	struct job *j = arg;

	memcpy(j->ram, j->so + j->off, j->n);
}

static void copy_io(void *arg)
{
	struct job *j = arg;

	memcpy_fromio(j->ram + 1, j->so + j->off, j->n);
	memcpy_toio(j->so + j->off + 64, j->ram + 1, j->n);
	memset_io(j->so + 3, 0xee, 9);
}

TEST(align_fault_memcpy_faults_memcpy_io_passes)
{
	struct dk_align_fault f;
	u8 *p = page(), *ram = calloc(1, 128);
	struct job j = { .so = p + SO_OFF, .ram = ram, .off = 0x44, .n = 31 };
	u8 want[16];
	int i;

	if (!p || !ram || !enforced(__func__))
		goto out;
	for (i = 0; i < SO_LEN; i++)
		j.so[i] = (u8)(i * 7 + 1);
	CHECK_EQ(dk_so_run(j.so, SO_LEN, copy_libc, &j, &f), 1);
	/* An optimized memcpy's first wide load, at the 4-aligned source. */
	CHECK(f.addr >= (void *)(j.so + 0x44) &&
	      f.addr < (void *)(j.so + 0x44 + 31));
	CHECK(!f.write);
	CHECK_EQ(dk_so_run(j.so, SO_LEN, copy_io, &j, &f), 0);
	CHECK_MEM(ram + 1, j.so + 0x44, 31);
	CHECK_MEM(j.so + 0x44 + 64, j.so + 0x44, 31);
	memset(want, 0xee, 9);
	CHECK_MEM(j.so + 3, want, 9);
	CHECK_EQ(j.so[2], 2 * 7 + 1);
	CHECK_EQ(j.so[12], 12 * 7 + 1);
out:
	free(ram);
	if (p)
		munmap(p, 4096);
}

static void nested(void *arg)
{
	struct dk_align_fault f;

	*(int *)arg = dk_so_run(arg, 4, nested, arg, &f);
}

TEST(align_fault_refuses_bad_arguments)
{
	struct dk_align_fault f;
	u8 b[8], *p;
	int r = 0;

	CHECK_EQ(dk_so_run(NULL, 8, nested, &r, &f), -EINVAL);
	CHECK_EQ(dk_so_run(b, 0, nested, &r, &f), -EINVAL);
	CHECK_EQ(dk_so_run(b, 8, NULL, &r, &f), -EINVAL);
	CHECK_EQ(dk_so_run(b, 8, nested, &r, NULL), -EINVAL);
	CHECK_EQ(dk_so_run((void *)(uintptr_t)-4, 8, nested, &r, &f),
		 -EINVAL);
	CHECK_STR(dk_last_error(), "wrap");
	if (!enforced(__func__))
		return;
	p = page();
	if (!p)
		return;
	CHECK_EQ(dk_so_run(p, 8, nested, p, &f), 0);
	CHECK_EQ(*(int *)p, -EBUSY);
	munmap(p, 4096);
}

/* The real thing: the built-in SoC's uncached alias of a coherent buffer
 * the device filled, read as the Reverse USB-Killer's driver does. */
TEST(align_fault_on_a_coherent_alias)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "master@10010000");
	struct dk_simdev *sd = dk_soc_find_dev(t.soc, "master@10010000");
	struct dk_align_fault f;
	u8 cbw[31], *ram = calloc(1, 64), *coh = NULL;
	struct job j = { .ram = ram, .off = 0x44, .n = sizeof(cbw) };
	dma_addr_t h;
	int i;

	if (!ram || !enforced(__func__))
		goto out;
	coh = dma_alloc_coherent(dev, 4096, &h, GFP_KERNEL);
	CHECK(coh != NULL);
	if (!coh)
		goto out;
	for (i = 0; i < (int)sizeof(cbw); i++)
		cbw[i] = (u8)(0x30 + i);
	CHECK_EQ(dk_dev_dma_write(sd, h + 0x44, cbw, sizeof(cbw)), 0);
	j.so = coh;
	CHECK_EQ(dk_so_run(coh, 4096, copy_libc, &j, &f), 1);
	CHECK(f.offset >= 0x44 && f.offset < 0x44 + sizeof(cbw));
	CHECK(!f.write);
	CHECK(mem_all(ram, 0, 64));
	CHECK_EQ(dk_so_run(coh, 4096, copy_io, &j, &f), 0);
	CHECK_MEM(ram + 1, cbw, sizeof(cbw));
	dma_free_coherent(dev, 4096, coh, h);
out:
	free(ram);
	testmachine_shutdown(&t);
}
