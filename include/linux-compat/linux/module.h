/* SPDX-License-Identifier: MIT */
/*
 * <linux/module.h> for driver code built against dmakit. A driver here is
 * linked into the test program, not loaded: the module's metadata and
 * symbol exports mean nothing and compile to nothing; module_init() runs
 * before main() (<linux/init.h>).
 */
#ifndef DMAKIT_COMPAT_LINUX_MODULE_H
#define DMAKIT_COMPAT_LINUX_MODULE_H

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/stat.h>
#include <linux/init.h>

#define MODULE_LICENSE(s)
#define MODULE_AUTHOR(s)
#define MODULE_DESCRIPTION(s)
#define MODULE_VERSION(s)
#define MODULE_ALIAS(s)
#define MODULE_SOFTDEP(s)
#define MODULE_FIRMWARE(s)
#define MODULE_IMPORT_NS(ns)
#define MODULE_DEVICE_TABLE(type, name)
#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define EXPORT_SYMBOL_NS(sym, ns)
#define EXPORT_SYMBOL_NS_GPL(sym, ns)
#define THIS_MODULE		((struct module *)0)

struct module;

#endif
