// SPDX-License-Identifier: MIT
/*
 * The host's RAM as dmakit sees it: one arena of locked memory that every
 * dmakit allocation comes from, so what a driver allocates for DMA stays
 * put while the device may reach it. The arena is a memfd so the same
 * pages can be mapped a second time (aliases, vmap) as a kernel maps
 * pages twice. Pages are handed out first fit inside the caller's window
 * of pseudo-physical addresses, like the simulator's allocator.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../core/bitmap.h"
#include "host_internal.h"

static int memlock_ok(size_t size)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl) || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= size || geteuid() == 0)
		return 0;
	return dk_err(-ENOMEM,
		      "host: RLIMIT_MEMLOCK is %llu KiB, below the %zu KiB of pinned memory dmakit needs (and VFIO pins every streaming mapping on top): raise it (ulimit -l, or \"memlock\" in /etc/security/limits.conf) or run with CAP_IPC_LOCK",
		      (unsigned long long)rl.rlim_cur / 1024, size / 1024);
}

int dk_host_arena_init(struct dk_host *h, size_t size)
{
	int r = memlock_ok(size);

	if (r)
		return r;
	h->memfd = memfd_create("dmakit-arena", MFD_CLOEXEC);
	if (h->memfd < 0 || ftruncate(h->memfd, size))
		return dk_err(-ENOMEM, "host: no memfd of %zu bytes: %s", size,
			      strerror(errno));
	h->arena = mmap(NULL, size, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_POPULATE, h->memfd, 0);
	if (h->arena == MAP_FAILED) {
		h->arena = NULL;
		return dk_err(-ENOMEM, "host: cannot map the %zu-byte arena: %s",
			      size, strerror(errno));
	}
	h->arena_size = size;
	if (mlock(h->arena, size))
		return dk_err(-ENOMEM,
			      "host: cannot lock the %zu KiB arena: %s (RLIMIT_MEMLOCK too low?)",
			      size / 1024, strerror(errno));
	h->npages = size / DK_PAGE_SIZE;
	h->used = calloc(DK_BITMAP_LONGS(h->npages), sizeof(long));
	if (!h->used)
		return dk_err(-ENOMEM, "host: out of memory");
	return 0;
}

void dk_host_arena_fini(struct dk_host *h)
{
	size_t i;

	for (i = 0; i < DK_HOST_MAX_ALIASES; i++)
		if (h->aliases[i].va)
			munmap(h->aliases[i].va, h->aliases[i].len);
	if (h->arena)
		munmap(h->arena, h->arena_size);
	if (h->memfd >= 0)
		close(h->memfd);
	free(h->used);
}

void *dk_host_pa_to_va(struct dk_host *h, phys_addr_t pa, size_t size)
{
	if (pa < DK_HOST_RAM_BASE || pa - DK_HOST_RAM_BASE >= h->arena_size ||
	    size > h->arena_size - (pa - DK_HOST_RAM_BASE))
		return NULL;
	return h->arena + (pa - DK_HOST_RAM_BASE);
}

int dk_host_alloc_pages(void *ctx, size_t npages, size_t align,
			phys_addr_t min, phys_addr_t max, phys_addr_t *pa)
{
	struct dk_host *h = ctx;
	u64 end = DK_HOST_RAM_BASE + h->arena_size - 1;
	unsigned long lo, hi, at;
	bool found;

	if (!npages || !pa || !align || align & (align - 1) || max < min)
		return dk_err(-EINVAL,
			      "alloc_pages: %zu pages, align %zu, window 0x%llx-0x%llx invalid",
			      npages, align, (unsigned long long)min,
			      (unsigned long long)max);
	if (max < DK_HOST_RAM_BASE || min > end)
		return -ENOMEM;
	lo = min > DK_HOST_RAM_BASE ?
		     (min - DK_HOST_RAM_BASE + DK_PAGE_SIZE - 1) / DK_PAGE_SIZE : 0;
	hi = max < end ? (max - DK_HOST_RAM_BASE + 1) / DK_PAGE_SIZE : h->npages;
	pthread_mutex_lock(&h->lock);
	found = hi > lo && dk_bits_find(h->used, lo, hi, npages, align, &at);
	if (found)
		dk_bits_set(h->used, at, npages, true);
	pthread_mutex_unlock(&h->lock);
	if (!found)
		return -ENOMEM;
	*pa = DK_HOST_RAM_BASE + (u64)at * DK_PAGE_SIZE;
	return 0;
}

int dk_host_free_pages(void *ctx, phys_addr_t pa, size_t npages)
{
	struct dk_host *h = ctx;
	unsigned long i;
	bool ok;

	if (!dk_host_pa_to_va(h, pa, npages * DK_PAGE_SIZE) ||
	    pa % DK_PAGE_SIZE)
		return dk_err(-EINVAL, "free_pages(0x%llx, %zu): not host RAM",
			      (unsigned long long)pa, npages);
	i = (pa - DK_HOST_RAM_BASE) / DK_PAGE_SIZE;
	pthread_mutex_lock(&h->lock);
	ok = dk_bits_all(h->used, i, npages, true);
	if (ok)
		dk_bits_set(h->used, i, npages, false);
	pthread_mutex_unlock(&h->lock);
	return ok ? 0 : dk_err(-EINVAL,
			       "free_pages(0x%llx, %zu): not allocated",
			       (unsigned long long)pa, npages);
}

static void *keep_alias(struct dk_host *h, void *va, size_t len)
{
	size_t i;

	pthread_mutex_lock(&h->lock);
	for (i = 0; i < DK_HOST_MAX_ALIASES; i++)
		if (!h->aliases[i].va) {
			h->aliases[i] = (struct dk_host_alias){ va, len };
			break;
		}
	pthread_mutex_unlock(&h->lock);
	if (i < DK_HOST_MAX_ALIASES)
		return va;
	munmap(va, len);
	dk_err(-ENOMEM, "host: more than %d aliases at once",
	       DK_HOST_MAX_ALIASES);
	return NULL;
}

/* x86 is coherent: an uncached or write-combine alias is the same memory
 * mapped again, which is all a driver can tell apart. */
