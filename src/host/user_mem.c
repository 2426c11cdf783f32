// SPDX-License-Identifier: MIT
/*
 * Program memory on the host: any buffer the process owns (malloc, mmap,
 * hugepages) may be mapped for the device, its pages pinned by VFIO when
 * iommu-dma maps them and released when it unmaps them. Its "physical"
 * address is its virtual address moved into a window above the arena,
 * so the DMA layer and the checker carry it like any other. The calling
 * thread's stack is refused, as the simulator refuses it, so that the
 * checker's map-stack finding is the whole story.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>

#include "host_internal.h"

/* The calling thread's stack, learnt once per thread (for the main
 * thread glibc reads /proc/self/maps to tell). */
static _Thread_local uintptr_t stack_lo, stack_hi;

static bool on_stack(uintptr_t a, size_t size)
{
	if (!stack_hi) {
		pthread_attr_t at;
		void *base;
		size_t len;

		if (pthread_getattr_np(pthread_self(), &at))
			return false;
		if (!pthread_attr_getstack(&at, &base, &len)) {
			stack_lo = (uintptr_t)base;
			stack_hi = stack_lo + len;
		}
		pthread_attr_destroy(&at);
	}
	return a < stack_hi && a + size > stack_lo;
}

void *dk_host_any_va(struct dk_host *h, phys_addr_t pa, size_t size)
{
	if (pa < DK_HOST_USER_BASE)
		return dk_host_pa_to_va(h, pa, size);
	if (pa - DK_HOST_USER_BASE >= DK_HOST_USER_SPAN ||
	    size > DK_HOST_USER_SPAN - (pa - DK_HOST_USER_BASE))
		return NULL;
	return (void *)(uintptr_t)(pa - DK_HOST_USER_BASE);
}

int dk_host_user_to_phys(void *ctx, const void *va, size_t size,
			 phys_addr_t *pa)
{
	struct dk_host *h = ctx;
	uintptr_t a = (uintptr_t)va;
	const u8 *p = va;

	if (!va || !size || a + size - 1 < a ||
	    a + size - 1 >= DK_HOST_USER_SPAN ||
	    (p + size > h->arena && p < h->arena + h->arena_size) ||
	    on_stack(a, size))
		return -EINVAL;
	*pa = DK_HOST_USER_BASE + a;
	return 0;
}
