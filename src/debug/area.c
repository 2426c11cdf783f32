// SPDX-License-Identifier: MIT
/*
 * What kind of memory a pointer is: this thread's or the main thread's
 * stack, program text or read-only data, vmalloc, the linear map of RAM,
 * or something else (malloc, an alias). Only consulted when a pointer is
 * suspicious or when asked, so reading /proc/self/maps is affordable.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <dmakit/slab.h>
#include <dmakit/vmalloc.h>

#include "area.h"

static bool on_my_stack(const void *p)
{
	pthread_attr_t a;
	void *base;
	size_t size;
	bool r = false;

	if (pthread_getattr_np(pthread_self(), &a))
		return false;
	if (!pthread_attr_getstack(&a, &base, &size))
		r = (uintptr_t)p - (uintptr_t)base < size;
	pthread_attr_destroy(&a);
	return r;
}

/* Look @p up in /proc/self/maps: its permissions and path. */
static bool maps_entry(const void *p, char perms[5], char *path, size_t len)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char pth[256] = "";

		if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %255[^\n]", &lo, &hi,
			   perms, pth) < 3)
			continue;
		if ((uintptr_t)p >= lo && (uintptr_t)p < hi) {
			snprintf(path, len, "%s", pth);
			found = true;
		}
	}
	fclose(f);
	return found;
}

enum dk_area dk_area_of(struct dk_machine *m, const void *p)
{
	char perms[5] = "", path[256] = "";
	phys_addr_t pa;

	if (m && dk_linear_to_phys(m, p, &pa))
		return DK_AREA_LINEAR;
	if (is_vmalloc_addr(p))
		return DK_AREA_VMALLOC;
	if (on_my_stack(p))
		return DK_AREA_STACK;
	if (maps_entry(p, perms, path, sizeof(path))) {
		if (strstr(path, "[stack"))
			return DK_AREA_STACK;
		/* A file mapping without write permission: text or rodata. */
		if (path[0] == '/' && perms[1] != 'w')
			return DK_AREA_RODATA;
	}
	return DK_AREA_OTHER;
}
