/* SPDX-License-Identifier: MIT */
/*
 * Scatter-gather lists with Linux's layout rules: an entry is a page, an
 * offset and a length, plus the DMA address and length a mapping fills in.
 * Tables are chained arrays; sg_next() walks across chain links.
 */
#ifndef DMAKIT_SCATTERLIST_H
#define DMAKIT_SCATTERLIST_H

#include <limits.h>
#include <sys/types.h>

#include <dmakit/gfp.h>

#ifdef __cplusplus
extern "C" {
#endif

struct scatterlist {
	unsigned long page_link;	/* page pointer | SG_CHAIN | SG_END */
	unsigned int offset;
	unsigned int length;
	dma_addr_t dma_address;
	unsigned int dma_length;
};

#define SG_CHAIN	0x01UL
#define SG_END		0x02UL

/* Entries of one array of a table; longer tables chain arrays this big. */
#define SG_MAX_SINGLE_ALLOC	(PAGE_SIZE / sizeof(struct scatterlist))
/* The longest entry: the largest whole number of pages in an unsigned int. */
#define SCATTERLIST_MAX_SEGMENT	(UINT_MAX & PAGE_MASK)

struct sg_table {
	struct scatterlist *sgl;
	unsigned int nents;		/* entries mapped (after dma_map_sg) */
	unsigned int orig_nents;	/* entries of the list */
};

/**
 * sg_dma_address() - the device address dma_map_sg() gave an entry.
 * @sg: a mapped entry, not NULL.
 *
 * Return: the entry's dma_address, an lvalue.
 */
#define sg_dma_address(sg)	((sg)->dma_address)
/**
 * sg_dma_len() - the length of a mapped entry as the device sees it.
 * @sg: a mapped entry, not NULL.
 *
 * Return: the entry's dma_length, an lvalue.
 */
#define sg_dma_len(sg)		((sg)->dma_length)

/**
 * sg_is_chain() - whether an entry is a chain link to another array.
 * @sg: an entry, or NULL.
 *
 * Return: true for a link, false for a data entry or NULL.
 */
static inline bool sg_is_chain(const struct scatterlist *sg)
{
	return sg && (sg->page_link & SG_CHAIN);
}

/**
 * sg_is_last() - whether an entry is the last of its list.
 * @sg: an entry, or NULL.
 *
 * Return: true if it carries the end mark, false otherwise or for NULL.
 */
static inline bool sg_is_last(const struct scatterlist *sg)
{
	return sg && (sg->page_link & SG_END);
}

/**
 * sg_page() - the page an entry's data starts in.
 * @sg: an entry, or NULL.
 *
 * Return: the page given to sg_set_page() (for a link: the array it links
 * to), NULL for NULL.
 */
static inline struct page *sg_page(const struct scatterlist *sg)
{
	return sg ? (struct page *)(sg->page_link & ~(SG_CHAIN | SG_END)) :
		    NULL;
}

/*
 * The functions that fill in entries (sg_init_table, sg_init_one,
 * sg_set_page, sg_set_buf, sg_mark_end, sg_chain) refuse a NULL entry:
 * they do nothing, print a "BUG:" line and leave it in dk_last_error().
 */

/**
 * sg_init_table() - zero @nents entries and mark the last one.
 * @sgl: the array.
 * @nents: its number of entries.
 */
void sg_init_table(struct scatterlist *sgl, unsigned int nents);
/**
 * sg_init_one() - a one-entry list for a linear-map buffer.
 * @sg: the entry.
 * @buf: a kmalloc or page address.
 * @len: its length in bytes.
 */
void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int len);
/**
 * sg_set_page() - point an entry at @len bytes from @offset of @page,
 * keeping its end mark.
 * @sg: the entry.
 * @page: the first page of the data.
 * @len: bytes; may run on into the following pages.
 * @offset: bytes into @page.
 */
void sg_set_page(struct scatterlist *sg, struct page *page, unsigned int len,
		 unsigned int offset);
/**
 * sg_set_buf() - point an entry at a linear-map buffer.
 * @sg: the entry.
 * @buf: a linear-map (kmalloc/page) address; anything else gives the
 *       entry no page, which mapping it then refuses.
 * @len: its length in bytes.
 */
void sg_set_buf(struct scatterlist *sg, const void *buf, unsigned int len);
/**
 * sg_mark_end() - make an entry the last of its list.
 * @sg: the entry; a chain link becomes a plain last entry.
 */
