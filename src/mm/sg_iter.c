// SPDX-License-Identifier: MIT
/* Walking a scatterlist page by page and piece by piece (sg_miter). */
#include <errno.h>
#include <string.h>

#include <dmakit/scatterlist.h>

#include "mm.h"
#include "../kernel/kernel.h"

/* The pages an entry's offset and length touch, from its page on. */
static unsigned int pages_of(const struct scatterlist *sg)
{
	return (unsigned int)(PAGE_ALIGN((unsigned long)sg->offset + sg->length) >>
			      PAGE_SHIFT);
}

void __sg_page_iter_start(struct sg_page_iter *piter,
			  struct scatterlist *sglist, unsigned int nents,
			  unsigned long pgoffset)
{
	if (!piter)
		return;
	piter->sg = sglist;
	piter->sg_pgoffset = (unsigned int)pgoffset;
	piter->__nents = nents;
	piter->__pg_advance = 0;	/* the first step stays on the start */
}

bool __sg_page_iter_next(struct sg_page_iter *piter)
{
	if (!piter || !piter->sg || !piter->__nents)
		return false;
	piter->sg_pgoffset += piter->__pg_advance;
	piter->__pg_advance = 1;
	while (piter->sg_pgoffset >= pages_of(piter->sg)) {
		piter->sg_pgoffset -= pages_of(piter->sg);
		piter->sg = sg_next(piter->sg);
		if (!--piter->__nents || !piter->sg)
			return false;
	}
	return true;
}

void sg_miter_start(struct sg_mapping_iter *miter, struct scatterlist *sgl,
		    unsigned int nents, unsigned int flags)
{
	if (!miter)
		return;
	memset(miter, 0, sizeof(*miter));
	__sg_page_iter_start(&miter->piter, sgl, nents, 0);
	miter->__flags = flags;
}

/* Onto the next page with data left, if the current one has none. */
static bool next_page(struct sg_mapping_iter *miter)
{
	struct scatterlist *sg;
	unsigned long end;

	if (miter->__remaining)
		return true;
	if (!__sg_page_iter_next(&miter->piter))
		return false;
	sg = miter->piter.sg;
	/* An entry's first page starts at its offset, which may lie pages
	 * past its page. */
	miter->__offset = miter->piter.sg_pgoffset ? 0 : sg->offset;
	miter->piter.sg_pgoffset += miter->__offset >> PAGE_SHIFT;
	miter->__offset &= PAGE_SIZE - 1;
	end = (unsigned long)sg->offset + sg->length -
	      ((unsigned long)miter->piter.sg_pgoffset << PAGE_SHIFT);
	miter->__remaining = (unsigned int)(end - miter->__offset);
	if (miter->__remaining > PAGE_SIZE - miter->__offset)
		miter->__remaining = (unsigned int)(PAGE_SIZE - miter->__offset);
	return true;
}

bool sg_miter_next(struct sg_mapping_iter *miter)
{
	struct page *pg;
	void *va;

	if (!miter)
		return false;
	sg_miter_stop(miter);
	if (!next_page(miter))
		return false;
	pg = sg_page_iter_page(&miter->piter);
	va = dk_page_valid(dk_machine_current(), pg) ? page_address(pg) : NULL;
	if (!va) {
		dk_err_log(-EINVAL, "sg_miter_next: entry page %p is no page of the machine",
			   (void *)pg);
		return false;
	}
	miter->page = pg;
	miter->addr = (u8 *)va + miter->__offset;
	miter->length = miter->consumed = miter->__remaining;
	return true;
}

bool sg_miter_skip(struct sg_mapping_iter *miter, off_t offset)
{
	if (!miter)
		return false;
	sg_miter_stop(miter);
	while (offset > 0) {
		unsigned int n;

		if (!next_page(miter))
			return false;
		n = offset < (off_t)miter->__remaining ? (unsigned int)offset :
							 miter->__remaining;
		miter->__offset += n;
		miter->__remaining -= n;
		offset -= n;
	}
	return true;
}

void sg_miter_stop(struct sg_mapping_iter *miter)
{
	if (!miter || !miter->addr)
		return;
	if (miter->consumed > miter->length) {
		dk_warn("WARNING: sg_miter_stop: %zu bytes consumed of a %zu-byte piece",
			miter->consumed, miter->length);
		miter->consumed = miter->length;
	}
	miter->__offset += (unsigned int)miter->consumed;
	miter->__remaining -= (unsigned int)miter->consumed;
	miter->page = NULL;
	miter->addr = NULL;
	miter->length = miter->consumed = 0;
}
