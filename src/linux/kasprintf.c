// SPDX-License-Identifier: MIT
/* Formatted strings in kmalloc and devres memory (<linux/slab.h>,
 * <linux/device.h>). */
#include <stdarg.h>
#include <stdio.h>

#include <linux/device.h>
#include <linux/slab.h>

#include "linux.h"

/* Format into memory from @alloc (kmalloc or devm_kmalloc on @dev). */
static char *format(struct device *dev, gfp_t gfp, const char *fmt,
		    va_list ap)
{
	va_list again;
	char *s;
	int n;

	if (!fmt)
		return NULL;
	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0) {
		va_end(again);
		return NULL;
	}
	s = dev ? devm_kmalloc(dev, (size_t)n + 1, gfp) :
		  kmalloc((size_t)n + 1, gfp);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, again);
	va_end(again);
	return s;
}

char *kvasprintf(gfp_t gfp, const char *fmt, va_list ap)
{
	return format(NULL, gfp, fmt, ap);
}

char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = format(NULL, gfp, fmt, ap);
	va_end(ap);
	return s;
}

char *devm_kasprintf(struct device *dev, gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (!dev)
		return NULL;
	va_start(ap, fmt);
	s = format(dev, gfp, fmt, ap);
	va_end(ap);
	return s;
}
