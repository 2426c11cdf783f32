// SPDX-License-Identifier: MIT
/*
 * Coherent, write-combine, non-coherent, pages and noncontiguous DMA
 * allocations; where their memory comes from (per-device pool, CMA, pages
 * below the coherent mask); user mappings; dma_declare_coherent_memory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>
#include <dmakit/vmalloc.h>

#include "harness.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <2>; #size-cells = <2>;\n"
	"	dmakit { dma-minalign = <128>; eviction-policy = \"adversarial\"; };\n"
	"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x10000000>; };\n"
	"	memory@100000000 { device_type = \"memory\"; reg = <1 0 0 0x10000000>; };\n"
	"	reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"		cma { compatible = \"shared-dma-pool\"; reusable; linux,cma-default;\n"
	"			reg = <0 0x88000000 0 0x1000000>; };\n"
	"		vpu_cma: vpu { compatible = \"shared-dma-pool\"; reusable;\n"
	"			reg = <0 0x8a000000 0 0x400000>; };\n"
	"		pool: pool@8c000000 { compatible = \"shared-dma-pool\"; no-map;\n"
	"			reg = <0 0x8c000000 0 0x10000>; };\n"
	"	};\n"
	"	soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"		nc { compatible = \"dmakit,generic-master\"; };\n"
	"		coh { compatible = \"dmakit,generic-master\"; dma-coherent; };\n"
	"		pooled { compatible = \"dmakit,generic-master\"; memory-region = <&pool>; };\n"
	"		vpu { compatible = \"dmakit,generic-master\"; memory-region = <&vpu_cma>; };\n"
	"	};\n"
	"};\n";

struct rig {
	struct testmachine t;
	struct device *nc, *coh, *pooled, *vpu;
	struct dk_simdev *snc, *scoh, *spooled;
};

static struct rig rig(void)
{
	struct rig r = { .t = testmachine_boot(tree, NULL, NULL) };

	r.nc = dk_machine_find_device(r.t.m, "nc");
	r.coh = dk_machine_find_device(r.t.m, "coh");
	r.pooled = dk_machine_find_device(r.t.m, "pooled");
	r.vpu = dk_machine_find_device(r.t.m, "vpu");
	r.snc = dk_soc_find_dev(r.t.soc, "nc");
	r.scoh = dk_soc_find_dev(r.t.soc, "coh");
	r.spooled = dk_soc_find_dev(r.t.soc, "pooled");
	return r;
}

static bool all(const u8 *p, int v, size_t n)
{
	while (n--)
		if (*p++ != (u8)v)
			return false;
	return true;
}

static int host_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	int c, n = 0;

	if (!f)
		return -1;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/*
 * Uncached aliases come from windows mapped once per bank: allocations
 * add no host mapping, each keeps an address of its own, the same pages
 * allocated again get another window's address (a stale pointer then
 * points into a poisoned range), and a freed alias is no SoC address.
 */
TEST(dma_alloc_coherent_aliases_come_from_windows)
{
	struct rig r = rig();
	dma_addr_t h[16], h1, h2;
	void *p[16], *p1, *p2;
	phys_addr_t pa;
	int i, before;

	p1 = dma_alloc_coherent(r.nc, 4096, &h1, GFP_KERNEL);
	CHECK(p1 != NULL);
	dma_free_coherent(r.nc, 4096, p1, h1);
	before = host_mappings();
	for (i = 0; i < 16; i++) {
		p[i] = dma_alloc_coherent(r.nc, 8192, &h[i], GFP_KERNEL);
		CHECK(p[i] != NULL);
	}
	CHECK_EQ(host_mappings(), before);
	for (i = 0; i < 16; i++) {
		CHECK_EQ(dk_sim_virt_to_phys(r.t.soc, (u8 *)p[i] + 4100, &pa), 0);
		CHECK_EQ(pa, h[i] + 4100);
		CHECK(!dk_sim_is_cacheable(r.t.soc, p[i]));
		dma_free_coherent(r.nc, 8192, p[i], h[i]);
	}
	p2 = dma_alloc_coherent(r.nc, 4096, &h2, GFP_KERNEL);
	CHECK_EQ(h2, h1);		/* the same pages ... */
	CHECK(p2 != p1);		/* ... at another address */
	CHECK_EQ(dk_sim_virt_to_phys(r.t.soc, p1, &pa), -EFAULT);
	dma_free_coherent(r.nc, 4096, p2, h2);
	CHECK_EQ(dk_sim_virt_to_phys(r.t.soc, p2, &pa), -EFAULT);
	CHECK_EQ(dk_sim_unmap_alias(r.t.soc, p2), -EINVAL);
	testmachine_shutdown(&r.t);
}