void *dk_host_map_alias(void *ctx, phys_addr_t pa, size_t size,
			enum dk_alias_type type)
{
	struct dk_host *h = ctx;
	u64 off = (pa - DK_HOST_RAM_BASE) % DK_PAGE_SIZE;
	size_t len;
	void *va;

	(void)type;
	if (!size || !dk_host_pa_to_va(h, pa, size)) {
		dk_err(-EINVAL, "map_alias(0x%llx, %zu): not host RAM",
		       (unsigned long long)pa, size);
		return NULL;
	}
	len = (off + size + DK_PAGE_SIZE - 1) / DK_PAGE_SIZE * DK_PAGE_SIZE;
	va = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, h->memfd,
		  pa - DK_HOST_RAM_BASE - off);
	if (va == MAP_FAILED) {
		dk_err(-ENOMEM, "map_alias: %s", strerror(errno));
		return NULL;
	}
	va = keep_alias(h, va, len);
	return va ? (u8 *)va + off : NULL;
}

void *dk_host_vmap(void *ctx, const phys_addr_t *pages, size_t n,
		   enum dk_alias_type type)
{
	struct dk_host *h = ctx;
	size_t i;
	u8 *va;

	(void)type;
	if (!pages || !n || n > h->npages) {
		dk_err(-EINVAL, "vmap: %zu pages", n);
		return NULL;
	}
	va = mmap(NULL, n * DK_PAGE_SIZE, PROT_NONE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (va == MAP_FAILED) {
		dk_err(-ENOMEM, "vmap: no address space");
		return NULL;
	}
	for (i = 0; i < n; i++)
		if (!dk_host_pa_to_va(h, pages[i], DK_PAGE_SIZE) ||
		    pages[i] % DK_PAGE_SIZE ||
		    mmap(va + i * DK_PAGE_SIZE, DK_PAGE_SIZE,
			 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
			 h->memfd, pages[i] - DK_HOST_RAM_BASE) == MAP_FAILED) {
			munmap(va, n * DK_PAGE_SIZE);
			dk_err(-EINVAL, "vmap: page %zu (0x%llx) is not host RAM",
			       i, (unsigned long long)pages[i]);
			return NULL;
		}
	return keep_alias(h, va, n * DK_PAGE_SIZE);
}

int dk_host_unmap_alias(void *ctx, void *va)
{
	struct dk_host *h = ctx;
	uintptr_t a = (uintptr_t)va;
	struct dk_host_alias al = { 0 };
	size_t i;

	pthread_mutex_lock(&h->lock);
	for (i = 0; i < DK_HOST_MAX_ALIASES; i++) {
		uintptr_t b = (uintptr_t)h->aliases[i].va;

		if (b && a >= b && a - b < DK_PAGE_SIZE) {
			al = h->aliases[i];
			h->aliases[i].va = NULL;
			break;
		}
	}
	pthread_mutex_unlock(&h->lock);
	if (!al.va)
		return dk_err(-EINVAL, "unmap_alias(%p): not an alias", va);
	munmap(al.va, al.len);
	return 0;
}
