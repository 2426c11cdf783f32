// SPDX-License-Identifier: MIT
/*
 * The tests that run inside the vm-check guest (tests/vm/vm-check.sh): the
 * host platform over VFIO and the edu driver against QEMU's edu device
 * behind its emulated Intel IOMMU. Each test prints "PASS name" or
 * "FAIL name: why" (or "SKIP name: why", which is not a pass), then the
 * totals as "N passed, N failed". IOMMU faults are counted from the
 * dmar0 line of /proc/interrupts: the DMAR fault records in the log are
 * rate-limited, the fault interrupt is one per faulting DMA. The tests
 * run through type1, then through iommufd (their names then start with
 * "iommufd: ") when the guest's kernel has it; when it has not, the
 * iommufd tests say SKIP with the reason vm-check.sh left in
 * /iommufd-skip.
 *
 * MSI-X is tested on QEMU's e1000e beside edu (guest_msix.c).
 *
 *   vm-guest-tests [PCI-ADDRESS]     (default: the first 1234:11e8)
 *   vm-guest-tests --no-iommu        (the boot without the IOMMU)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/gfp.h>
#include <dmakit/host.h>
#include <dmakit/machine.h>
#include <dmakit/scatterlist.h>
#include <dmakit/slab.h>
#include <dmakit/vmalloc.h>

#include "../../drivers/edu/edu.h"
#include "guest.h"

static int passed, failed, skipped;
static struct dk_platform pl;
static struct dk_machine *mach;
static struct device *dev;
static struct edu *edu;
static char addr[32];
/* The backend the results are about: "" for type1, "iommufd: ". */
static const char *tag = "";

static double now(void);

/* Seconds since the last result: what each test costs the stage. */
static double lap(void)
{
	static double last;
	double t = now(), d = last ? t - last : 0;

	last = t;
	return d;
}

void result(const char *name, const char *fmt, ...)
{
	va_list ap;

	if (!fmt) {
		printf("PASS %s%s (%.2f s)\n", tag, name, lap());
		passed++;
	} else {
		printf("FAIL %s%s (%.2f s): ", tag, name, lap());
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
		failed++;
	}
	fflush(stdout);
}

long proc_interrupts(const char *name)
{
	char line[512];
	long n = -1;
	FILE *f = fopen("/proc/interrupts", "r");

	while (f && fgets(line, sizeof(line), f)) {
		char *p, *end;

		if (!strstr(line, name))
			continue;
		p = strchr(line, ':');
		n = 0;
		while (p && *++p) {
			long v = strtol(p, &end, 10);

			if (end == p)
				break;
			n += v;
			p = end - 1;
		}
	}
	if (f)
		fclose(f);
	return n;
}

/* Fault interrupts of the emulated IOMMU so far (the dmar0 line). */
static long dmar_faults(void)
{
	return proc_interrupts("dmar0");
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/*
 * Boot a fresh machine on the platform and bind the driver with @bits as
 * the mask it sets (0: none). Fresh, because a struct device keeps the
 * mask a driver set after the driver leaves, in Linux as here.
 */
static int reboot(unsigned int bits)
{
	struct dk_machine_opts mo = { .iommu_dma = true };
	int r;

	dk_machine_shutdown(mach);
	mach = NULL;
	dev = NULL;
	edu = NULL;
	edu_mask_bits = bits;
	r = dk_machine_boot(&pl, &mo, &mach);
	if (r)
		return r;
	dev = dk_machine_find_device(mach, addr);
	if (!dev)
		return -ENODEV;
	r = driver_register(&edu_driver);
	edu = edu_of(dev);
	return r ? r : edu ? 0 : -ENODEV;
}

static void fill(u8 *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(i * 7 + seed * 13 + (i >> 8));
}

static void t_probe(void)
{
	const char *n = "probe: edu bound, liveness register inverts";

	REQUIRE(n, edu, "edu_driver did not bind %s: %s", addr,
		dk_last_error());
	REQUIRE(n, edu_invert(edu, 0x12345678) == ~0x12345678u,
		"liveness read back 0x%x", edu_invert(edu, 0x12345678));
	REQUIRE(n, *dev->dma_mask == DMA_BIT_MASK(28),
		"mask 0x%llx, not 28 bits", (unsigned long long)*dev->dma_mask);
	result(n, NULL);
}

/*
 * @len bytes of @src to edu and back into @dst through two streaming
 * maps: NULL, or what went wrong (the bytes compared, the IOVAs within
 * the 28-bit mask).
 */
static const char *round_trip(const u8 *src, u8 *dst, u32 len)
{
	static char why[256];
	dma_addr_t s = dma_map_single(dev, (void *)src, len, DMA_TO_DEVICE);
	dma_addr_t d = dma_map_single(dev, dst, len, DMA_FROM_DEVICE);
	int r1, r2;

	if (dma_mapping_error(dev, s) || dma_mapping_error(dev, d)) {
		snprintf(why, sizeof(why), "map failed: %s", dk_last_error());
		return why;
	}
	r1 = edu_dma(edu, s, 0, len, false, false);
	r2 = edu_dma(edu, d, 0, len, true, false);
	dma_unmap_single(dev, s, len, DMA_TO_DEVICE);
	dma_unmap_single(dev, d, len, DMA_FROM_DEVICE);
	if (r1 || r2)
		snprintf(why, sizeof(why), "edu_dma: %d, %d", r1, r2);
	else if (memcmp(src, dst, len))
		snprintf(why, sizeof(why), "bytes differ");
	else if (s + len - 1 > DMA_BIT_MASK(28) || d + len - 1 > DMA_BIT_MASK(28))
		snprintf(why, sizeof(why), "IOVA 0x%llx/0x%llx above 28 bits",
			 (unsigned long long)s, (unsigned long long)d);
	else
		return NULL;
	return why;
}

/* RAM -> edu -> RAM through two streaming mappings of kmalloc memory. */
static void t_single(void)
{
	static const u32 sizes[] = { 1, 777, EDU_MAX_XFER };
	char n[96];
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		u32 len = sizes[i];
		u8 *src = kmalloc(len, GFP_KERNEL), *dst = kzalloc(len, GFP_KERNEL);
		const char *why;

		snprintf(n, sizeof(n), "dma_map_single round trip of %u bytes",
			 len);
		REQUIRE(n, src && dst, "kmalloc failed");
		fill(src, len, len);
		why = round_trip(src, dst, len);
		REQUIRE(n, !why, "%s", why);
		kfree(src);
		kfree(dst);
		result(n, NULL);
	}
}

/* Three kmalloc pieces as one scatterlist into the device, back into one
 * buffer; iommu-dma lays the pieces out in one IOVA range. */
static void t_sg(void)
{
	const char *n = "dma_map_sg round trip of 3 entries (3000 bytes)";
	struct scatterlist sg[3];
	u8 *piece[3], *back = kzalloc(3000, GFP_KERNEL), *want = kmalloc(3000, GFP_KERNEL);
	u32 off = 0;
	int i, nents, r = 0;
	dma_addr_t b;

	sg_init_table(sg, 3);
	for (i = 0; i < 3; i++) {
		piece[i] = kmalloc(1000, GFP_KERNEL);
		REQUIRE(n, piece[i], "kmalloc failed");
		fill(piece[i], 1000, 40 + i);
		memcpy(want + 1000 * i, piece[i], 1000);
		sg_set_buf(&sg[i], piece[i], 1000);
	}
	nents = dma_map_sg(dev, sg, 3, DMA_TO_DEVICE);
	REQUIRE(n, nents > 0, "dma_map_sg: %s", dk_last_error());
	for (i = 0; i < nents && !r; i++) {
		r = edu_dma(edu, sg_dma_address(&sg[i]), off, sg_dma_len(&sg[i]),
			    false, false);
		off += sg_dma_len(&sg[i]);
	}
	dma_unmap_sg(dev, sg, 3, DMA_TO_DEVICE);
	REQUIRE(n, !r && off == 3000, "edu_dma %d, %u bytes", r, off);
	b = dma_map_single(dev, back, 3000, DMA_FROM_DEVICE);
	REQUIRE(n, !dma_mapping_error(dev, b), "map: %s", dk_last_error());
	r = edu_dma(edu, b, 0, 3000, true, false);
	dma_unmap_single(dev, b, 3000, DMA_FROM_DEVICE);
	REQUIRE(n, !r && !memcmp(back, want, 3000), "bytes differ (%d)", r);
	for (i = 0; i < 3; i++)
		kfree(piece[i]);
	kfree(back);
	kfree(want);
	printf("     (%d DMA segment%s)\n", nents, nents == 1 ? "" : "s");
	result(n, NULL);
}

/*
 * Memory dmakit did not allocate, mapped on demand: a malloc'd buffer to
 * the device and back into an mmap'd one (at an odd offset), each map one
 * MAP_DMA that pins its pages and each unmap one UNMAP_DMA; the checker
 * stays quiet about both. A stack buffer is refused with the checker's
 * map-stack finding.
 */
