// SPDX-License-Identifier: MIT
/*
 * The write buffer with many bufferable pages, where a barrier copies
 * only the pages the CPU stored to since the last one (first stores
 * found by write protection, src/core/pageprot.c): a device sees the
 * same bytes as with few pages, where a barrier copies them all; stores
 * from threads racing a barrier are not lost; a page the TrustZone map
 * closed stays closed and faults as it says.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dmakit/align_fault.h>
#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/io.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/trustzone.h>

#include "../src/core/pageprot.h"
#include "harness.h"
#include "testsoc.h"

#define FW 0x80800000ULL	/* the firewall's secure range */

static const char tree[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <2>; #size-cells = <2>;\n"
	"	dmakit { eviction-policy = \"adversarial\"; coherent-mapping = \"normal-nc\"; };\n"
	"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"	reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"		fw@80800000 { no-map; reg = <0 0x80800000 0 0x100000>; };\n"
	"	};\n"
	"	firewall { compatible = \"dmakit,firewall\";\n"
	"		dmakit,secure-ranges = <0 0x80800000 0 0x100000>; };\n"
	"	soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"		nc { compatible = \"dmakit,generic-master\"; };\n"
	"	};\n"
	"};\n";

/* Past wbuf.c's WB_TRACK_ON: barriers track stores. */
#define MANY 160
#define PG 4096

/* Whether barriers track here: not under Valgrind (core/pageprot.c),
 * where they copy and the bytes must be the same. */
static bool tracks(void)
{
	return !dk_test_on_valgrind();
}

/* The rig of these tests, barriers allowed to track where they can. */
static struct testrig tracked_rig(void)
{
	struct testrig r = testrig_boot(tree, DK_EVICT_ADVERSARIAL, -1, "nc");

	CHECK_EQ(dk_sim_track_stores(r.t.soc, true),
		 tracks() ? 0 : -EOPNOTSUPP);
	return r;
}

struct buf {
	u8 *p;
	dma_addr_t h;
	size_t size;
};

static struct buf alloc(struct testrig *r, size_t pages)
{
	struct buf b = { NULL, 0, pages * PG };

	b.p = dma_alloc_coherent(r->dev, b.size, &b.h, GFP_KERNEL);
	CHECK(b.p != NULL);
	return b;
}

static void release(struct testrig *r, struct buf *b)
{
	dma_free_coherent(r->dev, b->size, b->p, b->h);
}

/* The host protection of the page holding @p, as /proc/self/maps says
 * it ("rw-", "r--", "---"), in @out[4]. */
static const char *prot_of(const volatile void *p, char *out)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi, a = (unsigned long)p;
	char line[512], perms[8];

	strcpy(out, "?");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 &&
		    a >= lo && a < hi) {
			memcpy(out, perms, 3);
			out[3] = 0;
			break;
		}
	if (f)
		fclose(f);
	return out;
}

/*
 * Random line stores and barriers on @b: under the adversarial policy a
 * device reads the bytes as of the last barrier, whichever way the
 * barrier found the stores. @seed picks the same sequence for both ways.
 */
static void stores_and_barriers(struct testrig *r, struct buf *b, u64 seed)
{
	u8 *seen = malloc(b->size), *got = malloc(b->size);
	int round, i;

	CHECK(seen && got);
	dma_wmb();
	memcpy(seen, b->p, b->size);
	for (round = 0; round < 12; round++) {
		for (i = 0; i < 6; i++) {
			u64 x = test_rnd(&seed);
			size_t line = x % (b->size / 64 - 1);

			memset(b->p + line * 64, (int)(x >> 32) | 1,
			       64 << (x >> 20 & 1));	/* 1 or 2 lines */
		}
		CHECK_EQ(dk_dev_dma_read(r->sd, b->h, got, b->size), 0);
		CHECK_MEM(got, seen, b->size);
		dma_wmb();
		memcpy(seen, b->p, b->size);
		CHECK_EQ(dk_dev_dma_read(r->sd, b->h, got, b->size), 0);
		CHECK_MEM(got, b->p, b->size);
	}
	free(seen);
	free(got);
}

