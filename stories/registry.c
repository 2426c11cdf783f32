// SPDX-License-Identifier: MIT
/* The stories, in the order the talks tell them. */
#include "story.h"

extern const struct story story_more_ram_more_crashes;
extern const struct story story_two_are_better_than_one;
extern const struct story story_flunking_the_self_test;
extern const struct story story_dma_config_inheritance;
extern const struct story story_asking_for_a_friend;
extern const struct story story_kernel_hang_on_boot;
extern const struct story story_reverse_usb_killer;
extern const struct story story_corrupted_sd_cards;
extern const struct story story_dma_a_lot;
extern const struct story story_not_this_tall;
extern const struct story story_buffer_shambler;
extern const struct story story_dma_unsafe_i2c;
extern const struct story story_streaming_vs_coherent;

const struct story *const dk_stories[] = {
	&story_more_ram_more_crashes,
	&story_two_are_better_than_one,
	&story_flunking_the_self_test,
	&story_dma_config_inheritance,
	&story_asking_for_a_friend,
	&story_kernel_hang_on_boot,
	&story_reverse_usb_killer,
	&story_corrupted_sd_cards,
	&story_dma_a_lot,
	&story_not_this_tall,
	&story_buffer_shambler,
	&story_dma_unsafe_i2c,
	&story_streaming_vs_coherent,
	NULL,
};