/* A freed alias is poisoned for ASan while its SoC lives; once the SoC
 * is gone its windows are too, and the next mmap of the program's may
 * land there: no poison may outlive them. */
TEST(dma_alloc_coherent_freed_aliases_leave_no_poison_behind)
{
	struct rig r = rig();
	dma_addr_t h;
	u8 *p = dma_alloc_coherent(r.nc, 8192, &h, GFP_KERNEL);

	CHECK(p != NULL);
	dma_free_coherent(r.nc, 8192, p, h);
#ifdef TEST_ASAN
	CHECK(__asan_address_is_poisoned(p + 4100));
#endif
	testmachine_shutdown(&r.t);
#ifdef TEST_ASAN
	CHECK(!__asan_address_is_poisoned(p + 4100));
	CHECK(!__asan_address_is_poisoned(p));
#endif
}

TEST(dma_alloc_coherent_noncoherent_device_uses_uncached_alias)
{
	struct rig r = rig();
	dma_addr_t h;
	u8 *p = dma_alloc_coherent(r.nc, 3000, &h, GFP_KERNEL), in[64], got[64];

	CHECK(p != NULL);
	CHECK(all(p, 0, 4096));			/* zeroed, whole page */
	CHECK_EQ(h % 4096, 0);
	CHECK(h + 3000 <= DMA_BIT_MASK(32));	/* default coherent mask */
	CHECK(!dk_sim_is_cacheable(r.t.soc, p));
	/* No syncs: CPU and device see each other at once. */
	memset(p, 0x42, 64);
	dk_dev_dma_read(r.snc, h, got, 64);
	CHECK(all(got, 0x42, 64));
	memset(in, 0x24, 64);
	dk_dev_dma_write(r.snc, h + 128, in, 64);
	CHECK(all(p + 128, 0x24, 64));
	dma_free_coherent(r.nc, 3000, p, h);
	testmachine_shutdown(&r.t);
}

TEST(dma_alloc_coherent_coherent_device_is_cacheable)
{
	struct rig r = rig();
	dma_addr_t h;
	u8 *p = dma_alloc_coherent(r.coh, 4096, &h, GFP_KERNEL), got[16];

	CHECK(dk_sim_is_cacheable(r.t.soc, p));
	CHECK_EQ(virt_to_phys(p), h);
	memset(p, 0x31, 16);			/* dirty in the cache */
	dk_dev_dma_read(r.scoh, h, got, 16);	/* snooped */
	CHECK(all(got, 0x31, 16));
	dma_free_coherent(r.coh, 4096, p, h);
	testmachine_shutdown(&r.t);
}

