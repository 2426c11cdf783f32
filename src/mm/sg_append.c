// SPDX-License-Identifier: MIT
/*
 * Append tables (sg_alloc_append_table_from_pages): a table grown by
 * several calls, with Linux's layout: arrays of at most
 * SG_MAX_SINGLE_ALLOC entries, each sized for what the call and the pages
 * still to come need, their last slot kept for the chain link while more
 * entries will follow.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/scatterlist.h>

#include "mm.h"
#include "../kernel/kernel.h"

static bool consecutive(struct page *a, struct page *b)
{
	return page_to_phys(b) == page_to_phys(a) + PAGE_SIZE;
}

/* The end of the run of consecutive pages from @i, at most @max bytes. */
static unsigned int run_end(struct page **pages, unsigned int n,
			    unsigned int i, unsigned long max)
{
	unsigned int j = i + 1;

	while (j < n && consecutive(pages[j - 1], pages[j]) &&
	       (unsigned long)(j - i + 1) * PAGE_SIZE <= max)
		j++;
	return j;
}

/*
 * The entry after @cur to fill, allocating (and chaining) a new array
 * when @cur's array has only its last slot left and more than one entry
 * is still @needed (that slot then becomes the link).
 */
static struct scatterlist *next_entry(struct sg_append_table *t,
				      struct scatterlist *cur,
				      unsigned long needed)
{
	struct scatterlist *next = cur ? sg_next(cur) : NULL, *sg;
	unsigned int n;

	if (next && (!sg_is_last(next) || needed == 1))
		return next;
	n = needed < SG_MAX_SINGLE_ALLOC ? (unsigned int)needed :
					   (unsigned int)SG_MAX_SINGLE_ALLOC;
	sg = calloc(n, sizeof(*sg));
	if (!sg)
		return NULL;
	sg_init_table(sg, n);
	if (next) {
		/* The link replaces @next: it held no data. */
		next->page_link = ((unsigned long)sg | SG_CHAIN) & ~SG_END;
		next->offset = next->length = 0;
		t->total_nents += n - 1;
	} else {
		t->sgt.sgl = sg;
		t->total_nents = n;
	}
	return sg;
}

/* Extend the last entry with pages that continue it; how many were. */
static unsigned int merge_into_last(struct sg_append_table *t,
				    struct page **pages, unsigned int n_pages,
				    unsigned long max)
{
	struct scatterlist *prv = t->prv;
	phys_addr_t end = sg_phys(prv) + prv->length;
	struct page *last;
	unsigned int i;

	if (end % PAGE_SIZE || page_to_phys(pages[0]) != end)
		return 0;
	last = NULL;
	for (i = 0; i < n_pages; i++) {
		if (last && !consecutive(last, pages[i]))
			break;
		if (prv->length + PAGE_SIZE > max)
			break;
		prv->length += PAGE_SIZE;
		last = pages[i];
	}
	return i;
}

static int check(struct sg_append_table *t, struct page **pages,
		 unsigned int n_pages, unsigned int offset, unsigned long size,
		 unsigned long max)
{
	struct dk_machine *m = dk_machine_current();
	unsigned int i;

	if (!t || !pages || !n_pages || offset >= PAGE_SIZE || !size ||
	    size > (unsigned long)n_pages * PAGE_SIZE - offset)
		return dk_err(-EINVAL,
			      "sg_alloc_append_table_from_pages: %u pages, offset %u, size %lu invalid",
			      n_pages, offset, size);
	if (t->prv && sg_is_last(t->prv))
		return dk_err(-EINVAL,
			      "sg_alloc_append_table_from_pages: the table is complete (its last call had left_pages 0)");
	if (t->prv && offset)
		return dk_err(-EINVAL,
			      "sg_alloc_append_table_from_pages: offset %u on an append (only the first call may have one)",
			      offset);
	if (max < PAGE_SIZE)
		return dk_err(-EINVAL,
			      "sg_alloc_append_table_from_pages: max_segment %lu under a page",
			      max);
	/* Only the pages @size reaches are looked at. */
	if (n_pages > (offset + size + PAGE_SIZE - 1) / PAGE_SIZE)
		n_pages = (offset + size + PAGE_SIZE - 1) / PAGE_SIZE;
	for (i = 0; i < n_pages; i++)
		if (!dk_page_valid(m, pages[i]))
			return dk_err(-EINVAL,
				      "sg_alloc_append_table_from_pages: pages[%u] = %p is no page of the machine",
				      i, (void *)pages[i]);
	return 0;
}

int sg_alloc_append_table_from_pages(struct sg_append_table *sgt_append,
				     struct page **pages, unsigned int n_pages,
				     unsigned int offset, unsigned long size,
				     unsigned int max_segment,
				     unsigned int left_pages, gfp_t gfp)
{
	struct sg_append_table *t = sgt_append;
	unsigned long max = max_segment & PAGE_MASK;
	unsigned int prv_len = 0, chunks = 0, added = 0, i, merged;
	struct scatterlist *s;
	int r;

	(void)gfp;
	r = check(t, pages, n_pages, offset, size, max);
	if (r)
		return r;
	/* Pages past @size carry no data: no entries for them. */
	if (n_pages > (offset + size + PAGE_SIZE - 1) / PAGE_SIZE)
		n_pages = (offset + size + PAGE_SIZE - 1) / PAGE_SIZE;
	s = t->prv;
	if (s) {
		prv_len = s->length;
		merged = merge_into_last(t, pages, n_pages, max);
		pages += merged;
		n_pages -= merged;
		size -= size < (unsigned long)merged * PAGE_SIZE ?
				size : (unsigned long)merged * PAGE_SIZE;
		if (!n_pages)
			goto out;
	}
	for (i = 0; i < n_pages; i = run_end(pages, n_pages, i, max))
		chunks++;
	for (i = 0; i < n_pages; added++) {
		unsigned int j = run_end(pages, n_pages, i, max);
		unsigned int first = i ? 0 : offset;
		unsigned long len;
		struct scatterlist *n;

		n = next_entry(t, s, (unsigned long)chunks - added + left_pages);
		if (!n) {
			if (t->prv)
				t->prv->length = prv_len;
			return dk_err(-ENOMEM, "sg_alloc_append_table_from_pages: out of memory");
		}
		s = n;
		len = (unsigned long)(j - i) * PAGE_SIZE - first;
		if (len > size)
			len = size;
		sg_set_page(s, pages[i], (unsigned int)len, first);
		size -= len;
		i = j;
	}
	t->sgt.nents += added;
	t->sgt.orig_nents = t->sgt.nents;
	t->prv = s;
out:
	if (!left_pages)
		sg_mark_end(s);
	return 0;
}

void sg_free_append_table(struct sg_append_table *sgt_append)
{
	if (!sgt_append)
		return;
	sg_free_table(&sgt_append->sgt);
	memset(sgt_append, 0, sizeof(*sgt_append));
}
