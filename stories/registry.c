// SPDX-License-Identifier: MIT
/* The stories, in the order the talks tell them. */
#include "story.h"

extern const struct story story_asking_for_a_friend;
extern const struct story story_kernel_hang_on_boot;
extern const struct story story_buffer_shambler;
extern const struct story story_streaming_vs_coherent;

const struct story *const dk_stories[] = {
	&story_asking_for_a_friend,
	&story_kernel_hang_on_boot,
	&story_buffer_shambler,
	&story_streaming_vs_coherent,
	NULL,
};
