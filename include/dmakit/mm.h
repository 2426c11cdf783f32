/* SPDX-License-Identifier: MIT */
/*
 * A simulated user address space on the current machine: what a driver's
 * mmap handler, copy_to_user()/copy_from_user() and get_user_pages() need
 * to answer "how do I get DMA data to a user program?" for real.
 *
 * User addresses are host addresses: a user mapping is a second,
 * cacheable (or, by its protection, uncached or write-combine) view of
 * machine RAM, made by the platform. Each mapping is a struct
 * vm_area_struct of one of three kinds:
 *  - anonymous memory (dk_user_mmap_anon(), mmap(MAP_ANONYMOUS)): pages of
 *    the machine's page allocator, so get_user_pages() finds their struct
 *    pages and a driver can DMA straight into them;
 *  - a driver's mapping whose mmap handler sets vm_ops->fault: each page
 *    the handler returns is a struct page, so zero-copy works too (the
 *    pages are faulted in when the mapping is made, as MAP_POPULATE
 *    does);
 *  - a driver's mapping made with remap_pfn_range()/vm_iomap_memory():
 *    VM_IO | VM_PFNMAP, raw page frames with no struct page for the user
 *    mapping, so get_user_pages() fails with -EFAULT, as Linux's does.
 * Only RAM can be mapped to user space (no MMIO).
 */
#ifndef DMAKIT_MM_H
#define DMAKIT_MM_H

#include <dmakit/dma-mapping.h>
#include <dmakit/gfp.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef __user
#define __user
#endif

/* vm_flags */
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_SHARED	0x00000008UL
#define VM_IO		0x00004000UL
#define VM_DONTEXPAND	0x00040000UL
#define VM_DONTDUMP	0x04000000UL
#define VM_PFNMAP	0x00000400UL
#define VM_MIXEDMAP	0x10000000UL

/* A page protection: how the user mapping caches (vm_page_prot). */
typedef unsigned long pgprot_t;
#define DK_PGPROT_NOCACHE	0x1UL
#define DK_PGPROT_WC		0x2UL
#define PAGE_SHARED		((pgprot_t)0)

/**
 * pgprot_noncached() - @prot made uncached.
 * @prot: a protection.
 *
 * Return: the protection for an uncached mapping.
 */
static inline pgprot_t pgprot_noncached(pgprot_t prot)
{
	return (prot & ~DK_PGPROT_WC) | DK_PGPROT_NOCACHE;
}

/**
 * pgprot_writecombine() - @prot made write-combining.
 * @prot: a protection.
 *
 * Return: the protection for a write-combine mapping.
 */
static inline pgprot_t pgprot_writecombine(pgprot_t prot)
{
	return (prot & ~DK_PGPROT_NOCACHE) | DK_PGPROT_WC;
}

/* gup_flags */
#define FOLL_WRITE	0x01u
#define FOLL_LONGTERM	0x100u

typedef unsigned int vm_fault_t;
#define VM_FAULT_OOM	0x0001u
#define VM_FAULT_SIGBUS	0x0002u

/**
 * struct vm_fault - one page a user mapping needs (vm_ops->fault's
 * argument).
 */
struct vm_fault {
	/** @vma: the mapping */
	struct vm_area_struct *vma;
	/** @pgoff: the page's offset in the object mapped (vm_pgoff
	 * included) */
	unsigned long pgoff;
	/** @address: the user address of the page */
	unsigned long address;
	/** @page: set by the handler: the page, with a reference taken
	 * (get_page()) */
	struct page *page;
};

/**
 * struct vm_operations_struct - what a driver's mmap handler can attach
 * to a mapping.
 */
struct vm_operations_struct {
	/** @fault: find the page for @vmf->pgoff: 0 with @vmf->page set,
	 * or VM_FAULT_SIGBUS / VM_FAULT_OOM */
	vm_fault_t (*fault)(struct vm_fault *vmf);
	/** @close: the mapping goes away; optional */
	void (*close)(struct vm_area_struct *vma);
};

/**
 * get_page() - take a reference to a page.
 * @page: a page of the current machine; NULL does nothing.
 */
void get_page(struct page *page);
/**
 * put_page() - drop a reference; the last one frees the page.
 * @page: a page with a reference; NULL does nothing.
 */
void put_page(struct page *page);

/**
 * dk_user_mmap_anon() - anonymous user memory, as mmap(MAP_ANONYMOUS):
 * fresh pages of the current machine, zeroed, mapped cacheable.
 * @len: bytes, rounded up to whole pages; 1..64 MiB.
 *
 * Return: the user address, or NULL (-EINVAL for a bad @len, -ENOMEM,
 * -ENODEV without a machine; in dk_last_error()).
 */
void __user *dk_user_mmap_anon(size_t len);

/**
 * dk_user_mmap() - the mmap() system call on a driver's file: a mapping
 * of @len bytes at page offset @pgoff, set up by the driver's handler.
 * The handler either calls remap_pfn_range()/vm_iomap_memory() (which
 * make the mapping) or sets vma->vm_ops with a fault handler (the pages
 * are then faulted in one by one).
 * @mmap: the driver's handler: 0 or -errno.
 * @priv: passed to it (its file's private data).
 * @len: bytes, whole pages, 1..64 MiB.
 * @pgoff: vm_pgoff.
 * @addr: set to the user address.
 *
 * Return: 0; what the handler returned; -EINVAL for bad arguments or a
 * handler that mapped nothing and set no fault handler; -EFAULT when a
 * fault handler failed (SIGBUS); -ENOMEM.
 */
