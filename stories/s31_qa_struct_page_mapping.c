// SPDX-License-Identifier: MIT
/*
 * The Q&A thread "Map physical memory to userspace as normal, struct page
 * backed mapping": a driver maps a reserved RAM buffer to a program with
 * vm_iomap_memory(), and the program's zero-copy send fails in
 * get_user_pages(): remap_pfn_range() makes a VM_IO | VM_PFNMAP mapping
 * of raw page frames. The answer: a reserved-memory region (not mem=, not
 * no-map) so the memory has struct pages, memremap() instead of
 * ioremap(), and an mmap handler whose vm_ops->fault hands out those
 * pages. Then the mapping is normal memory, and the send DMAs straight
 * from the program's pages.
 */
#include <errno.h>
#include <string.h>

#include <libfdt.h>

#include <dmakit/mm.h>
#include <dmakit/scatterlist.h>

#include "story.h"

#define NIC "master@10010000"
#define SHM 0xb0000000ULL
#define SHM_SIZE 0x100000ULL
#define LEN (2 * PAGE_SIZE)

static int patch(void *fdt, size_t cap, bool fixed)
{
	fdt32_t reg[4] = { cpu_to_fdt32(SHM >> 32), cpu_to_fdt32((u32)SHM),
			   cpu_to_fdt32(SHM_SIZE >> 32),
			   cpu_to_fdt32((u32)SHM_SIZE) };
	int parent = fdt_path_offset(fdt, "/reserved-memory"), node;

	(void)cap;
	(void)fixed;
	/* Both drivers get the region from the tree, with struct pages. */
	node = parent < 0 ? parent :
			    fdt_add_subnode(fdt, parent, "shared-buffer@b0000000");
	return node < 0 || fdt_setprop(fdt, node, "reg", reg, sizeof(reg)) ?
		       -1 : 0;
}

static u8 *shm;

static int iomap_mmap(void *priv, struct vm_area_struct *vma)
{
	(void)priv;
	return vm_iomap_memory(vma, SHM, SHM_SIZE);
}

static vm_fault_t shm_fault(struct vm_fault *vmf)
{
	if (vmf->pgoff >= SHM_SIZE / PAGE_SIZE)
		return VM_FAULT_SIGBUS;
	vmf->page = virt_to_page(shm + vmf->pgoff * PAGE_SIZE);
	get_page(vmf->page);
	return 0;
}

static const struct vm_operations_struct shm_ops = { .fault = shm_fault };

static int fault_mmap(void *priv, struct vm_area_struct *vma)
{
	(void)priv;
	vma->vm_ops = &shm_ops;
	return 0;
}

/* The program's zero-copy send of @len bytes at @u: 0 or -errno. */
static int send_zero_copy(struct story_env *env, u8 *u, u8 *wire)
{
	struct device *dev = story_dev(env, NIC);
	struct dk_simdev *sd = story_simdev(env, NIC);
	struct page *pages[LEN / PAGE_SIZE];
	struct sg_table sgt;
	long i, n;

	n = get_user_pages_fast((unsigned long)u, LEN / PAGE_SIZE, 0, pages);
	story_say(env, "get_user_pages: %ld", n);
	if (n < 0)
		return (int)n;
	if (sg_alloc_table_from_pages(&sgt, pages, n, 0, LEN, GFP_KERNEL) ||
	    dma_map_sgtable(dev, &sgt, DMA_TO_DEVICE, 0))
		return -ENOMEM;
	story_sg_xfer(sd, &sgt, wire, false);
	dma_unmap_sgtable(dev, &sgt, DMA_TO_DEVICE, 0);
	sg_free_table(&sgt);
	for (i = 0; i < n; i++)
		put_page(pages[i]);
	return 0;
}

static int run(struct story_env *env)
{
	u8 *u, wire[LEN];
	int r;

	memset(wire, 0, sizeof(wire));
	shm = env->fixed ? memremap(SHM, SHM_SIZE, MEMREMAP_WB) : NULL;
	if (env->fixed && !shm)
		return -ENOMEM;
	r = dk_user_mmap(env->fixed ? fault_mmap : iomap_mmap, NULL, LEN, 0,
			 (void **)&u);
	if (r)
		return r;
	story_say(env, "the mapping is %s",
		  dk_user_vma(u)->vm_flags & VM_PFNMAP ?
			  "VM_IO | VM_PFNMAP: page frames, no struct pages" :
			  "normal memory: struct pages");
	story_fill(u, LEN, 140);	/* the program writes its message */
	r = send_zero_copy(env, u, wire);
	env->data_ok = !r && story_check(wire, LEN, 140);
	snprintf(env->note, sizeof(env->note),
		 "zero-copy send %s; %zu of %lu bytes on the wire wrong",
		 r ? "failed in get_user_pages (-EFAULT)" : "done",
		 story_diff(wire, LEN, 140), (unsigned long)LEN);
	dk_user_munmap(u);
	memunmap(shm);
	return 0;
}

const struct story story_qa_reserved_to_user = {
	.name = "qa-reserved-memory-to-user",
	.title = "Reserved memory to user space, with struct pages",
	.from = &story_thread_struct_page_mapping,
	.slide = "how do I map physical memory as a normal, non-pfn, struct page-backed userspace address?",
	.bug = "maps the reserved buffer with vm_iomap_memory(): VM_IO | VM_PFNMAP, so get_user_pages() and the zero-copy send fail",
	.fix = "memremap() the reserved-memory region and hand its pages out from vm_ops->fault: a normal mapping get_user_pages() accepts",
	.bug_code =
		"static int my_mmap(struct file *f,\n"
		"\t\t   struct vm_area_struct *vma)\n"
		"{\n"
		"\treturn vm_iomap_memory(vma, start,\n"
		"\t\t\t       size);\n"
		"}\n",
	.fix_code =
		"static vm_fault_t my_fault(struct vm_fault *vmf)\n"
		"{\n"
		"\tvmf->page = virt_to_page(base +\n"
		"\t\tvmf->pgoff * PAGE_SIZE);\n"
		"\tget_page(vmf->page);\n"
		"\treturn 0;\n"
		"}\n"
		"/* my_mmap: vma->vm_ops = &my_ops; */\n",
	.patch_tree = patch,
	.run = run,
};