void sg_mark_end(struct scatterlist *sg);
/**
 * sg_chain() - make the last slot of an array link to another array.
 * @prv: the first array; its slot @prv_nents - 1 becomes the link and
 *       holds no data.
 * @prv_nents: its number of slots, not 0 (refused with a "BUG:" line).
 * @sgl: the array the link leads to.
 */
void sg_chain(struct scatterlist *prv, unsigned int prv_nents,
	      struct scatterlist *sgl);
/**
 * sg_next() - the entry after @sg, across chain links.
 * @sg: an entry, or NULL.
 *
 * Return: the next data entry, or NULL after the last one or for NULL.
 */
struct scatterlist *sg_next(struct scatterlist *sg);
/**
 * sg_nents() - the number of data entries of a list, links not counted.
 * @sg: the first entry, or NULL.
 *
 * Return: the count up to the end mark, 0 for NULL.
 */
int sg_nents(struct scatterlist *sg);
/**
 * sg_virt() - the linear-map address of an entry's data.
 * @sg: a data entry.
 *
 * Return: the CPU address of its first byte, or NULL (message in
 * dk_last_error()) for NULL or an entry without a page of the machine.
 */
void *sg_virt(const struct scatterlist *sg);
/**
 * sg_phys() - the physical address of an entry's data.
 * @sg: a data entry.
 *
 * Return: page_to_phys(sg_page(@sg)) + its offset; 0 for NULL.
 */
phys_addr_t sg_phys(const struct scatterlist *sg);

/**
 * sg_alloc_table() - a table of @nents zeroed entries, chained in blocks
 * so no single array exceeds a page.
 * @table: filled in: sgl, and nents = orig_nents = @nents.
 * @nents: the number of data entries, at least 1.
 * @gfp: accepted; the arrays are host memory, not machine RAM.
 *
 * Return: 0, -EINVAL (NULL table, nents 0) or -ENOMEM (out of memory, or
 * more than 2^24 entries: Linux fails such a count with -ENOMEM too, only
 * later). Free it with sg_free_table().
 */
int sg_alloc_table(struct sg_table *table, unsigned int nents, gfp_t gfp);
/**
 * sg_free_table() - free the arrays of a table (not the pages they point
 * at).
 * @table: from sg_alloc_table() or sg_alloc_table_from_pages*(); NULL, or
 *         a table without arrays, does nothing.
 */
void sg_free_table(struct sg_table *table);

/**
 * sg_alloc_table_from_pages_segment() - a table of one entry per run of
 * physically contiguous pages.
 * @sgt: the table to fill in; free it with sg_free_table().
 * @pages: @n_pages pages of the current machine.
 * @n_pages: how many, at least 1.
 * @offset: bytes into the first page where the data starts.
 * @size: bytes in total; pages past @size get no entry.
 * @max_segment: the most bytes of one entry (rounded down to pages);
 *               at least a page.
 * @gfp: accepted; the arrays are host memory.
 *
 * Return: 0, -EINVAL (NULL table or pages, no pages, @offset not inside
 * the first page, @size 0 or beyond the pages, @max_segment under a page,
 * or an entry of @pages that is no struct page of the current machine) or
 * -ENOMEM.
 */
int sg_alloc_table_from_pages_segment(struct sg_table *sgt,
				      struct page **pages,
				      unsigned int n_pages, unsigned int offset,
				      unsigned long size,
				      unsigned int max_segment, gfp_t gfp);
/**
 * sg_alloc_table_from_pages() - sg_alloc_table_from_pages_segment() with
 * no limit on an entry (UINT_MAX).
 * @sgt: the table to fill in.
 * @pages: the pages.
 * @n_pages: how many.
 * @offset: bytes into the first page.
 * @size: bytes in total.
 * @gfp: accepted.
 *
 * Return: as sg_alloc_table_from_pages_segment().
 */
int sg_alloc_table_from_pages(struct sg_table *sgt, struct page **pages,
			      unsigned int n_pages, unsigned int offset,
			      unsigned long size, gfp_t gfp);

/**
 * sg_copy_from_buffer() - CPU copy of a buffer into the list's data.
 * @sgl: the list.
 * @nents: entries to fill at most.
 * @buf: the source.
 * @buflen: its length.
 *
 * Return: the bytes copied, at most @buflen: 0 for a NULL list or
 * buffer, and the copy stops at an entry without a page of the machine.
 */
size_t sg_copy_from_buffer(struct scatterlist *sgl, unsigned int nents,
			   const void *buf, size_t buflen);
