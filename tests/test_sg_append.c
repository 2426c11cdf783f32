// SPDX-License-Identifier: MIT
/*
 * Append tables and page/piece iterators. The counts are the cases of
 * Linux's own userspace scatterlist test (tools/testing/scatterlist):
 * pages given by their frame numbers relative to a block, merged while
 * consecutive and within max_segment; here every entry's page, offset and
 * length are checked too, on real pages of the machine.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/gfp.h>
#include <dmakit/scatterlist.h>

#include "harness.h"
#include "testsoc.h"

#define P	PAGE_SIZE
#define SGMAX	SCATTERLIST_MAX_SEGMENT
#define MAXP	8

struct layout_case {
	int ret;
	unsigned int n;
	unsigned int pfn[MAXP];
	unsigned long size;
	unsigned int max_seg;
	unsigned int nents;
	unsigned int n_app;		/* pages of a second, appending call */
	unsigned int pfn_app[MAXP];
};

static const struct layout_case cases[] = {
	{ -EINVAL, 1, { 0 }, P, 0, 0, 0, { 0 } },
	{ 0, 1, { 0 }, P, P + 1, 1, 0, { 0 } },
	{ 0, 1, { 0 }, P, SGMAX + 1, 1, 0, { 0 } },
	{ 0, 1, { 0 }, P, SGMAX, 1, 0, { 0 } },
	{ 0, 1, { 0 }, 1, SGMAX, 1, 0, { 0 } },
	{ 0, 2, { 0, 1 }, 2 * P, SGMAX, 1, 0, { 0 } },
	{ 0, 2, { 1, 0 }, 2 * P, SGMAX, 2, 0, { 0 } },
	{ 0, 3, { 0, 1, 2 }, 3 * P, SGMAX, 1, 0, { 0 } },
	{ 0, 3, { 0, 2, 1 }, 3 * P, SGMAX, 3, 0, { 0 } },
	{ 0, 3, { 0, 1, 3 }, 3 * P, SGMAX, 2, 0, { 0 } },
	{ 0, 3, { 1, 2, 4 }, 3 * P, SGMAX, 2, 0, { 0 } },
	{ 0, 3, { 1, 3, 4 }, 3 * P, SGMAX, 2, 0, { 0 } },
	{ 0, 4, { 0, 1, 3, 4 }, 4 * P, SGMAX, 2, 0, { 0 } },
	{ 0, 5, { 0, 1, 3, 4, 5 }, 5 * P, SGMAX, 2, 0, { 0 } },
	{ 0, 5, { 0, 1, 3, 4, 6 }, 5 * P, SGMAX, 3, 0, { 0 } },
	{ 0, 5, { 0, 1, 2, 3, 4 }, 5 * P, SGMAX, 1, 0, { 0 } },
	{ 0, 5, { 0, 1, 2, 3, 4 }, 5 * P, 2 * P, 3, 0, { 0 } },
	{ 0, 6, { 0, 1, 2, 3, 4, 5 }, 6 * P, 2 * P, 3, 0, { 0 } },
	{ 0, 6, { 0, 2, 3, 4, 5, 6 }, 6 * P, 2 * P, 4, 0, { 0 } },
	{ 0, 6, { 0, 1, 3, 4, 5, 6 }, 6 * P, 2 * P, 3, 0, { 0 } },
	/* Appends: the second call's first page continues the last entry. */
	{ 0, 3, { 0, 1, 2 }, 3 * P, SGMAX, 1, 3, { 3, 4, 5 } },
	{ 0, 3, { 0, 1, 2 }, 3 * P, SGMAX, 2, 3, { 4, 5, 6 } },
	{ 0, 2, { 0, 1 }, 2 * P, 2 * P, 2, 2, { 2, 3 } },
	{ 0, 2, { 0, 1 }, 2 * P, 3 * P, 2, 2, { 2, 3 } },
	{ 0, 1, { 1 }, P, SGMAX, 2, 1, { 0 } },
};

/* What the entries must be: a run of pages (first pfn, page count). */
static unsigned int runs(const struct layout_case *c, unsigned int *first,
			 unsigned int *npages)
{
	unsigned int pfn[2 * MAXP], n = 0, i, k = 0;
	unsigned long max = c->max_seg & PAGE_MASK;

	for (i = 0; i < c->n; i++)
		pfn[n++] = c->pfn[i];
	for (i = 0; i < c->n_app; i++)
		pfn[n++] = c->pfn_app[i];
	for (i = 0; i < n; i++) {
		if (k && pfn[i] == first[k - 1] + npages[k - 1] &&
		    (npages[k - 1] + 1) * P <= max) {
			npages[k - 1]++;
			continue;
		}
		first[k] = pfn[i];
		npages[k++] = 1;
	}
	return k;
}