TEST(wbuf_tracking_a_device_sees_the_same_bytes_as_with_copies)
{
	struct testrig r = tracked_rig();
	struct buf few = alloc(&r, 4), many;
	char prot[4];

	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	/* Few bufferable pages: a barrier copies them all. */
	dma_wmb();
	CHECK(!dk_pp_tracked(few.p));
	stores_and_barriers(&r, &few, 11);
	many = alloc(&r, MANY);
	dma_wmb();
	/* Many: each barrier write-protects what it copied. */
	CHECK_EQ(dk_pp_tracked(many.p + 7 * PG), tracks());
	CHECK_EQ(dk_pp_tracked(few.p), tracks());
	stores_and_barriers(&r, &few, 11);
	stores_and_barriers(&r, &many, 12);
	release(&r, &many);
	/* Few again: copies, and the pages open. */
	dma_wmb();
	CHECK(!dk_pp_tracked(few.p));
	CHECK_STR(prot_of(few.p, prot), "rw-");
	stores_and_barriers(&r, &few, 13);
	release(&r, &few);
	testrig_done(&r);
}

/* A read(2) into the page at @p: what it returned, or -errno. */
static long read_into(u8 *p)
{
	int fd[2];
	long n;

	if (pipe(fd))
		return -1000;
	n = write(fd[1], "dmakit", 6) == 6 ? read(fd[0], p, 6) : -1000;
	if (n < 0 && n != -1000)
		n = -errno;
	close(fd[0]);
	close(fd[1]);
	return n;
}

/* Tracking is the program's choice: by default barriers copy and the
 * host kernel can write into coherent memory; allowed, the limit the
 * contract names (EFAULT) holds; taken back, the pages open again. */
TEST(wbuf_tracking_is_off_unless_the_program_allows_it)
{
	struct testrig r = testrig_boot(tree, DK_EVICT_ADVERSARIAL, -1, "nc");
	struct sigaction before, after;
	struct buf b;
	char prot[4];

	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	sigaction(SIGSEGV, NULL, &before);
	b = alloc(&r, MANY);
	dma_wmb();
	dma_wmb();
	/* Not asked to track: the program's SIGSEGV disposition is its. */
	sigaction(SIGSEGV, NULL, &after);
	CHECK(after.sa_sigaction == before.sa_sigaction);
	CHECK(!dk_pp_tracked(b.p + 3 * PG));
	CHECK_STR(prot_of(b.p + 3 * PG, prot), "rw-");
	CHECK_EQ(read_into(b.p + 3 * PG), 6);
	CHECK_MEM(b.p + 3 * PG, "dmakit", 6);
	if (!tracks()) {
		CHECK_EQ(dk_sim_track_stores(r.t.soc, true), -EOPNOTSUPP);
		CHECK_STR(dk_last_error(), "dk_sim_track_stores: not under Valgrind, whose faulting stores do not all name their page: barriers copy");
	} else {
		CHECK_EQ(dk_sim_track_stores(r.t.soc, true), 0);
		dma_wmb();
		CHECK(dk_pp_tracked(b.p + 3 * PG));
		CHECK_STR(prot_of(b.p + 3 * PG, prot), "r--");
		CHECK_EQ(read_into(b.p + 3 * PG), -EFAULT);
		CHECK_EQ(dk_sim_track_stores(r.t.soc, false), 0);
		dma_wmb();
		CHECK(!dk_pp_tracked(b.p + 3 * PG));
		CHECK_STR(prot_of(b.p + 3 * PG, prot), "rw-");
		CHECK_EQ(read_into(b.p + 3 * PG), 6);
	}
	CHECK_EQ(dk_sim_track_stores(NULL, true), -EINVAL);
	release(&r, &b);
	testrig_done(&r);
}

/* The finding and the bytes for a page first stored to after the
 * barrier, and for a page stored to twice between barriers. */
