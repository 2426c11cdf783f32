/* SPDX-License-Identifier: MIT */
/* Inside the library: what src/mm gives the layers above it. */
#ifndef DMAKIT_MM_MM_H
#define DMAKIT_MM_MM_H

#include "../kernel/kernel.h"

/* page_alloc.c */
int dk_mm_init(struct dk_machine *m);
void dk_mm_fini(struct dk_machine *m);
/* Give every block still allocated back to the platform, as a kexec'd
 * kernel owns all RAM again. */
void dk_mm_release_all(struct dk_machine *m);
/* A block of 2^order pages wholly in [lo, hi]; NULL + message. */
struct page *dk_alloc_pages_range(struct dk_machine *m, gfp_t gfp,
				  unsigned int order, u64 lo, u64 hi);
struct page *dk_phys_to_page(struct dk_machine *m, phys_addr_t pa);
/* Whether @pg is one of @m's struct pages (not a pointer into one). */
bool dk_page_valid(struct dk_machine *m, const struct page *pg);
phys_addr_t dk_page_to_phys(struct dk_machine *m, const struct page *pg);
void *dk_phys_to_virt(struct dk_machine *m, phys_addr_t pa);
/* Linear-map pointer -> phys; false if @p is not in the linear map. */
bool dk_linear_to_phys(struct dk_machine *m, const void *p, phys_addr_t *pa);
/* Whether [p, p + size) is program memory the platform maps on demand
 * (see the platform's user_to_phys), and its physical address. */
bool dk_user_to_phys(struct dk_machine *m, const void *p, size_t size,
		     phys_addr_t *pa);
/* user_memmap.c: struct pages for program memory (host platforms). */
int dk_user_memmap_init(struct dk_machine *m);
void dk_user_memmap_fini(struct dk_machine *m);
struct page *dk_user_page(struct dk_machine *m, phys_addr_t pa, bool create);
bool dk_user_page_phys(struct dk_machine *m, const struct page *pg,
		       phys_addr_t *pa);
/* Zero @size bytes at @p so that devices see zeroes too, even where a
 * stale line already held them (the platform's mem_store); memory outside
 * the linear map is zeroed by a plain store. */
void dk_zero(struct dk_machine *m, void *p, size_t size);

/* A page of reserved memory (memremap()): put_page() never frees it. */
#define DK_PG_RESERVED (1UL << 4)
/* uaccess.c: the user mappings of a machine that goes away. */
void dk_uaccess_fini(struct dk_machine *m);

/* slab.c / vmalloc.c */
/*
 * The kmalloc object @p points into: 1 if live, -1 if it is a free slot of
 * a slab (freed, or never handed out), with the object's (slot's) start
 * and size; 0 if @p is not kmalloc memory (or in a big block's tail page).
 */
int dk_kmalloc_object(struct dk_machine *m, const void *p, const void **start,
		      size_t *size);
/* The same for @p of the linear map at physical address @pa, which the
 * caller has translated already (@m not NULL). */
int dk_kmalloc_object_at(struct dk_machine *m, const void *p, phys_addr_t pa,
			 const void **start, size_t *size);
void dk_kmem_fini(struct dk_machine *m);
void dk_vmalloc_fini(struct dk_machine *m);

/* slab.c: told of each kmalloc object and block kfree() frees: @freed
 * before it goes (the checker's "freed while mapped"), @gone once it
 * has, each call to the one paired with one to the other; NULL: nobody. */
struct dk_free_hooks {
	void (*freed)(struct dk_machine *m, const void *p, size_t size);
	void (*gone)(void);
};
void dk_mm_set_free_hooks(const struct dk_free_hooks *h);

/* A CMA area (the DMA side, dma_direct/cma.c, claims its pages; mm lends
 * the unclaimed ones to movable allocations). */
struct dk_cma {
	phys_addr_t base;
	u64 size;
	unsigned long *bitmap;	/* one bit per page: claimed or lent */
	unsigned long *lent;	/* cma_lend.c: lent to movable pages */
	unsigned long nlent, nclaimed;
	struct dk_machine *m;
	const char *name;
	bool reserved_here;	/* by cma=: its pages go back at shutdown */
};

/* cma_lend.c: a CMA page lent to a movable allocation, which goes
 * back to its area when freed. Every area's bitmaps are under
 * dk_cma_lock, taken before the user mappings' lock. */
#define DK_PG_CMA_LENT (1UL << 5)
extern pthread_mutex_t dk_cma_lock;
struct page *dk_cma_lend(struct dk_machine *m, u64 lo, u64 hi);
void dk_cma_unlend(struct dk_machine *m, struct page *pg);
/* Lock held: move lent page @i of @c out (0 or -errno + message). */
int dk_cma_migrate_locked(struct dk_cma *c, unsigned long i);
/* @pg moved out of CMA if it is lent there (a long-term pin); 0 or
 * -errno + message. Takes the lock. */
int dk_cma_migrate_page(struct dk_machine *m, struct page *pg);
/* Lock held: whether lent page @i of @c could move now. */
bool dk_cma_movable_locked(struct dk_cma *c, unsigned long i);
/* uaccess.c: user page @old's bytes and mapping to @new (0 or -errno). */
int dk_user_page_move(struct dk_machine *m, struct page *old,
		      struct page *new);
#endif
