// SPDX-License-Identifier: MIT
/* The stories, in the order the talks tell them, and the talks. */
#include <stdio.h>

#include "story.h"

/* The slides carry no title page; the speaker and year are those of the
 * barebox patch series its last slide points at (2024-09). */
const struct story_source story_talk_fatoum = {
	.title = NULL,
	.speaker = "Ahmad Fatoum",
	.event = "a talk on DMA bugs in Linux and barebox, 2024",
};

const struct story_source story_talk_sang = {
	.title = "DMA safety in buffers for Linux Kernel device drivers",
	.speaker = "Wolfram Sang",
	.event = "Embedded Linux Conference Europe 2018",
};

const struct story_source story_talk_pinchart = {
	.title = "Mastering the DMA and IOMMU APIs",
	.speaker = "Laurent Pinchart",
	.event = "Embedded Linux Conference 2014, San Jose",
};

/* The Q&A threads: public questions and answers, no speakers. */
#define QA_WHERE "a public Q&A thread on Linux kernel DMA"

const struct story_source story_thread_dma_into_kernel = {
	.title = "Linux kernel device driver to DMA into kernel space",
	.event = QA_WHERE,
};

const struct story_source story_thread_struct_page_mapping = {
	.title = "Map physical memory to userspace as normal, struct page backed mapping",
	.event = QA_WHERE,
};

const struct story_source story_thread_copy_to_user_io = {
	.title = "Can copy_to_user be used for IO memory?",
	.event = QA_WHERE,
};

const struct story_source story_thread_sram_dma = {
	.title = "Mapping device memory for Linux 2.6.30 DMA API",
	.event = QA_WHERE,
};

const struct story_source story_thread_zero_copy = {
	.title = "Linux Zero Copy",
	.event = QA_WHERE,
};
const struct story_source story_thread_trustzone = {
	.title = "How is working the process of direct access to memory in non-SecureOS and SecureOS in trustzone systems",
	.event = QA_WHERE,
};

const char *story_cite(const struct story *s, char *buf, size_t len)
{
	const struct story_source *f = s->from;

	if (!f->speaker)
		snprintf(buf, len, "question \u201c%s\u201d in the thread \u201c%s\u201d, %s",
			 s->slide, f->title, f->event);
	else if (f->title)
		snprintf(buf, len, "slide \u201c%s\u201d of \u201c%s\u201d, %s, %s",
			 s->slide, f->title, f->speaker, f->event);
	else
		snprintf(buf, len, "slide \u201c%s\u201d, %s, %s", s->slide,
			 f->speaker, f->event);
	return buf;
}

extern const struct story story_more_ram_more_crashes;
extern const struct story story_two_are_better_than_one;
extern const struct story story_permissible_aligned;
extern const struct story story_permissible_contiguous;
extern const struct story story_permissible_addressable;
extern const struct story story_permissible_alias;
extern const struct story story_flunking_the_self_test;
extern const struct story story_flunking_soc_wide;
extern const struct story story_dma_config_inheritance;
extern const struct story story_asking_for_a_friend;
extern const struct story story_kernel_hang_on_boot;
extern const struct story story_kernel_hang_kexec;
extern const struct story story_kernel_hang_on_boot_iommu;
extern const struct story story_stale_iotlb;
extern const struct story story_reverse_usb_killer;
extern const struct story story_corrupted_sd_cards;
extern const struct story story_corrupted_sd_cards_slave;
extern const struct story story_dma_a_lot;
extern const struct story story_not_this_tall_off_by_one;
extern const struct story story_not_this_tall;
extern const struct story story_buffer_shambler;
extern const struct story story_dma_unsafe_i2c;
extern const struct story story_devm_kmalloc;
extern const struct story story_regmap_bulk;
extern const struct story story_streaming_vs_coherent;
extern const struct story story_write_buffer;
extern const struct story story_barebox_memory_mapping;
extern const struct story story_write_combining;
extern const struct story story_store_buffer_coherent;
extern const struct story story_read_order;
extern const struct story story_cache_clash;
extern const struct story story_cache_clash_bounce;
extern const struct story story_qa_kmalloc_read;
extern const struct story story_qa_user_copy;
extern const struct story story_qa_mmap_coherent;
extern const struct story story_qa_user_pages;
extern const struct story story_qa_reserved_to_user;
extern const struct story story_qa_copy_to_user_io;
extern const struct story story_qa_sram_dma;
extern const struct story story_qa_tz_cache_lines;

const struct story *const dk_stories[] = {
	&story_more_ram_more_crashes,
	&story_two_are_better_than_one,
	&story_permissible_aligned,
	&story_permissible_contiguous,
	&story_permissible_addressable,
	&story_permissible_alias,
	&story_flunking_the_self_test,
	&story_flunking_soc_wide,
	&story_dma_config_inheritance,
	&story_asking_for_a_friend,
	&story_kernel_hang_on_boot,
	&story_kernel_hang_kexec,
	&story_kernel_hang_on_boot_iommu,
	&story_stale_iotlb,
	&story_reverse_usb_killer,
	&story_corrupted_sd_cards,
	&story_corrupted_sd_cards_slave,
	&story_dma_a_lot,
	&story_not_this_tall_off_by_one,
	&story_not_this_tall,
	&story_buffer_shambler,
	&story_dma_unsafe_i2c,
	&story_devm_kmalloc,
	&story_regmap_bulk,
	&story_streaming_vs_coherent,
	&story_write_buffer,
	&story_barebox_memory_mapping,
	&story_write_combining,
	&story_store_buffer_coherent,
	&story_read_order,
	&story_cache_clash,
	&story_cache_clash_bounce,
	&story_qa_kmalloc_read,
	&story_qa_user_copy,
	&story_qa_mmap_coherent,
	&story_qa_user_pages,
	&story_qa_reserved_to_user,
	&story_qa_copy_to_user_io,
	&story_qa_sram_dma,
	&story_qa_tz_cache_lines,
	NULL,
};