TEST(wbuf_tracking_holds_first_and_second_stores_until_the_barrier)
{
	struct testrig r = tracked_rig();
	struct buf b = alloc(&r, MANY);
	u8 got[128];

	dma_wmb();
	dk_dma_debug_clear();
	b.p[9 * PG] = 0x33;		/* the first store faults */
	CHECK(!dk_pp_tracked(b.p + 9 * PG));
	CHECK_EQ(dk_dev_dma_read(r.sd, b.h + 9 * PG, got, 1), 0);
	CHECK_EQ(got[0], 0);
	CHECK_EQ(dk_dma_debug_nfindings(), 1);
	CHECK_EQ(dk_dma_debug_finding(0)->check, DK_CHK_DEVICE_READ_BUFFERED);
	memset(b.p + 9 * PG + 64, 0x44, 64);	/* the second does not */
	dma_wmb();
	CHECK_EQ(dk_dev_dma_read(r.sd, b.h + 9 * PG, got, 128), 0);
	CHECK_EQ(got[0], 0x33);
	CHECK(bytes_are(got + 1, 0, 63));
	CHECK(bytes_are(got + 64, 0x44, 64));
	CHECK_EQ(dk_dma_debug_nfindings(), 1);
	/* Hot now: open, copied at each barrier, held between them. */
	CHECK(!dk_pp_tracked(b.p + 9 * PG));
	b.p[9 * PG] = 0x34;
	CHECK_EQ(dk_dev_dma_read(r.sd, b.h + 9 * PG, got, 1), 0);
	CHECK_EQ(got[0], 0x33);
	dma_wmb();
	CHECK_EQ(dk_dev_dma_read(r.sd, b.h + 9 * PG, got, 1), 0);
	CHECK_EQ(got[0], 0x34);
	CHECK_EQ(dk_dma_debug_nfindings(), 2);
	/* Two barriers without stores cool it: protected again. */
	dma_wmb();
	CHECK(!dk_pp_tracked(b.p + 9 * PG));
	dma_wmb();
	CHECK_EQ(dk_pp_tracked(b.p + 9 * PG), tracks());
	b.p[9 * PG + 128] = 0x35;
	CHECK_EQ(dk_dev_dma_read(r.sd, b.h + 9 * PG + 128, got, 1), 0);
	CHECK_EQ(got[0], 0);
	dma_wmb();
	CHECK_EQ(dk_dev_dma_read(r.sd, b.h + 9 * PG + 128, got, 1), 0);
	CHECK_EQ(got[0], 0x35);
	release(&r, &b);
	testrig_done(&r);
}

/* Allocations freed and made while tracked: the pages of a new one are
 * held and drained as any. */
TEST(wbuf_tracking_allocations_come_and_go_between_barriers)
{
	struct testrig r = tracked_rig();
	struct buf b = alloc(&r, MANY), s[8];
	u8 got[64];
	int i;

	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	dma_wmb();
	for (i = 0; i < 8; i++) {
		s[i] = alloc(&r, 1);
		memset(s[i].p, 0x50 + i, 64);
		if (i % 2)
			release(&r, &s[i - 1]);
	}
	for (i = 1; i < 8; i += 2) {
		CHECK_EQ(dk_dev_dma_read(r.sd, s[i].h, got, 64), 0);
		CHECK(bytes_are(got, 0, 64));
	}
	dma_wmb();
	for (i = 1; i < 8; i += 2) {
		CHECK_EQ(dk_dev_dma_read(r.sd, s[i].h, got, 64), 0);
		CHECK(bytes_are(got, 0x50 + i, 64));
		memset(s[i].p, 0x60 + i, 64);
		release(&r, &s[i]);
	}
	/* Freed with stores in the buffer: what they held has landed. */
	for (i = 1; i < 8; i += 2) {
		CHECK_EQ(dk_dev_dma_read(r.sd, s[i].h, got, 64), 0);
		CHECK(bytes_are(got, 0x60 + i, 64));
	}
	stores_and_barriers(&r, &b, 21);
	release(&r, &b);
	testrig_done(&r);
}

/* A write-back into a tracked page (written through its cacheable view
 * too) is pending until the next barrier, as with copies. */
