/* SPDX-License-Identifier: MIT */
/*
 * Scatter-gather lists with Linux's layout rules: an entry is a page, an
 * offset and a length, plus the DMA address and length a mapping fills in.
 * Tables are chained arrays; sg_next() walks across chain links.
 */
#ifndef DMAKIT_SCATTERLIST_H
#define DMAKIT_SCATTERLIST_H

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

#ifdef __cplusplus
}
#endif

#endif
