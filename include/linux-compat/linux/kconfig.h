/* SPDX-License-Identifier: MIT */
/*
 * <linux/kconfig.h> for driver code built against dmakit: the kernel
 * configuration a driver's "#ifdef CONFIG_X" and IS_ENABLED(CONFIG_X)
 * see.
 *
 * What dmakit gives is configured in (each defined to 1, as Kconfig's
 * autoconf.h does): a device tree (CONFIG_OF), the DMA API
 * (CONFIG_HAS_DMA), dmaengine (CONFIG_DMA_ENGINE), the IOMMU API
 * (CONFIG_IOMMU_API), I2C with target mode (CONFIG_I2C, CONFIG_I2C_SLAVE)
 * and SPI (CONFIG_SPI). Anything else is not, unless the build defines
 * it (-DCONFIG_FOO=1, or -DCONFIG_FOO_MODULE=1 for a module).
 */
#ifndef DMAKIT_COMPAT_LINUX_KCONFIG_H
#define DMAKIT_COMPAT_LINUX_KCONFIG_H

#ifndef CONFIG_OF
#define CONFIG_OF		1
#endif
#ifndef CONFIG_HAS_DMA
#define CONFIG_HAS_DMA		1
#endif
#ifndef CONFIG_DMA_ENGINE
#define CONFIG_DMA_ENGINE	1
#endif
#ifndef CONFIG_IOMMU_API
#define CONFIG_IOMMU_API	1
#endif
#ifndef CONFIG_I2C
#define CONFIG_I2C		1
#endif
#ifndef CONFIG_I2C_SLAVE
#define CONFIG_I2C_SLAVE	1
#endif
#ifndef CONFIG_SPI
#define CONFIG_SPI		1
#endif

/*
 * Whether an option is defined to 1, usable in #if: an option defined as
 * 1 turns __dk_one_1 into "0," which moves the 1 into second place; any
 * other spelling leaves the 0 there.
 */
#define __dk_one_1			0,
#define __dk_second(skip, val, ...)	val
#define __dk_is_one__(junk_or_zero)	__dk_second(junk_or_zero 1, 0, 0)
#define __dk_is_one_(x)			__dk_is_one__(__dk_one_##x)
/* One more level, so that a pasted name (X##_MODULE) is expanded too. */
#define __dk_is_one(x)			__dk_is_one_(x)

/* Configured in, built in. */
#define IS_BUILTIN(option)		__dk_is_one(option)
/* Configured in, as a module. */
#define IS_MODULE(option)		__dk_is_one(option##_MODULE)
/* Configured in, either way. */
#define IS_ENABLED(option)		(IS_BUILTIN(option) || IS_MODULE(option))
/* Usable from here: everything here is one program. */
#define IS_REACHABLE(option)		IS_ENABLED(option)

#endif