/**
 * sg_copy_to_buffer() - CPU copy of the list's data into a buffer.
 * @sgl: the list.
 * @nents: entries to read at most.
 * @buf: the destination.
 * @buflen: its length.
 *
 * Return: the bytes copied, as sg_copy_from_buffer().
 */
size_t sg_copy_to_buffer(struct scatterlist *sgl, unsigned int nents,
			 void *buf, size_t buflen);

/**
 * for_each_sg() - loop over the first @nr data entries of a list.
 * @sglist: the first entry.
 * @sg: the loop cursor, a struct scatterlist *.
 * @nr: how many entries.
 * @__i: the loop counter, an int or an unsigned int.
 *
 * Stops early, rather than walk off, if the list has fewer than @nr.
 * @nr is compared in the type of @__i, so an int counter over a table's
 * unsigned nents (the usual driver code) builds clean with -Wextra.
 */
#define for_each_sg(sglist, sg, nr, __i)                                 \
	for ((__i) = 0, (sg) = (sglist);                                 \
	     (__i) < (__typeof__(__i))(nr) && (sg);                      \
	     (__i)++, (sg) = sg_next(sg))

/**
 * for_each_sgtable_sg() - loop over every CPU entry of a table
 * (orig_nents), as for CPU copies and page walks.
 * @sgt: the table.
 * @sg: the loop cursor.
 * @i: the loop counter.
 */
#define for_each_sgtable_sg(sgt, sg, i)                                  \
	for_each_sg((sgt)->sgl, sg, (sgt)->orig_nents, i)

/**
 * for_each_sgtable_dma_sg() - loop over the DMA segments of a mapped
 * table (nents), as for programming descriptors.
 * @sgt: the table.
 * @sg: the loop cursor.
 * @i: the loop counter.
 */
#define for_each_sgtable_dma_sg(sgt, sg, i)                              \
	for_each_sg((sgt)->sgl, sg, (sgt)->nents, i)

/*
 * Append tables: a table built by several calls, each adding pages after
 * the entries of the last (merging a page that continues the last entry
 * into it), as drivers build one table from pages they pin in batches.
 */
/**
 * struct sg_append_table - a table under construction.
 */
struct sg_append_table {
	/** @sgt: the table; sgt.nents = sgt.orig_nents = entries so far */
	struct sg_table sgt;
	/** @prv: the last entry filled so far, NULL before the first call */
	struct scatterlist *prv;
	/** @total_nents: entries allocated, chain links excluded */
	unsigned int total_nents;
};

/**
 * sg_alloc_append_table_from_pages() - append pages to a table: one entry
 * per run of physically consecutive pages, at most @max_segment bytes
 * each, as sg_alloc_table_from_pages_segment(); a first page that
 * continues the table's last entry (the entry ends at a page boundary
 * just before it) extends that entry instead, while it stays within
 * @max_segment.
 * @sgt_append: the table, zeroed before the first call; free it with
 *              sg_free_append_table() (also after an error).
 * @pages: @n_pages pages of the current machine.
 * @n_pages: how many, at least 1.
 * @offset: bytes into the first page; must be 0 on later calls.
 * @size: bytes; pages past it get no entry (merged pages count a page
 *        each).
 * @max_segment: the most bytes of an entry, rounded down to pages; at
 *               least a page (SCATTERLIST_MAX_SEGMENT for no limit).
 * @left_pages: how many pages later calls will still append (room is
 *              made for them now); 0 on the last call, which marks the
 *              table's end.
 * @gfp: accepted; the arrays are host memory.
 *
 * Return: 0, -EINVAL (NULL table or pages, no pages, @offset not inside
 * the first page or nonzero on a later call, @size 0 or past the pages,
 * @max_segment under a page, a page not of the current machine, a table
 * whose last call had @left_pages 0), or -ENOMEM (its entries are as
 * before the call).
 */
int sg_alloc_append_table_from_pages(struct sg_append_table *sgt_append,
				     struct page **pages, unsigned int n_pages,
				     unsigned int offset, unsigned long size,
				     unsigned int max_segment,
				     unsigned int left_pages, gfp_t gfp);

/**
 * sg_free_append_table() - free the arrays of an append table and zero
 * it (not the pages).
 * @sgt_append: the table; NULL or an empty table does nothing.
 */
void sg_free_append_table(struct sg_append_table *sgt_append);

/*
 * Walking a list page by page.
 */
/**
 * struct sg_page_iter - a cursor over the pages of a list's entries.
 */
struct sg_page_iter {
	/** @sg: the entry the current page belongs to */
	struct scatterlist *sg;
	/** @sg_pgoffset: the page's index from the entry's first page */
	unsigned int sg_pgoffset;
	/* private */
	unsigned int __nents;
	int __pg_advance;
};

