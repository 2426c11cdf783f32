// SPDX-License-Identifier: MIT
/*
 * Scatterlists: Linux's encoding (flags in the low bits of page_link, a
 * chain entry points at the next array) and table allocation in chained
 * blocks of at most one page of entries.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/scatterlist.h>

#include "mm.h"
#include "../kernel/kernel.h"


/*
 * The most entries one table may have. The entries are host memory, not
 * the machine's, so nothing else bounds them: a count near UINT_MAX would
 * allocate 128 GiB one page at a time before failing.
 */
#define SG_MAX_TABLE_ENTRIES (1U << 24)

/* NULL where an entry is needed: refuse loudly (void functions). */
static bool sg_null(const void *p, const char *fn)
{
	if (p)
		return false;
	dk_err_log(-EINVAL, "BUG: %s: NULL scatterlist", fn);
	return true;
}

void sg_init_table(struct scatterlist *sgl, unsigned int nents)
{
	if (sg_null(sgl, "sg_init_table"))
		return;
	memset(sgl, 0, sizeof(*sgl) * nents);
	if (nents)
		sg_mark_end(&sgl[nents - 1]);
}

void sg_set_page(struct scatterlist *sg, struct page *page, unsigned int len,
		 unsigned int offset)
{
	if (sg_null(sg, "sg_set_page"))
		return;
	sg->page_link = (unsigned long)page | (sg->page_link & SG_END);
	sg->offset = offset;
	sg->length = len;
}

void sg_set_buf(struct scatterlist *sg, const void *buf, unsigned int len)
{
	struct page *pg;

	if (sg_null(sg, "sg_set_buf"))
		return;
	pg = virt_to_page(buf);
	/* Linux's CONFIG_DEBUG_SG stops here: said where the entry is made,
	 * not only as a page-less entry when dma_map_sg() refuses it. */
	if (!pg)
		dk_warn("BUG: sg_set_buf(%p, %u): not linear-map memory (a stack, static, vmalloc or malloc buffer?): the entry gets no page and dma_map_sg() will refuse it; use kmalloc() or alloc_pages() memory",
			buf, len);
	sg_set_page(sg, pg, len, (uintptr_t)buf & ~PAGE_MASK);
}

void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int len)
{
	sg_init_table(sg, 1);
	sg_set_buf(sg, buf, len);
}

void sg_mark_end(struct scatterlist *sg)
{
	if (sg_null(sg, "sg_mark_end"))
		return;
	sg->page_link = (sg->page_link & ~SG_CHAIN) | SG_END;
}

void sg_chain(struct scatterlist *prv, unsigned int prv_nents,
	      struct scatterlist *sgl)
{
	if (sg_null(prv, "sg_chain") || sg_null(sgl, "sg_chain"))
		return;
	if (!prv_nents) {
		dk_err_log(-EINVAL, "BUG: sg_chain: a list of 0 entries has no slot for the link");
		return;
	}
	prv[prv_nents - 1].offset = 0;
	prv[prv_nents - 1].length = 0;
	prv[prv_nents - 1].page_link = ((unsigned long)sgl | SG_CHAIN) & ~SG_END;
}

struct scatterlist *sg_next(struct scatterlist *sg)
{
	if (!sg || sg_is_last(sg))
		return NULL;
	sg++;
	if (sg_is_chain(sg))
		sg = (struct scatterlist *)(sg->page_link & ~(SG_CHAIN | SG_END));
	return sg;
}

int sg_nents(struct scatterlist *sg)
{
	int n;

	for (n = 0; sg; sg = sg_next(sg))
		n++;
	return n;
}

phys_addr_t sg_phys(const struct scatterlist *sg)
{
	if (!sg) {
		dk_err(-EINVAL, "sg_phys: NULL scatterlist");
		return 0;
	}
	return page_to_phys(sg_page(sg)) + sg->offset;
}

void *sg_virt(const struct scatterlist *sg)
{
	if (!sg || !page_address(sg_page(sg))) {
		dk_err(-EINVAL, "sg_virt: %s",
		       sg ? "the entry has no page of the machine" :
			    "NULL scatterlist");
		return NULL;
	}
	return (u8 *)page_address(sg_page(sg)) + sg->offset;
}

int sg_alloc_table(struct sg_table *table, unsigned int nents, gfp_t gfp)
{
	struct scatterlist *prev = NULL;
	unsigned int left = nents, prev_n = 0;

	(void)gfp;
	if (!table)
		return dk_err(-EINVAL, "sg_alloc_table: NULL table");
	memset(table, 0, sizeof(*table));
	if (!nents)
		return dk_err(-EINVAL, "sg_alloc_table: 0 entries");
	if (nents > SG_MAX_TABLE_ENTRIES)
		return dk_err(-ENOMEM, "sg_alloc_table: %u entries is over the limit of %u",
			      nents, SG_MAX_TABLE_ENTRIES);
	while (left) {
		/* A block that is not the last gives its final slot to the
		 * chain link, as Linux's __sg_alloc_table() does. */
		unsigned int n = left > SG_MAX_SINGLE_ALLOC ?
					 SG_MAX_SINGLE_ALLOC : left;
		unsigned int used = left > SG_MAX_SINGLE_ALLOC ? n - 1 : n;
		struct scatterlist *sg = calloc(n, sizeof(*sg));

		if (!sg) {
			table->orig_nents = nents - left;
			if (prev)
				sg_mark_end(&prev[prev_n - 1]);
			sg_free_table(table);
			return dk_err(-ENOMEM, "sg_alloc_table: out of memory");
		}
		sg_init_table(sg, n);
		if (prev)
			sg_chain(prev, prev_n, sg);
		else
			table->sgl = sg;
		left -= used;
		prev = sg;
		prev_n = n;
	}
	table->orig_nents = table->nents = nents;
	return 0;
}