static void t_user_memory(void)
{
	const char *n = "malloc and mmap buffers round trip (mapped on demand), a stack buffer refused";
	enum { LEN = 3000, OFF = 4000 };
	u8 *src = malloc(LEN), *map, stack[64];
	struct dk_host_stats st0, st1;
	const struct dk_dma_finding *f;
	const char *why;
	dma_addr_t s;

	map = mmap(NULL, 2 * DK_PAGE_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(n, src && map != MAP_FAILED, "malloc or mmap failed");
	fill(src, LEN, 91);
	memset(map, 0x5a, 2 * DK_PAGE_SIZE);
	dk_dma_debug_clear();
	dk_host_get_stats(&pl, &st0);
	why = round_trip(src, map + OFF, LEN);
	dk_host_get_stats(&pl, &st1);
	REQUIRE(n, !why, "%s", why);
	REQUIRE(n, map[OFF - 1] == 0x5a && map[OFF + LEN] == 0x5a,
		"the device wrote outside the buffer");
	REQUIRE(n, st1.map_calls == st0.map_calls + 2 &&
			   st1.unmap_calls == st0.unmap_calls + 2 &&
			   st1.live == st0.live,
		"%lu MAP_DMA, %lu UNMAP_DMA, %ld live after",
		st1.map_calls - st0.map_calls, st1.unmap_calls - st0.unmap_calls,
		(long)(st1.live - st0.live));
	REQUIRE(n, !dk_dma_debug_nfindings(), "%zu findings, the first: %s",
		dk_dma_debug_nfindings(), dk_dma_debug_finding(0)->message);
	s = dma_map_single(dev, stack, sizeof(stack), DMA_TO_DEVICE);
	f = dk_dma_debug_nfindings() == 1 ? dk_dma_debug_finding(0) : NULL;
	REQUIRE(n, dma_mapping_error(dev, s), "the stack buffer was mapped");
	REQUIRE(n, f && f->check == DK_CHK_MAP_STACK &&
			   strstr(f->message, "device driver maps memory from stack"),
		"%zu findings: %s", dk_dma_debug_nfindings(),
		f ? f->message : "");
	dk_dma_debug_clear();
	munmap(map, 2 * DK_PAGE_SIZE);
	free(src);
	result(n, NULL);
}

/*
 * The same with the checker off, as a driver's hot path runs: program
 * memory then takes the dma_map_ops fast path instead of the full one,
 * so its bytes are checked again, and what the full path refuses must
 * still reach it: a vmalloc buffer (an alias outside the arena, which
 * would otherwise pass for program memory) and a stack buffer, each with
 * the full path's message.
 */
static void t_user_memory_unchecked(void)
{
	const char *n = "checker off: malloc and mmap buffers round trip, vmalloc and stack buffers refused with the full path's messages";
	enum { LEN = 1500 };
	u8 *src = malloc(LEN), *v = vmalloc(DK_PAGE_SIZE), stack[64], *map;
	char want[256];
	const char *why;
	dma_addr_t s;
	bool vok, sok;

	map = mmap(NULL, DK_PAGE_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(n, src && v && map != MAP_FAILED, "malloc, vmalloc or mmap failed");
	fill(src, LEN, 93);
	memset(stack, 1, sizeof(stack));
	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	why = round_trip(src, map, LEN);
	s = dma_map_single(dev, v, 64, DMA_TO_DEVICE);
	snprintf(want, sizeof(want), "%s: rejecting DMA map of vmalloc memory %p",
		 addr, (void *)v);
	vok = dma_mapping_error(dev, s) && !strcmp(dk_last_error(), want);
	s = dma_map_single(dev, stack, sizeof(stack), DMA_TO_DEVICE);
	snprintf(want, sizeof(want),
		 "%s: dma_map_single(%p, %zu): not linear-map RAM (stack, rodata, malloc or an uncached alias?)",
		 addr, (void *)stack, sizeof(stack));
	sok = dma_mapping_error(dev, s) && !strcmp(dk_last_error(), want);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	munmap(map, DK_PAGE_SIZE);
	vfree(v);
	free(src);
	REQUIRE(n, !why, "%s", why);
	REQUIRE(n, vok, "the vmalloc buffer: %s", dk_last_error());
	REQUIRE(n, sok, "the stack buffer: %s", dk_last_error());
	result(n, NULL);
}

/* Each DMA segment of @sgl (@n of them) between RAM and edu's buffer,
 * back to back from offset 0; the bytes moved, or -1. */
static int sg_dma(struct scatterlist *sgl, int n, bool to_ram)
{
	struct scatterlist *s;
	u32 off = 0;
	int i;

	for_each_sg(sgl, s, n, i) {
		if (edu_dma(edu, sg_dma_address(s), off, sg_dma_len(s), to_ram,
			    false))
			return -1;
		off += sg_dma_len(s);
	}
	return off;
}

/*
 * Scatterlists of program memory: three sg_set_buf() pieces of a malloc'd
 * buffer into the device, two of them whole neighbouring pages (one
 * MAP_DMA for both: the entries follow on), then back through
 * dma_map_sgtable() of a table sg_alloc_table_from_pages() built over
 * two pages of an mmap'd buffer, at an offset; bytes exact, the bytes
 * around untouched, the checker quiet.
 */
static void t_sg_user(void)
{
	const char *n = "dma_map_sg/dma_map_sgtable of malloc and mmap memory (sg_set_buf, sg_alloc_table_from_pages), bytes exact";
	enum { PG = DK_PAGE_SIZE, TAIL = 1000, OFF = 3000 };
	u8 *a = aligned_alloc(PG, 4 * PG), *m, want[3000 + TAIL];
	struct dk_host_stats st0, st1;
	struct scatterlist sg[3];
	struct page *pages[2];
	struct sg_table t;
	int nents, moved, r;

	m = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(n, a && m != MAP_FAILED, "malloc or mmap failed");
	fill(a, 4 * PG, 17);
	memset(m, 0x5a, 3 * PG);
	dk_dma_debug_clear();
	/* edu's buffer holds 4 KiB: the three pieces are 1500 + 1500 + 1000
	 * bytes, the two first at the end and start of neighbouring pages,
	 * the third a page further on. */
	sg_init_table(sg, 3);
	sg_set_buf(&sg[0], a + PG - 1500, 1500);
	sg_set_buf(&sg[1], a + PG, 1500);
	sg_set_buf(&sg[2], a + 3 * PG + 7, TAIL);
	memcpy(want, a + PG - 1500, 3000);
	memcpy(want + 3000, a + 3 * PG + 7, TAIL);
	dk_host_get_stats(&pl, &st0);
	nents = dma_map_sg(dev, sg, 3, DMA_TO_DEVICE);
	dk_host_get_stats(&pl, &st1);
	REQUIRE(n, nents > 0, "dma_map_sg: %s", dk_last_error());
	moved = sg_dma(sg, nents, false);
	dma_unmap_sg(dev, sg, 3, DMA_TO_DEVICE);
	REQUIRE(n, moved == 3000 + TAIL, "edu moved %d bytes", moved);
	REQUIRE(n, st1.map_calls - st0.map_calls == 2,
		"%lu map calls for 3 entries, 2 of them following on",
		st1.map_calls - st0.map_calls);
	/* Back: 3000 + 1000 bytes at OFF of the mmap'd buffer, over two of
	 * its pages, as a table of pages. */
	/* Physically consecutive (what the table merges by); the struct
	 * pages themselves are consecutive only inside one 2 MiB section of
	 * program memory's memmap, which an mmap may straddle. */
	pages[0] = virt_to_page(m);
	pages[1] = virt_to_page(m + PG);
	REQUIRE(n, pages[0] && pages[1] &&
			   page_to_phys(pages[1]) == page_to_phys(pages[0]) + PG,
		"virt_to_page of mmap'd pages: %p, %p", (void *)pages[0],
		(void *)pages[1]);
	r = sg_alloc_table_from_pages(&t, pages, 2, OFF, 3000 + TAIL,
				      GFP_KERNEL);
	REQUIRE(n, !r && t.orig_nents == 1, "sg_alloc_table_from_pages: %d, %u entries",
		r, r ? 0 : t.orig_nents);
	r = dma_map_sgtable(dev, &t, DMA_FROM_DEVICE, 0);
	REQUIRE(n, !r, "dma_map_sgtable: %d: %s", r, dk_last_error());
	moved = sg_dma(t.sgl, t.nents, true);
	dma_unmap_sgtable(dev, &t, DMA_FROM_DEVICE, 0);
	sg_free_table(&t);
	REQUIRE(n, moved == 3000 + TAIL, "edu moved %d bytes back", moved);
	REQUIRE(n, !memcmp(m + OFF, want, 3000 + TAIL), "the bytes differ");
	REQUIRE(n, m[OFF - 1] == 0x5a && m[OFF + 3000 + TAIL] == 0x5a,
		"the device wrote around the buffer");
	REQUIRE(n, !dk_dma_debug_nfindings(), "%zu findings, the first: %s",
		dk_dma_debug_nfindings(), dk_dma_debug_finding(0)->message);
	printf("     (%d DMA segments to the device, %lu map calls)\n", nents,
	       st1.map_calls - st0.map_calls);
	munmap(m, 3 * PG);
	free(a);
	result(n, NULL);
}

/* A 2 MiB hugepage (the guest reserves two) to the device and back,
 * across the page's middle. */
static void t_hugepage(void)
{
	const char *n = "hugepage buffer round trips (mapped on demand)";
	enum { HUGE = 2 << 20, LEN = 4000, OFF = (1 << 20) - 1000 };
	FILE *f = fopen("/proc/sys/vm/nr_hugepages", "w");
	const char *why;
	u8 *h;

	if (f) {
		fputs("2\n", f);
		fclose(f);
	}
	h = mmap(NULL, HUGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (h == MAP_FAILED) {
		printf("SKIP %s%s: no hugepage (%s)\n", tag, n, strerror(errno));
		skipped++;
		return;
	}
	fill(h + OFF, LEN, 3);
	memset(h + OFF + LEN, 0, LEN + 1);
	why = round_trip(h + OFF, h + OFF + LEN, LEN);
	REQUIRE(n, !why, "%s", why);
	REQUIRE(n, !h[OFF + 2 * LEN], "the device wrote past the transfer");
	munmap(h, HUGE);
	result(n, NULL);
}

/* Coherent memory both ways, completion by MSI through the eventfd. */
static void t_coherent_msi(void)
{
	const char *n = "dma_alloc_coherent round trip, completion by MSI";
	struct dk_host_stats st0, st1;
	unsigned int irqs = edu->irqs;
	dma_addr_t h;
	u8 *p = dma_alloc_coherent(dev, EDU_MAX_XFER, &h, GFP_KERNEL);
	u8 want[EDU_MAX_XFER];
	int r1, r2;

	REQUIRE(n, p, "dma_alloc_coherent: %s", dk_last_error());
	dk_host_get_stats(&pl, &st0);
	fill(p, EDU_MAX_XFER, 3);
	memcpy(want, p, sizeof(want));
	r1 = edu_dma(edu, h, 0, EDU_MAX_XFER, false, true);
	memset(p, 0, EDU_MAX_XFER);
	r2 = edu_dma(edu, h, 0, EDU_MAX_XFER, true, true);
	dk_host_get_stats(&pl, &st1);
	REQUIRE(n, !r1 && !r2, "edu_dma (waiting for the interrupt): %d, %d",
		r1, r2);
	REQUIRE(n, !memcmp(p, want, EDU_MAX_XFER), "bytes differ");
	REQUIRE(n, edu->irqs == irqs + 2 && edu->irq_status == 0x100 &&
			   st1.irqs == st0.irqs + 2,
		"%u interrupts to the handler (status 0x%x), %lu eventfd wakeups",
		edu->irqs - irqs, edu->irq_status, st1.irqs - st0.irqs);
	REQUIRE(n, h + EDU_MAX_XFER - 1 <= DMA_BIT_MASK(28),
		"coherent IOVA 0x%llx above 28 bits", (unsigned long long)h);
	dma_free_coherent(dev, EDU_MAX_XFER, p, h);
	result(n, NULL);
}

/*
 * No IOVA above the 28-bit mask, ever: fill the whole 28-bit space with
 * live 4 MiB mappings (over 256 MiB mapped), see each one below the mask
 * and inside VFIO's ranges, and the one that does not fit refused rather
 * than placed above.
 */
static void t_mask_full(void)
{
	const char *n = "28-bit mask: 252 MiB live, then refusal, no IOVA above 0x0fffffff";
	enum { SZ = 4 << 20, MAX = 80 };
	static dma_addr_t iova[MAX];
	u8 *buf = kmalloc(SZ, GFP_KERNEL);
	u64 total = 0, hi = 0;
	int i, k = 0, rounds;

	REQUIRE(n, buf, "kmalloc(4 MiB): %s", dk_last_error());
	for (rounds = 0; rounds < 2; rounds++) {
		for (k = 0; k < MAX; k++) {
			iova[k] = dma_map_single(dev, buf, SZ, DMA_TO_DEVICE);
			if (dma_mapping_error(dev, iova[k]))
				break;
			total += SZ;
			if (iova[k] + SZ - 1 > hi)
				hi = iova[k] + SZ - 1;
		}
		for (i = 0; i < k; i++)
			dma_unmap_single(dev, iova[i], SZ, DMA_TO_DEVICE);
		REQUIRE(n, k == 63, "round %d: %d mappings of 4 MiB fit, not 63 (%s)",
			rounds, k, dk_last_error());
	}
	kfree(buf);
	printf("     (%llu MiB mapped in all, highest IOVA 0x%llx)\n",
	       (unsigned long long)(total >> 20), (unsigned long long)hi);
	REQUIRE(n, hi <= DMA_BIT_MASK(28) && total > (256ULL << 20),
		"highest IOVA 0x%llx, %llu MiB", (unsigned long long)hi,
		(unsigned long long)(total >> 20));
	result(n, NULL);
}

/*
 * Map @len bytes of @v with @dir (and unmap them again first if
 * @unmap_first), then have edu write 64 bytes there, which the IOMMU
 * must refuse: the bytes stay as they were and it counts one fault.
 */
static void blocked_write(const char *n, size_t len, int v,
			  enum dma_data_direction dir, bool unmap_first)
{
	u8 *p = kmalloc(len, GFP_KERNEL);
	long f0, f1;
	dma_addr_t d;
	size_t i;
	int r;

	REQUIRE(n, p, "kmalloc failed");
	memset(p, v, len);
	d = dma_map_single(dev, p, len, dir);
	REQUIRE(n, !dma_mapping_error(dev, d), "map: %s", dk_last_error());
	if (unmap_first)
		dma_unmap_single(dev, d, len, dir);
	f0 = dmar_faults();
	r = edu_dma(edu, d, 0, 64, true, false);
	/* The fault interrupt comes after the DMA's completion. */
	usleep(20000);
	f1 = dmar_faults();
	if (!unmap_first)
		dma_unmap_single(dev, d, len, dir);
	REQUIRE(n, f0 >= 0, "no dmar0 line in /proc/interrupts");
	for (i = 0; i < len && p[i] == v; i++)
		;
	REQUIRE(n, i == len, "byte %zu became 0x%02x", i, p[i]);
	REQUIRE(n, !r && f1 - f0 == 1, "edu_dma %d, %ld faults", r, f1 - f0);
	kfree(p);
	result(n, NULL);
}

/*
 * A driver that sets no mask gets Linux's 32-bit default, so its IOVAs
 * sit above edu's 28 wires; a raw mapping where the clamped address lands
 * shows the device writing there: silently, no fault ("More RAM").
 */
static void t_default_mask_aliases(void)
{
	const char *n = "no mask: 32-bit default, edu clamps to 28 bits and writes elsewhere";
	/* The buffers are the new machine's: the reboot frees the old's. */
	int r = reboot(0), i;
	u8 *a = kmalloc(DK_PAGE_SIZE, GFP_KERNEL);
	u8 *b = kmalloc(DK_PAGE_SIZE, GFP_KERNEL);
	u8 *s = kmalloc(DK_PAGE_SIZE, GFP_KERNEL);
	dma_addr_t ia;
	u64 alias, low = 0x200000;
	long f0, f1;

	REQUIRE(n, a && b && s && !r, "setup: %s", dk_last_error());
	REQUIRE(n, *dev->dma_mask == DMA_BIT_MASK(32) &&
			   dev->coherent_dma_mask == DMA_BIT_MASK(32),
		"default mask 0x%llx", (unsigned long long)*dev->dma_mask);
	memset(a, 0x11, DK_PAGE_SIZE);
	memset(b, 0x22, DK_PAGE_SIZE);
	fill(s, DK_PAGE_SIZE, 9);
	ia = dma_map_single(dev, a, DK_PAGE_SIZE, DMA_FROM_DEVICE);
	REQUIRE(n, !dma_mapping_error(dev, ia) && ia > DMA_BIT_MASK(28),
		"IOVA 0x%llx under the default mask (%s)",
		(unsigned long long)ia, dk_last_error());
	alias = ia & DMA_BIT_MASK(28);
	REQUIRE(n, !dk_host_raw_map(&pl, b, alias, DK_PAGE_SIZE, 3) &&
			   !dk_host_raw_map(&pl, s, low, DK_PAGE_SIZE, 1),
		"raw map: %s", dk_last_error());
	f0 = dmar_faults();
	r = edu_dma(edu, low, 0, 64, false, false);
	if (!r)
		r = edu_dma(edu, ia, 0, 64, true, false);
	usleep(20000);
	f1 = dmar_faults();
	dk_host_raw_unmap(&pl, alias, DK_PAGE_SIZE);
	dk_host_raw_unmap(&pl, low, DK_PAGE_SIZE);
	dma_unmap_single(dev, ia, DK_PAGE_SIZE, DMA_FROM_DEVICE);
	REQUIRE(n, !r, "edu_dma %d", r);
	for (i = 0; i < 64 && a[i] == 0x11; i++)
		;
	REQUIRE(n, i == 64, "the mapped buffer got byte %d", i);
	REQUIRE(n, !memcmp(b, s, 64),
		"the buffer at IOVA 0x%llx did not get the data meant for 0x%llx",
		(unsigned long long)alias, (unsigned long long)ia);
	REQUIRE(n, f1 == f0, "%ld faults: the alias should be silent", f1 - f0);
	printf("     (IOVA 0x%llx reached 0x%llx)\n", (unsigned long long)ia,
	       (unsigned long long)alias);
	kfree(a);
	kfree(b);
	kfree(s);
	result(n, NULL);
}

/* The checker's Linux classes on real hardware. */
static void t_checker(void)
{
	const char *n = "checker on real hardware: double unmap, wrong direction, unchecked error, pending at unbind";
	u8 *p = kmalloc(512, GFP_KERNEL);
	dma_addr_t d;

	dk_dma_debug_clear();
	d = dma_map_single(dev, p, 512, DMA_TO_DEVICE);
	dma_mapping_error(dev, d);
	dma_unmap_single(dev, d, 512, DMA_TO_DEVICE);
	dma_unmap_single(dev, d, 512, DMA_TO_DEVICE);
	REQUIRE(n, dk_dma_debug_count(DK_CHK_FREE_NOT_ALLOCATED) == 1,
		"double unmap: %zu findings",
		dk_dma_debug_count(DK_CHK_FREE_NOT_ALLOCATED));
	d = dma_map_single(dev, p, 512, DMA_TO_DEVICE);
	dma_mapping_error(dev, d);
	dma_unmap_single(dev, d, 512, DMA_FROM_DEVICE);
	REQUIRE(n, dk_dma_debug_count(DK_CHK_FREE_DIR) == 1,
		"wrong direction: %zu findings",
		dk_dma_debug_count(DK_CHK_FREE_DIR));
	d = dma_map_single(dev, p, 512, DMA_TO_DEVICE);
	dma_unmap_single(dev, d, 512, DMA_TO_DEVICE);
	REQUIRE(n, dk_dma_debug_count(DK_CHK_MAP_ERR_UNCHECKED) == 1,
		"unchecked map error: %zu findings",
		dk_dma_debug_count(DK_CHK_MAP_ERR_UNCHECKED));
	d = dma_map_single(dev, p, 512, DMA_TO_DEVICE);
	dma_mapping_error(dev, d);
	driver_unregister(&edu_driver);
	REQUIRE(n, dk_dma_debug_count(DK_CHK_PENDING_AT_UNBIND) == 1,
		"pending at unbind: %zu findings",
		dk_dma_debug_count(DK_CHK_PENDING_AT_UNBIND));
	dma_unmap_single(dev, d, 512, DMA_TO_DEVICE);
	kfree(p);
	dk_dma_debug_clear();
	REQUIRE(n, !driver_register(&edu_driver) && (edu = edu_of(dev)),
		"bind again: %s", dk_last_error());
	result(n, NULL);
}

#define LIMIT_PARAM "/sys/module/vfio_iommu_type1/parameters/dma_entry_limit"

/* What a map past type1's limit says, the container full at @limit with
 * @cached regions of the mapping cache, @used of them in use. */
static void limit_msg(char *out, size_t size, unsigned long limit,
		      size_t cached, size_t used)
{
	snprintf(out, size,
		 "host: VFIO type1 holds %lu of its %lu DMA mappings (each MAP_DMA is one, whatever its size; %zu are the mapping cache's, %zu of them in use): unmap some, or raise the limit with the module parameter: modprobe vfio_iommu_type1 dma_entry_limit=N (or write N to " LIMIT_PARAM " before opening the device)",
		 limit, limit, cached, used);
}

/*
 * type1's entry limit (the guest loads vfio_iommu_type1 with a small
 * dma_entry_limit, so the test runs in moments; the default is 65535):
 * mapping past it fails with the limit and the parameter named.
 */
static void t_entry_limit(void)
{
	const char *n = "type1 dma_entry_limit: the map past it fails naming the limit";
	enum { MAXN = 70000 };
	struct dk_host_stats st;
	dma_addr_t *d = calloc(MAXN, sizeof(*d));
	u8 *p = kmalloc(DK_PAGE_SIZE, GFP_KERNEL);
	char msg[512] = "", want[512];
	int k, i;
	unsigned long live0;

	dk_host_get_stats(&pl, &st);
	REQUIRE(n, d && p && st.entry_limit && st.entry_limit < MAXN,
		"entry limit %lu", st.entry_limit);
	live0 = st.live;
	for (k = 0; k < MAXN; k++) {
		d[k] = dma_map_single(dev, p, 64, DMA_TO_DEVICE);
		if (dma_mapping_error(dev, d[k])) {
			snprintf(msg, sizeof(msg), "%s", dk_last_error());
			break;
		}
	}
	for (i = 0; i < k; i++)
		dma_unmap_single(dev, d[i], 64, DMA_TO_DEVICE);
	printf("     (limit %lu: %d maps, then \"%s\")\n", st.entry_limit, k, msg);
	REQUIRE(n, (unsigned long)k == st.entry_limit - live0,
		"%d maps fitted, limit %lu with %lu live", k, st.entry_limit,
		live0);
	limit_msg(want, sizeof(want), st.entry_limit, 0, 0);
	REQUIRE(n, !strcmp(msg, want), "message: %s", msg);
	dk_host_get_stats(&pl, &st);
	REQUIRE(n, st.live == live0, "%lu mappings left", st.live - live0);
	free(d);
	kfree(p);
	result(n, NULL);
}

static int write_sysfs(const char *path, const char *v)
{
	FILE *f = fopen(path, "w");
	int ok = f && fputs(v, f) >= 0;

	if (f && fclose(f))
		ok = 0;
	return ok ? 0 : -1;
}

/*
 * An IOMMU group that is not viable: vm-check.sh puts QEMU's pci-testdev
 * and a pci-serial behind one conventional PCI bridge, so they share a
 * group, and the serial port has its driver. The testdev bound to
 * vfio-pci cannot be opened through a type1 container, the message naming
 * the serial port, its driver and the command that unbinds it; done, it
 * opens.
 */
static void t_group_not_viable(void)
{
	const char *n = "IOMMU group not viable: the other device and its driver named, opens once unbound";
	char t[32], ser[32], drv[64], path[160], want[512], msg[512], grp[64];
	struct dk_host_opts type1 = { .backend = DK_HOST_TYPE1 };
	struct dk_platform x;
	ssize_t k;
	int r, i;

	if (dk_host_find_pci(0x1b36, 0x0005, t, sizeof(t)) ||
	    dk_host_find_pci(0x1b36, 0x0002, ser, sizeof(ser))) {
		printf("SKIP %s: no pci-testdev and pci-serial behind a bridge\n", n);
		skipped++;
		return;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", ser);
	k = readlink(path, drv, sizeof(drv) - 1);
	REQUIRE(n, k > 0, "%s has no driver", ser);
	drv[k] = 0;
	snprintf(drv, sizeof(drv), "%s", strrchr(drv, '/') ? strrchr(drv, '/') + 1 : drv);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", t);
	REQUIRE(n, !write_sysfs(path, "vfio-pci") &&
			   !write_sysfs("/sys/bus/pci/drivers_probe", t),
		"binding %s to vfio-pci failed", t);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", t);
	k = readlink(path, grp, sizeof(grp) - 1);
	REQUIRE(n, k > 0, "no iommu_group link");
	grp[k] = 0;
	r = dk_platform_host(t, &type1, &x);
	snprintf(msg, sizeof(msg), "%s", dk_last_error());
	snprintf(want, sizeof(want),
		 "host: IOMMU group %s of %s is not viable: every device in /sys/kernel/iommu_groups/%s/devices must be bound to vfio-pci (or to no driver) (%s of the group is bound to %s: echo %s > /sys/bus/pci/drivers/%s/unbind)",
		 strrchr(grp, '/') + 1, t, strrchr(grp, '/') + 1, ser, drv,
		 ser, drv);
	printf("     (%s)\n", msg);
	REQUIRE(n, r == -ENODEV && !strcmp(msg, want), "%d: %s", r, msg);
	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/unbind", drv);
	REQUIRE(n, !write_sysfs(path, ser), "unbinding %s failed", ser);
	for (i = 0, r = -1; i < 50 && r; i++) {
		r = dk_platform_host(t, &type1, &x);
		if (r)
			usleep(10000);
	}
	REQUIRE(n, !r, "after unbinding %s: %s", ser, dk_last_error());
	dk_host_close(&x);
	/* Only edu stays with vfio-pci (dmakit bench --host finds it so). */
	write_sysfs("/sys/bus/pci/drivers/vfio-pci/unbind", t);
	result(n, NULL);
}

static void t_errors(void)
{
	const char *n = "host: clear errors for a missing device and a bad address";
	struct dk_platform x;
	int r1 = dk_platform_host("0000:00:1f.7", NULL, &x);
	char m1[512];
	int r2;

	snprintf(m1, sizeof(m1), "%s", dk_last_error());
	r2 = dk_platform_host("nonsense", NULL, &x);
	REQUIRE(n, r1 == -ENODEV && strstr(m1, "no PCI device 0000:00:1f.7"),
		"%d: %s", r1, m1);
	REQUIRE(n, r2 == -EINVAL && strstr(dk_last_error(), "not a PCI address"),
		"%d: %s", r2, dk_last_error());
	result(n, NULL);
}

/*
 * The mapping cache (dk_host_opts.map_cache): after the first map has
 * mapped the arena, maps of dmakit's memory make no system call and the
 * device still reaches the right bytes, below the mask.
 */
static void t_map_cache(void)
{
	const char *n = "mapping cache: maps of arena memory make no MAP_DMA, bytes exact";
	u8 *src = kmalloc(1000, GFP_KERNEL), *dst = kzalloc(1000, GFP_KERNEL);
	struct dk_host_stats st0, st1;
	dma_addr_t s, d, w;
	int r1, r2;

	REQUIRE(n, src && dst, "kmalloc failed");
	w = dma_map_single(dev, src, 8, DMA_TO_DEVICE);
	REQUIRE(n, !dma_mapping_error(dev, w), "map: %s", dk_last_error());
	dma_unmap_single(dev, w, 8, DMA_TO_DEVICE);
	dk_host_get_stats(&pl, &st0);
	fill(src, 1000, 77);
	s = dma_map_single(dev, src, 1000, DMA_TO_DEVICE);
	d = dma_map_single(dev, dst, 1000, DMA_FROM_DEVICE);
	REQUIRE(n, !dma_mapping_error(dev, s) && !dma_mapping_error(dev, d),
		"map: %s", dk_last_error());
	r1 = edu_dma(edu, s, 0, 1000, false, false);
	r2 = edu_dma(edu, d, 0, 1000, true, false);
	dma_unmap_single(dev, s, 1000, DMA_TO_DEVICE);
	dma_unmap_single(dev, d, 1000, DMA_FROM_DEVICE);
	dk_host_get_stats(&pl, &st1);
	REQUIRE(n, !r1 && !r2 && !memcmp(src, dst, 1000),
		"edu_dma %d, %d, or the bytes differ", r1, r2);
	REQUIRE(n, st1.map_calls == st0.map_calls &&
			   st1.unmap_calls == st0.unmap_calls &&
			   st1.cache_hits >= st0.cache_hits + 2,
		"%lu MAP_DMA, %lu UNMAP_DMA, %lu hits", st1.map_calls - st0.map_calls,
		st1.unmap_calls - st0.unmap_calls, st1.cache_hits - st0.cache_hits);
	REQUIRE(n, s + 999 <= DMA_BIT_MASK(28) && d + 999 <= DMA_BIT_MASK(28),
		"IOVAs 0x%llx, 0x%llx above 28 bits", (unsigned long long)s,
		(unsigned long long)d);
	kfree(src);
	kfree(dst);
	result(n, NULL);
}

/* @src to the device and @dst from it, @len bytes each: 0, or -ENOMEM
 * with neither mapped. */
static int map_pair(u8 *src, u8 *dst, u32 len, dma_addr_t *s, dma_addr_t *d)
{
	*s = dma_map_single(dev, src, len, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, *s))
		return -ENOMEM;
	*d = dma_map_single(dev, dst, len, DMA_FROM_DEVICE);
	if (!dma_mapping_error(dev, *d))
		return 0;
	dma_unmap_single(dev, *s, len, DMA_TO_DEVICE);
	return -ENOMEM;
}

/*
 * The mapping cache for program memory: the first map of a malloc'd
 * buffer maps its pages (one MAP_DMA), its unmap keeps them, and the
 * maps after it make no system call; the device reaches the right bytes.
 * The buffers are page-aligned, a page each of which LEN bytes are used
 * (aligned_alloc wants a size that is a multiple of the alignment): one
 * that shares a page with a cached region and reaches beyond it is
 * mapped the ordinary way.
 */
static void t_user_cache(void)
{
	const char *n = "mapping cache: a second map of malloc'd memory makes no system call, bytes exact";
	enum { LEN = 2000 };
	u8 *src = aligned_alloc(DK_PAGE_SIZE, DK_PAGE_SIZE);
	u8 *dst = aligned_alloc(DK_PAGE_SIZE, DK_PAGE_SIZE);
	struct dk_host_stats st0, st1, st2;
	dma_addr_t s, d;
	int r1, r2;

	REQUIRE(n, src && dst, "malloc failed");
	fill(src, LEN, 5);
	memset(dst, 0, LEN);
	dk_host_get_stats(&pl, &st0);
	REQUIRE(n, !map_pair(src, dst, LEN, &s, &d), "first map: %s",
		dk_last_error());
	dma_unmap_single(dev, s, LEN, DMA_TO_DEVICE);
	dma_unmap_single(dev, d, LEN, DMA_FROM_DEVICE);
	dk_host_get_stats(&pl, &st1);
	s = dma_map_single(dev, src, LEN, DMA_TO_DEVICE);
	d = dma_map_single(dev, dst, LEN, DMA_FROM_DEVICE);
	REQUIRE(n, !dma_mapping_error(dev, s) && !dma_mapping_error(dev, d),
		"second map: %s", dk_last_error());
	r1 = edu_dma(edu, s, 0, LEN, false, false);
	r2 = edu_dma(edu, d, 0, LEN, true, false);
	dma_unmap_single(dev, s, LEN, DMA_TO_DEVICE);
	dma_unmap_single(dev, d, LEN, DMA_FROM_DEVICE);
	dk_host_get_stats(&pl, &st2);
	REQUIRE(n, !r1 && !r2 && !memcmp(src, dst, LEN),
		"edu_dma %d, %d, or the bytes differ", r1, r2);
	REQUIRE(n, st1.map_calls == st0.map_calls + 2 &&
			   st1.unmap_calls == st0.unmap_calls,
		"first maps: %lu MAP_DMA, %lu UNMAP_DMA",
		st1.map_calls - st0.map_calls, st1.unmap_calls - st0.unmap_calls);
	REQUIRE(n, st2.map_calls == st1.map_calls &&
			   st2.unmap_calls == st1.unmap_calls &&
			   st2.cache_hits >= st1.cache_hits + 2,
		"second maps: %lu MAP_DMA, %lu UNMAP_DMA, %lu hits",
		st2.map_calls - st1.map_calls, st2.unmap_calls - st1.unmap_calls,
		st2.cache_hits - st1.cache_hits);
	REQUIRE(n, s + LEN - 1 <= DMA_BIT_MASK(28) && d + LEN - 1 <= DMA_BIT_MASK(28),
		"IOVAs 0x%llx, 0x%llx above 28 bits", (unsigned long long)s,
		(unsigned long long)d);
	free(src);
	free(dst);
	result(n, NULL);
}

/*
 * @len bytes at IOVA @s into edu and back into a fresh kmalloc buffer:
 * what the device read there, in @back; 0 or why not.
 */
static int device_read(dma_addr_t s, u8 *back, u32 len)
{
	dma_addr_t d;
	int r;

	/* Before the map: once mapped the buffer is the device's (the
	 * ASan build's poisoning stops a CPU store there). */
	memset(back, 0, len);
	d = dma_map_single(dev, back, len, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, d))
		return -ENOMEM;
	r = edu_dma(edu, s, 0, len, false, false);
	if (!r)
		r = edu_dma(edu, d, 0, len, true, false);
	dma_unmap_single(dev, d, len, DMA_FROM_DEVICE);
	return r;
}

/*
 * Map @q (@len bytes) for the device, have edu read it back through
 * device_read(), unmap: 0 if the device read @q's bytes, -ENOMEM if the
 * map failed (dk_last_error() says why), -EIO if it read others, or
 * edu_dma()'s error.
 */
static int device_reads_buffer(u8 *q, u8 *back, u32 len)
{
	dma_addr_t s = dma_map_single(dev, q, len, DMA_TO_DEVICE);
	int r;

	if (dma_mapping_error(dev, s))
		return -ENOMEM;
	r = device_read(s, back, len);
	dma_unmap_single(dev, s, len, DMA_TO_DEVICE);
	return r ? r : memcmp(back, q, len) ? -EIO : 0;
}

/*
 * type1's limit with the mapping cache (this phase's container was
 * opened with dma_entry_limit 64): cached regions of program memory fill
 * it, and each map past it evicts the least recently used region no map
 * uses, the bytes exact; with every entry in use the map fails naming the
 * limit, the count and the module parameter.
 */
static void t_cache_evict(void)
{
	const char *n = "mapping cache at type1's limit: unused regions evicted (LRU), then the exact error with all in use";
	enum { NP = 80, LEN = 64 };
	size_t pg = DK_PAGE_SIZE;
	u8 *m = mmap(NULL, NP * pg, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	u8 *back = kmalloc(LEN, GFP_KERNEL);
	struct dk_host_stats st0, st1, st2;
	static dma_addr_t d[NP];
	char msg[512], want[512];
	unsigned long room;
	int i, k, r;

	REQUIRE(n, m != MAP_FAILED && back, "mmap or kmalloc failed");
	dk_host_get_stats(&pl, &st0);
	room = st0.entry_limit - st0.live;
	REQUIRE(n, st0.entry_limit == 64 && room > 8 && room < NP - 8,
		"limit %lu with %lu live", st0.entry_limit, st0.live);
	for (i = 0; i < NP; i++) {
		fill(m + i * pg, LEN, i);
		d[i] = dma_map_single(dev, m + i * pg, LEN, DMA_TO_DEVICE);
		REQUIRE(n, !dma_mapping_error(dev, d[i]), "map of page %d: %s",
			i, dk_last_error());
		dma_unmap_single(dev, d[i], LEN, DMA_TO_DEVICE);
	}
	dk_host_get_stats(&pl, &st1);
	printf("     (limit 64, %lu free at the start: %lu MAP_DMA calls, %lu evictions for %d pages)\n",
	       room, st1.map_calls - st0.map_calls,
	       st1.evictions - st0.evictions, NP);
	/* Each eviction follows a MAP_DMA that type1 refused. */
	REQUIRE(n, st1.map_calls - st0.map_calls == NP + NP - room &&
			   st1.evictions - st0.evictions == NP - room &&
			   st1.unmap_calls - st0.unmap_calls == NP - room &&
			   st1.live == 64,
		"%lu MAP_DMA, %lu evictions, %lu UNMAP_DMA, %lu live",
		st1.map_calls - st0.map_calls, st1.evictions - st0.evictions,
		st1.unmap_calls - st0.unmap_calls, st1.live);
	/* The last page is still cached (a hit), the first was evicted
	 * (mapped anew, evicting another) and the device reads it exactly. */
	for (k = 0; k < 2; k++) {
		int p = k ? 0 : NP - 1;
		dma_addr_t s = dma_map_single(dev, m + p * pg, LEN, DMA_TO_DEVICE);

		REQUIRE(n, !dma_mapping_error(dev, s), "map: %s", dk_last_error());
		r = k ? device_read(s, back, LEN) : 0;
		dma_unmap_single(dev, s, LEN, DMA_TO_DEVICE);
		REQUIRE(n, !r && (!k || !memcmp(back, m, LEN)),
			"page 0: edu_dma %d or the bytes differ", r);
	}
	dk_host_get_stats(&pl, &st2);
	REQUIRE(n, st2.map_calls - st1.map_calls == 2 &&
			   st2.evictions - st1.evictions == 1 &&
			   st2.cache_hits - st1.cache_hits >= 1,
		"again: %lu MAP_DMA, %lu evictions, %lu hits",
		st2.map_calls - st1.map_calls, st2.evictions - st1.evictions,
		st2.cache_hits - st1.cache_hits);
	/* Every page mapped and kept: the map that finds no entry and no
	 * unused region fails. */
	for (k = 0; k < NP; k++) {
		d[k] = dma_map_single(dev, m + k * pg, LEN, DMA_TO_DEVICE);
		if (dma_mapping_error(dev, d[k]))
			break;
	}
	snprintf(msg, sizeof(msg), "%s", dk_last_error());
	for (i = 0; i < k; i++)
		dma_unmap_single(dev, d[i], LEN, DMA_TO_DEVICE);
	printf("     (%d maps live, then \"%s\")\n", k, msg);
	limit_msg(want, sizeof(want), 64, k, k);
	REQUIRE(n, k < NP && (unsigned long)k >= room - 2 && !strcmp(msg, want),
		"%d maps, then: %s", k, msg);
	munmap(m, NP * pg);
	kfree(back);
	result(n, NULL);
}

/*
 * The arena's window (map_cache): once the arena is mapped, maps of its
 * memory are hits at a fixed offset with no system call. Two mappings of
 * one page, the first unmapped while the second lives: the device then
 * writes through the second and reads through a third, the bytes exact,
 * no fault, every IOVA below the mask. @fast: with the checker off, so
 * that the maps and unmaps are the front end's window fast path (with
 * it on, the full path reaches the window through iommu-dma).
 */
static void t_window(bool fast)
{
	const char *n = fast ? "mapping cache, checker off: arena hits through the front end's window path, bytes exact, an unmap keeps the page's other mapping" :
			       "mapping cache: arena hits through its window, bytes exact, an unmap keeps the page's other mapping";
	enum { LEN = 1024, GAP = 2048 };
	u8 *p = kmalloc(DK_PAGE_SIZE, GFP_KERNEL), *q = p + GAP, want[LEN];
	struct dk_host_stats st0, st1;
	long f0 = dmar_faults(), f1;
	dma_addr_t a, b, c;
	int r1, r2;

	REQUIRE(n, p && (uintptr_t)p % DK_PAGE_SIZE == 0,
		"kmalloc of a page: %p", (void *)p);
	fill(p, LEN, 9);
	memset(q, 0, LEN);
	dk_host_get_stats(&pl, &st0);
	if (fast)
		dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	r1 = map_pair(p, q, LEN, &a, &b);
	if (!r1) {
		dma_unmap_single(dev, a, LEN, DMA_TO_DEVICE);
		c = dma_map_single(dev, p, LEN, DMA_TO_DEVICE);
		r1 = dma_mapping_error(dev, c);
		if (r1)
			dma_unmap_single(dev, b, LEN, DMA_FROM_DEVICE);
	}
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	REQUIRE(n, !r1, "map: %s", dk_last_error());
	r1 = edu_dma(edu, c, 0, LEN, false, false);
	r2 = edu_dma(edu, b, 0, LEN, true, false);
	if (fast)
		dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	dma_unmap_single(dev, c, LEN, DMA_TO_DEVICE);
	dma_unmap_single(dev, b, LEN, DMA_FROM_DEVICE);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	dk_host_get_stats(&pl, &st1);
	f1 = dmar_faults();
	fill(want, LEN, 9);
	REQUIRE(n, !r1 && !r2 && !memcmp(q, want, LEN),
		"edu_dma %d, %d, or the bytes differ", r1, r2);
	REQUIRE(n, b == a + GAP && c == a && b + LEN - 1 <= DMA_BIT_MASK(28),
		"IOVAs 0x%llx, 0x%llx, 0x%llx", (unsigned long long)a,
		(unsigned long long)b, (unsigned long long)c);
	REQUIRE(n, st1.map_calls == st0.map_calls &&
			   st1.unmap_calls == st0.unmap_calls &&
			   st1.cache_hits == st0.cache_hits + 3 && f1 == f0,
		"%lu MAP_DMA, %lu UNMAP_DMA, %lu hits, %ld faults",
		st1.map_calls - st0.map_calls, st1.unmap_calls - st0.unmap_calls,
		st1.cache_hits - st0.cache_hits, f1 - f0);
	kfree(p);
	result(n, NULL);
}

/*
 * type1's limit (64 here) with an arena buffer and a malloc'd page
 * mapped and live: maps of NP more pages evict only regions no map uses,
 * and the device then reads both live buffers exactly, with no fault.
 * The checker off, so the arena's maps are the front end's window path.
 */
static void t_evict_spares_live(void)
{
	const char *n = "mapping cache at type1's limit: evictions spare the pages live maps use, bytes exact";
	enum { NP = 80, LEN = 128 };
	size_t pg = DK_PAGE_SIZE;
	u8 *k = kmalloc(LEN, GFP_KERNEL), *back = kmalloc(LEN, GFP_KERNEL);
	u8 *u = mmap(NULL, pg, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	u8 *m = mmap(NULL, NP * pg, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	u8 want_k[LEN], want_u[LEN];
	struct dk_host_stats st0, st1;
	long f0 = dmar_faults(), f1;
	dma_addr_t a, b, d;
	int i, r1, r2;

	REQUIRE(n, k && back && u != MAP_FAILED && m != MAP_FAILED,
		"kmalloc or mmap failed");
	fill(k, LEN, 41);
	fill(u, LEN, 42);
	fill(want_k, LEN, 41);
	fill(want_u, LEN, 42);
	dk_host_get_stats(&pl, &st0);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	a = dma_map_single(dev, k, LEN, DMA_TO_DEVICE);
	b = dma_map_single(dev, u, LEN, DMA_TO_DEVICE);
	r1 = dma_mapping_error(dev, a) || dma_mapping_error(dev, b);
	for (i = 0; i < NP && !r1; i++) {
		d = dma_map_single(dev, m + i * pg, LEN, DMA_TO_DEVICE);
		r1 = dma_mapping_error(dev, d);
		if (!r1)
			dma_unmap_single(dev, d, LEN, DMA_TO_DEVICE);
	}
	dk_host_get_stats(&pl, &st1);
	r2 = r1;
	if (!r1) {
		r1 = device_read(a, back, LEN);
		r1 = r1 ? r1 : memcmp(back, want_k, LEN) ? -EIO : 0;
		r2 = device_read(b, back, LEN);
		r2 = r2 ? r2 : memcmp(back, want_u, LEN) ? -EIO : 0;
	}
	f1 = dmar_faults();
	if (!dma_mapping_error(dev, a))
		dma_unmap_single(dev, a, LEN, DMA_TO_DEVICE);
	if (!dma_mapping_error(dev, b))
		dma_unmap_single(dev, b, LEN, DMA_TO_DEVICE);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	printf("     (%lu evictions for %d pages with 2 maps live)\n",
	       st1.evictions - st0.evictions, NP);
	REQUIRE(n, !r1 && !r2 && f1 == f0,
		"arena buffer %d, malloc'd page %d, %ld faults (%s)", r1, r2,
		f1 - f0, dk_last_error());
	REQUIRE(n, st1.evictions - st0.evictions >= NP && st1.live <= 64,
		"%lu evictions, %lu live", st1.evictions - st0.evictions,
		st1.live);
	munmap(m, NP * pg);
	munmap(u, pg);
	kfree(k);
	kfree(back);
	result(n, NULL);
}

/* Unmap the page at @p and map a new one there: the address the same,
 * the page another (the program freed memory and got it back). */
static u8 *remap_anew(u8 *p)
{
	munmap(p, DK_PAGE_SIZE);
	return mmap(p, DK_PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

/*
 * A cached region whose memory was unmapped and mapped anew at the same
 * address (new pages) is not served: the page frames differ, the region
 * is evicted, and the device reads the new bytes, not the old pages.
 */
static void t_cache_stale(void)
{
	const char *n = "mapping cache: memory unmapped and mapped anew at the same address is detected, the device reads the new bytes";
	enum { LEN = 256 };
	u8 *p = mmap(NULL, DK_PAGE_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q;
	u8 *back = kmalloc(LEN, GFP_KERNEL);
	struct dk_host_stats st0, st1;
	dma_addr_t s;
	int i, r;

	REQUIRE(n, p != MAP_FAILED && back, "mmap or kmalloc failed");
	fill(p, LEN, 1);
	for (i = 0; i < 2; i++) {
		s = dma_map_single(dev, p, LEN, DMA_TO_DEVICE);
		REQUIRE(n, !dma_mapping_error(dev, s), "map: %s", dk_last_error());
		dma_unmap_single(dev, s, LEN, DMA_TO_DEVICE);
	}
	q = remap_anew(p);
	REQUIRE(n, q == p, "mmap at %p: %p", (void *)p, (void *)q);
	fill(q, LEN, 2);
	dk_host_get_stats(&pl, &st0);
	r = device_reads_buffer(q, back, LEN);
	dk_host_get_stats(&pl, &st1);
	REQUIRE(n, !r, "round trip %d (0x%02x, want 0x%02x): %s", r, back[0],
		q[0], dk_last_error());
	REQUIRE(n, st1.stale - st0.stale == 1 &&
			   st1.evictions - st0.evictions == 1 &&
			   st1.map_calls - st0.map_calls == 1 &&
			   st1.unmap_calls - st0.unmap_calls == 2,
		"%lu stale, %lu evictions, %lu MAP_DMA, %lu UNMAP_DMA",
		st1.stale - st0.stale, st1.evictions - st0.evictions,
		st1.map_calls - st0.map_calls, st1.unmap_calls - st0.unmap_calls);
	munmap(q, DK_PAGE_SIZE);
	kfree(back);
	result(n, NULL);
}

/*
 * Registered program memory (dk_host_mem_register()): a hit makes no
 * system call, not even the page-frame check; unregistering it while a
 * map is live is refused; unregistered, its region is unmapped at once,
 * and memory mapped anew at the address reaches the device with its own
 * bytes.
 */
static void t_registered(void)
{
	const char *n = "registered program memory: hits with no system call, unregister unmaps at once, the address reused maps anew";
	enum { LEN = 512 };
	u8 *p = mmap(NULL, DK_PAGE_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q;
	u8 *back = kmalloc(LEN, GFP_KERNEL), want_bytes[LEN];
	struct dk_host_stats st0, st1, st2;
	char want[160];
	dma_addr_t s;
	int r, r2;

	REQUIRE(n, p != MAP_FAILED && back, "mmap or kmalloc failed");
	fill(p, LEN, 31);
	r = dk_host_mem_register(&pl, p, LEN);
	REQUIRE(n, !r, "register: %d: %s", r, dk_last_error());
	s = dma_map_single(dev, p, LEN, DMA_TO_DEVICE);
	REQUIRE(n, !dma_mapping_error(dev, s), "map: %s", dk_last_error());
	dma_unmap_single(dev, s, LEN, DMA_TO_DEVICE);
	dk_host_get_stats(&pl, &st0);
	s = dma_map_single(dev, p, LEN, DMA_TO_DEVICE);
	REQUIRE(n, !dma_mapping_error(dev, s), "map: %s", dk_last_error());
	r = device_read(s, back, LEN);
	dk_host_get_stats(&pl, &st1);
	/* Against a copy: @p is the device's while mapped. */
	fill(want_bytes, LEN, 31);
	REQUIRE(n, !r && !memcmp(back, want_bytes, LEN),
		"edu_dma %d or the bytes differ", r);
	REQUIRE(n, st1.map_calls == st0.map_calls &&
			   st1.unmap_calls == st0.unmap_calls &&
			   st1.frame_checks == st0.frame_checks &&
			   st1.cache_hits > st0.cache_hits,
		"a hit: %lu MAP_DMA, %lu UNMAP_DMA, %lu page-frame checks",
		st1.map_calls - st0.map_calls, st1.unmap_calls - st0.unmap_calls,
		st1.frame_checks - st0.frame_checks);
	r = dk_host_mem_unregister(&pl, p, LEN);
	snprintf(want, sizeof(want),
		 "dk_host_mem_unregister(%p, %d): DMA mappings of it are live: unmap them first",
		 (void *)p, LEN);
	REQUIRE(n, r == -EBUSY && !strcmp(dk_last_error(), want),
		"unregister while mapped: %d: %s", r, dk_last_error());
	dma_unmap_single(dev, s, LEN, DMA_TO_DEVICE);
	r = dk_host_mem_unregister(&pl, p, LEN);
	r2 = dk_host_mem_unregister(&pl, p, LEN);
	dk_host_get_stats(&pl, &st2);
	REQUIRE(n, !r && r2 == -ENOENT, "unregister: %d, again: %d", r, r2);
	REQUIRE(n, st2.unmap_calls == st1.unmap_calls + 1 &&
			   st2.live == st1.live - 1,
		"unregister: %lu UNMAP_DMA, %ld live", st2.unmap_calls - st1.unmap_calls,
		(long)(st2.live - st1.live));
	q = remap_anew(p);
	REQUIRE(n, q == p, "mmap at %p: %p", (void *)p, (void *)q);
	fill(q, LEN, 32);
	dk_clear_error();
	r = device_reads_buffer(q, back, LEN);
	dk_host_get_stats(&pl, &st1);
	REQUIRE(n, !r, "round trip %d (0x%02x, want 0x%02x): %s", r, back[0],
		q[0], dk_last_error());
	/* The region unregister unmapped goes with no second unmap: one
	 * map and one unmap, the buffer's own. */
	REQUIRE(n, st1.map_calls == st2.map_calls + 1 &&
			   st1.unmap_calls == st2.unmap_calls + 1 &&
			   !*dk_last_error(),
		"the address reused: %lu map calls, %lu unmap calls (%s)",
		st1.map_calls - st2.map_calls, st1.unmap_calls - st2.unmap_calls,
		dk_last_error());
	munmap(q, DK_PAGE_SIZE);
	kfree(back);
	result(n, NULL);
}

/*
 * A platform opened with dk_host_opts.intx: edu's completion interrupt
 * arrives through the INTx pin (the guest's vfio-intx line counts it, its
 * MSI line does not) and the handler runs once per DMA, the line unmasked
 * after each; and edu has no reset, which is refused with -ENOTTY.
 */
static void t_intx_reset(void)
{
	const char *n = "INTx (no MSI) delivered to request_irq's handler; reset refused with -ENOTTY (edu has none)";
	char want[256], line[64];
	struct dk_host_stats st0, st1;
	unsigned int irqs = edu->irqs;
	long x0, x1, m0, m1;
	dma_addr_t h;
	u8 *p = dma_alloc_coherent(dev, 512, &h, GFP_KERNEL), back[512];
	int r1, r2, r;

	REQUIRE(n, p, "dma_alloc_coherent: %s", dk_last_error());
	snprintf(line, sizeof(line), "vfio-intx(%s)", addr);
	dk_host_get_stats(&pl, &st0);
	x0 = proc_interrupts(line);
	m0 = proc_interrupts("vfio-msi");
	fill(p, 512, 21);
	memcpy(back, p, 512);
	r1 = edu_dma(edu, h, 0, 512, false, true);
	memset(p, 0, 512);
	r2 = edu_dma(edu, h, 0, 512, true, true);
	x1 = proc_interrupts(line);
	m1 = proc_interrupts("vfio-msi");
	dk_host_get_stats(&pl, &st1);
	REQUIRE(n, !r1 && !r2 && !memcmp(p, back, 512),
		"edu_dma (waiting for the interrupt): %d, %d, or the bytes differ",
		r1, r2);
	REQUIRE(n, st1.irq && !strcmp(st1.irq, "INTx"), "interrupt by %s",
		st1.irq ? st1.irq : "nothing");
	REQUIRE(n, edu->irqs == irqs + 2 && st1.irqs == st0.irqs + 2 &&
			   x0 >= 0 && x1 == x0 + 2 && m1 == m0,
		"%u to the handler, %lu eventfd wakeups, %ld on %s, %ld on MSI",
		edu->irqs - irqs, st1.irqs - st0.irqs, x1 - x0, line, m1 - m0);
	dma_free_coherent(dev, 512, p, h);
	r = dk_host_reset(&pl);
	snprintf(want, sizeof(want),
		 "host: %s cannot be reset: VFIO knows no way for this device (no function-level reset, no power-management reset, no bus reset it would not share); reinitialise it through its registers instead",
		 addr);
	REQUIRE(n, r == -ENOTTY && !strcmp(dk_last_error(), want),
		"reset: %d: %s", r, dk_last_error());
	REQUIRE(n, edu_invert(edu, 5) == ~5u, "edu is not answering after the refusal");
	result(n, NULL);
}

/* Set type1's dma_entry_limit for containers opened from now on. */
static void set_entry_limit(unsigned long v)
{
	FILE *f = fopen(LIMIT_PARAM, "w");

	if (f) {
		fprintf(f, "%lu\n", v);
		fclose(f);
	}
}

/*
 * The preconditions, met one by one as an administrator would: the
 * device is not bound to vfio-pci yet (the guest's init leaves that to
 * this test), then an unprivileged user has no permission on the group,
 * then one with the permission has too low a memlock limit.
 */
static int open_as_nobody_with(enum dk_host_backend be, int *err, char *msg,
			       size_t size, bool low_memlock)
{
	int pfd[2], st;
	pid_t pid;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (!pid) {
		struct rlimit rl = { 64 << 10, 64 << 10 };
		struct dk_host_opts ho = { .backend = be };
		struct dk_platform x;
		int r;

		close(pfd[0]);
		if (low_memlock)
			setrlimit(RLIMIT_MEMLOCK, &rl);
		if (setgid(65534) || setuid(65534))
			_exit(2);
		r = dk_platform_host(addr, &ho, &x);
		if (write(pfd[1], &r, sizeof(r)) != sizeof(r) ||
		    write(pfd[1], dk_last_error(), strlen(dk_last_error()) + 1) < 0)
			_exit(3);
		_exit(0);
	}
	close(pfd[1]);
	memset(msg, 0, size);
	if (pid < 0 || read(pfd[0], err, sizeof(*err)) != sizeof(*err) ||
	    read(pfd[0], msg, size - 1) < 0) {
		close(pfd[0]);
		return -1;
	}
	close(pfd[0]);
	waitpid(pid, &st, 0);
	return 0;
}

static int open_as_nobody(int *err, char *msg, size_t size, bool low_memlock)
{
	return open_as_nobody_with(DK_HOST_AUTO, err, msg, size, low_memlock);
}

static void t_preconditions(void)
{
	const char *n = "preconditions named with their fix: not bound, no permission, memlock";
	char want[128], msg[1024], grp[64], path[300];
	struct dk_platform x;
	int r, i, err;
	ssize_t k;
	FILE *f;

	r = dk_platform_host(addr, NULL, &x);
	snprintf(want, sizeof(want), "echo %04x %04x > /sys/bus/pci/drivers/vfio-pci/new_id",
		 EDU_VENDOR, EDU_DEVICE);
	REQUIRE(n, r == -ENODEV && strstr(dk_last_error(), "not vfio-pci") &&
			   strstr(dk_last_error(), want),
		"unbound: %d: %s", r, dk_last_error());
	printf("     (%s)\n", dk_last_error());
	/* Do what the message says. */
	f = fopen("/sys/bus/pci/drivers/vfio-pci/new_id", "w");
	REQUIRE(n, f && fprintf(f, "%04x %04x\n", EDU_VENDOR, EDU_DEVICE) > 0 &&
			   !fclose(f), "cannot write new_id");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", addr);
	k = readlink(path, msg, sizeof(msg) - 1);
	REQUIRE(n, k > 0, "no iommu_group link");
	msg[k] = 0;
	snprintf(grp, sizeof(grp), "/dev/vfio/%s", strrchr(msg, '/') + 1);
	for (i = 0; i < 200 && access(grp, F_OK); i++)
		usleep(10000);
	REQUIRE(n, !access(grp, F_OK), "%s did not appear", grp);
	REQUIRE(n, !open_as_nobody(&err, msg, sizeof(msg), false) &&
			   err == -EACCES && strstr(msg, grp),
		"unprivileged: %d: %s", err, msg);
	printf("     (%s)\n", msg);
	chmod(grp, 0666);
	r = open_as_nobody(&err, msg, sizeof(msg), true);
	chmod(grp, 0600);
	REQUIRE(n, !r && err == -ENOMEM &&
			   strstr(msg, "RLIMIT_MEMLOCK is 64 KiB") &&
			   strstr(msg, "ulimit -l"),
		"low memlock: %d: %s", err, msg);
	printf("     (%s)\n", msg);
	result(n, NULL);
}

/*
 * iommufd has no dma_entry_limit: more live mappings than type1's default
 * limit of 65535, each its own IOAS_MAP (the checker off, as a driver's
 * hot path would run it; a 32-bit mask, as 28 bits hold only 65536
 * pages).
 */
static void t_many_mappings(void)
{
	const char *n = "more than 65535 live mappings (type1's default dma_entry_limit), each its own IOAS_MAP";
	enum { MAXN = 65535 + 100 };
	dma_addr_t *d = calloc(MAXN, sizeof(*d));
	struct dk_host_stats st0, st1, st2;
	u8 *p;
	int k, i;

	REQUIRE(n, d && !reboot(32), "setup: %s", dk_last_error());
	p = kmalloc(DK_PAGE_SIZE, GFP_KERNEL);
	REQUIRE(n, p, "kmalloc failed");
	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	dk_host_get_stats(&pl, &st0);
	for (k = 0; k < MAXN; k++) {
		d[k] = dma_map_single(dev, p, 64, DMA_TO_DEVICE);
		if (dma_mapping_error(dev, d[k]))
			break;
	}
	dk_host_get_stats(&pl, &st1);
	for (i = 0; i < k; i++)
		dma_unmap_single(dev, d[i], 64, DMA_TO_DEVICE);
	dk_host_get_stats(&pl, &st2);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	printf("     (%d live mappings, %lu IOAS_MAP calls; entry limit %lu)\n",
	       k, st1.map_calls - st0.map_calls, st1.entry_limit);
	REQUIRE(n, k == MAXN, "map %d failed: %s", k, dk_last_error());
	REQUIRE(n, st1.live - st0.live == MAXN &&
			   st1.map_calls - st0.map_calls == MAXN && !st1.entry_limit,
		"%lu live, %lu map calls, limit %lu", st1.live - st0.live,
		st1.map_calls - st0.map_calls, st1.entry_limit);
	REQUIRE(n, st2.live == st0.live && st2.unmap_calls - st1.unmap_calls == MAXN,
		"%lu left live, %lu unmap calls", st2.live - st0.live,
		st2.unmap_calls - st1.unmap_calls);
	kfree(p);
	free(d);
	result(n, NULL);
}

/* The device's cdev, from sysfs: 0, or -1. */
static int cdev_path(char *out, size_t size)
{
	char dir[160];
	struct dirent *e;
	DIR *d;
	int r = -1;

	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s/vfio-dev", addr);
	d = opendir(dir);
	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, "vfio", 4)) {
			snprintf(out, size, "/dev/vfio/devices/%s", e->d_name);
			r = 0;
			break;
		}
	if (d)
		closedir(d);
	return r;
}

/* A forced iommufd names the file it may not open: /dev/iommu, then,
 * with that one opened up, the device's cdev; with both, an unprivileged
 * user meets the memlock limit, as through type1. */
static void t_iommufd_permission(void)
{
	const char *n = "forced iommufd unprivileged: /dev/iommu, the device cdev, then memlock named";
	char msg[1024], cdev[300];
	struct stat sb, sc;
	int r, err;

	REQUIRE(n, !stat("/dev/iommu", &sb), "no /dev/iommu: %s", strerror(errno));
	r = open_as_nobody_with(DK_HOST_IOMMUFD, &err, msg, sizeof(msg), false);
	REQUIRE(n, !r && err == -EACCES && strstr(msg, "/dev/iommu"),
		"no permission on /dev/iommu: %d: %s", err, msg);
	printf("     (%s)\n", msg);
	chmod("/dev/iommu", 0666);
	r = open_as_nobody_with(DK_HOST_IOMMUFD, &err, msg, sizeof(msg), false);
	REQUIRE(n, !r && err == -EACCES && strstr(msg, "/dev/vfio/devices/vfio"),
		"no permission on the cdev: %d: %s", err, msg);
	printf("     (%s)\n", msg);
	REQUIRE(n, !cdev_path(cdev, sizeof(cdev)) && !stat(cdev, &sc),
		"no cdev for %s", addr);
	chmod(cdev, 0666);
	r = open_as_nobody_with(DK_HOST_IOMMUFD, &err, msg, sizeof(msg), true);
	chmod(cdev, sc.st_mode & 07777);
	chmod("/dev/iommu", sb.st_mode & 07777);
	REQUIRE(n, !r && err == -ENOMEM &&
			   strstr(msg, "RLIMIT_MEMLOCK is 64 KiB"),
		"low memlock: %d: %s", err, msg);
	result(n, NULL);
}

/* Left to dmakit, root gets iommufd; DMAKIT_HOST_BACKEND overrides
 * that choice, and only that one. */
static void t_auto_choice(void)
{
	const char *n = "auto takes iommufd when usable, DMAKIT_HOST_BACKEND=type1 forces type1";
	struct dk_host_opts ho = { .backend = DK_HOST_IOMMUFD };
	const char *got[3] = { "", "", "" };
	struct dk_host_stats st;
	struct dk_platform x;
	int i;

	for (i = 0; i < 3; i++) {
		if (i)
			setenv("DMAKIT_HOST_BACKEND", "type1", 1);
		if (!dk_platform_host(addr, i == 2 ? &ho : NULL, &x)) {
			dk_host_get_stats(&x, &st);
			got[i] = st.backend;
			dk_host_close(&x);
		}
	}
	unsetenv("DMAKIT_HOST_BACKEND");
	REQUIRE(n, !strcmp(got[0], "iommufd") && !strcmp(got[1], "type1") &&
			   !strcmp(got[2], "iommufd"),
		"auto: \"%s\", with the variable: \"%s\", forced iommufd with it: \"%s\" (%s)",
		got[0], got[1], got[2], dk_last_error());
	result(n, NULL);
}

/* On a kernel without iommufd, forcing it is an error that says so. */
static void t_iommufd_missing(void)
{
	const char *n = "forced iommufd on a kernel without it names CONFIG_IOMMUFD";
	struct dk_host_opts ho = { .backend = DK_HOST_IOMMUFD };
	struct dk_platform x;
	int r = dk_platform_host(addr, &ho, &x);

	if (!r)
		dk_host_close(&x);
	REQUIRE(n, r == -EOPNOTSUPP && strstr(dk_last_error(), "CONFIG_IOMMUFD") &&
			   strstr(dk_last_error(), "/dev/iommu"),
		"%d: %s", r, dk_last_error());
	printf("     (%s)\n", dk_last_error());
	result(n, NULL);
}

/* The ranges the backend reported are what the IOVA allocator gets: on
 * x86 they leave the MSI window out (the whole space would mean they
 * were never read). */
static void t_ranges(void)
{
	const char *n = "IOVA ranges read from VFIO, the MSI window 0xfee00000-0xfeefffff left out";
	char list[512] = "";
	size_t len = 0;
	u64 st, end;
	int i;

	for (i = 0; !pl.ops->iommu_range(pl.ctx, NULL, i, &st, &end); i++) {
		if (len < sizeof(list))
			len += snprintf(list + len, sizeof(list) - len,
					"%s0x%llx-0x%llx", i ? ", " : "",
					(unsigned long long)st,
					(unsigned long long)end);
		REQUIRE(n, end < 0xfee00000ULL || st > 0xfeefffffULL,
			"range 0x%llx-0x%llx covers the MSI window",
			(unsigned long long)st, (unsigned long long)end);
	}
	printf("     (%s)\n", list);
	REQUIRE(n, i >= 2, "%d range(s): %s", i, list);
	result(n, NULL);
}

/* Every test of a backend, on a platform opened with it forced. */
static void backend_tests(enum dk_host_backend be)
{
	static const char *const names[] = { [DK_HOST_TYPE1] = "type1",
					     [DK_HOST_IOMMUFD] = "iommufd" };
	struct dk_host_opts ho = { .backend = be };
	struct dk_host_stats st;
	char n[96];

	snprintf(n, sizeof(n), "open the edu device through VFIO (%s)",
		 names[be]);
	if (!addr[0] || dk_platform_host(addr, &ho, &pl)) {
		result(n, "%s", dk_last_error());
		return;
	}
	dk_host_get_stats(&pl, &st);
	if (strcmp(st.backend, names[be])) {
		result(n, "opened through %s", st.backend);
		goto close;
	}
	result(n, NULL);
	t_ranges();
	t_no_msix(&pl, addr);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	if (reboot(28) && !dev) {
		result("boot a machine on the host platform", "%s", dk_last_error());
		goto close;
	}
	t_probe();
	if (edu) {
		t_single();
		t_sg();
		t_user_memory();
		t_user_memory_unchecked();
		t_sg_user();
		t_hugepage();
		t_coherent_msi();
		t_mask_full();
		blocked_write("DMA after unmap: memory untouched, one IOMMU fault",
			      256, 0xaa, DMA_FROM_DEVICE, true);
		blocked_write("TO_DEVICE mapping blocks a device write (one fault)",
			      128, 0x55, DMA_TO_DEVICE, false);
		t_default_mask_aliases();
		if (reboot(28))
			result("boot again with the 28-bit mask", "%s",
			       dk_last_error());
	}
	if (edu) {
		t_checker();
		if (be == DK_HOST_TYPE1)
			t_entry_limit();
		else
			t_many_mappings();
	}
	dk_machine_shutdown(mach);
	mach = NULL;
	dk_host_close(&pl);
	if (edu) {
		ho.map_cache = true;
		/* type1 phase: a small limit, so eviction is quick to reach. */
		if (be == DK_HOST_TYPE1)
			set_entry_limit(64);
		if (dk_platform_host(addr, &ho, &pl) || reboot(28)) {
			result("reopen with the mapping cache", "%s",
			       dk_last_error());
			goto close;
		}
		t_map_cache();
		t_window(false);
		t_window(true);
		t_user_cache();
		if (be == DK_HOST_TYPE1) {
			t_cache_evict();
			t_evict_spares_live();
		}
		t_cache_stale();
		t_registered();
		dk_machine_shutdown(mach);
		mach = NULL;
		dk_host_close(&pl);
		ho.map_cache = false;
		ho.intx = true;
		if (dk_platform_host(addr, &ho, &pl) || reboot(28)) {
			result("reopen with INTx", "%s", dk_last_error());
			goto close;
		}
		t_intx_reset();
	}
close:
	dk_machine_shutdown(mach);
	mach = NULL;
	dk_host_close(&pl);
	if (be == DK_HOST_TYPE1)
		set_entry_limit(st.entry_limit);
	t_msix(be);
}

/* The reason vm-check.sh booted a kernel without iommufd, or NULL. */
static const char *iommufd_skip(void)
{
	static char why[512];
	FILE *f = fopen("/iommufd-skip", "r");

	if (!f)
		return NULL;
	if (!fgets(why, sizeof(why), f))
		snprintf(why, sizeof(why), "the guest kernel has no iommufd");
	fclose(f);
	why[strcspn(why, "\n")] = 0;
	return why;
}

int main(int argc, char **argv)
{
	const char *skip;

	setvbuf(stdout, NULL, _IOLBF, 0);
	lap();
	if (argc > 1 && !strcmp(argv[1], "--no-iommu")) {
		/* vm-check's second boot, without the IOMMU. */
		if (dk_host_find_pci(EDU_VENDOR, EDU_DEVICE, addr, sizeof(addr)))
			result("no IOMMU: find edu", "%s", dk_last_error());
		else
			t_no_iommu_group(addr);
		printf("%d passed, %d failed, %d skipped\n", passed, failed,
		       skipped);
		return failed ? 1 : 0;
	}
	if (argc > 1)
		snprintf(addr, sizeof(addr), "%s", argv[1]);
	else if (dk_host_find_pci(EDU_VENDOR, EDU_DEVICE, addr, sizeof(addr)))
		addr[0] = 0;
	if (addr[0])
		t_preconditions();
	backend_tests(DK_HOST_TYPE1);
	t_errors();
	t_group_not_viable();
	t_group_outside_iommu();
	skip = iommufd_skip();
	if (skip && addr[0]) {
		t_iommufd_missing();
		printf("SKIP iommufd backend: %s\n", skip);
		skipped++;
	} else if (addr[0]) {
		t_iommufd_permission();
		t_auto_choice();
		tag = "iommufd: ";
		backend_tests(DK_HOST_IOMMUFD);
		tag = "";
	}
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