TEST(dma_alloc_sources_pool_cma_pages)
{
	struct rig r = rig();
	dma_addr_t h1, h2, h3, h4;
	void *a = dma_alloc_coherent(r.pooled, 8192, &h1, GFP_KERNEL);
	void *b = dma_alloc_coherent(r.nc, 64 * 1024, &h2, GFP_KERNEL);
	void *c = dma_alloc_coherent(r.nc, 100, &h3, GFP_KERNEL);
	void *d = dma_alloc_coherent(r.vpu, 8192, &h4, GFP_KERNEL);
	void *e;

	/* memory-region no-map: the device's own pool. */
	CHECK(h1 >= 0x8c000000 && h1 < 0x8c010000);
	/* Multi-page: the default CMA area; aligned to its order. */
	CHECK(h2 >= 0x88000000 && h2 < 0x89000000);
	CHECK_EQ(h2 % (64 * 1024), 0);
	/* One page: the page allocator, not CMA, not the pools. */
	CHECK(h3 < 0x88000000);
	/* memory-region reusable: that device's CMA area. */
	CHECK(h4 >= 0x8a000000 && h4 < 0x8a400000);
	/* The pool is exclusive to its device and runs out. */
	e = dma_alloc_coherent(r.pooled, 64 * 1024, &h1, GFP_KERNEL);
	CHECK(e == NULL);
	CHECK_STR(dk_last_error(), "its coherent pool has no 16 free pages");
	dma_free_coherent(r.pooled, 8192, a, 0x8c000000);
	dma_free_coherent(r.nc, 64 * 1024, b, h2);
	dma_free_coherent(r.nc, 100, c, h3);
	dma_free_coherent(r.vpu, 8192, d, h4);
	testmachine_shutdown(&r.t);
}

TEST(dma_alloc_attrs_write_combine_and_no_kernel_mapping)
{
	struct rig r = rig();
	struct vm_area_struct vma = { .vm_end = 8192 };
	dma_addr_t h;
	u8 *wc = dma_alloc_wc(r.nc, 4096, &h, GFP_KERNEL), in[32];
	void *cookie;
	u8 *user;

	CHECK(wc && !dk_sim_is_cacheable(r.t.soc, wc));
	dma_free_wc(r.nc, 4096, wc, h);
	cookie = dma_alloc_attrs(r.nc, 8192, &h, GFP_KERNEL,
				 DMA_ATTR_NO_KERNEL_MAPPING);
	CHECK(cookie != NULL);
	CHECK(cookie == (void *)phys_to_page(h));	/* a struct page */
	/* Only user space sees it. */
	CHECK_EQ(dma_mmap_attrs(r.nc, &vma, cookie, h, 8192,
				DMA_ATTR_NO_KERNEL_MAPPING), 0);
	user = (u8 *)vma.vm_start;
	memset(in, 0x6b, sizeof(in));
	dk_dev_dma_write(r.snc, h + 4096, in, sizeof(in));
	CHECK(all(user + 4096, 0x6b, sizeof(in)));
	CHECK_EQ(dk_munmap(&vma), 0);
	dma_free_attrs(r.nc, 8192, cookie, h, DMA_ATTR_NO_KERNEL_MAPPING);
	testmachine_shutdown(&r.t);
}

TEST(dma_mmap_coherent_view_sees_device_writes)
{
	struct rig r = rig();
	struct vm_area_struct vma = { .vm_end = 4096, .vm_pgoff = 1 };
	dma_addr_t h;
	u8 *p = dma_alloc_coherent(r.nc, 3 * 4096, &h, GFP_KERNEL), in[100];
	u8 *u;

	memset(in, 0x5c, sizeof(in));
	CHECK_EQ(dma_mmap_coherent(r.nc, &vma, p, h, 3 * 4096), 0);
	u = (u8 *)vma.vm_start;
	dk_dev_dma_write(r.snc, h + 4096 + 10, in, sizeof(in));
	CHECK(all(u + 10, 0x5c, sizeof(in)));	/* page 1 of the buffer */
	u[500] = 0x99;
	CHECK_EQ(p[4096 + 500], 0x99);		/* same memory as the CPU's */
	CHECK_EQ(dk_munmap(&vma), 0);
	/* A window past the end of the buffer. */
	vma = (struct vm_area_struct){ .vm_end = 8192, .vm_pgoff = 2 };
	CHECK_EQ(dma_mmap_coherent(r.nc, &vma, p, h, 3 * 4096), -ENXIO);
	CHECK_EQ(dma_mmap_coherent(r.nc, &vma, in, h, 4096), -EINVAL);
	dma_free_coherent(r.nc, 3 * 4096, p, h);
	testmachine_shutdown(&r.t);
}

