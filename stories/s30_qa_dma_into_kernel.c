// SPDX-License-Identifier: MIT
/*
 * The Q&A thread "Linux kernel device driver to DMA into kernel space":
 * a kmalloc buffer is the right memory, but the device gets its address
 * from dma_map_single(), not virt_to_bus(), and the driver reads the data
 * through the kmalloc address only after dma_unmap_single() (Q1-Q3). And
 * for Q4, getting the data to a user program: copy_to_user() from the
 * kernel buffer, a dma_mmap_coherent() mapping, or DMA straight into the
 * program's pinned pages; "mmap the kmalloc memory" does not work.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/dma-legacy.h>
#include <dmakit/mm.h>
#include <dmakit/scatterlist.h>

#include "story.h"

#define DEV "master@10010000"
#define LEN 2048

/* ---- Q1-Q3: kmalloc, dma_map_single, read after unmap */

static int run_read(struct story_env *env)
{
	struct device *dev = story_dev(env, DEV);
	struct dk_simdev *sd = story_simdev(env, DEV);
	u8 *addr = kmalloc(LEN, GFP_KERNEL), data[LEN];
	dma_addr_t bus;

	if (!addr)
		return -ENOMEM;
	memset(addr, 0, LEN);		/* the driver's own initialisation */
	story_fill(data, LEN, 130);
	if (env->fixed) {
		bus = dma_map_single(dev, addr, LEN, DMA_FROM_DEVICE);
		if (dma_mapping_error(dev, bus))
			return -ENOMEM;
	} else {
		bus = virt_to_bus(addr);
	}
	dk_dev_dma_write(sd, bus, data, LEN);	/* the transfer */
	if (env->fixed)
		dma_unmap_single(dev, bus, LEN, DMA_FROM_DEVICE);
	story_say(env, "printk(\"test result : 0x%%08x\\n\", addr[0]) prints 0x%02x%02x%02x%02x",
		  addr[3], addr[2], addr[1], addr[0]);
	env->data_ok = story_check(addr, LEN, 130);
	snprintf(env->note, sizeof(env->note),
		 "%zu of %d bytes read through the kmalloc address are not what the device wrote",
		 story_diff(addr, LEN, 130), LEN);
	kfree(addr);
	return 0;
}

const struct story story_qa_kmalloc_read = {
	.name = "qa-kmalloc-dma-read",
	.title = "DMA into kmalloc memory and read it",
	.from = &story_thread_dma_into_kernel,
	.slide = "Q3: When the DMA transfer is complete, can I read the data in the kernel driver via the kmalloc address?",
	.bug = "gives the device virt_to_bus(addr) and reads addr[0] when the transfer is done: the CPU still sees its cache",
	.fix = "dma_map_single() before the transfer, dma_unmap_single() after it, then read through the kmalloc address",
	.bug_code =
		"addr = kmalloc(2048, GFP_KERNEL);\n"
		"bus = virt_to_bus(addr);\n"
		"start_dma(bus, 2048);\n"
		"wait_for_completion(&done);\n"
		"printk(\"%08x\\n\", addr[0]);\n",
	.fix_code =
		"addr = kmalloc(2048, GFP_KERNEL);\n"
		"bus = dma_map_single(dev, addr, 2048,\n"
		"\t\t     DMA_FROM_DEVICE);\n"
		"start_dma(bus, 2048);\n"
		"wait_for_completion(&done);\n"
		"dma_unmap_single(dev, bus, 2048,\n"
		"\t\t DMA_FROM_DEVICE);\n"
		"printk(\"%08x\\n\", addr[0]);\n",
	.run = run_read,
};

/* ---- Q4: to user space by copy_to_user, not by mapping kmalloc memory */

static u8 *kbuf;

static int map_kmalloc(void *priv, struct vm_area_struct *vma)
{
	(void)priv;
	return remap_pfn_range(vma, vma->vm_start,
			       virt_to_phys(kbuf) >> PAGE_SHIFT, PAGE_SIZE,
			       vma->vm_page_prot);
}

#define ULEN 1000		/* a frame: a 1 KiB kmalloc object */