TEST(sg_append_layouts_match_linux_scatterlist_test)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct page *block = alloc_pages(GFP_KERNEL, 3);
	size_t ci;

	CHECK(block != NULL);
	for (ci = 0; block && ci < sizeof(cases) / sizeof(cases[0]); ci++) {
		const struct layout_case *c = &cases[ci];
		struct sg_append_table app;
		struct page *pages[MAXP];
		unsigned int first[2 * MAXP], np[2 * MAXP], k, i;
		struct scatterlist *sg;
		int r;

		memset(&app, 0, sizeof(app));
		for (i = 0; i < c->n; i++)
			pages[i] = block + c->pfn[i];
		r = sg_alloc_append_table_from_pages(&app, pages, c->n, 0,
						     c->size, c->max_seg,
						     c->n_app, GFP_KERNEL);
		CHECK_EQ(r, c->ret);
		if (!r && c->n_app) {
			for (i = 0; i < c->n_app; i++)
				pages[i] = block + c->pfn_app[i];
			CHECK_EQ(sg_alloc_append_table_from_pages(&app, pages,
					c->n_app, 0, c->n_app * P, c->max_seg,
					0, GFP_KERNEL), 0);
		}
		if (r) {
			sg_free_append_table(&app);
			continue;
		}
		CHECK_EQ(app.sgt.nents, c->nents);
		CHECK_EQ(app.sgt.orig_nents, c->nents);
		k = runs(c, first, np);
		CHECK_EQ(k, c->nents);
		for_each_sg(app.sgt.sgl, sg, app.sgt.nents, i) {
			unsigned long want = np[i] * P;

			if (c->size < P)
				want = c->size;
			if (sg_page(sg) != block + first[i] || sg->offset ||
			    sg->length != want) {
				printf("case %zu entry %u: page +%ld len %u, want +%u len %lu\n",
				       ci, i, (long)(sg_page(sg) - block),
				       sg->length, first[i], want);
				CHECK(false);
			}
		}
		/* The last call marked the end at the last entry. */
		for (sg = app.sgt.sgl, i = 1; i < app.sgt.nents; i++)
			sg = sg_next(sg);
		CHECK(sg_is_last(sg));
		sg_free_append_table(&app);
		CHECK(app.sgt.sgl == NULL && !app.prv && !app.total_nents);
	}
	__free_pages(block, 3);
	testmachine_shutdown(&t);
}

/* 200 single-page entries appended in four calls: two chained arrays,
 * sized as the calls ask, and nothing allocated that is not used. */
TEST(sg_append_chains_arrays_as_the_calls_need)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct page *block = alloc_pages(GFP_KERNEL, 9), *pages[50];
	struct sg_append_table app;
	struct scatterlist *sg;
	unsigned int i, call;

	CHECK(block != NULL);
	memset(&app, 0, sizeof(app));
	for (call = 0; block && call < 4; call++) {
		/* Every other page: no two consecutive. */
		for (i = 0; i < 50; i++)
			pages[i] = block + 2 * (50 * call + i);
		CHECK_EQ(sg_alloc_append_table_from_pages(&app, pages, 50, 0,
				50 * P, SGMAX, 150 - 50 * call, GFP_KERNEL), 0);
		CHECK_EQ(app.sgt.nents, 50 * (call + 1));
	}
	/* 128 entries a page; the first array's last slot links to one of
	 * 73 that the third call asked for (27 + 50 still to come). */
	CHECK_EQ(SG_MAX_SINGLE_ALLOC, 128);
	CHECK_EQ(app.total_nents, 200);
	CHECK(sg_is_chain(&app.sgt.sgl[127]));
	CHECK(sg_is_last(&((struct scatterlist *)sg_page(&app.sgt.sgl[127]))[72]));
	for_each_sg(app.sgt.sgl, sg, app.sgt.nents, i)
		if (sg_page(sg) != block + 2 * i || sg->length != P)
			break;
	CHECK_EQ(i, 200);
	/* Complete: a further append is refused. */
	CHECK_EQ(sg_alloc_append_table_from_pages(&app, pages, 1, 0, P, SGMAX,
						  0, GFP_KERNEL), -EINVAL);
	CHECK(err_is("sg_alloc_append_table_from_pages: the table is complete (its last call had left_pages 0)"));
	sg_free_append_table(&app);
	__free_pages(block, 9);
	testmachine_shutdown(&t);
}

