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
 *   vm-guest-tests [PCI-ADDRESS]     (default: the first 1234:11e8)
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

#include "../../drivers/edu/edu.h"

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

static void result(const char *name, const char *fmt, ...)
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

#define REQUIRE(name, cond, ...)                      \
	do {                                          \
		if (!(cond)) {                        \
			result(name, __VA_ARGS__);    \
			return;                       \
		}                                     \
	} while (0)

/* Fault interrupts of the emulated IOMMU so far (the dmar0 line). */
static long dmar_faults(void)
{
	char line[512];
	long n = -1;
	FILE *f = fopen("/proc/interrupts", "r");

	while (f && fgets(line, sizeof(line), f)) {
		char *p, *end;

		if (!strstr(line, "dmar0"))
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
	u8 *a = kmalloc(DK_PAGE_SIZE, GFP_KERNEL);
	u8 *b = kmalloc(DK_PAGE_SIZE, GFP_KERNEL);
	u8 *s = kmalloc(DK_PAGE_SIZE, GFP_KERNEL);
	dma_addr_t ia;
	u64 alias, low = 0x200000;
	long f0, f1;
	int r, i;

	REQUIRE(n, a && b && s && !reboot(0), "setup: %s", dk_last_error());
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
	char msg[512] = "";
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
	REQUIRE(n, strstr(msg, "dma_entry_limit") &&
			   strstr(msg, "limit of"),
		"message: %s", msg);
	dk_host_get_stats(&pl, &st);
	REQUIRE(n, st.live == live0, "%lu mappings left", st.live - live0);
	free(d);
	kfree(p);
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

/*
 * The mapping cache for program memory: the first map of a malloc'd
 * buffer maps its pages (one MAP_DMA), its unmap keeps them, and the
 * maps after it make no system call; the device reaches the right bytes.
 * The buffers are page-aligned: one that shares a page with a cached
 * region and reaches beyond it is mapped the ordinary way.
 */
static void t_user_cache(void)
{
	const char *n = "mapping cache: a second map of malloc'd memory makes no system call, bytes exact";
	enum { LEN = 2000 };
	u8 *src = aligned_alloc(DK_PAGE_SIZE, LEN);
	u8 *dst = aligned_alloc(DK_PAGE_SIZE, LEN);
	struct dk_host_stats st0, st1, st2;
	dma_addr_t s, d;
	int r1, r2;

	REQUIRE(n, src && dst, "malloc failed");
	fill(src, LEN, 5);
	memset(dst, 0, LEN);
	dk_host_get_stats(&pl, &st0);
	s = dma_map_single(dev, src, LEN, DMA_TO_DEVICE);
	d = dma_map_single(dev, dst, LEN, DMA_FROM_DEVICE);
	REQUIRE(n, !dma_mapping_error(dev, s) && !dma_mapping_error(dev, d),
		"first map: %s", dk_last_error());
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
		if (dk_platform_host(addr, &ho, &pl) || reboot(28)) {
			result("reopen with the mapping cache", "%s",
			       dk_last_error());
			goto close;
		}
		t_map_cache();
		t_user_cache();
	}
close:
	dk_machine_shutdown(mach);
	mach = NULL;
	dk_host_close(&pl);
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
	if (argc > 1)
		snprintf(addr, sizeof(addr), "%s", argv[1]);
	else if (dk_host_find_pci(EDU_VENDOR, EDU_DEVICE, addr, sizeof(addr)))
		addr[0] = 0;
	if (addr[0])
		t_preconditions();
	backend_tests(DK_HOST_TYPE1);
	t_errors();
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
