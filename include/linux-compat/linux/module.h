/* SPDX-License-Identifier: MIT */
/*
 * <linux/module.h> for driver code built against dmakit. A driver here is
 * linked into the test program, not loaded: the module's metadata and
 * symbol exports mean nothing and compile to nothing.
 */
#ifndef DMAKIT_COMPAT_LINUX_MODULE_H
#define DMAKIT_COMPAT_LINUX_MODULE_H

#define MODULE_LICENSE(s)
#define MODULE_AUTHOR(s)
#define MODULE_DESCRIPTION(s)
#define MODULE_VERSION(s)
#define MODULE_ALIAS(s)
#define MODULE_DEVICE_TABLE(type, name)
#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define THIS_MODULE		((void *)0)

#endif