TEST(sg_append_refuses_an_offset_on_appends_and_foreign_pages)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct page *block = alloc_pages(GFP_KERNEL, 1), *pg[2], fake;
	struct sg_append_table app;

	memset(&app, 0, sizeof(app));
	pg[0] = block;
	pg[1] = &fake;
	CHECK_EQ(sg_alloc_append_table_from_pages(&app, pg, 2, 0, 2 * P, SGMAX,
						  0, GFP_KERNEL), -EINVAL);
	CHECK(strstr(dk_last_error(), "pages[1] = ") &&
	      strstr(dk_last_error(), " is no page of the machine"));
	CHECK_EQ(sg_alloc_append_table_from_pages(&app, pg, 1, 16, P - 16,
						  SGMAX, 1, GFP_KERNEL), 0);
	pg[0] = block + 1;
	CHECK_EQ(sg_alloc_append_table_from_pages(&app, pg, 1, 8, P - 8, SGMAX,
						  0, GFP_KERNEL), -EINVAL);
	CHECK(err_is("sg_alloc_append_table_from_pages: offset 8 on an append (only the first call may have one)"));
	/* The first entry ends mid-page: the next page cannot extend it. */
	CHECK_EQ(sg_alloc_append_table_from_pages(&app, pg, 1, 0, P, SGMAX, 0,
						  GFP_KERNEL), 0);
	CHECK_EQ(app.sgt.nents, 1);
	CHECK_EQ(app.sgt.sgl[0].offset, 16);
	CHECK_EQ(app.sgt.sgl[0].length, 2 * P - 16);
	sg_free_append_table(&app);
	__free_pages(block, 1);
	testmachine_shutdown(&t);
}

TEST(sg_page_iter_and_miter_walk_pages_and_pieces)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct page *block = alloc_pages(GFP_KERNEL, 3);
	struct scatterlist sgl[2];
	struct sg_mapping_iter mi;
	struct sg_page_iter pi;
	size_t lens[8], want[] = { P - 100, P, 100, 10, P - 10 - 8 };
	u8 out[3 * P];
	int n = 0, i;

	sg_init_table(sgl, 2);
	/* Pages 0-2 from byte 100, then page 5 from byte 8 (offset past
	 * the page count from the entry's page: pages 4 and 5 is 2). */
	sg_set_page(&sgl[0], block, 2 * P, 100);
	sg_set_page(&sgl[1], block + 4, P - 8, P + 8);
	for_each_sg_page(sgl, &pi, 2, 0)
		lens[n++] = (size_t)(sg_page_iter_page(&pi) - block);
	CHECK_EQ(n, 5);
	CHECK_EQ(lens[0], 0);
	CHECK_EQ(lens[2], 2);
	CHECK_EQ(lens[3], 4);	/* the second entry's pages: 4 and 5 */
	CHECK_EQ(lens[4], 5);
	n = 0;
	for_each_sg_page(sgl, &pi, 2, 2)
		n++;
	CHECK_EQ(n, 3);		/* from page 2 of the first entry on */

	sg_miter_start(&mi, sgl, 2, SG_MITER_TO_SG | SG_MITER_ATOMIC);
	n = 0;
	while (sg_miter_next(&mi) && n < 8) {
		if (n == 3)
			mi.consumed = 10;	/* the rest comes back next */
		memset(mi.addr, 0x40 + n, mi.consumed);
		lens[n++] = mi.consumed == mi.length ? mi.length : mi.consumed;
	}
	sg_miter_stop(&mi);
	CHECK_EQ(n, 5);
	for (i = 0; i < 5; i++)
		CHECK_EQ(lens[i], want[i]);
	CHECK_EQ(sg_copy_to_buffer(sgl, 2, out, sizeof(out)),
		 2 * P + P - 8);
	CHECK(bytes_are(out, 0x40, P - 100));
	CHECK(bytes_are(out + P - 100, 0x41, P));
	CHECK(bytes_are(out + 2 * P - 100, 0x42, 100));
	CHECK(bytes_are(out + 2 * P, 0x43, 10));
	CHECK(bytes_are(out + 2 * P + 10, 0x44, P - 18));
	/* Skipping lands mid-page. */
	sg_miter_start(&mi, sgl, 2, SG_MITER_FROM_SG);
	CHECK(sg_miter_skip(&mi, P));
	CHECK(sg_miter_next(&mi));
	CHECK(mi.addr == (u8 *)page_address(block + 1) + 100);
	CHECK_EQ(mi.length, P - 100);
	sg_miter_stop(&mi);
	CHECK(!sg_miter_skip(&mi, 4 * P));
	__free_pages(block, 3);
	testmachine_shutdown(&t);
}