static int run_user_copy(struct story_env *env)
{
	struct device *dev = story_dev(env, DEV);
	struct dk_simdev *sd = story_simdev(env, DEV);
	u8 *ubuf = NULL, *other = kmalloc(ULEN, GFP_KERNEL), data[ULEN];
	dma_addr_t h;
	int r;

	kbuf = kmalloc(ULEN, GFP_KERNEL);
	if (!kbuf || !other)
		return -ENOMEM;
	memset(other, 0x11, ULEN);	/* some other driver's object */
	h = dma_map_single(dev, kbuf, ULEN, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, h))
		return -ENOMEM;
	story_fill(data, ULEN, 131);
	dk_dev_dma_write(sd, h, data, ULEN);
	dma_unmap_single(dev, h, ULEN, DMA_FROM_DEVICE);
	if (env->fixed) {
		/* read(): the program's buffer, filled by copy_to_user(). */
		ubuf = dk_user_mmap_anon(ULEN);
		r = ubuf ? (copy_to_user(ubuf, kbuf, ULEN) ? -EFAULT : 0) :
			   -ENOMEM;
	} else {
		/* mmap(): the page the kmalloc object lies in. */
		r = dk_user_mmap(map_kmalloc, NULL, PAGE_SIZE, 0,
				 (void **)&ubuf);
	}
	if (r)
		return r;
	story_say(env, "the kmalloc buffer is %lu bytes into its page; the program reads its data at offset 0",
		  (unsigned long)(virt_to_phys(kbuf) % PAGE_SIZE));
	env->data_ok = story_check(ubuf, ULEN, 131);
	snprintf(env->note, sizeof(env->note),
		 "the program got %zu of %d bytes wrong%s",
		 story_diff(ubuf, ULEN, 131), ULEN,
		 env->fixed ? "" : " (it sees the page, neighbours and all)");
	dk_user_munmap(ubuf);
	kfree(kbuf);
	kfree(other);
	return 0;
}

const struct story story_qa_user_copy = {
	.name = "qa-dma-data-to-user",
	.title = "DMA data to a user program: copy_to_user",
	.from = &story_thread_dma_into_kernel,
	.slide = "Q4: Whats the best way to get this to user-space? copy_to_user? mmap the kmalloc memory?",
	.bug = "mmaps the kmalloc buffer's page to the program: the buffer is not at the page's start and the page holds other objects",
	.fix = "copy_to_user() from the kernel buffer into the program's own buffer",
	.bug_code =
		"static int my_mmap(struct file *f,\n"
		"\t\t   struct vm_area_struct *vma)\n"
		"{\n"
		"\treturn remap_pfn_range(vma,\n"
		"\t\tvma->vm_start,\n"
		"\t\tvirt_to_phys(kbuf) >> PAGE_SHIFT,\n"
		"\t\tPAGE_SIZE, vma->vm_page_prot);\n"
		"}\n",
	.fix_code =
		"static ssize_t my_read(struct file *f,\n"
		"\tchar __user *ubuf, size_t n, loff_t *o)\n"
		"{\n"
		"\tif (copy_to_user(ubuf, kbuf, n))\n"
		"\t\treturn -EFAULT;\n"
		"\treturn n;\n"
		"}\n",
	.run = run_user_copy,
};

/* ---- Q4: a user mapping of DMA memory: dma_mmap_coherent */

static u8 *coh;
static dma_addr_t coh_dma;
static struct device *coh_dev;

static int map_cached(void *priv, struct vm_area_struct *vma)
{
	(void)priv;
	/* The coherent buffer's pages, but with the default, cacheable
	 * protection: a second mapping with other attributes. */
	return remap_pfn_range(vma, vma->vm_start,
			       dma_to_phys(coh_dev, coh_dma) >> PAGE_SHIFT,
			       PAGE_SIZE, vma->vm_page_prot);
}

static int run_mmap_coherent(struct story_env *env)
{
	struct dk_simdev *sd = story_simdev(env, DEV);
	struct vm_area_struct vma = { .vm_end = PAGE_SIZE };
	u8 *u, data[LEN], before;
	int r;

	coh_dev = story_dev(env, DEV);
	coh = dma_alloc_coherent(coh_dev, PAGE_SIZE, &coh_dma, GFP_KERNEL);
	if (!coh)
		return -ENOMEM;
	if (env->fixed) {
		r = dma_mmap_coherent(coh_dev, &vma, coh, coh_dma, PAGE_SIZE);
		u = (u8 *)vma.vm_start;
	} else {
		r = dk_user_mmap(map_cached, NULL, PAGE_SIZE, 0, (void **)&u);
	}
	if (r)
		return r;
	before = u[0];			/* the program looks: idle */
	story_fill(data, LEN, 132);
	dk_dev_dma_write(story_simdev(env, DEV), coh_dma, data, LEN);
	(void)sd;
	env->data_ok = story_check(u, LEN, 132);
	snprintf(env->note, sizeof(env->note),
		 "the program sees %zu of %d bytes the device wrote wrong (first byte 0x%02x before, 0x%02x after)",
		 story_diff(u, LEN, 132), LEN, before, u[0]);
	if (env->fixed)
		dk_munmap(&vma);
	else
		dk_user_munmap(u);
	dma_free_coherent(coh_dev, PAGE_SIZE, coh, coh_dma);
	return 0;
}

