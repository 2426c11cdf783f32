// SPDX-License-Identifier: MIT
/* The stories, in the order the talks tell them. */
#include "story.h"

extern const struct story story_buffer_shambler;

const struct story *const dk_stories[] = {
	&story_buffer_shambler,
	NULL,
};
