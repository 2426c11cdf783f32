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

#define sg_dma_address(sg)	((sg)->dma_address)
#define sg_dma_len(sg)		((sg)->dma_length)

/* sg_dma_address/sg_dma_len: fields of a mapped entry (@sg not NULL). */

/* sg_is_chain/sg_is_last/sg_page: false/false/NULL for a NULL entry. */
static inline bool sg_is_chain(const struct scatterlist *sg)
{
	return sg && (sg->page_link & SG_CHAIN);
}

static inline bool sg_is_last(const struct scatterlist *sg)
{
	return sg && (sg->page_link & SG_END);
}

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

/* sg_init_table - zero @nents entries and mark the last one. */
void sg_init_table(struct scatterlist *sgl, unsigned int nents);
/* sg_init_one - a one-entry list for the linear-map buffer @buf. */
void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int len);
void sg_set_page(struct scatterlist *sg, struct page *page, unsigned int len,
		 unsigned int offset);
/* sg_set_buf - @buf must be a linear-map (kmalloc/page) address. */
void sg_set_buf(struct scatterlist *sg, const void *buf, unsigned int len);
void sg_mark_end(struct scatterlist *sg);
/* sg_chain - make the last slot of @prv (of @prv_nents, not 0) link to
 * @sgl. */
void sg_chain(struct scatterlist *prv, unsigned int prv_nents,
	      struct scatterlist *sgl);
/* sg_next - the next entry, across chains; NULL after the last or for
 * NULL. */
struct scatterlist *sg_next(struct scatterlist *sg);
/* sg_nents - entries in the list, chains not counted; 0 for NULL. */
int sg_nents(struct scatterlist *sg);
/* sg_virt - linear-map address of the entry's data; NULL (message in
 * dk_last_error()) for NULL or an entry without a page of the machine. */
void *sg_virt(const struct scatterlist *sg);
/* sg_phys - physical address of the entry's data; 0 for NULL. */
phys_addr_t sg_phys(const struct scatterlist *sg);

/*
 * sg_alloc_table - a table of @nents entries, chained in blocks so no
 * single array exceeds a page. Returns 0, -EINVAL (NULL table, nents 0) or
 * -ENOMEM (out of memory, or more than 2^24 entries: Linux fails such a
 * count with -ENOMEM too, only later).
 */
int sg_alloc_table(struct sg_table *table, unsigned int nents, gfp_t gfp);
void sg_free_table(struct sg_table *table);

/*
 * sg_alloc_table_from_pages - one entry per run of physically contiguous
 * pages, each entry at most @max_segment bytes (rounded down to pages;
 * sg_alloc_table_from_pages() passes UINT_MAX). @offset into the first
 * page, @size bytes in total; pages past @size get no entry. Returns 0,
 * -EINVAL (NULL table or pages, no pages, @offset not inside the first
 * page, @size 0 or beyond the pages, @max_segment under a page, or an
 * entry of @pages that is no struct page of the current machine) or
 * -ENOMEM.
 */
int sg_alloc_table_from_pages_segment(struct sg_table *sgt,
				      struct page **pages,
				      unsigned int n_pages, unsigned int offset,
				      unsigned long size,
				      unsigned int max_segment, gfp_t gfp);
int sg_alloc_table_from_pages(struct sg_table *sgt, struct page **pages,
			      unsigned int n_pages, unsigned int offset,
			      unsigned long size, gfp_t gfp);

/*
 * sg_copy_from_buffer/sg_copy_to_buffer - CPU copies through the list.
 * Return the bytes copied: 0 for a NULL list or buffer, and the copy stops
 * at an entry without a page of the machine.
 */
size_t sg_copy_from_buffer(struct scatterlist *sgl, unsigned int nents,
			   const void *buf, size_t buflen);
size_t sg_copy_to_buffer(struct scatterlist *sgl, unsigned int nents,
			 void *buf, size_t buflen);

/* Stops early, rather than walk off, if the list has fewer than @nr. */
#define for_each_sg(sglist, sg, nr, __i)                                 \
	for ((__i) = 0, (sg) = (sglist); (__i) < (nr) && (sg);           \
	     (__i)++, (sg) = sg_next(sg))

#define for_each_sgtable_sg(sgt, sg, i)                                  \
	for_each_sg((sgt)->sgl, sg, (sgt)->orig_nents, i)

#define for_each_sgtable_dma_sg(sgt, sg, i)                              \
	for_each_sg((sgt)->sgl, sg, (sgt)->nents, i)

#ifdef __cplusplus
}
#endif

#endif