const struct story story_qa_mmap_coherent = {
	.name = "qa-dma-mmap-coherent",
	.title = "DMA data to a user program: dma_mmap_coherent",
	.from = &story_thread_dma_into_kernel,
	.slide = "Q4: Whats the best way to get this to user-space? ... others?",
	.bug = "maps a dma_alloc_coherent() buffer to the program with remap_pfn_range() and the default cacheable protection: the program reads stale cache lines",
	.fix = "dma_mmap_coherent() maps it with the allocation's own attributes (uncached on this non-coherent SoC)",
	.bug_code =
		"return remap_pfn_range(vma, vma->vm_start,\n"
		"\tdma_to_phys(dev, h) >> PAGE_SHIFT,\n"
		"\tPAGE_SIZE, vma->vm_page_prot);\n",
	.fix_code =
		"return dma_mmap_coherent(dev, vma, buf, h,\n"
		"\t\t\t PAGE_SIZE);\n",
	.run = run_mmap_coherent,
};

/* ---- Q4 and "Linux Zero Copy": DMA straight into the program's pages */

static int run_zero_copy(struct story_env *env)
{
	struct device *dev = story_dev(env, DEV);
	struct dk_simdev *sd = story_simdev(env, DEV);
	u8 *u = dk_user_mmap_anon(2 * PAGE_SIZE), data[2 * PAGE_SIZE];
	struct page *pages[2];
	struct sg_table sgt;
	dma_addr_t h;

	if (!u)
		return -ENOMEM;
	story_fill(data, sizeof(data), 133);
	if (!env->fixed) {
		/* The program's pointer, as if it were kernel memory. */
		h = dma_map_single(dev, u, sizeof(data), DMA_FROM_DEVICE);
		if (!dma_mapping_error(dev, h)) {
			dk_dev_dma_write(sd, h, data, sizeof(data));
			dma_unmap_single(dev, h, sizeof(data), DMA_FROM_DEVICE);
		}
	} else {
		if (pin_user_pages_fast((unsigned long)u, 2, FOLL_WRITE,
					pages) != 2)
			return -EFAULT;
		if (sg_alloc_table_from_pages(&sgt, pages, 2, 0, sizeof(data),
					      GFP_KERNEL) ||
		    dma_map_sgtable(dev, &sgt, DMA_FROM_DEVICE, 0))
			return -ENOMEM;
		story_say(env, "the program's 8 KiB are %u physical piece(s)",
			  sgt.nents);
		story_sg_xfer(sd, &sgt, data, true);
		dma_unmap_sgtable(dev, &sgt, DMA_FROM_DEVICE, 0);
		sg_free_table(&sgt);
		unpin_user_pages(pages, 2);
	}
	env->data_ok = story_check(u, sizeof(data), 133);
	snprintf(env->note, sizeof(env->note),
		 "the program's buffer has %zu of %zu bytes wrong",
		 story_diff(u, sizeof(data), 133), sizeof(data));
	dk_user_munmap(u);
	return 0;
}

const struct story story_qa_user_pages = {
	.name = "qa-dma-into-user-pages",
	.title = "DMA straight into a user program's pages",
	.from = &story_thread_zero_copy,
	.slide = "is there a way to allocate, pin, and get the physical address of a userspace address",
	.bug = "dma_map_single() of the program's pointer: it is no kernel linear-map address, the mapping is refused",
	.fix = "pin_user_pages_fast(), sg_alloc_table_from_pages(), dma_map_sgtable(): one entry per physical run of the program's pages",
	.bug_code =
		"h = dma_map_single(dev, ubuf, len,\n"
		"\t\t   DMA_FROM_DEVICE);\n",
	.fix_code =
		"pin_user_pages_fast((unsigned long)ubuf,\n"
		"\tn, FOLL_WRITE, pages);\n"
		"sg_alloc_table_from_pages(&sgt, pages, n,\n"
		"\t0, len, GFP_KERNEL);\n"
		"dma_map_sgtable(dev, &sgt, DMA_FROM_DEVICE, 0);\n",
	.run = run_zero_copy,
};