TEST(dma_get_sgtable_describes_allocation)
{
	struct rig r = rig();
	struct sg_table sgt;
	dma_addr_t h;
	void *p = dma_alloc_coherent(r.nc, 5000, &h, GFP_KERNEL);

	CHECK_EQ(dma_get_sgtable(r.nc, &sgt, p, h, 5000), 0);
	CHECK_EQ(sgt.orig_nents, 1);
	CHECK_EQ(sg_phys(sgt.sgl), h);
	CHECK_EQ(sgt.sgl->length, 8192);
	sg_free_table(&sgt);
	dma_free_coherent(r.nc, 5000, p, h);
	testmachine_shutdown(&r.t);
}

TEST(dma_alloc_noncoherent_needs_syncs)
{
	struct rig r = rig();
	dma_addr_t h;
	u8 *p = dma_alloc_noncoherent(r.nc, 4096, &h, DMA_FROM_DEVICE,
				      GFP_KERNEL), in[64];

	CHECK(dk_sim_is_cacheable(r.t.soc, p));
	memset(in, 0x3e, sizeof(in));
	dma_sync_single_for_device(r.nc, h, 4096, DMA_FROM_DEVICE);
	dk_dev_dma_write(r.snc, h, in, sizeof(in));
	dk_sim_peek(in, p, 64);
	CHECK(all(in, 0, 64));			/* stale until synced */
	dma_sync_single_for_cpu(r.nc, h, 4096, DMA_FROM_DEVICE);
	CHECK(all(p, 0x3e, 64));
	dma_free_noncoherent(r.nc, 4096, p, h, DMA_FROM_DEVICE);
	testmachine_shutdown(&r.t);
}

TEST(dma_alloc_pages_and_noncontiguous)
{
	struct rig r = rig();
	struct vm_area_struct vma = { .vm_end = 4096 };
	dma_addr_t h;
	struct page *pg = dma_alloc_pages(r.nc, 4096, &h, DMA_BIDIRECTIONAL,
					  GFP_KERNEL);
	struct sg_table *sgt;
	u8 *v, in[16];

	CHECK_EQ(page_to_phys(pg), h);
	CHECK_EQ(dma_mmap_pages(r.nc, &vma, 4096, pg), 0);
	((u8 *)vma.vm_start)[7] = 0x17;
	CHECK_EQ(((u8 *)page_address(pg))[7], 0x17);	/* cached view */
	dk_munmap(&vma);
	dma_free_pages(r.nc, 4096, pg, h, DMA_BIDIRECTIONAL);

	sgt = dma_alloc_noncontiguous(r.nc, 3 * 4096, DMA_FROM_DEVICE,
				      GFP_KERNEL, 0);
	CHECK(sgt && sgt->nents == 1);
	v = dma_vmap_noncontiguous(r.nc, 3 * 4096, sgt);
	memset(in, 0x4d, sizeof(in));
	dma_sync_sgtable_for_device(r.nc, sgt, DMA_FROM_DEVICE);
	dk_dev_dma_write(r.snc, sg_dma_address(sgt->sgl) + 8192, in, 16);
	dma_sync_sgtable_for_cpu(r.nc, sgt, DMA_FROM_DEVICE);
	CHECK(all(v + 8192, 0x4d, 16));
	dma_vunmap_noncontiguous(r.nc, v);
	dma_free_noncontiguous(r.nc, 3 * 4096, sgt, DMA_FROM_DEVICE);
	testmachine_shutdown(&r.t);
}

