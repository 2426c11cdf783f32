/* SPDX-License-Identifier: MIT */
/* <linux/slab.h> for driver code built against dmakit: kmalloc and friends. */
#ifndef DMAKIT_COMPAT_LINUX_SLAB_H
#define DMAKIT_COMPAT_LINUX_SLAB_H

#include <stdarg.h>

#include <linux/compiler.h>
#include <linux/gfp.h>
#include <linux/overflow.h>
#include <dmakit/slab.h>
#include <dmakit/vmalloc.h>

/**
 * kmalloc_array() - kmalloc() of @n elements of @size bytes.
 * @n: how many.
 * @size: bytes each.
 * @gfp: as for kmalloc().
 *
 * Return: as kmalloc(); NULL if @n * @size overflows.
 */
static inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc(bytes, gfp);
}

/*
 * The kv* allocators: Linux tries kmalloc() and falls back on vmalloc();
 * kmalloc() is what they give here, so their memory is physically
 * contiguous and may be DMA-mapped, which Linux's may not be; kvfree()
 * takes either.
 */
#define kvmalloc(size, gfp)		kmalloc(size, gfp)
#define kvzalloc(size, gfp)		kzalloc(size, gfp)
#define kvmalloc_array(n, size, gfp)	kmalloc_array(n, size, gfp)
#define kvcalloc(n, size, gfp)		kcalloc(n, size, gfp)

/**
 * kvfree() - free what kvmalloc(), kmalloc() or vmalloc() gave.
 * @p: the memory; NULL does nothing.
 */
static inline void kvfree(const void *p)
{
	if (is_vmalloc_addr(p))
		vfree(p);
	else
		kfree(p);
}

/**
 * kasprintf() - a kmalloc'd string formatted as printf() does (free it
 * with kfree()).
 * @gfp: allocation flags.
 * @fmt: the format.
 * @...: its arguments.
 *
 * Return: the string, or NULL (out of memory, NULL @fmt).
 */
char *kasprintf(gfp_t gfp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * kvasprintf() - kasprintf() with a va_list.
 * @gfp: allocation flags.
 * @fmt: the format.
 * @ap: its arguments.
 *
 * Return: as kasprintf().
 */
char *kvasprintf(gfp_t gfp, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));


#endif