TEST(wbuf_tracking_a_cache_write_back_lands_at_the_next_barrier)
{
	struct testrig r = tracked_rig();
	struct buf b = alloc(&r, MANY);
	phys_addr_t pa;
	u8 got[64];

	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	dma_wmb();
	CHECK_EQ(dk_sim_virt_to_phys(r.t.soc, b.p + 6 * PG, &pa), 0);
	memset(dk_sim_cpu_ptr(r.t.soc, pa), 0x66, 64);
	CHECK_EQ(dk_sim_cache_clean(r.t.soc, pa, 64), 0);
	CHECK_EQ(dk_dev_dma_read(r.sd, b.h + 6 * PG, got, 64), 0);
	CHECK(bytes_are(got, 0, 64));
	dma_wmb();
	CHECK_EQ(dk_dev_dma_read(r.sd, b.h + 6 * PG, got, 64), 0);
	CHECK(bytes_are(got, 0x66, 64));
	CHECK_EQ(dk_pp_tracked(b.p + 6 * PG), tracks());
	release(&r, &b);
	testrig_done(&r);
}

#define ROUNDS 300

struct storer {
	volatile u32 *p;
	atomic_uint done;	/* the last value stored */
};

static void *store_loop(void *arg)
{
	struct storer *s = arg;
	u32 i;

	for (i = 1; i <= ROUNDS; i++) {
		*s->p = i;
		atomic_store_explicit(&s->done, i, memory_order_release);
	}
	return NULL;
}

/*
 * Two threads store to pages of their own while a third issues
 * barriers: a store done before a barrier began reaches the device
 * after it, however the barrier's protect and copy fall between it.
 */
TEST(wbuf_tracking_stores_racing_a_barrier_are_not_lost)
{
	struct testrig r = tracked_rig();
	struct buf b = alloc(&r, MANY);
	struct storer s[2] = { { (volatile u32 *)(b.p + 3 * PG), 0 },
			       { (volatile u32 *)(b.p + 4 * PG), 0 } };
	pthread_t t[2];
	u32 got;
	int i, k, late = 0;

	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	dma_wmb();
	for (k = 0; k < 2; k++)
		CHECK_EQ(pthread_create(&t[k], NULL, store_loop, &s[k]), 0);
	for (i = 0; i < ROUNDS && !late; i++)
		for (k = 0; k < 2; k++) {
			u32 done = atomic_load_explicit(&s[k].done,
							memory_order_acquire);

			dma_wmb();
			CHECK_EQ(dk_dev_dma_read(r.sd, b.h + (3 + k) * PG, &got,
						 4), 0);
			late += got < done;
		}
	for (k = 0; k < 2; k++)
		pthread_join(t[k], NULL);
	CHECK_EQ(late, 0);
	dma_wmb();
	for (k = 0; k < 2; k++) {
		CHECK_EQ(dk_dev_dma_read(r.sd, b.h + (3 + k) * PG, &got, 4), 0);
		CHECK_EQ(got, ROUNDS);
	}
	release(&r, &b);
	testrig_done(&r);
}

static void store_byte(volatile u8 *p)
{
	*p = 1;
}

struct secure_job {
	volatile u8 *p;
	bool store;
	char before[4], after[4];
};

/* In the secure world: the secure page's protection, then a store. */
static long in_secure_world(void *arg, struct dk_soc *soc, u32 fid,
			    const u64 a[4])
{
	struct secure_job *j = arg;

	(void)soc;
	(void)fid;
	(void)a;
	if (!j->store)
		dma_wmb();
	prot_of(j->p, j->before);
	if (j->store)
		j->p[0] = 0x77;
	prot_of(j->p, j->after);
	return 0;
}

/*
 * A secure page behind the write buffer among tracked pages: barriers
 * leave it closed, a store to it faults as the TrustZone map reports;
 * in the secure world it is tracked as any, and opening it gives it the
 * write protection tracking wants, not read-write.
 */