TEST(dma_declare_coherent_memory_pool)
{
	struct rig r = rig();
	dma_addr_t h;
	void *p, *q;

	/* Device sees the declared RAM at bus address 0x40000000. */
	CHECK_EQ(dma_declare_coherent_memory(r.nc, 0x100000000ULL, 0x40000000,
					     0x4000), 0);
	CHECK_EQ(dma_declare_coherent_memory(r.nc, 0x100010000ULL, 0, 0x4000),
		 -EBUSY);
	p = dma_alloc_coherent(r.nc, 4096, &h, GFP_KERNEL);
	CHECK_EQ(h, 0x40000000);
	/* Not exclusive: when it is full, the default CMA area serves. */
	q = dma_alloc_coherent(r.nc, 0x4000, &h, GFP_KERNEL);
	CHECK(q && h >= 0x88000000 && h < 0x89000000);
	dma_free_coherent(r.nc, 0x4000, q, h);
	dk_dma_declare_exclusive(r.nc, true);
	CHECK(!dma_alloc_coherent(r.nc, 0x4000, &h, GFP_KERNEL));
	dma_free_coherent(r.nc, 4096, p, 0x40000000);
	dma_release_coherent_memory(r.nc);
	/* Pages in use cannot be declared; unaligned ranges neither. */
	CHECK_EQ(dma_declare_coherent_memory(r.nc, 0x80000000, 0, 0x1000),
		 -EINVAL);
	CHECK_EQ(dma_declare_coherent_memory(r.nc, 0x100000100ULL, 0, 0x1000),
		 -EINVAL);
	testmachine_shutdown(&r.t);
}

TEST(dma_alloc_bad_arguments_and_double_free)
{
	struct rig r = rig();
	dma_addr_t h;
	void *p;

	CHECK(!dma_alloc_coherent(NULL, 4096, &h, GFP_KERNEL));
	CHECK_STR(dk_last_error(), "NULL device");
	CHECK(!dma_alloc_coherent(r.nc, 0, &h, GFP_KERNEL));
	CHECK_STR(dk_last_error(), "dma_alloc_attrs: size 0");
	CHECK(!dma_alloc_coherent(r.nc, SIZE_MAX, &h, GFP_KERNEL));
	CHECK_STR(dk_last_error(), "is too large to round up to a page");
	CHECK(!dma_alloc_coherent(r.nc, 4096, NULL, GFP_KERNEL));
	CHECK_STR(dk_last_error(), "dma_alloc_attrs: dma_handle is NULL: pass a dma_addr_t *");
	CHECK(!dma_alloc_coherent(r.nc, 1UL << 40, &h,
				  GFP_KERNEL));		/* no such RAM */
	p = dma_alloc_coherent(r.nc, 4096, &h, GFP_KERNEL);
	dma_free_coherent(r.nc, 4096, p, h);
	dma_free_coherent(r.nc, 4096, p, h);	/* reported, harmless */
	dma_free_coherent(r.nc, 4096, NULL, h);
	/* A 24-bit coherent mask reaches no RAM. */
	CHECK_EQ(dma_set_coherent_mask(r.nc, DMA_BIT_MASK(24)), -EIO);
	testmachine_shutdown(&r.t);
}

/* The user-space view from another process, through a file descriptor. */
TEST(dma_mmap_fd_shares_with_another_process)
{
	struct rig r = rig();
	dma_addr_t h;
	u8 *p = dma_alloc_coherent(r.nc, 8192, &h, GFP_KERNEL), got[16];
	int fd, status = -1;
	u64 off;
	pid_t pid;

	CHECK_EQ(dk_dma_mmap_fd(r.nc, p, h, 0, &fd, &off), 0);
	CHECK_EQ(dk_dma_mmap_fd(r.nc, got, h, 0, &fd, &off), -EINVAL);
	pid = fork();
	if (pid == 0) {
		u8 *u = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED,
			     fd, off);

		if (u == MAP_FAILED)
			dk_test_child_exit(2);
		memset(u + 4096, 0x7a, 16);	/* the other process writes */
		dk_test_child_exit(u[0] == 0 ? 0 : 3);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fd);
	/* The device and this process see what the other one wrote. */
	dk_dev_dma_read(r.snc, h + 4096, got, 16);
	CHECK(all(got, 0x7a, 16));
	CHECK(all(p + 4096, 0x7a, 16));
	dma_free_coherent(r.nc, 8192, p, h);
	testmachine_shutdown(&r.t);
}

/* A CMA area at physical 0 with no limit, and one at an odd page:
 * allocations come from them, aligned in physical terms. */