void sg_free_table(struct sg_table *table)
{
	struct scatterlist *sg;

	if (!table || !table->sgl)
		return;
	sg = table->sgl;
	while (sg) {
		struct scatterlist *block = sg, *next = NULL;
		unsigned int i;

		for (i = 0; i < SG_MAX_SINGLE_ALLOC; i++) {
			if (sg_is_chain(&block[i])) {
				next = (struct scatterlist *)
					(block[i].page_link & ~(SG_CHAIN | SG_END));
				break;
			}
			if (sg_is_last(&block[i]))
				break;
		}
		free(block);
		sg = next;
	}
	table->sgl = NULL;
	table->nents = table->orig_nents = 0;
}

int sg_alloc_table_from_pages_segment(struct sg_table *sgt,
				      struct page **pages,
				      unsigned int n_pages, unsigned int offset,
				      unsigned long size,
				      unsigned int max_segment, gfp_t gfp)
{
	struct dk_machine *m = dk_machine_current();
	struct scatterlist *sg;
	unsigned int chunks = 0, i, cur = 0;
	unsigned long max = max_segment & PAGE_MASK;
	int r;

	if (!sgt || !pages || !n_pages || offset >= PAGE_SIZE ||
	    size > (unsigned long)n_pages * PAGE_SIZE - offset || !size)
		return dk_err(-EINVAL,
			      "sg_alloc_table_from_pages: %u pages, offset %u, size %lu invalid",
			      n_pages, offset, size);
	/* As Linux, 0 is refused rather than taken for "no limit" (that is
	 * UINT_MAX, what sg_alloc_table_from_pages passes). */
	if (max < PAGE_SIZE)
		return dk_err(-EINVAL, "sg_alloc_table_from_pages: max_segment %u under a page",
			      max_segment);
	/* Pages past @size carry no data: no zero-length entries for them. */
	if (n_pages > (offset + size + PAGE_SIZE - 1) / PAGE_SIZE)
		n_pages = (offset + size + PAGE_SIZE - 1) / PAGE_SIZE;
	for (i = 0; i < n_pages; i++)
		if (!dk_page_valid(m, pages[i]))
			return dk_err(-EINVAL,
				      "sg_alloc_table_from_pages: pages[%u] = %p is no page of the machine",
				      i, (void *)pages[i]);
	/* Count runs of physically consecutive pages, split at max. */
	for (i = 0; i < n_pages; i++) {
		unsigned long run = (unsigned long)(i - cur + 1) * PAGE_SIZE;

		if (i == 0 || page_to_phys(pages[i]) !=
				      page_to_phys(pages[i - 1]) + PAGE_SIZE ||
		    run > max) {
			chunks++;
			cur = i;
		}
	}
	r = sg_alloc_table(sgt, chunks, gfp);
	if (r)
		return r;
	sg = sgt->sgl;
	for (i = 0; i < n_pages;) {
		unsigned int j = i + 1, first_off = i ? 0 : offset;
		unsigned long len;

		while (j < n_pages &&
		       page_to_phys(pages[j]) == page_to_phys(pages[j - 1]) + PAGE_SIZE &&
		       (unsigned long)(j - i + 1) * PAGE_SIZE <= max)
			j++;
		len = (unsigned long)(j - i) * PAGE_SIZE - first_off;
		if (len > size)
			len = size;
		sg_set_page(sg, pages[i], len, first_off);
		size -= len;
		i = j;
		sg = sg_next(sg);
	}
	return 0;
}

int sg_alloc_table_from_pages(struct sg_table *sgt, struct page **pages,
			      unsigned int n_pages, unsigned int offset,
			      unsigned long size, gfp_t gfp)
{
	return sg_alloc_table_from_pages_segment(sgt, pages, n_pages, offset,
						 size, UINT_MAX, gfp);
}

static size_t copy(struct scatterlist *sgl, unsigned int nents, void *buf,
		   size_t buflen, bool to_sg)
{
	struct scatterlist *sg;
	size_t done = 0;
	unsigned int i;

	if (!sgl || (!buf && buflen)) {
		dk_err(-EINVAL, "sg_copy: NULL %s", sgl ? "buffer" : "scatterlist");
		return 0;
	}
	for_each_sg(sgl, sg, nents, i) {
		size_t n = sg->length < buflen - done ? sg->length : buflen - done;

		if (n && !sg_virt(sg))
			break;
		if (to_sg)
			memcpy(sg_virt(sg), (u8 *)buf + done, n);
		else
			memcpy((u8 *)buf + done, sg_virt(sg), n);
		done += n;
		if (done == buflen)
			break;
	}
	return done;
}

size_t sg_copy_from_buffer(struct scatterlist *sgl, unsigned int nents,
			   const void *buf, size_t buflen)
{
	return copy(sgl, nents, (void *)buf, buflen, true);
}

size_t sg_copy_to_buffer(struct scatterlist *sgl, unsigned int nents,
			 void *buf, size_t buflen)
{
	return copy(sgl, nents, buf, buflen, false);
}
