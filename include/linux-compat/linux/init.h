/* SPDX-License-Identifier: MIT */
/*
 * <linux/init.h> for driver code built against dmakit. Nothing is freed
 * after boot in a program, so the section markers are empty; an initcall
 * runs before main() (a constructor), as built-in code runs at boot.
 */
#ifndef DMAKIT_COMPAT_LINUX_INIT_H
#define DMAKIT_COMPAT_LINUX_INIT_H

#include <linux/compiler.h>

#define __init
#define __exit
#define __initdata
#define __initconst
#define __exitdata
#define __refdata
#define __devinit
#define __devexit

/* The module's entry, run before main(); the exit function is never run. */
#define module_init(fn)							\
	static void __attribute__((constructor)) __dk_init_##fn(void)	\
	{								\
		(void)(fn)();						\
	}
#define module_exit(fn)							\
	static void (*const __dk_exit_##fn)(void) __attribute__((unused)) = fn
#define subsys_initcall(fn)	module_init(fn)
#define device_initcall(fn)	module_init(fn)
#define late_initcall(fn)	module_init(fn)
#define arch_initcall(fn)	module_init(fn)
#define core_initcall(fn)	module_init(fn)

#endif