/**
 * __sg_page_iter_start() - start a page walk.
 * @piter: the cursor; NULL does nothing.
 * @sglist: the first entry.
 * @nents: entries to walk at most.
 * @pgoffset: pages to skip from the first entry's first page.
 */
void __sg_page_iter_start(struct sg_page_iter *piter,
			  struct scatterlist *sglist, unsigned int nents,
			  unsigned long pgoffset);

/**
 * __sg_page_iter_next() - step to the next page.
 * @piter: a started cursor.
 *
 * Return: true with @piter on the next page, false past the last (and
 * for NULL).
 */
bool __sg_page_iter_next(struct sg_page_iter *piter);

/**
 * sg_page_iter_page() - the page a cursor is on.
 * @piter: a cursor __sg_page_iter_next() moved.
 *
 * Return: the struct page (the entry's page plus the offset, in the same
 * memory map); NULL for NULL or a cursor past the end.
 */
static inline struct page *sg_page_iter_page(struct sg_page_iter *piter)
{
	return piter && piter->sg ? sg_page(piter->sg) + piter->sg_pgoffset :
				    NULL;
}

/**
 * for_each_sg_page() - loop over every page of the first @nents entries,
 * from page @pgoffset on (an entry's pages are those its offset and
 * length touch, counted from its page).
 * @sglist: the first entry.
 * @piter: the cursor, a struct sg_page_iter *.
 * @nents: entries.
 * @pgoffset: pages to skip.
 */
#define for_each_sg_page(sglist, piter, nents, pgoffset)                 \
	for (__sg_page_iter_start((piter), (sglist), (nents), (pgoffset)); \
	     __sg_page_iter_next(piter);)

/**
 * for_each_sgtable_page() - for_each_sg_page() over a table's CPU
 * entries (orig_nents).
 * @sgt: the table.
 * @piter: the cursor.
 * @pgoffset: pages to skip.
 */
#define for_each_sgtable_page(sgt, piter, pgoffset)                      \
	for_each_sg_page((sgt)->sgl, piter, (sgt)->orig_nents, pgoffset)

/* sg_miter_start() flags. */
#define SG_MITER_ATOMIC		(1 << 0)	/* accepted: nothing sleeps */
#define SG_MITER_TO_SG		(1 << 1)	/* the CPU writes the list */
#define SG_MITER_FROM_SG	(1 << 2)	/* the CPU reads it */

/**
 * struct sg_mapping_iter - a cursor over a list's data, one piece of one
 * page at a time, as CPU pointers.
 */
struct sg_mapping_iter {
	/** @page: the current piece's page */
	struct page *page;
	/** @addr: the piece, a CPU pointer */
	void *addr;
	/** @length: its bytes */
	size_t length;
	/** @consumed: how many the caller used; set it lower before the next
	 * sg_miter_next() to see the rest again */
	size_t consumed;
	/** @piter: the page cursor underneath */
	struct sg_page_iter piter;
	/* private */
	unsigned int __offset;
	unsigned int __remaining;
	unsigned int __flags;
};

/**
 * sg_miter_start() - start walking a list's data.
 * @miter: the cursor; NULL does nothing.
 * @sgl: the first entry.
 * @nents: entries to walk at most.
 * @flags: SG_MITER_TO_SG or SG_MITER_FROM_SG, optionally SG_MITER_ATOMIC.
 */
void sg_miter_start(struct sg_mapping_iter *miter, struct scatterlist *sgl,
		    unsigned int nents, unsigned int flags);

/**
 * sg_miter_next() - the next piece: from where the last one's consumed
 * bytes ended to the end of its page or entry, whichever comes first.
 * @miter: a started cursor.
 *
 * Return: true with @miter->addr and ->length set, false at the end (or
 * at an entry without a page of the current machine: reported; or for
 * NULL).
 */
bool sg_miter_next(struct sg_mapping_iter *miter);

/**
 * sg_miter_skip() - skip bytes ahead of the current position.
 * @miter: a started cursor.
 * @offset: bytes.
 *
 * Return: false if the list ended first (or for NULL).
 */
bool sg_miter_skip(struct sg_mapping_iter *miter, off_t offset);

/**
 * sg_miter_stop() - end the current piece (the next sg_miter_next()
 * continues after its consumed bytes); call it when done walking.
 * @miter: the cursor; NULL does nothing.
 */
void sg_miter_stop(struct sg_mapping_iter *miter);

#ifdef __cplusplus
}
#endif

#endif
