/* SPDX-License-Identifier: MIT */
/* tests/linux/oldremove.c: a driver built for Linux 6.6's API. */
#ifndef DMAKIT_TESTS_LINUX_OLDREMOVE_H
#define DMAKIT_TESTS_LINUX_OLDREMOVE_H

struct oldremove_result {
	int probed;
	int removed;
	int version_seen;	/* the driver's own #if saw 6.6 */
};

extern struct oldremove_result oldremove;

#endif