TEST(dma_cma_area_at_zero_and_absolute_alignment)
{
	static const char t2[] =
		"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
		"memory@0 { device_type = \"memory\"; reg = <0 0 0 0x4000000>; };\n"
		"reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;\n"
		"	cma0: cma@0 { compatible = \"shared-dma-pool\"; reusable; reg = <0 0 0 0x100000>; };\n"
		"	odd: odd@201000 { compatible = \"shared-dma-pool\"; reusable; reg = <0 0x201000 0 0x100000>; }; };\n"
		"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
		"	a { compatible = \"dmakit,generic-master\"; memory-region = <&cma0>; };\n"
		"	b { compatible = \"dmakit,generic-master\"; memory-region = <&odd>; }; };\n"
		"};\n";
	struct testmachine t = testmachine_boot(t2, NULL, NULL);
	struct device *a = dk_machine_find_device(t.m, "a");
	struct device *b = dk_machine_find_device(t.m, "b");
	dma_addr_t ha, hb;
	void *pa, *pb;

	dma_set_mask_and_coherent(a, DMA_BIT_MASK(64));
	pa = dma_alloc_coherent(a, 8192, &ha, GFP_KERNEL);
	CHECK(pa && ha < 0x100000);		/* from the area at 0 */
	pb = dma_alloc_coherent(b, 16384, &hb, GFP_KERNEL);
	CHECK(pb && hb >= 0x201000 && hb < 0x301000);
	CHECK_EQ(hb % 16384, 0);		/* aligned in physical terms */
	dma_free_coherent(a, 8192, pa, ha);
	dma_free_coherent(b, 16384, pb, hb);
	testmachine_shutdown(&t);
}

/* dma-api.rst's sequence for a vmapped noncontiguous allocation, on the
 * linear address the direct backend hands out: silent and exact. */
TEST(dma_noncontiguous_vmap_range_calls_on_linear_address)
{
	struct rig r = rig();
	struct sg_table *sgt = dma_alloc_noncontiguous(r.nc, 2 * 4096,
						       DMA_BIDIRECTIONAL,
						       GFP_KERNEL, 0);
	u8 *v = sgt ? dma_vmap_noncontiguous(r.nc, 2 * 4096, sgt) : NULL;
	u8 out[64], in[64], got[64], *heap = malloc(64);
	struct capture c;
	char log[512];

	CHECK(v != NULL);
	memset(out, 0x21, sizeof(out));
	memset(in, 0x7e, sizeof(in));
	c = capture_start();
	memcpy(v + 4096, out, sizeof(out));
	flush_kernel_vmap_range(v, 2 * 4096);
	dma_sync_sgtable_for_device(r.nc, sgt, DMA_BIDIRECTIONAL);
	CHECK_EQ(dk_dev_dma_read(r.snc, sg_dma_address(sgt->sgl) + 4096, got,
				 sizeof(got)), 0);
	CHECK_MEM(got, out, sizeof(out));
	CHECK_EQ(dk_dev_dma_write(r.snc, sg_dma_address(sgt->sgl) + 64, in,
				  sizeof(in)), 0);
	dma_sync_sgtable_for_cpu(r.nc, sgt, DMA_BIDIRECTIONAL);
	invalidate_kernel_vmap_range(v, 2 * 4096);
	CHECK_MEM(v + 64, in, sizeof(in));
	capture_end(&c, log, sizeof(log));
	CHECK_EQ(log[0], 0);

	/* Memory that is no kernel mapping at all is still a bug. */
	c = capture_start();
	flush_kernel_vmap_range(heap, 64);
	capture_end(&c, log, sizeof(log));
	CHECK_STR(log, "BUG: flush_kernel_vmap_range(");
	CHECK_STR(log, "): not a kernel address");
	free(heap);
	dma_vunmap_noncontiguous(r.nc, v);
	dma_free_noncontiguous(r.nc, 2 * 4096, sgt, DMA_BIDIRECTIONAL);
	testmachine_shutdown(&r.t);
}