int dk_user_mmap(int (*mmap)(void *priv, struct vm_area_struct *vma),
		 void *priv, size_t len, unsigned long pgoff,
		 void __user **addr);

/**
 * dk_user_munmap() - munmap() of a whole mapping made by
 * dk_user_mmap_anon() or dk_user_mmap(). Anonymous pages still pinned
 * are freed by their last unpin_user_page()/put_page().
 * @addr: the mapping's user address.
 *
 * Return: 0, or -EINVAL when @addr starts no user mapping.
 */
int dk_user_munmap(void __user *addr);

/**
 * dk_user_vma() - the mapping a user address lies in (find_vma()).
 * @addr: a user address.
 *
 * Return: the mapping (valid until it is unmapped) or NULL.
 */
const struct vm_area_struct *dk_user_vma(const void __user *addr);

/**
 * remap_pfn_range() - map raw page frames of RAM into a user mapping, from
 * a driver's mmap handler. The mapping becomes VM_IO | VM_PFNMAP:
 * get_user_pages() refuses it.
 * @vma: the mapping dk_user_mmap() is setting up; vm_start and vm_end are
 *       set to where it lands.
 * @addr: vma->vm_start (where Linux puts it; dmakit chooses the address).
 * @pfn: the first page frame.
 * @size: bytes, whole pages, vm_end - vm_start at most.
 * @prot: vma->vm_page_prot, possibly through pgprot_noncached() or
 *        pgprot_writecombine().
 *
 * Return: 0, -EINVAL (bad arguments, a range that is not RAM), -ENOMEM.
 */
int remap_pfn_range(struct vm_area_struct *vma, unsigned long addr,
		    unsigned long pfn, unsigned long size, pgprot_t prot);

/**
 * vm_iomap_memory() - remap_pfn_range() of the physical range [@start,
 * @start + @len) at the mapping's page offset, with its protection.
 * @vma: as for remap_pfn_range().
 * @start: physical address, page aligned.
 * @len: bytes of the range.
 *
 * Return: as remap_pfn_range(); -EINVAL when the window does not fit.
 */
int vm_iomap_memory(struct vm_area_struct *vma, phys_addr_t start,
		    unsigned long len);

/**
 * get_user_pages_fast() - the struct pages behind user memory, with a
 * reference each (drop them with put_page()).
 * @start: a page-aligned user address.
 * @nr_pages: how many pages.
 * @gup_flags: FOLL_WRITE and friends; accepted.
 * @pages: @nr_pages entries, filled in.
 *
 * Return: @nr_pages; -EFAULT when a page lies in no user mapping or in a
 * VM_IO | VM_PFNMAP one (nothing is taken then); -EINVAL for bad
 * arguments.
 */
long get_user_pages_fast(unsigned long start, int nr_pages,
			 unsigned int gup_flags, struct page **pages);

/**
 * pin_user_pages_fast() - get_user_pages_fast() for DMA: the pages stay
 * put until unpin_user_pages().
 * @start: as for get_user_pages_fast().
 * @nr_pages: as for get_user_pages_fast().
 * @gup_flags: as for get_user_pages_fast().
 * @pages: as for get_user_pages_fast().
 *
 * Return: as get_user_pages_fast().
 */
long pin_user_pages_fast(unsigned long start, int nr_pages,
			 unsigned int gup_flags, struct page **pages);

/**
 * unpin_user_pages() - release pages from pin_user_pages_fast().
 * @pages: the pages.
 * @npages: how many.
 */
void unpin_user_pages(struct page **pages, unsigned long npages);

/**
 * copy_to_user() - copy kernel memory to user memory.
 * @to: a user address.
 * @from: kernel memory.
 * @n: bytes.
 *
 * @from may be an ioremap() window: the copy is then a plain one, which
 * Linux allows only for prefetchable memory, since it may access the same
 * bytes several times and in any order. dmakit does the worst it may:
 * 32-bit words from the last to the first, each read twice. Registers
 * with read side effects (a FIFO) lose data that way; memcpy_fromio()
 * into a kernel buffer, then copy_to_user(), reads each once, in order.
 *
 * Return: the bytes not copied: 0, or all @n when [@to, @to + @n) is not
 * wholly inside one user mapping or @from runs out of an ioremap()
 * window (nothing is copied then).
 */
unsigned long copy_to_user(void __user *to, const void *from,
			   unsigned long n);

/**
 * copy_from_user() - copy user memory to kernel memory.
 * @to: kernel memory, or an ioremap() window: then the copy writes 32-bit
 *      words from the last to the first, each twice (and reads each first
 *      to merge partial words), as copy_to_user() describes.
 * @from: a user address.
 * @n: bytes.
 *
 * Return: as copy_to_user().
 */
unsigned long copy_from_user(void *to, const void __user *from,
			     unsigned long n);

#define MEMREMAP_WB	0x1UL
#define MEMREMAP_WC	0x4UL

/**
 * memremap() - a kernel mapping of RAM outside the page allocator's hands
 * (a reserved-memory region), as real memory: MEMREMAP_WB gives the
 * cacheable linear map where it exists, MEMREMAP_WC a write-combine view.
 * @offset: physical address.
 * @size: bytes.
 * @flags: MEMREMAP_WB or MEMREMAP_WC.
 *
 * Return: the address, or NULL (-EINVAL: not RAM, bad flags).
 */
void *memremap(phys_addr_t offset, size_t size, unsigned long flags);

/**
 * memunmap() - undo memremap().
 * @addr: what memremap() returned; NULL does nothing.
 */
void memunmap(void *addr);

#ifdef __cplusplus
}
#endif

#endif
