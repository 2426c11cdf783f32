// SPDX-License-Identifier: MIT
/*
 * What kind of memory a pointer is: a thread's stack (any thread's),
 * program text or read-only data, vmalloc, the linear map of RAM, or
 * something else (malloc, an alias). Only consulted when a pointer is
 * suspicious or when asked, so reading /proc/self/maps is affordable.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <dmakit/slab.h>
#include <dmakit/vmalloc.h>

#include "../mm/mm.h"
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

/* Look @p up in /proc/self/maps: its mapping, permissions and path. */
static bool maps_entry(const void *p, char perms[5], char *path, size_t len,
		       unsigned long *lo_out, unsigned long *hi_out)
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
			*lo_out = lo;
			*hi_out = hi;
			found = true;
		}
	}
	fclose(f);
	return found;
}

/*
 * Whether some other thread's stack pointer lies in [lo, hi): the kernel
 * shows it in /proc/self/task/TID/syscall while the thread waits in a
 * system call, which is what a thread lending its stack buffer does.
 */
static bool other_threads_stack(unsigned long lo, unsigned long hi)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	bool hit = false;

	while (d && !hit && (de = readdir(d))) {
		char path[300], buf[512];
		unsigned long v[9];
		FILE *f;
		int n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/syscall",
			 de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		n = fgets(buf, sizeof(buf), f) ?
			    sscanf(buf, "%lu %lx %lx %lx %lx %lx %lx %lx %lx",
				   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
				   &v[6], &v[7], &v[8]) : 0;
		fclose(f);
		/* syscall number, six arguments, stack pointer, pc */
		if (n == 9 && v[7] >= lo && v[7] < hi)
			hit = true;
	}
	if (d)
		closedir(d);
	return hit;
}

enum dk_area dk_area_of(struct dk_machine *m, const void *p)
{
	char perms[5] = "", path[256] = "";
	unsigned long lo = 0, hi = 0;
	phys_addr_t pa;

	if (m && dk_linear_to_phys(m, p, &pa))
		return DK_AREA_LINEAR;
	if (is_vmalloc_addr(p))
		return DK_AREA_VMALLOC;
	if (on_my_stack(p))
		return DK_AREA_STACK;
	if (maps_entry(p, perms, path, sizeof(path), &lo, &hi)) {
		if (strstr(path, "[stack"))
			return DK_AREA_STACK;
		if (!path[0] && other_threads_stack(lo, hi))
			return DK_AREA_STACK;
		/* A file mapping without write permission: text or rodata. */
		if (path[0] == '/' && perms[1] != 'w')
			return DK_AREA_RODATA;
	}
	if (dk_user_to_phys(m, p, 1, &pa))
		return DK_AREA_USER;
	return DK_AREA_OTHER;
}