TEST(wbuf_tracking_leaves_secure_pages_closed)
{
	struct testrig r = tracked_rig();
	struct buf b = alloc(&r, MANY);
	volatile u8 *sec = dk_sim_map_alias(r.t.soc, FW, PG, DK_ALIAS_UNCACHED);
	struct secure_job j = { sec, false, "", "" };
	char out[4096], prot[4];
	u8 got;

	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	CHECK(sec != NULL);
	dma_wmb();
	dma_wmb();
	CHECK_STR(prot_of(sec, prot), "---");
	CHECK_EQ(test_in_child(store_byte, sec + 8, out, sizeof(out)), SIGSEGV);
	CHECK(strstr(out, "CPU (non-secure world) write of secure memory at physical 0x80800008 (the firewall or the TZASC refused it)"));
	CHECK_STR(prot_of(b.p + 5 * PG, prot), tracks() ? "r--" : "rw-");
	/* (Not a page looked at below: the child's store lands in the
	 * shared pages, unseen by this process's tracking.) */
	CHECK_EQ(test_in_child(store_byte, b.p + 8 * PG, out, sizeof(out)), 0);
	/* A barrier in the secure world protects it... */
	CHECK_EQ(dk_soc_set_secure_monitor(r.t.soc, in_secure_world, &j), 0);
	CHECK_EQ(dk_smc(r.t.soc, 1, 0, 0, 0, 0), 0);
	CHECK_STR(j.before, tracks() ? "r--" : "rw-");
	CHECK_STR(prot_of(sec, prot), "---");
	/* ...and the next visit opens it so; its first store faults. */
	j.store = true;
	CHECK_EQ(dk_smc(r.t.soc, 1, 0, 0, 0, 0), 0);
	CHECK_STR(j.before, tracks() ? "r--" : "rw-");
	CHECK_STR(j.after, "rw-");
	CHECK_STR(prot_of(sec, prot), "---");
	CHECK_EQ(test_in_child(store_byte, sec, out, sizeof(out)), SIGSEGV);
	CHECK_EQ(dk_soc_set_secure_monitor(r.t.soc, NULL, NULL), 0);
	/* Tracking goes on beside it. */
	CHECK_EQ(dk_pp_tracked(b.p + 5 * PG), tracks());
	b.p[5 * PG] = 0x5a;
	CHECK_STR(prot_of(b.p + 5 * PG, prot), "rw-");
	CHECK_EQ(dk_dev_dma_read(r.sd, b.h + 5 * PG, &got, 1), 0);
	CHECK_EQ(got, 0);
	dma_wmb();
	CHECK_EQ(dk_dev_dma_read(r.sd, b.h + 5 * PG, &got, 1), 0);
	CHECK_EQ(got, 0x5a);
	CHECK_EQ(dk_sim_unmap_alias(r.t.soc, (void *)sec), 0);
	release(&r, &b);
	testrig_done(&r);
}

typedef u32 __attribute__((aligned(1), may_alias)) u32_un;

static volatile u32 loaded;

/* A misaligned load: dk_so_run() closes the page for one step. */
static __attribute__((noinline)) void misaligned_load(void *arg)
{
	loaded = *(volatile u32_un *)((u8 *)arg + 1);
}

/* dk_so_run() closes and opens a tracked page through the same owner:
 * it comes back write-protected, and a store after it is still held. */
TEST(wbuf_tracking_alignment_faults_give_pages_back_protected)
{
	struct testrig r = tracked_rig();
	struct buf b = alloc(&r, MANY);
	struct dk_align_fault f;
	char prot[4];
	u8 got;

	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	if (!dk_so_enforced() || !tracks()) {
		printf("    %s skipped: %s\n", __func__,
		       tracks() ? dk_last_error() : "under Valgrind");
		goto out;
	}
	dma_wmb();
	dma_wmb();
	CHECK_STR(prot_of(b.p + 2 * PG, prot), "r--");
	CHECK_EQ(dk_so_run(b.p + 2 * PG + 0x40, 64, misaligned_load,
			   b.p + 2 * PG + 0x40, &f), 1);
	CHECK(!f.write);
	CHECK_STR(prot_of(b.p + 2 * PG, prot), "r--");
	b.p[2 * PG] = 0x21;
	CHECK_EQ(dk_dev_dma_read(r.sd, b.h + 2 * PG, &got, 1), 0);
	CHECK_EQ(got, 0);
	dma_wmb();
	CHECK_EQ(dk_dev_dma_read(r.sd, b.h + 2 * PG, &got, 1), 0);
	CHECK_EQ(got, 0x21);
out:
	release(&r, &b);
	testrig_done(&r);
}
